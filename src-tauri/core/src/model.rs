//! The ledger's vocabulary: the kinds of item, the levels of the upper bodies, the roles, and
//! the records the database stores. Enumerations travel as the Chinese word the clerk uses
//! (`"建议"`, `"主办"`), in SQLite and in JSON alike, so there is one spelling everywhere.

use serde::{Deserialize, Serialize};

/// Declares an enumeration stored and serialised as its Chinese word.
macro_rules! chinese_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $word)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// Parses the Chinese word; `None` for anything else.
            pub fn parse(word: &str) -> Option<Self> {
                match word.trim() { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let word = value.as_str()?;
                $name::parse(word).ok_or_else(|| rusqlite::types::FromSqlError::Other(
                    format!("{} 不是有效的{}", word, stringify!($name)).into()))
            }
        }
    };
}

chinese_enum! {
    /// 建议 (a people's-congress deputy's suggestion) or 提案 (a CPPCC member's proposal).
    Kind { Suggestion = "建议", Proposal = "提案" }
}

chinese_enum! {
    /// The level of the upper body that assigned the item.
    Level { National = "全国", Province = "省", Prefecture = "州", County = "县" }
}

chinese_enum! {
    /// The county's role towards the upper body: 主办 (lead), 协办 (co-handler, also called
    /// 会办) or 参考 (意见和建议: for reference, no formal reply).
    CountyRole { Lead = "主办", Assist = "协办", Reference = "参考" }
}

chinese_enum! {
    /// A county unit's role on one item: 主办单位 or 协办单位.
    UnitRole { Lead = "主办", Assist = "协办" }
}

impl Kind {
    /// The body behind the kind: 人大 for 建议, 政协 for 提案.
    pub fn body(self) -> &'static str {
        match self {
            Kind::Suggestion => "人大",
            Kind::Proposal => "政协",
        }
    }

    /// What a proposer of this kind is called: 代表 or 委员.
    pub fn proposer_title(self) -> &'static str {
        match self {
            Kind::Suggestion => "代表",
            Kind::Proposal => "委员",
        }
    }
}

/// A stream: the items of one kind from one level's body (州人大建议, 县政协提案). Tables,
/// figures and filters choose streams; in JSON it is `{"level": "州", "kind": "建议"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Stream {
    pub level: Level,
    pub kind: Kind,
}

impl Stream {
    /// Every level × kind, in the order lists show them.
    pub fn all() -> impl Iterator<Item = Stream> {
        Level::ALL.iter().flat_map(|&level| Kind::ALL.iter().map(move |&kind| Stream { level, kind }))
    }

    /// The stream as the clerk names it, e.g. 州人大建议, 县政协提案.
    pub fn label(self) -> String {
        format!("{}{}{}", self.level.as_str(), self.kind.body(), self.kind.as_str())
    }
}

/// What a ledger's 类型 cell says of a row's stream: 州人大建议 → (州, 建议); 政协 → (none,
/// 提案); 县政协委员提案 → (县, 提案). `None` for anything else (城乡建设, 教育): a stream is
/// named by its body (人大, 政协) or its kind (建议, 提案), after an optional level, with
/// nothing left over but 代表 or 委员.
pub fn stream_words(text: &str) -> Option<(Option<Level>, Option<Kind>)> {
    let mut rest: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut take = |word: &str| -> bool {
        match rest.strip_prefix(word) {
            Some(after) => {
                rest = after.to_string();
                true
            }
            None => false,
        }
    };
    let level = Level::ALL.iter().copied().find(|l| take(l.as_str()));
    let mut kind = None;
    if take("人大") {
        kind = Some(Kind::Suggestion);
        take("代表");
    } else if take("政协") {
        kind = Some(Kind::Proposal);
        take("委员");
    }
    let said = Kind::ALL.iter().copied().find(|k| take(k.as_str()));
    let agrees = match (kind, said) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let kind = kind.or(said);
    (rest.is_empty() && agrees && kind.is_some()).then_some((level, kind))
}

/// 届次: one sitting of an upper body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: i64,
    pub kind: Kind,
    pub level: Level,
    pub year: i32,
    pub name: String,
    /// How many items (including those in the recycle bin) belong to it.
    pub item_count: i64,
}

/// What the session form sends; fields are raw text so validation can speak Chinese.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionInput {
    pub kind: String,
    pub level: String,
    pub year: String,
    pub name: String,
}

/// 类别 of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: i64,
    pub kind: Kind,
    pub name: String,
    pub sort_order: i64,
    pub active: bool,
    pub item_count: i64,
}

/// 承办单位 in the directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub contact: String,
    pub phone: String,
    pub active: bool,
    /// Items (not in the recycle bin) that the unit leads or assists.
    pub lead_count: i64,
    pub assist_count: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitInput {
    pub name: String,
    pub short_name: String,
    pub contact: String,
    pub phone: String,
}

/// A proposer as stored: position 0 is the 领衔人.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposer {
    pub name: String,
    pub is_collective: bool,
    pub delegation: String,
    pub phone: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProposerInput {
    pub name: String,
    pub is_collective: bool,
    pub delegation: String,
    pub phone: String,
}

/// A county unit on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_active: bool,
    pub role: UnitRole,
    pub leader: String,
    pub handler: String,
    pub phone: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssignmentInput {
    pub unit_id: Option<i64>,
    pub role: String,
    pub leader: String,
    pub handler: String,
    pub phone: String,
}

/// What the intake form sends. Typed text stays text until validation, so a mistake is
/// reported per field in Chinese instead of failing to deserialise.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemInput {
    pub session_id: Option<i64>,
    pub number: String,
    pub title: String,
    pub full_text: String,
    pub category_id: Option<i64>,
    pub county_role: String,
    pub is_key: bool,
    pub supervising_leader: String,
    pub assigned_on: String,
    pub signers_total: String,
    pub note: String,
    pub proposers: Vec<ProposerInput>,
    pub assignments: Vec<AssignmentInput>,
}

/// One line of the item list (台账).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRow {
    pub id: i64,
    pub kind: Kind,
    pub level: Level,
    pub stream: String,
    pub year: i32,
    pub session_name: String,
    pub number: String,
    pub title: String,
    pub category: Option<String>,
    pub county_role: CountyRole,
    pub is_key: bool,
    /// The 领衔人 as printed: "李燕芹等11人" when there are co-signers.
    pub proposer_label: String,
    pub lead_unit: Option<String>,
    pub assist_units: Vec<String>,
    pub assigned_on: Option<chrono::NaiveDate>,
    pub deleted_at: Option<String>,
}

impl ItemRow {
    pub fn stream(&self) -> Stream {
        Stream { level: self.level, kind: self.kind }
    }
}

/// A workflow event on an item's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub id: i64,
    pub step: String,
    pub happened_on: chrono::NaiveDate,
    pub unit_name: Option<String>,
    pub details: serde_json::Value,
    /// The step's own fields in one line (e.g. "A类，文号 精政函〔2025〕12号").
    pub summary: String,
    pub note: String,
    pub recorded_at: String,
    pub replaces: Option<i64>,
    pub voided: bool,
    /// Why it no longer counts: 已更正, or 已撤销 and the reason.
    pub void_reason: String,
    /// Empty when the clerk typed it; else what brought it in, e.g. 补录：2024年台账.xlsx.
    pub source: String,
}

/// Everything about one item, for its view and for the edit form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemDetail {
    pub id: i64,
    pub session: Session,
    pub stream: String,
    pub number: String,
    pub title: String,
    pub full_text: String,
    pub category_id: Option<i64>,
    pub category: Option<String>,
    pub county_role: CountyRole,
    pub is_key: bool,
    pub supervising_leader: String,
    pub assigned_on: Option<chrono::NaiveDate>,
    pub signers_total: Option<i64>,
    pub proposer_label: String,
    pub note: String,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
    pub proposers: Vec<Proposer>,
    pub assignments: Vec<Assignment>,
    pub events: Vec<Event>,
}

/// The label printed for the proposers: the lead's name, and "等N人" when more signed.
pub fn proposer_label(lead: &str, named: usize, signers_total: Option<i64>) -> String {
    let total = signers_total.unwrap_or(named as i64).max(named as i64);
    if total > 1 {
        format!("{lead}等{total}人")
    } else {
        lead.to_string()
    }
}

/// One field's value before and after a change (the operation log's); empty for "none".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub old: String,
    pub new: String,
}

chinese_enum! {
    /// What kind of thing a change was made to.
    LogKind {
        Item = "建议提案",
        Workflow = "办理过程",
        Deadline = "办理时限",
        Reminder = "提醒",
        Reply = "答复样稿",
        Template = "答复模板",
        Unit = "承办单位",
        Session = "届次",
        Category = "类别",
        Setting = "设置",
        Import = "导入",
        Backup = "备份恢复",
        Year = "年度",
        Link = "关联",
    }
}

chinese_enum! {
    /// What two linked items are to each other.
    LinkKind {
        SameClass = "同类",
        Repeated = "重复提出",
    }
}

/// The parts of the reminder board, in the order it shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoardSection {
    Overdue,
    DueToday,
    #[serde(rename = "within_3")]
    Within3,
    #[serde(rename = "within_7")]
    Within7,
    /// Put off by the clerk, with a reason: listed, not counted.
    Snoozed,
}

impl BoardSection {
    pub const ALL: [BoardSection; 5] = [BoardSection::Overdue, BoardSection::DueToday, BoardSection::Within3, BoardSection::Within7, BoardSection::Snoozed];
}

#[cfg(test)]
mod tests {
    use super::{stream_words, Kind, Level};

    #[test]
    fn a_types_words_name_a_stream_and_a_category_does_not() {
        assert_eq!(stream_words("州人大建议"), Some((Some(Level::Prefecture), Some(Kind::Suggestion))));
        assert_eq!(stream_words("县政协委员提案"), Some((Some(Level::County), Some(Kind::Proposal))));
        assert_eq!(stream_words("政协"), Some((None, Some(Kind::Proposal))));
        assert_eq!(stream_words("州人大代表建议"), Some((Some(Level::Prefecture), Some(Kind::Suggestion))));
        assert_eq!(stream_words("建议"), Some((None, Some(Kind::Suggestion))));
        for other in ["城乡建设", "人大政协", "人大提案", "州", "", "教育建议"] {
            assert_eq!(stream_words(other), None, "{other}");
        }
    }
}
