//! The desktop shell of 建议提案办理台账: opens the ledger, hands the UI its commands, and
//! nothing more. The domain lives in `ledger-core`.

mod commands;
#[cfg(test)]
mod command_tests;
mod error;
mod dialogs;
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
            app.manage(dialogs::Dialogs(options.test_dialogs.then(|| dialogs::StandIns::new(data_dir.clone()))));
            app.manage(Workplace::open(Start { data_dir, default_backups: backups, demo: options.demo, today: options.today }));
            Ok(())
        })
        // The handler of every command in commands.rs, listed by build.rs.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handlers.rs")))
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
    //! The commands are written once, as the functions of commands.rs (build.rs lists them for
    //! the handler and the permissions); ui/api.js calls them by name. A name the UI calls that
    //! is no command, or a command the UI never calls, fails here instead of when the clerk
    //! clicks.
    use std::collections::BTreeSet;

    #[test]
    fn every_command_is_called_by_the_ui_and_every_call_is_a_command() {
        let handlers = include_str!(concat!(env!("OUT_DIR"), "/handlers.rs"));
        let commands: BTreeSet<&str> = handlers.split("commands::").skip(1).map(|s| s.split(',').next().unwrap()).collect();
        assert!(commands.len() > 80, "{commands:?}");
        let api = std::fs::read_to_string(format!("{}/../ui/api.js", env!("CARGO_MANIFEST_DIR"))).expect("ui/api.js");
        let called: BTreeSet<&str> = api.split("call('").skip(1).map(|s| s.split('\'').next().unwrap()).collect();
        assert_eq!(called, commands, "ui/api.js and commands.rs");
    }

    /// The texts of every array literal of `js` that holds texts and nothing else.
    fn literal_lists(js: &str) -> Vec<Vec<String>> {
        let code: String = js.lines().filter(|l| !l.trim_start().starts_with("//") && !l.trim_start().starts_with('*')).collect::<Vec<_>>().join("\n");
        let mut lists = Vec::new();
        let mut open = None;
        for (at, c) in code.char_indices() {
            match c {
                '[' => open = Some(at),
                ']' => {
                    if let Some(start) = open.take() {
                        let inside = &code[start + 1..at];
                        let parts: Vec<&str> = inside.split('\'').collect();
                        // Only a list of texts and nothing else: code that compares a word is no list.
                        if parts.len() >= 3 && parts.iter().step_by(2).all(|between| between.trim().trim_matches(',').trim().is_empty()) {
                            lists.push(parts.iter().skip(1).step_by(2).map(|s| s.to_string()).collect());
                        }
                    }
                }
                _ => {}
            }
        }
        lists
    }

    #[test]
    fn no_screen_keeps_its_own_copy_of_a_domain_list() {
        // Each list of the vocabulary, as the words it holds (values and labels alike).
        fn words(value: &serde_json::Value, into: &mut Vec<String>) {
            match value {
                serde_json::Value::String(s) if s.chars().count() >= 2 => into.push(s.clone()),
                serde_json::Value::Array(items) => items.iter().for_each(|v| words(v, into)),
                _ => {}
            }
        }
        let vocabulary = serde_json::to_value(ledger_core::vocabulary::vocabulary()).unwrap();
        // The log's kinds are named after what they concern (年度, 承办单位, 办理时限), as column
        // headers are: a header row is no copy of them.
        let lists: Vec<(String, Vec<String>)> = vocabulary.as_object().unwrap().iter().filter(|(name, _)| *name != "log_kinds").map(|(name, value)| {
            let mut found = Vec::new();
            words(value, &mut found);
            (name.clone(), found)
        }).collect();
        let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui");
        let mut files = vec![];
        for folder in [ui.clone(), ui.join("screens")] {
            files.extend(std::fs::read_dir(folder).unwrap().filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "js")));
        }
        assert!(files.len() > 20, "{files:?}");
        let mut copies = Vec::new();
        for file in &files {
            for literal in literal_lists(&std::fs::read_to_string(file).unwrap()) {
                for (name, words) in &lists {
                    let spelled: std::collections::BTreeSet<&String> = literal.iter().filter(|w| words.contains(w)).collect();
                    if spelled.len() >= 2 {
                        copies.push(format!("{}: {name} {spelled:?}", file.file_name().unwrap().to_string_lossy()));
                    }
                }
            }
        }
        assert!(copies.is_empty(), "lists the vocabulary sends, spelled in the UI: {copies:#?}");
    }
}
