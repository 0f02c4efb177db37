//! The desktop shell of 建议提案办理台账: opens the ledger, hands the UI its commands, and
//! nothing more. The domain lives in `ledger-core`.

mod commands;
#[cfg(test)]
mod command_tests;
mod error;
mod files;
mod print;
#[cfg(windows)]
mod webview2;

use ledger_core::workplace::{StartOptions as Start, Workplace};
use std::path::PathBuf;
use tauri::{Manager, Runtime};

/// Command-line options. `--data-dir DIR` puts the database in DIR instead of the
/// system's app-data folder (tests, the demo, a portable copy); `--demo` fills an empty
/// ledger with the demo year; `--today 2025-04-01` fixes the day deadlines count from
/// (tests); `--test-dialogs` puts fixed files in the data folder in place of the file
/// dialogs and the printer (tests: WebDriver cannot click a native dialog). Anything else
/// on the command line is ignored.
#[derive(Debug, Default)]
struct StartOptions {
    data_dir: Option<PathBuf>,
    demo: bool,
    today: Option<chrono::NaiveDate>,
    test_dialogs: bool,
}

impl StartOptions {
    fn parse(args: impl IntoIterator<Item = String>) -> StartOptions {
        let mut options = StartOptions::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--data-dir" => options.data_dir = args.next().map(PathBuf::from),
                "--demo" => options.demo = true,
                "--test-dialogs" => options.test_dialogs = true,
                "--today" => options.today = args.next().and_then(|d| ledger_core::text::parse_date(&d)),
                _ => {}
            }
        }
        options
    }
}

/// Starts the window: on Windows, only where the WebView2 runtime is there to draw it; the
/// single-instance hand-over first, so a second launch hands over
/// before anything else starts (the running window comes to the front and says so; the
/// second process exits), then the app.
pub fn run() {
    #[cfg(windows)]
    webview2::require();
    let options = StartOptions::parse(std::env::args().skip(1));
    let builder = tauri::Builder::default().plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
            let _ = window.eval("window.dispatchEvent(new Event('second-launch'))");
        }
    }));
    app(builder, options).run(tauri::generate_context!()).expect("the ledger window could not start");
}

/// The app on any Tauri runtime: the real window (`run`) and the command tests, which drive
/// it on Tauri's mock runtime, build the same dialogs, ledger and commands.
fn app<R: Runtime>(builder: tauri::Builder<R>, options: StartOptions) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            // Backups go outside the app-data folder, which the uninstaller may offer to
            // delete: to Documents\建议提案台账备份 (or beside a --data-dir folder).
            let (data_dir, backups) = match options.data_dir.clone() {
                Some(dir) => (dir.clone(), dir.join("备份")),
                None => {
                    let documents = app.path().document_dir().or_else(|_| app.path().home_dir())?;
                    (app.path().app_data_dir()?, documents.join("建议提案台账备份"))
                }
            };
            ledger_core::panics::install(&data_dir);
            app.manage(Workplace::open(Start {
                data_dir,
                default_backups: backups,
                demo: options.demo,
                today: options.today,
                test_dialogs: options.test_dialogs,
            }));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::user_guide,
            commands::list_items,
            commands::list_years,
            commands::number_collisions,
            commands::get_item,
            commands::similar_items,
            commands::item_links,
            commands::link_items,
            commands::unlink_items,
            commands::apply_lead_to_same_class,
            commands::export_repeated,
            commands::create_item,
            commands::update_item,
            commands::delete_item,
            commands::restore_item,
            commands::list_units,
            commands::create_unit,
            commands::update_unit,
            commands::set_unit_active,
            commands::merge_units,
            commands::list_categories,
            commands::create_category,
            commands::rename_category,
            commands::set_category_active,
            commands::list_sessions,
            commands::create_session,
            commands::update_session,
            commands::record_step,
            commands::evaluation,
            commands::set_evaluation_weight,
            commands::export_evaluation,
            commands::export_feedback,
            commands::export_all_feedback,
            commands::choose_returned,
            commands::preview_returned,
            commands::take_back,
            commands::result_rows,
            commands::check_results,
            commands::save_results,
            commands::correct_step,
            commands::undo_step,
            commands::item_workflow,
            commands::set_deadline_override,
            commands::deadline_template,
            commands::apply_built_in_template,
            commands::set_deadline_rule,
            commands::calendar_days,
            commands::mark_day,
            commands::reminders,
            commands::reminder_page,
            commands::year_states,
            commands::close_year,
            commands::reopen_year,
            commands::snooze,
            commands::unit_tasks,
            commands::unit_overview,
            commands::office_name,
            commands::set_office_name,
            commands::export_unit_tasks,
            commands::undertaking_columns,
            commands::export_undertaking,
            commands::export_opinions,
            commands::choose_import_file,
            commands::preview_import,
            commands::import_items,
            commands::import_progress,
            commands::cancel_import,
            commands::export_import_template,
            commands::statistics,
            commands::export_statistics,
            commands::carried_b_items,
            commands::export_summary,
            commands::reply_templates,
            commands::save_reply_template,
            commands::start_reply,
            commands::save_reply,
            commands::draft_from_word,
            commands::reply_drafts,
            commands::reply_draft,
            commands::export_reply,
            commands::opinion_form,
            commands::print_page,
            commands::safety_status,
            commands::backup_now,
            commands::backup_to_file,
            commands::choose_backup_folder,
            commands::choose_restore_file,
            commands::restore_backup,
            commands::restore_damaged,
            commands::operation_log,
            commands::export_log,
        ])
}

#[cfg(test)]
mod tests {
    use super::StartOptions;

    #[test]
    fn options_are_read_from_the_command_line() {
        let args = ["--demo", "--data-dir", "D:\\台账数据", "--unknown", "--today", "2025-04-01", "--test-dialogs"].map(String::from);
        let options = StartOptions::parse(args);
        assert!(options.demo && options.test_dialogs);
        assert_eq!(options.today, chrono::NaiveDate::from_ymd_opt(2025, 4, 1));
        assert_eq!(options.data_dir.as_deref(), Some(std::path::Path::new("D:\\台账数据")));
        assert!(StartOptions::parse(Vec::new()).data_dir.is_none());
    }
}

#[cfg(test)]
mod command_lists {
    //! Tauri's permission model names every command four times: build.rs (its permission),
    //! `generate_handler!` here, the capability file (granted), and ui/api.js (called). A
    //! name missing from one list fails only when the clerk clicks; this catches it at once.
    use std::collections::BTreeSet;

    fn quoted_after(text: &str, marker: &str, end: &str) -> BTreeSet<String> {
        let start = text.find(marker).expect("the list") + marker.len();
        let list = &text[start..start + text[start..].find(end).expect("its end")];
        list.split('"').skip(1).step_by(2).map(str::to_string).collect()
    }

    #[test]
    fn every_command_is_built_registered_granted_and_called() {
        let read = |path: &str| std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect(path);
        let built = quoted_after(&read("build.rs"), "const COMMANDS: &[&str] = &[", "];");
        let lib = read("src/lib.rs");
        let handler = &lib[lib.find("generate_handler![").unwrap()..];
        let registered: BTreeSet<String> = handler[..handler.find("])").unwrap()]
            .split("commands::")
            .skip(1)
            .map(|s| s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap().to_string())
            .collect();
        let granted: BTreeSet<String> = quoted_after(&read("capabilities/main.json"), "\"permissions\": [", "]")
            .into_iter()
            .filter_map(|p| p.strip_prefix("allow-").map(|c| c.replace('-', "_")))
            .collect();
        let api = read("../ui/api.js");
        let called: BTreeSet<String> = api.split("call('").skip(1).map(|s| s.split('\'').next().unwrap().to_string()).collect();
        assert_eq!(registered, built, "generate_handler! and build.rs");
        assert_eq!(granted, built, "the capability file and build.rs");
        assert_eq!(called, built, "ui/api.js and build.rs");
    }
}
