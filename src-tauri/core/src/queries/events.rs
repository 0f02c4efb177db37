//! The `events` table: recording a step of the workflow, correcting it and undoing it, each
//! keeping the history (the original stays, marked) and logged in the same transaction.

use crate::model::LogKind;
use crate::db::{now_stamp, Db};
use crate::error::{Error, Result};
use crate::model::{CountyRole, UnitRole};
use crate::text::clean;
use crate::workflow::{self, check_step, StepInput, StepRecord};
use super::log::{item_target, Fields, Logged};
use super::work::{self, Scope};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

impl Db {
    /// What checking a step of this item needs: its units, assigned date and the county's role.
    pub(crate) fn event_context(&self, item_id: i64) -> Result<(Vec<(i64, UnitRole)>, Option<NaiveDate>, CountyRole)> {
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
        let id = insert_event(&tx, item_id, &step, None, "")?;
        log_event(&tx, &self.user, "登记办理环节", item_id, &Vec::new(), id)?;
        work::refresh(&tx, Scope::Item(item_id))?;
        tx.commit()?;
        Ok(id)
    }

    /// Records many steps at once (a results grid, a year taken in from another ledger): each
    /// checked as [`Db::record_step`] checks it, all written in one transaction, so either
    /// all are recorded or, when one is wrong, none; the error says which (`steps.N.field`).
    pub fn record_steps(&mut self, steps: &[(i64, StepInput)]) -> Result<Vec<i64>> {
        let mut checked = Vec::with_capacity(steps.len());
        let mut contexts = std::collections::HashMap::new();
        for (n, (item_id, input)) in steps.iter().enumerate() {
            let in_row = |e: Error| e.within(&format!("steps.{n}"));
            crate::input::check_form(input).map_err(in_row)?;
            if !contexts.contains_key(item_id) {
                contexts.insert(*item_id, self.event_context(*item_id).map_err(in_row)?);
            }
            let (units, assigned_on, county_role) = &contexts[item_id];
            let step = check_step(input, units, *assigned_on, *county_role).map_err(in_row)?;
            self.check_reply_draft(*item_id, &step).map_err(in_row)?;
            checked.push((*item_id, step));
        }
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(checked.len());
        for (item_id, step) in &checked {
            let id = insert_event(&tx, *item_id, step, None, "")?;
            log_event(&tx, &self.user, "登记办理环节", *item_id, &Vec::new(), id)?;
            ids.push(id);
        }
        let items: Vec<i64> = contexts.keys().copied().collect();
        work::refresh(&tx, Scope::Items(&items))?;
        tx.commit()?;
        Ok(ids)
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
        let id = correct_event(&tx, &self.user, event_id, item_id, &step, "")?;
        work::refresh(&tx, Scope::Item(item_id))?;
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
        work::refresh(&tx, Scope::Item(item_id))?;
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
}

/// Replaces the live entry `event_id` of `item_id` with `step`, in the caller's transaction:
/// the old one stays on the timeline, marked 已更正; logged; `source` as for [`insert_event`].
/// Returns the new entry's id.
pub(crate) fn correct_event(tx: &rusqlite::Transaction, user: &str, event_id: i64, item_id: i64, step: &workflow::CheckedStep, source: &str) -> Result<i64> {
    let before = event_fields(tx, event_id)?;
    tx.execute("UPDATE events SET voided = 1, voided_at = ?1, void_reason = '已更正' WHERE id = ?2", params![now_stamp(), event_id])?;
    let id = insert_event(tx, item_id, step, Some(event_id), source)?;
    log_event(tx, user, "更正办理记录", item_id, &before, id)?;
    Ok(id)
}

/// A workflow entry as the operation log shows it.
fn event_fields(conn: &Connection, event_id: i64) -> Result<Fields> {
    Ok(conn.query_row(
        "SELECT e.step, e.happened_on, u.name, e.details, e.note, e.voided, e.void_reason, e.source FROM events e
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
                ("来源", r.get(7)?),
            ])
        },
    )?)
}

/// Logs a workflow entry recorded, corrected (`before` is the replaced entry) or undone.
pub(crate) fn log_event(tx: &rusqlite::Transaction, user: &str, action: &str, item_id: i64, before: &Fields, event_id: i64) -> Result<()> {
    let logged = Logged { kind: LogKind::Workflow, action, target: item_target(tx, item_id)?, item_id: Some(item_id) };
    logged.write_diff(tx, user, before, &event_fields(tx, event_id)?)
}

/// Writes a checked step; `source` is empty for a step the clerk typed, else what brought
/// it in (补录：file name).
pub(crate) fn insert_event(tx: &rusqlite::Transaction, item_id: i64, step: &workflow::CheckedStep, replaces: Option<i64>, source: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO events (item_id, unit_id, step, happened_on, details, note, recorded_at, replaces, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            item_id,
            step.unit_id,
            step.record.step(),
            step.happened_on,
            serde_json::to_string(&step.record).expect("a step record serialises"),
            step.note,
            now_stamp(),
            replaces,
            source
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The live entries of one step of an item (of one unit, for a unit's own step), oldest
/// first: what a returned file or a results grid is compared with.
/// Whether a live step of the item carries `note` already (a unit's 备注 taken back before).
/// The live steps recorded for the items of a session: item and step, as an import finds
/// the results its rows need not record again.
pub(crate) fn live_steps_in_session(conn: &Connection, session_id: i64) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare("SELECT e.item_id, e.step FROM events e JOIN items i ON i.id = e.item_id WHERE i.session_id = ?1 AND e.voided = 0")?;
    let rows = stmt.query_map([session_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(crate) fn note_recorded(conn: &Connection, item_id: i64, note: &str) -> Result<bool> {
    let mut stmt = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM events WHERE item_id = ?1 AND voided = 0 AND note = ?2)")?;
    Ok(stmt.query_row(params![item_id, note], |r| r.get(0))?)
}

pub(crate) fn live_events(conn: &Connection, item_id: i64, step: workflow::Step, unit: Option<i64>) -> Result<Vec<(i64, NaiveDate, StepRecord)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, happened_on, details FROM events WHERE item_id = ?1 AND step = ?2 AND voided = 0 AND (?3 IS NULL OR unit_id = ?3) ORDER BY happened_on, id",
    )?;
    let rows = stmt.query_map(params![item_id, step.as_str(), unit], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, NaiveDate>(1)?, r.get::<_, String>(2)?)))?;
    let mut found = Vec::new();
    for row in rows {
        let (id, day, details) = row?;
        if let Ok(record) = serde_json::from_str::<StepRecord>(&details) {
            found.push((id, day, record));
        }
    }
    Ok(found)
}
