//! The B items of earlier years (往年B类件), which a 回头看 follows each year until one finds
//! them solved: the list a page at a time and the counts the statistics give, read from the
//! kept progress through its index by day solved.

use crate::db::Db;
use crate::error::Result;
use crate::model::Stream;
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;

/// The B items of earlier years (before ?3) not solved before this one (?1), and those of
/// them solved in it (before ?2).
pub(crate) const CARRIED: &str = "SELECT count(*), ifnull(sum(solved_on < ?2), 0) FROM (
    SELECT solved_on FROM item_work WHERE reply_class = 'B' AND solved_on IS NULL AND year < ?3
    UNION ALL SELECT solved_on FROM item_work WHERE reply_class = 'B' AND solved_on >= ?1 AND year < ?3)";

/// A B item of an earlier year, as the 回头看 list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarriedItem {
    pub item_id: i64,
    pub year: i32,
    pub stream: String,
    pub number: String,
    pub title: String,
    pub lead_unit: Option<String>,
    pub replied_on: Option<NaiveDate>,
    pub doc_number: String,
    /// Every 回头看 so far: its date and the progress (the evidence when solved).
    pub lookbacks: Vec<(NaiveDate, String)>,
    /// When this year's 回头看 is due, while it is owed.
    pub due_on: Option<NaiveDate>,
    /// Set once a 回头看 recorded the item solved (it became A).
    pub solved_on: Option<NaiveDate>,
}

/// How many B items the 往年B类件 list shows at once.
pub const CARRIED_PAGE: usize = 200;

/// A page of the 往年B类件 list, with the counts of the whole list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarriedPage {
    pub total: usize,
    /// Still B, followed by this year's 回头看.
    pub following: usize,
    pub offset: usize,
    pub page_size: usize,
    pub rows: Vec<CarriedItem>,
}

/// The B items of earlier years (before ?1) still followed, and those solved since ?2 (their
/// item, day solved and year): two ranges of the index by day solved, read alone; the long
/// solved ones are not read.
pub(crate) const CARRIED_B: &str = "(SELECT item_id, solved_on, year FROM item_work WHERE reply_class = 'B' AND solved_on IS NULL AND year < ?1
        UNION ALL SELECT item_id, solved_on, year FROM item_work WHERE reply_class = 'B' AND solved_on >= ?2 AND year < ?1)";
/// The list's order: still followed first, then by year and item.
pub(crate) const CARRIED_ORDER: &str = "solved_on IS NOT NULL, year, item_id";

impl Db {
    /// A page of the items of earlier years replied as B, from the row at `offset`: every one
    /// still followed first, then those found solved since the start of last year (older
    /// solved ones are history, in the ledger). Read from the kept progress through its B
    /// index: the B items solved long ago are not even looked at.
    pub fn carried_b_items(&self, today: NaiveDate, offset: usize) -> Result<CarriedPage> {
        super::work::ensure(&self.conn, today.year())?;
        let this_year = today.year();
        let since = NaiveDate::from_ymd_opt(this_year - 1, 1, 1).unwrap_or(today);
        let (total, following): (usize, usize) = self
            .conn
            .prepare_cached(&format!("SELECT count(*), ifnull(sum(solved_on IS NULL), 0) FROM {CARRIED_B}"))?
            .query_row(rusqlite::params![this_year, since], |r| Ok((r.get(0)?, r.get(1)?)))?;
        // The page's items found first, then only they are read whole.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT i.id, s.year, s.level, s.kind, i.number, i.title, w.replied_on, w.doc_number, w.solved_on,
                (SELECT u.name FROM assignments a JOIN units u ON u.id = a.unit_id WHERE a.item_id = i.id AND a.role = '主办' ORDER BY a.position LIMIT 1),
                (SELECT p.due_on FROM pending_steps p WHERE p.item_id = i.id AND p.step = '回头看' ORDER BY p.position LIMIT 1)
             FROM (SELECT item_id, solved_on, year FROM {CARRIED_B} ORDER BY {CARRIED_ORDER} LIMIT {CARRIED_PAGE} OFFSET {offset}) b
             JOIN item_work w ON w.item_id = b.item_id JOIN items i ON i.id = b.item_id JOIN sessions s ON s.id = i.session_id
             ORDER BY b.solved_on IS NOT NULL, b.year, b.item_id"
        ))?;
        let rows = stmt.query_map(rusqlite::params![this_year, since], |r| {
            Ok(CarriedItem {
                item_id: r.get(0)?,
                year: r.get(1)?,
                stream: Stream { level: r.get(2)?, kind: r.get(3)? }.label(),
                number: r.get(4)?,
                title: r.get(5)?,
                replied_on: r.get(6)?,
                doc_number: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                solved_on: r.get(8)?,
                lead_unit: r.get(9)?,
                due_on: r.get(10)?,
                lookbacks: Vec::new(),
            })
        })?;
        let mut rows: Vec<CarriedItem> = rows.collect::<rusqlite::Result<_>>()?;
        // Every 回头看 of the page's items, oldest first, in one read.
        let ids = rows.iter().map(|r| r.item_id.to_string()).collect::<Vec<_>>().join(",");
        let mut stmt = self.conn.prepare(&format!(
            "SELECT item_id, happened_on, details FROM events WHERE item_id IN ({ids}) AND step = '回头看' AND voided = 0 ORDER BY happened_on, id"
        ))?;
        let mut lookbacks: HashMap<i64, Vec<(NaiveDate, String)>> = HashMap::new();
        for event in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, NaiveDate>(1)?, r.get::<_, String>(2)?)))? {
            let (item, day, details) = event?;
            if let Ok(crate::workflow::StepRecord::Lookback { progress, .. }) = serde_json::from_str(&details) {
                lookbacks.entry(item).or_default().push((day, progress));
            }
        }
        for row in &mut rows {
            row.lookbacks = lookbacks.remove(&row.item_id).unwrap_or_default();
        }
        Ok(CarriedPage { total, following, offset, page_size: CARRIED_PAGE, rows })
    }
}

/// How many B items of the years before `year` were not solved before it, and how many of
/// them were solved in it (B 转 A).
pub(crate) fn counts(conn: &Connection, year: i32) -> Result<(u64, u64)> {
    let days = rusqlite::params![format!("{year}-01-01"), format!("{}-01-01", year + 1), year];
    Ok(conn.prepare_cached(CARRIED)?.query_row(days, |r| Ok((r.get(0)?, r.get(1)?)))?)
}
