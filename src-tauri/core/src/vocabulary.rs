//! The domain's words, defined once in Rust and handed to the window at start: the kinds and
//! levels of the upper bodies, the workflow's steps (and which belong to a unit or to the
//! office), the ratings, ways and classes a step records, and the kinds of the operation log.
//! The screens build their lists from these instead of keeping copies.

use crate::deadlines::DEADLINE_STEPS;
use crate::model::{Kind, Level, Stream};
use crate::queries::log::LogKind;
use crate::workflow::{Channel, MeetingMethod, PublicationMode, Rating, Step};
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
    }
}
