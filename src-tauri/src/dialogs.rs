//! Files in and out: the native dialogs pick the paths (the UI never sends one), opening in
//! the folder used last time. WebDriver cannot drive a native dialog, so when the program
//! was started with `--test-dialogs` fixed files in the data folder stand in for them
//! ([`StandIns`]); they live here, in the shell, and the core knows nothing of them.

use crate::error::{ApiError, ApiResult};
use ledger_core::workplace::Workplace as Ledger;
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

/// The files that stand in for the file dialogs when tests drive the window: what is saved
/// goes to `导出/`, the list opened is `交办清单.csv`, the backup restored is
/// `要恢复的备份.sqlite3`, the folder picked is `选定的备份文件夹/`, the returned 反馈表 opened are
/// those in `收回的反馈表/`, a unit's Word draft is `单位来稿.docx`, the upper body's form is
/// `上级表格.xlsx`, and printing writes `打印.pdf`, all in the data folder.
#[derive(Debug, Clone)]
pub struct StandIns {
    folder: PathBuf,
}

impl StandIns {
    pub fn new(folder: PathBuf) -> StandIns {
        StandIns { folder }
    }
    pub fn save_dir(&self) -> PathBuf {
        self.folder.join("导出")
    }
    pub fn list_to_open(&self) -> PathBuf {
        self.folder.join("交办清单.csv")
    }
    pub fn backup_to_restore(&self) -> PathBuf {
        self.folder.join("要恢复的备份.sqlite3")
    }
    pub fn folder_to_pick(&self) -> PathBuf {
        self.folder.join("选定的备份文件夹")
    }
    pub fn print_file(&self) -> PathBuf {
        self.folder.join("打印.pdf")
    }
    /// The unit's Word draft opened.
    pub fn draft_to_open(&self) -> PathBuf {
        self.folder.join("单位来稿.docx")
    }
    pub fn form_to_open(&self) -> PathBuf {
        self.folder.join("上级表格.xlsx")
    }
    /// The returned 反馈表 opened: every file in this folder.
    pub fn returned_folder(&self) -> PathBuf {
        self.folder.join("收回的反馈表")
    }
}

/// The app's stand-ins, when it was started with `--test-dialogs` (managed state).
pub struct Dialogs(pub Option<StandIns>);

/// The files standing in for the dialogs, when tests drive the window.
pub fn stand_ins<R: Runtime>(app: &AppHandle<R>) -> Option<StandIns> {
    app.try_state::<Dialogs>().and_then(|dialogs| dialogs.0.clone())
}

/// The kinds of file the program writes and reads, with the dialog's filter.
fn filter(name: &str) -> (&'static str, &'static [&'static str]) {
    match name.rsplit('.').next() {
        Some("docx") => ("Word 文档", &["docx"]),
        Some("sqlite3") => ("台账备份", &["sqlite3", "db"]),
        Some("csv") => ("交办清单（表格或 Word）", &["xlsx", "xls", "csv", "docx"]),
        Some("xls") => ("Excel 工作簿", &["xlsx", "xls"]),
        _ => ("Excel 工作簿", &["xlsx"]),
    }
}

fn dialog<R: Runtime>(app: &AppHandle<R>, ledger: &Ledger, title: &str, name: &str) -> ApiResult<FileDialogBuilder<R>> {
    let (label, extensions) = filter(name);
    let mut dialog = app.dialog().file().set_title(title).add_filter(label, extensions);
    if let Some(dir) = ledger.last_folder()? {
        dialog = dialog.set_directory(dir);
    }
    Ok(dialog)
}

fn chosen(path: tauri_plugin_dialog::FilePath) -> ApiResult<PathBuf> {
    path.into_path().map_err(|e| ApiError::new("internal", format!("所选位置无法使用：{e}")))
}

/// Asks where to save a file named `name` (made safe for Windows first: titles and unit
/// names go into file names); `None` if the clerk cancelled. The folder is remembered.
pub fn save_path<R: Runtime>(app: &AppHandle<R>, ledger: &Ledger, name: &str) -> ApiResult<Option<PathBuf>> {
    let name = &ledger_core::input::safe_file_name(name);
    let path = match stand_ins(app) {
        Some(stand_ins) => stand_ins.save_dir().join(name),
        None => match dialog(app, ledger, "保存文件", name)?.set_file_name(name).blocking_save_file() {
            Some(path) => chosen(path)?,
            None => return Ok(None),
        },
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| ApiError::new("save_failed", format!("无法使用这个文件夹：{}。", ledger_core::text::io_reason(&e))))?;
        ledger.remember_folder(dir)?;
    }
    Ok(Some(path))
}

/// Saves a file (bytes and the name offered) where the clerk chooses; returns the path,
/// `None` if cancelled.
pub fn save<R: Runtime>(app: &AppHandle<R>, ledger: &Ledger, (bytes, name): ledger_core::files::File) -> ApiResult<Option<String>> {
    let Some(path) = save_path(app, ledger, &name)? else { return Ok(None) };
    std::fs::write(&path, bytes).map_err(|e| {
        ApiError::new("save_failed", format!("文件没有保存成功：{}。请换一个位置，或关闭正在打开这个文件的 Excel/WPS 后再试。", ledger_core::text::io_reason(&e)))
    })?;
    Ok(Some(path.display().to_string()))
}

/// Asks for a file to open (`kind` is a sample name giving the filter); `None` if cancelled.
fn open_path<R: Runtime>(app: &AppHandle<R>, ledger: &Ledger, title: &str, kind: &str) -> ApiResult<Option<PathBuf>> {
    dialog(app, ledger, title, kind)?.blocking_pick_file().map(chosen).transpose()
}

/// Asks for a backup to restore; `None` if cancelled.
pub fn open_backup<R: Runtime>(app: &AppHandle<R>, ledger: &Ledger) -> ApiResult<Option<PathBuf>> {
    match stand_ins(app) {
        Some(stand_ins) => Ok(Some(stand_ins.backup_to_restore())),
        None => open_path(app, ledger, "选择要恢复的备份", "台账备份.sqlite3"),
    }
}

/// Asks for one file to open (`title`; `kind` a sample name giving the filter), or takes the
/// file `stand_in` names under `--test-dialogs`; its name and bytes, `None` if cancelled.
fn open_one<R: Runtime>(app: &AppHandle<R>, ledger: &Ledger, stand_in: fn(&StandIns) -> PathBuf, title: &str, kind: &str) -> ApiResult<Option<(String, Vec<u8>)>> {
    let path = match stand_ins(app) {
        Some(stand_ins) => Some(stand_in(&stand_ins)),
        None => open_path(app, ledger, title, kind)?,
    };
    path.map(|p| read_picked(&p)).transpose()
}

/// Asks for a 交办清单 to import; returns its name and bytes, `None` if cancelled.
pub fn open_spreadsheet<R: Runtime>(app: &AppHandle<R>, ledger: &Ledger) -> ApiResult<Option<(String, Vec<u8>)>> {
    open_one(app, ledger, StandIns::list_to_open, "选择交办清单", "清单.csv")
}

/// Reads a file the clerk picked, with the message to show when it cannot be read.
fn read_picked(path: &std::path::Path) -> ApiResult<(String, Vec<u8>)> {
    let bytes = std::fs::read(path).map_err(|e| ApiError::new("open_failed", format!("文件打不开：{}。如果它正在 Excel 或 WPS 中打开，请先关闭。", ledger_core::text::io_reason(&e))))?;
    Ok((path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), bytes))
}

/// Asks for the 反馈表 the units sent back (one or many); their names and bytes, `None` if
/// cancelled.
pub fn open_returned<R: Runtime>(app: &AppHandle<R>, ledger: &Ledger) -> ApiResult<Option<Vec<(String, Vec<u8>)>>> {
    let paths: Vec<PathBuf> = match stand_ins(app) {
        Some(stand_ins) => {
            let mut found: Vec<PathBuf> = std::fs::read_dir(stand_ins.returned_folder()).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
            found.sort();
            found
        }
        None => match dialog(app, ledger, "选择单位发回的反馈表（可多选）", "反馈表.xlsx")?.add_filter("Excel 97-2003", &["xls"]).blocking_pick_files() {
            Some(paths) => paths.into_iter().map(chosen).collect::<ApiResult<_>>()?,
            None => return Ok(None),
        },
    };
    paths.iter().map(|p| read_picked(p)).collect::<ApiResult<Vec<_>>>().map(Some)
}

/// Asks for the blank form an upper body sent; its name and bytes, `None` if cancelled.
pub fn open_form<R: Runtime>(app: &AppHandle<R>, ledger: &Ledger) -> ApiResult<Option<(String, Vec<u8>)>> {
    open_one(app, ledger, StandIns::form_to_open, "选择上级发来的表格", "上级表格.xls")
}

/// Asks for a unit's Word draft; its name and bytes, `None` if cancelled.
pub fn open_word<R: Runtime>(app: &AppHandle<R>, ledger: &Ledger) -> ApiResult<Option<(String, Vec<u8>)>> {
    open_one(app, ledger, StandIns::draft_to_open, "选择单位发来的 Word 稿", "答复样稿.docx")
}

/// Asks for the folder files go into, made and remembered; `None` if cancelled.
pub fn save_folder<R: Runtime>(app: &AppHandle<R>, ledger: &Ledger, title: &str) -> ApiResult<Option<PathBuf>> {
    let folder = match stand_ins(app) {
        Some(stand_ins) => stand_ins.save_dir(),
        None => match pick_folder(app, title)? {
            Some(folder) => folder,
            None => return Ok(None),
        },
    };
    std::fs::create_dir_all(&folder).map_err(|e| ApiError::new("save_failed", format!("无法使用这个文件夹：{}。", ledger_core::text::io_reason(&e))))?;
    ledger.remember_folder(&folder)?;
    Ok(Some(folder))
}

/// Asks for a folder; `None` if cancelled.
pub fn pick_folder<R: Runtime>(app: &AppHandle<R>, title: &str) -> ApiResult<Option<PathBuf>> {
    match stand_ins(app) {
        Some(stand_ins) => Ok(Some(stand_ins.folder_to_pick())),
        None => app.dialog().file().set_title(title).blocking_pick_folder().map(chosen).transpose(),
    }
}
