//! What is computed for a given "today" from the items, their events and the deadline
//! tables: an item's progress and next deadlines, the reminder board, a unit's task list and
//! the overview of the units. Views read; the tables' own modules write.

use crate::db::Db;
use crate::error::{Error, Result};
use crate::model::{CountyRole, Kind, Level, Stream, UnitRole};
use crate::queries::work::{self, KeptWork};
use crate::workflow::{Progress, Step};
use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A unit on an item, as task lists and reminders show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitOnItem {
    pub unit_id: i64,
    pub unit_name: String,
    pub role: UnitRole,
    pub handler: String,
    pub phone: String,
}

/// A step an item waits for, with its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueStep {
    pub step: Step,
    /// How the step reads on screen (重新办理 says which round).
    pub label: String,
    /// `None` for the office's own steps (初审, 审定).
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// Days from today to the deadline; negative when overdue.
    pub days_left: Option<i64>,
    /// The same in words, as every screen and table says it: 逾期3天, 今天到期, 剩5天, 无时限.
    pub days_text: String,
    /// The item has its own deadline for this step.
    pub overridden: bool,
}

/// An item with its derived progress, as of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkItem {
    pub id: i64,
    pub kind: Kind,
    pub stream: String,
    pub year: i32,
    pub number: String,
    pub title: String,
    pub county_role: CountyRole,
    pub units: Vec<UnitOnItem>,
    pub progress: Progress,
    pub due: Vec<DueStep>,
    /// 办理时限: when the formal reply is (or was) due, whether or not it has been given.
    pub reply_due: Option<NaiveDate>,
}

/// One line of the reminder board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    pub item_id: i64,
    pub number: String,
    pub title: String,
    pub stream: String,
    pub year: i32,
    #[serde(flatten)]
    pub due: DueStep,
    pub snoozed_until: Option<NaiveDate>,
    pub snooze_note: Option<String>,
}

/// The parts of the reminder board, in the order it shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoardSection {
    Overdue,
    DueToday,
    #[serde(rename = "within_3")]
    Within3,
    #[serde(rename = "within_7")]
    Within7,
    /// Put off by the clerk, with a reason: listed, not counted.
    Snoozed,
}

impl BoardSection {
    pub const ALL: [BoardSection; 5] = [BoardSection::Overdue, BoardSection::DueToday, BoardSection::Within3, BoardSection::Within7, BoardSection::Snoozed];
}

/// How many reminders a part of the board shows at once: a county's board fits in one, and
/// a prefecture far behind its deadlines is never drawn whole.
pub const REMINDER_PAGE: usize = 100;

/// One page of a part of the board, and how many reminders the part holds in all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReminderPage {
    pub total: usize,
    /// The place of the first row in the whole part (0 for the first page).
    pub offset: usize,
    pub page_size: usize,
    pub rows: Vec<Reminder>,
}

/// The reminder board: overdue first, then due today, within 3 and within 7 days, and the
/// snoozed ones, which stay visible with their reason. Each part holds its first page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReminderBoard {
    pub today: Option<NaiveDate>,
    pub overdue: ReminderPage,
    pub due_today: ReminderPage,
    pub within_3: ReminderPage,
    pub within_7: ReminderPage,
    pub snoozed: ReminderPage,
}

impl ReminderBoard {
    /// What the navigation badge counts: everything due within 7 days or overdue, not snoozed.
    pub fn count(&self) -> usize {
        self.overdue.total + self.due_today.total + self.within_3.total + self.within_7.total
    }
}

/// One row of a unit's task list (承办单位任务清单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskRow {
    pub item_id: i64,
    pub stream: String,
    pub year: i32,
    pub number: String,
    pub title: String,
    pub role: UnitRole,
    pub status: String,
    pub next: DueStep,
    pub handler: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitTasks {
    pub unit_id: i64,
    pub unit_name: String,
    pub today: NaiveDate,
    pub rows: Vec<TaskRow>,
    /// The unit's items with nothing left for it to do.
    pub done: usize,
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

/// The items waiting for a unit (?1): its task list's.
pub(crate) const WAITING_FOR_UNIT: &str = "i.id IN (SELECT item_id FROM pending_steps WHERE unit_id = ?1)";

/// The latest snooze still running (?1 is today) of a pending step `p`.
const RUNNING_SNOOZE: &str = "z.id = (SELECT max(id) FROM snoozes WHERE item_id = p.item_id AND step = p.step AND unit_id IS p.unit_id AND until > ?1)";

/// The snoozed steps: read from the few snoozes (CROSS JOIN keeps SQLite from reading every
/// pending step to look for a snooze), each with the pending step it puts off.
const SNOOZED_STEPS: &str = "FROM snoozes z CROSS JOIN pending_steps p ON p.item_id = z.item_id AND p.step = z.step AND p.unit_id IS z.unit_id";

impl BoardSection {
    /// The pending steps `p` (with their running snooze `z`) in this part of the board, with
    /// ?1 today, ?2 a week from today and ?3 three days from today (see [`board_dates`]): the
    /// tables and the condition.
    fn steps(self) -> (String, String) {
        let not_snoozed = |days: &str| (format!("FROM pending_steps p LEFT JOIN snoozes z ON {RUNNING_SNOOZE}"), format!("{days} AND z.id IS NULL"));
        match self {
            BoardSection::Overdue => not_snoozed("p.due_on < ?1"),
            BoardSection::DueToday => not_snoozed("p.due_on = ?1"),
            BoardSection::Within3 => not_snoozed("p.due_on > ?1 AND p.due_on <= ?3"),
            BoardSection::Within7 => not_snoozed("p.due_on > ?3 AND p.due_on <= ?2"),
            BoardSection::Snoozed => (SNOOZED_STEPS.to_string(), format!("{RUNNING_SNOOZE} AND p.due_on <= ?2")),
        }
    }
}

/// The days the board's conditions take: today, a week from today, three days from today.
fn board_dates(today: NaiveDate) -> [NaiveDate; 3] {
    [today, today + chrono::Days::new(7), today + chrono::Days::new(3)]
}

/// The board's days for a statement, as many as it uses (a part's condition may not need
/// all three, and SQLite refuses a value for a parameter a statement does not have).
fn dates_for(stmt: &rusqlite::Statement, today: NaiveDate) -> Vec<NaiveDate> {
    board_dates(today).into_iter().take(stmt.parameter_count()).collect()
}

fn day_gap(today: NaiveDate, due: NaiveDate) -> i64 {
    (due - today).num_days()
}

impl Db {
    /// The items (not in the recycle bin) that `filter` selects (a condition on items `i`
    /// and their sessions `s`, with `values` for its `?N`), with their kept progress and
    /// deadlines as of `today`, ordered by year and id.
    pub(crate) fn work_items(&self, today: NaiveDate, filter: &str, values: &[Value]) -> Result<Vec<WorkItem>> {
        work::ensure(&self.conn, today.year())?;
        let mut kept: HashMap<i64, KeptWork> = work::read(&self.conn, filter, values)?.into_iter().map(|k| (k.item_id, k)).collect();

        let mut units: HashMap<i64, Vec<UnitOnItem>> = HashMap::new();
        let sql = format!(
            "SELECT a.item_id, a.unit_id, u.name, a.role, a.handler, a.phone FROM assignments a JOIN units u ON u.id = a.unit_id
             JOIN items i ON i.id = a.item_id JOIN sessions s ON s.id = i.session_id WHERE {filter} ORDER BY a.item_id, a.role = '协办', a.position"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        for row in stmt.query_map(params_from_iter(values), |r| {
            Ok((r.get::<_, i64>(0)?, UnitOnItem { unit_id: r.get(1)?, unit_name: r.get(2)?, role: r.get(3)?, handler: r.get(4)?, phone: r.get(5)? }))
        })? {
            let (item, unit) = row?;
            units.entry(item).or_default().push(unit);
        }

        let sql = format!(
            "SELECT i.id, s.kind, s.level, s.year, i.number, i.title, i.county_role FROM items i JOIN sessions s ON s.id = i.session_id
             WHERE i.deleted_at IS NULL AND {filter} ORDER BY s.year, i.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(values), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Kind>(1)?, r.get::<_, Level>(2)?, r.get::<_, i32>(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?, r.get::<_, CountyRole>(6)?))
        })?;
        let mut result = Vec::new();
        for row in rows {
            let (id, kind, level, year, number, title, county_role) = row?;
            let Some(KeptWork { progress, pending, reply_due, .. }) = kept.remove(&id) else { continue };
            let item_units = units.remove(&id).unwrap_or_default();
            let due = pending
                .into_iter()
                .map(|p| {
                    let days_left = p.due_on.map(|d| day_gap(today, d));
                    DueStep {
                        step: p.step,
                        label: p.label,
                        unit_id: p.unit_id,
                        unit_name: p.unit_id.and_then(|u| item_units.iter().find(|x| x.unit_id == u)).map(|u| u.unit_name.clone()),
                        due_on: p.due_on,
                        days_left,
                        days_text: crate::text::days_left_text(days_left),
                        overridden: p.overridden,
                    }
                })
                .collect();
            result.push(WorkItem { id, kind, stream: Stream { level, kind }.label(), year, number, title, county_role, units: item_units, progress, due, reply_due });
        }
        Ok(result)
    }

    /// One item's progress and deadlines as of `today`.
    pub fn item_workflow(&self, item_id: i64, today: NaiveDate) -> Result<WorkItem> {
        self.work_items(today, "i.id = ?1", &[Value::from(item_id)])?
            .pop()
            .ok_or_else(|| Error::NotFound("这件建议/提案已不存在或在回收站中。".into()))
    }

    /// The progress of every item kept as of `today`, and computed afresh from the events:
    /// the two must always be equal (tests check it after every kind of write).
    /// The figure columns kept beside the progress are checked against it first, and the
    /// figures kept per year against a count of the items.
    pub fn kept_and_recomputed(&self, today: NaiveDate) -> Result<(Vec<KeptWork>, Vec<KeptWork>)> {
        work::ensure(&self.conn, today.year())?;
        let disagreeing: i64 = self.conn.query_row(work::FIGURES_DISAGREE, [], |r| r.get(0))?;
        if disagreeing > 0 {
            return Err(Error::Damaged(format!("{disagreeing} 件的办理进度与其统计栏不一致。")));
        }
        let disagreeing = crate::queries::figures::disagreeing(&self.conn)?;
        if disagreeing > 0 {
            return Err(Error::Damaged(format!("{disagreeing} 行保存的统计数与重新计数不一致。")));
        }
        Ok((work::read(&self.conn, "1", &[])?, work::compute(&self.conn, today.year(), work::Scope::All)?))
    }

    /// The reminder board as of `today`: the count of each part and its first page.
    pub fn reminders(&self, today: NaiveDate) -> Result<ReminderBoard> {
        let totals = self.board_totals(today)?;
        let mut pages = BoardSection::ALL.into_iter().zip(totals).map(|(section, total)| {
            // An empty part is not looked for.
            if total == 0 { Ok(ReminderPage { page_size: REMINDER_PAGE, ..Default::default() }) } else { self.reminder_rows(today, section, 0, total) }
        });
        let mut next = || pages.next().expect("five parts");
        Ok(ReminderBoard { today: Some(today), overdue: next()?, due_today: next()?, within_3: next()?, within_7: next()?, snoozed: next()? })
    }

    /// One page of one part of the board as of `today`, from the row at `offset`.
    pub fn reminder_page(&self, today: NaiveDate, section: BoardSection, offset: usize) -> Result<ReminderPage> {
        let total = self.board_totals(today)?[section as usize];
        self.reminder_rows(today, section, offset, total)
    }

    /// How many reminders each part of the board holds as of `today`: every step due within
    /// the week counted by day from the deadlines' index alone, then the few snoozed ones
    /// moved from their part to 已暂缓.
    fn board_totals(&self, today: NaiveDate) -> Result<[usize; 5]> {
        work::ensure(&self.conn, today.year())?;
        let mut totals: [usize; 5] = self.conn.prepare_cached(
            "SELECT ifnull(sum(due_on < ?1), 0), ifnull(sum(due_on = ?1), 0), ifnull(sum(due_on > ?1 AND due_on <= ?3), 0), ifnull(sum(due_on > ?3), 0), 0
             FROM pending_steps WHERE due_on <= ?2",
        )?.query_row(board_dates(today), |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]))?;
        let (steps, condition) = BoardSection::Snoozed.steps();
        let snoozed = format!("SELECT p.due_on {steps} WHERE {condition}");
        let mut stmt = self.conn.prepare_cached(&snoozed)?;
        let dates = dates_for(&stmt, today);
        for due_on in stmt.query_map(params_from_iter(dates), |r| r.get::<_, NaiveDate>(0))? {
            let section = match day_gap(today, due_on?) {
                d if d < 0 => BoardSection::Overdue,
                0 => BoardSection::DueToday,
                1..=3 => BoardSection::Within3,
                _ => BoardSection::Within7,
            };
            totals[section as usize] -= 1;
            totals[BoardSection::Snoozed as usize] += 1;
        }
        Ok(totals)
    }

    /// The reminders of a part, a page from `offset`: by deadline, then in the order the items
    /// were registered, read in that order from the deadlines' index.
    fn reminder_rows(&self, today: NaiveDate, section: BoardSection, offset: usize, total: usize) -> Result<ReminderPage> {
        let (steps, condition) = section.steps();
        let sql = format!(
            "SELECT p.item_id, p.step, p.label, p.unit_id, u.name, p.due_on, p.overridden, z.until, z.note, i.number, i.title, s.kind, s.level, s.year
             {steps} JOIN items i ON i.id = p.item_id JOIN sessions s ON s.id = i.session_id LEFT JOIN units u ON u.id = p.unit_id
             WHERE {condition} ORDER BY p.due_on, p.item_id, p.position LIMIT {REMINDER_PAGE} OFFSET {offset}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let dates = dates_for(&stmt, today);
        let rows = stmt.query_map(params_from_iter(dates), |r| {
            let due_on: NaiveDate = r.get(5)?;
            let days_left = Some(day_gap(today, due_on));
            let (kind, level): (Kind, Level) = (r.get(11)?, r.get(12)?);
            Ok(Reminder {
                item_id: r.get(0)?,
                number: r.get(9)?,
                title: r.get(10)?,
                stream: Stream { level, kind }.label(),
                year: r.get(13)?,
                due: DueStep {
                    step: r.get(1)?,
                    label: r.get(2)?,
                    unit_id: r.get(3)?,
                    unit_name: r.get(4)?,
                    due_on: Some(due_on),
                    days_left,
                    days_text: crate::text::days_left_text(days_left),
                    overridden: r.get(6)?,
                },
                snoozed_until: r.get(7)?,
                snooze_note: r.get(8)?,
            })
        })?;
        let rows = rows.collect::<rusqlite::Result<_>>()?;
        Ok(ReminderPage { total, offset, page_size: REMINDER_PAGE, rows })
    }

    /// A unit's open items, most urgent first, with the step each waits for from the unit.
    pub fn unit_tasks(&self, unit_id: i64, today: NaiveDate) -> Result<UnitTasks> {
        let unit_name: String = self
            .conn
            .query_row("SELECT name FROM units WHERE id = ?1", [unit_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound("该单位已不存在。".into()))?;
        // The unit's items with nothing left for it to do.
        let done: usize = self.conn.query_row(
            "SELECT count(*) FROM assignments a JOIN items i ON i.id = a.item_id
             WHERE a.unit_id = ?1 AND i.deleted_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM pending_steps p WHERE p.item_id = a.item_id AND p.unit_id = ?1)",
            [unit_id],
            |r| r.get(0),
        )?;
        let mut rows = Vec::new();
        for item in self.work_items(today, WAITING_FOR_UNIT, &[Value::from(unit_id)])? {
            let Some(on_item) = item.units.iter().find(|u| u.unit_id == unit_id) else { continue };
            // The unit's most pressing step: the earliest deadline, then the order of the notice.
            let next = item.due.iter().filter(|d| d.unit_id == Some(unit_id)).min_by_key(|d| (d.due_on.is_none(), d.due_on));
            if let Some(next) = next {
                rows.push(TaskRow {
                    item_id: item.id,
                    stream: item.stream.clone(),
                    year: item.year,
                    number: item.number.clone(),
                    title: item.title.clone(),
                    role: on_item.role,
                    status: item.progress.status.clone(),
                    next: next.clone(),
                    handler: on_item.handler.clone(),
                    phone: on_item.phone.clone(),
                });
            }
        }
        rows.sort_by_key(|r| (r.next.days_left.is_none(), r.next.days_left, r.year, r.item_id));
        Ok(UnitTasks { unit_id, unit_name, today, rows, done })
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_column_that_says_something_else_than_its_progress_is_caught() {
        let mut db = Db::open_in_memory().unwrap();
        crate::demo::seed(&mut db).unwrap();
        let today = crate::text::parse_date(crate::demo::DEMO_TODAY).unwrap();
        assert!(db.kept_and_recomputed(today).is_ok());
        for change in [
            "UPDATE item_work SET class = 'C' WHERE class = 'B'",
            "UPDATE item_work SET met = 1 - met",
            "UPDATE item_work SET replied_on = NULL WHERE replied_on IS NOT NULL",
            "UPDATE item_work SET status = '已办结' WHERE status <> '已办结'",
            "UPDATE item_work SET solved_on = '2025-04-01' WHERE class = 'B'",
        ] {
            db.conn.execute_batch(&format!("SAVEPOINT probe; {change};")).unwrap();
            assert!(db.conn.changes() > 0, "{change} changes something");
            assert!(matches!(db.kept_and_recomputed(today), Err(Error::Damaged(_))), "{change}");
            db.conn.execute_batch("ROLLBACK TO probe; RELEASE probe;").unwrap();
        }
        assert!(db.kept_and_recomputed(today).is_ok());
    }

    #[test]
    fn the_board_and_the_task_lists_find_their_items_through_the_indexes() {
        let db = Db::open_in_memory().unwrap();
        let uses = |plan: &str, index: &str| plan.contains(&format!("USING COVERING INDEX {index}")) || plan.contains(&format!("USING INDEX {index}"));
        for section in BoardSection::ALL {
            let (steps, condition) = section.steps();
            let page = format!("SELECT p.item_id {steps} WHERE {condition} ORDER BY p.due_on, p.item_id, p.position LIMIT 100");
            let board = db.query_plan(&page, &[Value::Null, Value::Null, Value::Null]).unwrap();
            if section == BoardSection::Snoozed {
                assert!(board.starts_with("SCAN z"), "from the snoozes: {board}");
            } else {
                assert!(uses(&board, "pending_steps_due") && uses(&board, "snoozes_item") && !board.contains("TEMP B-TREE"), "{section:?}: {board}");
            }
        }
        let sql = format!("SELECT i.id FROM items i JOIN sessions s ON s.id = i.session_id WHERE {WAITING_FOR_UNIT}");
        let tasks = db.query_plan(&sql, &[Value::Null]).unwrap();
        assert!(uses(&tasks, "pending_steps_unit"), "{tasks}");
    }
}
