//! The reads behind the views (views.rs): the items with their units and kept progress, the
//! pending steps in each part of the reminder board, a unit's counts. Only SQL and rows: the
//! days left, the parts' totals after the snoozes and the task lists' order are reckoned in
//! views.rs for the day asked.

use crate::db::Db;
use crate::error::Result;
use crate::model::{BoardSection, CountyRole, Kind, Level, UnitRole};
use crate::queries::work::{self, KeptWork};
use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Statement};
use serde::Serialize;
use std::collections::HashMap;

/// Which items a view reads.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ItemsOf {
    One(i64),
    /// The items with a step pending for a unit: its task list's and its 反馈表's.
    WaitingForUnit(i64),
}

impl ItemsOf {
    /// The condition on items `i` (and their sessions `s`), with its value for ?1.
    fn condition(self) -> (&'static str, Value) {
        match self {
            ItemsOf::One(id) => ("i.id = ?1", Value::from(id)),
            ItemsOf::WaitingForUnit(unit) => ("i.id IN (SELECT item_id FROM pending_steps WHERE unit_id = ?1)", Value::from(unit)),
        }
    }
}

/// A unit on an item, as task lists and reminders show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitOnItem {
    pub unit_id: i64,
    pub unit_name: String,
    pub role: UnitRole,
    pub handler: String,
    pub phone: String,
}

/// An item as the views name it, with its session's stream and year, its units and its kept
/// progress.
pub(crate) struct KeptItem {
    pub id: i64,
    pub kind: Kind,
    pub level: Level,
    pub year: i32,
    pub number: String,
    pub title: String,
    pub county_role: CountyRole,
    /// The session's name and the first proposer (the 反馈表 shows both).
    pub session_name: String,
    pub lead_proposer: String,
    pub units: Vec<UnitOnItem>,
    pub work: KeptWork,
}

/// A pending step in a part of the reminder board, with its item and its running snooze.
pub(crate) struct BoardRow {
    pub item_id: i64,
    pub step: crate::workflow::Step,
    pub label: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub due_on: NaiveDate,
    pub overridden: bool,
    pub snoozed_until: Option<NaiveDate>,
    pub snooze_note: Option<String>,
    pub number: String,
    pub title: String,
    pub kind: Kind,
    pub level: Level,
    pub year: i32,
}

/// One line of the units overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitSummary {
    pub unit_id: i64,
    pub unit_name: String,
    pub active: bool,
    pub lead: usize,
    pub assist: usize,
    pub done: usize,
    pub open: usize,
    pub overdue: usize,
}

/// The latest snooze still running (?1 is today) of a pending step `p`.
const RUNNING_SNOOZE: &str = "z.id = (SELECT max(id) FROM snoozes WHERE item_id = p.item_id AND step = p.step AND unit_id IS p.unit_id AND until > ?1)";

/// The snoozed steps: read from the few snoozes (CROSS JOIN keeps SQLite from reading every
/// pending step to look for a snooze), each with the pending step it puts off.
const SNOOZED_STEPS: &str = "FROM snoozes z CROSS JOIN pending_steps p ON p.item_id = z.item_id AND p.step = z.step AND p.unit_id IS z.unit_id";

/// The pending steps `p` (with their running snooze `z`) in a part of the board, with ?1
/// today, ?2 a week from today and ?3 three days from today (see [`board_dates`]): the
/// tables and the condition.
fn section_steps(section: BoardSection) -> (String, String) {
    let not_snoozed = |days: &str| (format!("FROM pending_steps p LEFT JOIN snoozes z ON {RUNNING_SNOOZE}"), format!("{days} AND z.id IS NULL"));
    match section {
        BoardSection::Overdue => not_snoozed("p.due_on < ?1"),
        BoardSection::DueToday => not_snoozed("p.due_on = ?1"),
        BoardSection::Within3 => not_snoozed("p.due_on > ?1 AND p.due_on <= ?3"),
        BoardSection::Within7 => not_snoozed("p.due_on > ?3 AND p.due_on <= ?2"),
        BoardSection::Snoozed => (SNOOZED_STEPS.to_string(), format!("{RUNNING_SNOOZE} AND p.due_on <= ?2")),
    }
}

/// The days the board's conditions take: today, a week from today, three days from today.
fn board_dates(today: NaiveDate) -> [NaiveDate; 3] {
    [today, today + chrono::Days::new(7), today + chrono::Days::new(3)]
}

/// The board's days for a statement, as many as it uses (a part's condition may not need
/// all three, and SQLite refuses a value for a parameter a statement does not have).
fn dates_for(stmt: &Statement, today: NaiveDate) -> Vec<NaiveDate> {
    board_dates(today).into_iter().take(stmt.parameter_count()).collect()
}

impl Db {
    /// The items (not in the recycle bin) `which` names, with their units and their progress
    /// kept as of `today`'s work year, ordered by year and id.
    pub(crate) fn kept_items(&self, today: NaiveDate, which: ItemsOf) -> Result<Vec<KeptItem>> {
        work::ensure(&self.conn, today.year())?;
        let (filter, value) = which.condition();
        let values = [value];
        let mut kept: HashMap<i64, KeptWork> = work::read(&self.conn, filter, &values)?.into_iter().map(|k| (k.item_id, k)).collect();

        let mut units: HashMap<i64, Vec<UnitOnItem>> = HashMap::new();
        let sql = format!(
            "SELECT a.item_id, a.unit_id, u.name, a.role, a.handler, a.phone FROM assignments a JOIN units u ON u.id = a.unit_id
             JOIN items i ON i.id = a.item_id JOIN sessions s ON s.id = i.session_id WHERE {filter} ORDER BY a.item_id, a.role = '协办', a.position"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        for row in stmt.query_map(params_from_iter(&values), |r| {
            Ok((r.get::<_, i64>(0)?, UnitOnItem { unit_id: r.get(1)?, unit_name: r.get(2)?, role: r.get(3)?, handler: r.get(4)?, phone: r.get(5)? }))
        })? {
            let (item, unit) = row?;
            units.entry(item).or_default().push(unit);
        }

        let sql = format!(
            "SELECT i.id, s.kind, s.level, s.year, i.number, i.title, i.county_role, s.name, ifnull(i.lead_proposer, '') FROM items i JOIN sessions s ON s.id = i.session_id
             WHERE i.deleted_at IS NULL AND {filter} ORDER BY s.year, i.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut items = Vec::new();
        let mut rows = stmt.query(params_from_iter(&values))?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let Some(work) = kept.remove(&id) else { continue };
            items.push(KeptItem {
                id,
                kind: r.get(1)?,
                level: r.get(2)?,
                year: r.get(3)?,
                number: r.get(4)?,
                title: r.get(5)?,
                county_role: r.get(6)?,
                session_name: r.get(7)?,
                lead_proposer: r.get(8)?,
                units: units.remove(&id).unwrap_or_default(),
                work,
            });
        }
        Ok(items)
    }

    /// How many steps not snoozed are due in each part of the board as of `today` (the
    /// snoozed part counted 0), counted by day from the deadlines' index alone; and the
    /// deadlines of the steps snoozed, which views.rs moves from their part to 已暂缓.
    pub(crate) fn board_counts(&self, today: NaiveDate) -> Result<([usize; 5], Vec<NaiveDate>)> {
        work::ensure(&self.conn, today.year())?;
        let totals: [usize; 5] = self.conn.prepare_cached(
            "SELECT ifnull(sum(due_on < ?1), 0), ifnull(sum(due_on = ?1), 0), ifnull(sum(due_on > ?1 AND due_on <= ?3), 0), ifnull(sum(due_on > ?3), 0), 0
             FROM pending_steps WHERE due_on <= ?2",
        )?.query_row(board_dates(today), |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]))?;
        let (steps, condition) = section_steps(BoardSection::Snoozed);
        let mut stmt = self.conn.prepare_cached(&format!("SELECT p.due_on {steps} WHERE {condition}"))?;
        let dates = dates_for(&stmt, today);
        let snoozed = stmt.query_map(params_from_iter(dates), |r| r.get::<_, NaiveDate>(0))?.collect::<rusqlite::Result<_>>()?;
        Ok((totals, snoozed))
    }

    /// The steps of a part of the board as of `today`, `limit` from `offset`: by deadline,
    /// then in the order the items were registered, read in that order from the deadlines'
    /// index.
    pub(crate) fn board_rows(&self, today: NaiveDate, section: BoardSection, offset: usize, limit: usize) -> Result<Vec<BoardRow>> {
        let (steps, condition) = section_steps(section);
        let sql = format!(
            "SELECT p.item_id, p.step, p.label, p.unit_id, u.name, p.due_on, p.overridden, z.until, z.note, i.number, i.title, s.kind, s.level, s.year
             {steps} JOIN items i ON i.id = p.item_id JOIN sessions s ON s.id = i.session_id LEFT JOIN units u ON u.id = p.unit_id
             WHERE {condition} ORDER BY p.due_on, p.item_id, p.position LIMIT {limit} OFFSET {offset}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let dates = dates_for(&stmt, today);
        let rows = stmt.query_map(params_from_iter(dates), |r| {
            Ok(BoardRow {
                item_id: r.get(0)?,
                step: r.get(1)?,
                label: r.get(2)?,
                unit_id: r.get(3)?,
                unit_name: r.get(4)?,
                due_on: r.get(5)?,
                overridden: r.get(6)?,
                snoozed_until: r.get(7)?,
                snooze_note: r.get(8)?,
                number: r.get(9)?,
                title: r.get(10)?,
                kind: r.get(11)?,
                level: r.get(12)?,
                year: r.get(13)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many of a unit's items (not in the recycle bin) have nothing left for it to do.
    pub(crate) fn unit_items_done(&self, unit_id: i64) -> Result<usize> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM assignments a JOIN items i ON i.id = a.item_id
             WHERE a.unit_id = ?1 AND i.deleted_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM pending_steps p WHERE p.item_id = a.item_id AND p.unit_id = ?1)",
            [unit_id],
            |r| r.get(0),
        )?)
    }

    /// Every unit's counts: items led and assisted, done, open, overdue.
    /// The items counted are this year's and the earlier ones still open: the work at hand,
    /// so the overview does not grow with the years closed.
    pub fn unit_overview(&self, today: NaiveDate) -> Result<Vec<UnitSummary>> {
        work::ensure(&self.conn, today.year())?;
        // Counted in two grouped passes: the units' items by role (this year's from the kept
        // counts, the earlier years' still open through their index, CROSS JOIN keeping SQLite
        // from reading every assignment of every year), and their open and overdue items from
        // the kept pending steps, item by item per unit.
        let mut stmt = self.conn.prepare(
            "SELECT u.id, u.name, u.active, coalesce(c.lead, 0), coalesce(c.assist, 0), coalesce(p.open, 0), coalesce(p.overdue, 0)
             FROM units u
             LEFT JOIN (SELECT unit_id, sum(lead) AS lead, sum(assist) AS assist FROM (
                          SELECT unit_id, lead, assist FROM unit_figures WHERE year = ?2
                          UNION ALL SELECT a.unit_id, a.role = '主办', a.role = '协办' FROM item_work w CROSS JOIN assignments a ON a.item_id = w.item_id
                            WHERE w.open = 1 AND w.year <> ?2)
                        GROUP BY unit_id HAVING sum(lead) + sum(assist) > 0) c ON c.unit_id = u.id
             LEFT JOIN (SELECT unit_id, count(*) AS open, ifnull(sum(late), 0) AS overdue
                        FROM (SELECT unit_id, item_id, min(due_on) < ?1 AS late FROM pending_steps WHERE unit_id IS NOT NULL GROUP BY unit_id, item_id)
                        GROUP BY unit_id) p ON p.unit_id = u.id
             WHERE u.active OR c.unit_id IS NOT NULL
             ORDER BY u.active DESC, u.name",
        )?;
        let rows = stmt.query_map(rusqlite::params![today, today.year()], |r| {
            let (lead, assist, open): (usize, usize, usize) = (r.get(3)?, r.get(4)?, r.get(5)?);
            Ok(UnitSummary { unit_id: r.get(0)?, unit_name: r.get(1)?, active: r.get(2)?, lead, assist, done: lead + assist - open, open, overdue: r.get(6)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The units with a step pending for them, by name: those that get a 反馈表 this week.
    pub(crate) fn units_with_open_work(&self, today: NaiveDate) -> Result<Vec<i64>> {
        work::ensure(&self.conn, today.year())?;
        let mut stmt = self.conn.prepare("SELECT u.id FROM units u WHERE EXISTS (SELECT 1 FROM pending_steps p WHERE p.unit_id = u.id) ORDER BY u.name")?;
        let units = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(units)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_board_and_the_task_lists_find_their_items_through_the_indexes() {
        let db = Db::open_in_memory().unwrap();
        let uses = |plan: &str, index: &str| plan.contains(&format!("USING COVERING INDEX {index}")) || plan.contains(&format!("USING INDEX {index}"));
        for section in BoardSection::ALL {
            let (steps, condition) = section_steps(section);
            let page = format!("SELECT p.item_id {steps} WHERE {condition} ORDER BY p.due_on, p.item_id, p.position LIMIT 100");
            let board = db.query_plan(&page, &[Value::Null, Value::Null, Value::Null]).unwrap();
            if section == BoardSection::Snoozed {
                assert!(board.starts_with("SCAN z"), "from the snoozes: {board}");
            } else {
                assert!(uses(&board, "pending_steps_due") && uses(&board, "snoozes_item") && !board.contains("TEMP B-TREE"), "{section:?}: {board}");
            }
        }
        let (waiting, _) = ItemsOf::WaitingForUnit(1).condition();
        let sql = format!("SELECT i.id FROM items i JOIN sessions s ON s.id = i.session_id WHERE {waiting}");
        let tasks = db.query_plan(&sql, &[Value::Null]).unwrap();
        assert!(uses(&tasks, "pending_steps_unit"), "{tasks}");
    }
}
