//! Files in and out: the native dialogs pick the paths (the UI never sends one), opening in
//! the folder used last time. WebDriver cannot drive a native dialog, so in tests
//! TAIZHANG_SAVE_DIR names a folder to save into and TAIZHANG_OPEN_FILE a file to open.

use crate::error::{ApiError, ApiResult};
use crate::state::Ledger;
use std::path::PathBuf;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

const LAST_FOLDER: &str = "last_export_dir";

pub fn save(app: &AppHandle, ledger: &Ledger, name: &str, bytes: &[u8]) -> ApiResult<Option<String>> {
    let path = match std::env::var_os("TAIZHANG_SAVE_DIR") {
        Some(dir) => PathBuf::from(dir).join(name),
        None => {
            let filter = if name.ends_with(".docx") { ("Word 文档", "docx") } else { ("Excel 工作簿", "xlsx") };
            let mut dialog = app.dialog().file().set_title("保存文件").set_file_name(name).add_filter(filter.0, &[filter.1]);
            if let Some(dir) = ledger.with(|db| db.setting(LAST_FOLDER))? {
                dialog = dialog.set_directory(dir);
            }
            let Some(chosen) = dialog.blocking_save_file() else { return Ok(None) };
            chosen.into_path().map_err(|e| ApiError::new("internal", format!("所选位置无法保存：{e}")))?
        }
    };
    std::fs::write(&path, bytes).map_err(|e| {
        ApiError::new("save_failed", format!("文件没有保存成功：{e}。请换一个位置，或关闭正在打开这个文件的 Excel/WPS 后再试。"))
    })?;
    if let Some(dir) = path.parent() {
        ledger.with(|db| db.set_setting(LAST_FOLDER, &dir.display().to_string()))?;
    }
    Ok(Some(path.display().to_string()))
}

/// Asks the clerk for a 交办清单 to import; returns its name and bytes, `None` if cancelled.
pub fn open_spreadsheet(app: &AppHandle, ledger: &Ledger) -> ApiResult<Option<(String, Vec<u8>)>> {
    let path = match std::env::var_os("TAIZHANG_OPEN_FILE") {
        Some(path) => PathBuf::from(path),
        None => {
            let mut dialog = app.dialog().file().set_title("选择交办清单").add_filter("表格文件", &["xlsx", "xls", "csv"]);
            if let Some(dir) = ledger.with(|db| db.setting(LAST_FOLDER))? {
                dialog = dialog.set_directory(dir);
            }
            let Some(chosen) = dialog.blocking_pick_file() else { return Ok(None) };
            chosen.into_path().map_err(|e| ApiError::new("internal", format!("所选文件无法打开：{e}")))?
        }
    };
    let bytes = std::fs::read(&path).map_err(|e| ApiError::new("open_failed", format!("文件打不开：{e}。如果它正在 Excel 或 WPS 中打开，请先关闭。")))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Some((name, bytes)))
}
