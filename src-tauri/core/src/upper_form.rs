//! 填入上级发来的表格: the blank form an upper body sent (州人大选联工委, 州政府督查室,
//! 州政协提案委 …), filled with the items of a year in the form's own columns and layout.
//! The form's header is found under its title rows as the import finds a list's, and each
//! header is matched to a column of the 承办情况表 by the names the import knows; the clerk
//! corrects the matching in a preview, and it is remembered for the next form with the same
//! header. The rows are then written into the form itself (`output::filled_form`).
//!
//! Decided: the first sheet whose first 15 rows hold a header is the one filled (the others
//! are kept as they are); two header rows one above the other are one header of two rows
//! (a group name over its columns), two apart are two candidates, and nothing is filled.

use crate::db::Db;
use crate::error::{Error, Result};
use crate::import::columns::{bare_name, field_of, squeeze, Field, HEADER_ROWS};
use crate::output::filled_form::{self, FormFill, FormValue};
use crate::output::workbook::{undertaking_cell, Cell, UNDERTAKING_COLUMNS};
use crate::queries::reports::{TableQuery, UndertakingRow};
use crate::result_words::class_in_words;
use crate::text::format_date_cn;
use chrono::NaiveDate;
use serde::Serialize;

/// Header names of the 承办情况表's own columns that the import does not read.
const EXPORT_NAMES: &[(&str, &[&str])] = &[
    ("序号", &["序号", "顺序号"]),
    ("分管领导", &["分管领导", "分管县领导", "分管负责人", "责任领导", "领导"]),
    ("承办人", &["承办人", "联系人", "经办人", "具体承办人", "承办联系人"]),
    ("办理时限", &["办理时限", "办结时限", "答复时限", "办理期限"]),
];

/// Labels of the cells a form keeps for who fills it and when.
const OFFICE_LABELS: &[&str] = &["填报单位", "报送单位", "填表单位", "填报机关"];
const DATE_LABELS: &[&str] = &["填报日期", "填报时间", "填表日期", "填表时间", "报送日期", "报送时间"];

/// One column of the form: where it is, its header as written, and the 承办情况表 column
/// it is filled from ("" for none: left blank).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormColumn {
    pub index: u32,
    /// The column's letters as the spreadsheet shows them (C).
    pub letters: String,
    pub header: String,
    pub field: String,
}

/// What the program found in the form, for the clerk to check before it is filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormPreview {
    pub file_name: String,
    pub sheet: String,
    /// The header's rows as the sheet counts them (from 1): 3, or 3 and 4.
    pub header_rows: Vec<u32>,
    pub columns: Vec<FormColumn>,
    /// What a column can be filled from.
    pub fields: Vec<&'static str>,
    /// Whether the columns are as the clerk matched them for a form of this header before.
    pub remembered: bool,
    /// Where the office's name and the day are written (e.g. "第 2 行“填报单位：”").
    pub filled_in: Vec<String>,
    /// The blank rows the form leaves for the items.
    pub blank_rows: u32,
}

/// The form as read: its sheet's text, where the header is, its columns.
struct Form {
    sheet: String,
    rows: Vec<Vec<String>>,
    header_rows: Vec<usize>,
    columns: Vec<(u32, String)>,
}

/// The 承办情况表 column a form's header names, if the program knows the name.
fn field_for(header: &str) -> Option<&'static str> {
    let bare = bare_name(header);
    if let Some(column) = UNDERTAKING_COLUMNS.iter().find(|c| c.header == bare) {
        return Some(column.header);
    }
    if let Some((field, _)) = EXPORT_NAMES.iter().find(|(_, names)| names.contains(&bare.as_str())) {
        return Some(field);
    }
    Some(match field_of(header)? {
        Field::Number => "编号",
        Field::Title => "标题",
        Field::Lead => "领衔人",
        Field::Phone => "联系电话",
        Field::Category => "类别",
        Field::LeadUnit => "主办单位",
        Field::AssistUnits => "协办单位",
        Field::AssignedOn => "交办日期",
        Field::Key => "是否重点",
        Field::Note => "备注",
        Field::ReplyDate => "答复日期",
        Field::DocNumber => "答复文号",
        Field::Outcome => "办理结果",
        Field::Satisfaction | Field::WorkRating | Field::ResultRating => "满意度",
        Field::Channel => "沟通方式",
        Field::Publication => "是否公开",
        _ => return None,
    })
}

/// Whether a row of the sheet reads as a header: two cells or more name known columns.
fn is_header(row: &[String]) -> bool {
    row.iter().filter(|c| field_for(c).is_some()).count() >= 2
}

/// What the rows at the top of a sheet say, for a message about a form without a header.
fn first_words(rows: &[Vec<String>]) -> String {
    let words: Vec<String> = rows.iter().flatten().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).take(6).collect();
    if words.is_empty() { format!("前 {HEADER_ROWS} 行都是空的") } else { format!("前几行写的是“{}”", words.join("”“")) }
}

impl Form {
    /// Finds the sheet to fill and its header; refuses a form with none or with two.
    fn read(bytes: &[u8], file_name: &str) -> Result<Form> {
        let sheets = crate::sheet::read_workbook(bytes, file_name)?;
        let refuse = |message: String| Error::field("file", message);
        let mut first_sheet_words = None;
        for (sheet, table) in sheets {
            let rows = table.rows;
            let candidates: Vec<usize> = rows.iter().take(HEADER_ROWS).enumerate().filter(|(_, r)| is_header(r)).map(|(i, _)| i).collect();
            let Some(&top) = candidates.first() else {
                first_sheet_words.get_or_insert_with(|| first_words(&rows[..rows.len().min(HEADER_ROWS)]));
                continue;
            };
            let header_rows: Vec<usize> = if candidates.get(1) == Some(&(top + 1)) { vec![top, top + 1] } else { vec![top] };
            if let Some(&other) = candidates.iter().find(|&&r| r > *header_rows.last().expect("a row")) {
                let named = |r: usize| rows[r].iter().filter(|c| !c.trim().is_empty()).take(4).cloned().collect::<Vec<_>>().join("、");
                return Err(refuse(format!(
                    "工作表“{sheet}”中有两处像表头的行：第 {} 行（{}）和第 {} 行（{}）。程序不知道该填在哪一处，没有填写。请删去多余的一处后再选择。",
                    top + 1, named(top), other + 1, named(other))));
            }
            // Each column's name: the lower header row's, else the one above it (a merged
            // group name over the columns below it).
            let width = header_rows.iter().map(|&r| rows[r].len()).max().unwrap_or(0);
            let columns = (0..width)
                .filter_map(|c| {
                    let name = header_rows.iter().rev().map(|&r| rows[r].get(c).map(|t| t.trim()).unwrap_or_default()).find(|t| !t.is_empty())?;
                    Some((c as u32, name.to_string()))
                })
                .collect();
            return Ok(Form { sheet, rows, header_rows, columns });
        }
        Err(refuse(format!(
            "“{file_name}”的各工作表前 {HEADER_ROWS} 行中没有找到表头（如“建议号”“案由”“领衔代表”“主办单位”）：{}。请确认这是要填写的表格。",
            first_sheet_words.unwrap_or_else(|| "表格中没有工作表".into()))))
    }

    /// The header as a key: its names without spaces, in order.
    fn signature(&self) -> String {
        self.columns.iter().map(|(_, h)| squeeze(h)).collect::<Vec<_>>().join("|")
    }

    fn first_data_row(&self) -> usize {
        self.header_rows.last().expect("a header row") + 1
    }

    /// The first row under the header with words in it (填表人, 合计, 说明 …): a row holding
    /// only numbers is a blank row of the table with its 序号 written in.
    fn footer_row(&self) -> Option<usize> {
        let words = |row: &Vec<String>| row.iter().any(|c| !c.trim().is_empty() && c.trim().parse::<f64>().is_err());
        self.rows.iter().enumerate().skip(self.first_data_row()).find(|(_, r)| words(r)).map(|(i, _)| i)
    }

    /// The rows left blank for the items under the header (up to the first row with words; all
    /// the sheet's rows below the header when there is none).
    fn blank_rows(&self) -> u32 {
        let end = self.footer_row().unwrap_or(self.rows.len().max(self.first_data_row()));
        (end - self.first_data_row()) as u32
    }

    /// The cells that name the office and the day (填报单位, 填报日期), with what to write in
    /// them: (row, column, text) for the cell written, and where it was found.
    fn filled_in(&self, office: &str, today: NaiveDate) -> Vec<(u32, u32, String, String)> {
        let mut found = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            if self.header_rows.contains(&r) {
                continue;
            }
            for (c, text) in row.iter().enumerate() {
                let mut written = text.clone();
                let mut changed = false;
                let mut beside: Option<String> = None;
                for (labels, value) in [(OFFICE_LABELS, office.to_string()), (DATE_LABELS, format_date_cn(today))] {
                    let Some((at, label)) = labels.iter().filter_map(|l| written.find(l).map(|at| (at, *l))).min() else { continue };
                    // The label alone in its cell, without a colon (填报单位, 填报单位（盖章）): the
                    // value goes in the empty cell beside it.
                    let alone = squeeze(&written[at + label.len()..]).chars().all(|ch| "（）()盖章".contains(ch));
                    match fill_after_label(&written, at, &value) {
                        Some(new) => {
                            written = new;
                            changed = true;
                        }
                        None if alone && row.get(c + 1).is_none_or(|n| n.trim().is_empty()) => beside = Some(value),
                        None => {}
                    }
                }
                if changed {
                    found.push((r as u32, c as u32, written, format!("第 {} 行“{}”", r + 1, text.trim())));
                } else if let Some(value) = beside {
                    found.push((r as u32, c as u32 + 1, value, format!("第 {} 行“{}”右边一格", r + 1, text.trim())));
                }
            }
        }
        found
    }
}

/// The text with `value` written after the label at `at` and its colon, in place of the
/// blank that follows (spaces, or 年 月 日 with spaces between); `None` when there is no
/// colon or something is written there already.
fn fill_after_label(text: &str, at: usize, value: &str) -> Option<String> {
    let rest = &text[at..];
    let colon = rest.char_indices().take(12).find(|(_, c)| *c == '：' || *c == ':').map(|(i, c)| at + i + c.len_utf8())?;
    let after = &text[colon..];
    // The blank runs to the next label on the same line (填报日期 after 填报单位), or the end.
    let end = OFFICE_LABELS.iter().chain(DATE_LABELS).filter_map(|l| after.find(l)).min().unwrap_or(after.len());
    let blank = &after[..end];
    let emptied: String = blank.chars().filter(|c| !c.is_whitespace() && !matches!(c, '年' | '月' | '日' | '（' | '）' | '(' | ')' | '盖' | '章')).collect();
    if !emptied.is_empty() {
        return None;
    }
    let spacing = if end < after.len() { "    " } else { "" };
    Some(format!("{}{value}{spacing}{}", &text[..colon], &after[end..]))
}

/// Whether a 办理结果 column wants the letter: its header names A and B (办理结果（A/B/C）) or
/// a class (答复类别).
fn wants_letter(header: &str) -> bool {
    let header = crate::text::to_half_width(header).to_uppercase();
    header.contains('A') && header.contains('B') || header.contains("类别")
}

/// The value of a form column for an item's row.
fn value(field: &str, header: &str, index: usize, row: &mut UndertakingRow) -> FormValue {
    match field {
        "交办日期" => row.item.assigned_on.map_or(FormValue::Text(String::new()), FormValue::Date),
        "办理时限" => row.reply_due.map_or(FormValue::Text(String::new()), FormValue::Date),
        "答复日期" => row.replied_on.map_or(FormValue::Text(String::new()), FormValue::Date),
        "办理结果" if !wants_letter(header) => FormValue::Text(row.class.map(class_in_words).unwrap_or_default().to_string()),
        _ => match undertaking_cell(field, index, row) {
            Cell::Number(n) => FormValue::Number(n),
            Cell::Text(t) => FormValue::Text(t),
        },
    }
}

/// The setting a form's matched columns are kept under.
fn remembered_key(signature: &str) -> String {
    format!("form_columns:{signature}")
}

impl Db {
    /// Reads the form the clerk picked and proposes which column fills each of its columns.
    pub fn form_preview(&self, bytes: &[u8], file_name: &str, today: NaiveDate) -> Result<FormPreview> {
        let form = Form::read(bytes, file_name)?;
        refuse_unwritable(bytes, file_name, &form)?;
        let remembered: Option<Vec<String>> = self.setting(&remembered_key(&form.signature()))?.and_then(|json| serde_json::from_str(&json).ok());
        let columns = form
            .columns
            .iter()
            .enumerate()
            .map(|(i, (index, header))| FormColumn {
                index: *index,
                letters: filled_form::column_letters(*index),
                header: header.clone(),
                field: match &remembered {
                    Some(fields) => fields.get(i).cloned().unwrap_or_default(),
                    None => field_for(header).unwrap_or_default().to_string(),
                },
            })
            .collect();
        let office = self.office_name()?;
        Ok(FormPreview {
            file_name: file_name.to_string(),
            sheet: form.sheet.clone(),
            header_rows: form.header_rows.iter().map(|r| *r as u32 + 1).collect(),
            columns,
            fields: UNDERTAKING_COLUMNS.iter().map(|c| c.header).collect(),
            remembered: remembered.is_some(),
            filled_in: form.filled_in(&office, today).into_iter().map(|(.., at)| at).collect(),
            blank_rows: form.blank_rows(),
        })
    }

    /// The form filled with the items `query` covers, the columns as the clerk matched them
    /// (remembered for this header), and its file name: the form's own, with 已填 added.
    pub fn fill_form(&mut self, bytes: &[u8], file_name: &str, query: &TableQuery, fields: &[String], today: NaiveDate) -> Result<(Vec<u8>, String)> {
        let form = Form::read(bytes, file_name)?;
        refuse_unwritable(bytes, file_name, &form)?;
        if fields.len() != form.columns.len() || fields.iter().any(|f| !f.is_empty() && !UNDERTAKING_COLUMNS.iter().any(|c| c.header == f)) {
            return Err(Error::field("columns", "表格的列与所选的填写内容对不上，请重新选择表格。"));
        }
        let chosen: Vec<(u32, &str, &str)> = form.columns.iter().zip(fields).filter(|(_, f)| !f.is_empty()).map(|((i, h), f)| (*i, h.as_str(), f.as_str())).collect();
        if chosen.is_empty() {
            return Err(Error::field("columns", "没有哪一列选了填写内容，表格中不会填入任何件。请至少为一列选择内容。"));
        }
        let office = self.office_name()?;
        let table = self.undertaking_rows(query, today)?;
        let rows = table
            .rows
            .into_iter()
            .enumerate()
            .map(|(index, mut row)| chosen.iter().map(|(_, header, field)| value(field, header, index, &mut row)).collect())
            .collect();
        let fill = FormFill {
            sheet: form.sheet.clone(),
            header_row: *form.header_rows.last().expect("a header row") as u32,
            first_row: form.first_data_row() as u32,
            footer_row: form.footer_row().map(|r| r as u32),
            columns: chosen.iter().map(|(i, ..)| *i).collect(),
            rows,
            cells: form.filled_in(&office, today).into_iter().map(|(r, c, text, _)| (r, c, text)).collect(),
        };
        let filled = filled_form::fill_form(bytes, &fill)?;
        self.set_setting(&remembered_key(&form.signature()), &serde_json::to_string(fields).expect("names serialise"))?;
        let stem = file_name.rsplit_once('.').map_or(file_name, |(stem, _)| stem);
        Ok((filled, format!("{stem}（已填）.xlsx")))
    }
}

/// Refuses a form the program cannot write back: an .xls, or a protected sheet. Says what
/// was found.
fn refuse_unwritable(bytes: &[u8], file_name: &str, form: &Form) -> Result<()> {
    let found = format!("找到的表头在工作表“{}”第 {} 行（{}）", form.sheet, form.header_rows[0] + 1,
        form.columns.iter().take(5).map(|(_, h)| h.as_str()).collect::<Vec<_>>().join("、"));
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(Error::field("file", format!("“{file_name}”是 Excel 97-2003 格式（.xls），程序只能在 .xlsx 文件中填写。{found}。请在 Excel 或 WPS 中把它另存为 .xlsx 后再选择。")));
    }
    if filled_form::sheet_protected(bytes, &form.sheet)? {
        return Err(Error::field("file", format!("“{file_name}”的工作表“{}”设置了保护（密码），程序不能在其中填写。{found}。请在 Excel 或 WPS 中撤销工作表保护后再选择。", form.sheet)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(rows: &[&[&str]]) -> Form {
        let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        Form { sheet: "表".into(), rows, header_rows: vec![2], columns: Vec::new() }
    }

    #[test]
    fn the_office_and_the_day_go_after_a_colon_or_beside_a_label_and_never_over_words() {
        let day = NaiveDate::from_ymd_opt(2025, 11, 20).unwrap();
        let cells = |rows: &[&[&str]]| form(rows).filled_in("精河县人民政府办公室", day).into_iter().map(|(r, c, text, _)| (r, c, text)).collect::<Vec<_>>();
        assert_eq!(cells(&[&["填报单位（盖章）：", "", "填报时间：    年  月  日"]]), [
            (0, 0, "填报单位（盖章）：精河县人民政府办公室".to_string()),
            (0, 2, "填报时间：2025年11月20日".to_string()),
        ]);
        assert_eq!(cells(&[&["填报单位：            填报日期："]]), [(0, 0, "填报单位：精河县人民政府办公室    填报日期：2025年11月20日".to_string())]);
        assert_eq!(cells(&[&["填报单位", ""]]), [(0, 1, "精河县人民政府办公室".to_string())], "beside a label without a colon");
        assert!(cells(&[&["填报单位：州人大", ""]]).is_empty(), "something written after the colon stays");
        assert!(cells(&[&["填报单位", "州人大"]]).is_empty(), "and so does the cell beside");
    }
}
