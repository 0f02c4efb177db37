//! 备份与恢复: the ledger is the office's only record of a year's work, on one PC. Copies are
//! made with SQLite's online backup API (consistent even while the program writes), each
//! checked with `integrity_check` and recorded; the program's own copies go to a folder
//! outside the app-data folder (an uninstaller may offer to delete that one) and are kept
//! by rotation. A file to restore is examined first, read-only, and refused with its own
//! reason when it is not a whole, healthy ledger this program can read.

use crate::db::{integrity, schema_version};
use crate::error::{Error, Result};
use chrono::NaiveDateTime;
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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
        BeforeMerge = "合并单位前",
    }
}

/// What examining a ledger file found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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

/// Opens one of the program's own finished copies (a self-contained file, no WAL) read-only.
fn open_read_only(path: &Path) -> Result<Connection> {
    Ok(Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?)
}

/// A ledger file made ready to take the live ledger's place: read through SQLite with its
/// WAL or journal honoured (so exactly what was committed, nothing uncommitted), copied
/// into a file of its own, checked, brought up to this program's schema and checked
/// again. Nothing of it touches the live ledger; dropped unused, its file goes.
pub struct Candidate {
    path: PathBuf,
    /// What examining the file found (its schema version as it was in the file).
    pub check: FileCheck,
}

impl Drop for Candidate {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The page size the program's ledgers use (SQLite's default); a candidate is rebuilt to it,
/// since the backup API cannot copy between page sizes into a WAL ledger.
const PAGE_SIZE: i64 = 4096;

impl Candidate {
    /// Prepares `source` in a new file inside `work` (a folder on the same disk as the
    /// ledger). Each refusal says in Chinese why; the source is never written.
    pub fn prepare(source: &Path, work: &Path) -> Result<Candidate> {
        let name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let refuse = |why: &str| Error::NotOurDatabase(format!("“{name}”{why}没有恢复，当前数据未做任何改动。"));
        check_header(source, &refuse)?;
        std::fs::create_dir_all(work)?;
        let stamp = chrono::Local::now().format("%Y%m%d%H%M%S%f");
        let mut candidate = Candidate { path: work.join(format!("恢复检查_{}_{stamp}.sqlite3", std::process::id())), check: FileCheck::default() };
        let reading = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) =>
                refuse("正被另一个程序写入（有未完成的修改），请关闭那个程序后再试。"),
            Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly) =>
                refuse("的日志文件（同名的 -wal 或 -journal 文件）无法读取，可能所在的文件夹是只读的。请把它和同名的 -wal、-journal 文件一起复制到电脑上可写的文件夹后再选择，"),
            _ => refuse("已损坏，无法读取，"),
        };
        {
            // NOTE: an ordinary read-only connection, never `immutable`: SQLite then reads the
            // committed state, taking the WAL into account and waiting out (or refusing) a
            // writer that holds the file, instead of reading its half-written pages.
            let source = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(reading)?;
            source.busy_timeout(Duration::from_secs(3)).map_err(reading)?;
            let ours: bool = source
                .query_row("SELECT count(*) = 4 FROM sqlite_master WHERE type = 'table' AND name IN ('items', 'sessions', 'units', 'proposers')", [], |r| r.get(0))
                .map_err(reading)?;
            if !ours {
                return Err(refuse("是别的程序的数据库，不是建议提案台账的数据，"));
            }
            let mut copy = Connection::open(&candidate.path)?;
            Backup::new(&source, &mut copy)?.run_to_completion(256, Duration::from_millis(5), None).map_err(reading)?;
        }
        let mut copy = Connection::open(&candidate.path)?;
        let _mode: String = copy.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        let version: i64 = copy.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > schema_version() {
            return Err(Error::NewerDatabase { found: version, supported: schema_version() });
        }
        if integrity(&copy, "integrity_check").map_err(|_| refuse("已损坏，无法读取，"))? != "ok" {
            return Err(refuse("已损坏（完整性检查未通过），"));
        }
        if let Some(found) = foreign_schema(&copy, version)? {
            return Err(refuse(&format!("的数据结构与本程序第 {version} 版的不同（{found}），可能被别的程序改动过。恢复只取回数据，不取回别处带来的结构，所以")));
        }
        // The upgrade is tried here, on the copy: a file that looks like a ledger but cannot be
        // brought up to date is refused before it can take the live ledger's place.
        copy.pragma_update(None, "foreign_keys", "ON")?;
        if crate::db::MIGRATIONS.to_latest(&mut copy).is_err() {
            return Err(refuse(&format!("的数据结构（第 {version} 版）不是本程序写出的，无法升级到本程序的数据结构，")));
        }
        if let Some(found) = overlong(&copy)? {
            return Err(refuse(&format!("中有本程序不会写入的过长内容（{found}），可能被别的程序改动过，")));
        }
        let page_size: i64 = copy.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        if page_size != PAGE_SIZE {
            copy.execute_batch(&format!("PRAGMA page_size = {PAGE_SIZE}; VACUUM;"))?;
        }
        let after = integrity(&copy, "integrity_check")?;
        let dangling: bool = copy.query_row("SELECT EXISTS (SELECT 1 FROM pragma_foreign_key_check)", [], |r| r.get(0))?;
        if after != "ok" || dangling {
            return Err(refuse("升级后检查未通过（数据之间的关联不完整），"));
        }
        candidate.check = FileCheck { schema_version: version, ..summary(&copy, after)? };
        Ok(candidate)
    }
}

impl Candidate {
    /// Writes the candidate over the live ledger's connection with the backup API: one
    /// SQLite write transaction, so a failure or a crash leaves the old ledger whole.
    pub(crate) fn swap_into(self, live: &mut Connection) -> Result<()> {
        let source = open_read_only(&self.path)?;
        Backup::new(&source, live)?.run_to_completion(256, Duration::from_millis(5), None)?;
        let _mode: String = live.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        Ok(())
    }
}

/// What a ledger's tables, indexes, views and triggers hold beyond, short of or unlike what
/// this program's migrations make for its `version`, said in Chinese; `None` when they are
/// exactly those. A restore brings data, never code: a trigger, view or table that came
/// with a file (one that empties the operation log, say) must not come into the ledger.
fn foreign_schema(conn: &Connection, version: i64) -> Result<Option<String>> {
    let objects = |conn: &Connection| -> Result<BTreeMap<(String, String), String>> {
        let mut stmt = conn.prepare("SELECT type, name, ifnull(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")?;
        let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let mut made = Connection::open_in_memory()?;
    crate::db::MIGRATIONS.to_version(&mut made, usize::try_from(version).unwrap_or(0))?;
    let (expected, found) = (objects(&made)?, objects(conn)?);
    let kind = |t: &str| match t {
        "table" => "表",
        "index" => "索引",
        "view" => "视图",
        "trigger" => "触发器",
        _ => "对象",
    };
    let named = |((t, n), _): (&(String, String), &String)| format!("{}“{n}”", kind(t));
    let list = |what: &str, names: Vec<String>| (!names.is_empty()).then(|| format!("{what}{}", names.join("、")));
    let parts: Vec<String> = [
        list("多出", found.iter().filter(|(k, _)| !expected.contains_key(*k)).map(named).collect()),
        list("缺少", expected.iter().filter(|(k, _)| !found.contains_key(*k)).map(named).collect()),
        list("改动过", found.iter().filter(|(k, sql)| expected.get(*k).is_some_and(|e| e != *sql)).map(named).collect()),
    ].into_iter().flatten().collect();
    Ok((!parts.is_empty()).then(|| parts.join("；")))
}

/// The first text of a restored ledger that is longer than any way in lets it be (a form,
/// a list, a returned 反馈表), said with its length and bound; `None` when all fit.
fn overlong(conn: &Connection) -> Result<Option<String>> {
    use crate::validate::{MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_TITLE_CHARS};
    let checks = [
        ("单位名称", "SELECT max(length(name)) FROM units", MAX_NAME_CHARS),
        ("姓名或名称", "SELECT max(length(name)) FROM proposers", MAX_NAME_CHARS),
        ("标题", "SELECT max(length(title)) FROM items", MAX_TITLE_CHARS),
        ("件的备注", "SELECT max(length(note)) FROM items", MAX_NOTE_CHARS),
        ("办理环节的备注", "SELECT max(length(note)) FROM events", MAX_NOTE_CHARS),
    ];
    for (what, sql, most) in checks {
        let longest: Option<i64> = conn.query_row(sql, [], |r| r.get(0))?;
        if let Some(length) = longest.filter(|l| *l as usize > most) {
            return Ok(Some(format!("有{what}长 {length} 字，最多 {most} 字")));
        }
    }
    Ok(None)
}

/// The first checks, on the bytes: a SQLite file, and not cut short.
fn check_header(path: &Path, refuse: &dyn Fn(&str) -> Error) -> Result<()> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| refuse(&format!("打不开（{}），", crate::text::io_reason(&e))))?;
    let length = file.metadata()?.len();
    let mut header = [0u8; 100];
    if file.read_exact(&mut header).is_err() || &header[..16] != b"SQLite format 3\0" {
        return Err(refuse("不是台账数据文件（不是 SQLite 数据库），"));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        size => size as u64,
    };
    let pages = u32::from_be_bytes([header[28], header[29], header[30], header[31]]) as u64;
    // NOTE: in a WAL ledger the file may lag behind its -wal, so only a size that is not whole
    // pages, or shorter than the header says without a -wal beside it, shows a cut-off copy.
    let has_wal = PathBuf::from(format!("{}-wal", path.display())).exists();
    if page_size < 512 || length % page_size != 0 || (!has_wal && length < pages * page_size) {
        return Err(refuse("不完整（可能复制时中断或文件已损坏），"));
    }
    Ok(())
}

/// Examines a file the clerk wants to restore, as [`Candidate::prepare`] does, in the
/// system's temporary folder, and says what is in it. The file itself is never written.
pub fn inspect(path: &Path) -> Result<FileCheck> {
    Ok(Candidate::prepare(path, &std::env::temp_dir())?.check.clone())
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
/// the last 12 months; and every manual copy. Returns what it removed. A copy that cannot
/// be removed (on Windows, one another program holds open) stays until a later rotation:
/// the new backup, which an import or a restore waits on, is not failed for it.
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
        if !keep && std::fs::remove_file(&path).is_ok() {
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
///
/// The copy is first made whole on the disk under a name of its own, beside the ledger; only
/// then are the damaged files moved aside and the copy given the ledger's name. Where a
/// damaged file cannot be moved (on Windows, a file another program holds open cannot be
/// renamed), the files moved so far go back to their names and the copy is removed: the
/// folder is as it was, and the clerk is told why.
pub fn replace_damaged(db_path: &Path, copy: &Path) -> Result<FileCheck> {
    let check = inspect(copy)?;
    let incoming = PathBuf::from(format!("{}.恢复中", db_path.display()));
    std::fs::copy(copy, &incoming)?;
    // NOTE: opened for writing, since Windows flushes a file (FlushFileBuffers) only through a
    // handle that may write; a read-only handle is refused with "access denied".
    std::fs::OpenOptions::new().write(true).open(&incoming)?.sync_all()?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    for suffix in ["-wal", "-shm", ""] {
        let file = PathBuf::from(format!("{}{suffix}", db_path.display()));
        if !file.exists() {
            continue;
        }
        let aside = PathBuf::from(format!("{}.损坏-{stamp}{suffix}", db_path.display()));
        if let Err(e) = std::fs::rename(&file, &aside) {
            for (from, to) in moved.iter().rev() {
                let _ = std::fs::rename(to, from);
            }
            let _ = std::fs::remove_file(&incoming);
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            return Err(Error::Damaged(format!("“{name}”不能改名（{}），备份没有放回，文件都保持原样。请关闭可能打开它的程序（另一个窗口、杀毒或备份软件）后再试。", crate::text::io_reason(&e))));
        }
        moved.push((file, aside));
    }
    std::fs::rename(&incoming, db_path)?;
    Ok(check)
}
