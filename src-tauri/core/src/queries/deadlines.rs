//! The deadline tables: each year's template (`deadline_rules`), an item's own deadlines
//! (`deadline_overrides`) and the calendar of holidays and working weekends (`calendar_days`).
//! The rules themselves (what a template says, counting working days) are in `deadlines.rs`.

use crate::model::LogKind;
use crate::db::Db;
use crate::deadlines::{self, Rule, Template, BUILT_IN, DEADLINE_STEPS};
use crate::error::{Error, Result};
use crate::text::{clean, parse_date};
use crate::workflow::Step;
use super::rules::{load_template, template_to_edit};
use super::log::{change, item_target, Fields, Logged};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

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

impl Db {
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
        super::work::refresh(&tx, super::work::Scope::Item(item_id))?;
        tx.commit()?;
        Ok(())
    }

    /// The deadline template of a year (the default one while the clerk has not set it).
    pub fn deadline_template(&self, year: i32) -> Result<TemplateView> {
        let saved = load_template(&self.conn, year)?;
        let template = match &saved {
            Some(t) => t.clone(),
            None => template_to_edit(&self.conn, year)?,
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
        let before = template_fields(&template_to_edit(&self.conn, year)?);
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
        // Deadlines of many items may move (a rule of a year, a working day).
        super::work::refresh(&tx, super::work::Scope::All)?;
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
        let current = template_to_edit(&self.conn, year)?;
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
        // Deadlines of many items may move (a rule of a year, a working day).
        super::work::refresh(&tx, super::work::Scope::All)?;
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
        // Deadlines of many items may move (a rule of a year, a working day).
        super::work::refresh(&tx, super::work::Scope::All)?;
        tx.commit()?;
        Ok(())
    }
}

/// A year's template as the operation log shows it: each step and its rule.
fn template_fields(template: &Template) -> Fields {
    DEADLINE_STEPS.iter().map(|step| (step.as_str(), Rule::describe(template.get(step)))).collect()
}
