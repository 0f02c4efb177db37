//! What is computed for a given "today" from the items, their events and the deadline
//! tables: an item's progress and next deadlines, the reminder board, a unit's task list and
//! the overview of the units. Views read; the tables' own modules write.

use crate::db::Db;
use crate::deadlines::{self, Calendar, DueDates, Template};
use crate::error::{Error, Result};
use crate::model::{CountyRole, Kind, Level, Stream, UnitRole};
use crate::workflow::{self, ItemFacts, Pending, Progress, Recorded, Step, StepRecord};
use crate::queries::deadlines::{load_calendar, template_or_default};
use chrono::{Datelike, NaiveDate};
use rusqlite::OptionalExtension;
use serde::Serialize;
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

/// The reminder board: overdue first, then due today, within 3 and within 7 days, and the
/// snoozed ones, which stay visible with their reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReminderBoard {
    pub today: Option<NaiveDate>,
    pub overdue: Vec<Reminder>,
    pub due_today: Vec<Reminder>,
    pub within_3: Vec<Reminder>,
    pub within_7: Vec<Reminder>,
    pub snoozed: Vec<Reminder>,
}

impl ReminderBoard {
    /// What the navigation badge counts: everything due within 7 days or overdue, not snoozed.
    pub fn count(&self) -> usize {
        self.overdue.len() + self.due_today.len() + self.within_3.len() + self.within_7.len()
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

/// Everything the computations need, loaded in a few queries.
struct Loaded {
    calendar: Calendar,
    templates: HashMap<i32, Template>,
    overrides: HashMap<i64, HashMap<Step, NaiveDate>>,
}

fn day_gap(today: NaiveDate, due: NaiveDate) -> i64 {
    (due - today).num_days()
}

impl Db {
    fn loaded(&self) -> Result<Loaded> {
        let mut overrides: HashMap<i64, HashMap<Step, NaiveDate>> = HashMap::new();
        let mut stmt = self.conn.prepare("SELECT item_id, step, due_on FROM deadline_overrides")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, NaiveDate>(2)?)))? {
            let (item, step, due) = row?;
            if let Some(step) = Step::parse(&step) {
                overrides.entry(item).or_default().insert(step, due);
            }
        }
        Ok(Loaded { calendar: load_calendar(&self.conn)?, templates: HashMap::new(), overrides })
    }

    /// Every item (not in the recycle bin) with its progress and deadlines as of `today`;
    /// or just one item.
    fn work_items(&self, today: NaiveDate, only: Option<i64>) -> Result<Vec<WorkItem>> {
        let mut loaded = self.loaded()?;
        let work_year = today.year();
        let mut stmt = self.conn.prepare(
            "SELECT i.id, s.kind, s.level, s.year, i.number, i.title, i.county_role, i.assigned_on
             FROM items i JOIN sessions s ON s.id = i.session_id
             WHERE i.deleted_at IS NULL AND (?1 IS NULL OR i.id = ?1)
             ORDER BY s.year, i.id",
        )?;
        let items = stmt
            .query_map([only], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Kind>(1)?, r.get::<_, Level>(2)?, r.get::<_, i32>(3)?, r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?, r.get::<_, CountyRole>(6)?, r.get::<_, Option<NaiveDate>>(7)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let mut units: HashMap<i64, Vec<UnitOnItem>> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT a.item_id, a.unit_id, u.name, a.role, a.handler, a.phone FROM assignments a
             JOIN units u ON u.id = a.unit_id WHERE ?1 IS NULL OR a.item_id = ?1 ORDER BY a.role = '协办', a.position",
        )?;
        for row in stmt.query_map([only], |r| {
            Ok((r.get::<_, i64>(0)?, UnitOnItem { unit_id: r.get(1)?, unit_name: r.get(2)?, role: r.get(3)?, handler: r.get(4)?, phone: r.get(5)? }))
        })? {
            let (item, unit) = row?;
            units.entry(item).or_default().push(unit);
        }

        let mut events: HashMap<i64, Vec<Recorded>> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT item_id, happened_on, unit_id, details FROM events WHERE voided = 0 AND (?1 IS NULL OR item_id = ?1) ORDER BY happened_on, id",
        )?;
        for row in stmt.query_map([only], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, NaiveDate>(1)?, r.get::<_, Option<i64>>(2)?, r.get::<_, String>(3)?)))? {
            let (item, happened_on, unit_id, details) = row?;
            let Ok(record) = serde_json::from_str::<StepRecord>(&details) else { continue };
            events.entry(item).or_default().push(Recorded { happened_on, unit_id, record });
        }

        let mut result = Vec::with_capacity(items.len());
        for (id, kind, level, year, number, title, county_role, assigned_on) in items {
            let item_units = units.remove(&id).unwrap_or_default();
            let roles: Vec<(i64, UnitRole)> = item_units.iter().map(|u| (u.unit_id, u.role)).collect();
            let item_events = events.remove(&id).unwrap_or_default();
            let progress = workflow::progress(&ItemFacts { county_role, year, units: &roles }, &item_events, work_year);
            let recorded: HashMap<Step, NaiveDate> = item_events.iter().map(|e| (e.record.step(), e.happened_on)).collect();
            let no_overrides = HashMap::new();
            let overrides = loaded.overrides.get(&id).unwrap_or(&no_overrides).clone();
            if !loaded.templates.contains_key(&year) {
                loaded.templates.insert(year, template_or_default(&self.conn, year)?);
            }
            let no_recorded = HashMap::new();
            let reply_due = (county_role == CountyRole::Lead)
                .then(|| DueDates { template: &loaded.templates[&year], calendar: &loaded.calendar, overrides: &overrides, assigned_on, recorded: &no_recorded }.due(Step::Reply))
                .flatten();
            let mut due = Vec::with_capacity(progress.pending.len());
            for Pending { step, unit_id } in &progress.pending {
                // A carried-over item's 回头看 is due by this year's template, not its own year's.
                let template_year = if *step == Step::Lookback { work_year.max(year) } else { year };
                if !loaded.templates.contains_key(&template_year) {
                    loaded.templates.insert(template_year, template_or_default(&self.conn, template_year)?);
                }
                let dates = DueDates {
                    template: &loaded.templates[&template_year],
                    calendar: &loaded.calendar,
                    overrides: &overrides,
                    assigned_on,
                    recorded: &recorded,
                };
                let due_on = match step {
                    Step::Redo => overrides.get(step).copied().or(progress.redo_since.map(|d| deadlines::redo_due(&loaded.calendar, d))),
                    _ => dates.due(*step),
                };
                let label = match step {
                    Step::Redo => format!("重新办理（第{}次）", progress.redo_rounds),
                    other => other.as_str().to_string(),
                };
                let days_left = due_on.map(|d| day_gap(today, d));
                due.push(DueStep {
                    step: *step,
                    label,
                    unit_id: *unit_id,
                    unit_name: unit_id.and_then(|u| item_units.iter().find(|x| x.unit_id == u)).map(|u| u.unit_name.clone()),
                    due_on,
                    days_left,
                    days_text: crate::text::days_left_text(days_left),
                    overridden: overrides.contains_key(step),
                });
            }
            result.push(WorkItem {
                id,
                kind,
                stream: Stream { level, kind }.label(),
                year,
                number,
                title,
                county_role,
                units: item_units,
                progress,
                due,
                reply_due,
            });
        }
        Ok(result)
    }

    /// The work items of a year (not in the recycle bin), as of `today`.
    pub(crate) fn work_items_of(&self, today: NaiveDate) -> Result<Vec<WorkItem>> {
        self.work_items(today, None)
    }

    /// One item's progress and deadlines as of `today`.
    pub fn item_workflow(&self, item_id: i64, today: NaiveDate) -> Result<WorkItem> {
        self.work_items(today, Some(item_id))?.pop().ok_or_else(|| Error::NotFound("这件建议/提案已不存在或在回收站中。".into()))
    }

    /// The reminder board as of `today`.
    pub fn reminders(&self, today: NaiveDate) -> Result<ReminderBoard> {
        let snoozes = self.active_snoozes(today)?;
        let mut board = ReminderBoard { today: Some(today), ..Default::default() };
        for item in self.work_items(today, None)? {
            for due in &item.due {
                let Some(days) = due.days_left else { continue };
                if days > 7 {
                    continue;
                }
                let snooze = snoozes.get(&(item.id, due.step.as_str().to_string(), due.unit_id));
                let reminder = Reminder {
                    item_id: item.id,
                    number: item.number.clone(),
                    title: item.title.clone(),
                    stream: item.stream.clone(),
                    year: item.year,
                    due: due.clone(),
                    snoozed_until: snooze.map(|s| s.0),
                    snooze_note: snooze.map(|s| s.1.clone()),
                };
                let list = match days {
                    _ if snooze.is_some() => &mut board.snoozed,
                    d if d < 0 => &mut board.overdue,
                    0 => &mut board.due_today,
                    1..=3 => &mut board.within_3,
                    _ => &mut board.within_7,
                };
                list.push(reminder);
            }
        }
        for list in [&mut board.overdue, &mut board.due_today, &mut board.within_3, &mut board.within_7, &mut board.snoozed] {
            list.sort_by(|a, b| (a.due.days_left, a.year, &a.stream, a.item_id).cmp(&(b.due.days_left, b.year, &b.stream, b.item_id)));
        }
        Ok(board)
    }

    /// A unit's open items, most urgent first, with the step each waits for from the unit.
    pub fn unit_tasks(&self, unit_id: i64, today: NaiveDate) -> Result<UnitTasks> {
        let unit_name: String = self
            .conn
            .query_row("SELECT name FROM units WHERE id = ?1", [unit_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound("该单位已不存在。".into()))?;
        let mut rows = Vec::new();
        let mut done = 0;
        for item in self.work_items(today, None)? {
            let Some(on_item) = item.units.iter().find(|u| u.unit_id == unit_id) else { continue };
            // The unit's most pressing step: the earliest deadline, then the order of the notice.
            let next = item.due.iter().filter(|d| d.unit_id == Some(unit_id)).min_by_key(|d| (d.due_on.is_none(), d.due_on));
            match next {
                None => done += 1,
                Some(next) => rows.push(TaskRow {
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
                }),
            }
        }
        rows.sort_by_key(|r| (r.next.days_left.is_none(), r.next.days_left, r.year, r.item_id));
        Ok(UnitTasks { unit_id, unit_name, today, rows, done })
    }

    /// Every unit's counts: items led and assisted, done, open, overdue.
    pub fn unit_overview(&self, today: NaiveDate) -> Result<Vec<UnitSummary>> {
        let mut summaries: Vec<UnitSummary> = self
            .list_units()?
            .into_iter()
            .map(|u| UnitSummary { unit_id: u.id, unit_name: u.name, active: u.active, lead: 0, assist: 0, done: 0, open: 0, overdue: 0 })
            .collect();
        for item in self.work_items(today, None)? {
            for unit in &item.units {
                let Some(summary) = summaries.iter_mut().find(|s| s.unit_id == unit.unit_id) else { continue };
                match unit.role {
                    UnitRole::Lead => summary.lead += 1,
                    UnitRole::Assist => summary.assist += 1,
                }
                let mine: Vec<&DueStep> = item.due.iter().filter(|d| d.unit_id == Some(unit.unit_id)).collect();
                if mine.is_empty() {
                    summary.done += 1;
                } else {
                    summary.open += 1;
                }
                if mine.iter().any(|d| d.days_left.is_some_and(|days| days < 0)) {
                    summary.overdue += 1;
                }
            }
        }
        summaries.retain(|s| s.active || s.lead + s.assist > 0);
        Ok(summaries)
    }
}
