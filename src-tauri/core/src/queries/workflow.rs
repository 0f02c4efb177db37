//! Recording the workflow (with corrections and undo that keep the history), and all that
//! is computed from it for a given "today": an item's progress and deadlines, the reminder
//! board, the units' task lists and their overview.

use crate::db::{now_stamp, Db};
use crate::deadlines::{self, Calendar, DueDates, Rule, Template, BUILT_IN, DEADLINE_STEPS};
use crate::error::{Error, Result};
use crate::model::{stream_label, CountyRole, Kind, Level, UnitRole};
use crate::text::{clean, parse_date};
use crate::workflow::{self, check_step, ItemFacts, Pending, Progress, Recorded, Step, StepInput, StepRecord};
use super::items::item_target;
use super::log::{change, Fields, LogKind, Logged};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The template used for a year nobody has set up yet.
pub const DEFAULT_TEMPLATE: &str = BUILT_IN[0];

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

/// A year's deadline template as the settings screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateView {
    pub year: i32,
    /// False while the year uses the default template unchanged.
    pub saved: bool,
    pub lines: Vec<TemplateLine>,
    pub built_in: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateLine {
    pub step: Step,
    pub rule: Option<Rule>,
}

/// A marked day of the working-day calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarDay {
    pub day: NaiveDate,
    /// 休 (a holiday) or 班 (a make-up working day).
    pub kind: String,
    pub note: String,
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

/// What the snooze form sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SnoozeInput {
    pub item_id: i64,
    pub step: String,
    pub unit_id: Option<i64>,
    pub until: String,
    pub note: String,
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

fn load_template(conn: &Connection, year: i32) -> Result<Option<Template>> {
    let mut stmt = conn.prepare("SELECT step, rule FROM deadline_rules WHERE year = ?1")?;
    let rows: Vec<(String, String)> = stmt.query_map([year], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut template = Template::new();
    for (step, rule) in rows {
        if let (Some(step), Ok(rule)) = (Step::parse(&step), serde_json::from_str::<Option<Rule>>(&rule)) {
            // A stored null means the clerk removed the deadline of that step on purpose.
            if let Some(rule) = rule {
                template.insert(step, rule);
            }
        }
    }
    Ok(Some(template))
}

fn template_or_default(conn: &Connection, year: i32) -> Result<Template> {
    Ok(load_template(conn, year)?.unwrap_or_else(|| deadlines::built_in(DEFAULT_TEMPLATE, year).expect("the default template exists")))
}

fn load_calendar(conn: &Connection) -> Result<Calendar> {
    let mut stmt = conn.prepare("SELECT day, kind FROM calendar_days")?;
    let marks = stmt
        .query_map([], |r| Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, String>(1)? == "班")))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Calendar::new(marks))
}

fn day_gap(today: NaiveDate, due: NaiveDate) -> i64 {
    (due - today).num_days()
}

impl Db {
    /// What checking a step of this item needs: its units, assigned date and the county's role.
    fn event_context(&self, item_id: i64) -> Result<(Vec<(i64, UnitRole)>, Option<NaiveDate>, CountyRole)> {
        let exists: Option<(Option<NaiveDate>, bool, CountyRole)> = self
            .conn
            .query_row("SELECT assigned_on, deleted_at IS NOT NULL, county_role FROM items WHERE id = ?1", [item_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let (assigned_on, deleted, county_role) = exists.ok_or_else(|| Error::NotFound("这件建议/提案已不存在。".into()))?;
        if deleted {
            return Err(Error::NotFound("这件在回收站中，请先恢复再登记办理情况。".into()));
        }
        let units = self
            .conn
            .prepare("SELECT unit_id, role FROM assignments WHERE item_id = ?1")?
            .query_map([item_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok((units, assigned_on, county_role))
    }

    /// Records a workflow step on an item's timeline; returns the event's id.
    pub fn record_step(&mut self, item_id: i64, input: &StepInput) -> Result<i64> {
        crate::input::check_form(input)?;
        let (units, assigned_on, county_role) = self.event_context(item_id)?;
        let step = check_step(input, &units, assigned_on, county_role)?;
        self.check_reply_draft(item_id, &step)?;
        let tx = self.conn.transaction()?;
        let id = insert_event(&tx, item_id, &step, None)?;
        log_event(&tx, &self.user, "登记办理环节", item_id, &Vec::new(), id)?;
        tx.commit()?;
        Ok(id)
    }

    /// Replaces a wrong entry with a corrected one. The wrong one stays in the timeline,
    /// marked as corrected; returns the new event's id.
    pub fn correct_step(&mut self, event_id: i64, input: &StepInput) -> Result<i64> {
        crate::input::check_form(input)?;
        let item_id = self.live_event_item(event_id)?;
        let (units, assigned_on, county_role) = self.event_context(item_id)?;
        let step = check_step(input, &units, assigned_on, county_role)?;
        self.check_reply_draft(item_id, &step)?;
        let tx = self.conn.transaction()?;
        let before = event_fields(&tx, event_id)?;
        tx.execute(
            "UPDATE events SET voided = 1, voided_at = ?1, void_reason = '已更正' WHERE id = ?2",
            params![now_stamp(), event_id],
        )?;
        let id = insert_event(&tx, item_id, &step, Some(event_id))?;
        log_event(&tx, &self.user, "更正办理记录", item_id, &before, id)?;
        tx.commit()?;
        Ok(id)
    }

    /// Undoes a wrong entry: it stays in the timeline, marked as undone with the reason.
    pub fn undo_step(&mut self, event_id: i64, reason: &str) -> Result<()> {
        crate::input::check_text("reason", reason)?;
        let reason = clean(reason);
        if reason.is_empty() {
            return Err(Error::field("reason", "请写明撤销的原因。"));
        }
        let item_id = self.live_event_item(event_id)?;
        let tx = self.conn.transaction()?;
        let before = event_fields(&tx, event_id)?;
        tx.execute(
            "UPDATE events SET voided = 1, voided_at = ?1, void_reason = ?2 WHERE id = ?3",
            params![now_stamp(), format!("已撤销：{reason}"), event_id],
        )?;
        log_event(&tx, &self.user, "撤销办理记录", item_id, &before, event_id)?;
        tx.commit()?;
        Ok(())
    }

    fn live_event_item(&self, event_id: i64) -> Result<i64> {
        let found: Option<(i64, bool)> = self
            .conn
            .query_row("SELECT item_id, voided FROM events WHERE id = ?1", [event_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match found {
            None => Err(Error::NotFound("这条办理记录已不存在。".into())),
            Some((_, true)) => Err(Error::NotFound("这条办理记录已被撤销或更正，不能再改。".into())),
            Some((item, false)) => Ok(item),
        }
    }

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
                due.push(DueStep {
                    step: *step,
                    label,
                    unit_id: *unit_id,
                    unit_name: unit_id.and_then(|u| item_units.iter().find(|x| x.unit_id == u)).map(|u| u.unit_name.clone()),
                    due_on,
                    days_left: due_on.map(|d| day_gap(today, d)),
                    overridden: overrides.contains_key(step),
                });
            }
            result.push(WorkItem {
                id,
                kind,
                stream: stream_label(kind, level),
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

    /// Sets (or, with an empty date, removes) an item's own deadline for a step.
    pub fn set_deadline_override(&mut self, item_id: i64, step: &str, due_on: &str, note: &str) -> Result<()> {
        crate::input::check_text("note", note)?;
        let step = Step::parse(step).filter(|s| DEADLINE_STEPS.contains(s) || *s == Step::Redo)
            .ok_or_else(|| Error::field("step", "请选择有办理时限的环节。"))?;
        let tx = self.conn.transaction()?;
        let own_deadline = |tx: &rusqlite::Transaction| -> Result<Fields> {
            let due: Option<NaiveDate> = tx
                .query_row("SELECT due_on FROM deadline_overrides WHERE item_id = ?1 AND step = ?2", params![item_id, step], |r| r.get(0))
                .optional()?;
            Ok(vec![("本件时限", due.map(crate::text::format_date_cn).unwrap_or_else(|| "按年度模板".into()))])
        };
        let before = own_deadline(&tx)?;
        if clean(due_on).is_empty() {
            tx.execute("DELETE FROM deadline_overrides WHERE item_id = ?1 AND step = ?2", params![item_id, step])?;
        } else {
            let day = parse_date(due_on).ok_or_else(|| Error::field("due_on", "时限不是有效日期，请写成 2025-04-30。"))?;
            tx.execute(
                "INSERT INTO deadline_overrides (item_id, step, due_on, note) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (item_id, step) DO UPDATE SET due_on = excluded.due_on, note = excluded.note",
                params![item_id, step, day, clean(note)],
            )?;
        }
        let logged = Logged { kind: LogKind::Deadline, action: "调整本件时限", target: format!("{}：{step}", item_target(&tx, item_id)?), item_id: Some(item_id) };
        logged.write_diff(&tx, &self.user, &before, &own_deadline(&tx)?)?;
        tx.commit()?;
        Ok(())
    }

    /// The deadline template of a year (the default one while the clerk has not set it).
    pub fn deadline_template(&self, year: i32) -> Result<TemplateView> {
        let saved = load_template(&self.conn, year)?;
        let template = match &saved {
            Some(t) => t.clone(),
            None => template_or_default(&self.conn, year)?,
        };
        Ok(TemplateView {
            year,
            saved: saved.is_some(),
            lines: DEADLINE_STEPS.iter().map(|step| TemplateLine { step: *step, rule: template.get(step).copied() }).collect(),
            built_in: BUILT_IN.to_vec(),
        })
    }

    /// Replaces a year's template with a built-in one.
    pub fn apply_built_in_template(&mut self, year: i32, name: &str) -> Result<()> {
        let template = deadlines::built_in(name, year).ok_or_else(|| Error::field("name", "没有这个内置模板。"))?;
        let before = template_fields(&template_or_default(&self.conn, year)?);
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM deadline_rules WHERE year = ?1", [year])?;
        for step in DEADLINE_STEPS {
            let rule = template.get(step);
            tx.execute(
                "INSERT INTO deadline_rules (year, step, rule) VALUES (?1, ?2, ?3)",
                params![year, step, serde_json::to_string(&rule).expect("rules serialise")],
            )?;
        }
        let logged = Logged { kind: LogKind::Deadline, action: "套用内置模板", target: format!("{year}年办理时限模板（{name}）"), item_id: None };
        logged.write_diff(&tx, &self.user, &before, &template_fields(&template))?;
        tx.commit()?;
        Ok(())
    }

    /// Sets one step's rule in a year's template (`None`: the step has no deadline).
    pub fn set_deadline_rule(&mut self, year: i32, step: Step, rule: Option<Rule>) -> Result<()> {
        if let Some(rule) = &rule {
            deadlines::check_rule(step, rule, year)?;
        } else if !DEADLINE_STEPS.contains(&step) {
            return Err(Error::field("step", format!("“{step}”没有办理时限。")));
        }
        let current = template_or_default(&self.conn, year)?;
        let tx = self.conn.transaction()?;
        let logged = Logged { kind: LogKind::Deadline, action: "修改时限", target: format!("{year}年办理时限模板"), item_id: None };
        logged.write_diff(
            &tx,
            &self.user,
            &vec![(step.as_str(), Rule::describe(current.get(&step)))],
            &vec![(step.as_str(), Rule::describe(rule.as_ref()))],
        )?;
        // The first change to a year writes its whole template, so later defaults cannot shift it.
        for other in DEADLINE_STEPS {
            let value = if *other == step { rule } else { current.get(other).copied() };
            tx.execute(
                "INSERT INTO deadline_rules (year, step, rule) VALUES (?1, ?2, ?3)
                 ON CONFLICT (year, step) DO UPDATE SET rule = excluded.rule WHERE ?2 = ?4",
                params![year, other, serde_json::to_string(&value).expect("rules serialise"), step],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Sets one step's rule from the template editor's text.
    pub fn set_deadline_rule_from(&mut self, year: i32, step: &str, input: &deadlines::RuleInput) -> Result<()> {
        crate::input::check_form(input)?;
        let step = Step::parse(step).ok_or_else(|| Error::field("step", "没有这个办理环节。"))?;
        self.set_deadline_rule(year, step, deadlines::parse_rule(input)?)
    }

    /// The marked days of a year.
    pub fn calendar_days(&self, year: i32) -> Result<Vec<CalendarDay>> {
        let mut stmt = self.conn.prepare("SELECT day, kind, note FROM calendar_days WHERE substr(day, 1, 4) = ?1 ORDER BY day")?;
        let days = stmt
            .query_map([year.to_string()], |r| Ok(CalendarDay { day: r.get(0)?, kind: r.get(1)?, note: r.get(2)? }))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(days)
    }

    /// Marks a day as a holiday (休) or a make-up working day (班); an empty kind clears it.
    pub fn mark_day(&mut self, day: &str, kind: &str, note: &str) -> Result<()> {
        crate::input::check_text("note", note)?;
        let day = parse_date(day).ok_or_else(|| Error::field("day", "日期不是有效日期，请写成 2025-10-01。"))?;
        let tx = self.conn.transaction()?;
        let marked = |tx: &rusqlite::Transaction| -> Result<String> {
            let mark: Option<(String, String)> = tx.query_row("SELECT kind, note FROM calendar_days WHERE day = ?1", [day], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
            Ok(match mark {
                None => "按周末计算".into(),
                Some((kind, note)) => format!("{}{}", if kind == "休" { "放假" } else { "调休上班" }, if note.is_empty() { String::new() } else { format!("（{note}）") }),
            })
        };
        let before = marked(&tx)?;
        match kind.trim() {
            "" => {
                tx.execute("DELETE FROM calendar_days WHERE day = ?1", [day])?;
            }
            kind @ ("休" | "班") => {
                tx.execute(
                    "INSERT INTO calendar_days (day, kind, note) VALUES (?1, ?2, ?3)
                     ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note",
                    params![day, kind, clean(note)],
                )?;
            }
            _ => return Err(Error::field("kind", "请选择“休”（放假）或“班”（调休上班）。")),
        }
        let after = marked(&tx)?;
        if after != before {
            Logged { kind: LogKind::Deadline, action: "标注节假日", target: format!("{}年节假日与调休", day.year()), item_id: None }
                .write(&tx, &self.user, &[change(&crate::text::format_date_cn(day), before, after)])?;
        }
        tx.commit()?;
        Ok(())
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

    fn active_snoozes(&self, today: NaiveDate) -> Result<HashMap<(i64, String, Option<i64>), (NaiveDate, String)>> {
        let mut stmt = self.conn.prepare("SELECT item_id, step, unit_id, until, note FROM snoozes WHERE until > ?1 ORDER BY id")?;
        let rows = stmt
            .query_map([today], |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), (r.get(3)?, r.get(4)?))))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Puts a reminder off until a later day, with a reason that stays visible.
    pub fn snooze(&mut self, input: &SnoozeInput, today: NaiveDate) -> Result<()> {
        crate::input::check_form(input)?;
        let mut errors = Vec::new();
        let until = parse_date(&input.until);
        match until {
            None => errors.push(crate::FieldError::new("until", "请填写暂缓到哪一天，例如 2025-04-10。")),
            Some(day) if day <= today => errors.push(crate::FieldError::new("until", "暂缓日期应在今天之后。")),
            _ => {}
        }
        if clean(&input.note).is_empty() {
            errors.push(crate::FieldError::new("note", "请写明暂缓的原因，例如“单位已电话说明，4月10日前报送”。"));
        }
        let step = Step::parse(&input.step);
        if step.is_none() {
            errors.push(crate::FieldError::new("step", "没有这个办理环节。"));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO snoozes (item_id, step, unit_id, until, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![input.item_id, step, input.unit_id, until, clean(&input.note), now_stamp()],
        )?;
        let logged = Logged { kind: LogKind::Reminder, action: "暂缓提醒", target: item_target(&tx, input.item_id)?, item_id: Some(input.item_id) };
        logged.write(&tx, &self.user, &[
            change("环节", "", input.step.clone()),
            change("暂缓到", "", until.map(crate::text::format_date_cn).unwrap_or_default()),
            change("原因", "", clean(&input.note)),
        ])?;
        tx.commit()?;
        Ok(())
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

/// A year's template as the operation log shows it: each step and its rule.
fn template_fields(template: &Template) -> Fields {
    DEADLINE_STEPS.iter().map(|step| (step.as_str(), Rule::describe(template.get(step)))).collect()
}

/// A workflow entry as the operation log shows it.
fn event_fields(conn: &Connection, event_id: i64) -> Result<Fields> {
    Ok(conn.query_row(
        "SELECT e.step, e.happened_on, u.name, e.details, e.note, e.voided, e.void_reason FROM events e
         LEFT JOIN units u ON u.id = e.unit_id WHERE e.id = ?1",
        [event_id],
        |r| {
            let details: String = r.get(3)?;
            Ok(vec![
                ("环节", r.get::<_, String>(0)?),
                ("日期", crate::text::format_date_cn(r.get(1)?)),
                ("单位", r.get::<_, Option<String>>(2)?.unwrap_or_default()),
                ("内容", serde_json::from_str::<StepRecord>(&details).map(|s| s.summary()).unwrap_or_default()),
                ("备注", r.get(4)?),
                ("状态", if r.get::<_, bool>(5)? { r.get::<_, String>(6)? } else { "有效".into() }),
            ])
        },
    )?)
}

/// Logs a workflow entry recorded, corrected (`before` is the replaced entry) or undone.
fn log_event(tx: &rusqlite::Transaction, user: &str, action: &str, item_id: i64, before: &Fields, event_id: i64) -> Result<()> {
    let logged = Logged { kind: LogKind::Workflow, action, target: item_target(tx, item_id)?, item_id: Some(item_id) };
    logged.write_diff(tx, user, before, &event_fields(tx, event_id)?)
}

fn insert_event(tx: &rusqlite::Transaction, item_id: i64, step: &workflow::CheckedStep, replaces: Option<i64>) -> Result<i64> {
    tx.execute(
        "INSERT INTO events (item_id, unit_id, step, happened_on, details, note, recorded_at, replaces)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            item_id,
            step.unit_id,
            step.record.step(),
            step.happened_on,
            serde_json::to_string(&step.record).expect("a step record serialises"),
            step.note,
            now_stamp(),
            replaces
        ],
    )?;
    Ok(tx.last_insert_rowid())
}
