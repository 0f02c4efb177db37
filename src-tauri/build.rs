//! Tauri's build step. The app's commands get generated permissions (allow-<command>), so the
//! capability file can grant exactly these and nothing else.

/// Every command the UI may call; keep in step with `generate_handler!` in lib.rs.
const COMMANDS: &[&str] = &[
    "app_info",
    "list_items",
    "list_years",
    "get_item",
    "create_item",
    "update_item",
    "delete_item",
    "restore_item",
    "list_units",
    "create_unit",
    "update_unit",
    "set_unit_active",
    "list_categories",
    "create_category",
    "rename_category",
    "set_category_active",
    "list_sessions",
    "create_session",
    "update_session",
    "record_step",
    "correct_step",
    "undo_step",
    "item_workflow",
    "set_deadline_override",
    "deadline_template",
    "apply_built_in_template",
    "set_deadline_rule",
    "calendar_days",
    "mark_day",
    "reminders",
    "snooze",
    "unit_tasks",
    "unit_overview",
    "office_name",
    "set_office_name",
    "export_unit_tasks",
    "undertaking_columns",
    "export_undertaking",
    "export_opinions",
    "choose_import_file",
    "preview_import",
    "import_items",
    "export_import_template",
    "statistics",
    "export_statistics",
    "carried_b_items",
    "export_summary",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}
