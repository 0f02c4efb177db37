//! 答复样稿: the reply letter a unit sends a deputy or member (主办答复), or the opinion an
//! assisting unit sends the lead unit (协办意见). A template names the letter's parts with
//! placeholders such as `{领衔人}`; filling it from an item gives the first draft, which the
//! clerk edits and saves as versions. An unknown placeholder is an error the clerk sees,
//! never text that slips into a letter.

use crate::error::{FieldErrors, Result};
use crate::model::{Kind, Proposer};
use crate::text::{clean, format_date_cn, is_valid_phone, parse_date};
use crate::workflow::{PublicationMode, ReplyClass};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

chinese_enum! {
    /// What a letter is: the lead unit's reply to the proposer (主办答复), or an assisting
    /// unit's opinion to the lead unit (协办意见).
    ReplyPurpose { Lead = "主办答复", Assist = "协办意见" }
}

/// The parts of a letter that a template fills. Each may hold placeholders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TemplateParts {
    pub title: String,
    pub salutation: String,
    pub opening: String,
    pub body: String,
    pub closing: String,
    pub cc: String,
}

impl TemplateParts {
    /// Each part by its name on screen, with its text (for the operation log).
    pub(crate) fn named_owned(&self) -> Vec<(&'static str, String)> {
        self.named().into_iter().map(|(_, label, text)| (label, text.to_string())).collect()
    }

    /// Each part with its field name and its name on screen.
    fn named(&self) -> [(&'static str, &'static str, &str); 6] {
        [
            ("title", "标题", &self.title),
            ("salutation", "称呼", &self.salutation),
            ("opening", "开头", &self.opening),
            ("body", "正文", &self.body),
            ("closing", "结束语", &self.closing),
            ("cc", "抄送", &self.cc),
        ]
    }
}

/// A template as stored (答复模板).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplyTemplate {
    pub id: i64,
    pub name: String,
    pub kind: Kind,
    pub purpose: ReplyPurpose,
    #[serde(flatten)]
    pub parts: TemplateParts,
    pub updated_at: String,
}

/// The templates and the placeholders they may use, for the template editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateList {
    pub templates: Vec<ReplyTemplate>,
    pub placeholders: &'static [Placeholder],
}

/// What the template editor sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TemplateInput {
    pub name: String,
    pub kind: String,
    pub purpose: String,
    #[serde(flatten)]
    pub parts: TemplateParts,
}

/// A placeholder a template may use, with what it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    pub name: &'static str,
    pub meaning: &'static str,
}

/// Every placeholder there is. Anything else in braces is an error.
pub const PLACEHOLDERS: &[Placeholder] = &[
    Placeholder { name: "届次", meaning: "如 州十六届人大二次会议" },
    Placeholder { name: "年份", meaning: "届次的年份，如 2025" },
    Placeholder { name: "编号", meaning: "如 214" },
    Placeholder { name: "类型", meaning: "建议 或 提案" },
    Placeholder { name: "标题", meaning: "案由，不带书名号" },
    Placeholder { name: "领衔人", meaning: "领衔代表或委员的姓名" },
    Placeholder { name: "身份", meaning: "代表 或 委员" },
    Placeholder { name: "称呼", meaning: "如 乔次仁代表、刘文彬等2位委员、妇联界" },
    Placeholder { name: "全体称呼", meaning: "每位提出人，如 刘文彬、张宝成委员、妇联界和王爱新委员" },
    Placeholder { name: "提出人", meaning: "台账中的写法，如 李燕芹等11人" },
    Placeholder { name: "承办单位", meaning: "写这封答复或协办意见的单位" },
    Placeholder { name: "主办单位", meaning: "本件的主办单位" },
    Placeholder { name: "日期", meaning: "如 2025年4月18日" },
    Placeholder { name: "联系人", meaning: "承办人" },
    Placeholder { name: "联系电话", meaning: "承办人的电话" },
    Placeholder { name: "办理结果", meaning: "A、B 或 C" },
    Placeholder { name: "同类件", meaning: "标为同类、一并办理的件，如 第12号建议《……》；没有时为空" },
];

/// What a template is filled from: one item and the unit that writes.
pub struct LetterFacts<'a> {
    pub kind: Kind,
    pub session_name: &'a str,
    pub year: i32,
    pub number: &'a str,
    pub title: &'a str,
    pub proposers: &'a [Proposer],
    pub signers_total: Option<i64>,
    pub proposer_label: &'a str,
    pub writer: &'a str,
    pub lead_unit: &'a str,
    pub contact: &'a str,
    pub phone: &'a str,
    pub date: NaiveDate,
    pub class: Option<ReplyClass>,
    pub publication: Option<PublicationMode>,
    /// The items linked to this one as 同类, as a letter names them (empty when none).
    pub same_class: String,
}

/// How the proposers are addressed: (the lead form, the form naming everyone).
/// 乔次仁代表 / 刘文彬等2位委员 and 刘文彬、张宝成委员 / 妇联界 / 妇联界和王爱新委员.
pub fn addresses(kind: Kind, proposers: &[Proposer], signers_total: Option<i64>) -> (String, String) {
    let title = kind.proposer_title();
    let join = |people: Vec<&str>| people.join("、");
    let people: Vec<&str> = proposers.iter().filter(|p| !p.is_collective).map(|p| p.name.as_str()).collect();
    let bodies: Vec<&str> = proposers.iter().filter(|p| p.is_collective).map(|p| p.name.as_str()).collect();
    let total = signers_total.unwrap_or(0).max(proposers.len() as i64);
    let unnamed = total - proposers.len() as i64;
    let people_part = match (people.is_empty(), unnamed > 0) {
        (true, _) => String::new(),
        (false, false) => format!("{}{title}", join(people.clone())),
        (false, true) => format!("{}等{}位{title}", join(people.clone()), people.len() as i64 + unnamed),
    };
    let everyone = [join(bodies), people_part].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("和");
    let lead = match proposers.first() {
        None => String::new(),
        Some(p) if total <= 1 && p.is_collective => p.name.clone(),
        Some(p) if total <= 1 => format!("{}{title}", p.name),
        Some(p) if !p.is_collective => format!("{}等{total}位{title}", p.name),
        Some(_) => everyone.clone(),
    };
    (lead, everyone)
}

fn values(facts: &LetterFacts) -> Vec<(&'static str, String)> {
    let (lead, everyone) = addresses(facts.kind, facts.proposers, facts.signers_total);
    vec![
        ("届次", facts.session_name.to_string()),
        ("年份", facts.year.to_string()),
        ("编号", facts.number.to_string()),
        ("类型", facts.kind.to_string()),
        ("标题", facts.title.to_string()),
        ("领衔人", facts.proposers.first().map(|p| p.name.clone()).unwrap_or_default()),
        ("身份", facts.kind.proposer_title().to_string()),
        ("称呼", lead),
        ("全体称呼", everyone),
        ("提出人", facts.proposer_label.to_string()),
        ("承办单位", facts.writer.to_string()),
        ("主办单位", facts.lead_unit.to_string()),
        ("日期", format_date_cn(facts.date)),
        ("联系人", facts.contact.to_string()),
        ("联系电话", facts.phone.to_string()),
        ("办理结果", facts.class.map(|c| c.to_string()).unwrap_or_default()),
        ("同类件", facts.same_class.clone()),
    ]
}

/// What is wrong with a placeholder in a template's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceholderError {
    Unknown(String),
    Unclosed,
}

impl PlaceholderError {
    /// The clerk's message, naming the part of the template (标题, 开头 …).
    fn message(&self, part: &str) -> String {
        match self {
            PlaceholderError::Unknown(name) => format!(
                "{part}中的占位符“{{{name}}}”不认识。可用的占位符：{}。",
                PLACEHOLDERS.iter().map(|p| format!("{{{}}}", p.name)).collect::<Vec<_>>().join("、")
            ),
            PlaceholderError::Unclosed => format!("{part}中有“{{”没有配对的“}}”。占位符要写成 {{领衔人}} 这样。"),
        }
    }
}

/// Replaces every `{name}` (full-width ｛name｝ too, as a Chinese IME types it) with its value.
pub fn fill(text: &str, values: &[(&str, String)]) -> std::result::Result<String, PlaceholderError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['{', '｛']) {
        out.push_str(&rest[..start]);
        let open = rest[start..].chars().next().expect("a brace").len_utf8();
        let after = &rest[start + open..];
        let end = after.find(['}', '｝']).ok_or(PlaceholderError::Unclosed)?;
        let name = after[..end].trim();
        let value = values.iter().find(|(n, _)| *n == name).ok_or_else(|| PlaceholderError::Unknown(name.to_string()))?;
        out.push_str(&value.1);
        let close = after[end..].chars().next().expect("a brace").len_utf8();
        rest = &after[end + close..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Checks a template's placeholders part by part; `Err` names every wrong part.
fn check_parts(parts: &TemplateParts, prefix: &str) -> Result<()> {
    let known: Vec<(&str, String)> = PLACEHOLDERS.iter().map(|p| (p.name, String::new())).collect();
    let mut errors = FieldErrors::default();
    for (field, label, text) in parts.named() {
        if let Err(e) = fill(text, &known) {
            errors.add(field, format!("{prefix}{}", e.message(label)));
        }
    }
    errors.finish()
}

/// Checks what the template editor sent: a name, a kind, a purpose, a title, and only
/// known placeholders.
pub fn check_template(input: &TemplateInput) -> Result<(String, Kind, ReplyPurpose, TemplateParts)> {
    let mut errors = FieldErrors::default();
    let name = clean(&input.name);
    if name.is_empty() || name.chars().count() > 30 {
        errors.add("name", "请填写模板名称（不超过 30 字）。");
    }
    let kind = Kind::parse(&input.kind);
    if kind.is_none() {
        errors.add("kind", "请选择模板用于建议还是提案。");
    }
    let purpose = ReplyPurpose::parse(&input.purpose);
    if purpose.is_none() {
        errors.add("purpose", "请选择模板是主办答复还是协办意见。");
    }
    let parts = TemplateParts {
        title: clean(&input.parts.title),
        salutation: clean(&input.parts.salutation),
        opening: clean(&input.parts.opening),
        body: input.parts.body.trim_end().to_string(),
        closing: clean(&input.parts.closing),
        cc: clean(&input.parts.cc),
    };
    if parts.title.is_empty() {
        errors.add("title", "请填写标题，例如 关于{届次}第{编号}号建议的答复。");
    }
    errors.merge(check_parts(&parts, ""))?;
    errors.finish()?;
    match (kind, purpose) {
        (Some(kind), Some(purpose)) => Ok((name, kind, purpose, parts)),
        _ => unreachable!("a missing kind or purpose is a field error"),
    }
}

/// The letter as the clerk edits, saves, prints and exports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyContent {
    /// 办理结果, printed at the top right of the first page; open while not yet decided.
    pub class: Option<ReplyClass>,
    pub title: String,
    pub salutation: String,
    /// 您提出的《…》收悉。现答复如下：
    pub opening: String,
    /// The measures, one paragraph a line.
    pub body: String,
    /// 感谢您对……工作的关心和支持。
    pub closing: String,
    /// The signing unit (署名).
    pub signer: String,
    pub date: NaiveDate,
    pub contact: String,
    pub phone: String,
    /// 抄送, the offices separated by 、 or ，.
    pub cc: String,
    pub publication: PublicationMode,
}

impl ReplyContent {
    /// The paragraphs of the letter's body, in order: opening, measures, closing.
    pub fn paragraphs(&self) -> Vec<&str> {
        std::iter::once(self.opening.as_str())
            .chain(self.body.lines())
            .chain(std::iter::once(self.closing.as_str()))
            .map(|p| p.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'))
            .filter(|p| !p.is_empty())
            .collect()
    }

    /// 附注 under the date, as GB/T 9704 words it: （此件公开发布） and the like.
    pub fn publication_note(&self) -> &'static str {
        match self.publication {
            PublicationMode::Active => "（此件公开发布）",
            PublicationMode::OnRequest => "（此件依申请公开）",
            PublicationMode::Withheld => "（此件不予公开）",
        }
    }

    /// （联系人：张伟，联系电话：0909-5221234）, or nothing when neither is known.
    pub fn contact_note(&self) -> Option<String> {
        let parts: Vec<String> = [("联系人", &self.contact), ("联系电话", &self.phone)]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}：{v}"))
            .collect();
        (!parts.is_empty()).then(|| format!("（{}）", parts.join("，")))
    }

    /// 抄送：县人大常委会办公室，县政协办公室。 — offices separated by commas, a full stop
    /// after the last (GB/T 9704 7.4.2).
    pub fn cc_line(&self) -> Option<String> {
        let offices: Vec<&str> = self.cc.split(['、', '，', ',', '；', ';', '\n', ' ', '\u{3000}']).map(str::trim).filter(|s| !s.is_empty()).collect();
        let offices: Vec<&str> = offices.iter().map(|o| o.trim_end_matches('。')).collect();
        (!offices.is_empty()).then(|| format!("抄送：{}。", offices.join("，")))
    }

    /// 2025年4月18日.
    pub fn date_text(&self) -> String {
        format_date_cn(self.date)
    }

    /// Where the signing unit stands, in characters from the right margin. GB/T 9704
    /// 7.3.5.1: the date stands [`DATE_OFFSET`] characters from the right and the unit is
    /// centred over the date (a Latin digit is half a character wide).
    pub fn signer_offset(&self) -> f64 {
        let chars = |text: &str| crate::text::text_width(text) / 2.0;
        (DATE_OFFSET + chars(&self.date_text()) / 2.0 - chars(&self.signer) / 2.0).max(0.0)
    }
}

/// The lines of a letter as print and .docx set them, worked out once from its parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LetterLines {
    /// Opening, measures, closing: each an indented paragraph.
    pub paragraphs: Vec<String>,
    pub date: String,
    /// Characters between the signing unit and the right margin.
    pub signer_offset: f64,
    pub publication_note: &'static str,
    pub contact_note: Option<String>,
    pub cc_line: Option<String>,
}

impl ReplyContent {
    pub fn lines(&self) -> LetterLines {
        LetterLines {
            paragraphs: self.paragraphs().into_iter().map(str::to_string).collect(),
            date: self.date_text(),
            signer_offset: self.signer_offset(),
            publication_note: self.publication_note(),
            contact_note: self.contact_note(),
            cc_line: self.cc_line(),
        }
    }
}

/// The date of a letter stands four characters from the right margin (右空四字).
pub const DATE_OFFSET: f64 = 4.0;

/// A template filled from one item: the first draft of a letter. The signer is the
/// writing unit and the date is `facts.date`.
pub fn start_letter(template: &ReplyTemplate, facts: &LetterFacts) -> Result<ReplyContent> {
    check_parts(&template.parts, &format!("模板“{}”的", template.name))?;
    let values = values(facts);
    let filled = |text: &str| fill(text, &values).expect("placeholders were checked");
    // 同类件 handled together name each other: the template says where, or the body begins so.
    let parts = &template.parts;
    let placed = [&parts.title, &parts.salutation, &parts.opening, &parts.body, &parts.closing, &parts.cc].iter().any(|p| p.contains("{同类件}"));
    let body = match facts.same_class.as_str() {
        "" => filled(&parts.body),
        _ if placed => filled(&parts.body),
        same => format!("本件与{same}同类，我们一并研究办理。\n{}", filled(&parts.body)),
    };
    Ok(ReplyContent {
        class: facts.class,
        title: filled(&template.parts.title),
        salutation: filled(&template.parts.salutation),
        opening: filled(&template.parts.opening),
        body,
        closing: filled(&template.parts.closing),
        signer: facts.writer.to_string(),
        date: facts.date,
        contact: facts.contact.to_string(),
        phone: facts.phone.to_string(),
        cc: filled(&template.parts.cc),
        publication: facts.publication.unwrap_or(PublicationMode::Active),
    })
}

/// What the draft editor sends: typed text, checked here so each mistake is named.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplyContentInput {
    pub class: String,
    pub title: String,
    pub salutation: String,
    pub opening: String,
    pub body: String,
    pub closing: String,
    pub signer: String,
    pub date: String,
    pub contact: String,
    pub phone: String,
    pub cc: String,
    pub publication: String,
}

/// A letter a unit wrote in Word, as its paragraphs, recognised part by part over `start`
/// (the template's letter, which fills any part the file does not have): the class mark,
/// title and salutation at the head; 收悉 for the opening, 感谢…关心和支持 for the closing;
/// the signer, date, 公开 note, 联系人/电话 and 抄送 at the foot. Every other paragraph goes
/// into the body in its order, so nothing that was text is lost.
pub fn letter_from_paragraphs(paragraphs: &[String], start: &ReplyContent) -> ReplyContentInput {
    let mut letter = ReplyContentInput {
        class: start.class.map(|c| c.as_str().to_string()).unwrap_or_default(),
        title: start.title.clone(),
        salutation: start.salutation.clone(),
        opening: start.opening.clone(),
        body: String::new(),
        closing: start.closing.clone(),
        signer: start.signer.clone(),
        date: start.date.to_string(),
        contact: start.contact.clone(),
        phone: start.phone.clone(),
        cc: start.cc.clone(),
        publication: start.publication.as_str().to_string(),
    };
    let mut used = vec![false; paragraphs.len()];
    let short = |p: &str, most: usize| p.chars().count() <= most;
    // The head: the class mark, the title, the salutation.
    for (i, p) in paragraphs.iter().enumerate().take(5) {
        let bare = crate::text::to_half_width(p).trim().trim_end_matches('类').trim().to_uppercase();
        if let Some(class) = ReplyClass::parse(&bare).filter(|_| short(p, 3)) {
            letter.class = class.as_str().to_string();
        } else if p.starts_with("关于") && (p.ends_with("答复") || p.ends_with("意见")) && short(p, 80) {
            letter.title = p.clone();
        } else if (p.ends_with('：') || p.ends_with(':')) && short(p, 40) {
            letter.salutation = p.clone();
            used[i] = true;
            break;
        } else {
            continue;
        }
        used[i] = true;
    }
    // The foot, read upwards until the body's last paragraph.
    let after = |p: &str, label: &str| p.split_once(label).map(|(_, rest)| rest.trim_start_matches(['：', ':']).trim().to_string());
    let mut dated = false;
    for i in (0..paragraphs.len()).rev() {
        let p = paragraphs[i].as_str();
        if used[i] {
            continue;
        }
        if p.starts_with("抄送") {
            letter.cc = after(p, "抄送").unwrap_or_default().trim_end_matches(['。', '.']).to_string();
        } else if p.contains("联系人") || p.contains("联系电话") {
            if let Some(contact) = after(p, "联系人") {
                let name = contact.split(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '，' || c == ',').next().unwrap_or_default();
                letter.contact = name.split("联系电话").next().unwrap_or_default().to_string();
            }
            if let Some(phone) = after(p, "联系电话").or_else(|| after(p, "电话")) {
                letter.phone = phone.trim_end_matches(['。', '.']).to_string();
            }
        } else if let Some(mode) = publication_note_of(p) {
            letter.publication = mode.as_str().to_string();
        } else if !dated && short(p, 14) && parse_date(p).is_some() {
            letter.date = parse_date(p).expect("checked").to_string();
            dated = true;
            // The signer stands just above the date.
            if let Some(j) = (0..i).rev().find(|j| !used[*j]).filter(|j| short(&paragraphs[*j], 30) && !paragraphs[*j].ends_with('。')) {
                letter.signer = paragraphs[j].clone();
                used[j] = true;
            }
        } else {
            break;
        }
        used[i] = true;
    }
    if let Some(i) = (0..paragraphs.len()).find(|i| !used[*i] && paragraphs[*i].contains("收悉")) {
        letter.opening = paragraphs[i].clone();
        used[i] = true;
    }
    if let Some(i) = (0..paragraphs.len()).rev().find(|i| !used[*i] && (paragraphs[*i].starts_with("感谢") || paragraphs[*i].contains("关心和支持"))) {
        letter.closing = paragraphs[i].clone();
        used[i] = true;
    }
    // A line break inside a paragraph would split it in the body, which is one paragraph a line.
    letter.body = paragraphs.iter().zip(&used).filter(|(_, u)| !**u).map(|(p, _)| p.replace('\n', " ")).collect::<Vec<_>>().join("\n");
    letter
}

/// The 公开 note under a letter's date: （此件公开发布）, （此件依申请公开）, （此件不予公开）.
fn publication_note_of(paragraph: &str) -> Option<PublicationMode> {
    if paragraph.chars().count() > 12 {
        return None;
    }
    [(PublicationMode::OnRequest, "依申请公开"), (PublicationMode::Withheld, "不予公开"), (PublicationMode::Active, "公开发布")]
        .into_iter()
        .find(|(_, words)| paragraph.contains(words))
        .map(|(mode, _)| mode)
}

/// Checks a draft before it is saved. A draft may still be unfinished (no body, no class),
/// but what it has must be right: a title, a salutation, a signer, a real date and phone.
pub fn check_content(input: &ReplyContentInput) -> Result<ReplyContent> {
    let mut errors = FieldErrors::default();
    let mut need = |field: &str, value: &str, message: &str| {
        if clean(value).is_empty() {
            errors.add(field, message);
        }
    };
    need("title", &input.title, "请填写标题。");
    need("salutation", &input.salutation, "请填写称呼，例如 乔次仁代表：");
    need("signer", &input.signer, "请填写落款单位。");
    let class = match input.class.trim() {
        "" => None,
        typed => {
            let class = ReplyClass::parse(typed);
            if class.is_none() {
                errors.add("class", "办理结果只能是 A、B 或 C 类。");
            }
            class
        }
    };
    let date = parse_date(&input.date);
    if date.is_none() {
        errors.add("date", "日期不是有效日期，请写成 2025-04-18 或 2025年4月18日。");
    }
    if !is_valid_phone(&input.phone) {
        errors.add("phone", "联系电话只能包含数字、短横线、括号和“转”，例如 0909-5221234。");
    }
    let publication = PublicationMode::parse(&input.publication);
    if publication.is_none() {
        errors.add("publication", "请选择公开属性。");
    }
    errors.finish()?;
    let body: Vec<String> = input.body.lines().map(clean).filter(|l| !l.is_empty()).collect();
    Ok(ReplyContent {
        class,
        title: clean(&input.title),
        salutation: clean(&input.salutation),
        opening: clean(&input.opening),
        body: body.join("\n"),
        closing: clean(&input.closing),
        signer: clean(&input.signer),
        date: date.expect("checked"),
        contact: clean(&input.contact),
        phone: clean(&input.phone),
        cc: clean(&input.cc),
        publication: publication.expect("checked"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn person(name: &str) -> Proposer {
        Proposer { name: name.into(), is_collective: false, delegation: String::new(), phone: String::new() }
    }

    fn body(name: &str) -> Proposer {
        Proposer { is_collective: true, ..person(name) }
    }

    fn template(purpose: ReplyPurpose, title: &str) -> ReplyTemplate {
        ReplyTemplate {
            id: 1,
            name: "测试模板".into(),
            kind: Kind::Suggestion,
            purpose,
            parts: TemplateParts {
                title: title.into(),
                salutation: "{称呼}：".into(),
                opening: "您提出的《{标题}》收悉。现答复如下：".into(),
                body: String::new(),
                closing: "感谢您对{承办单位}工作的关心和支持。".into(),
                cc: "县人大常委会办公室".into(),
            },
            updated_at: String::new(),
        }
    }

    fn facts<'a>(proposers: &'a [Proposer]) -> LetterFacts<'a> {
        LetterFacts {
            kind: Kind::Suggestion,
            session_name: "州十六届人大二次会议",
            year: 2025,
            number: "214",
            title: "关于加快实施巴宜区布久乡孜热村升级改造项目的建议",
            proposers,
            signers_total: None,
            proposer_label: "乔次仁",
            writer: "县住房和城乡建设局",
            lead_unit: "县住房和城乡建设局",
            contact: "张伟",
            phone: "0909-5221234",
            date: NaiveDate::from_ymd_opt(2025, 4, 18).unwrap(),
            class: Some(ReplyClass::A),
            publication: None,
            same_class: String::new(),
        }
    }

    const SAME_CLASS: &str = "第215号建议《关于孜热村道路硬化的建议》";

    #[test]
    fn a_letter_names_its_same_class_items_where_the_template_says_or_first_in_the_body() {
        let proposers = [person("乔次仁")];
        let facts = LetterFacts { same_class: SAME_CLASS.into(), ..facts(&proposers) };
        let letter = start_letter(&template(ReplyPurpose::Lead, "关于{届次}第{编号}号建议的答复"), &facts).unwrap();
        assert!(letter.body.starts_with("本件与第215号建议《关于孜热村道路硬化的建议》同类，我们一并研究办理。\n"), "{}", letter.body);
        let mut placed = template(ReplyPurpose::Lead, "关于{届次}第{编号}号建议的答复");
        placed.parts.opening = "您提出的建议（与{同类件}一并办理）收悉。".into();
        let letter = start_letter(&placed, &facts).unwrap();
        assert_eq!(letter.opening, "您提出的建议（与第215号建议《关于孜热村道路硬化的建议》一并办理）收悉。");
        assert!(!letter.body.contains("同类"), "said once, where the template put it");
        assert!(!start_letter(&template(ReplyPurpose::Lead, "关于{届次}第{编号}号建议的答复"), &self::facts(&proposers)).unwrap().body.contains("同类"), "nothing without 同类件");
    }

    #[test]
    fn every_placeholder_is_filled() {
        let proposers = [person("乔次仁")];
        let all: String = PLACEHOLDERS.iter().map(|p| format!("[{}]", format_args!("{{{}}}", p.name))).collect();
        let same_class = LetterFacts { same_class: SAME_CLASS.into(), ..facts(&proposers) };
        let filled = fill(&all, &values(&same_class)).unwrap();
        assert_eq!(
            filled,
            "[州十六届人大二次会议][2025][214][建议][关于加快实施巴宜区布久乡孜热村升级改造项目的建议][乔次仁][代表][乔次仁代表]\
             [乔次仁代表][乔次仁][县住房和城乡建设局][县住房和城乡建设局][2025年4月18日][张伟][0909-5221234][A]\
             [第215号建议《关于孜热村道路硬化的建议》]"
        );
        assert!(!filled.contains('{'), "nothing is left unfilled");
    }

    #[test]
    fn a_whole_letter_is_started_from_a_template() {
        let proposers = [person("乔次仁")];
        let letter = start_letter(&template(ReplyPurpose::Lead, "关于{届次}第{编号}号建议的答复"), &facts(&proposers)).unwrap();
        assert_eq!(letter.title, "关于州十六届人大二次会议第214号建议的答复");
        assert_eq!(letter.salutation, "乔次仁代表：");
        assert_eq!(letter.opening, "您提出的《关于加快实施巴宜区布久乡孜热村升级改造项目的建议》收悉。现答复如下：");
        assert_eq!(letter.closing, "感谢您对县住房和城乡建设局工作的关心和支持。");
        assert_eq!((letter.signer.as_str(), letter.date_text().as_str()), ("县住房和城乡建设局", "2025年4月18日"));
        assert_eq!(letter.class, Some(ReplyClass::A));
        assert_eq!(letter.publication, PublicationMode::Active);
        assert_eq!(letter.cc_line().as_deref(), Some("抄送：县人大常委会办公室。"));
        assert_eq!(letter.contact_note().as_deref(), Some("（联系人：张伟，联系电话：0909-5221234）"));
        // 2025年4月18日 is 6.5 characters wide, the unit 9: centred over the date, the unit
        // ends 4 + 3.25 - 4.5 = 2.75 characters from the right margin.
        assert_eq!(letter.signer_offset(), 2.75);
    }

    #[test]
    fn several_proposers_are_addressed_by_the_lead_or_each_by_name() {
        let two = [person("刘文彬"), person("张宝成")];
        assert_eq!(addresses(Kind::Proposal, &two, None), ("刘文彬等2位委员".into(), "刘文彬、张宝成委员".into()));
        let three_of_eleven = [person("李燕芹"), person("王刚"), person("阿依古丽·买买提")];
        assert_eq!(
            addresses(Kind::Suggestion, &three_of_eleven, Some(11)),
            ("李燕芹等11位代表".into(), "李燕芹、王刚、阿依古丽·买买提等11位代表".into())
        );
        let title = template(ReplyPurpose::Lead, "关于{全体称呼}提出的《{标题}》的答复");
        let mut proposal = facts(&two);
        proposal.kind = Kind::Proposal;
        proposal.title = "关于促进中小企业发展 扩大劳动就业方面的提案";
        let letter = start_letter(&title, &proposal).unwrap();
        assert_eq!(letter.title, "关于刘文彬、张宝成委员提出的《关于促进中小企业发展 扩大劳动就业方面的提案》的答复");
        assert_eq!(letter.salutation, "刘文彬等2位委员：");
    }

    #[test]
    fn a_collective_proposer_is_named_without_a_title() {
        assert_eq!(addresses(Kind::Proposal, &[body("妇联界")], None), ("妇联界".into(), "妇联界".into()));
        let mixed = [body("妇联界"), person("王爱新")];
        assert_eq!(addresses(Kind::Proposal, &mixed, None), ("妇联界和王爱新委员".into(), "妇联界和王爱新委员".into()));
        assert_eq!(addresses(Kind::Proposal, &[], None), (String::new(), String::new()));
    }

    #[test]
    fn an_unknown_or_unclosed_placeholder_is_an_error_not_text() {
        let proposers = [person("乔次仁")];
        let wrong = template(ReplyPurpose::Lead, "关于{届次}第{建议号}号建议的答复");
        let Err(Error::Invalid(errors)) = start_letter(&wrong, &facts(&proposers)) else { panic!("an unknown placeholder must fail") };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "title");
        assert!(errors[0].message.starts_with("模板“测试模板”的标题中的占位符“{建议号}”不认识。可用的占位符：{届次}、"), "{}", errors[0].message);
        assert_eq!(fill("第{编号号", &[("编号", "1".into())]), Err(PlaceholderError::Unclosed));
        assert_eq!(fill("第｛编号｝号", &[("编号", "214".into())]), Ok("第214号".into()), "full-width braces work too");
    }

    #[test]
    fn a_template_is_checked_part_by_part() {
        let input = TemplateInput {
            name: " 建议主办答复（重点件） ".into(),
            kind: "建议".into(),
            purpose: "主办答复".into(),
            parts: TemplateParts { title: "关于{届次}第{编号}号建议的答复".into(), closing: "感谢您对{分管工作}的支持。".into(), ..Default::default() },
        };
        let Err(Error::Invalid(errors)) = check_template(&input) else { panic!("{{分管工作}} is not a placeholder") };
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["closing"]);
        let good = TemplateInput { parts: TemplateParts { closing: "感谢您对{承办单位}工作的关心和支持。".into(), ..input.parts.clone() }, ..input };
        let (name, kind, purpose, _) = check_template(&good).unwrap();
        assert_eq!((name.as_str(), kind, purpose), ("建议主办答复（重点件）", Kind::Suggestion, ReplyPurpose::Lead));
        let Err(Error::Invalid(errors)) = check_template(&TemplateInput::default()) else { panic!() };
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["name", "kind", "purpose", "title"]);
    }

    #[test]
    fn a_draft_keeps_its_paragraphs_and_names_each_wrong_field() {
        let input = ReplyContentInput {
            class: "B".into(),
            title: "关于州十六届人大二次会议第214号建议的答复".into(),
            salutation: "乔次仁代表：".into(),
            opening: "您提出的建议收悉。现答复如下：".into(),
            body: "　　一、基本情况。\n\n　　二、下一步工作。\r\n".into(),
            closing: "感谢您的关心和支持。".into(),
            signer: "县住房和城乡建设局".into(),
            date: "2025年4月18日".into(),
            phone: "0909-5221234".into(),
            cc: "县人大常委会办公室、县政协办公室".into(),
            publication: "依申请公开".into(),
            ..Default::default()
        };
        let letter = check_content(&input).unwrap();
        assert_eq!(letter.body, "一、基本情况。\n二、下一步工作。");
        assert_eq!(letter.paragraphs(), ["您提出的建议收悉。现答复如下：", "一、基本情况。", "二、下一步工作。", "感谢您的关心和支持。"]);
        assert_eq!(letter.cc_line().as_deref(), Some("抄送：县人大常委会办公室，县政协办公室。"));
        assert_eq!(letter.publication_note(), "（此件依申请公开）");
        let wrong = ReplyContentInput { class: "D".into(), date: "4月18日".into(), phone: "电话".into(), publication: String::new(), title: " ".into(), ..input };
        let Err(Error::Invalid(errors)) = check_content(&wrong) else { panic!() };
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["title", "class", "date", "phone", "publication"]);
    }
}
