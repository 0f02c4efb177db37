//! Saving a file the core made: the native save dialog picks the path (the UI never sends
//! one), opening in the folder used last time. In tests, TAIZHANG_SAVE_DIR names a folder
//! to save into without a dialog, since WebDriver cannot drive a native dialog.

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
            let mut dialog = app.dialog().file().set_title("保存文件").set_file_name(name).add_filter("Excel 工作簿", &["xlsx"]);
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
