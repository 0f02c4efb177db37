//! The `backups` table and the ledger's own copies: the daily copy, the copies before an
//! import, a restore and an upgrade, and the restore itself. The file work (copying,
//! checking, naming, rotating, preparing a file to restore) is in `backup.rs`; here is what
//! the ledger records of it.

use crate::model::LogKind;
use crate::backup::{copy_to, file_name, rotate, BackupReason, BackupRecord, Candidate, FileCheck};
use crate::db::{now_stamp, schema_version, Check, Db};
use crate::error::{Error, Result};
use super::log::{change, Logged};
use chrono::Timelike;
use rusqlite::OptionalExtension;
use std::path::{Path, PathBuf};

impl Db {
    /// Opens (or creates) the ledger at `path` as [`Db::open`] does; when the file needs a
    /// schema upgrade and `backups` names a folder, a checked copy is made there first.
    pub fn open_with(path: &Path, backups: Option<&Path>) -> Result<Db> {
        Self::open_checked(path, backups, Check::Now).map(|(db, _)| db)
    }

    /// Opens as [`Db::open_with`] does; with [`Check::Deferred`], the ledger's `quick_check`
    /// may be left to the caller (the program's start), which the `bool` says.
    pub fn open_checked(path: &Path, backups: Option<&Path>, check: Check) -> Result<(Db, bool)> {
        let mut upgrade_copy = None;
        let (mut db, deferred) = Db::open_examined(path, check, |probe, version| {
            if let (Some(folder), true) = (backups, version > 0 && version < schema_version()) {
                let copy = folder.join(file_name(BackupReason::BeforeUpgrade, chrono::Local::now().naive_local()));
                let check = copy_to(probe, &copy)?;
                upgrade_copy = Some((copy, check));
            }
            Ok(())
        })?;
        db.backups = backups.map(Path::to_path_buf);
        if let Some((copy, check)) = upgrade_copy {
            db.record_backup(&copy, BackupReason::BeforeUpgrade, &check)?;
        }
        Ok((db, deferred))
    }

    /// The folder of the program's own backups.
    pub fn backup_folder(&self) -> Option<&Path> {
        self.backups.as_deref()
    }

    /// Sends later backups to another folder (the clerk's choice).
    pub fn set_backup_folder(&mut self, folder: PathBuf) {
        self.backups = Some(folder);
    }

    /// Makes a copy in the backup folder, checks and records it, and removes older copies by
    /// [`rotate`]. A ledger without a backup folder (in memory) refuses.
    pub fn backup_now(&mut self, reason: BackupReason) -> Result<BackupRecord> {
        let folder = self.backups.clone().ok_or_else(|| Error::NotFound("没有设置备份文件夹。".into()))?;
        let now = chrono::Local::now().naive_local().with_nanosecond(0).expect("a time");
        let record = self.backup_to(&folder.join(file_name(reason, now)), reason)?;
        rotate(&folder, now)?;
        Ok(record)
    }

    /// Makes a copy at `path` (a file the clerk chose, or one of [`Db::backup_now`]),
    /// checks it, and records it.
    pub fn backup_to(&mut self, path: &Path, reason: BackupReason) -> Result<BackupRecord> {
        let check = copy_to(&self.conn, path)?;
        self.record_backup(path, reason, &check)
    }

    /// Records a copy and what checking it found.
    pub(crate) fn record_backup(&mut self, path: &Path, reason: BackupReason, check: &FileCheck) -> Result<BackupRecord> {
        let record = BackupRecord {
            at: now_stamp(),
            reason: reason.to_string(),
            path: path.display().to_string(),
            bytes: std::fs::metadata(path)?.len() as i64,
            items: check.items,
            check_ok: check.ok,
            check_result: check.integrity.clone(),
        };
        self.insert_backup(&record)?;
        Ok(record)
    }

    fn insert_backup(&mut self, record: &BackupRecord) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO backups (at, reason, path, bytes, items, check_ok, check_result) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![record.at, record.reason, record.path, record.bytes, record.items, record.check_ok, record.check_result],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The newest backup recorded.
    pub fn last_backup(&self) -> Result<Option<BackupRecord>> {
        Ok(self
            .conn
            .query_row("SELECT at, reason, path, bytes, items, check_ok, check_result FROM backups ORDER BY id DESC LIMIT 1", [], |r| {
                Ok(BackupRecord { at: r.get(0)?, reason: r.get(1)?, path: r.get(2)?, bytes: r.get(3)?, items: r.get(4)?, check_ok: r.get(5)?, check_result: r.get(6)? })
            })
            .optional()?)
    }

    /// True when the ledger has data and no copy was made in the last day.
    pub fn backup_due(&self) -> Result<bool> {
        let yesterday = (chrono::Local::now() - chrono::Duration::days(1)).format("%Y-%m-%d %H:%M:%S").to_string();
        Ok(!self.is_empty()? && self.conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM backups WHERE at > ?1 AND check_ok = 1)", [yesterday], |r| r.get(0))?)
    }

    /// Replaces the ledger with the file at `path`. The file is first made ready in full
    /// beside the ledger ([`Candidate::prepare`]: read as committed, checked, upgraded,
    /// checked again); then the current ledger is copied into the backup folder; the swap
    /// comes last, as one SQLite write transaction, so a failure or a crash at any point
    /// leaves the old ledger or the new one, never a mixture. The restore is logged in the
    /// restored ledger.
    pub fn restore_from(&mut self, path: &Path) -> Result<FileCheck> {
        let work = self.conn.path().and_then(|p| Path::new(p).parent()).map(Path::to_path_buf).unwrap_or_else(std::env::temp_dir);
        let candidate = Candidate::prepare(path, &work)?;
        let check = candidate.check.clone();
        let folder = self.backups.clone().ok_or_else(|| Error::NotFound("没有设置备份文件夹。".into()))?;
        let now = chrono::Local::now().naive_local().with_nanosecond(0).expect("a time");
        let before_path = folder.join(file_name(BackupReason::BeforeRestore, now));
        let before_check = copy_to(&self.conn, &before_path)?;
        candidate.swap_into(&mut self.conn)?;
        let before = self.record_backup(&before_path, BackupReason::BeforeRestore, &before_check)?;
        rotate(&folder, now)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let logged = Logged { kind: LogKind::Backup, action: "从备份恢复", target: name, item_id: None };
        self.record_log(&logged, &[
            change("恢复的文件", "", path.display().to_string()),
            change("件数", before.items.to_string(), check.items.to_string()),
            change("恢复前的数据已备份到", "", before.path),
        ])?;
        Ok(check)
    }
}
