//! The columns of a 交办清单: what each holds, the header names seen in real lists for it, the
//! standard headers of the blank template, and the column the preview names for a problem.

use crate::error::Result;
use crate::text::to_half_width;
use serde::{Deserialize, Serialize};

chinese_enum! {
    /// What a column of the 交办清单 holds.
    Field {
        Number = "编号",
        Title = "标题",
        Lead = "领衔人",
        Cosigners = "联名人",
        /// How many signed besides the lead (附议人数): a count, never a person.
        CosignerCount = "附议人数",
        /// How many signed in all, the lead included (联名总人数).
        SignersTotal = "联名总人数",
        Delegation = "代表团或界别",
        Phone = "联系电话",
        Category = "类别",
        /// Which stream the row is (州人大建议, 县政协提案, 人大, 政协): a clerk's ledger of
        /// several streams says it in a column often headed 类型, which is not the category.
        Stream = "类型",
        /// The session the row belongs to (州十五届人大二次会议).
        SessionName = "届次",
        LeadUnit = "主办单位",
        AssistUnits = "协办单位",
        AssignedOn = "交办日期",
        Key = "是否重点",
        FullText = "正文",
        Note = "备注",
        /// The results of an earlier year's ledger, recorded as steps (补录).
        ReplyDate = "答复日期",
        DocNumber = "答复文号",
        /// A, B, C, or words (已经解决, 列入计划 …) the clerk maps to a class in the preview.
        Outcome = "办理结果",
        /// One column for both ratings.
        Satisfaction = "满意度",
        WorkRating = "对办理工作的评价",
        ResultRating = "对办理结果的评价",
        Channel = "沟通方式",
        MeetingDate = "面商日期",
        MeetingMethod = "面商方式",
        Publication = "是否公开",
        /// What the 回头看 of later years found ("2024年7月17日回头看：已解决").
        Lookback = "回头看情况",
        Ignore = "不导入",
    }
}

/// The header names seen in real lists, for each field (compared without spaces).
const SYNONYMS: &[(Field, &[&str])] = &[
    (Field::Number, &["编号", "建议号", "提案号", "序号编号", "案号", "建议编号", "提案编号"]),
    (Field::Title, &["标题", "案由", "题目", "建议标题", "提案标题", "建议题目", "提案题目"]),
    (Field::Lead, &["领衔人", "领衔代表", "提案人", "第一提案人", "提出人", "代表", "委员", "领衔委员"]),
    (Field::Cosigners, &["联名人", "附议人", "联名代表", "附议代表", "联名委员"]),
    (Field::CosignerCount, &["附议人数", "联名人数", "附议代表人数", "联名代表人数", "附议人数(人)", "联名人数(人)"]),
    (Field::SignersTotal, &["联名总人数", "总人数", "提出人数", "联名总数", "联名总人数(人)"]),
    (Field::Delegation, &["代表团", "界别", "代表团或界别", "所在代表团", "所属界别"]),
    (Field::Phone, &["联系电话", "电话", "手机", "代表电话"]),
    // 类型 names the category in some lists and the stream in others: its values decide
    // (see [`stream_column`]).
    (Field::Category, &["类别", "分类", "类型", "建议类别", "提案类别"]),
    (Field::Stream, &["建议提案类型", "件别", "所属类型", "来源类型"]),
    (Field::SessionName, &["届次", "所属届次", "届次会议", "会议", "会次"]),
    (Field::LeadUnit, &["主办单位", "承办单位", "主办", "牵头单位"]),
    (Field::AssistUnits, &["协办单位", "会办单位", "协办", "会办"]),
    (Field::AssignedOn, &["交办日期", "交办时间", "日期"]),
    (Field::Key, &["是否重点", "重点", "重点建议", "重点提案"]),
    (Field::FullText, &["正文", "内容", "建议内容", "提案内容", "案据"]),
    (Field::Note, &["备注", "说明"]),
    (Field::ReplyDate, &["答复日期", "答复时间", "办复日期", "办复时间", "正式答复日期", "答复办结日期"]),
    (Field::DocNumber, &["答复文号", "文号", "复文文号", "答复函文号", "办复文号", "答复函号"]),
    (Field::Outcome, &["办理结果", "答复类别", "办复类别", "办理结果类别", "答复结果", "办理类别", "结果类别"]),
    (Field::Satisfaction, &["满意度", "满意程度", "代表满意度", "委员满意度", "是否满意", "满意情况", "代表意见", "委员意见", "满意度测评", "测评结果"]),
    (Field::WorkRating, &["对办理工作的评价", "对办理工作评价", "办理工作评价", "对办理态度的评价", "办理态度", "对承办工作的评价"]),
    (Field::ResultRating, &["对办理结果的评价", "对办理结果评价", "办理结果评价", "对答复结果的评价"]),
    (Field::Channel, &["沟通方式", "沟通形式", "征求意见方式"]),
    (Field::MeetingDate, &["面商日期", "面商时间", "沟通日期", "走访日期"]),
    (Field::MeetingMethod, &["面商方式", "面商形式", "走访方式"]),
    (Field::Publication, &["是否公开", "公开属性", "公开情况", "公开方式"]),
    (Field::Lookback, &["回头看情况", "回头看", "回头看结果", "跟踪落实情况", "跟踪情况", "落实情况"]),
];

/// The headers of the blank import template, in order.
pub const TEMPLATE_HEADERS: &[&str] =
    &["编号", "标题", "领衔人", "联名人", "联名总人数", "代表团或界别", "联系电话", "类别", "主办单位", "协办单位", "交办日期", "是否重点", "正文", "备注"];

pub(crate) fn squeeze(text: &str) -> String {
    to_half_width(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// How many rows from the top of a sheet its header is looked for in (an import's list, an
/// upper body's form): below them are the rows of the table.
pub(crate) const HEADER_ROWS: usize = 15;

/// A header squeezed ([`squeeze`]) without a note in brackets at its end (办理结果（A/B/C）,
/// 提出人(领衔)): the name, as it is when it has no note.
pub(crate) fn bare_name(header: &str) -> String {
    let name = squeeze(header);
    match name.strip_suffix(')').and_then(|h| h.rsplit_once('(')) {
        Some((head, _)) => head.to_string(),
        None => name,
    }
}

/// The field a header names, if it is a known one; a note in brackets at its end does not
/// count ([`bare_name`]).
pub(crate) fn field_of(header: &str) -> Option<Field> {
    let known = |h: &str| SYNONYMS.iter().find(|(_, names)| names.contains(&h)).map(|(f, _)| *f);
    known(&squeeze(header)).or_else(|| known(&bare_name(header)))
}

/// Whether a column's values name streams (州人大建议, 政协 …) rather than categories: at
/// least half of its filled cells below the header do.
pub(crate) fn stream_column(rows: &[Vec<String>], header_row: usize, index: usize) -> bool {
    let filled: Vec<&String> = rows.iter().skip(header_row + 1).filter_map(|r| r.get(index)).filter(|v| !v.trim().is_empty()).collect();
    let streams = filled.iter().filter(|v| crate::model::stream_words(v).is_some()).count();
    streams > 0 && streams * 2 >= filled.len()
}

/// The column of a result a step's error belongs to.
pub(crate) fn result_column(step: &str, field: &str) -> String {
    match (step, field) {
        ("回头看", _) => "回头看情况",
        ("面商", "happened_on") => "面商日期",
        (_, "happened_on") => "答复日期",
        (_, "class") => "办理结果",
        (_, "method") => "面商方式",
        (_, "channel") => "沟通方式",
        (_, "work") => "对办理工作的评价",
        (_, "result") => "对办理结果的评价",
        (_, "mode" | "reason") => "是否公开",
        (_, "unit_id") => "主办单位",
        _ => "其他",
    }
    .to_string()
}

/// The column a validation error belongs to, as the clerk reads it.
pub(crate) fn column_name(field: &str) -> String {
    match field.split('.').next().unwrap_or(field) {
        "number" => "编号",
        "title" => "标题",
        "assigned_on" => "交办日期",
        "proposers" if field.ends_with("phone") => "联系电话",
        "proposers" => "领衔人",
        "signers_total" => "领衔人",
        "assignments" if field.starts_with("assignments.0.") || field == "assignments" => "主办单位",
        "assignments" => "协办单位",
        "category_id" => "类别",
        _ => "其他",
    }
    .to_string()
}

/// A blank 交办清单 with the standard headers, for bodies that ask what to send.
pub fn template_workbook() -> Result<Vec<u8>> {
    let columns: Vec<crate::output::workbook::Column> = TEMPLATE_HEADERS
        .iter()
        .map(|h| crate::output::workbook::Column { header: h, width: if *h == "标题" || *h == "正文" { 36.0 } else { 14.0 } })
        .collect();
    let mut workbook = crate::output::workbook::new_workbook();
    crate::output::workbook::add_table(&mut workbook, crate::output::workbook::Table {
        sheet_name: "交办清单",
        title: "建议提案交办清单".into(),
        left_line: "届次：".into(),
        right_line: "交办日期：".into(),
        columns: &columns,
        rows: Vec::new(),
    })?;
    Ok(workbook.save_to_buffer()?)
}
