//! The domain's words, defined once in Rust and handed to the window at start: the kinds and
//! levels of the upper bodies, the workflow's steps (and which belong to a unit or to the
//! office), the ratings, ways and classes a step records, the roles, the links between items,
//! the deadlines' periods and calendar days, the reminder board's sections, the 满意率's
//! definitions, the reply purposes, what a proposer is called, and the kinds of the operation
//! log. The screens build their lists from these instead of keeping copies (a test in the
//! shell fails on a copy).

use crate::deadlines::{Period, DEADLINE_STEPS};
use crate::model::{CountyRole, Kind, Level, LinkKind, LogKind, Stream, UnitRole};
use crate::reply::ReplyPurpose;
use crate::workflow::{Channel, MeetingMethod, PublicationMode, Rating, ReplyClass, Step};
use serde::Serialize;

/// A stream (its level and kind) with its short and long names.
#[derive(Debug, Clone, Serialize)]
pub struct StreamWords {
    #[serde(flatten)]
    pub stream: Stream,
    /// 州人大建议
    pub label: String,
    /// 州人大代表建议
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Vocabulary {
    pub kinds: Vec<&'static str>,
    pub levels: Vec<&'static str>,
    /// Every level × kind, in the order lists show them.
    pub streams: Vec<StreamWords>,
    /// The steps the clerk records (交办 is the assigned date; 重新办理 follows from an opinion).
    pub steps: Vec<&'static str>,
    /// Steps a unit takes, for which the form asks which unit.
    pub unit_steps: Vec<&'static str>,
    /// The office's own steps (初审, 审定): shown as 本办, never a unit's.
    pub office_steps: Vec<&'static str>,
    /// The steps a deadline may be counted from (交办 and those with a deadline of their own).
    pub deadline_from: Vec<&'static str>,
    pub ratings: Vec<&'static str>,
    pub meeting_methods: Vec<&'static str>,
    pub channels: Vec<&'static str>,
    pub publication_modes: Vec<&'static str>,
    pub log_kinds: Vec<&'static str>,
    /// 办理结果 as a list offers them: (A, A类（已解决或采纳）) …
    pub classes: Vec<(&'static str, &'static str)>,
    /// The county's role on an item, as the intake form offers it.
    pub county_roles: Vec<(&'static str, &'static str)>,
    pub unit_roles: Vec<&'static str>,
    pub link_kinds: Vec<&'static str>,
    /// The units of a relative deadline (天, 工作日, 月).
    pub periods: Vec<&'static str>,
    /// A day of the holiday calendar: (休, 放假), (班, 调休上班).
    pub day_kinds: Vec<(&'static str, &'static str)>,
    /// The reminder board's sections, in order: (the board's field, the heading).
    pub board_sections: Vec<(&'static str, &'static str)>,
    /// The 满意率's definitions: (basis-scope, how the list says it).
    pub satisfaction_definitions: Vec<(&'static str, &'static str)>,
    /// What a reply draft is, as the template form offers it.
    pub reply_purposes: Vec<(&'static str, &'static str)>,
    /// What a proposer is called, by kind: (建议, 代表), (提案, 委员).
    pub proposer_titles: Vec<(&'static str, &'static str)>,
}

/// The words, as the window gets them with its start-up information (AppInfo).
pub fn vocabulary() -> Vocabulary {
    let words = |all: &[&'static str]| all.to_vec();
    Vocabulary {
        kinds: Kind::ALL.iter().map(|k| k.as_str()).collect(),
        levels: Level::ALL.iter().map(|l| l.as_str()).collect(),
        streams: Stream::all().map(|stream| StreamWords { stream, label: stream.label(), title: crate::text::stream_title(stream) }).collect(),
        steps: Step::ALL.iter().filter(|s| !matches!(s, Step::Assign | Step::Redo)).map(|s| s.as_str()).collect(),
        unit_steps: words(&[Step::Receipt.as_str(), Step::Return.as_str(), Step::AssistOpinion.as_str()]),
        office_steps: words(&[Step::Review.as_str(), Step::Approval.as_str()]),
        deadline_from: std::iter::once(Step::Assign).chain(DEADLINE_STEPS.iter().copied()).filter(|s| *s != Step::Publication).map(|s| s.as_str()).collect(),
        ratings: Rating::ALL.iter().map(|r| r.as_str()).collect(),
        meeting_methods: MeetingMethod::ALL.iter().map(|m| m.as_str()).collect(),
        channels: Channel::ALL.iter().map(|c| c.as_str()).collect(),
        publication_modes: PublicationMode::ALL.iter().map(|p| p.as_str()).collect(),
        log_kinds: LogKind::ALL.iter().map(|k| k.as_str()).collect(),
        classes: ReplyClass::ALL.iter().map(|c| (c.as_str(), class_label(*c))).collect(),
        county_roles: CountyRole::ALL.iter().map(|r| (r.as_str(), match r {
            CountyRole::Lead => "主办",
            CountyRole::Assist => "协办（会办）",
            CountyRole::Reference => "参考（意见和建议）",
        })).collect(),
        unit_roles: UnitRole::ALL.iter().map(|r| r.as_str()).collect(),
        link_kinds: LinkKind::ALL.iter().map(|k| k.as_str()).collect(),
        periods: Period::ALL.iter().map(|p| p.as_str()).collect(),
        day_kinds: vec![("休", "放假"), ("班", "调休上班")],
        board_sections: vec![("overdue", "已逾期"), ("due_today", "今天到期"), ("within_3", "3天内到期"), ("within_7", "7天内到期"), ("snoozed", "已暂缓")],
        satisfaction_definitions: vec![
            ("work-both", "满意＋基本满意，按办理工作"),
            ("result-both", "满意＋基本满意，按办理结果"),
            ("work-only", "仅“满意”，按办理工作"),
            ("result-only", "仅“满意”，按办理结果"),
        ],
        reply_purposes: ReplyPurpose::ALL.iter().map(|p| (p.as_str(), match p {
            ReplyPurpose::Lead => "主办答复（给代表委员）",
            ReplyPurpose::Assist => "协办意见（给主办单位）",
        })).collect(),
        proposer_titles: Kind::ALL.iter().map(|k| (k.as_str(), k.proposer_title())).collect(),
    }
}

/// How a list names a 办理结果.
pub fn class_label(class: ReplyClass) -> &'static str {
    match class {
        ReplyClass::A => "A类（已解决或采纳）",
        ReplyClass::B => "B类（正在解决或列入计划）",
        ReplyClass::C => "C类（暂时难以解决或留作参考）",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_are_those_the_screens_showed() {
        let v = vocabulary();
        assert_eq!(v.levels, ["全国", "省", "州", "县"]);
        assert_eq!(v.kinds, ["建议", "提案"]);
        assert_eq!(v.steps, ["签收", "退回", "承办情况表", "面商", "协办意见", "答复样稿", "初审", "审定", "正式答复", "征求意见", "备案", "回头看", "公开"]);
        assert_eq!(v.deadline_from, ["交办", "签收", "承办情况表", "面商", "协办意见", "答复样稿", "初审", "审定", "正式答复", "征求意见", "备案", "回头看"]);
        assert_eq!(v.ratings, ["满意", "基本满意", "不满意"]);
        assert_eq!(v.channels, ["面商", "电话", "书面", "未联系"]);
        assert_eq!(v.log_kinds[12..], ["年度", "关联"], "closing a year, then linking items");
        let county_proposals = v.streams.iter().find(|s| s.stream == Stream { level: Level::County, kind: Kind::Proposal }).unwrap();
        assert_eq!((county_proposals.label.as_str(), county_proposals.title.as_str()), ("县政协提案", "县政协委员提案"));
        assert_eq!(v.classes[2], ("C", "C类（暂时难以解决或留作参考）"), "one wording wherever a class is chosen");
        assert_eq!(v.county_roles.iter().map(|r| r.0).collect::<Vec<_>>(), ["主办", "协办", "参考"]);
        assert_eq!((v.unit_roles.clone(), v.link_kinds.clone(), v.periods.clone()), (vec!["主办", "协办"], vec!["同类", "重复提出"], vec!["天", "工作日", "月"]));
        assert_eq!(v.reply_purposes.iter().map(|p| p.0).collect::<Vec<_>>(), ["主办答复", "协办意见"]);
        assert_eq!(v.proposer_titles, [("建议", "代表"), ("提案", "委员")]);
        assert_eq!(v.board_sections.len(), 5);
        assert_eq!(v.satisfaction_definitions.len(), 4);
    }
}
