//! Importing the 交办清单, the list of items an upper body sends as a spreadsheet (.xlsx, .xls
//! or .csv in UTF-8 or GBK). Headers differ between bodies and years, so common synonyms are
//! mapped here and the clerk maps any other column by hand. Nothing is written until the
//! clerk has seen a preview with every problem listed by row, column and reason; then all
//! rows go in one transaction, or none do.

use crate::model::LogKind;
use crate::db::Db;
use crate::likeness::Probe;
use crate::error::{Error, Result};
use crate::model::{AssignmentInput, ItemInput, ProposerInput, Unit};
use crate::queries::events::{insert_event, log_event};
use crate::queries::items::{insert_item, item_fields, log_item, overwrite_item};
use crate::results::{class_by_letter, proposed_class, ResultCells};
use crate::validate::MAX_NAME_CHARS;
use crate::workflow::{check_step, CheckedStep, ReplyClass, StepRecord};
use crate::model::{CountyRole, UnitRole};
use crate::queries::log::{change, Logged};
use crate::queries::work::{self, Scope};
use crate::sheet::{read_rows, serial_date};
use crate::text::{abbreviates, clean, normalize_number, number_key, pad_number, padded_width, parse_date, to_half_width};
use serde::{Deserialize, Serialize};
use crate::validate::{ItemContext, ItemDraft};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

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
    (Field::Category, &["类别", "分类", "类型", "建议类别", "提案类别"]),
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
];

/// The headers of the blank import template, in order.
pub const TEMPLATE_HEADERS: &[&str] =
    &["编号", "标题", "领衔人", "联名人", "联名总人数", "代表团或界别", "联系电话", "类别", "主办单位", "协办单位", "交办日期", "是否重点", "正文", "备注"];

fn squeeze(text: &str) -> String {
    to_half_width(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The field a header names, if it is a known one; a note in brackets at its end does not
/// count (办理结果（A/B/C）, 提出人(领衔)).
pub fn field_of(header: &str) -> Option<Field> {
    let header = squeeze(header);
    let known = |h: &str| SYNONYMS.iter().find(|(_, names)| names.contains(&h)).map(|(f, _)| *f);
    known(&header).or_else(|| {
        let bare = header.strip_suffix(')').and_then(|h| h.rsplit_once('(')).map(|(head, _)| head)?;
        known(bare)
    })
}

/// How the clerk wants the import done.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    pub session_id: Option<i64>,
    /// The clerk's own mapping: column index → field, over the recognised one.
    pub mapping: HashMap<usize, String>,
    /// Update items that already exist (same session and number) instead of skipping them.
    pub update_duplicates: bool,
    /// Create units the directory does not know yet.
    pub create_units: bool,
    /// The 交办日期 for rows that have none, as the clerk set it in the preview; when empty,
    /// the date written above the header (in a title row) is taken.
    pub assigned_on: String,
    /// The clerk's class for each 办理结果 written in words (已经解决 → A); over the proposed one.
    pub outcome_words: HashMap<String, String>,
    /// The clerk's word on each proposed pair of unit names (by the name the directory does
    /// not know): true takes them for one unit (the default), false keeps them apart.
    pub unit_matches: HashMap<String, bool>,
    /// The proposals the clerk took for rows that leave the category or the units empty
    /// (by row number): used as if the file said them.
    pub taken: HashMap<usize, Proposal>,
}

/// What the similar items propose for a row that leaves its category or its units empty
/// (by name, as a list would write them); empty fields propose nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Proposal {
    pub category: String,
    pub lead_unit: String,
    pub assist_units: Vec<String>,
}

/// A column of the file and what it is taken for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnMap {
    pub index: usize,
    pub header: String,
    pub field: Option<Field>,
    /// True when the clerk chose the field.
    pub by_hand: bool,
}

/// A problem of one row: the row number as the spreadsheet shows it, the column, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub row: usize,
    pub column: String,
    pub message: String,
    /// False for a notice that does not stop the row (an unknown category, characters
    /// taken out); true for a problem the clerk must mend before importing.
    pub blocks: bool,
}

/// One row as it will be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewRow {
    pub row: usize,
    pub number: String,
    pub title: String,
    pub proposers: String,
    pub category: String,
    pub lead_unit: String,
    pub assist_units: String,
    pub assigned_on: String,
    /// The results the row records (补录), in short: 面商、B类、基本满意、不公开.
    pub results: String,
    /// 新增, 更新 (an existing item), 跳过 (an existing item, kept as it is) or 有误.
    pub action: String,
    /// The file leaves the category, or the units, empty: the similar items may propose them.
    pub lacks_category: bool,
    pub lacks_units: bool,
    /// The clerk took the proposal for this row (in `ImportOptions::taken`).
    pub taken: bool,
    /// The most similar items of the ledger, as one line each (similar.rs).
    pub similar: Vec<String>,
    /// What they propose for the empty fields, if anything.
    pub proposal: Option<Proposal>,
    /// The item the row updates or skips, which is not its own similar item.
    #[serde(skip)]
    pub registered: Option<i64>,
}

/// A unit name of the list the directory does not know, proposed as the same unit as another
/// name: one it abbreviates (州发改委 → 州发展和改革委员会) or that abbreviates it, in the
/// directory or in the same file. Taken as one unit unless the clerk says no.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitMatch {
    pub name: String,
    pub same_as: String,
    pub in_directory: bool,
    pub accepted: bool,
    /// The directory's unit, when `same_as` is one.
    #[serde(skip)]
    unit_id: Option<i64>,
}

/// A 办理结果 written in words, the class it is taken for, and on how many rows it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeWord {
    pub word: String,
    /// A, B or C; empty while neither the words nor the clerk say which.
    pub class: String,
    /// The clerk chose it (else it is proposed from the words).
    pub by_hand: bool,
    pub rows: usize,
}

/// What the clerk sees before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportPreview {
    pub file_name: String,
    pub header_row: usize,
    pub columns: Vec<ColumnMap>,
    pub rows: Vec<PreviewRow>,
    pub problems: Vec<Problem>,
    /// Units named in the file that the directory does not know (a short name taken for a
    /// unit of the directory not counted).
    pub unknown_units: Vec<String>,
    /// Names proposed as one unit, for the clerk to confirm or reject per pair.
    pub unit_matches: Vec<UnitMatch>,
    pub fields: Vec<&'static str>,
    /// The date written above the header (e.g. in the title row), ISO, empty when none.
    pub list_date: String,
    /// The 交办日期 given to rows that have none: the clerk's, else the list's; ISO or empty.
    pub default_date: String,
    /// The 办理结果 words of the file with their classes, for the clerk to confirm.
    pub outcome_words: Vec<OutcomeWord>,
    /// How many steps the import records from the result columns (补录).
    pub result_steps: usize,
}

impl ImportPreview {
    /// Rows that would be written (new or updated).
    pub fn writable(&self) -> usize {
        self.rows.iter().filter(|r| r.action == "新增" || r.action == "更新").count()
    }
}

fn split_names(text: &str) -> Vec<String> {
    text.split(['、', ',', '，', ';', '；', '/', '\n'])
        .map(clean)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The proposers a 领衔人 cell names, read as a clerk reads them, and the number of signers
/// it gives: "李燕芹等11人" → ([李燕芹], 11); "张宝成、吕方方" → ([张宝成, 吕方方]);
/// "妇联界和王爱新" → ([妇联界, 王爱新]): a 界别 and a member together.
fn proposers_in(text: &str) -> (Vec<String>, Option<i64>) {
    let text = clean(text);
    if let Some((name, rest)) = text.split_once('等') {
        if let Some(n) = count_in(rest) {
            return (vec![clean(name)], Some(n));
        }
    }
    (split_names(&text.replace("界和", "界、")), None)
}

/// A cell that holds a count of people ("6", 6 as a number, "6人", "６"), not names.
fn count_in(text: &str) -> Option<i64> {
    let text = to_half_width(text);
    let text = text.trim().trim_end_matches('人').trim_end_matches(".0").trim();
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

fn find_unit<'a>(units: &'a [Unit], name: &str) -> Option<&'a Unit> {
    let name = squeeze(name);
    units.iter().find(|u| squeeze(&u.name) == name || (!u.short_name.is_empty() && squeeze(&u.short_name) == name))
}

/// How far reading, checking or writing a list has come, shared with whoever shows it, and
/// the clerk's wish to stop. Checked between rows: a cancelled check or import ends with
/// [`Error::Cancelled`] and, for an import, its transaction rolled back.
#[derive(Debug, Default)]
pub struct Progress {
    stage: std::sync::Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

/// A look at [`Progress`] for the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressView {
    pub stage: String,
    pub done: usize,
    pub total: usize,
}

impl Progress {
    /// Starts a stage ("读取文件", "检查", "导入") of `total` steps; clears a cancel.
    pub fn start(&self, stage: &'static str, total: usize) {
        *self.stage.lock().unwrap_or_else(|p| p.into_inner()) = stage;
        self.total.store(total, Ordering::SeqCst);
        self.done.store(0, Ordering::SeqCst);
    }

    /// One step done; `Err(Cancelled)` when the clerk asked to stop.
    pub fn step(&self) -> Result<()> {
        self.done.fetch_add(1, Ordering::SeqCst);
        if self.cancelled.load(Ordering::SeqCst) { Err(Error::Cancelled) } else { Ok(()) }
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// Forgets an earlier cancel, before new work begins.
    pub fn reset(&self) {
        self.cancelled.store(false, Ordering::SeqCst);
        self.start("", 0);
    }

    pub fn view(&self) -> ProgressView {
        ProgressView {
            stage: self.stage.lock().unwrap_or_else(|p| p.into_inner()).to_string(),
            done: self.done.load(Ordering::SeqCst),
            total: self.total.load(Ordering::SeqCst),
        }
    }
}

/// A 交办清单 read from its file, before the ledger is involved: its rows as text, with the
/// cells from which characters no output can hold were taken out.
#[derive(Debug, Clone)]
pub struct ImportFile {
    pub name: String,
    rows: Vec<Vec<String>>,
    stripped: std::collections::BTreeSet<(usize, usize)>,
}

impl ImportFile {
    /// Reads the file within the bounds of [`crate::sheet`]; needs no ledger and no lock.
    pub fn read(bytes: &[u8], name: &str) -> Result<ImportFile> {
        let mut rows = read_rows(bytes, name)?;
        // Characters no output can hold are taken out of every cell and reported per row.
        let stripped = crate::input::strip_cells(&mut rows);
        Ok(ImportFile { name: name.to_string(), rows, stripped })
    }
}

/// What checking a list needs from the ledger, read in one short look: the units, the
/// categories, the session, and the items the session already has (by number, with their
/// units). Checking then runs on this alone, without holding the ledger.
#[derive(Debug, Clone)]
pub struct ImportContext {
    units: Vec<Unit>,
    categories: Vec<crate::model::Category>,
    session: Option<crate::model::Session>,
    /// The session's items by their number's key.
    existing: HashMap<String, Registered>,
    /// How wide the session pads its numbers (0: it does not).
    number_width: usize,
}

/// An item the session already has, as a row of the list may meet it.
#[derive(Debug, Clone, Default)]
struct Registered {
    id: i64,
    /// The number as registered.
    number: String,
    units: Vec<i64>,
    /// The steps it has recorded (live), which results in the file do not record again.
    steps: HashSet<String>,
}

impl Db {
    /// The ledger's side of a check of a list for `options.session_id`.
    pub fn import_context(&self, options: &ImportOptions) -> Result<ImportContext> {
        let session_id = options.session_id.ok_or_else(|| Error::field("session_id", "请先选择这份交办清单属于哪个届次。"))?;
        let session = self.list_sessions()?.into_iter().find(|s| s.id == session_id);
        let mut existing: HashMap<String, Registered> = HashMap::new();
        let mut keys: HashMap<i64, String> = HashMap::new();
        for (number, id, unit) in crate::queries::items::registered_in_session(&self.conn, session_id)? {
            let key = number_key(&number);
            keys.insert(id, key.clone());
            existing.entry(key).or_insert(Registered { id, number, ..Default::default() }).units.extend(unit);
        }
        for (id, step) in crate::queries::events::live_steps_in_session(&self.conn, session_id)? {
            if let Some(registered) = keys.get(&id).and_then(|k| existing.get_mut(k)).filter(|r| r.id == id) {
                registered.steps.insert(step);
            }
        }
        let number_width = crate::queries::items::number_width(&self.conn, session_id)?;
        Ok(ImportContext { units: self.units_uncounted()?, categories: self.list_categories()?, session, existing, number_width })
    }
}

/// What importing one row will do.
#[derive(Debug, Clone)]
enum Action {
    /// A new item, with the steps its results record.
    New(ItemDraft, Vec<CheckedStep>),
    Update(i64, ItemDraft, Vec<CheckedStep>),
    Skip,
    Wrong,
}

/// A list checked against the ledger: the preview the clerk sees, and per row the item it
/// makes, ready to write. Units to be created stand in the drafts under negative ids.
#[derive(Debug, Clone)]
pub struct ImportPlan {
    pub preview: ImportPreview,
    actions: Vec<Action>,
    /// Units to create (name, short name), in the order of their stand-in ids (-1, -2, …).
    new_units: Vec<(String, String)>,
    /// Units of the directory that take a short name of the list (confirmed pairs).
    short_names: Vec<(i64, String)>,
}

/// How the unit names of a list are taken: units of the directory by name or short name;
/// names proposed as one unit with another (confirmed or rejected by the clerk); units to
/// create, which stand in the drafts under negative ids until they are written.
struct UnitNames<'a> {
    known: &'a [Unit],
    matches: Vec<UnitMatch>,
    stand_ins: Vec<Unit>,
    unknown: Vec<String>,
    short_names: Vec<(i64, String)>,
}

impl<'a> UnitNames<'a> {
    fn new(known: &'a [Unit], names: impl IntoIterator<Item = String>, options: &ImportOptions) -> UnitNames<'a> {
        let mut unknown: Vec<String> = Vec::new();
        for name in names {
            // A name longer than a unit's can be is reported by its row, never offered to add.
            if name.chars().count() <= MAX_NAME_CHARS && find_unit(known, &name).is_none() && !unknown.contains(&name) {
                unknown.push(name);
            }
        }
        let mut matches = Vec::new();
        for name in &unknown {
            let in_directory = known.iter().filter(|u| abbreviates(name, &u.name) || abbreviates(&u.name, name)).map(|u| (u.name.clone(), Some(u.id)));
            let in_file = unknown.iter().filter(|other| abbreviates(name, other)).map(|other| (other.clone(), None));
            let candidates: Vec<(String, Option<i64>)> = in_directory.chain(in_file).collect();
            // Two candidates say nothing sure: the clerk decides by hand.
            if let [(same_as, unit_id)] = candidates.as_slice() {
                let accepted = options.unit_matches.get(name).copied().unwrap_or(true);
                matches.push(UnitMatch { name: name.clone(), same_as: same_as.clone(), in_directory: unit_id.is_some(), accepted, unit_id: *unit_id });
            }
        }
        UnitNames { known, matches, stand_ins: Vec::new(), unknown: Vec::new(), short_names: Vec::new() }
    }

    /// The unit a name stands for; `None` when the directory does not know it and no unit
    /// is to be created (`create` false).
    fn resolve(&mut self, name: &str, create: bool) -> Option<Unit> {
        if let Some(unit) = find_unit(self.known, name).or_else(|| find_unit(&self.stand_ins, name)) {
            return Some(unit.clone());
        }
        if let Some(m) = self.matches.iter().find(|m| m.accepted && m.name == name).cloned() {
            if let Some(id) = m.unit_id {
                let unit = self.known.iter().find(|u| u.id == id).cloned();
                // The directory's unit takes the short name, so later lists match by it.
                if unit.as_ref().is_some_and(|u| u.short_name.is_empty() && name.chars().count() < u.name.chars().count())
                    && !self.short_names.iter().any(|(unit, _)| *unit == id)
                {
                    self.short_names.push((id, name.to_string()));
                }
                return unit;
            }
            return self.create(&m.same_as, create);
        }
        self.create(name, create)
    }

    /// A name the directory does not know: listed, and given a stand-in for the unit to
    /// create (with the short name of a confirmed pair) when units are to be created.
    fn create(&mut self, name: &str, create: bool) -> Option<Unit> {
        if !self.unknown.iter().any(|n| n == name) {
            self.unknown.push(name.to_string());
        }
        if !create {
            return None;
        }
        if let Some(unit) = self.stand_ins.iter().find(|u| u.name == name) {
            return Some(unit.clone());
        }
        let short_name = self.matches.iter().find(|m| m.accepted && m.unit_id.is_none() && m.same_as == name).map(|m| m.name.clone()).unwrap_or_default();
        let unit = Unit { id: -(self.stand_ins.len() as i64 + 1), name: name.to_string(), short_name, active: true, ..Default::default() };
        self.stand_ins.push(unit.clone());
        Some(unit)
    }
}

impl ImportPlan {
    /// Checks every row of `file` against `context`, in one pass (time linear in the rows),
    /// reporting each step to `progress`. Writes nothing and needs no lock.
    pub fn check(file: &ImportFile, context: &ImportContext, options: &ImportOptions, progress: &Progress) -> Result<ImportPlan> {
        let session_id = options.session_id.ok_or_else(|| Error::field("session_id", "请先选择这份交办清单属于哪个届次。"))?;
        let rows = &file.rows;
        let header_row = rows
            .iter()
            .take(15)
            .position(|r| r.iter().filter(|c| field_of(c).is_some()).count() >= 2)
            .ok_or_else(|| Error::field("file", "在文件前 15 行中没有找到表头（如“标题”“编号”“领衔人”“主办单位”）。请确认这是交办清单。"))?;
        // A list often says its 交办日期 once, in a title row above the header.
        let list_date = rows[..header_row].iter().flatten().find_map(|cell| crate::text::find_date(cell));
        let chosen_date = match clean(&options.assigned_on).as_str() {
            "" => None,
            typed => Some(parse_date(typed).ok_or_else(|| Error::field("assigned_on", "整份清单的交办日期请写成 2025-03-17 或 2025年3月17日。"))?),
        };
        let default_date = chosen_date.or(list_date).map(|d| d.to_string()).unwrap_or_default();
        let mut undated: Vec<usize> = Vec::new();
        let mut columns: Vec<ColumnMap> = rows[header_row]
            .iter()
            .enumerate()
            .map(|(index, header)| {
                let by_hand = options.mapping.get(&index).and_then(|f| Field::parse(f));
                ColumnMap { index, header: clean(header), field: by_hand.or_else(|| field_of(header)), by_hand: by_hand.is_some() }
            })
            .collect();
        columns.retain(|c| !c.header.is_empty() || c.field.is_some());
        let column_of = |field: Field| columns.iter().find(|c| c.field == Some(field));
        let mut problems = Vec::new();
        let mut missing_columns = Vec::new();
        for (field, name) in [(Field::Title, "标题"), (Field::Number, "编号")] {
            if column_of(field).is_none() {
                missing_columns.push(name);
                problems.push(Problem { row: header_row + 1, column: "表头".into(), blocks: true,
                    message: format!("没有找到“{name}”列，请在下面为{name}所在的列选择“{name}”。") });
            }
        }

        // The body's style of numbers, from the session and the list itself: where a cell kept
        // 002 as text, a 1 stored as a number lost its zeros and gets them back.
        let typed_numbers: Vec<String> = column_of(Field::Number)
            .map(|c| rows.iter().skip(header_row + 1).filter_map(|cells| cells.get(c.index)).filter_map(|n| normalize_number(n)).collect())
            .unwrap_or_default();
        let number_width = context.number_width.max(padded_width(typed_numbers.iter().map(String::as_str)));
        let unit_column = |field: Field| column_of(field).map(|c| c.index);
        let (lead_column, assist_column) = (unit_column(Field::LeadUnit), unit_column(Field::AssistUnits));
        let names_in_file = rows.iter().skip(header_row + 1).flat_map(|cells| {
            let cell = |column: Option<usize>| column.and_then(|c| cells.get(c)).map(|v| clean(v)).unwrap_or_default();
            std::iter::once(cell(lead_column)).filter(|n| !n.is_empty()).chain(split_names(&cell(assist_column)))
        });
        let mut units = UnitNames::new(&context.units, names_in_file, options);
        let mut seen_numbers: HashMap<String, usize> = HashMap::new();
        let mut outcome_words: Vec<OutcomeWord> = Vec::new();
        let mut preview_rows = Vec::new();
        let mut actions = Vec::new();
        progress.start("检查", rows.len().saturating_sub(header_row + 1));
        for (offset, cells) in rows.iter().enumerate().skip(header_row + 1) {
            progress.step()?;
            let value = |field: Field| column_of(field).and_then(|c| cells.get(c.index)).map(|v| clean(v)).unwrap_or_default();
            if cells.iter().all(|c| clean(c).is_empty()) {
                continue; // blank rows between blocks
            }
            let row = offset + 1;
            let mut row_problems: Vec<Problem> = columns
                .iter()
                .filter(|c| file.stripped.contains(&(offset, c.index)))
                .map(|c| Problem { row, column: c.header.clone(), blocks: false, message: "含有看不见的控制字符或改变文字方向的字符，已去掉。".into() })
                .collect();
            let (mut named, in_lead_cell) = proposers_in(&value(Field::Lead));
            // A 联名人 cell that holds a number is a count of co-signers, never a person called "6".
            let cosigners = value(Field::Cosigners);
            let cosigners_counted = count_in(&cosigners);
            if cosigners_counted.is_none() {
                // In a column of co-signers alone, a space also parts two names.
                named.extend(split_names(&cosigners.replace([' ', '\u{3000}'], "、")));
            }
            let collective = |name: &str| name.ends_with('界') || name.contains("委员会");
            let mut proposers: Vec<ProposerInput> = named.into_iter().map(|name| ProposerInput { is_collective: collective(&name), name, ..Default::default() }).collect();
            if proposers.is_empty() {
                proposers.push(ProposerInput::default());
            }
            (proposers[0].delegation, proposers[0].phone) = (value(Field::Delegation), value(Field::Phone));
            // The number of signers, however the list gives it: "等7人", 联名总人数, or 附议人数
            // (the others, the lead not counted); the names written count too.
            let signers_total = [in_lead_cell, count_in(&value(Field::SignersTotal)), count_in(&value(Field::CosignerCount)).or(cosigners_counted).map(|n| n + 1)]
                .into_iter()
                .flatten()
                .max()
                .filter(|n| *n > proposers.len() as i64);
            let taken = options.taken.get(&row);
            let (lacks_category, lacks_units) = (value(Field::Category).is_empty(), value(Field::LeadUnit).is_empty() && value(Field::AssistUnits).is_empty());
            let taken_or = |file: String, proposed: Option<&String>| if file.is_empty() { proposed.cloned().unwrap_or_default() } else { file };
            let category_name = taken_or(value(Field::Category), taken.map(|t| &t.category));
            let category = context.session.as_ref().and_then(|s| context.categories.iter().find(|c| c.kind == s.kind && c.name == category_name));
            if !category_name.is_empty() && category.is_none() {
                row_problems.push(Problem { row, column: "类别".into(), blocks: false,
                    message: format!("类别“{category_name}”不在本类别清单中，将登记为未分类；如需要，请先在设置中添加。") });
            }
            let lead_unit = if lacks_units { taken_or(String::new(), taken.map(|t| &t.lead_unit)) } else { value(Field::LeadUnit) };
            let assist_units = match taken {
                Some(t) if lacks_units => t.assist_units.clone(),
                _ => split_names(&value(Field::AssistUnits)),
            };
            let mut assignments = Vec::new();
            let mut row_units = Vec::new();
            for (name, role) in std::iter::once((lead_unit.clone(), "主办")).filter(|(n, _)| !n.is_empty()).chain(assist_units.iter().map(|n| (n.clone(), "协办"))) {
                let column = if role == "主办" { "主办单位" } else { "协办单位" };
                let length = name.chars().count();
                if length > MAX_NAME_CHARS {
                    row_problems.push(Problem { row, column: column.into(), blocks: true,
                        message: format!("单位名称有 {length} 字，单位全称最多 {MAX_NAME_CHARS} 字，这一行没有导入。请核对这一格（可能把几格的内容粘在了一起）。") });
                    continue;
                }
                let unit = units.resolve(&name, options.create_units);
                if unit.is_none() {
                    row_problems.push(Problem { row, column: column.into(), blocks: true,
                        message: format!("单位“{name}”不在承办单位名录中。可勾选“自动添加名录中没有的单位”，或先在承办单位中添加（可用简称）。") });
                }
                assignments.push(AssignmentInput { unit_id: unit.as_ref().map(|u| u.id), role: role.into(), ..Default::default() });
                row_units.extend(unit);
            }
            let assigned_raw = value(Field::AssignedOn);
            let assigned_on = match assigned_raw.parse::<f64>() {
                Ok(serial) if assigned_raw.chars().all(|c| c.is_ascii_digit() || c == '.') => serial_date(serial).map(|d| d.to_string()).unwrap_or(assigned_raw.clone()),
                _ if assigned_raw.is_empty() => default_date.clone(),
                _ => assigned_raw.clone(),
            };
            if assigned_on.is_empty() {
                undated.push(row);
            }
            let key = value(Field::Key);
            let typed_number = value(Field::Number);
            let styled_number = normalize_number(&typed_number).map_or(typed_number, |n| pad_number(&n, number_width));
            let input = ItemInput {
                session_id: Some(session_id),
                number: styled_number,
                title: value(Field::Title),
                full_text: column_of(Field::FullText).and_then(|c| cells.get(c.index)).cloned().unwrap_or_default(),
                category_id: category.map(|c| c.id),
                county_role: "主办".into(),
                is_key: matches!(key.as_str(), "是" | "重点" | "√" | "Y" | "y" | "1"),
                assigned_on,
                signers_total: signers_total.map(|n| n.to_string()).unwrap_or_default(),
                note: value(Field::Note),
                proposers,
                assignments,
                ..Default::default()
            };

            // 001 and 1 are one number: rows and items are matched by the number's key.
            let number = normalize_number(&input.number).unwrap_or_else(|| clean(&input.number));
            let key = number_key(&number);
            if let Some(first) = seen_numbers.get(&key).filter(|_| !number.is_empty()) {
                row_problems.push(Problem { row, column: "编号".into(), message: format!("编号{number}与第 {first} 行重复。"), blocks: true });
            } else {
                seen_numbers.insert(key.clone(), row);
            }
            let existing = context.existing.get(&key);
            let units_before = existing.map(|r| r.units.as_slice()).unwrap_or_default();
            let results = row_results(&cells_of(&value), &input, existing, options, &mut outcome_words, row, &mut row_problems)?;
            let blocked = row_problems.iter().any(|p| p.blocks);
            let checked = crate::validate::item(&input, &ItemContext { session: context.session.as_ref(), category, units: &row_units, units_before });
            let action = match checked {
                Err(Error::Invalid(errors)) => {
                    let unit_named = row_problems.iter().any(|p| p.column.ends_with("单位"));
                    for e in errors {
                        let column = column_name(&e.field);
                        // Said once already: the unknown unit, or the missing column in the header.
                        let said = (unit_named && e.field.starts_with("assignments")) || missing_columns.iter().any(|m| *m == column);
                        if !said {
                            row_problems.push(Problem { row, column, message: e.message, blocks: true });
                        }
                    }
                    Action::Wrong
                }
                Err(other) => return Err(other),
                Ok(_) if blocked => Action::Wrong,
                Ok(_) if existing.is_some() && !options.update_duplicates => {
                    row_problems.push(Problem { row, column: "编号".into(), blocks: false,
                        message: format!("第{number}号已经登记过，将跳过；如要用文件中的内容更新，请勾选“更新已登记的件”。") });
                    Action::Skip
                }
                Ok(draft) => match existing {
                    // The item keeps its number as registered (001 stays 001 when the list says 1).
                    Some(registered) => Action::Update(registered.id, ItemDraft { number: registered.number.clone(), ..draft }, results),
                    None => Action::New(draft, results),
                },
            };
            preview_rows.push(PreviewRow {
                row,
                number,
                title: crate::text::normalize_title(&input.title),
                proposers: crate::model::proposer_label(
                    input.proposers.first().map_or("", |x| x.name.as_str()),
                    input.proposers.iter().filter(|x| !x.name.is_empty()).count(),
                    input.signers_total.parse().ok(),
                ),
                category: category_name,
                lead_unit,
                assist_units: assist_units.join("、"),
                assigned_on: parse_date(&input.assigned_on).map(crate::text::format_date_cn).unwrap_or(input.assigned_on),
                results: match &action { Action::New(_, steps) | Action::Update(_, _, steps) => results_text(steps), _ => String::new() },
                action: match action { Action::New(..) => "新增", Action::Update(..) => "更新", Action::Skip => "跳过", Action::Wrong => "有误" }.into(),
                lacks_category,
                lacks_units,
                taken: taken.is_some() && (lacks_category || lacks_units),
                similar: Vec::new(),
                proposal: None,
                registered: existing.map(|r| r.id),
            });
            problems.extend(row_problems);
            actions.push(action);
        }
        if !undated.is_empty() {
            // Said once for the list: without a 交办日期 no deadline can be counted.
            let first: Vec<String> = undated.iter().take(5).map(|r| format!("第 {r} 行")).collect();
            let more = if undated.len() > 5 { format!("等 {} 行", undated.len()) } else { String::new() };
            problems.insert(0, Problem { row: header_row + 1, column: "交办日期".into(), blocks: false,
                message: format!("{}{more}没有交办日期，导入后这些件的办理时限无从算起。可在上方填写整份清单的交办日期。", first.join("、")) });
        }
        let UnitNames { matches: unit_matches, stand_ins, unknown: mut unknown_units, short_names, .. } = units;
        unknown_units.sort();
        let result_steps = actions.iter().map(|a| match a { Action::New(_, steps) | Action::Update(_, _, steps) => steps.len(), _ => 0 }).sum();
        let preview = ImportPreview {
            file_name: file.name.clone(),
            header_row: header_row + 1,
            columns,
            rows: preview_rows,
            problems,
            unknown_units,
            unit_matches,
            fields: Field::ALL.iter().map(|f| f.as_str()).collect(),
            list_date: list_date.map(|d| d.to_string()).unwrap_or_default(),
            default_date,
            outcome_words,
            result_steps,
        };
        let new_units = stand_ins.into_iter().map(|u| (u.name, u.short_name)).collect();
        Ok(ImportPlan { preview, actions, new_units, short_names })
    }

    /// Why the plan cannot be imported yet, if it cannot.
    fn stopping(&self) -> Option<String> {
        let wrong = self.preview.rows.iter().filter(|r| r.action == "有误").count();
        let header = self.preview.problems.iter().any(|p| p.column == "表头");
        let what = if wrong > 0 { format!("还有 {wrong} 行有误") } else if header { "表头缺少必需的列".into() } else { return None };
        Some(format!("{what}，请先处理预览中列出的问题；没有导入任何一行。"))
    }
}

impl Db {
    /// Adds to each row of an import preview the items most like it (one line each) and, for
    /// a row that leaves its category or its units empty, what they propose.
    pub(crate) fn propose_for_preview(&self, preview: &mut ImportPreview, session_id: Option<i64>) -> Result<()> {
        let kind = match session_id {
            Some(id) => crate::queries::sessions::session_kind(&self.conn, id)?,
            None => None,
        };
        let probes: Vec<(Probe, bool)> = preview
            .rows
            .iter()
            .map(|row| (Probe { title: row.title.clone(), kind, except: row.registered, ..Default::default() }, row.lacks_category || row.lacks_units))
            .collect();
        for (row, likeness) in preview.rows.iter_mut().zip(self.likeness_of_rows(&probes)?) {
            row.similar = likeness.similar;
            let Some(proposed) = likeness.proposed else { continue };
            let name = |choices: &[crate::similar::Choice]| choices.first().map(|c| c.name.clone()).unwrap_or_default();
            let proposal = Proposal {
                category: if row.lacks_category { name(&proposed.category) } else { String::new() },
                lead_unit: if row.lacks_units { name(&proposed.lead_unit) } else { String::new() },
                assist_units: if row.lacks_units { proposed.assist_units.iter().map(|c| c.name.clone()).collect() } else { Vec::new() },
            };
            row.proposal = (proposal != Proposal::default()).then_some(proposal);
        }
        Ok(())
    }

    /// Reads a 交办清单 and shows what importing it would do; writes nothing.
    pub fn preview_import(&mut self, bytes: &[u8], file_name: &str, options: &ImportOptions) -> Result<ImportPreview> {
        let file = ImportFile::read(bytes, file_name)?;
        let context = self.import_context(options)?;
        let mut preview = ImportPlan::check(&file, &context, options, &Progress::default())?.preview;
        self.propose_for_preview(&mut preview, options.session_id)?;
        Ok(preview)
    }

    /// Imports a 交办清单 after the clerk saw the preview: every row or none. Refused while
    /// the preview lists a problem that would stop a row. The ledger is backed up first when
    /// it has a backup folder.
    pub fn import_items(&mut self, bytes: &[u8], file_name: &str, options: &ImportOptions) -> Result<ImportPreview> {
        self.import_file(&ImportFile::read(bytes, file_name)?, options, &Progress::default())
    }

    /// Imports a list already read: checks it again against the ledger as it is now (the
    /// clerk may have changed it since the preview), makes the checked backup, and writes
    /// all rows in one transaction, reporting to `progress`. Returns the preview of what
    /// was done.
    pub fn import_file(&mut self, file: &ImportFile, options: &ImportOptions, progress: &Progress) -> Result<ImportPreview> {
        let plan = ImportPlan::check(file, &self.import_context(options)?, options, progress)?;
        if let Some(why) = plan.stopping() {
            return Err(Error::field("file", why));
        }
        if self.backups.is_some() {
            progress.start("导入前备份", 1);
            self.backup_now(crate::backup::BackupReason::BeforeImport)?;
        }
        let tx = self.conn.transaction()?;
        for (id, short_name) in &plan.short_names {
            let before = crate::queries::units::fields_of(&tx, *id)?;
            crate::queries::units::fill_short_name(&tx, *id, short_name)?;
            crate::queries::units::log_unit(&tx, &self.user, "导入时补简称", *id, &before)?;
        }
        // A unit new to the directory is added where the first row naming it comes in, so
        // the log reads in the order of the list.
        let mut unit_ids: Vec<Option<i64>> = vec![None; plan.new_units.len()];
        let mut real_unit = |id: i64| -> Result<i64> {
            if id >= 0 {
                return Ok(id);
            }
            let slot = (-id - 1) as usize;
            Ok(match unit_ids[slot] {
                Some(id) => id,
                None => {
                    let (name, short_name) = &plan.new_units[slot];
                    let id = crate::queries::units::add_named(&tx, &self.user, name, short_name)?;
                    unit_ids[slot] = Some(id);
                    id
                }
            })
        };
        let mut real = |draft: &ItemDraft, steps: &[CheckedStep]| -> Result<(ItemDraft, Vec<CheckedStep>)> {
            let mut draft = draft.clone();
            for a in draft.assignments.iter_mut() {
                a.unit_id = real_unit(a.unit_id)?;
            }
            let mut steps = steps.to_vec();
            for step in steps.iter_mut() {
                step.unit_id = step.unit_id.map(&mut real_unit).transpose()?;
            }
            Ok((draft, steps))
        };
        let source = format!("补录：{}", file.name);
        let record = |id: i64, steps: &[CheckedStep]| -> Result<()> {
            for step in steps {
                let event = insert_event(&tx, id, step, None, &source)?;
                log_event(&tx, &self.user, "补录办理环节", id, &Vec::new(), event)?;
            }
            Ok(())
        };
        progress.start("导入", plan.actions.len());
        let mut written = Vec::with_capacity(plan.actions.len());
        for action in &plan.actions {
            progress.step()?;
            match action {
                Action::New(draft, steps) => {
                    let (draft, steps) = real(draft, steps)?;
                    let id = insert_item(&tx, &draft)?;
                    log_item(&tx, &self.user, "导入登记", id, &Vec::new())?;
                    record(id, &steps)?;
                    written.push(id);
                }
                Action::Update(id, draft, steps) => {
                    let (draft, steps) = real(draft, steps)?;
                    let before = item_fields(&tx, *id)?;
                    overwrite_item(&tx, *id, &draft)?;
                    log_item(&tx, &self.user, "导入更新", *id, &before)?;
                    record(*id, &steps)?;
                    written.push(*id);
                }
                Action::Skip | Action::Wrong => {}
            }
        }
        work::refresh(&tx, Scope::Items(&written))?;
        let count = |action: &str| format!("{} 件", plan.preview.rows.iter().filter(|r| r.action == action).count());
        let logged = Logged { kind: LogKind::Import, action: "导入交办清单", target: file.name.clone(), item_id: None };
        let mut changes = vec![change("新登记", "", count("新增")), change("更新", "", count("更新")), change("跳过", "", count("跳过"))];
        if plan.preview.result_steps > 0 {
            changes.push(change("补录办理环节", "", format!("{} 条", plan.preview.result_steps)));
        }
        logged.write(&tx, &self.user, &changes)?;
        tx.commit()?;
        Ok(plan.preview)
    }
}

/// The result cells of a row.
fn cells_of(value: &impl Fn(Field) -> String) -> ResultCells {
    ResultCells {
        reply_date: value(Field::ReplyDate),
        doc_number: value(Field::DocNumber),
        outcome: value(Field::Outcome),
        satisfaction: value(Field::Satisfaction),
        work: value(Field::WorkRating),
        result: value(Field::ResultRating),
        channel: value(Field::Channel),
        meeting_date: value(Field::MeetingDate),
        meeting_method: value(Field::MeetingMethod),
        publication: value(Field::Publication),
    }
}

/// The steps a row's results record, each checked as a typed step is; what cannot be
/// recorded is said in `problems`. A step the item has already recorded is not recorded
/// again (a list imported twice, or results typed in by hand before). Words of 办理结果 are
/// gathered in `words` for the clerk to confirm.
fn row_results(
    cells: &ResultCells,
    input: &ItemInput,
    existing: Option<&Registered>,
    options: &ImportOptions,
    words: &mut Vec<OutcomeWord>,
    row: usize,
    problems: &mut Vec<Problem>,
) -> Result<Vec<CheckedStep>> {
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    let outcome = clean(&cells.outcome);
    let class = match class_by_letter(&outcome) {
        Some(class) => Some(class),
        None if outcome.is_empty() => None,
        None => {
            let chosen = options.outcome_words.get(&outcome).map(|c| ReplyClass::parse(c));
            let class = chosen.unwrap_or_else(|| proposed_class(&outcome));
            match words.iter_mut().find(|w| w.word == outcome) {
                Some(word) => word.rows += 1,
                None => words.push(OutcomeWord { word: outcome.clone(), class: class.map(|c| c.as_str().to_string()).unwrap_or_default(), by_hand: chosen.is_some(), rows: 1 }),
            }
            class
        }
    };
    let roles: Vec<(i64, UnitRole)> = input
        .assignments
        .iter()
        .filter_map(|a| a.unit_id.map(|id| (id, if a.role == "主办" { UnitRole::Lead } else { UnitRole::Assist })))
        .collect();
    let lead = roles.iter().find(|(_, role)| *role == UnitRole::Lead).map(|(id, _)| *id);
    let (inputs, found) = cells.steps(class, lead);
    problems.extend(found.into_iter().map(|p| Problem { row, column: p.column.into(), message: p.message, blocks: p.blocks }));
    let assigned_on = parse_date(&input.assigned_on);
    let mut steps = Vec::new();
    for step in inputs {
        if existing.is_some_and(|r| r.steps.contains(&step.step)) {
            problems.push(Problem { row, column: result_column(&step.step, "happened_on"), blocks: false,
                message: format!("这件已登记过{}，文件中的不再补录。", step.step) });
            continue;
        }
        match check_step(&step, &roles, assigned_on, CountyRole::Lead) {
            Ok(checked) => steps.push(checked),
            Err(Error::Invalid(errors)) => problems.extend(errors.into_iter().map(|e| Problem {
                row,
                column: result_column(&step.step, &e.field),
                message: format!("{}：{}", step.step, e.message),
                blocks: true,
            })),
            Err(other) => return Err(other),
        }
    }
    Ok(steps)
}

/// A row's results in short, as the preview lists them: 面商、B类、基本满意、不公开.
fn results_text(steps: &[CheckedStep]) -> String {
    let words: Vec<String> = steps
        .iter()
        .map(|s| match &s.record {
            StepRecord::Reply { class, .. } => format!("{class}类"),
            StepRecord::Opinion { work, result, .. } if work == result => work.to_string(),
            StepRecord::Opinion { work, result, .. } => format!("工作{work}、结果{result}"),
            StepRecord::Publication { mode, .. } => mode.to_string(),
            other => other.step().to_string(),
        })
        .collect();
    words.join("、")
}

/// The column of a result a step's error belongs to.
fn result_column(step: &str, field: &str) -> String {
    match (step, field) {
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
fn column_name(field: &str) -> String {
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
