//! Importing the 交办清单, the list of items an upper body sends as a spreadsheet (.xlsx, .xls
//! or .csv in UTF-8 or GBK). Headers differ between bodies and years, so common synonyms are
//! mapped here and the clerk maps any other column by hand. Nothing is written until the
//! clerk has seen a preview with every problem listed by row, column and reason; then all
//! rows go in one transaction, or none do.

use crate::db::Db;
use crate::error::{Error, Result};
use crate::model::{AssignmentInput, ItemInput, ProposerInput, Unit};
use crate::queries::items::{draft, insert_item, item_fields, log_item, overwrite_item, units_of};
use crate::queries::log::{change, LogKind, Logged};
use crate::text::{clean, normalize_number, parse_date, to_half_width};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Cursor;

chinese_enum! {
    /// What a column of the 交办清单 holds.
    Field {
        Number = "编号",
        Title = "标题",
        Lead = "领衔人",
        Cosigners = "联名人",
        Delegation = "代表团或界别",
        Phone = "联系电话",
        Category = "类别",
        LeadUnit = "主办单位",
        AssistUnits = "协办单位",
        AssignedOn = "交办日期",
        Key = "是否重点",
        FullText = "正文",
        Note = "备注",
        Ignore = "不导入",
    }
}

/// The header names seen in real lists, for each field (compared without spaces).
const SYNONYMS: &[(Field, &[&str])] = &[
    (Field::Number, &["编号", "建议号", "提案号", "序号编号", "案号", "建议编号", "提案编号"]),
    (Field::Title, &["标题", "案由", "题目", "建议标题", "提案标题", "建议题目", "提案题目"]),
    (Field::Lead, &["领衔人", "领衔代表", "提案人", "第一提案人", "提出人", "代表", "委员", "领衔委员"]),
    (Field::Cosigners, &["联名人", "附议人", "联名代表", "附议代表", "联名委员"]),
    (Field::Delegation, &["代表团", "界别", "代表团或界别", "所在代表团", "所属界别"]),
    (Field::Phone, &["联系电话", "电话", "手机", "代表电话"]),
    (Field::Category, &["类别", "分类", "类型", "建议类别", "提案类别"]),
    (Field::LeadUnit, &["主办单位", "承办单位", "主办", "牵头单位"]),
    (Field::AssistUnits, &["协办单位", "会办单位", "协办", "会办"]),
    (Field::AssignedOn, &["交办日期", "交办时间", "日期"]),
    (Field::Key, &["是否重点", "重点", "重点建议", "重点提案"]),
    (Field::FullText, &["正文", "内容", "建议内容", "提案内容", "案据"]),
    (Field::Note, &["备注", "说明"]),
];

/// The headers of the blank import template, in order.
pub const TEMPLATE_HEADERS: &[&str] =
    &["编号", "标题", "领衔人", "联名人", "代表团或界别", "联系电话", "类别", "主办单位", "协办单位", "交办日期", "是否重点", "正文", "备注"];

fn squeeze(text: &str) -> String {
    to_half_width(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The field a header names, if it is a known one.
pub fn field_of(header: &str) -> Option<Field> {
    let header = squeeze(header);
    SYNONYMS.iter().find(|(_, names)| names.contains(&header.as_str())).map(|(f, _)| *f)
}

/// A spreadsheet as rows of text, whatever it was made with.
fn read_rows(bytes: &[u8], file_name: &str) -> Result<Vec<Vec<String>>> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".csv") {
        return read_csv(bytes);
    }
    use calamine::Reader;
    let bad = || Error::field("file", format!("“{file_name}”不是可以读取的 Excel 文件（可能已损坏，或不是 .xlsx/.xls 格式）。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。"));
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|_| bad())?;
    let range = book.worksheet_range_at(0).ok_or_else(bad)?.map_err(|_| bad())?;
    Ok(range.rows().map(|row| row.iter().map(cell_text).collect()).collect())
}

/// A cell as text: whole numbers without ".0", dates as 2025-03-17.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.into(),
        Data::DateTime(d) => serial_date(d.as_f64()).map(|d| d.to_string()).unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
    }
}

/// An Excel date serial (days since 1899-12-30) as a date.
fn serial_date(serial: f64) -> Option<NaiveDate> {
    (1.0..200_000.0).contains(&serial).then(|| NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(serial as u64))).flatten()
}

/// A CSV in UTF-8 (with or without BOM) or, failing that, GBK as Chinese Excel saves it.
fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(text) => text.to_string(),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GBK.decode(bytes);
            if had_errors {
                return Err(Error::field("file", "CSV 文件的编码无法识别（既不是 UTF-8 也不是 GBK）。请用 Excel 另存为 .xlsx 再导入。"));
            }
            text.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::field("file", format!("CSV 文件格式有误：{e}")))?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(rows)
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
    /// 新增, 更新 (an existing item), 跳过 (an existing item, kept as it is) or 有误.
    pub action: String,
}

/// What the clerk sees before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportPreview {
    pub file_name: String,
    pub header_row: usize,
    pub columns: Vec<ColumnMap>,
    pub rows: Vec<PreviewRow>,
    pub problems: Vec<Problem>,
    /// Units named in the file that the directory does not know.
    pub unknown_units: Vec<String>,
    pub fields: Vec<&'static str>,
}

impl ImportPreview {
    /// Rows that would be written (new or updated).
    pub fn writable(&self) -> usize {
        self.rows.iter().filter(|r| r.action == "新增" || r.action == "更新").count()
    }
}

/// A parsed row: its number in the sheet, the form it makes, and its problems so far.
struct Parsed {
    row: usize,
    input: ItemInput,
    lead_unit: String,
    assist_units: Vec<String>,
    category: String,
    problems: Vec<Problem>,
}

fn split_names(text: &str) -> Vec<String> {
    text.split(['、', ',', '，', ';', '；', '/', '\n'])
        .map(clean)
        .filter(|s| !s.is_empty())
        .collect()
}

/// "李燕芹等11人" → ("李燕芹", Some(11)).
fn lead_and_count(text: &str) -> (String, Option<i64>) {
    let text = clean(text);
    if let Some((name, rest)) = text.split_once('等') {
        let digits: String = to_half_width(rest).chars().filter(|c| c.is_ascii_digit()).collect();
        if let Ok(n) = digits.parse() {
            return (clean(name), Some(n));
        }
    }
    (text, None)
}

fn find_unit<'a>(units: &'a [Unit], name: &str) -> Option<&'a Unit> {
    let name = squeeze(name);
    units.iter().find(|u| squeeze(&u.name) == name || (!u.short_name.is_empty() && squeeze(&u.short_name) == name))
}

impl Db {
    fn parse_import(&self, bytes: &[u8], file_name: &str, options: &ImportOptions) -> Result<(ImportPreview, Vec<Parsed>)> {
        let rows = read_rows(bytes, file_name)?;
        let header_row = rows
            .iter()
            .take(15)
            .position(|r| r.iter().filter(|c| field_of(c).is_some()).count() >= 2)
            .ok_or_else(|| Error::field("file", "在文件前 15 行中没有找到表头（如“标题”“编号”“领衔人”“主办单位”）。请确认这是交办清单。"))?;
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
        if column_of(Field::Title).is_none() {
            problems.push(Problem { row: header_row + 1, column: "表头".into(), message: "没有找到“标题”列，请在下面为标题所在的列选择“标题”。".into() });
        }
        if column_of(Field::Number).is_none() {
            problems.push(Problem { row: header_row + 1, column: "表头".into(), message: "没有找到“编号”列，请在下面为编号所在的列选择“编号”。".into() });
        }

        let units = self.list_units()?;
        let categories = self.list_categories()?;
        let session = match options.session_id {
            Some(id) => self.list_sessions()?.into_iter().find(|s| s.id == id),
            None => None,
        };
        let mut parsed = Vec::new();
        for (offset, cells) in rows.iter().enumerate().skip(header_row + 1) {
            let value = |field: Field| column_of(field).and_then(|c| cells.get(c.index)).map(|v| clean(v)).unwrap_or_default();
            if cells.iter().all(|c| clean(c).is_empty()) {
                continue; // blank rows between blocks
            }
            let row = offset + 1;
            let mut row_problems = Vec::new();
            let (lead, signers_total) = lead_and_count(&value(Field::Lead));
            let mut proposers = vec![ProposerInput { name: lead, delegation: value(Field::Delegation), phone: value(Field::Phone), ..Default::default() }];
            proposers[0].is_collective = proposers[0].name.ends_with('界') || proposers[0].name.contains("委员会");
            proposers.extend(split_names(&value(Field::Cosigners)).into_iter().map(|name| ProposerInput { name, ..Default::default() }));
            let category = value(Field::Category);
            let category_id = session.as_ref().and_then(|s| categories.iter().find(|c| c.kind == s.kind && c.name == category)).map(|c| c.id);
            if !category.is_empty() && category_id.is_none() {
                row_problems.push(Problem { row, column: "类别".into(), message: format!("类别“{category}”不在本类别清单中，将登记为未分类；如需要，请先在设置中添加。") });
            }
            let lead_unit = value(Field::LeadUnit);
            let assist_units = split_names(&value(Field::AssistUnits));
            let mut assignments = Vec::new();
            for (name, role) in std::iter::once((lead_unit.clone(), "主办")).filter(|(n, _)| !n.is_empty()).chain(assist_units.iter().map(|n| (n.clone(), "协办"))) {
                let unit = find_unit(&units, &name);
                if unit.is_none() && !options.create_units {
                    row_problems.push(Problem { row, column: if role == "主办" { "主办单位" } else { "协办单位" }.into(),
                        message: format!("单位“{name}”不在承办单位名录中。可勾选“自动添加名录中没有的单位”，或先在承办单位中添加（可用简称）。") });
                }
                assignments.push(AssignmentInput { unit_id: unit.map(|u| u.id), role: role.into(), ..Default::default() });
            }
            let assigned_raw = value(Field::AssignedOn);
            let assigned_on = match assigned_raw.parse::<f64>() {
                Ok(serial) if assigned_raw.chars().all(|c| c.is_ascii_digit() || c == '.') => serial_date(serial).map(|d| d.to_string()).unwrap_or(assigned_raw.clone()),
                _ => assigned_raw.clone(),
            };
            let key = value(Field::Key);
            let input = ItemInput {
                session_id: options.session_id,
                number: value(Field::Number),
                title: value(Field::Title),
                full_text: column_of(Field::FullText).and_then(|c| cells.get(c.index)).cloned().unwrap_or_default(),
                category_id,
                county_role: "主办".into(),
                is_key: matches!(key.as_str(), "是" | "重点" | "√" | "Y" | "y" | "1"),
                assigned_on,
                signers_total: signers_total.map(|n| n.to_string()).unwrap_or_default(),
                note: value(Field::Note),
                proposers,
                assignments,
                ..Default::default()
            };
            parsed.push(Parsed { row, input, lead_unit, assist_units, category, problems: row_problems });
        }
        let mut unknown_units: Vec<String> = parsed
            .iter()
            .flat_map(|p| std::iter::once(p.lead_unit.clone()).chain(p.assist_units.iter().cloned()))
            .filter(|n| !n.is_empty() && find_unit(&units, n).is_none())
            .collect();
        unknown_units.sort();
        unknown_units.dedup();
        let preview = ImportPreview {
            file_name: file_name.to_string(),
            header_row: header_row + 1,
            columns,
            rows: Vec::new(),
            problems,
            unknown_units,
            fields: Field::ALL.iter().map(|f| f.as_str()).collect(),
        };
        Ok((preview, parsed))
    }

    /// Reads a 交办清单 and shows what importing it would do; writes nothing.
    pub fn preview_import(&mut self, bytes: &[u8], file_name: &str, options: &ImportOptions) -> Result<ImportPreview> {
        self.run_import(bytes, file_name, options, false).map(|(preview, _)| preview)
    }

    /// Imports a 交办清单 after the clerk saw the preview: every row or none. Refused while
    /// the preview lists a problem that would stop a row. Returns the preview of what was done.
    /// The ledger is backed up first when it has a backup folder.
    pub fn import_items(&mut self, bytes: &[u8], file_name: &str, options: &ImportOptions) -> Result<ImportPreview> {
        if self.backups.is_some() {
            self.backup_now(crate::backup::BackupReason::BeforeImport)?;
        }
        let (preview, _) = self.run_import(bytes, file_name, options, true)?;
        Ok(preview)
    }

    /// Validates every row inside one transaction (creating units, inserting and updating
    /// items as it goes, so rows see each other), then commits only when asked and clean.
    fn run_import(&mut self, bytes: &[u8], file_name: &str, options: &ImportOptions, commit: bool) -> Result<(ImportPreview, usize)> {
        if options.session_id.is_none() {
            return Err(Error::field("session_id", "请先选择这份交办清单属于哪个届次。"));
        }
        let (mut preview, parsed) = self.parse_import(bytes, file_name, options)?;
        let tx = self.conn.transaction()?;
        let mut created_units: HashMap<String, i64> = HashMap::new();
        let mut seen_numbers: HashMap<String, usize> = HashMap::new();
        let mut written = 0;
        for mut p in parsed {
            if options.create_units {
                let names = std::iter::once(&p.lead_unit).chain(p.assist_units.iter()).filter(|n| !n.is_empty()).cloned().collect::<Vec<_>>();
                for (assignment, name) in p.input.assignments.iter_mut().zip(names) {
                    if assignment.unit_id.is_none() {
                        let id = match created_units.get(&name) {
                            Some(id) => *id,
                            None => {
                                tx.execute("INSERT INTO units (name) VALUES (?1)", [&name])?;
                                let id = tx.last_insert_rowid();
                                crate::queries::units::log_unit(&tx, &self.user, "导入时添加", id, &Vec::new())?;
                                created_units.insert(name.clone(), id);
                                id
                            }
                        };
                        assignment.unit_id = Some(id);
                    }
                }
            }
            let number = normalize_number(&p.input.number).unwrap_or_else(|| clean(&p.input.number));
            let mut action = "新增";
            if let Some(first) = seen_numbers.get(&number).filter(|_| !number.is_empty()) {
                p.problems.push(Problem { row: p.row, column: "编号".into(), message: format!("编号{number}与第 {first} 行重复。") });
            } else {
                seen_numbers.insert(number.clone(), p.row);
            }
            let existing: Option<i64> = tx
                .query_row("SELECT id FROM items WHERE session_id = ?1 AND number = ?2", rusqlite::params![options.session_id, number], |r| r.get(0))
                .ok();
            let blocked = !p.problems.iter().all(|pr| pr.column == "类别");
            let result = draft(&tx, &p.input, &existing.map(|id| units_of(&tx, id)).transpose()?.unwrap_or_default());
            match result {
                Err(Error::Invalid(errors)) => {
                    let unit_named = p.problems.iter().any(|pr| pr.column.ends_with("单位"));
                    for e in errors {
                        let column = column_name(&e.field);
                        // Said once already: the unknown unit, or the missing column in the header.
                        let said = (unit_named && e.field.starts_with("assignments")) || preview.problems.iter().any(|pr| pr.column == "表头" && pr.message.contains(&format!("“{column}”列")));
                        if !said {
                            p.problems.push(Problem { row: p.row, column, message: e.message });
                        }
                    }
                    action = "有误";
                }
                Err(other) => return Err(other),
                Ok(_) if blocked => action = "有误",
                Ok(item) => match existing {
                    Some(_) if !options.update_duplicates => action = "跳过",
                    Some(id) => {
                        let before = item_fields(&tx, id)?;
                        overwrite_item(&tx, id, &item)?;
                        log_item(&tx, &self.user, "导入更新", id, &before)?;
                        action = "更新";
                        written += 1;
                    }
                    None => {
                        let id = insert_item(&tx, &item)?;
                        log_item(&tx, &self.user, "导入登记", id, &Vec::new())?;
                        written += 1;
                    }
                },
            }
            if action == "跳过" {
                p.problems.push(Problem { row: p.row, column: "编号".into(), message: format!("第{number}号已经登记过，将跳过；如要用文件中的内容更新，请勾选“更新已登记的件”。") });
            }
            preview.rows.push(PreviewRow {
                row: p.row,
                number,
                title: crate::text::normalize_title(&p.input.title),
                proposers: crate::model::proposer_label(
                    p.input.proposers.first().map_or("", |x| x.name.as_str()),
                    p.input.proposers.iter().filter(|x| !x.name.is_empty()).count(),
                    p.input.signers_total.parse().ok(),
                ),
                category: p.category,
                lead_unit: p.lead_unit,
                assist_units: p.assist_units.join("、"),
                assigned_on: parse_date(&p.input.assigned_on).map(crate::text::format_date_cn).unwrap_or(p.input.assigned_on),
                action: action.into(),
            });
            preview.problems.extend(p.problems);
        }
        let stopping = preview.rows.iter().any(|r| r.action == "有误") || preview.problems.iter().any(|p| p.column == "表头");
        if commit {
            if stopping {
                return Err(Error::field("file", format!("还有 {} 行有误，请先处理预览中列出的问题；没有导入任何一行。", preview.rows.iter().filter(|r| r.action == "有误").count())));
            }
            let count = |action: &str| format!("{} 件", preview.rows.iter().filter(|r| r.action == action).count());
            let logged = Logged { kind: LogKind::Import, action: "导入交办清单", target: file_name.to_string(), item_id: None };
            logged.write(&tx, &self.user, &[change("新登记", "", count("新增")), change("更新", "", count("更新")), change("跳过", "", count("跳过"))])?;
            tx.commit()?;
        }
        // Without commit the transaction rolls back here: a preview writes nothing.
        Ok((preview, written))
    }
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
    let columns: Vec<crate::export::Column> = TEMPLATE_HEADERS
        .iter()
        .map(|h| crate::export::Column { header: h, width: if *h == "标题" || *h == "正文" { 36.0 } else { 14.0 } })
        .collect();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    crate::export::add_table(&mut workbook, &crate::export::Table {
        sheet_name: "交办清单",
        title: "建议提案交办清单".into(),
        left_line: "届次：".into(),
        right_line: "交办日期：".into(),
        columns: &columns,
        rows: Vec::new(),
    })?;
    Ok(workbook.save_to_buffer()?)
}
