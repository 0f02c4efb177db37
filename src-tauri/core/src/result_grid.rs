//! 成批登记办理结果: one session's items in a grid, one row per item, where the clerk types or
//! pastes the results of many items at once (答复日期, 文号, 办理结果, the two ratings,
//! 沟通方式), as in a spreadsheet. Each row is checked as the step forms check a typed step;
//! a save records every valid row in one transaction (a changed result as a correction, the
//! old entry kept on the timeline, marked) and hands the invalid rows back with their reasons.

use crate::model::LogKind;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::model::{CountyRole, UnitRole};
use crate::queries::events::{correct_event, insert_event, live_events, log_event};
use crate::queries::log::{change, Logged};
use crate::queries::work::{self, Scope};
use crate::result_words::{class_for_form, date_in, rating_for_form};
use crate::text::clean;
use crate::workflow::{check_step, Channel, CheckedStep, MeetingMethod, Step, StepInput, StepRecord};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A row as the clerk typed it: raw text, checked here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResultInput {
    pub item_id: i64,
    pub replied_on: String,
    pub doc_number: String,
    pub class: String,
    pub work: String,
    pub result: String,
    pub channel: String,
}

/// Why one cell of a row cannot be recorded; `field` is the column (`replied_on`, `class` …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellProblem {
    pub item_id: i64,
    pub field: String,
    pub message: String,
}

/// What a save did: the rows recorded, the rows that changed nothing, the problems of the
/// rows left on the screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BulkOutcome {
    pub saved: usize,
    pub unchanged: usize,
    pub problems: Vec<CellProblem>,
}

/// A step a row records, and the live entry it corrects, if any.
struct Planned {
    step: CheckedStep,
    replaces: Option<i64>,
}

/// The live 正式答复 and 征求意见 entries of an item (the last of each).
struct Recorded {
    reply: Option<(i64, NaiveDate, StepRecord)>,
    opinion: Option<(i64, NaiveDate, StepRecord)>,
}

impl Db {
    /// The problems of these rows as typed, cell by cell; writes nothing (the grid asks as
    /// the clerk types).
    pub fn check_results(&self, rows: &[ResultInput]) -> Result<Vec<CellProblem>> {
        let mut problems = Vec::new();
        for row in rows {
            if let Err(found) = self.plan_row(row)? {
                problems.extend(found);
            }
        }
        Ok(problems)
    }

    /// Records the valid rows in one transaction; the invalid ones are left and their
    /// problems returned. A row that says what is already recorded records nothing.
    pub fn save_results(&mut self, rows: &[ResultInput]) -> Result<BulkOutcome> {
        let mut outcome = BulkOutcome::default();
        let mut planned = Vec::new();
        for row in rows {
            match self.plan_row(row)? {
                Err(found) => outcome.problems.extend(found),
                Ok(steps) if steps.is_empty() => outcome.unchanged += 1,
                Ok(steps) => planned.push((row.item_id, steps)),
            }
        }
        if planned.is_empty() {
            return Ok(outcome);
        }
        let tx = self.conn.transaction()?;
        for (item_id, steps) in &planned {
            for Planned { step, replaces } in steps {
                match replaces {
                    Some(old) => {
                        correct_event(&tx, &self.user, *old, *item_id, step, "")?;
                    }
                    None => {
                        let id = insert_event(&tx, *item_id, step, None, "")?;
                        log_event(&tx, &self.user, "登记办理环节", *item_id, &Vec::new(), id)?;
                    }
                }
            }
        }
        let items: Vec<i64> = planned.iter().map(|(id, _)| *id).collect();
        work::refresh(&tx, Scope::Items(&items))?;
        let logged = Logged { kind: LogKind::Workflow, action: "成批登记办理结果", target: format!("{} 件", items.len()), item_id: None };
        logged.write(&tx, &self.user, &[change("登记的环节", "", format!("{} 条", planned.iter().map(|(_, s)| s.len()).sum::<usize>()))])?;
        tx.commit()?;
        outcome.saved = items.len();
        Ok(outcome)
    }

    /// The steps a row records (none when it says what is recorded already), or its problems.
    fn plan_row(&self, row: &ResultInput) -> Result<std::result::Result<Vec<Planned>, Vec<CellProblem>>> {
        let in_row = |field: &str, message: String| CellProblem { item_id: row.item_id, field: field.to_string(), message };
        match crate::input::check_form(row) {
            Err(Error::Invalid(errors)) => return Ok(Err(errors.into_iter().map(|e| in_row(&e.field, e.message)).collect())),
            other => other?,
        }
        let (units, assigned_on, county_role) = self.event_context(row.item_id)?;
        if county_role != CountyRole::Lead {
            return Ok(Err(vec![in_row("class", "这件不是本县主办，没有正式答复。".into())]));
        }
        let lead = units.iter().find(|(_, role)| *role == UnitRole::Lead).map(|(id, _)| *id);
        let recorded = Recorded {
            reply: live_events(&self.conn, row.item_id, Step::Reply, None)?.pop(),
            opinion: live_events(&self.conn, row.item_id, Step::Opinion, None)?.pop(),
        };
        let mut problems = Vec::new();
        let mut planned = Vec::new();
        let check = |input: StepInput, problems: &mut Vec<CellProblem>| -> Result<Option<CheckedStep>> {
            let step = match check_step(&input, &units, assigned_on, county_role) {
                Ok(step) => step,
                Err(Error::Invalid(errors)) => {
                    problems.extend(errors.into_iter().map(|e| in_row(grid_field(&e.field), e.message)));
                    return Ok(None);
                }
                Err(other) => return Err(other),
            };
            match self.check_reply_draft(row.item_id, &step) {
                Ok(()) => Ok(Some(step)),
                Err(Error::Invalid(errors)) => {
                    problems.extend(errors.into_iter().map(|e| in_row(grid_field(&e.field), e.message)));
                    Ok(None)
                }
                Err(other) => Err(other),
            }
        };

        let (replied_on, class, doc_number) = (clean(&row.replied_on), clean(&row.class), clean(&row.doc_number));
        let mut reply_day = recorded.reply.as_ref().map(|(_, day, _)| *day);
        if !(replied_on.is_empty() && class.is_empty() && doc_number.is_empty()) {
            // What the reply kept beyond the grid's columns (who signed, the draft sent) stays.
            let (signed_by, draft_id) = match &recorded.reply {
                Some((_, _, StepRecord::Reply { signed_by, draft_id, .. })) => (signed_by.clone(), *draft_id),
                _ => (String::new(), None),
            };
            let input = StepInput {
                step: "正式答复".into(),
                happened_on: date_in(&replied_on).map_or(replied_on.clone(), |d| d.to_string()),
                unit_id: lead,
                class: class_for_form(&class),
                doc_number,
                signed_by,
                draft_id,
                ..Default::default()
            };
            if let Some(step) = check(input, &mut problems)? {
                reply_day = Some(step.happened_on);
                let same = recorded.reply.as_ref().is_some_and(|(_, day, record)| *day == step.happened_on && *record == step.record);
                if !same {
                    planned.push(Planned { replaces: recorded.reply.as_ref().map(|(id, ..)| *id), step });
                }
            } else {
                reply_day = None;
            }
        }

        let (work, result, channel) = (clean(&row.work), clean(&row.result), clean(&row.channel));
        if !(work.is_empty() && result.is_empty() && channel.is_empty()) {
            // NOTE: the grid has no column for the opinion's date: a new opinion is dated as
            // the reply, a corrected one keeps its own.
            let (day, comments) = match &recorded.opinion {
                Some((_, day, StepRecord::Opinion { comments, .. })) => (Some(*day), comments.clone()),
                _ => (reply_day, String::new()),
            };
            match day {
                None if problems.is_empty() => problems.push(in_row("replied_on", "请先填写答复日期：征求意见按答复的日期登记。".into())),
                None => {}
                Some(day) => {
                    let channel = Channel::parse(&channel)
                        .or_else(|| MeetingMethod::parse(&channel).map(|_| Channel::Meeting))
                        .map_or(channel.clone(), |c| c.as_str().to_string());
                    let input = StepInput { step: "征求意见".into(), happened_on: day.to_string(), channel, work: rating_for_form(&work), result: rating_for_form(&result), comments, ..Default::default() };
                    if let Some(step) = check(input, &mut problems)? {
                        let same = recorded.opinion.as_ref().is_some_and(|(_, _, record)| *record == step.record);
                        if !same {
                            planned.push(Planned { replaces: recorded.opinion.as_ref().map(|(id, ..)| *id), step });
                        }
                    }
                }
            }
        }
        Ok(if problems.is_empty() { Ok(planned) } else { Err(problems) })
    }
}

/// The grid's column for a field of a step form.
fn grid_field(field: &str) -> &'static str {
    match field {
        "happened_on" => "replied_on",
        "doc_number" => "doc_number",
        "work" => "work",
        "result" => "result",
        "channel" => "channel",
        _ => "class",
    }
}
