//! Files in and out: the native dialogs pick the paths (the UI never sends one), opening in
//! the folder used last time. WebDriver cannot drive a native dialog, so in tests
//! TAIZHANG_SAVE_DIR names a folder to save into, TAIZHANG_OPEN_FILE the 交办清单 to open,
//! TAIZHANG_OPEN_BACKUP the backup to restore and TAIZHANG_PICK_FOLDER the folder to pick.

use crate::error::{ApiError, ApiResult};
use crate::state::Ledger;
use std::path::PathBuf;
use tauri::AppHandle;
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

const LAST_FOLDER: &str = "last_export_dir";

/// The kinds of file the program writes and reads, with the dialog's filter.
fn filter(name: &str) -> (&'static str, &'static [&'static str]) {
    match name.rsplit('.').next() {
        Some("docx") => ("Word 文档", &["docx"]),
        Some("sqlite3") => ("台账备份", &["sqlite3", "db"]),
        Some("csv" | "xls") => ("表格文件", &["xlsx", "xls", "csv"]),
        _ => ("Excel 工作簿", &["xlsx"]),
    }
}

fn dialog(app: &AppHandle, ledger: &Ledger, title: &str, name: &str) -> ApiResult<FileDialogBuilder<tauri::Wry>> {
    let (label, extensions) = filter(name);
    let mut dialog = app.dialog().file().set_title(title).add_filter(label, extensions);
    if let Some(dir) = ledger.with(|db| db.setting(LAST_FOLDER))? {
        dialog = dialog.set_directory(dir);
    }
    Ok(dialog)
}

fn chosen(path: tauri_plugin_dialog::FilePath) -> ApiResult<PathBuf> {
    path.into_path().map_err(|e| ApiError::new("internal", format!("所选位置无法使用：{e}")))
}

/// Asks where to save a file named `name` (made safe for Windows first: titles and unit
/// names go into file names); `None` if the clerk cancelled. The folder is remembered.
pub fn save_path(app: &AppHandle, ledger: &Ledger, name: &str) -> ApiResult<Option<PathBuf>> {
    let name = &ledger_core::input::safe_file_name(name);
    let path = match std::env::var_os("TAIZHANG_SAVE_DIR") {
        Some(dir) => PathBuf::from(dir).join(name),
        None => match dialog(app, ledger, "保存文件", name)?.set_file_name(name).blocking_save_file() {
            Some(path) => chosen(path)?,
            None => return Ok(None),
        },
    };
    if let Some(dir) = path.parent() {
        ledger.with(|db| db.set_setting(LAST_FOLDER, &dir.display().to_string()))?;
    }
    Ok(Some(path))
}

/// Saves `bytes` where the clerk chooses; returns the path, `None` if cancelled.
pub fn save(app: &AppHandle, ledger: &Ledger, name: &str, bytes: &[u8]) -> ApiResult<Option<String>> {
    let Some(path) = save_path(app, ledger, name)? else { return Ok(None) };
    std::fs::write(&path, bytes).map_err(|e| {
        ApiError::new("save_failed", format!("文件没有保存成功：{e}。请换一个位置，或关闭正在打开这个文件的 Excel/WPS 后再试。"))
    })?;
    Ok(Some(path.display().to_string()))
}

/// Asks for a file to open (`kind` is a sample name giving the filter); `None` if cancelled.
pub fn open_path(app: &AppHandle, ledger: &Ledger, title: &str, kind: &str, test_file: &str) -> ApiResult<Option<PathBuf>> {
    match std::env::var_os(test_file) {
        Some(path) => Ok(Some(PathBuf::from(path))),
        None => dialog(app, ledger, title, kind)?.blocking_pick_file().map(chosen).transpose(),
    }
}

/// Asks for a 交办清单 to import; returns its name and bytes, `None` if cancelled.
pub fn open_spreadsheet(app: &AppHandle, ledger: &Ledger) -> ApiResult<Option<(String, Vec<u8>)>> {
    let Some(path) = open_path(app, ledger, "选择交办清单", "清单.csv", "TAIZHANG_OPEN_FILE")? else { return Ok(None) };
    let bytes = std::fs::read(&path).map_err(|e| ApiError::new("open_failed", format!("文件打不开：{e}。如果它正在 Excel 或 WPS 中打开，请先关闭。")))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Some((name, bytes)))
}

/// Asks for a folder; `None` if cancelled.
pub fn pick_folder(app: &AppHandle, title: &str) -> ApiResult<Option<PathBuf>> {
    match std::env::var_os("TAIZHANG_PICK_FOLDER") {
        Some(path) => Ok(Some(PathBuf::from(path))),
        None => app.dialog().file().set_title(title).blocking_pick_folder().map(chosen).transpose(),
    }
}
