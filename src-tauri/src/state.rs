//! The open ledger held by the app: one connection behind a mutex (one clerk, one writer),
//! or the reason it could not be opened, which the window then shows instead of the ledger.

use crate::error::{ApiError, ApiResult};
use ledger_core::Db;
use std::path::PathBuf;
use std::sync::Mutex;

pub struct Ledger {
    pub data_dir: PathBuf,
    db: Result<Mutex<Db>, String>,
    /// A fixed "today" (--today), so tests and demonstrations do not depend on the calendar.
    fixed_today: Option<chrono::NaiveDate>,
    /// The 交办清单 the clerk picked (name, bytes), kept between its preview and its import.
    pub import_file: Mutex<Option<(String, Vec<u8>)>>,
}

impl Ledger {
    /// Opens the database in `data_dir`, filling it with the demo year when asked and empty.
    pub fn open(data_dir: PathBuf, demo: bool, fixed_today: Option<chrono::NaiveDate>) -> Ledger {
        let db = Db::open(&data_dir.join(ledger_core::db::DB_FILE_NAME)).and_then(|mut db| {
            if demo && db.is_empty()? {
                ledger_core::demo::seed(&mut db)?;
            }
            Ok(db)
        });
        Ledger { data_dir, db: db.map(Mutex::new).map_err(|e| e.to_string()), fixed_today, import_file: Mutex::new(None) }
    }

    /// The day deadlines are counted from.
    pub fn today(&self) -> chrono::NaiveDate {
        self.fixed_today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Why the database could not be opened, if it could not.
    pub fn startup_error(&self) -> Option<&str> {
        self.db.as_ref().err().map(String::as_str)
    }

    /// Runs one core call on the database and maps its error for the UI.
    pub fn with<T>(&self, call: impl FnOnce(&mut Db) -> ledger_core::Result<T>) -> ApiResult<T> {
        let db = self.db.as_ref().map_err(|reason| ApiError::new("no_database", reason.clone()))?;
        // A panic while holding the lock cannot leave a half-written transaction (SQLite rolls
        // it back), so a poisoned lock is safe to use again.
        let mut db = db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(call(&mut db)?)
    }
}
