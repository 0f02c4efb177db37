//! The `snoozes` table: a reminder put off by the clerk, with her reason, until a day.

use crate::model::LogKind;
use crate::db::{now_stamp, Db};
use crate::error::{Error, Result};
use crate::text::{clean, parse_date};
use crate::workflow::Step;
use super::log::{change, item_target, Logged};
use chrono::NaiveDate;
use rusqlite::params;
use serde::{Deserialize, Serialize};

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

impl Db {
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
}
