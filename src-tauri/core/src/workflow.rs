//! The handling workflow (办理流程): the steps an item goes through, what each recorded
//! step holds, and the item's progress derived from its events — never typed by hand.
//!
//! Steps may be recorded in any order (real offices are untidy); the progress is the list
//! of required steps not yet satisfied, in the order of the yearly notice, and the status
//! is the first of them.

use crate::error::{FieldErrors, Result};
use crate::model::{CountyRole, UnitRole};
use crate::text::{clean, parse_date};
use crate::validate::{MAX_NAME_CHARS, MAX_NOTE_CHARS};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

chinese_enum! {
    /// A step of the workflow. 交办 is the item's assigned date; 重新办理 is not recorded but
    /// follows from a 不满意 opinion and is closed by the next 正式答复.
    Step {
        Assign = "交办",
        Receipt = "签收",
        Return = "退回",
        Undertaking = "承办情况表",
        Meeting = "面商",
        AssistOpinion = "协办意见",
        Draft = "答复样稿",
        Review = "初审",
        Approval = "审定",
        Reply = "正式答复",
        Opinion = "征求意见",
        Redo = "重新办理",
        Filing = "备案",
        Lookback = "回头看",
        Publication = "公开",
    }
}

chinese_enum! {
    /// 办理结果: A solved or adopted, B being solved (in the plan), C not possible now.
    ReplyClass { A = "A", B = "B", C = "C" }
}

chinese_enum! {
    /// A proposer's verdict on the work or on the result.
    Rating { Satisfied = "满意", Basic = "基本满意", Unsatisfied = "不满意" }
}

chinese_enum! {
    /// How the unit met the proposer (面商 in the wide sense).
    MeetingMethod { Meeting = "面商", Visit = "走访", Forum = "座谈", Phone = "电话", Inspection = "视察", Written = "书面" }
}

chinese_enum! {
    /// 沟通方式 as the 征求意见表 asks it.
    Channel { Meeting = "面商", Phone = "电话", Written = "书面", NoContact = "未联系" }
}

chinese_enum! {
    /// 公开属性 of a reply.
    PublicationMode { Active = "主动公开", OnRequest = "依申请公开", Withheld = "不公开" }
}

/// What one recorded step holds, beyond its date, unit and note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step")]
pub enum StepRecord {
    #[serde(rename = "签收")]
    Receipt,
    #[serde(rename = "退回")]
    Return { reason: String, proposed_unit: String },
    #[serde(rename = "承办情况表")]
    Undertaking,
    #[serde(rename = "面商")]
    Meeting { method: MeetingMethod, participants: String },
    #[serde(rename = "协办意见")]
    AssistOpinion,
    #[serde(rename = "答复样稿")]
    Draft,
    #[serde(rename = "初审")]
    Review { passed: bool, reasons: String },
    #[serde(rename = "审定")]
    Approval { leader: String },
    /// `draft_id` names the 答复样稿 version that went out (absent in events of older files).
    #[serde(rename = "正式答复")]
    Reply {
        doc_number: String,
        class: ReplyClass,
        signed_by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        draft_id: Option<i64>,
    },
    #[serde(rename = "征求意见")]
    Opinion { channel: Channel, work: Rating, result: Rating, comments: String },
    #[serde(rename = "备案")]
    Filing,
    #[serde(rename = "回头看")]
    Lookback { progress: String, solved_on: Option<NaiveDate> },
    #[serde(rename = "公开")]
    Publication { mode: PublicationMode, reason: String },
}

impl StepRecord {
    pub fn step(&self) -> Step {
        match self {
            StepRecord::Receipt => Step::Receipt,
            StepRecord::Return { .. } => Step::Return,
            StepRecord::Undertaking => Step::Undertaking,
            StepRecord::Meeting { .. } => Step::Meeting,
            StepRecord::AssistOpinion => Step::AssistOpinion,
            StepRecord::Draft => Step::Draft,
            StepRecord::Review { .. } => Step::Review,
            StepRecord::Approval { .. } => Step::Approval,
            StepRecord::Reply { .. } => Step::Reply,
            StepRecord::Opinion { .. } => Step::Opinion,
            StepRecord::Filing => Step::Filing,
            StepRecord::Lookback { .. } => Step::Lookback,
            StepRecord::Publication { .. } => Step::Publication,
        }
    }

    /// A one-line summary for the timeline, e.g. "A类，文号 精政函〔2025〕12号".
    pub fn summary(&self) -> String {
        match self {
            StepRecord::Return { reason, proposed_unit } if proposed_unit.is_empty() => format!("理由：{reason}"),
            StepRecord::Return { reason, proposed_unit } => format!("理由：{reason}；建议改由{proposed_unit}办理"),
            StepRecord::Meeting { method, participants } if participants.is_empty() => method.to_string(),
            StepRecord::Meeting { method, participants } => format!("{method}，参加：{participants}"),
            StepRecord::Review { passed: true, .. } => "通过".into(),
            StepRecord::Review { passed: false, reasons } => format!("退回修改：{reasons}"),
            StepRecord::Approval { leader } if !leader.is_empty() => format!("{leader}审定"),
            StepRecord::Reply { doc_number, class, signed_by, draft_id } => {
                let mut text = format!("{class}类");
                if !doc_number.is_empty() {
                    text += &format!("，文号 {doc_number}");
                }
                if !signed_by.is_empty() {
                    text += &format!("，签发 {signed_by}");
                }
                if draft_id.is_some() {
                    text += "，附答复稿";
                }
                text
            }
            StepRecord::Opinion { channel, work, result, comments } => {
                let text = format!("{channel}；办理工作{work}，办理结果{result}");
                if comments.is_empty() { text } else { format!("{text}；意见：{comments}") }
            }
            StepRecord::Lookback { progress, solved_on: Some(day) } => {
                format!("{progress}（{}已解决，转为A类）", crate::text::format_date_cn(*day))
            }
            StepRecord::Lookback { progress, solved_on: None } => progress.clone(),
            StepRecord::Publication { mode, reason } if reason.is_empty() => mode.to_string(),
            StepRecord::Publication { mode, reason } => format!("{mode}（{reason}）"),
            _ => String::new(),
        }
    }
}

/// What the "record a step" form sends: raw text, checked here so each mistake is named.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StepInput {
    pub step: String,
    pub happened_on: String,
    pub unit_id: Option<i64>,
    pub note: String,
    pub reason: String,
    pub proposed_unit: String,
    pub method: String,
    pub participants: String,
    pub passed: Option<bool>,
    pub leader: String,
    pub doc_number: String,
    pub class: String,
    pub signed_by: String,
    pub channel: String,
    pub work: String,
    pub result: String,
    pub comments: String,
    pub progress: String,
    pub solved_on: String,
    pub mode: String,
    /// The 答复样稿 version a 正式答复 sends.
    pub draft_id: Option<i64>,
}

/// A step as checked and ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedStep {
    pub record: StepRecord,
    pub happened_on: NaiveDate,
    pub unit_id: Option<i64>,
    pub note: String,
}

/// Checks a step form. `units` are the units on the item; steps that belong to a unit
/// (签收, 退回, 协办意见) must name one of them. When the county leads, a 协办意见 comes
/// from an assisting unit; when the county assists, its lead unit sends it upward.
pub fn check_step(input: &StepInput, units: &[(i64, UnitRole)], assigned_on: Option<NaiveDate>, county_role: CountyRole) -> Result<CheckedStep> {
    let mut errors = FieldErrors::default();
    let step = Step::parse(&input.step);
    let happened_on = parse_date(&input.happened_on);
    match (happened_on, assigned_on) {
        (None, _) => errors.add("happened_on", "日期不是有效日期，请写成 2025-03-17 或 2025年3月17日。"),
        (Some(day), Some(assigned)) if day < assigned => errors.add(
            "happened_on",
            format!("日期早于交办日期（{}），请核对。", crate::text::format_date_cn(assigned)),
        ),
        _ => {}
    }
    let reason = clean(&input.reason);
    let record = match step {
        None | Some(Step::Assign) | Some(Step::Redo) => {
            errors.add("step", "请选择要登记的办理环节。");
            None
        }
        Some(Step::Receipt) => Some(StepRecord::Receipt),
        Some(Step::Return) => {
            if reason.is_empty() {
                errors.add("reason", "请填写退回理由。");
            }
            Some(StepRecord::Return { reason: reason.clone(), proposed_unit: clean(&input.proposed_unit) })
        }
        Some(Step::Undertaking) => Some(StepRecord::Undertaking),
        Some(Step::Meeting) => errors
            .chosen("method", "面商方式", MeetingMethod::parse(&input.method))
            .map(|method| StepRecord::Meeting { method, participants: clean(&input.participants) }),
        Some(Step::AssistOpinion) => Some(StepRecord::AssistOpinion),
        Some(Step::Draft) => Some(StepRecord::Draft),
        Some(Step::Review) => {
            let passed = errors.chosen("passed", "初审结果：通过或退回修改", input.passed);
            if passed == Some(false) && reason.is_empty() {
                errors.add("reason", "退回修改时请写明理由。");
            }
            passed.map(|passed| StepRecord::Review { passed, reasons: reason.clone() })
        }
        Some(Step::Approval) => Some(StepRecord::Approval { leader: clean(&input.leader) }),
        Some(Step::Reply) => errors
            .chosen("class", "办理结果（A、B或C类）", ReplyClass::parse(&input.class))
            .map(|class| StepRecord::Reply {
                doc_number: clean(&input.doc_number),
                class,
                signed_by: clean(&input.signed_by),
                draft_id: input.draft_id,
            }),
        Some(Step::Opinion) => {
            let channel = errors.chosen("channel", "沟通方式", Channel::parse(&input.channel));
            let work = errors.chosen("work", "对办理工作的评价", Rating::parse(&input.work));
            let result = errors.chosen("result", "对办理结果的评价", Rating::parse(&input.result));
            match (channel, work, result) {
                (Some(channel), Some(work), Some(result)) => {
                    Some(StepRecord::Opinion { channel, work, result, comments: clean(&input.comments) })
                }
                _ => None,
            }
        }
        Some(Step::Filing) => Some(StepRecord::Filing),
        Some(Step::Lookback) => {
            let progress = clean(&input.progress);
            if progress.is_empty() {
                errors.add("progress", "请填写回头看的进展情况。");
            }
            let solved_on = match clean(&input.solved_on) {
                typed if typed.is_empty() => None,
                typed => {
                    let day = parse_date(&typed);
                    if day.is_none() {
                        errors.add("solved_on", "解决日期不是有效日期。");
                    }
                    day
                }
            };
            Some(StepRecord::Lookback { progress, solved_on })
        }
        Some(Step::Publication) => {
            let mode = errors.chosen("mode", "公开属性", PublicationMode::parse(&input.mode));
            if matches!(mode, Some(PublicationMode::OnRequest | PublicationMode::Withheld)) && reason.is_empty() {
                errors.add("reason", "依申请公开或不公开时，必须写明理由。");
            }
            mode.map(|mode| StepRecord::Publication { mode, reason: reason.clone() })
        }
    };
    let unit_step = matches!(step, Some(Step::Receipt | Step::Return | Step::AssistOpinion));
    match input.unit_id {
        None if unit_step => errors.add("unit_id", "请选择是哪个承办单位。"),
        Some(id) if !units.iter().any(|(u, _)| *u == id) => errors.add("unit_id", "所选单位不是这件的承办单位。"),
        Some(id) if step == Some(Step::AssistOpinion)
            && county_role == CountyRole::Lead
            && units.iter().any(|(u, role)| *u == id && *role == UnitRole::Lead)
            && units.iter().any(|(_, role)| *role == UnitRole::Assist) =>
        {
            errors.add("unit_id", "协办意见应由协办单位提出，请选择协办单位。")
        }
        _ => {}
    }
    for (field, what, text, most) in [("note", "备注", &input.note, MAX_NOTE_CHARS), ("doc_number", "文号", &input.doc_number, MAX_NAME_CHARS)] {
        if let Some(message) = crate::validate::too_long(what, text, most) {
            errors.add(field, message);
        }
    }
    errors.finish()?;
    Ok(CheckedStep {
        record: record.expect("a record when there is no error"),
        happened_on: happened_on.expect("a date when there is no error"),
        unit_id: input.unit_id,
        note: input.note.trim().to_string(),
    })
}

/// A recorded step as the progress sees it: only the live (not voided, not replaced) ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub happened_on: NaiveDate,
    pub unit_id: Option<i64>,
    pub record: StepRecord,
}

/// A step the item still waits for, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub step: Step,
    pub unit_id: Option<i64>,
}

/// The formal reply that counts (the last one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyFacts {
    pub replied_on: NaiveDate,
    pub doc_number: String,
    pub class: ReplyClass,
}

/// The proposer's last opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionFacts {
    pub returned_on: NaiveDate,
    pub channel: Channel,
    pub work: Rating,
    pub result: Rating,
    pub comments: String,
}

/// Where an item stands, derived from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// What the item waits for, in words (e.g. 待面商, 已办结).
    pub status: String,
    pub pending: Vec<Pending>,
    pub done: bool,
    pub met: bool,
    pub draft_returns: u32,
    pub redo_rounds: u32,
    /// The date of the 不满意 opinion that opened the current 重新办理 round.
    pub redo_since: Option<NaiveDate>,
    pub reply: Option<ReplyFacts>,
    pub opinion: Option<OpinionFacts>,
    /// The class now: the reply's, or A once a 回头看 recorded the B item solved.
    pub class: Option<ReplyClass>,
    pub solved_on: Option<NaiveDate>,
    pub publication: Option<PublicationMode>,
    /// The steps the item's year was closed without (办理工作结束): shown as not recorded,
    /// never reminded of nor counted as overdue.
    #[serde(default)]
    pub unrecorded: Vec<Pending>,
}

/// The facts about an item that decide its path.
pub struct ItemFacts<'a> {
    pub county_role: CountyRole,
    pub year: i32,
    pub units: &'a [(i64, UnitRole)],
    /// The clerk closed the item's year: only a B item's 回头看 of a later year is still due.
    pub closed: bool,
}

/// Derives the progress of an item from its live events, for the work of `work_year`
/// (a B item of an earlier year needs a 回头看 in each later year until it is solved).
pub fn progress(item: &ItemFacts, events: &[Recorded], work_year: i32) -> Progress {
    let mut events: Vec<&Recorded> = events.iter().collect();
    events.sort_by_key(|e| e.happened_on);
    let has = |step: Step, unit: Option<i64>| events.iter().any(|e| e.record.step() == step && (unit.is_none() || e.unit_id == unit));
    let lead = item.units.iter().find(|(_, r)| *r == UnitRole::Lead).map(|(u, _)| *u);
    let mut pending = Vec::new();

    // 签收: every unit on the item, unless its last word was 退回.
    let mut returned = false;
    for (unit, _) in item.units {
        let last = events.iter().rev().find(|e| e.unit_id == Some(*unit) && matches!(e.record.step(), Step::Receipt | Step::Return));
        match last.map(|e| e.record.step()) {
            Some(Step::Receipt) => {}
            Some(_) => {
                returned = true;
                pending.push(Pending { step: Step::Receipt, unit_id: Some(*unit) });
            }
            None => pending.push(Pending { step: Step::Receipt, unit_id: Some(*unit) }),
        }
    }

    // The loops: a returned draft wants a new draft and review; a 不满意 opinion wants a new reply.
    let (mut drafted, mut reviewed, mut replied, mut opinion_ok) = (false, false, false, false);
    let mut progress = Progress {
        status: String::new(),
        pending: Vec::new(),
        done: false,
        met: has(Step::Meeting, None),
        draft_returns: 0,
        redo_rounds: 0,
        redo_since: None,
        reply: None,
        opinion: None,
        class: None,
        solved_on: None,
        publication: None,
        unrecorded: Vec::new(),
    };
    for event in &events {
        match &event.record {
            StepRecord::Draft => (drafted, reviewed) = (true, false),
            StepRecord::Review { passed: true, .. } => reviewed = drafted,
            StepRecord::Review { passed: false, .. } => {
                (drafted, reviewed) = (false, false);
                progress.draft_returns += 1;
            }
            StepRecord::Reply { doc_number, class, .. } => {
                replied = true;
                opinion_ok = false;
                progress.redo_since = None;
                progress.reply = Some(ReplyFacts { replied_on: event.happened_on, doc_number: doc_number.clone(), class: *class });
                progress.class = Some(*class);
            }
            StepRecord::Opinion { channel, work, result, comments } => {
                progress.opinion = Some(OpinionFacts {
                    returned_on: event.happened_on,
                    channel: *channel,
                    work: *work,
                    result: *result,
                    comments: comments.clone(),
                });
                if *work == Rating::Unsatisfied || *result == Rating::Unsatisfied {
                    replied = false;
                    opinion_ok = false;
                    progress.redo_rounds += 1;
                    progress.redo_since = Some(event.happened_on);
                } else {
                    opinion_ok = true;
                }
            }
            StepRecord::Lookback { solved_on: Some(day), .. } if progress.class == Some(ReplyClass::B) => {
                progress.class = Some(ReplyClass::A);
                progress.solved_on = Some(*day);
            }
            StepRecord::Publication { mode, .. } => progress.publication = Some(*mode),
            _ => {}
        }
    }

    let mut need = |step: Step, unit_id: Option<i64>, satisfied: bool| {
        if !satisfied {
            pending.push(Pending { step, unit_id });
        }
    };
    match item.county_role {
        CountyRole::Reference => {}
        CountyRole::Assist => {
            need(Step::AssistOpinion, lead, has(Step::AssistOpinion, None));
        }
        CountyRole::Lead => {
            need(Step::Undertaking, lead, has(Step::Undertaking, None));
            need(Step::Meeting, lead, progress.met);
            for (unit, role) in item.units {
                if *role == UnitRole::Assist {
                    need(Step::AssistOpinion, Some(*unit), has(Step::AssistOpinion, Some(*unit)));
                }
            }
            need(Step::Draft, lead, drafted || replied);
            // 初审 and 审定 are the office's and the leader's, not a unit's.
            need(Step::Review, None, reviewed || replied);
            need(Step::Approval, None, has(Step::Approval, None) || replied);
            if progress.redo_since.is_some() {
                need(Step::Redo, lead, false);
            } else {
                need(Step::Reply, lead, replied);
            }
            need(Step::Opinion, lead, opinion_ok || progress.redo_since.is_some());
            need(Step::Filing, lead, has(Step::Filing, None));
            let wants_lookback = match progress.class {
                Some(ReplyClass::A) => item.year == work_year && progress.solved_on.is_none(),
                Some(ReplyClass::B) => item.year <= work_year,
                _ => false,
            };
            let looked = events.iter().any(|e| e.record.step() == Step::Lookback && e.happened_on.year() >= work_year.max(item.year));
            need(Step::Lookback, lead, !wants_lookback || looked);
            need(Step::Publication, lead, progress.publication.is_some());
        }
    }
    if item.closed {
        // NOTE: a closed year's B item goes on to each later year's 回头看 until it is solved;
        // its own year's 回头看 stops with everything else.
        let (still_due, stopped) = pending.into_iter().partition(|p| p.step == Step::Lookback && work_year > item.year);
        (pending, progress.unrecorded) = (still_due, stopped);
    }
    progress.done = pending.is_empty();
    let stopped = |step: Step| progress.unrecorded.iter().any(|p| p.step == step);
    let answers: &[(Step, &str)] = match item.county_role {
        CountyRole::Assist => &[(Step::AssistOpinion, "未报送协办意见")],
        _ => &[(Step::Reply, "未正式答复"), (Step::Redo, "重新办理未答复")],
    };
    let closed_without = answers
        .iter()
        .find(|(step, _)| stopped(*step))
        .map(|(_, what)| format!("年度已结束，{what}"));
    // The status names the first step still missing, except that a return or a redo round,
    // which the clerk must act on, always shows.
    progress.status = match (item.county_role, pending.first(), closed_without) {
        (CountyRole::Reference, ..) => "参考件，无需答复".into(),
        (_, None, Some(closed)) => closed,
        (_, None, _) if progress.class == Some(ReplyClass::B) => "已办结（B类，跟踪落实）".into(),
        (_, None, _) => "已办结".into(),
        _ if returned => "单位申请退回，待调整交办".into(),
        _ if progress.redo_since.is_some() => format!("重新办理中（第{}次）", progress.redo_rounds),
        (_, Some(p), _) => format!("待{}", waiting_word(p.step)),
    };
    progress.pending = pending;
    progress
}

/// How a waiting step reads after 待: 待签收, 待报送承办情况表, 待初审 …
pub fn waiting_word(step: Step) -> &'static str {
    match step {
        Step::Undertaking => "报送承办情况表",
        Step::AssistOpinion => "协办意见",
        Step::Draft => "报送答复样稿",
        Step::Reply => "正式答复",
        Step::Opinion => "反馈征求意见表",
        other => other.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    const LEAD: i64 = 1;
    const HELP: i64 = 2;
    const UNITS: &[(i64, UnitRole)] = &[(LEAD, UnitRole::Lead), (HELP, UnitRole::Assist)];

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).unwrap()
    }

    fn at(m: u32, day: u32, unit: Option<i64>, record: StepRecord) -> Recorded {
        Recorded { happened_on: d(m, day), unit_id: unit, record }
    }

    fn lead_item() -> ItemFacts<'static> {
        ItemFacts { county_role: CountyRole::Lead, year: 2025, units: UNITS, closed: false }
    }

    fn steps(progress: &Progress) -> Vec<(Step, Option<i64>)> {
        progress.pending.iter().map(|p| (p.step, p.unit_id)).collect()
    }

    fn reply(class: ReplyClass) -> StepRecord {
        StepRecord::Reply { doc_number: "精政函〔2025〕12号".into(), class, signed_by: "张建军".into(), draft_id: None }
    }

    fn opinion(work: Rating, result: Rating) -> StepRecord {
        StepRecord::Opinion { channel: Channel::Meeting, work, result, comments: String::new() }
    }

    /// Every step up to the formal reply, as a unit that does its work on time records it.
    fn through_reply(class: ReplyClass) -> Vec<Recorded> {
        vec![
            at(3, 18, Some(LEAD), StepRecord::Receipt),
            at(3, 19, Some(HELP), StepRecord::Receipt),
            at(3, 24, Some(LEAD), StepRecord::Undertaking),
            at(3, 28, Some(LEAD), StepRecord::Meeting { method: MeetingMethod::Meeting, participants: "乔次仁代表".into() }),
            at(4, 3, Some(HELP), StepRecord::AssistOpinion),
            at(4, 15, Some(LEAD), StepRecord::Draft),
            at(4, 17, None, StepRecord::Review { passed: true, reasons: String::new() }),
            at(4, 22, None, StepRecord::Approval { leader: "张建军".into() }),
            at(5, 20, Some(LEAD), reply(class)),
        ]
    }

    #[test]
    fn a_new_item_waits_for_every_step_in_the_order_of_the_notice() {
        let progress = progress(&lead_item(), &[], 2025);
        assert_eq!(progress.status, "待签收");
        assert_eq!(steps(&progress), [
            (Step::Receipt, Some(LEAD)), (Step::Receipt, Some(HELP)), (Step::Undertaking, Some(LEAD)), (Step::Meeting, Some(LEAD)),
            (Step::AssistOpinion, Some(HELP)), (Step::Draft, Some(LEAD)), (Step::Review, None), (Step::Approval, None),
            (Step::Reply, Some(LEAD)), (Step::Opinion, Some(LEAD)), (Step::Filing, Some(LEAD)), (Step::Publication, Some(LEAD)),
        ]);
        assert!(!progress.done && !progress.met);
    }

    #[test]
    fn steps_recorded_out_of_order_still_count() {
        let events = [at(3, 20, Some(LEAD), StepRecord::Meeting { method: MeetingMethod::Phone, participants: String::new() })];
        let progress = progress(&lead_item(), &events, 2025);
        assert!(progress.met);
        assert!(!steps(&progress).contains(&(Step::Meeting, Some(LEAD))));
        assert_eq!(progress.status, "待签收");
    }

    #[test]
    fn a_whole_walk_ends_in_done_and_a_c_item_needs_no_lookback() {
        let mut events = through_reply(ReplyClass::C);
        events.push(at(5, 30, None, opinion(Rating::Satisfied, Rating::Basic)));
        events.push(at(6, 5, None, StepRecord::Filing));
        events.push(at(10, 20, None, StepRecord::Publication { mode: PublicationMode::Active, reason: String::new() }));
        let progress = progress(&lead_item(), &events, 2025);
        assert_eq!(steps(&progress), []);
        assert!(progress.done);
        assert_eq!(progress.status, "已办结");
        assert_eq!(progress.reply.as_ref().map(|r| r.class), Some(ReplyClass::C));
        assert_eq!(progress.opinion.as_ref().map(|o| o.result), Some(Rating::Basic));
    }

    #[test]
    fn a_returned_draft_loops_back() {
        let mut events = through_reply(ReplyClass::A);
        events.truncate(6); // up to the first draft
        events.push(at(4, 16, None, StepRecord::Review { passed: false, reasons: "措施不具体".into() }));
        let returned = progress(&lead_item(), &events, 2025);
        assert_eq!(returned.status, "待报送答复样稿");
        assert_eq!(returned.draft_returns, 1);
        events.push(at(4, 18, Some(LEAD), StepRecord::Draft));
        let resubmitted = progress(&lead_item(), &events, 2025);
        assert_eq!(resubmitted.status, "待初审");
        events.push(at(4, 19, None, StepRecord::Review { passed: true, reasons: String::new() }));
        assert_eq!(progress(&lead_item(), &events, 2025).status, "待审定");
    }

    #[test]
    fn an_unsatisfied_opinion_opens_a_counted_redo_round() {
        let mut events = through_reply(ReplyClass::B);
        events.push(at(5, 31, None, opinion(Rating::Basic, Rating::Unsatisfied)));
        let redo = progress(&lead_item(), &events, 2025);
        assert_eq!(redo.status, "重新办理中（第1次）");
        assert_eq!(redo.redo_since, Some(d(5, 31)));
        assert_eq!(steps(&redo)[0], (Step::Redo, Some(LEAD)));
        assert!(!steps(&redo).contains(&(Step::Opinion, Some(LEAD))), "the new opinion waits for the new reply");

        events.push(at(6, 25, Some(LEAD), reply(ReplyClass::A)));
        let replied = progress(&lead_item(), &events, 2025);
        assert_eq!(replied.status, "待反馈征求意见表");
        assert_eq!(replied.redo_rounds, 1);
        events.push(at(6, 28, None, opinion(Rating::Satisfied, Rating::Satisfied)));
        let after = progress(&lead_item(), &events, 2025);
        assert_eq!(after.status, "待备案");
        assert_eq!(after.class, Some(ReplyClass::A));
    }

    #[test]
    fn a_b_item_becomes_a_when_a_lookback_finds_it_solved() {
        let mut events = through_reply(ReplyClass::B);
        events.push(at(5, 30, None, opinion(Rating::Satisfied, Rating::Satisfied)));
        events.push(at(6, 5, None, StepRecord::Filing));
        events.push(at(10, 20, None, StepRecord::Publication { mode: PublicationMode::Active, reason: String::new() }));
        let waiting = progress(&lead_item(), &events, 2025);
        assert_eq!(steps(&waiting), [(Step::Lookback, Some(LEAD))]);

        events.push(at(10, 8, None, StepRecord::Lookback { progress: "资金已列入明年预算".into(), solved_on: None }));
        let tracked = progress(&lead_item(), &events, 2025);
        assert_eq!(tracked.status, "已办结（B类，跟踪落实）");
        assert_eq!(tracked.class, Some(ReplyClass::B));

        // The next year the B item needs a new 回头看; this one finds it solved.
        let next_year = progress(&lead_item(), &events, 2026);
        assert_eq!(steps(&next_year), [(Step::Lookback, Some(LEAD))]);
        events.push(Recorded {
            happened_on: NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
            unit_id: None,
            record: StepRecord::Lookback { progress: "改造完成".into(), solved_on: NaiveDate::from_ymd_opt(2026, 9, 1) },
        });
        let solved = progress(&lead_item(), &events, 2026);
        assert_eq!((solved.class, solved.solved_on), (Some(ReplyClass::A), NaiveDate::from_ymd_opt(2026, 9, 1)));
        assert!(solved.done);
        assert!(progress(&lead_item(), &events, 2027).done, "an A item is not carried over");
    }

    #[test]
    fn assisting_and_reference_items_have_short_paths() {
        let assist = ItemFacts { county_role: CountyRole::Assist, year: 2025, units: &[(LEAD, UnitRole::Lead)], closed: false };
        assert_eq!(steps(&progress(&assist, &[], 2025)), [(Step::Receipt, Some(LEAD)), (Step::AssistOpinion, Some(LEAD))]);
        let events = [at(3, 18, Some(LEAD), StepRecord::Receipt), at(4, 2, Some(LEAD), StepRecord::AssistOpinion)];
        assert!(progress(&assist, &events, 2025).done);

        let reference = ItemFacts { county_role: CountyRole::Reference, year: 2025, units: &[], closed: false };
        let progress = progress(&reference, &[], 2025);
        assert!(progress.done);
        assert_eq!(progress.status, "参考件，无需答复");
    }

    #[test]
    fn a_return_is_undone_by_a_later_receipt() {
        let events = [at(3, 18, Some(LEAD), StepRecord::Return { reason: "不属于本单位职责".into(), proposed_unit: "县住建局".into() })];
        assert_eq!(progress(&lead_item(), &events, 2025).status, "单位申请退回，待调整交办");
        let events = [events[0].clone(), at(3, 20, Some(LEAD), StepRecord::Receipt)];
        assert_eq!(progress(&lead_item(), &events, 2025).status, "待签收", "the assisting unit has not signed yet");
    }

    #[test]
    fn a_closed_year_stops_its_steps_but_a_b_item_goes_on_to_later_lookbacks() {
        let closed = ItemFacts { closed: true, ..lead_item() };
        let untouched = progress(&closed, &[], 2025);
        assert!(untouched.done && untouched.pending.is_empty(), "nothing of a closed year is due");
        assert_eq!(untouched.unrecorded.len(), 12, "every step is listed as not recorded");
        assert_eq!(untouched.status, "年度已结束，未正式答复");

        let mut events = through_reply(ReplyClass::B);
        events.push(at(5, 30, None, opinion(Rating::Satisfied, Rating::Satisfied)));
        let own_year = progress(&closed, &events, 2025);
        assert_eq!(steps(&own_year), [], "the own year's 回头看 stops too");
        assert_eq!(own_year.status, "已办结（B类，跟踪落实）");
        assert_eq!(own_year.unrecorded.iter().map(|p| p.step).collect::<Vec<_>>(), [Step::Filing, Step::Lookback, Step::Publication]);
        let next_year = progress(&closed, &events, 2026);
        assert_eq!(steps(&next_year), [(Step::Lookback, Some(LEAD))], "a B item is looked back on in each later year");
        assert_eq!(next_year.status, "待回头看");

        let assist = ItemFacts { county_role: CountyRole::Assist, year: 2025, units: &[(LEAD, UnitRole::Lead)], closed: true };
        assert_eq!(progress(&assist, &[], 2025).status, "年度已结束，未报送协办意见");
    }

    fn input(step: &str) -> StepInput {
        StepInput { step: step.into(), happened_on: "2025-04-01".into(), unit_id: Some(LEAD), ..Default::default() }
    }

    fn fields(result: Result<CheckedStep>) -> Vec<String> {
        match result {
            Err(Error::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected errors, got {other:?}"),
        }
    }

    #[test]
    fn each_step_form_says_what_is_missing() {
        let assigned = Some(d(3, 17));
        assert_eq!(fields(check_step(&input("征求意见"), UNITS, assigned, CountyRole::Lead)), ["channel", "work", "result"]);
        assert_eq!(fields(check_step(&input("公开"), UNITS, assigned, CountyRole::Lead)), ["mode"]);
        assert_eq!(fields(check_step(&StepInput { mode: "不公开".into(), ..input("公开") }, UNITS, assigned, CountyRole::Lead)), ["reason"]);
        assert_eq!(fields(check_step(&input("退回"), UNITS, assigned, CountyRole::Lead)), ["reason"]);
        assert_eq!(fields(check_step(&StepInput { passed: Some(false), ..input("初审") }, UNITS, assigned, CountyRole::Lead)), ["reason"]);
        assert_eq!(fields(check_step(&StepInput { unit_id: None, ..input("签收") }, UNITS, assigned, CountyRole::Lead)), ["unit_id"]);
        assert_eq!(fields(check_step(&StepInput { unit_id: Some(9), ..input("签收") }, UNITS, assigned, CountyRole::Lead)), ["unit_id"]);
        assert_eq!(fields(check_step(&input("协办意见"), UNITS, assigned, CountyRole::Lead)), ["unit_id"], "the lead unit does not assist");
        assert_eq!(fields(check_step(&StepInput { happened_on: "2025-03-01".into(), ..input("签收") }, UNITS, assigned, CountyRole::Lead)), ["happened_on"]);
        assert_eq!(fields(check_step(&input("重新办理"), UNITS, assigned, CountyRole::Lead)), ["step"]);

        let ok = check_step(&StepInput { class: "B".into(), doc_number: " 精政函〔2025〕12号 ".into(), ..input("正式答复") }, UNITS, assigned, CountyRole::Lead).unwrap();
        assert_eq!(ok.record, StepRecord::Reply { doc_number: "精政函〔2025〕12号".into(), class: ReplyClass::B, signed_by: String::new(), draft_id: None });
        assert_eq!(ok.record.summary(), "B类，文号 精政函〔2025〕12号");
    }
}
