//! The 办理情况反馈表: the workbook a unit gets each week and sends back filled in. The cells
//! that say which item a row is (届次, 编号, 标题, 领衔人, 本单位角色, 时限) are locked; the
//! cells for the steps still pending for the unit are open, with drop-down lists, dates
//! checked as dates and an input message on each header; the sheet is protected without a
//! password, so nothing breaks by accident. A hidden column holds each row's item and a
//! hidden sheet the ledger and the export, so the returned file is known whatever the unit
//! did to its order. It prints on A4 landscape like the office's other tables.

use crate::error::Result;
use crate::output::workbook::{base, fit, print_as_table, row_height};
use crate::queries::feedback_exports::SentRow;
use crate::text::format_date_cn;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, FormatAlign, FormatBorder};

/// The sheet the unit fills in.
pub const SHEET: &str = "办理情况反馈表";
/// The hidden sheet that says which ledger and which export the file is.
pub const IDENTITY_SHEET: &str = "反馈表标识";
/// The hidden column with each row's item.
pub const ITEM_COLUMN: &str = "件号";
/// The labels of the identity sheet's first column.
pub const LEDGER_LABEL: &str = "台账";
pub const EXPORT_LABEL: &str = "导出编号";
pub const CODE_LABEL: &str = "核对码";
/// The locked columns, in order.
pub const LOCKED_COLUMNS: [&str; 7] = ["序号", "届次", "编号", "标题", "领衔人", "本单位角色", "办理时限"];
/// What a fill-in cell that is not the unit's to fill shows.
pub const NOT_APPLICABLE: &str = "—";
/// The row (0-based) of the header.
pub const HEADER_ROW: u32 = 5;

chinese_enum! {
    /// A column the unit fills in.
    Fill {
        ReceivedOn = "签收日期",
        MetOn = "面商日期",
        MeetingWay = "面商方式",
        AssistedOn = "协办意见日期",
        RepliedOn = "答复日期",
        DocNumber = "答复文号",
        Class = "办理结果",
        Channel = "沟通方式",
        Work = "对办理工作的评价",
        Result = "对办理结果的评价",
        Note = "备注",
    }
}

impl Fill {
    fn is_date(self) -> bool {
        matches!(self, Fill::ReceivedOn | Fill::MetOn | Fill::AssistedOn | Fill::RepliedOn)
    }

    /// What the header's input message asks for.
    fn hint(self) -> &'static str {
        match self {
            Fill::ReceivedOn => "本单位签收交办件的日期，如 2025-03-18。",
            Fill::MetOn => "与代表、委员面商（走访、座谈、电话等）的日期。",
            Fill::MeetingWay => "从下拉列表中选择：面商、走访、座谈、电话、视察或书面。",
            Fill::AssistedOn => "本单位把协办意见送主办单位的日期。",
            Fill::RepliedOn => "正式答复（答复函）发出的日期。",
            Fill::DocNumber => "答复函的文号，如 精发改函〔2025〕12号。",
            Fill::Class => "从下拉列表中选择：A 已解决或采纳，B 正在解决或列入计划，C 暂时难以解决。",
            Fill::Channel => "征求意见的方式：面商、电话、书面或未联系。",
            Fill::Work => "代表、委员在征求意见表上对办理工作的评价。",
            Fill::Result => "代表、委员在征求意见表上对办理结果的评价。",
            Fill::Note => "需要说明的情况（可不填）。",
        }
    }

    /// The choices of a drop-down column.
    fn choices(self) -> Option<&'static [&'static str]> {
        match self {
            Fill::MeetingWay => Some(&["面商", "走访", "座谈", "电话", "视察", "书面"]),
            Fill::Class => Some(&["A", "B", "C"]),
            Fill::Channel => Some(&["面商", "电话", "书面", "未联系"]),
            Fill::Work | Fill::Result => Some(&["满意", "基本满意", "不满意"]),
            _ => None,
        }
    }

    fn width(self) -> f64 {
        match self {
            Fill::DocNumber => 20.0,
            Fill::Note => 22.0,
            Fill::Class | Fill::MeetingWay | Fill::Channel => 9.0,
            _ => 12.0,
        }
    }
}

/// A cell the unit fills in, or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillCell {
    /// A step pending for the unit: an open cell.
    Open,
    /// Recorded already: shown, locked.
    Recorded(String),
    /// Not the unit's step on this item: locked, "—".
    NotApplicable,
}

/// One row of the table: the item as sent, the unit's next deadline, and each fill-in cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackRow {
    pub sent: SentRow,
    pub due: Option<NaiveDate>,
    pub cells: Vec<(Fill, FillCell)>,
}

/// What one unit's file holds.
pub struct FeedbackSheet<'a> {
    pub unit_name: &'a str,
    pub office: &'a str,
    pub made_on: NaiveDate,
    pub ledger_id: &'a str,
    pub export_id: i64,
    pub check_code: &'a str,
    pub rows: &'a [FeedbackRow],
}

const LOCKED_WIDTHS: [f64; 7] = [5.0, 18.0, 7.0, 34.0, 10.0, 8.0, 13.0];

fn date_limit(y: u16) -> Result<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(y, 1, 1)?)
}

/// The workbook of one unit, with its file name.
pub fn feedback_workbook(sheet: &FeedbackSheet) -> Result<(Vec<u8>, String)> {
    let mut workbook = crate::output::workbook::new_workbook();
    let ws = workbook.add_worksheet();
    ws.set_name(SHEET)?;
    let fills: Vec<Fill> = Fill::ALL.to_vec();
    let item_col = (LOCKED_COLUMNS.len() + fills.len()) as u16;
    let last_visible = item_col - 1;

    let heading = base().set_font_size(16).set_bold().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    ws.merge_range(0, 0, 0, last_visible, &fit(&title(sheet.unit_name)), &heading)?;
    ws.set_row_height(0, 30)?;
    ws.merge_range(1, 0, 1, last_visible, &fit(&format!("{}　{}导出", sheet.office, format_date_cn(sheet.made_on))), &base().set_align(FormatAlign::Right))?;
    let note = base().set_text_wrap().set_align(FormatAlign::Top);
    let instructions = format!(
        "填写说明：1. 白色的格子由本单位填写；灰色的格子是台账中的内容，已锁定，不能修改；标“—”的不需要填写。\n\
         2. 日期写成 2025-04-18 或 2025年4月18日。面商方式、办理结果、沟通方式和评价请从下拉列表中选择（点格子右边的小箭头）。\n\
         3. 请不要增加或删除行，不要改动表格结构。填好后保存，发回{}。",
        sheet.office
    );
    ws.merge_range(2, 0, 4, last_visible, &fit(&instructions), &note)?;

    let header = base().set_bold().set_border(FormatBorder::Thin).set_text_wrap()
        .set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter).set_background_color("#E7ECF2");
    let open_header = header.clone().set_background_color("#FFF2CC");
    let locked = base().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter).set_background_color("#EDEDED");
    let centred = locked.clone().set_align(FormatAlign::Center);
    let open = base().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter).set_unlocked();
    let open_date = open.clone().set_num_format("yyyy-mm-dd");

    for (col, (name, width)) in LOCKED_COLUMNS.iter().zip(LOCKED_WIDTHS).enumerate() {
        ws.set_column_width(col as u16, width)?;
        ws.write_string_with_format(HEADER_ROW, col as u16, *name, &header)?;
    }
    for (i, fill) in fills.iter().enumerate() {
        let col = (LOCKED_COLUMNS.len() + i) as u16;
        ws.set_column_width(col, fill.width())?;
        ws.write_string_with_format(HEADER_ROW, col, fill.as_str(), &open_header)?;
        let hint = DataValidation::new().allow_any_value().set_input_title(fill.as_str())?.set_input_message(fill.hint())?;
        ws.add_data_validation(HEADER_ROW, col, HEADER_ROW, col, &hint)?;
    }
    ws.write_string_with_format(HEADER_ROW, item_col, ITEM_COLUMN, &header)?;
    ws.set_column_hidden(item_col)?;
    let headers: Vec<(&str, f64)> = LOCKED_COLUMNS.iter().zip(LOCKED_WIDTHS).map(|(h, w)| (*h, w)).chain(fills.iter().map(|f| (f.as_str(), f.width()))).collect();
    ws.set_row_height(HEADER_ROW, row_height(&headers))?;

    for (r, row) in sheet.rows.iter().enumerate() {
        let at = HEADER_ROW + 1 + r as u32;
        ws.write_number_with_format(at, 0, (r + 1) as f64, &centred)?;
        let due = row.due.map(format_date_cn).unwrap_or_default();
        let texts = [row.sent.session.as_str(), row.sent.number.as_str(), row.sent.title.as_str(), row.sent.proposer.as_str(), row.sent.role.as_str(), due.as_str()];
        for (c, text) in texts.iter().enumerate() {
            ws.write_string_with_format(at, c as u16 + 1, fit(text), if c == 1 || c == 4 { &centred } else { &locked })?;
        }
        for (i, (fill, cell)) in row.cells.iter().enumerate() {
            let col = (LOCKED_COLUMNS.len() + i) as u16;
            match cell {
                FillCell::Open => ws.write_blank(at, col, if fill.is_date() { &open_date } else { &open })?,
                FillCell::Recorded(text) => ws.write_string_with_format(at, col, fit(text), &locked)?,
                FillCell::NotApplicable => ws.write_string_with_format(at, col, NOT_APPLICABLE, &centred)?,
            };
        }
        ws.write_number(at, item_col, row.sent.item_id as f64)?;
        let cells: Vec<(&str, f64)> = texts.iter().zip(&LOCKED_WIDTHS[1..]).map(|(t, w)| (*t, *w)).collect();
        ws.set_row_height(at, row_height(&cells).max(20.0))?;
    }

    // Each fill-in column checked as the unit types: dates as dates, choices from lists. A
    // warning, not a stop: a value Excel does not take for a date is still read back.
    if !sheet.rows.is_empty() {
        let (first, last) = (HEADER_ROW + 1, HEADER_ROW + sheet.rows.len() as u32);
        for (i, fill) in fills.iter().enumerate() {
            let col = (LOCKED_COLUMNS.len() + i) as u16;
            let rule = if fill.is_date() {
                DataValidation::new().allow_date(DataValidationRule::Between(date_limit(2000)?, date_limit(2100)?))
                    .set_error_message("请写成 2025-04-18 这样的日期。")?
            } else if let Some(choices) = fill.choices() {
                DataValidation::new().allow_list_strings(choices)?.set_error_message(format!("请从下拉列表中选择：{}。", choices.join("、")))?
            } else {
                continue;
            };
            let rule = rule.set_error_style(DataValidationErrorStyle::Warning).set_error_title(fill.as_str())?
                .set_input_title(fill.as_str())?.set_input_message(fill.hint())?;
            ws.add_data_validation(first, col, last, col, &rule)?;
        }
    }

    ws.set_freeze_panes(HEADER_ROW + 1, 4)?;
    print_as_table(ws, HEADER_ROW)?;
    ws.protect();

    let identity = workbook.add_worksheet();
    identity.set_name(IDENTITY_SHEET)?;
    identity.write_string(0, 0, "本表由建议提案办理台账生成，用于收回时核对，请勿修改。")?;
    identity.write_string(1, 0, LEDGER_LABEL)?;
    identity.write_string(1, 1, sheet.ledger_id)?;
    identity.write_string(2, 0, EXPORT_LABEL)?;
    identity.write_number(2, 1, sheet.export_id as f64)?;
    identity.write_string(3, 0, CODE_LABEL)?;
    identity.write_string(3, 1, sheet.check_code)?;
    identity.set_hidden(true);
    identity.protect();

    Ok((workbook.save_to_buffer()?, file_name(sheet.unit_name, sheet.made_on)))
}

/// The name a unit's file made on `made_on` is offered under.
pub fn file_name(unit_name: &str, made_on: NaiveDate) -> String {
    format!("{unit_name}办理情况反馈表（{}导出）.xlsx", format_date_cn(made_on))
}

/// The title in the file's first row, which names the unit.
pub fn title(unit_name: &str) -> String {
    format!("{unit_name}建议提案办理情况反馈表")
}
