//! The case database: one SQLite file per installation. Opening it sets the per-connection
//! pragmas, refuses a file written by a newer program (touching nothing), and brings an older
//! file up to date with the embedded, additive migrations.

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

/// The file name inside the data folder.
pub const DB_FILE_NAME: &str = "taizhang.sqlite3";

/// Every schema change ever released, in order. Never edit a released one; add the next.
static MIGRATION_STEPS: LazyLock<Vec<M<'static>>> = LazyLock::new(|| {
    vec![
        M::up(include_str!("../migrations/001_initial.sql")),
        M::up(include_str!("../migrations/002_workflow.sql")),
        M::up(include_str!("../migrations/003_replies.sql")),
        M::up(include_str!("../migrations/004_safety.sql")),
        M::up(include_str!("../migrations/005_kept_work.sql")),
        M::up(include_str!("../migrations/006_search.sql")),
        M::up(include_str!("../migrations/007_figures_and_order.sql")),
        M::up(include_str!("../migrations/008_closed_years_and_sources.sql")),
        M::up(include_str!("../migrations/009_similar_and_links.sql")),
        M::up(include_str!("../migrations/010_kept_figures.sql")),
        M::up(include_str!("../migrations/011_search_pairs.sql")),
        M::up(include_str!("../migrations/012_export_check_codes.sql")),
        M::up(include_str!("../migrations/013_screens_read_the_work_at_hand.sql")),
        M::up_with_hook(include_str!("../migrations/014_log_search.sql"), |tx: &rusqlite::Transaction| {
            Ok(crate::queries::search::index_earlier_entries(tx)?)
        }),
    ]
});

/// The migrations, run in order (a step with Rust to run makes the list a static built once).
pub static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| Migrations::from_slice(&MIGRATION_STEPS));

/// The schema version this program writes (`PRAGMA user_version`).
pub fn schema_version() -> i64 {
    MIGRATION_STEPS.len() as i64
}

/// An open case database. One clerk, one connection: the shell keeps it behind a mutex.
pub struct Db {
    pub(crate) conn: Connection,
    /// Who makes the changes, for the operation log: the Windows user name.
    pub(crate) user: String,
    /// Where the program's own backups go (before an import, a restore, an upgrade, and
    /// daily); none for a database in memory.
    pub(crate) backups: Option<PathBuf>,
    /// The similarity index as last built, and the count of word changes it was built at
    /// (similar.rs).
    pub(crate) similar: std::cell::RefCell<Option<(i64, std::sync::Arc<crate::likeness::SimilarIndex>)>>,
}

/// The name of the user logged in to the PC (USERNAME on Windows, USER or LOGNAME elsewhere).
pub fn current_user() -> String {
    ["USERNAME", "USER", "LOGNAME"].iter().find_map(|v| std::env::var(v).ok().filter(|u| !u.trim().is_empty())).unwrap_or_else(|| "未知用户".into())
}

/// A connection's settings (see [`Db::pragmas`]).
#[derive(Debug)]
pub struct Pragmas {
    pub foreign_keys: i64,
    pub synchronous: i64,
    pub busy_timeout_ms: i64,
    /// Negative: in KiB.
    pub cache_size: i64,
    pub mmap_size: i64,
}

impl Db {
    /// Opens (or creates) the database file at `path`. A file written by a newer program,
    /// one that is not a ledger and one that fails `quick_check` are refused and left as
    /// they are.
    pub fn open(path: &Path) -> Result<Db> {
        Self::open_examined(path, Check::Now, |_, _| Ok(())).map(|(db, _)| db)
    }

    /// Opens as [`Db::open`] does, and hands `before_writing` the read-only look at an
    /// existing file (its connection and schema version) before anything can write to it:
    /// where the copy before an upgrade is made. Returns whether `quick_check` was left to
    /// the caller ([`Check::Deferred`]).
    pub(crate) fn open_examined(path: &Path, check: Check, before_writing: impl FnOnce(&Connection, i64) -> Result<()>) -> Result<(Db, bool)> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // NOTE: the file is examined on a read-only connection before anything can write,
        // so a newer or damaged file is left exactly as it was (not even a WAL file is made).
        if path.exists() {
            let probe = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            let version = check_not_newer(&probe).map_err(|e| match e {
                Error::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                    if f.code == rusqlite::ErrorCode::NotADatabase =>
                {
                    Error::NotOurDatabase(format!("“{}”不是本程序的数据文件（不是 SQLite 数据库），未做任何改动。", path.display()))
                }
                other => other,
            })?;
            // Only a file of this version already in WAL mode can wait for its check: opening
            // it writes nothing (no upgrade, no switch of journal), so it stays as it was.
            let journal: String = probe.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            let deferred = check == Check::Deferred && version == schema_version() && journal.eq_ignore_ascii_case("wal");
            if !deferred {
                check_file(&probe, path)?;
            }
            before_writing(&probe, version)?;
            return Ok((Self::prepare(Connection::open(path)?)?, deferred));
        }
        Ok((Self::prepare(Connection::open(path)?)?, false))
    }

    /// A database in memory with the full schema, for tests and previews.
    pub fn open_in_memory() -> Result<Db> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Db> {
        conn.busy_timeout(Duration::from_secs(5))?;
        // NOTE: every transaction of ours writes, and begins IMMEDIATE: one begun DEFERRED
        // reads first, and when another connection (the daily backup's, in the background)
        // commits before it writes, SQLite refuses its write at once (SQLITE_BUSY_SNAPSHOT,
        // no busy wait) and the clerk is told the ledger is in use. Seen under load in
        // command_tests::a_table_of_chosen_streams_is_saved_through_the_stand_in_dialog.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A decade of a prefecture's items is a few hundred MB: a 32 MB page cache (the
        // default is 2 MB) keeps the pages the screens read from the file in memory.
        conn.pragma_update(None, "cache_size", -32_000)?;
        // No memory map (set, not left to the build's default): measured at 50,000 items
        // (ledger-bench, 433 MB file) a 256 MB map made no screen faster beyond the noise
        // between runs, rebuilt the similar-items index slower (152–180 ms against 106–118)
        // and added 19 MB to the process; and an I/O error on a mapped file (a failing USB
        // disk) crashes the program instead of becoming an error to show (SQLite's mmap notes).
        // The pragma answers with a row for a file and with none in memory.
        conn.prepare("PRAGMA mmap_size = 0")?.query([])?.next()?;
        // A write of one item runs a few dozen statements, each kept prepared: with the
        // default room for 16, an import of 1,000 rows prepared most of them again each row.
        conn.set_prepared_statement_cache_capacity(64);
        let found = check_not_newer(&conn)?;
        // NOTE: the upgrade runs before the switch to WAL, in one transaction: a file that
        // cannot be upgraded is rolled back and left as it was, to be replaced from a backup.
        MIGRATIONS.to_latest(&mut conn).map_err(|_| {
            let name = conn.path().unwrap_or_default().to_string();
            Error::Damaged(format!("台账数据文件“{name}”无法升级到本程序的数据结构（文件中是第 {found} 版，本程序是第 {} 版），可能被别的程序改动过。程序没有改动它。", schema_version()))
        })?;
        // journal_mode returns a row, so it is read rather than executed.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        Ok(Db { conn, user: current_user(), backups: None, similar: Default::default() })
    }

    /// How SQLite will run `sql` (EXPLAIN QUERY PLAN), one step a line: the tests check that
    /// the hot queries use their indexes. Values beyond the parameters `sql` has are left out.
    pub fn query_plan(&self, sql: &str, values: &[rusqlite::types::Value]) -> Result<String> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let values = rusqlite::params_from_iter(values.iter().take(stmt.parameter_count()));
        let steps = stmt.query_map(values, |r| r.get::<_, String>(3))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(steps.join("\n"))
    }

    /// Runs `call` with the connection unable to write (`PRAGMA query_only`): an attempt
    /// fails with SQLite's read-only error ([`Error::is_read_only`]) and changes nothing.
    pub(crate) fn read_only<T>(&self, call: impl FnOnce() -> T) -> Result<T> {
        self.conn.pragma_update(None, "query_only", true)?;
        let answer = call();
        self.conn.pragma_update(None, "query_only", false)?;
        Ok(answer)
    }

    /// The version of the schema in this file.
    pub fn user_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// The connection's settings, as SQLite reports them: the tests check each is set.
    pub fn pragmas(&self) -> Result<Pragmas> {
        let get = |name: &str| self.conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0));
        Ok(Pragmas {
            foreign_keys: get("foreign_keys")?,
            synchronous: get("synchronous")?,
            busy_timeout_ms: get("busy_timeout")?,
            cache_size: get("cache_size")?,
            mmap_size: get("mmap_size")?,
        })
    }

    /// True when the ledger holds no item and no unit yet (a fresh installation).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM items) AND NOT EXISTS (SELECT 1 FROM units)",
            [],
            |r| r.get(0),
        )?)
    }
}

/// The file's schema version, refused when newer than this program's.
fn check_not_newer(conn: &Connection) -> Result<i64> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > schema_version() {
        return Err(Error::NewerDatabase { found, supported: schema_version() });
    }
    Ok(found)
}

/// When a file's `quick_check` runs: before it is opened (always, but for the program's own
/// ledger at start), or just after, while nothing has written to it yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Now,
    Deferred,
}

/// Fails with [`Error::Damaged`] when `quick_check` finds the file at `path` (open read-only
/// as `probe`) damaged. SQLite's own words (English) stay out of the message.
pub fn check_file(probe: &Connection, path: &Path) -> Result<()> {
    if integrity(probe, "quick_check").is_ok_and(|found| found == "ok") {
        return Ok(());
    }
    Err(Error::Damaged(format!("台账数据文件“{}”已损坏（完整性检查未通过）。程序没有打开它，也没有改动它。", path.display())))
}

/// What `PRAGMA integrity_check` or `quick_check` says: "ok", or its first problems.
pub(crate) fn integrity(conn: &Connection, pragma: &str) -> Result<String> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let lines: Vec<String> = stmt.query_map([], |r| r.get(0))?.take(5).collect::<rusqlite::Result<_>>()?;
    Ok(lines.join("；"))
}

/// The local time as stored in `created_at`-style columns.
pub(crate) fn now_stamp() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().expect("the embedded migrations apply cleanly");
    }

    #[test]
    fn the_version_constant_counts_the_migrations() {
        let db = Db::open_in_memory().unwrap();
        assert_eq!(db.user_version().unwrap(), schema_version());
        let mut fresh = Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut fresh, schema_version() as usize).unwrap();
        assert!(MIGRATIONS.to_version(&mut fresh, schema_version() as usize + 1).is_err(), "no migration beyond the version");
    }
}
