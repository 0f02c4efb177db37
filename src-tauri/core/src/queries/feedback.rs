//! The `feedback_exports` table: each 办理情况反馈表 sent to a unit, with the locked cells
//! of its rows as they were sent, and the ledger's own identity (a setting), so that a file
//! that comes back is known as this ledger's, this export's, and checked cell by cell.

use crate::db::{now_stamp, Db};
use crate::error::Result;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

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

/// Records an export of `rows` to `unit_id`; returns its id.
pub(crate) fn record_export(tx: &Transaction, unit_id: i64, made_on: chrono::NaiveDate, rows: &[SentRow]) -> Result<i64> {
    tx.execute(
        "INSERT INTO feedback_exports (unit_id, made_at, made_on, items) VALUES (?1, ?2, ?3, ?4)",
        params![unit_id, now_stamp(), made_on, serde_json::to_string(rows).expect("rows serialise")],
    )?;
    Ok(tx.last_insert_rowid())
}

impl Db {
    /// The ledger's identity, if a file ever went out.
    pub fn known_ledger_id(&self) -> Result<Option<String>> {
        self.setting(LEDGER_ID)
    }

    /// An export by its id.
    pub fn sent_export(&self, id: i64) -> Result<Option<SentExport>> {
        let found: Option<(i64, String, chrono::NaiveDate, String)> = self
            .conn
            .query_row("SELECT unit_id, made_at, made_on, items FROM feedback_exports WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        Ok(found.map(|(unit_id, made_at, made_on, items)| SentExport { id, unit_id, made_at, made_on, rows: serde_json::from_str(&items).unwrap_or_default() }))
    }

    /// When the newest export to a unit was made, and its id.
    pub fn latest_export(&self, unit_id: i64) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn
            .query_row("SELECT id, made_at FROM feedback_exports WHERE unit_id = ?1 ORDER BY id DESC LIMIT 1", [unit_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }
}
