//! The commands as the window calls them: the real app (dialogs, ledger, command list and
//! capability file) built on Tauri's mock runtime, each command sent as an IPC message with
//! JSON arguments, the answer read back as JSON. This covers what the core's tests cannot:
//! argument names and shapes, the error shape the UI switches on, and the stand-in dialogs.

use super::{app, StartOptions};
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow};
use tauri::test::MockRuntime;

struct Window {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    data_dir: tempfile::TempDir,
}

/// The demo ledger on 2025年4月15日, with the stand-in dialogs (`--test-dialogs`).
fn demo_window() -> Window {
    let data_dir = tempfile::tempdir().unwrap();
    let options = StartOptions {
        data_dir: Some(data_dir.path().to_path_buf()),
        demo: true,
        today: chrono::NaiveDate::from_ymd_opt(2025, 4, 15),
        test_dialogs: true,
    };
    let mut app = app(mock_builder(), options).build(tauri::generate_context!()).expect("the app builds");
    // Tauri runs the setup (which opens the ledger) and opens the windows of tauri.conf.json
    // on the first turn of the event loop; the mock runtime's turn returns at once.
    #[allow(deprecated)]
    app.run_iteration(|_, _| {});
    let window = app.get_webview_window("main").expect("tauri.conf.json's window, which the capability file grants");
    Window { _app: app, window, data_dir }
}

impl Window {
    /// Sends one command as the window does; its answer, or the error the UI would get.
    fn call(&self, command: &str, args: Value) -> Result<Value, Value> {
        self.call_from("tauri://localhost", command, args)
    }

    /// Sends a command as a page loaded from `url` would.
    fn call_from(&self, url: &str, command: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: command.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: url.parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|body| body.deserialize::<Value>().unwrap())
    }
}

#[test]
fn the_window_gets_the_vocabulary_and_filters_by_stream() {
    let w = demo_window();
    let info = w.call("app_info", json!({})).unwrap();
    assert_eq!(info["today"], "2025-04-15");
    let streams = info["vocabulary"]["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 8, "four levels × two kinds");
    assert!(streams.contains(&json!({ "level": "州", "kind": "建议", "label": "州人大建议", "title": "州人大代表建议" })));

    let page = w.call("list_items", json!({ "query": { "year": 2025, "level": "州", "kind": "建议" }, "offset": 0 })).unwrap();
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(page["total"], rows.len(), "one page holds a county's stream");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["stream"] == "州人大建议"), "{rows:?}");
}

#[test]
fn a_part_of_the_board_and_the_b_list_come_a_page_at_a_time() {
    let w = demo_window();
    let board = w.call("reminders", json!({})).unwrap();
    for part in ["overdue", "due_today", "within_3", "within_7", "snoozed"] {
        let page = w.call("reminder_page", json!({ "section": part, "offset": 0 })).unwrap();
        assert_eq!(page, board[part], "{part}: the board's first page and the part's own");
    }
    assert!(board["overdue"]["total"].as_u64().unwrap() > 0);
    let carried = w.call("carried_b_items", json!({ "offset": 0 })).unwrap();
    assert_eq!(carried["total"], carried["rows"].as_array().unwrap().len(), "the demo's B items fit one page");
}

#[test]
fn a_wrong_form_comes_back_as_chinese_field_errors() {
    let w = demo_window();
    let error = w.call("create_session", json!({ "input": { "kind": "提案", "level": "县", "year": "2025", "name": "  " } })).unwrap_err();
    assert_eq!(error["code"], "invalid");
    let fields = error["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 1, "{error}");
    assert_eq!(fields[0]["field"], "name");
    assert!(fields[0]["message"].as_str().unwrap().contains("届次名称"), "{error}");
}

#[test]
fn a_table_of_chosen_streams_is_saved_through_the_stand_in_dialog() {
    let w = demo_window();
    let query = json!({ "year": 2025, "streams": [{ "level": "州", "kind": "建议" }], "unit_id": null });
    let saved = w.call("export_undertaking", json!({ "query": query, "columns": [] })).unwrap();
    let path = std::path::PathBuf::from(saved.as_str().unwrap());
    assert_eq!(path.parent().unwrap(), w.data_dir.path().join("导出"));
    assert!(path.file_name().unwrap().to_string_lossy().contains("州人大代表建议"), "{path:?}");
    assert!(std::fs::read(&path).unwrap().starts_with(b"PK"), "an .xlsx (a zip)");

    // The old "level|kind" spelling is no longer a stream: refused, and nothing is written.
    let before = std::fs::read_dir(w.data_dir.path().join("导出")).unwrap().count();
    let refused = w.call("export_undertaking", json!({ "query": { "year": 2025, "streams": ["州|建议"] }, "columns": [] }));
    assert!(refused.is_err());
    assert_eq!(std::fs::read_dir(w.data_dir.path().join("导出")).unwrap().count(), before);
}

#[test]
fn a_command_the_window_does_not_have_or_a_page_from_elsewhere_is_refused() {
    let w = demo_window();
    let unknown = w.call("drop_everything", json!({})).unwrap_err();
    assert!(unknown.to_string().contains("drop_everything"), "{unknown}");
    assert!(w.call("list_units", json!({})).is_ok());
    let remote = w.call_from("https://example.com", "list_units", json!({})).unwrap_err();
    assert!(remote.to_string().contains("not allowed"), "{remote}");
}
