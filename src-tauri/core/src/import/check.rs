//! Checking a list against the ledger: what the ledger has (read in one short look), then
//! each row matched to its item, its units, proposers and category, every problem listed by
//! row, column and reason, and the plan of what importing would write.

use super::columns::{column_name, field_of, squeeze, stream_column, Field, HEADER_ROWS};
use super::past_results::{cells_of, results_text, row_results, ResultWords};
use super::preview::{ColumnMap, ImportFile, ImportOptions, ImportPreview, PreviewRow, Problem, Progress, SheetRows, SheetView, UnitMatch};
use super::routing::{sheet_year, Routing};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::model::{AssignmentInput, ItemInput, ProposerInput, Session, Unit};
use chrono::NaiveDate;
use crate::validate::MAX_NAME_CHARS;
use crate::workflow::CheckedStep;
use crate::sheet::serial_date;
use crate::text::{abbreviates, clean, normalize_number, number_key, pad_number, padded_width, parse_date, to_half_width};
use crate::validate::{ItemContext, ItemDraft};
use std::collections::{HashMap, HashSet};


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

/// Each field taken from one column. A column the header calls 类别 (类型) whose values name
/// streams is the 类型 column; where the clerk chose a column for a field, the field is not
/// also guessed for another; where two columns would still feed one field, the first is
/// taken and the preview says so, naming both, so the clerk can switch.
fn take_columns_for_what_they_hold(columns: &mut [ColumnMap], rows: &[Vec<String>], header_row: usize, problems: &mut Vec<Problem>) {
    for column in columns.iter_mut().filter(|c| !c.by_hand && c.field == Some(Field::Category)) {
        if stream_column(rows, header_row, column.index) {
            column.field = Some(Field::Stream);
        }
    }
    for field in Field::ALL.iter().copied().filter(|f| *f != Field::Ignore) {
        let feeding: Vec<usize> = (0..columns.len()).filter(|&i| columns[i].field == Some(field)).collect();
        if feeding.len() < 2 {
            continue;
        }
        let taken = feeding.iter().copied().find(|&i| columns[i].by_hand).unwrap_or(feeding[0]);
        let mut left = Vec::new();
        let others: Vec<usize> = feeding.iter().copied().filter(|&i| i != taken && !columns[i].by_hand).collect();
        for i in others {
            columns[i].field = None;
            left.push(format!("“{}”", columns[i].header));
        }
        if !columns[taken].by_hand {
            problems.push(Problem { sheet: String::new(), row: header_row + 1, column: "表头".into(), blocks: false,
                message: format!("“{}”列和{}列都像“{field}”：取了“{}”列（在前）。如要用另一列，请在下面为它选择“{field}”。",
                    columns[taken].header, left.join("、"), columns[taken].header) });
        }
    }
}

/// What checking a list needs from the ledger, read in one short look: the units, the
/// categories, the sessions, and the items the sessions already have (by number, with their
/// units). Checking then runs on this alone, without holding the ledger.
#[derive(Debug, Clone)]
pub struct ImportContext {
    units: Vec<Unit>,
    categories: Vec<crate::model::Category>,
    /// Every session of the ledger, the rows' own ones among them.
    sessions: Vec<Session>,
    /// The items of each session read (the chosen one, or every one), by their number's key.
    existing: HashMap<i64, HashMap<String, Registered>>,
    /// How wide each session pads its numbers (0: it does not).
    number_width: HashMap<i64, usize>,
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
    /// The ledger's side of a check of a list: for `options.session_id`, or for every
    /// session when each row is to go to its own.
    pub fn import_context(&self, options: &ImportOptions) -> Result<ImportContext> {
        let sessions = self.list_sessions()?;
        let read: Vec<i64> = match options.session_id {
            Some(id) => vec![id],
            None => sessions.iter().map(|s| s.id).collect(),
        };
        let mut existing = HashMap::new();
        let mut number_width = HashMap::new();
        for session_id in read {
            let mut items: HashMap<String, Registered> = HashMap::new();
            let mut keys: HashMap<i64, String> = HashMap::new();
            for (number, id, unit) in crate::queries::items::registered_in_session(&self.conn, session_id)? {
                let key = number_key(&number);
                keys.insert(id, key.clone());
                items.entry(key).or_insert(Registered { id, number, ..Default::default() }).units.extend(unit);
            }
            for (id, step) in crate::queries::events::live_steps_in_session(&self.conn, session_id)? {
                if let Some(registered) = keys.get(&id).and_then(|k| items.get_mut(k)).filter(|r| r.id == id) {
                    registered.steps.insert(step);
                }
            }
            existing.insert(session_id, items);
            number_width.insert(session_id, crate::queries::items::number_width(&self.conn, session_id)?);
        }
        Ok(ImportContext { units: self.units_uncounted()?, categories: self.list_categories()?, sessions, existing, number_width })
    }
}

/// What importing one row will do.
#[derive(Debug, Clone)]
pub(super) enum Action {
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
    pub(super) actions: Vec<Action>,
    /// Units to create (name, short name), in the order of their stand-in ids (-1, -2, …).
    pub(super) new_units: Vec<(String, String)>,
    /// Units of the directory that take a short name of the list (confirmed pairs).
    pub(super) short_names: Vec<(i64, String)>,
    /// The clerk agreed to add the sessions the preview proposes (its `new_sessions`).
    pub(super) create_sessions: bool,
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

/// A sheet's header and what each column is taken for.
struct Layout {
    header_row: usize,
    columns: Vec<ColumnMap>,
    /// The header's problems: a missing 标题 or 编号 column, two columns for one field.
    problems: Vec<Problem>,
    missing: Vec<&'static str>,
    /// The date written above the header (in a title row), if any.
    list_date: Option<NaiveDate>,
    /// The year the sheet's name, title or dates say.
    year: Option<i32>,
    /// The cleaned header, to tell sheets of the same layout.
    header: Vec<String>,
}

impl Layout {
    /// The header of a sheet (the first of its first 15 rows naming two known fields) and its
    /// columns, with the clerk's `mapping` over the recognised fields; `None` without one.
    fn of(sheet: &SheetRows, mapping: Option<&HashMap<usize, String>>) -> Option<Layout> {
        let rows = &sheet.rows;
        let header_row = rows.iter().take(HEADER_ROWS).position(|r| r.iter().filter(|c| field_of(c).is_some()).count() >= 2)?;
        let header: Vec<String> = rows[header_row].iter().map(|h| clean(h)).collect();
        let mut columns: Vec<ColumnMap> = header
            .iter()
            .enumerate()
            .map(|(index, header)| {
                let by_hand = mapping.and_then(|m| m.get(&index)).and_then(|f| Field::parse(f));
                ColumnMap { index, header: header.clone(), field: by_hand.or_else(|| field_of(header)), by_hand: by_hand.is_some() }
            })
            .collect();
        columns.retain(|c| !c.header.is_empty() || c.field.is_some());
        let mut problems = Vec::new();
        take_columns_for_what_they_hold(&mut columns, rows, header_row, &mut problems);
        let mut missing = Vec::new();
        for (field, name) in [(Field::Title, "标题"), (Field::Number, "编号")] {
            if !columns.iter().any(|c| c.field == Some(field)) {
                missing.push(name);
                problems.push(Problem { sheet: String::new(), row: header_row + 1, column: "表头".into(), blocks: true,
                    message: format!("没有找到“{name}”列，请在下面为{name}所在的列选择“{name}”。") });
            }
        }
        // A list often says its 交办日期 once, in a title row above the header.
        let list_date = rows[..header_row].iter().flatten().find_map(|cell| crate::text::find_date(cell));
        let dates = columns.iter().find(|c| c.field == Some(Field::AssignedOn)).map(|c| c.index);
        let dates = rows.iter().skip(header_row + 1).filter_map(move |r| dates.and_then(|d| r.get(d))).filter_map(|d| crate::result_words::date_in(d));
        let year = sheet_year(&sheet.name, &rows[..header_row], dates);
        Some(Layout { header_row, columns, problems, missing, list_date, year, header })
    }

    fn column(&self, field: Field) -> Option<usize> {
        self.columns.iter().find(|c| c.field == Some(field)).map(|c| c.index)
    }
}

/// The key of a row for the clerk's choices about it ([`PreviewRow::key`]).
fn row_key(sheet: usize, row: usize) -> usize {
    sheet * 100_000 + row
}

/// A check under way, across the sheets of a file.
struct Checker<'a> {
    context: &'a ImportContext,
    options: &'a ImportOptions,
    units: UnitNames<'a>,
    routing: Routing<'a>,
    words: ResultWords,
    /// The numbers met so far, by session: where first (sheet and row).
    seen: HashMap<(i64, String), (String, usize)>,
    /// Rows left without a 交办日期 (sheet and row).
    undated: Vec<(String, usize)>,
    /// The 交办日期 the clerk set for rows that have none.
    chosen_date: Option<NaiveDate>,
    rows: Vec<PreviewRow>,
    actions: Vec<Action>,
    problems: Vec<Problem>,
}

/// "第 5 行", or "“2023年”第 5 行" in a file of several sheets.
fn place(sheet: &str, row: usize) -> String {
    if sheet.is_empty() { format!("第 {row} 行") } else { format!("“{sheet}”第 {row} 行") }
}

impl Checker<'_> {
    /// Checks the rows of one sheet below its header; `label` names the sheet in the preview
    /// (empty in a file of one sheet).
    fn sheet(&mut self, index: usize, sheet: &SheetRows, label: &str, layout: &Layout, progress: &Progress) -> Result<()> {
        let rows = &sheet.rows;
        let header_row = layout.header_row;
        let column_of = |field: Field| layout.columns.iter().find(|c| c.field == Some(field));
        // The body's style of numbers, from the session and the list itself: where a cell kept
        // 002 as text, a 1 stored as a number lost its zeros and gets them back.
        let typed_numbers: Vec<String> = column_of(Field::Number)
            .map(|c| rows.iter().skip(header_row + 1).filter_map(|cells| cells.get(c.index)).filter_map(|n| normalize_number(n)).collect())
            .unwrap_or_default();
        let typed_width = padded_width(typed_numbers.iter().map(String::as_str));
        let default_date = self.chosen_date.or(layout.list_date).map(|d| d.to_string()).unwrap_or_default();
        let (options, context) = (self.options, self.context);
        for (offset, cells) in rows.iter().enumerate().skip(header_row + 1) {
            progress.step()?;
            let value = |field: Field| column_of(field).and_then(|c| cells.get(c.index)).map(|v| clean(v)).unwrap_or_default();
            if cells.iter().all(|c| clean(c).is_empty()) {
                continue; // blank rows between blocks
            }
            let row = offset + 1;
            let key = row_key(index, row);
            let mut row_problems: Vec<Problem> = layout
                .columns
                .iter()
                .filter(|c| sheet.stripped.contains(&(offset, c.index)))
                .map(|c| Problem { sheet: String::new(), row, column: c.header.clone(), blocks: false, message: "含有看不见的控制字符或改变文字方向的字符，已去掉。".into() })
                .collect();
            let session = match self.routing.route(&value(Field::Stream), &value(Field::SessionName), layout.year) {
                Ok(session) => Some(session),
                Err(message) => {
                    row_problems.push(Problem { sheet: String::new(), row, column: "届次".into(), blocks: true, message });
                    None
                }
            };
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
            let taken = options.taken.get(&key);
            let (lacks_category, lacks_units) = (value(Field::Category).is_empty(), value(Field::LeadUnit).is_empty() && value(Field::AssistUnits).is_empty());
            let taken_or = |file: String, proposed: Option<&String>| if file.is_empty() { proposed.cloned().unwrap_or_default() } else { file };
            let category_name = taken_or(value(Field::Category), taken.map(|t| &t.category));
            let category = session.as_ref().and_then(|s| context.categories.iter().find(|c| c.kind == s.kind && c.name == category_name));
            if !category_name.is_empty() && category.is_none() && session.is_some() {
                // A stream's words in the category's cell are no category to add.
                let message = if crate::model::stream_words(&category_name).is_some() {
                    format!("“{category_name}”是件的类型，不是类别，这一件登记为未分类。")
                } else {
                    format!("类别“{category_name}”不在本类别清单中，将登记为未分类；如需要，请先在设置中添加。")
                };
                row_problems.push(Problem { sheet: String::new(), row, column: "类别".into(), blocks: false, message });
            }
            if let (Some(session), Some((level, kind))) = (self.routing.chosen(), crate::model::stream_words(&value(Field::Stream))) {
                if level.is_some_and(|l| l != session.level) || kind.is_some_and(|k| k != session.kind) {
                    row_problems.push(Problem { sheet: String::new(), row, column: "类型".into(), blocks: true,
                        message: format!("这一行是“{}”，而所选届次“{}”是{}：不同类型的件不能登记到一个届次，这一行没有导入。可以不选届次，让每一行按类型和届次各归其届次。",
                            value(Field::Stream), session.name, crate::model::Stream { level: session.level, kind: session.kind }.label()) });
                }
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
                    row_problems.push(Problem { sheet: String::new(), row, column: column.into(), blocks: true,
                        message: format!("单位名称有 {length} 字，单位全称最多 {MAX_NAME_CHARS} 字，这一行没有导入。请核对这一格（可能把几格的内容粘在了一起）。") });
                    continue;
                }
                let unit = self.units.resolve(&name, options.create_units);
                if unit.is_none() {
                    row_problems.push(Problem { sheet: String::new(), row, column: column.into(), blocks: true,
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
                self.undated.push((label.to_string(), row));
            }
            let key_item = value(Field::Key);
            let typed_number = value(Field::Number);
            let number_width = session.as_ref().and_then(|s| context.number_width.get(&s.id)).copied().unwrap_or(0).max(typed_width);
            let styled_number = normalize_number(&typed_number).map_or(typed_number, |n| pad_number(&n, number_width));
            let input = ItemInput {
                session_id: session.as_ref().map(|s| s.id),
                number: styled_number,
                title: value(Field::Title),
                full_text: column_of(Field::FullText).and_then(|c| cells.get(c.index)).cloned().unwrap_or_default(),
                category_id: category.map(|c| c.id),
                county_role: "主办".into(),
                is_key: matches!(key_item.as_str(), "是" | "重点" | "√" | "Y" | "y" | "1"),
                assigned_on,
                signers_total: signers_total.map(|n| n.to_string()).unwrap_or_default(),
                note: value(Field::Note),
                proposers,
                assignments,
                ..Default::default()
            };

            // 001 and 1 are one number: rows and items are matched by the number's key, in
            // their session.
            let number = normalize_number(&input.number).unwrap_or_else(|| clean(&input.number));
            let number_key = number_key(&number);
            let existing = session.as_ref().and_then(|s| context.existing.get(&s.id)).and_then(|items| items.get(&number_key));
            if let Some(session) = session.as_ref().filter(|_| !number.is_empty()) {
                match self.seen.get(&(session.id, number_key.clone())) {
                    Some((first_sheet, first_row)) => row_problems.push(Problem { sheet: String::new(), row, column: "编号".into(), blocks: true,
                        message: format!("编号{number}与{}重复（同一届次）。", if first_sheet == label { format!("第 {first_row} 行") } else { place(first_sheet, *first_row) }) }),
                    None => {
                        self.seen.insert((session.id, number_key.clone()), (label.to_string(), row));
                    }
                }
            }
            let units_before = existing.map(|r| r.units.as_slice()).unwrap_or_default();
            let results = row_results(&cells_of(&value), &input, existing.map(|r| &r.steps), options, &mut self.words, row, &mut row_problems)?;
            let blocked = row_problems.iter().any(|p| p.blocks);
            let action = match session.as_ref() {
                None => Action::Wrong,
                Some(session) => match crate::validate::item(&input, &ItemContext { session: Some(session), category, units: &row_units, units_before }) {
                    Err(Error::Invalid(errors)) => {
                        let unit_named = row_problems.iter().any(|p| p.column.ends_with("单位"));
                        for e in errors {
                            let column = column_name(&e.field);
                            // Said once already: the unknown unit, or the missing column in the header.
                            let said = (unit_named && e.field.starts_with("assignments")) || layout.missing.iter().any(|m| *m == column);
                            if !said {
                                row_problems.push(Problem { sheet: String::new(), row, column, message: e.message, blocks: true });
                            }
                        }
                        Action::Wrong
                    }
                    Err(other) => return Err(other),
                    Ok(_) if blocked => Action::Wrong,
                    Ok(_) if existing.is_some() && !options.update_duplicates => {
                        row_problems.push(Problem { sheet: String::new(), row, column: "编号".into(), blocks: false,
                            message: format!("第{number}号已经登记过，将跳过；如要用文件中的内容更新，请勾选“更新已登记的件”。") });
                        Action::Skip
                    }
                    Ok(draft) => match existing {
                        // The item keeps its number as registered (001 stays 001 when the list says 1).
                        Some(registered) => Action::Update(registered.id, ItemDraft { number: registered.number.clone(), ..draft }, results),
                        None => Action::New(draft, results),
                    },
                },
            };
            self.rows.push(PreviewRow {
                sheet: label.to_string(),
                row,
                key,
                session: session.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
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
                kind: session.as_ref().map(|s| s.kind),
            });
            self.problems.extend(row_problems.into_iter().map(|p| Problem { sheet: label.to_string(), ..p }));
            self.actions.push(action);
        }
        Ok(())
    }
}

impl ImportPlan {
    /// Checks every row of every sheet of `file` the clerk keeps against `context`, in one
    /// pass (time linear in the rows), reporting each step to `progress`. Writes nothing and
    /// needs no lock. Sheets with the same header as the first are read with the clerk's
    /// choices of columns; a sheet of another header with the columns as recognised; a sheet
    /// without a header is listed and left out.
    pub fn check(file: &ImportFile, context: &ImportContext, options: &ImportOptions, progress: &Progress) -> Result<ImportPlan> {
        let chosen = match options.session_id {
            Some(id) => Some(context.sessions.iter().find(|s| s.id == id).ok_or_else(|| Error::field("session_id", "所选的届次已不存在，请重新选择。"))?),
            None => None,
        };
        let kept = |sheet: &SheetRows| !options.left_out_sheets.contains(&sheet.name);
        // The first sheet kept that has a header sets the layout the clerk's choices apply to.
        // Each sheet's layout is found once; a sheet of the first one's header again only when
        // the clerk chose columns.
        let plain: Vec<Option<Layout>> = file.sheets.iter().map(|sheet| Layout::of(sheet, None)).collect();
        let first = file.sheets.iter().zip(&plain).find(|(s, l)| kept(s) && l.is_some()).and_then(|(_, l)| l.as_ref()).map(|l| l.header.clone());
        let layouts: Vec<Option<Layout>> = file
            .sheets
            .iter()
            .zip(plain)
            .map(|(sheet, plain)| {
                let plain = plain?;
                let same = first.as_ref() == Some(&plain.header);
                if same && !options.mapping.is_empty() { Layout::of(sheet, Some(&options.mapping)) } else { Some(plain) }
            })
            .collect();
        let checked: Vec<usize> = (0..file.sheets.len()).filter(|&i| kept(&file.sheets[i]) && layouts[i].is_some()).collect();
        let Some(&lead) = checked.first() else {
            let message = if file.sheets.iter().any(kept) || file.sheets.is_empty() {
                format!("在文件前 {HEADER_ROWS} 行中没有找到表头（如“标题”“编号”“领衔人”“主办单位”）。请确认这是交办清单。")
            } else {
                "所有工作表都选了不导入，请至少留下一张。".to_string()
            };
            return Err(Error::field("file", message));
        };
        let lead_layout = layouts[lead].as_ref().expect("a checked sheet has a header");
        let routes = checked.iter().any(|&i| layouts[i].as_ref().is_some_and(|l| l.column(Field::Stream).is_some() || l.column(Field::SessionName).is_some()));
        if chosen.is_none() && !routes {
            return Err(Error::field("session_id", "请先选择这份交办清单属于哪个届次（文件中没有“类型”或“届次”列，不能按行分到各届次）。"));
        }
        let chosen_date = match clean(&options.assigned_on).as_str() {
            "" => None,
            typed => Some(parse_date(typed).ok_or_else(|| Error::field("assigned_on", "整份清单的交办日期请写成 2025-03-17 或 2025年3月17日。"))?),
        };
        let names_in_file = checked.iter().flat_map(|&i| {
            let (sheet, layout) = (&file.sheets[i], layouts[i].as_ref().expect("a checked sheet has a header"));
            let (lead_column, assist_column) = (layout.column(Field::LeadUnit), layout.column(Field::AssistUnits));
            sheet.rows.iter().skip(layout.header_row + 1).flat_map(move |cells| {
                let cell = |column: Option<usize>| column.and_then(|c| cells.get(c)).map(|v| clean(v)).unwrap_or_default();
                std::iter::once(cell(lead_column)).filter(|n| !n.is_empty()).chain(split_names(&cell(assist_column)))
            })
        });
        let units = UnitNames::new(&context.units, names_in_file, options);
        let mut checker = Checker {
            context,
            options,
            units,
            routing: Routing::new(&context.sessions, chosen),
            words: ResultWords::default(),
            seen: HashMap::new(),
            undated: Vec::new(),
            chosen_date,
            rows: Vec::new(),
            actions: Vec::new(),
            problems: Vec::new(),
        };
        progress.start("检查", checked.iter().map(|&i| file.sheets[i].rows.len().saturating_sub(layouts[i].as_ref().map_or(0, |l| l.header_row + 1))).sum());
        // A sheet is named in the preview when the file has several.
        let label = |i: usize| if file.sheets.len() > 1 { file.sheets[i].name.clone() } else { String::new() };
        for &i in &checked {
            let (sheet, layout) = (&file.sheets[i], layouts[i].as_ref().expect("a checked sheet has a header"));
            checker.problems.extend(layout.problems.iter().cloned().map(|p| Problem { sheet: label(i), ..p }));
            checker.sheet(i, sheet, &label(i), layout, progress)?;
        }
        let Checker { units, routing, words, undated, rows, actions, mut problems, .. } = checker;
        if !undated.is_empty() {
            // Said once for the list: without a 交办日期 no deadline can be counted.
            let first: Vec<String> = undated.iter().take(5).map(|(sheet, row)| place(sheet, *row)).collect();
            let more = if undated.len() > 5 { format!("等 {} 行", undated.len()) } else { String::new() };
            problems.insert(0, Problem { sheet: label(lead), row: lead_layout.header_row + 1, column: "交办日期".into(), blocks: false,
                message: format!("{}{more}没有交办日期，导入后这些件的办理时限无从算起。可在上方填写整份清单的交办日期。", first.join("、")) });
        }
        let sheets = file
            .sheets
            .iter()
            .zip(&layouts)
            .map(|(sheet, layout)| SheetView {
                name: sheet.name.clone(),
                header_row: layout.as_ref().map_or(0, |l| l.header_row + 1),
                rows: layout.as_ref().map_or(0, |l| sheet.rows.iter().skip(l.header_row + 1).filter(|r| r.iter().any(|c| !clean(c).is_empty())).count()),
                year: layout.as_ref().and_then(|l| l.year),
                left_out: !kept(sheet) || layout.is_none(),
                other_header: layout.as_ref().is_some_and(|l| Some(&l.header) != first.as_ref()),
            })
            .collect();
        let UnitNames { matches: unit_matches, stand_ins, unknown: mut unknown_units, short_names, .. } = units;
        unknown_units.sort();
        let result_steps = actions.iter().map(|a| match a { Action::New(_, steps) | Action::Update(_, _, steps) => steps.len(), _ => 0 }).sum();
        let preview = ImportPreview {
            file_name: file.name.clone(),
            sheets,
            header_row: lead_layout.header_row + 1,
            columns: lead_layout.columns.clone(),
            rows,
            problems,
            unknown_units,
            unit_matches,
            fields: Field::ALL.iter().map(|f| f.as_str()).collect(),
            list_date: lead_layout.list_date.map(|d| d.to_string()).unwrap_or_default(),
            default_date: chosen_date.or(lead_layout.list_date).map(|d| d.to_string()).unwrap_or_default(),
            outcome_words: words.outcome,
            lookback_words: words.lookback,
            new_sessions: routing.proposed,
            result_steps,
        };
        let new_units = stand_ins.into_iter().map(|u| (u.name, u.short_name)).collect();
        Ok(ImportPlan { preview, actions, new_units, short_names, create_sessions: options.create_sessions })
    }

    /// Why the plan cannot be imported yet, if it cannot.
    pub(super) fn stopping(&self) -> Option<String> {
        let wrong = self.preview.rows.iter().filter(|r| r.action == "有误").count();
        let header = self.preview.problems.iter().any(|p| p.column == "表头" && p.blocks);
        let sessions = self.preview.new_sessions.len();
        let what = if wrong > 0 {
            format!("还有 {wrong} 行有误")
        } else if header {
            "表头缺少必需的列".into()
        } else if sessions > 0 && !self.create_sessions {
            format!("有 {sessions} 个届次台账中还没有，请核对预览中列出的届次，勾选“添加这些届次”")
        } else {
            return None;
        };
        Some(format!("{what}，请先处理预览中列出的问题；没有导入任何一行。"))
    }
}
