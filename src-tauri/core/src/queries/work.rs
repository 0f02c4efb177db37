//! The tables `item_work` and `pending_steps`: each item's progress (status, pending steps
//! with their deadlines, the reply's deadline) as its events, units and the deadline tables
//! make it, for the work of one year, and what the figures count of the item itself. They are kept current in the transaction of every
//! write that can change an item's progress, so the screens read the open work instead of
//! recomputing every item of every year; [`compute`] is the full recomputation they must
//! always equal.
//!
//! The work year (`kept_work_year` in settings) matters because a B item of an earlier year
//! waits for a 回头看 in each later year: when the program is first used in a new year (or
//! a ledger comes from an older version, which has no kept state), everything is computed
//! once again.

use crate::db::Db;
use crate::deadlines::{self, DueDates, Template};
use crate::error::{Error, Result};
use crate::model::{CountyRole, UnitRole};
use crate::queries::figures;
use crate::queries::rules::{load_calendar, load_closed_years, template_or_default};
use crate::workflow::{self, ItemFacts, Pending, Progress, Rating, Recorded, ReplyClass, Step, StepRecord};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;

/// The setting naming the year the kept state is computed for.
const KEPT_YEAR: &str = "kept_work_year";

/// A step an item waits for, with its deadline (none for a step without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptStep {
    pub step: Step,
    /// How the step reads on screen (重新办理 says which round).
    pub label: String,
    pub unit_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
    /// The item has its own deadline for this step.
    pub overridden: bool,
}

/// What the figures count of an item itself, kept beside its progress so that a year's
/// figures are read from one table: its session and year, role, key mark, category, how
/// many signed it and whether the lead proposer is a collective.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedFacts {
    pub session_id: i64,
    pub year: i32,
    pub county_role: CountyRole,
    pub is_key: bool,
    pub category_id: Option<i64>,
    /// The named proposers, or the 联名总人数 when more signed than are named.
    pub signers: i64,
    pub collective: bool,
}

impl CountedFacts {
    /// The facts from seven columns of a row, from `first` on, in the order of the fields.
    fn from_row(r: &rusqlite::Row, first: usize) -> rusqlite::Result<CountedFacts> {
        Ok(CountedFacts {
            session_id: r.get(first)?,
            year: r.get(first + 1)?,
            county_role: r.get(first + 2)?,
            is_key: r.get(first + 3)?,
            category_id: r.get(first + 4)?,
            signers: r.get(first + 5)?,
            collective: r.get(first + 6)?,
        })
    }
}

/// An item's progress as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptWork {
    pub item_id: i64,
    pub facts: CountedFacts,
    pub progress: Progress,
    /// The pending steps, in the order the workflow lists them.
    pub pending: Vec<KeptStep>,
    /// 办理时限: when the formal reply is (or was) due; only for items the county leads.
    pub reply_due: Option<NaiveDate>,
    /// When the units' own steps were due, by the item's own year's template: what the
    /// units' evaluation judges them by.
    pub dues: OwnStepDues,
    /// When they were first recorded: what the evaluation judges against those deadlines.
    pub days: OwnStepDays,
}

/// When an item's units first recorded their own steps (the events not voided).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnStepDays {
    /// The first 面商, by any unit.
    pub met_on: Option<NaiveDate>,
    /// Each unit of the item, by unit id: its role, its first 签收 and its first 协办意见.
    pub units: Vec<UnitDays>,
}

/// One unit's first days on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitDays {
    pub unit_id: i64,
    pub role: UnitRole,
    pub received_on: Option<NaiveDate>,
    pub assisted_on: Option<NaiveDate>,
}

impl OwnStepDays {
    fn of(units: &[(i64, UnitRole)], events: &[Recorded]) -> OwnStepDays {
        let first = |step: Step, unit: Option<i64>| {
            events.iter().filter(|e| e.record.step() == step && (unit.is_none() || e.unit_id == unit)).map(|e| e.happened_on).min()
        };
        let mut units: Vec<UnitDays> = units
            .iter()
            .map(|&(unit_id, role)| UnitDays {
                unit_id,
                role,
                received_on: first(Step::Receipt, Some(unit_id)),
                assisted_on: first(Step::AssistOpinion, Some(unit_id)),
            })
            .collect();
        units.sort_by_key(|u| u.unit_id);
        OwnStepDays { met_on: first(Step::Meeting, None), units }
    }
}

/// When an item's units' own steps were due (none when the template sets no deadline).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OwnStepDues {
    pub receipt: Option<NaiveDate>,
    pub meeting: Option<NaiveDate>,
    pub assist_opinion: Option<NaiveDate>,
}

impl OwnStepDues {
    pub fn of(&self, step: Step) -> Option<NaiveDate> {
        match step {
            Step::Receipt => self.receipt,
            Step::Meeting => self.meeting,
            Step::AssistOpinion => self.assist_opinion,
            _ => None,
        }
    }
}

/// Which items a computation or a refresh covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    Item(i64),
    /// Many items at once (an import, steps in bulk): read in one pass, not one by one.
    Items(&'a [i64]),
    All,
}

impl Scope<'_> {
    /// The condition on `column` (an item id) for this scope, with [`Scope::value`] as ?1.
    /// One SQL text per scope, so the statements are prepared once and cached.
    fn condition(self, column: &str) -> String {
        match self {
            Scope::Item(_) => format!("{column} = ?1"),
            Scope::Items(_) => format!("{column} IN (SELECT value FROM json_each(?1))"),
            Scope::All => "?1 IS NULL".into(),
        }
    }

    fn value(self) -> rusqlite::types::Value {
        match self {
            Scope::Item(id) => id.into(),
            Scope::Items(ids) => serde_json::to_string(ids).expect("ids serialise").into(),
            Scope::All => rusqlite::types::Value::Null,
        }
    }
}

/// Computes the progress of the items in `scope` (not in the recycle bin) for the work of
/// `work_year`, from their events, units and the deadline tables; stores nothing.
pub fn compute(conn: &Connection, work_year: i32, scope: Scope<'_>) -> Result<Vec<KeptWork>> {
    let calendar = load_calendar(conn)?;
    let mut templates: HashMap<i32, Template> = HashMap::new();
    let closed = load_closed_years(conn)?;

    let mut overrides: HashMap<i64, HashMap<Step, NaiveDate>> = HashMap::new();
    let sql = format!("SELECT item_id, step, due_on FROM deadline_overrides WHERE {}", scope.condition("item_id"));
    for row in conn.prepare_cached(&sql)?.query_map([scope.value()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, NaiveDate>(2)?)))? {
        let (item, step, due) = row?;
        if let Some(step) = Step::parse(&step) {
            overrides.entry(item).or_default().insert(step, due);
        }
    }

    let mut units: HashMap<i64, Vec<(i64, UnitRole)>> = HashMap::new();
    let sql = format!("SELECT item_id, unit_id, role FROM assignments WHERE {} ORDER BY role = '协办', position", scope.condition("item_id"));
    for row in conn.prepare_cached(&sql)?.query_map([scope.value()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, UnitRole>(2)?)))? {
        let (item, unit, role) = row?;
        units.entry(item).or_default().push((unit, role));
    }

    let mut events: HashMap<i64, Vec<Recorded>> = HashMap::new();
    let sql = format!("SELECT item_id, happened_on, unit_id, details FROM events WHERE voided = 0 AND {} ORDER BY happened_on, id", scope.condition("item_id"));
    for row in conn.prepare_cached(&sql)?.query_map([scope.value()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, NaiveDate>(1)?, r.get::<_, Option<i64>>(2)?, r.get::<_, String>(3)?)))? {
        let (item, happened_on, unit_id, details) = row?;
        let Ok(record) = serde_json::from_str::<StepRecord>(&details) else { continue };
        events.entry(item).or_default().push(Recorded { happened_on, unit_id, record });
    }

    let sql = format!(
        "SELECT i.id, i.assigned_on, i.session_id, s.year, i.county_role, i.is_key, i.category_id,
                max(ifnull(i.signers_total, 0), (SELECT count(*) FROM proposers p WHERE p.item_id = i.id)),
                EXISTS (SELECT 1 FROM proposers p WHERE p.item_id = i.id AND p.position = 0 AND p.is_collective = 1)
         FROM items i JOIN sessions s ON s.id = i.session_id
         WHERE i.deleted_at IS NULL AND {} ORDER BY s.year, i.id",
        scope.condition("i.id")
    );
    let items = conn
        .prepare_cached(&sql)?
        .query_map([scope.value()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<NaiveDate>>(1)?, CountedFacts::from_row(r, 2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let no_overrides = HashMap::new();
    let no_recorded = HashMap::new();
    let mut result = Vec::with_capacity(items.len());
    for (id, assigned_on, facts) in items {
        let (year, county_role) = (facts.year, facts.county_role);
        let roles = units.remove(&id).unwrap_or_default();
        let item_events = events.remove(&id).unwrap_or_default();
        let progress = workflow::progress(&ItemFacts { county_role, year, units: &roles, closed: closed.contains(&year) }, &item_events, work_year);
        let recorded: HashMap<Step, NaiveDate> = item_events.iter().map(|e| (e.record.step(), e.happened_on)).collect();
        let overrides = overrides.get(&id).unwrap_or(&no_overrides);
        // A carried-over item's 回头看 is due by this year's template, not its own year's.
        let lookback_year = work_year.max(year);
        for y in [year, lookback_year] {
            if !templates.contains_key(&y) {
                templates.insert(y, template_or_default(conn, y, work_year)?);
            }
        }
        let own_template = &templates[&year];
        let reply_due = (county_role == CountyRole::Lead)
            .then(|| DueDates { template: own_template, calendar: &calendar, overrides, assigned_on, recorded: &no_recorded }.due(Step::Reply))
            .flatten();
        let mut pending = Vec::with_capacity(progress.pending.len());
        for Pending { step, unit_id } in &progress.pending {
            let template = if *step == Step::Lookback { &templates[&lookback_year] } else { own_template };
            let dates = DueDates { template, calendar: &calendar, overrides, assigned_on, recorded: &recorded };
            let due_on = match step {
                Step::Redo => overrides.get(step).copied().or(progress.redo_since.map(|d| deadlines::redo_due(&calendar, d))),
                _ => dates.due(*step),
            };
            let label = match step {
                Step::Redo => format!("重新办理（第{}次）", progress.redo_rounds),
                other => other.as_str().to_string(),
            };
            pending.push(KeptStep { step: *step, label, unit_id: *unit_id, due_on, overridden: overrides.contains_key(step) });
        }
        let own = DueDates { template: own_template, calendar: &calendar, overrides, assigned_on, recorded: &recorded };
        let dues = OwnStepDues { receipt: own.due(Step::Receipt), meeting: own.due(Step::Meeting), assist_opinion: own.due(Step::AssistOpinion) };
        let days = OwnStepDays::of(&roles, &item_events);
        result.push(KeptWork { item_id: id, facts, progress, pending, reply_due, dues, days });
    }
    Ok(result)
}

/// Stores the computed progress of `scope` in place of what was kept for it.
/// The kept figures (queries/figures.rs) follow: the scope's counts are taken out first and
/// counted in again after (the whole of them afresh when everything is stored).
fn store(conn: &Connection, work_year: i32, scope: Scope<'_>) -> Result<()> {
    let (condition, value) = (scope.condition("item_id"), scope.value());
    if scope != Scope::All {
        figures::count_in(conn, &condition, &value, -1)?;
    }
    conn.prepare_cached(&format!("DELETE FROM item_work WHERE {condition}"))?.execute([&value])?;
    conn.prepare_cached(&format!("DELETE FROM pending_steps WHERE {condition}"))?.execute([&value])?;
    conn.prepare_cached(&format!("DELETE FROM unit_work WHERE {condition}"))?.execute([&value])?;
    if scope == Scope::All {
        figures::clear(conn)?;
    }
    // The JSON and the figures the screens count, written together (FIGURES_DISAGREE checks them).
    let mut work = conn.prepare_cached(
        "INSERT INTO item_work (item_id, open, reply_due, progress, status, class, reply_class, replied_on, doc_number, work_rating, result_rating,
                                met, redo_rounds, publication, solved_on, session_id, year, county_role, is_key, category_id, signers, collective, draft_returns,
                                receipt_due, meeting_due, assist_due, opinion_channel, opinion_on, opinion_comments, met_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
    )?;
    let mut units = conn.prepare_cached(
        "INSERT INTO unit_work (item_id, unit_id, year, role, received_on, assisted_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut steps = conn.prepare_cached(
        "INSERT INTO pending_steps (item_id, position, step, label, unit_id, due_on, overridden, year, session_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for kept in compute(conn, work_year, scope)? {
        let progress = serde_json::to_string(&kept.progress).expect("progress serialises");
        let (p, f) = (&kept.progress, &kept.facts);
        let (reply, opinion) = (p.reply.as_ref(), p.opinion.as_ref());
        work.execute(params![
            kept.item_id, !kept.pending.is_empty(), kept.reply_due, progress, p.status, p.class, reply.map(|r| r.class), reply.map(|r| r.replied_on),
            reply.map(|r| &r.doc_number), opinion.map(|o| o.work), opinion.map(|o| o.result), p.met, p.redo_rounds, p.publication, p.solved_on,
            f.session_id, f.year, f.county_role, f.is_key, f.category_id, f.signers, f.collective, p.draft_returns,
            kept.dues.receipt, kept.dues.meeting, kept.dues.assist_opinion, opinion.map(|o| o.channel), opinion.map(|o| o.returned_on),
            opinion.map(|o| &o.comments), kept.days.met_on
        ])?;
        for u in &kept.days.units {
            units.execute(params![kept.item_id, u.unit_id, f.year, u.role, u.received_on, u.assisted_on])?;
        }
        for (position, step) in kept.pending.iter().enumerate() {
            steps.execute(params![kept.item_id, position as i64, step.step.as_str(), step.label, step.unit_id, step.due_on, step.overridden, f.year, f.session_id])?;
        }
    }
    figures::count_in(conn, &condition, &value, 1)
}

/// The rows whose figure columns say something else than their progress JSON: none, ever
/// (store writes both; the tests ask after every kind of write).
const FIGURES_DISAGREE: &str = "SELECT count(*) FROM item_work WHERE
    status IS NOT json_extract(progress, '$.status') OR class IS NOT json_extract(progress, '$.class')
    OR reply_class IS NOT json_extract(progress, '$.reply.class') OR replied_on IS NOT json_extract(progress, '$.reply.replied_on')
    OR doc_number IS NOT json_extract(progress, '$.reply.doc_number') OR work_rating IS NOT json_extract(progress, '$.opinion.work')
    OR result_rating IS NOT json_extract(progress, '$.opinion.result') OR met IS NOT json_extract(progress, '$.met')
    OR redo_rounds IS NOT json_extract(progress, '$.redo_rounds') OR publication IS NOT json_extract(progress, '$.publication')
    OR solved_on IS NOT json_extract(progress, '$.solved_on') OR draft_returns IS NOT json_extract(progress, '$.draft_returns')
    OR opinion_channel IS NOT json_extract(progress, '$.opinion.channel') OR opinion_on IS NOT json_extract(progress, '$.opinion.returned_on')
    OR opinion_comments IS NOT json_extract(progress, '$.opinion.comments')";

/// Brings the kept progress of `scope` up to date, in the caller's transaction, after a
/// write that may have changed it. Nothing is done while no year is kept (the next read
/// computes everything).
pub(crate) fn refresh(conn: &Connection, scope: Scope<'_>) -> Result<()> {
    match kept_year(conn)? {
        Some(year) => store(conn, year, scope),
        None => Ok(()),
    }
}

/// Whether the progress of the items is kept (every item not in the recycle bin has its
/// row, and the counts kept beside them are whole): once it was first computed, every write
/// keeps it so. A ledger from an older version has none until its first screen.
pub(crate) fn is_kept(conn: &Connection) -> Result<bool> {
    Ok(kept_year(conn)?.is_some())
}

fn kept_year(conn: &Connection) -> Result<Option<i32>> {
    let year: Option<String> = conn.query_row("SELECT value FROM settings WHERE key = ?1", [KEPT_YEAR], |r| r.get(0)).optional()?;
    Ok(year.and_then(|y| y.parse().ok()))
}

/// Makes sure the kept progress is for the work of `work_year`; computes all of it, in one
/// transaction, when it is not (the first use in a new year, a ledger from an older version).
pub(crate) fn ensure(conn: &Connection, work_year: i32) -> Result<()> {
    if kept_year(conn)? == Some(work_year) {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    store(&tx, work_year, Scope::All)?;
    tx.execute("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", params![KEPT_YEAR, work_year.to_string()])?;
    tx.commit()?;
    Ok(())
}

/// The kept progress of the items whose ids `filter` (a condition on `i.id`, `s.year` …
/// over items `i` joined with their sessions `s`) selects, in item order.
pub(crate) fn read(conn: &Connection, filter: &str, values: &[rusqlite::types::Value]) -> Result<Vec<KeptWork>> {
    let mut steps: HashMap<i64, Vec<KeptStep>> = HashMap::new();
    let sql = format!(
        "SELECT p.item_id, p.step, p.label, p.unit_id, p.due_on, p.overridden FROM pending_steps p
         JOIN items i ON i.id = p.item_id JOIN sessions s ON s.id = i.session_id WHERE {filter} ORDER BY p.item_id, p.position"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<i64>>(3)?, r.get::<_, Option<NaiveDate>>(4)?, r.get::<_, bool>(5)?))
    })?;
    for row in rows {
        let (item, step, label, unit_id, due_on, overridden) = row?;
        let Some(step) = Step::parse(&step) else { continue };
        steps.entry(item).or_default().push(KeptStep { step, label, unit_id, due_on, overridden });
    }
    let mut unit_days: HashMap<i64, Vec<UnitDays>> = HashMap::new();
    let sql = format!(
        "SELECT u.item_id, u.unit_id, u.role, u.received_on, u.assisted_on FROM unit_work u
         JOIN items i ON i.id = u.item_id JOIN sessions s ON s.id = i.session_id WHERE {filter} ORDER BY u.item_id, u.unit_id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
        Ok((r.get::<_, i64>(0)?, UnitDays { unit_id: r.get(1)?, role: r.get(2)?, received_on: r.get(3)?, assisted_on: r.get(4)? }))
    })?;
    for row in rows {
        let (item, days) = row?;
        unit_days.entry(item).or_default().push(days);
    }
    let sql_work = format!(
        "SELECT w.item_id, w.reply_due, w.progress, w.session_id, w.year, w.county_role, w.is_key, w.category_id, w.signers, w.collective,
                w.receipt_due, w.meeting_due, w.assist_due, w.met_on FROM item_work w
         JOIN items i ON i.id = w.item_id JOIN sessions s ON s.id = i.session_id WHERE {filter} ORDER BY w.item_id"
    );
    let mut stmt = conn.prepare(&sql_work)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
        let dues = OwnStepDues { receipt: r.get(10)?, meeting: r.get(11)?, assist_opinion: r.get(12)? };
        Ok((r.get::<_, i64>(0)?, r.get::<_, Option<NaiveDate>>(1)?, r.get::<_, String>(2)?, CountedFacts::from_row(r, 3)?, dues, r.get(13)?))
    })?;
    let mut result = Vec::new();
    for row in rows {
        let (item_id, reply_due, progress, facts, dues, met_on) = row?;
        let progress: Progress = serde_json::from_str(&progress).map_err(|e| crate::Error::Damaged(format!("办理进度记录无法读取：{e}")))?;
        let days = OwnStepDays { met_on, units: unit_days.remove(&item_id).unwrap_or_default() };
        result.push(KeptWork { item_id, facts, progress, pending: steps.remove(&item_id).unwrap_or_default(), reply_due, dues, days });
    }
    Ok(result)
}

/// The formal reply's class of each of `ids` that was replied, from the kept progress.
pub(crate) fn reply_classes(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached("SELECT item_id, reply_class FROM item_work WHERE reply_class IS NOT NULL AND item_id IN (SELECT value FROM json_each(?1))")?;
    let classes = stmt.query_map([serde_json::to_string(ids).expect("ids serialise")], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(classes)
}

/// One item of the grid with the results it has now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultRow {
    pub item_id: i64,
    pub number: String,
    pub title: String,
    pub proposer: String,
    /// ISO, empty when there is no formal reply.
    pub replied_on: String,
    pub doc_number: String,
    pub class: String,
    pub work: String,
    pub result: String,
    pub channel: String,
}

impl Db {
    /// The grid of a session: its items the county leads (the ones that get a formal reply),
    /// in the order of their numbers, each with its results as kept (as of `today`).
    pub fn result_rows(&self, session_id: i64, today: NaiveDate) -> Result<Vec<ResultRow>> {
        ensure(&self.conn, today.year())?;
        let mut stmt = self.conn.prepare(
            "SELECT i.id, i.number, i.title, ifnull(i.lead_proposer, ''), ifnull(w.replied_on, ''), ifnull(w.doc_number, ''), ifnull(w.reply_class, ''),
                    ifnull(w.work_rating, ''), ifnull(w.result_rating, ''), ifnull(json_extract(w.progress, '$.opinion.channel'), '')
             FROM items i JOIN item_work w ON w.item_id = i.id
             WHERE i.session_id = ?1 AND i.deleted_at IS NULL AND i.county_role = ?2
             ORDER BY CAST(i.number AS INTEGER), i.number",
        )?;
        let rows = stmt.query_map(rusqlite::params![session_id, CountyRole::Lead], |r| {
            Ok(ResultRow {
                item_id: r.get(0)?,
                number: r.get(1)?,
                title: r.get(2)?,
                proposer: r.get(3)?,
                replied_on: r.get(4)?,
                doc_number: r.get(5)?,
                class: r.get(6)?,
                work: r.get(7)?,
                result: r.get(8)?,
                channel: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// What the evaluation reads of an item's kept progress.
pub(crate) struct KeptFacts {
    pub item: i64,
    pub number: String,
    pub title: String,
    pub county_role: CountyRole,
    pub reply_due: Option<NaiveDate>,
    pub replied_on: Option<NaiveDate>,
    pub reply_class: Option<ReplyClass>,
    /// The last 征求意见: on the work and on the result.
    pub opinion: Option<(Rating, Rating)>,
    pub redo_rounds: u32,
    pub draft_returns: u32,
    pub dues: OwnStepDues,
    /// The first 面商, by any unit.
    pub met_on: Option<NaiveDate>,
}

/// A year's items as the evaluation reads them, from the covering index item_work_evaluation.
/// This read and the next come in the order of the items, so each item's units are the
/// next rows of theirs, not looked up.
const YEAR_ITEMS: &str = "SELECT w.item_id, i.number, i.title, w.county_role, w.reply_due, w.replied_on, w.reply_class, w.work_rating,
        w.result_rating, w.redo_rounds, w.draft_returns, w.receipt_due, w.meeting_due, w.assist_due, w.met_on
     FROM item_work w JOIN items i ON i.id = w.item_id WHERE w.year = ?1 ORDER BY w.item_id";
/// The units of the year's items with the days they first recorded their own steps, from the
/// covering index unit_work_year.
const UNITS: &str = "SELECT item_id, unit_id, role, received_on, assisted_on FROM unit_work WHERE year = ?1 ORDER BY item_id";

/// A year's items as the evaluation reads them (see [`YEAR_ITEMS`]), in item order.
pub(crate) fn year_facts(conn: &Connection, year: i32) -> Result<Vec<KeptFacts>> {
    let day = crate::queries::day_at;
    let facts = conn
        .prepare_cached(YEAR_ITEMS)?
        .query_map([year], |r| {
            Ok(KeptFacts {
                item: r.get(0)?,
                number: r.get(1)?,
                title: r.get(2)?,
                county_role: r.get(3)?,
                reply_due: day(r, 4)?,
                replied_on: day(r, 5)?,
                reply_class: r.get(6)?,
                opinion: match (r.get::<_, Option<Rating>>(7)?, r.get::<_, Option<Rating>>(8)?) {
                    (Some(work), Some(result)) => Some((work, result)),
                    _ => None,
                },
                redo_rounds: r.get(9)?,
                draft_returns: r.get(10)?,
                dues: OwnStepDues { receipt: day(r, 11)?, meeting: day(r, 12)?, assist_opinion: day(r, 13)? },
                met_on: day(r, 14)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(facts)
}

/// The units of a year's items (see [`UNITS`]), in item order: item, unit, role, and the
/// days the unit first recorded its 签收 and its 协办意见.
pub(crate) fn year_units(conn: &Connection, year: i32) -> Result<Vec<(i64, i64, UnitRole, Option<NaiveDate>, Option<NaiveDate>)>> {
    let day = crate::queries::day_at;
    let units = conn.prepare_cached(UNITS)?.query_map([year], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, day(r, 3)?, day(r, 4)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(units)
}

impl Db {
    /// The progress of every item kept as of `today`, and computed afresh from the events:
    /// the two must always be equal (tests check it after every kind of write).
    /// The figure columns kept beside the progress are checked against it first, and the
    /// figures kept per year against a count of the items.
    pub fn kept_and_recomputed(&self, today: NaiveDate) -> Result<(Vec<KeptWork>, Vec<KeptWork>)> {
        ensure(&self.conn, today.year())?;
        let disagreeing: i64 = self.conn.query_row(FIGURES_DISAGREE, [], |r| r.get(0))?;
        if disagreeing > 0 {
            return Err(Error::Damaged(format!("{disagreeing} 件的办理进度与其统计栏不一致。")));
        }
        let disagreeing = figures::disagreeing(&self.conn)?;
        if disagreeing > 0 {
            return Err(Error::Damaged(format!("{disagreeing} 行保存的统计数与重新计数不一致。")));
        }
        Ok((read(&self.conn, "1", &[])?, compute(&self.conn, today.year(), Scope::All)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn a_years_evaluation_reads_narrow_indexes_not_the_items_progress() {
        let db = Db::open_in_memory().unwrap();
        let plan = |sql: &str| db.query_plan(sql, &[2025.into()]).unwrap();
        let items = plan(YEAR_ITEMS);
        assert!(items.contains("COVERING INDEX item_work_evaluation (year=?)"), "{items}");
        let units = plan(UNITS);
        assert!(units.contains("COVERING INDEX unit_work_year (year=?)"), "{units}");
        for read in [items, units] {
            assert!(!read.contains("TEMP B-TREE"), "in the order of the index, not sorted: {read}");
        }
    }

    use crate::error::Error;

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
}
