//! The ledger as the program holds it while it runs: the data folder and its file behind one
//! lock (one clerk, one writer), or why it could not be opened and which good backup could
//! take its place; where the backups go (the clerk's choice, kept in `备份位置.txt` beside the
//! data, since a damaged ledger must not hide where its backups are); the day deadlines count
//! from; the list being imported and the backup chosen to restore, kept between the clerk's
//! steps; and, when tests drive the window, the files that stand in for the system's file
//! dialogs. The desktop shell holds one and calls one method per command.

use crate::backup::{self, BackupReason, BackupRecord, FileCheck};
use crate::db::{Check, Db, DB_FILE_NAME};
use crate::error::{Error, Result};
use crate::unit_exchange::{ReturnedFile, TakeBackOptions, TakeBackPreview};
use crate::import::check::ImportPlan;
use crate::import::preview::{ImportFile, ImportOptions, ImportPreview, Progress, ProgressView};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// The file in the data folder that names the clerk's backup folder.
pub const BACKUP_FOLDER_FILE: &str = "备份位置.txt";

/// How the program was started (the shell reads these from its command line).
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    pub data_dir: PathBuf,
    /// Where backups go until the clerk chooses a folder.
    pub default_backups: PathBuf,
    /// Fill an empty ledger with the demo year.
    pub demo: bool,
    /// A fixed "today", so tests and demonstrations do not depend on the calendar.
    pub today: Option<chrono::NaiveDate>,
}

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

/// What the window needs to know at start.
#[derive(Debug, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: String,
    pub schema_version: i64,
    pub startup_error: Option<String>,
    /// The good backup that can replace a damaged ledger.
    pub startup_backup: Option<GoodBackup>,
    /// The day the program counts deadlines from (fixed by --today in tests and demos).
    pub today: chrono::NaiveDate,
    /// The domain's words, for the screens' lists.
    pub vocabulary: crate::vocabulary::Vocabulary,
}

/// Where the data and the backups are, and how the last backup went (设置).
#[derive(Debug, Serialize)]
pub struct SafetyStatus {
    pub data_file: String,
    pub backup_folder: String,
    pub last: Option<BackupRecord>,
    /// Why the last automatic backup failed, if it did.
    pub last_error: Option<String>,
}

/// A backup the clerk picked to restore, with what checking it found.
#[derive(Debug, Serialize)]
pub struct RestoreCandidate {
    pub name: String,
    pub check: FileCheck,
}

/// The setting that keeps the folder of the last saved file.
const LAST_FOLDER: &str = "last_export_dir";

pub struct Workplace {
    data_dir: PathBuf,
    db: Mutex<std::result::Result<Db, StartupProblem>>,
    fixed_today: Option<chrono::NaiveDate>,
    /// The list the clerk picked, read once, kept between its previews and its import.
    import_file: Mutex<Option<Arc<ImportFile>>>,
    /// The upper body's blank form the clerk picked (its name and bytes), kept between its
    /// preview and its filling.
    upper_form: Mutex<Option<Arc<(String, Vec<u8>)>>>,
    /// How far reading, checking or importing that list has come; the clerk's cancel.
    import_progress: Progress,
    /// The returned 办理情况反馈表 the clerk picked, read once, kept between the preview and
    /// the take-back.
    returned: Mutex<Option<Arc<Vec<ReturnedFile>>>>,
    /// The backup file the clerk picked to restore, kept between its check and the restore.
    restore_file: Mutex<Option<PathBuf>>,
    /// Why the last automatic backup failed, if it did (shown in 设置).
    backup_error: Arc<Mutex<Option<String>>>,
    /// The daily backup being made in the background since the start, until it is waited for.
    daily_backup: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// The ledger's `quick_check`, run in the background just after the start, until the
    /// first command waits for it ([`Workplace::settle_start`]).
    start_check: Mutex<Option<std::thread::JoinHandle<Result<()>>>>,
    backup_folder: PathBuf,
}

/// Waits for what the start left running in the background (the check, the daily copy), so
/// none of its connections outlives the workplace: on Windows a ledger still open cannot be
/// moved or deleted, and a folder with it cannot be removed.
impl Drop for Workplace {
    fn drop(&mut self) {
        if let Some(checking) = lock(&self.start_check).take() {
            let _ = checking.join();
        }
        self.daily_backup_done();
    }
}

/// A lock that a panic elsewhere left poisoned is still safe: SQLite rolled back whatever
/// the panic interrupted.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Workplace {
    /// Opens the ledger in the data folder, filling it with the demo year when asked and
    /// empty. What a large ledger needs time for happens in the background, so the window
    /// appears at once: the ledger's `quick_check` (nothing writes to the file before it
    /// has passed: the first command waits for it) and then the daily backup when it is due.
    pub fn open(options: StartOptions) -> Workplace {
        let data_dir = options.data_dir;
        let folder = std::fs::read_to_string(data_dir.join(BACKUP_FOLDER_FILE))
            .ok()
            .map(|t| PathBuf::from(t.trim()))
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(options.default_backups);
        let path = data_dir.join(DB_FILE_NAME);
        // The demo is filled in at once, so its ledger is checked at once too.
        let check = if options.demo { Check::Now } else { Check::Deferred };
        let opened = Db::open_checked(&path, Some(&folder), check);
        let deferred = matches!(opened, Ok((_, true)));
        let db = opened.and_then(|(mut db, _)| {
            if options.demo && db.is_empty()? {
                crate::demo::seed(&mut db)?;
            }
            Ok(db)
        });
        let workplace = Workplace {
            db: Mutex::new(db.map_err(|e| problem(e, &folder))),
            data_dir,
            fixed_today: options.today,
            import_file: Mutex::new(None),
            upper_form: Mutex::new(None),
            import_progress: Progress::default(),
            returned: Mutex::new(None),
            restore_file: Mutex::new(None),
            backup_error: Arc::new(Mutex::new(None)),
            daily_backup: Mutex::new(None),
            start_check: Mutex::new(None),
            backup_folder: folder,
        };
        if deferred {
            let checking = std::thread::spawn(move || {
                crate::panics::catch(|| {
                    let probe = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
                    crate::db::check_file(&probe, &path)
                })
            });
            *lock(&workplace.start_check) = Some(checking);
        } else {
            workplace.start_daily_backup();
        }
        workplace
    }

    /// Waits for the check begun at the start, if it is still running: a damaged ledger is
    /// closed then (untouched: nothing has written to it) and offered its newest good backup,
    /// as if it had been found so at the start; a sound one gets its daily backup.
    /// The lock on the check is held until the ledger's state is settled, so a second
    /// command arriving meanwhile waits too instead of reaching the ledger before the check.
    fn settle_start(&self) {
        let mut start_check = lock(&self.start_check);
        let Some(checking) = start_check.take() else { return };
        match checking.join() {
            Ok(Err(error)) => *lock(&self.db) = Err(problem(error, &self.backup_folder)),
            _ => self.start_daily_backup(),
        }
    }

    /// The daily copy, when the last good one is over a day old, made in the background
    /// through a connection of its own, so the window is usable at once and the ledger is
    /// not held meanwhile. A failure does not stop the clerk's work; it is shown in 设置
    /// until a copy succeeds. 设置 and a restore wait for it ([`Workplace::daily_backup_done`]).
    fn start_daily_backup(&self) {
        if lock(&self.db).is_err() {
            return;
        }
        let path = self.data_dir.join(DB_FILE_NAME);
        let folder = self.backup_folder.clone();
        let error = Arc::clone(&self.backup_error);
        let copying = std::thread::spawn(move || {
            let result = crate::panics::catch(|| {
                // The ledger was checked before this starts (when it was opened, or by the
                // start's check): Deferred spares a second quick_check of the whole file.
                let (mut db, _) = Db::open_checked(&path, Some(&folder), Check::Deferred)?;
                if db.backup_due()? {
                    db.backup_now(BackupReason::Daily)?;
                }
                Ok(())
            });
            *lock(&error) = result.err().map(|e| e.to_string());
        });
        *lock(&self.daily_backup) = Some(copying);
    }

    /// Waits until the daily copy started with the program is made (at once if it is).
    pub fn daily_backup_done(&self) {
        if let Some(copying) = lock(&self.daily_backup).take() {
            let _ = copying.join();
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The day deadlines are counted from.
    pub fn today(&self) -> chrono::NaiveDate {
        self.fixed_today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// What the window needs at start, a problem found when the ledger was opened included.
    /// It does not wait for the check begun at the start: the window draws its first screen
    /// meanwhile (reads, [`Workplace::read`]) and then asks [`Workplace::start_checked`].
    pub fn info(&self) -> AppInfo {
        let problem = lock(&self.db).as_ref().err().cloned();
        AppInfo {
            version: env!("CARGO_PKG_VERSION"),
            data_dir: self.data_dir.display().to_string(),
            schema_version: crate::db::schema_version(),
            startup_error: problem.as_ref().map(|p| p.message.clone()),
            startup_backup: problem.and_then(|p| p.backup),
            today: self.today(),
            vocabulary: crate::vocabulary::vocabulary(),
        }
    }

    /// What [`Workplace::info`] says once the check begun at the start has ended: a damaged
    /// ledger found by it is reported here, and the window shows it instead of its screens.
    pub fn start_checked(&self) -> AppInfo {
        self.settle_start();
        self.info()
    }

    /// Runs one read on the ledger without waiting for the check begun at the start: a read
    /// cannot harm the file, and a large ledger's check takes seconds (3 s at 50,000 items),
    /// which the first screen need not wait for. While the check runs the connection is
    /// read-only (`query_only`): a read that must write first (the progress kept for a new
    /// year, on its first screen) is refused by SQLite, and waits for the check like a change.
    pub fn read<T>(&self, call: impl Fn(&Db) -> Result<T>) -> Result<T> {
        if lock(&self.start_check).is_some() {
            let db = lock(&self.db);
            let db = db.as_ref().map_err(|problem| Error::NoLedger(problem.message.clone()))?;
            let answer = db.read_only(|| crate::panics::catch(|| call(db)))?;
            if !answer.as_ref().is_err_and(Error::is_read_only) {
                return answer;
            }
        }
        self.with(|db| call(db))
    }

    /// Runs one core call on the ledger, once the check begun at the start has passed (nothing
    /// writes to the file before); a panic inside becomes an error ([`crate::panics`]).
    pub fn with<T>(&self, call: impl FnOnce(&mut Db) -> Result<T>) -> Result<T> {
        self.settle_start();
        let mut db = lock(&self.db);
        let db = db.as_mut().map_err(|problem| Error::NoLedger(problem.message.clone()))?;
        crate::panics::catch(|| call(db))
    }

    /// Reads the upper body's form the clerk picked and proposes how its columns are filled;
    /// the form is kept for [`Workplace::fill_upper_form`].
    pub fn open_upper_form(&self, name: &str, bytes: Vec<u8>) -> Result<crate::upper_form::FormPreview> {
        let today = self.today();
        let preview = self.read(|db| db.form_preview(&bytes, name, today))?;
        *lock(&self.upper_form) = Some(Arc::new((name.to_string(), bytes)));
        Ok(preview)
    }

    /// The form picked last, filled with the items `query` covers, its columns from `fields`.
    pub fn fill_upper_form(&self, query: &crate::queries::reports::TableQuery, fields: &[String]) -> Result<crate::files::File> {
        let form = lock(&self.upper_form).clone().ok_or_else(|| Error::NotFound("请先选择上级发来的表格。".into()))?;
        let today = self.today();
        self.with(|db| db.fill_form(&form.1, &form.0, query, fields, today))
    }

    /// Reads the list the clerk picked (without holding the ledger: a large file must not
    /// stop the rest of the window) and keeps it for its previews and its import.
    pub fn read_import_file(&self, name: &str, bytes: &[u8]) -> Result<()> {
        self.import_progress.reset();
        self.import_progress.start("读取文件", 1);
        let file = crate::panics::catch(|| ImportFile::read(bytes, name))?;
        *lock(&self.import_file) = Some(Arc::new(file));
        Ok(())
    }

    /// Reads the list the clerk picked and previews it.
    pub fn open_import(&self, name: &str, bytes: &[u8], options: &ImportOptions) -> Result<ImportPreview> {
        self.read_import_file(name, bytes)?;
        self.preview_import(options)
    }

    fn import_file(&self) -> Result<Arc<ImportFile>> {
        lock(&self.import_file).clone().ok_or_else(|| Error::NotFound("请先选择要导入的交办清单文件。".into()))
    }

    /// Checks the picked list against the ledger: the ledger is held only to read what the
    /// check needs; the rows are checked after it is let go.
    pub fn preview_import(&self, options: &ImportOptions) -> Result<ImportPreview> {
        let file = self.import_file()?;
        let context = self.with(|db| db.import_context(options))?;
        self.import_progress.reset();
        let mut preview = crate::panics::catch(|| ImportPlan::check(&file, &context, options, &self.import_progress))?.preview;
        self.with(|db| db.propose_for_preview(&mut preview))?;
        Ok(preview)
    }

    /// Imports the picked list: checked again and written in one transaction.
    pub fn import_items(&self, options: &ImportOptions) -> Result<ImportPreview> {
        let file = self.import_file()?;
        self.import_progress.reset();
        self.with(|db| db.import_file(&file, options, &self.import_progress))
    }

    /// Reads the returned files the clerk picked (names and bytes) and previews taking them
    /// back; they are kept for the take-back she confirms.
    pub fn open_returned(&self, files: &[(String, Vec<u8>)], options: &TakeBackOptions) -> Result<TakeBackPreview> {
        let read: Vec<ReturnedFile> = files.iter().map(|(name, bytes)| ReturnedFile::read(bytes, name)).collect();
        *lock(&self.returned) = Some(Arc::new(read));
        self.preview_returned(options)
    }

    fn returned_files(&self) -> Result<Arc<Vec<ReturnedFile>>> {
        lock(&self.returned).clone().ok_or_else(|| Error::NotFound("请先选择收回的反馈表文件。".into()))
    }

    /// Previews the picked files again, with the clerk's word on the conflicts.
    pub fn preview_returned(&self, options: &TakeBackOptions) -> Result<TakeBackPreview> {
        let files = self.returned_files()?;
        self.with(|db| Ok(db.check_returned(&files, options, self.today())?.preview))
    }

    /// Takes the picked files back: checked again, written in one transaction, then forgotten.
    pub fn take_back(&self, options: &TakeBackOptions) -> Result<TakeBackPreview> {
        let files = self.returned_files()?;
        let done = self.with(|db| db.take_back(&files, options, self.today()))?;
        *lock(&self.returned) = None;
        Ok(done)
    }

    pub fn import_progress(&self) -> ProgressView {
        self.import_progress.view()
    }

    pub fn cancel_import(&self) {
        self.import_progress.cancel();
    }

    /// Examines the backup the clerk picked (nothing is changed yet) and keeps it for the
    /// restore she will confirm.
    pub fn choose_restore(&self, path: PathBuf) -> Result<RestoreCandidate> {
        let check = backup::inspect(&path)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        *lock(&self.restore_file) = Some(path);
        Ok(RestoreCandidate { name, check })
    }

    /// Restores the backup the clerk confirmed (the current ledger is backed up first).
    pub fn restore_chosen(&self) -> Result<FileCheck> {
        self.daily_backup_done();
        let path = lock(&self.restore_file).take().ok_or_else(|| Error::NotFound("请先选择要恢复的备份文件。".into()))?;
        self.with(|db| db.restore_from(&path))
    }

    /// Puts the good backup offered at start in place of the damaged ledger and opens it.
    pub fn restore_damaged(&self) -> Result<FileCheck> {
        self.settle_start();
        let mut db = lock(&self.db);
        let Err(StartupProblem { backup: Some(good), .. }) = &*db else {
            return Err(Error::NotFound("台账数据没有损坏，不需要这样恢复。".into()));
        };
        let copy = PathBuf::from(&good.path);
        let folder = copy.parent().map(Path::to_path_buf).unwrap_or_default();
        let db_path = self.data_dir.join(DB_FILE_NAME);
        let check = backup::replace_damaged(&db_path, &copy)?;
        *db = Ok(Db::open_with(&db_path, Some(&folder))?);
        Ok(check)
    }

    /// Sends the program's backups to `folder` from now on, and remembers it.
    pub fn set_backup_folder(&self, folder: PathBuf) -> Result<String> {
        std::fs::create_dir_all(&folder)
            .map_err(|e| Error::field("folder", format!("无法使用这个文件夹：{}。", crate::text::io_reason(&e))))?;
        std::fs::write(self.data_dir.join(BACKUP_FOLDER_FILE), folder.display().to_string())
            .map_err(|e| Error::field("folder", format!("无法记住备份位置：{}。", crate::text::io_reason(&e))))?;
        self.with(|db| {
            db.set_backup_folder(folder.clone());
            Ok(folder.display().to_string())
        })
    }

    /// The folder the file dialogs open in: where the clerk last saved a file.
    pub fn last_folder(&self) -> Result<Option<String>> {
        self.with(|db| db.setting(LAST_FOLDER))
    }

    /// Remembers the folder of a file just saved (a change of folder is logged, so it is
    /// written only when the folder is another than last time).
    pub fn remember_folder(&self, dir: &Path) -> Result<()> {
        let dir = dir.display().to_string();
        self.with(|db| if db.setting(LAST_FOLDER)?.as_deref() == Some(dir.as_str()) { Ok(()) } else { db.set_setting(LAST_FOLDER, &dir) })
    }

    /// The name offered for a copy the clerk makes to a place of her choice.
    pub fn manual_backup_name(&self) -> String {
        backup::file_name(BackupReason::Manual, chrono::Local::now().naive_local())
    }

    /// Where the data and the backups are, and how the last backup went.
    pub fn safety_status(&self) -> Result<SafetyStatus> {
        self.daily_backup_done();
        let (backup_folder, last) = self.with(|db| Ok((db.backup_folder().map(|f| f.display().to_string()).unwrap_or_default(), db.last_backup()?)))?;
        Ok(SafetyStatus {
            data_file: self.data_dir.join(DB_FILE_NAME).display().to_string(),
            backup_folder,
            last,
            last_error: lock(&self.backup_error).clone(),
        })
    }
}

/// What the window says when the ledger did not open. A damaged file, or one that cannot be
/// upgraded, comes with the newest good backup to restore from, when there is one.
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

    /// Removes a test's folder, failing where a file in it is still open: Windows deletes no
    /// open file, so a ledger left open by a closed workplace would stay behind on the
    /// clerk's PC (and meet the next run).
    fn closed(temp: tempfile::TempDir) {
        let path = temp.path().to_path_buf();
        temp.close().unwrap_or_else(|e| panic!("{} could not be removed: {e}", path.display()));
    }

    fn options(dir: &Path) -> StartOptions {
        StartOptions { data_dir: dir.to_path_buf(), default_backups: dir.join("备份"), ..Default::default() }
    }

    #[test]
    fn a_ledger_found_damaged_after_the_start_is_closed_untouched_and_its_backup_offered() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().to_path_buf();
        let path = dir.join(DB_FILE_NAME);
        {
            let mut db = Db::open_with(&path, Some(&dir.join("备份"))).unwrap();
            crate::demo::seed(&mut db).unwrap();
            db.backup_now(BackupReason::Daily).unwrap();
        }
        // The ledger as a disk fault leaves it: in WAL mode, of this version, one page spoilt.
        rusqlite::Connection::open(&path).unwrap().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[4096 * 3..4096 * 4].fill(0xA5);
        std::fs::write(&path, &bytes).unwrap();

        let workplace = Workplace::open(options(&dir));
        assert!(lock(&workplace.start_check).is_some(), "the check runs after the start, in the background");
        assert!(workplace.info().startup_error.is_none(), "the window is not kept waiting for the check");
        // The first screen's reads; the board's would keep the progress for a new year first,
        // a write, and waits for the check (which finds the damage).
        let _ = workplace.read(|db| db.list_years());
        let _ = workplace.read(|db| db.item_page(&Default::default(), 0));
        assert!(lock(&workplace.start_check).is_some(), "a read does not wait for the check");
        let board = workplace.read(|db| db.reminders(chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()));
        assert!(matches!(board, Err(Error::NoLedger(_))), "a read that writes waits for the check: {board:?}");
        let info = workplace.start_checked();
        assert!(info.startup_error.as_deref().unwrap_or_default().contains("已损坏"), "{:?}", info.startup_error);
        assert!(info.startup_backup.is_some(), "the newest good backup is offered");
        assert!(matches!(workplace.with(|db| db.list_units()), Err(Error::NoLedger(_))));
        drop(workplace);
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "nothing wrote to the damaged ledger");
        closed(temp);
    }

    #[test]
    fn the_first_screen_reads_before_the_check_and_a_read_that_writes_waits_for_it() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().to_path_buf();
        {
            let mut db = Db::open_with(&dir.join(DB_FILE_NAME), Some(&dir.join("备份"))).unwrap();
            crate::demo::seed(&mut db).unwrap();
        }
        let workplace = Workplace::open(options(&dir));
        let units = workplace.read(|db| db.list_units()).unwrap();
        assert!(!units.is_empty() && lock(&workplace.start_check).is_some(), "read while the check runs");
        // A year the kept progress is not for yet: kept first (a write), after the check.
        let next_year = chrono::NaiveDate::from_ymd_opt(2031, 1, 6).unwrap();
        workplace.read(|db| db.reminders(next_year)).unwrap();
        assert!(lock(&workplace.start_check).is_none(), "the check has ended");
        assert!(workplace.with(|db| db.is_empty()).map(|empty| !empty).unwrap(), "and the connection writes again");
        workplace.with(|db| db.set_office_name("精河县人民政府办公室")).unwrap();
        drop(workplace);
        closed(temp);
    }

    #[test]
    fn a_fault_in_a_command_becomes_a_message_and_the_ledger_stays_usable() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().to_path_buf();
        let workplace = Workplace::open(options(&dir));
        let error = workplace.with(|_| -> Result<()> { panic!("一个程序错误") }).expect_err("an error, not a crash");
        assert!(matches!(error, Error::Panicked(_)));
        assert!(error.to_string().starts_with("程序内部出错，这一步没有完成，台账没有改动。"), "{error}");
        workplace.with(|db| db.list_units()).expect("the ledger answers after the fault");
        drop(workplace);
        closed(temp);
    }

    #[test]
    fn a_check_is_cancelled_while_it_runs_without_the_ledger_held() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().to_path_buf();
        let workplace = Workplace::open(options(&dir));
        let session = workplace
            .with(|db| db.create_session(&crate::model::SessionInput { kind: "建议".into(), level: "州".into(), year: "2025".into(), name: "州十六届人大二次会议".into() }))
            .unwrap();
        let mut csv = String::from("编号,标题,领衔人,主办单位\n");
        for n in 1..19_000 {
            csv += &format!("{n},关于第{n}项工作的建议,美志高,精河县发展和改革委员会\n");
        }
        workplace.read_import_file("大清单.csv", csv.as_bytes()).unwrap();
        let options = ImportOptions { session_id: Some(session), create_units: true, ..Default::default() };
        std::thread::scope(|scope| {
            let check = scope.spawn(|| workplace.preview_import(&options));
            while workplace.import_progress().done == 0 {
                std::thread::yield_now();
            }
            // The check runs on the list alone: the ledger answers meanwhile.
            workplace.with(|db| db.list_units()).expect("the ledger is free while the rows are checked");
            workplace.cancel_import();
            assert!(matches!(check.join().unwrap(), Err(Error::Cancelled)));
        });
        drop(workplace);
        closed(temp);
    }

    #[test]
    fn the_backup_folder_is_remembered_beside_the_data_and_a_restore_needs_a_chosen_file() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().to_path_buf();
        let workplace = Workplace::open(options(&dir));
        let chosen = dir.join("U盘");
        assert_eq!(workplace.set_backup_folder(chosen.clone()).unwrap(), chosen.display().to_string());
        assert_eq!(std::fs::read_to_string(dir.join(BACKUP_FOLDER_FILE)).unwrap(), chosen.display().to_string());
        assert_eq!(workplace.safety_status().unwrap().backup_folder, chosen.display().to_string());
        drop(workplace);
        let again = Workplace::open(options(&dir));
        assert_eq!(again.safety_status().unwrap().backup_folder, chosen.display().to_string(), "read back at the next start");
        assert_eq!(again.restore_chosen().unwrap_err().to_string(), "请先选择要恢复的备份文件。");
        assert!(again.manual_backup_name().ends_with("_手动.sqlite3"));
        drop(again);
        closed(temp);
    }
}
