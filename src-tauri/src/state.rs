//! The open ledger held by the app: one connection behind a mutex (one clerk, one writer),
//! or, when it could not be opened, why not and which good backup could take its place.
//! Where the backups go is the clerk's choice, kept in a small file beside the data (not in
//! the ledger, since a damaged ledger must not hide where its backups are).

use crate::error::{ApiError, ApiResult};
use ledger_core::backup::{self, BackupReason, FileCheck};
use ledger_core::{Db, Error};
use serde::Serialize;
use std::path::{Path, PathBuf};
use ledger_core::import::{ImportFile, ImportOptions, ImportPlan, ImportPreview, Progress};
use std::sync::{Arc, Mutex};

/// The file in the data folder that names the clerk's backup folder.
const BACKUP_FOLDER_FILE: &str = "备份位置.txt";

/// Why the ledger is not open, and the good backup that could replace a damaged file.
#[derive(Debug, Clone, Serialize)]
pub struct StartupProblem {
    pub message: String,
    pub backup: Option<GoodBackup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoodBackup {
    pub path: String,
    pub check: FileCheck,
}

pub struct Ledger {
    pub data_dir: PathBuf,
    db: Mutex<Result<Db, StartupProblem>>,
    /// A fixed "today" (--today), so tests and demonstrations do not depend on the calendar.
    fixed_today: Option<chrono::NaiveDate>,
    /// The 交办清单 the clerk picked, read once, kept between its previews and its import.
    pub import_file: Mutex<Option<Arc<ImportFile>>>,
    /// How far reading, checking or importing that list has come; the clerk's cancel.
    pub import_progress: Progress,
    /// The backup file the clerk picked to restore, kept between its check and the restore.
    pub restore_file: Mutex<Option<PathBuf>>,
    /// Why the last automatic backup failed, if it did (shown in 设置).
    pub backup_error: Mutex<Option<String>>,
}

impl Ledger {
    /// Opens the database in `data_dir`, filling it with the demo year when asked and empty,
    /// and makes the daily backup when it is due. `default_backups` is where backups go
    /// until the clerk chooses a folder.
    pub fn open(data_dir: PathBuf, default_backups: PathBuf, demo: bool, fixed_today: Option<chrono::NaiveDate>) -> Ledger {
        let folder = std::fs::read_to_string(data_dir.join(BACKUP_FOLDER_FILE))
            .ok()
            .map(|t| PathBuf::from(t.trim()))
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(default_backups);
        let db_path = data_dir.join(ledger_core::db::DB_FILE_NAME);
        let db = Db::open_with(&db_path, Some(&folder)).and_then(|mut db| {
            if demo && db.is_empty()? {
                ledger_core::demo::seed(&mut db)?;
            }
            Ok(db)
        });
        let ledger = Ledger {
            db: Mutex::new(db.map_err(|e| problem(e, &folder))),
            data_dir,
            fixed_today,
            import_file: Mutex::new(None),
            import_progress: Progress::default(),
            restore_file: Mutex::new(None),
            backup_error: Mutex::new(None),
        };
        ledger.daily_backup();
        ledger
    }

    /// The daily copy, when the last good one is over a day old. A failure does not stop
    /// the clerk's work; it is shown in 设置 until a copy succeeds.
    fn daily_backup(&self) {
        let result = self.with(|db| if db.backup_due()? { db.backup_now(BackupReason::Daily).map(Some) } else { Ok(None) });
        *self.backup_error.lock().unwrap_or_else(|p| p.into_inner()) = match result {
            Err(e) if e.code != "no_database" => Some(e.message),
            _ => None,
        };
    }

    /// The day deadlines are counted from.
    pub fn today(&self) -> chrono::NaiveDate {
        self.fixed_today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Why the database could not be opened, if it could not.
    pub fn startup_problem(&self) -> Option<StartupProblem> {
        self.db.lock().unwrap_or_else(|p| p.into_inner()).as_ref().err().cloned()
    }

    /// Runs one core call on the database and maps its error for the UI.
    pub fn with<T>(&self, call: impl FnOnce(&mut Db) -> ledger_core::Result<T>) -> ApiResult<T> {
        // A panic while holding the lock cannot leave a half-written transaction (SQLite rolls
        // it back), so a poisoned lock is safe to use again.
        let mut db = self.db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let db = db.as_mut().map_err(|problem| ApiError::new("no_database", problem.message.clone()))?;
        Ok(ledger_core::panics::catch(|| call(db))?)
    }

    /// Reads the list the clerk picked (without holding the ledger: a large file must not
    /// stop the rest of the window) and keeps it for its previews and its import.
    pub fn read_import_file(&self, name: &str, bytes: &[u8]) -> ApiResult<()> {
        self.import_progress.reset();
        self.import_progress.start("读取文件", 1);
        let file = ledger_core::panics::catch(|| ImportFile::read(bytes, name))?;
        *self.import_file.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(file));
        Ok(())
    }

    /// The list picked last, or why there is none.
    pub fn import_file(&self) -> ApiResult<Arc<ImportFile>> {
        self.import_file.lock().unwrap_or_else(|p| p.into_inner()).clone()
            .ok_or_else(|| ApiError::new("no_file", "请先选择要导入的交办清单文件。"))
    }

    /// Checks the picked list against the ledger: the ledger is held only to read what the
    /// check needs, the rows are checked after it is let go.
    pub fn preview_import(&self, options: &ImportOptions) -> ApiResult<ImportPreview> {
        let file = self.import_file()?;
        let context = self.with(|db| db.import_context(options))?;
        self.import_progress.reset();
        Ok(ledger_core::panics::catch(|| ImportPlan::check(&file, &context, options, &self.import_progress))?.preview)
    }

    /// Imports the picked list: checked again and written in one transaction.
    pub fn import_items(&self, options: &ImportOptions) -> ApiResult<ImportPreview> {
        let file = self.import_file()?;
        self.import_progress.reset();
        self.with(|db| db.import_file(&file, options, &self.import_progress))
    }

    /// Puts the good backup offered at start in place of the damaged ledger and opens it.
    pub fn restore_damaged(&self) -> ApiResult<FileCheck> {
        let mut db = self.db.lock().unwrap_or_else(|p| p.into_inner());
        let Err(StartupProblem { backup: Some(good), .. }) = &*db else {
            return Err(ApiError::new("not_damaged", "台账数据没有损坏，不需要这样恢复。"));
        };
        let copy = PathBuf::from(&good.path);
        let folder = copy.parent().map(Path::to_path_buf).unwrap_or_default();
        let db_path = self.data_dir.join(ledger_core::db::DB_FILE_NAME);
        let check = backup::replace_damaged(&db_path, &copy)?;
        *db = Ok(Db::open_with(&db_path, Some(&folder))?);
        Ok(check)
    }

    /// Sends the program's backups to `folder` from now on, and remembers it.
    pub fn set_backup_folder(&self, folder: PathBuf) -> ApiResult<()> {
        std::fs::create_dir_all(&folder).map_err(|e| ApiError::new("folder", format!("无法使用这个文件夹：{e}")))?;
        std::fs::write(self.data_dir.join(BACKUP_FOLDER_FILE), folder.display().to_string())
            .map_err(|e| ApiError::new("folder", format!("无法记住备份位置：{e}")))?;
        self.with(|db| {
            db.set_backup_folder(folder);
            Ok(())
        })
    }
}

/// What the window says when the ledger did not open. A damaged file comes with the newest
/// good backup to restore from, when there is one.
fn problem(error: Error, folder: &Path) -> StartupProblem {
    let backup = match error {
        Error::Damaged(_) => backup::latest_good(folder).map(|(path, check)| GoodBackup { path: path.display().to_string(), check }),
        _ => None,
    };
    StartupProblem { message: error.to_string(), backup }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_in_a_command_becomes_a_message_and_the_ledger_stays_usable() {
        let dir = std::env::temp_dir().join(format!("state-test-{}", std::process::id()));
        let ledger = Ledger::open(dir.clone(), dir.join("备份"), false, None);
        let error = ledger.with(|_| -> ledger_core::Result<()> { panic!("一个程序错误") }).expect_err("an error, not a crash");
        assert_eq!(error.code, "internal");
        assert!(error.message.starts_with("程序内部出错，这一步没有完成，台账没有改动。"), "{}", error.message);
        ledger.with(|db| db.list_units()).expect("the ledger answers after the fault");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_check_is_cancelled_while_it_runs_without_the_ledger_held() {
        let dir = std::env::temp_dir().join(format!("state-cancel-{}", std::process::id()));
        let ledger = Ledger::open(dir.clone(), dir.join("备份"), false, None);
        let session = ledger.with(|db| db.create_session(&ledger_core::model::SessionInput {
            kind: "建议".into(), level: "州".into(), year: "2025".into(), name: "州十六届人大二次会议".into() })).unwrap();
        let mut csv = String::from("编号,标题,领衔人,主办单位\n");
        for n in 1..19_000 {
            csv += &format!("{n},关于第{n}项工作的建议,美志高,精河县发展和改革委员会\n");
        }
        ledger.read_import_file("大清单.csv", csv.as_bytes()).unwrap();
        let options = ImportOptions { session_id: Some(session), create_units: true, ..Default::default() };
        std::thread::scope(|scope| {
            let check = scope.spawn(|| ledger.preview_import(&options));
            while ledger.import_progress.view().done == 0 {
                std::thread::yield_now();
            }
            // The check runs on the list alone: the ledger answers meanwhile.
            ledger.with(|db| db.list_units()).expect("the ledger is free while the rows are checked");
            ledger.import_progress.cancel();
            let error = check.join().unwrap().expect_err("cancelled");
            assert_eq!(error.code, "cancelled");
        });
        let _ = std::fs::remove_dir_all(&dir);
    }
}
