//! 备份与恢复: the ledger is the office's only record of a year's work, on one PC. Copies are
//! made with SQLite's online backup API (consistent even while the program writes), each
//! checked with `integrity_check` and recorded; the program's own copies go to a folder
//! outside the app-data folder (an uninstaller may offer to delete that one) and are kept
//! by rotation. A file to restore is examined first, read-only, and refused with its own
//! reason when it is not a whole, healthy ledger this program can read.

use crate::db::{now_stamp, schema_version, Db};
use crate::error::{Error, Result};
use crate::queries::log::{change, LogKind, Logged};
use chrono::{NaiveDateTime, Timelike};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

chinese_enum! {
    /// Why a backup was made.
    BackupReason {
        Daily = "自动",
        Manual = "手动",
        BeforeImport = "导入前",
        BeforeRestore = "恢复前",
        BeforeUpgrade = "升级前",
    }
}

/// What examining a ledger file found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileCheck {
    pub schema_version: i64,
    /// integrity_check's answer: "ok", or the first problems it found.
    pub integrity: String,
    pub ok: bool,
    pub items: i64,
    /// Items (recycle bin included) per session year, newest first.
    pub items_by_year: Vec<(i32, i64)>,
    pub units: i64,
    /// The newest entry of its operation log, when it has one.
    pub last_change: Option<String>,
}

/// A backup the program made, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupRecord {
    pub at: String,
    pub reason: String,
    pub path: String,
    pub bytes: i64,
    pub items: i64,
    pub check_ok: bool,
    pub check_result: String,
}

const FILE_PREFIX: &str = "台账备份_";
const FILE_SUFFIX: &str = ".sqlite3";

/// 台账备份_20250415-093012_自动.sqlite3: sorts by time, says why.
pub fn file_name(reason: BackupReason, at: NaiveDateTime) -> String {
    format!("{FILE_PREFIX}{}_{reason}{FILE_SUFFIX}", at.format("%Y%m%d-%H%M%S"))
}

/// When a file of ours was made and why, from its name.
fn parse_name(name: &str) -> Option<(NaiveDateTime, String)> {
    let rest = name.strip_prefix(FILE_PREFIX)?.strip_suffix(FILE_SUFFIX)?;
    let (stamp, reason) = rest.split_once('_')?;
    Some((NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?, reason.to_string()))
}

/// What `PRAGMA integrity_check` or `quick_check` says: "ok", or its first problems.
pub(crate) fn integrity(conn: &Connection, pragma: &str) -> Result<String> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let lines: Vec<String> = stmt.query_map([], |r| r.get(0))?.take(5).collect::<rusqlite::Result<_>>()?;
    Ok(lines.join("；"))
}

/// The counts of a ledger file (our schema is known to be there).
fn summary(conn: &Connection, integrity: String) -> Result<FileCheck> {
    let schema_version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let mut stmt = conn.prepare("SELECT s.year, count(*) FROM items i JOIN sessions s ON s.id = i.session_id GROUP BY s.year ORDER BY s.year DESC")?;
    let items_by_year: Vec<(i32, i64)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let has_log: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'operation_log')", [], |r| r.get(0))?;
    let last_change = if has_log { conn.query_row("SELECT max(at) FROM operation_log", [], |r| r.get(0))? } else { None };
    Ok(FileCheck {
        schema_version,
        ok: integrity == "ok",
        integrity,
        items: items_by_year.iter().map(|(_, n)| n).sum(),
        items_by_year,
        units: conn.query_row("SELECT count(*) FROM units", [], |r| r.get(0))?,
        last_change,
    })
}

/// Copies a database into `dest` with the online backup API, as one self-contained file
/// (rollback journal, not WAL), then checks the copy.
pub(crate) fn copy_to(conn: &Connection, dest: &Path) -> Result<FileCheck> {
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = dest.with_extension("part");
    let _ = std::fs::remove_file(&partial);
    {
        let mut copy = Connection::open(&partial)?;
        Backup::new(conn, &mut copy)?.run_to_completion(256, Duration::from_millis(5), None)?;
        let _mode: String = copy.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    }
    // NOTE: the copy gets its real name only once it is whole, so a backup cut short (power
    // gone, program killed) never looks like a good one.
    std::fs::rename(&partial, dest)?;
    let copy = open_read_only(dest)?;
    let found = integrity(&copy, "integrity_check")?;
    summary(&copy, found)
}

/// Opens a file read-only without touching it: no journal, no WAL or lock files.
fn open_read_only(path: &Path) -> Result<Connection> {
    let uri = format!("file:{}?immutable=1", path.display().to_string().replace('%', "%25").replace('?', "%3f").replace('#', "%23"));
    Ok(Connection::open_with_flags(uri, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX)?)
}

/// Examines a file the clerk wants to restore, read-only: is it a SQLite file, whole, a
/// ledger of this program, not newer than it, healthy; and what is in it. Each refusal
/// says why in Chinese.
pub fn inspect(path: &Path) -> Result<FileCheck> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let refuse = |why: &str| Error::NotOurDatabase(format!("“{name}”{why}没有恢复，当前数据未做任何改动。"));
    let bytes = std::fs::read(path).map_err(|e| refuse(&format!("打不开（{e}），")))?;
    if bytes.len() < 100 || &bytes[..16] != b"SQLite format 3\0" {
        return Err(refuse("不是台账数据文件（不是 SQLite 数据库），"));
    }
    let page_size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
        1 => 65536,
        size => size as usize,
    };
    let pages = u32::from_be_bytes([bytes[28], bytes[29], bytes[30], bytes[31]]) as usize;
    if page_size < 512 || bytes.len() % page_size != 0 || bytes.len() < pages * page_size {
        return Err(refuse("不完整（可能复制时中断或文件已损坏），"));
    }
    let conn = open_read_only(path)?;
    let ours: bool = conn
        .query_row(
            "SELECT count(*) = 4 FROM sqlite_master WHERE type = 'table' AND name IN ('items', 'sessions', 'units', 'proposers')",
            [],
            |r| r.get(0),
        )
        .map_err(|_| refuse("已损坏，无法读取，"))?;
    if !ours {
        return Err(refuse("是别的程序的数据库，不是建议提案台账的数据，"));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > schema_version() {
        return Err(Error::NewerDatabase { found: version, supported: schema_version() });
    }
    let found = integrity(&conn, "integrity_check").map_err(|_| refuse("已损坏，无法读取，"))?;
    if found != "ok" {
        return Err(refuse("已损坏（完整性检查未通过），"));
    }
    summary(&conn, found)
}

/// The program's copies in `folder` (files named by [`file_name`]), newest first, with when
/// and why each was made. Other files are left out.
fn copies(folder: &Path) -> Result<Vec<(NaiveDateTime, String, PathBuf)>> {
    let mut files: Vec<(NaiveDateTime, String, PathBuf)> = std::fs::read_dir(folder)?
        .filter_map(|e| e.ok())
        .filter_map(|e| parse_name(&e.file_name().to_string_lossy()).map(|(at, reason)| (at, reason, e.path())))
        .collect();
    files.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(files)
}

/// Removes the program's older copies from `folder`: it keeps every copy of the last 7
/// days, the newest of each of the last 30 days that have one, and the newest of each of
/// the last 12 months; and every manual copy. Returns what it removed.
pub fn rotate(folder: &Path, now: NaiveDateTime) -> Result<Vec<PathBuf>> {
    let (mut days, mut months) = (Vec::new(), Vec::new());
    let mut removed = Vec::new();
    for (at, reason, path) in copies(folder)? {
        let day = at.date();
        let month = (day.format("%Y-%m")).to_string();
        let mut keep = reason == BackupReason::Manual.as_str() || now - at < chrono::Duration::days(7);
        if !days.contains(&day) && days.len() < 30 {
            days.push(day);
            keep = true;
        }
        if !months.contains(&month) && months.len() < 12 {
            months.push(month);
            keep = true;
        }
        if !keep {
            std::fs::remove_file(&path)?;
            removed.push(path);
        }
    }
    Ok(removed)
}

/// The newest copy in `folder` that is whole and healthy, with what is in it.
pub fn latest_good(folder: &Path) -> Option<(PathBuf, FileCheck)> {
    copies(folder).ok()?.into_iter().find_map(|(_, _, path)| inspect(&path).ok().map(|check| (path, check)))
}

/// Puts a good copy in place of a ledger file that cannot be used: the damaged file (and
/// its WAL and shared-memory files) is kept beside it under a new name, never deleted.
pub fn replace_damaged(db_path: &Path, copy: &Path) -> Result<FileCheck> {
    let check = inspect(copy)?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", db_path.display()));
        if file.exists() {
            std::fs::rename(&file, format!("{}.损坏-{stamp}{suffix}", db_path.display()))?;
        }
    }
    std::fs::copy(copy, db_path)?;
    std::fs::File::open(db_path)?.sync_all()?;
    Ok(check)
}

impl Db {
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

    /// Replaces the ledger with the file at `path` after examining it ([`inspect`]) and
    /// copying the current ledger into the backup folder. The whole file comes in or nothing does;
    /// an older file is brought up to date; the restore is logged in the restored ledger.
    pub fn restore_from(&mut self, path: &Path) -> Result<FileCheck> {
        let check = inspect(path)?;
        let before = self.backup_now(BackupReason::BeforeRestore)?;
        let source = open_read_only(path)?;
        Backup::new(&source, &mut self.conn)?.run_to_completion(256, Duration::from_millis(5), None)?;
        let _mode: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        crate::db::MIGRATIONS.to_latest(&mut self.conn)?;
        // The record of the copy made before was in the ledger just replaced.
        self.insert_backup(&before)?;
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
