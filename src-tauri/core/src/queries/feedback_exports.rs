//! The `feedback_exports` table: each 办理情况反馈表 sent to a unit, with the locked cells
//! of its rows as they were sent, and the ledger's own identity (a setting), so that a file
//! that comes back is known as this ledger's, this export's, and checked cell by cell.

use crate::db::{now_stamp, Db};
use crate::error::Result;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The setting holding the ledger's identity.
const LEDGER_ID: &str = "ledger_id";

/// The locked cells of one row as exported: what a returned row must still say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRow {
    pub item_id: i64,
    pub session: String,
    pub number: String,
    pub title: String,
    pub proposer: String,
    pub role: String,
    /// The fill-in columns sent locked, by header, with the text they showed ("—" where the
    /// step is not the unit's, "已签收" where it was recorded); the others were open. `None`
    /// for exports made before this was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked: Option<BTreeMap<String, String>>,
}

/// One export as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentExport {
    pub id: i64,
    pub unit_id: i64,
    pub made_at: String,
    /// The day the program counted from when it was made.
    pub made_on: chrono::NaiveDate,
    pub rows: Vec<SentRow>,
    /// The code the file's identity sheet must carry (none for exports made before codes).
    pub check_code: Option<String>,
}

/// The ledger's identity: made once, the first time a file goes out, and kept in the
/// ledger (a backup carries it, so a restored ledger still knows its files).
pub(crate) fn ledger_id(tx: &Transaction) -> Result<String> {
    let kept: Option<String> = tx.query_row("SELECT value FROM settings WHERE key = ?1", [LEDGER_ID], |r| r.get(0)).optional()?;
    if let Some(id) = kept {
        return Ok(id);
    }
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    let id = format!("{:016x}{:08x}", nanos as u64, std::process::id());
    tx.execute("INSERT INTO settings (key, value) VALUES (?1, ?2)", params![LEDGER_ID, id])?;
    Ok(id)
}

/// Records an export of `rows` to `unit_id`; returns its id and its check code.
pub(crate) fn record_export(tx: &Transaction, unit_id: i64, made_on: chrono::NaiveDate, rows: &[SentRow]) -> Result<(i64, String)> {
    // A code nobody can guess from the file's other cells: the standard library's hasher
    // is keyed from the system's random source in each process.
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_i64(unit_id);
    hasher.write(now_stamp().as_bytes());
    let code = format!("{:016x}", hasher.finish());
    tx.execute(
        "INSERT INTO feedback_exports (unit_id, made_at, made_on, items, check_code) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![unit_id, now_stamp(), made_on, serde_json::to_string(rows).expect("rows serialise"), code],
    )?;
    Ok((tx.last_insert_rowid(), code))
}

impl Db {
    /// The ledger's identity, if a file ever went out.
    pub fn known_ledger_id(&self) -> Result<Option<String>> {
        self.setting(LEDGER_ID)
    }

    /// An export by its id.
    pub fn sent_export(&self, id: i64) -> Result<Option<SentExport>> {
        let found: Option<(i64, String, chrono::NaiveDate, String, Option<String>)> = self
            .conn
            .query_row("SELECT unit_id, made_at, made_on, items, check_code FROM feedback_exports WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        Ok(found.map(|(unit_id, made_at, made_on, items, check_code)| SentExport {
            id, unit_id, made_at, made_on, rows: serde_json::from_str(&items).unwrap_or_default(), check_code,
        }))
    }

    /// When the newest export to a unit was made, and its id.
    pub fn latest_export(&self, unit_id: i64) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn
            .query_row("SELECT id, made_at FROM feedback_exports WHERE unit_id = ?1 ORDER BY id DESC LIMIT 1", [unit_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }
}
