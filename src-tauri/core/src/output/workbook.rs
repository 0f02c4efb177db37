//! Print-ready workbooks (rust_xlsxwriter), written to a buffer: the shell saves them where
//! the clerk chooses. Offices print these, so every sheet has a merged title, thin borders,
//! wrapped text, widths set for Chinese (autofit counts a Chinese character as one Latin
//! letter), a frozen header repeated on every printed page, A4 landscape one page wide, a
//! CJK font and page numbers in the footer.

use crate::error::Result;
use crate::model::CountyRole;
use crate::queries::reports::{OpinionForm, TableHead, TableRows, UndertakingRow};
use crate::text::{government_of, percent, role_note, satisfaction_text, streams_title, text_width};
use crate::workflow::Rating;
use crate::views::UnitTasks;
use crate::text::format_date_cn;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

/// The font every sheet uses: 宋体 is on every Chinese Windows PC.
pub const FONT: &str = "宋体";

/// A column of a table: its header and its width in characters of the default font
/// (a Chinese character takes about two).
pub struct Column {
    pub header: &'static str,
    pub width: f64,
}

/// A cell of a table.
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

/// One print-ready table on a sheet: a merged title, a line under it (left and right
/// parts, e.g. 填报单位 and 填报日期), then the header and the rows.
pub struct Table<'a, Rows = Vec<Vec<Cell>>> {
    pub sheet_name: &'a str,
    pub title: String,
    pub left_line: String,
    pub right_line: String,
    pub columns: &'a [Column],
    /// The rows, taken one by one as they are written (they may still be being read).
    pub rows: Rows,
}

/// The row (0-based) of the header line in every table sheet.
pub const HEADER_ROW: u32 = 2;

/// The height a row needs so that its wrapped cells show every line. Excel fits wrapped
/// rows itself on opening, LibreOffice and some WPS versions do not, so it is set here.
pub(crate) fn row_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            text.split('\n').map(|part| (text_width(part) / (width - 1.0).max(1.0)).ceil().max(1.0)).sum::<f64>()
        })
        .fold(1.0, f64::max);
    // Excel's tallest row is 409 points; a longer text scrolls inside its cell.
    (lines * 14.5 + 4.0).min(409.0)
}

/// The most a cell holds, in UTF-16 units (Excel's bound, as rust_xlsxwriter counts it).
const CELL_UNITS: usize = 32_767;
/// Stands at the end of a text cut to fit a cell.
const CUT_MARK: &str = "……（以下过长，表格中已截断，全文见台账）";

/// A text as a cell can hold it: one longer than Excel allows is cut with a visible mark,
/// so a long note never blocks an export; the ledger keeps the whole text.
pub(crate) fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    // A UTF-8 text has at least as many bytes as UTF-16 units: most are known short at once.
    if text.len() <= CELL_UNITS || text.encode_utf16().count() <= CELL_UNITS {
        return std::borrow::Cow::Borrowed(text);
    }
    let room = CELL_UNITS - CUT_MARK.encode_utf16().count();
    let mut used = 0;
    let kept: String = text.chars().take_while(|c| {
        used += c.len_utf16();
        used <= room
    }).collect();
    std::borrow::Cow::Owned(kept + CUT_MARK)
}

/// A workbook as every file of the program is written: zip level 2, deflate's fast search.
/// Compressing was half of writing a year's 承办情况表 (5,003 rows); in the quietest of
/// three same-run rounds it wrote in 53 ms at level 2 (475 KB), 61 at 3 (435 KB), 70 at 4
/// (389 KB) and 98 at the default 6 (385 KB). A fifth more bytes on a USB stick is nothing.
pub(crate) fn new_workbook() -> Workbook {
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(2);
    workbook
}

pub(crate) fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(11)
}

/// Writes text across columns `first..=last` of a row (a merge needs two cells or more).
fn span(sheet: &mut Worksheet, row: u32, first: u16, last: u16, text: &str, format: &Format) -> Result<()> {
    let text = fit(text);
    let text = text.as_ref();
    if first == last {
        sheet.write_string_with_format(row, first, text, format)?;
    } else {
        sheet.merge_range(row, first, row, last, text, format)?;
    }
    Ok(())
}

/// Writes a table onto a new sheet of `workbook`. The sheet is written a row at a time
/// (rust_xlsxwriter's "low memory" sheet): each finished row goes out as XML at once, so a
/// year's 承办情况表 never holds its tens of thousands of cells in memory, to be walked again
/// at the save and dropped after. A row's cells are written as they are and the row then
/// formatted as a range, so a format is looked up once a row, not once a cell.
pub fn add_table<Rows: IntoIterator<Item = Vec<Cell>>>(workbook: &mut Workbook, table: Table<Rows>) -> Result<()> {
    let sheet: &mut Worksheet = workbook.add_worksheet_with_low_memory()?;
    sheet.set_name(table.sheet_name)?;
    let last_col = (table.columns.len() - 1) as u16;
    for (col, column) in table.columns.iter().enumerate() {
        sheet.set_column_width(col as u16, column.width)?;
    }
    let title = base().set_font_size(16).set_bold().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    sheet.set_row_height(0, 30)?;
    sheet.merge_range(0, 0, 0, last_col, &fit(&table.title), &title)?;
    let half = last_col / 2;
    span(sheet, 1, 0, half, &table.left_line, &base())?;
    span(sheet, 1, half + 1, last_col, &table.right_line, &base().set_align(FormatAlign::Right))?;

    let header = base().set_bold().set_border(FormatBorder::Thin).set_text_wrap()
        .set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter).set_background_color("#E7ECF2");
    let cell = base().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let number = cell.clone().set_align(FormatAlign::Center);
    let header_cells: Vec<(&str, f64)> = table.columns.iter().map(|c| (c.header, c.width)).collect();
    sheet.set_row_height(HEADER_ROW, row_height(&header_cells))?;
    for (col, column) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, column.header, &header)?;
    }
    let mut numbers: Vec<u16> = Vec::new();
    for (r, row) in table.rows.into_iter().enumerate() {
        let r = HEADER_ROW + 1 + r as u32;
        let texts: Vec<(&str, f64)> = row
            .iter()
            .zip(table.columns)
            .filter_map(|(value, column)| match value {
                Cell::Text(text) => Some((text.as_str(), column.width)),
                Cell::Number(_) => None,
            })
            .collect();
        sheet.set_row_height(r, row_height(&texts))?;
        if texts.len() == row.len() && texts.iter().all(|(text, _)| text.is_empty()) {
            // Empty texts are not written, and only the row being written takes formats.
            sheet.write_blank(r, 0, &cell)?;
        }
        for (col, value) in row.into_iter().enumerate() {
            match value {
                Cell::Text(text) => {
                    let cut = match fit(&text) {
                        std::borrow::Cow::Owned(cut) => Some(cut),
                        std::borrow::Cow::Borrowed(_) => None,
                    };
                    sheet.write_string(r, col as u16, cut.unwrap_or(text))?;
                }
                Cell::Number(n) => {
                    sheet.write_number(r, col as u16, n)?;
                    numbers.push(col as u16);
                }
            };
        }
        // The range also gives the row's blank cells their borders; numbers are centred.
        sheet.set_range_format(r, 0, r, last_col, &cell)?;
        for col in numbers.drain(..) {
            sheet.set_cell_format(r, col, &number)?;
        }
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    print_as_table(sheet, HEADER_ROW)
}

/// How every table of the office prints: A4 landscape, one page wide, the header row
/// `header` on every page, page numbers in the footer.
pub(crate) fn print_as_table(sheet: &mut Worksheet, header: u32) -> Result<()> {
    sheet.set_repeat_rows(header, header)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_margins(0.5, 0.5, 0.7, 0.7, 0.3, 0.3);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

const TASK_COLUMNS: &[Column] = &[
    Column { header: "序号", width: 6.0 },
    Column { header: "类型", width: 12.0 },
    Column { header: "编号", width: 8.0 },
    Column { header: "标题", width: 44.0 },
    Column { header: "本单位", width: 8.0 },
    Column { header: "当前状态", width: 16.0 },
    Column { header: "待办环节", width: 14.0 },
    Column { header: "办理时限", width: 16.0 },
    Column { header: "剩余天数", width: 10.0 },
    Column { header: "承办人", width: 10.0 },
    Column { header: "联系电话", width: 15.0 },
];


/// A unit's task list as a workbook, with the default file name.
pub fn unit_tasks_workbook(tasks: &UnitTasks, office: &str) -> Result<(Vec<u8>, String)> {
    let rows: Vec<Vec<Cell>> = tasks
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            vec![
                Cell::Number((i + 1) as f64),
                format!("{}年{}", row.year, row.stream).into(),
                row.number.as_str().into(),
                row.title.as_str().into(),
                row.role.as_str().into(),
                row.status.as_str().into(),
                row.next.label.as_str().into(),
                row.next.due_on.map(format_date_cn).unwrap_or_default().into(),
                row.next.days_text.clone().into(),
                row.handler.as_str().into(),
                row.phone.as_str().into(),
            ]
        })
        .collect();
    let mut workbook = new_workbook();
    add_table(&mut workbook, Table {
        sheet_name: "任务清单",
        title: format!("{}建议提案办理任务清单", tasks.unit_name),
        left_line: format!("督办单位：{office}"),
        right_line: format!("截至{}　未办结{}件，已办结{}件", format_date_cn(tasks.today), tasks.rows.len(), tasks.done),
        columns: TASK_COLUMNS,
        rows,
    })?;
    let name = format!("{}任务清单（{}）.xlsx", tasks.unit_name, tasks.today.format("%Y-%m-%d"));
    Ok((workbook.save_to_buffer()?, name))
}

/// The columns of the 承办情况表 (DOMAIN.md §3), in order. 序号 and 标题 are always printed;
/// the clerk can switch the others off.
pub const UNDERTAKING_COLUMNS: &[Column] = &[
    Column { header: "序号", width: 5.0 },
    Column { header: "编号", width: 6.0 },
    Column { header: "标题", width: 30.0 },
    Column { header: "领衔人", width: 12.0 },
    Column { header: "类别", width: 9.0 },
    Column { header: "是否重点", width: 6.0 },
    Column { header: "主办单位", width: 16.0 },
    Column { header: "协办单位", width: 16.0 },
    Column { header: "分管领导", width: 10.0 },
    Column { header: "承办人", width: 8.0 },
    Column { header: "联系电话", width: 13.0 },
    Column { header: "交办日期", width: 14.0 },
    Column { header: "办理时限", width: 14.0 },
    Column { header: "答复日期", width: 14.0 },
    Column { header: "答复文号", width: 14.0 },
    Column { header: "办理结果", width: 6.0 },
    Column { header: "沟通方式", width: 6.0 },
    Column { header: "满意度", width: 10.0 },
    Column { header: "是否公开", width: 6.0 },
    Column { header: "备注", width: 12.0 },
];

/// The columns that cannot be switched off.
pub const FIXED_COLUMNS: &[&str] = &["序号", "标题"];

/// The cell of column `header` for the row at `index`, its text moved out of `row`.
pub(crate) fn undertaking_cell(header: &str, index: usize, row: &mut UndertakingRow) -> Cell {
    let date = |d: Option<chrono::NaiveDate>| Cell::Text(d.map(format_date_cn).unwrap_or_default());
    let take = std::mem::take::<String>;
    let item = &mut row.item;
    match header {
        "序号" => Cell::Number((index + 1) as f64),
        "编号" => take(&mut item.number).into(),
        "标题" => take(&mut item.title).into(),
        "领衔人" => take(&mut item.proposer_label).into(),
        "类别" => item.category.take().unwrap_or_default().into(),
        "是否重点" => if item.is_key { "是" } else { "否" }.into(),
        "主办单位" => item.lead_unit.take().unwrap_or_default().into(),
        "协办单位" => item.assist_units.join("、").into(),
        "分管领导" => take(&mut row.leader).into(),
        "承办人" => take(&mut row.handler).into(),
        "联系电话" => take(&mut row.phone).into(),
        "交办日期" => date(item.assigned_on),
        "办理时限" => date(row.reply_due),
        "答复日期" => date(row.replied_on),
        "答复文号" => take(&mut row.doc_number).into(),
        "办理结果" => row.class.map(|c| c.to_string()).unwrap_or_default().into(),
        "沟通方式" => row.channel.map(|c| c.to_string()).unwrap_or_default().into(),
        "满意度" => satisfaction_text(row.work, row.result).into(),
        "是否公开" => row.publication.map(|p| p.to_string()).unwrap_or_default().into(),
        "备注" => [role_note(item.county_role), row.note.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("；").into(),
        _ => Cell::Text(String::new()),
    }
}


/// The 承办情况表 as a workbook with the chosen columns (all when `chosen` is empty), and
/// its default file name, e.g. 2025年州人大代表建议承办情况表.xlsx.
pub fn undertaking_workbook(table: &TableHead, rows: impl IntoIterator<Item = UndertakingRow>, chosen: &[String], office: &str, today: chrono::NaiveDate) -> Result<(Vec<u8>, String)> {
    let columns: Vec<&Column> = UNDERTAKING_COLUMNS
        .iter()
        .filter(|c| chosen.is_empty() || FIXED_COLUMNS.contains(&c.header) || chosen.iter().any(|h| h == c.header))
        .collect();
    let about = streams_title(&table.streams);
    let number_header = match table.streams.iter().map(|s| s.kind).collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>()[..] {
        [crate::model::Kind::Suggestion] => "建议号",
        [crate::model::Kind::Proposal] => "提案号",
        _ => "编号",
    };
    let headers: Vec<Column> = columns
        .iter()
        .map(|c| Column { header: if c.header == "编号" { number_header } else { c.header }, width: c.width })
        .collect();
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, mut row)| columns.iter().map(|c| undertaking_cell(c.header, i, &mut row)).collect());
    let unit = table.unit_name.as_deref().map(|u| format!("（{u}）")).unwrap_or_default();
    let mut workbook = new_workbook();
    add_table(&mut workbook, Table {
        sheet_name: "承办情况表",
        title: format!("{}{}年{about}承办情况表{unit}", government_of(office), table.year),
        left_line: format!("填报单位：{office}"),
        right_line: format!("填报日期：{}", format_date_cn(today)),
        columns: &headers,
        rows,
    })?;
    Ok((workbook.save_to_buffer()?, format!("{}年{about}承办情况表{unit}.xlsx", table.year)))
}

const OPINION_SUMMARY_COLUMNS: &[Column] = &[
    Column { header: "序号", width: 5.0 },
    Column { header: "编号", width: 7.0 },
    Column { header: "标题", width: 34.0 },
    Column { header: "领衔人", width: 14.0 },
    Column { header: "承办单位", width: 18.0 },
    Column { header: "沟通方式", width: 8.0 },
    Column { header: "对办理工作的评价", width: 10.0 },
    Column { header: "对办理结果的评价", width: 10.0 },
    Column { header: "意见和建议", width: 26.0 },
    Column { header: "反馈日期", width: 14.0 },
];

/// The 征求意见表: (a) one printable form per item the county answers (A4 portrait, one page
/// each), to go out with the reply; (b) a summary of the returned opinions with counts and
/// rates at the bottom. Returns the bytes and the default file name.
pub fn opinion_workbook(table: &TableRows) -> Result<(Vec<u8>, String)> {
    let about = streams_title(&table.head.streams);
    let mut workbook = new_workbook();
    let forms = workbook.add_worksheet();
    forms.set_name("征求意见表")?;
    let label = base().set_font_size(12).set_border(FormatBorder::Thin).set_text_wrap()
        .set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    let value = base().set_font_size(12).set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let heading = base().set_font_size(18).set_bold().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    for (col, width) in [16.0, 26.0, 14.0, 26.0].into_iter().enumerate() {
        forms.set_column_width(col as u16, width)?;
    }
    let mut breaks = Vec::new();
    let mut r = 0u32;
    for row in table.rows.iter().filter(|row| row.item.county_role == CountyRole::Lead) {
        let form = OpinionForm::of(row);
        forms.merge_range(r, 0, r, 3, &fit(&form.heading), &heading)?;
        forms.set_row_height(r, 48)?;
        let lines: [(&str, String, Option<(&str, String)>, f64); 8] = [
            (form.number_label, form.number, Some(("答复日期", form.replied_on)), 30.0),
            ("标　　题", form.title, None, 48.0),
            (form.proposer_label, form.proposers, Some(("承办单位", form.lead_unit)), 36.0),
            ("沟通方式", form.channel_boxes, None, 36.0),
            ("对办理工作\n的评价", form.rating_boxes.clone(), None, 36.0),
            ("对办理结果\n的评价", form.rating_boxes, None, 36.0),
            ("意见和建议", String::new(), None, 260.0),
            (form.signature_label, String::new(), Some(("日　　期", "　　　年　　月　　日".into())), 40.0),
        ];
        let return_note = form.return_note;
        for (name, text, right, height) in lines {
            r += 1;
            forms.set_row_height(r, height)?;
            forms.write_string_with_format(r, 0, name, &label)?;
            match right {
                Some((right_name, right_text)) => {
                    forms.write_string_with_format(r, 1, fit(&text), &value)?;
                    forms.write_string_with_format(r, 2, right_name, &label)?;
                    forms.write_string_with_format(r, 3, fit(&right_text), &value)?;
                }
                None => {
                    forms.merge_range(r, 1, r, 3, &fit(&text), &value)?;
                }
            }
        }
        r += 2;
        forms.write_string_with_format(r - 1, 0, return_note, &base().set_font_size(10))?;
        breaks.push(r);
    }
    breaks.pop();
    forms.set_page_breaks(&breaks)?;
    forms.set_portrait();
    forms.set_paper_size(9);
    forms.set_print_fit_to_pages(1, 0);
    forms.set_margins(0.7, 0.7, 0.8, 0.8, 0.3, 0.3);
    // NOTE: no page numbers: each form is mailed alone, and "第1页，共307页" on it would count the
    // whole workbook.

    let returned: Vec<&UndertakingRow> = table.rows.iter().filter(|r| r.work.is_some()).collect();
    let rows: Vec<Vec<Cell>> = returned
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut cells = numbered_item_cells(i, &row.item);
            cells.extend([
                row.channel.map(|c| c.to_string()).unwrap_or_default().into(),
                row.work.map(|c| c.to_string()).unwrap_or_default().into(),
                row.result.map(|c| c.to_string()).unwrap_or_default().into(),
                row.comments.as_str().into(),
                row.opinion_on.map(format_date_cn).unwrap_or_default().into(),
            ]);
            cells
        })
        .collect();
    add_table(&mut workbook, Table {
        sheet_name: "意见汇总",
        title: format!("{}年{about}征求意见汇总表", table.head.year),
        left_line: format!("已收回征求意见表 {} 件", returned.len()),
        right_line: String::new(),
        columns: OPINION_SUMMARY_COLUMNS,
        rows,
    })?;
    let summary = workbook.worksheet_from_name("意见汇总")?;
    let mut r = HEADER_ROW + 1 + returned.len() as u32 + 1;
    let total = returned.len() as u64;
    for (name, pick) in [("办理工作", 0), ("办理结果", 1)] {
        let ratings: Vec<Rating> = returned.iter().filter_map(|row| if pick == 0 { row.work } else { row.result }).collect();
        let count = |rating: Rating| ratings.iter().filter(|r| **r == rating).count() as u64;
        let (s, b, u) = (count(Rating::Satisfied), count(Rating::Basic), count(Rating::Unsatisfied));
        let line = format!(
            "对{name}：满意 {s} 件（{}），基本满意 {b} 件（{}），不满意 {u} 件（{}）；满意率（满意＋基本满意）{}。",
            percent(s, total), percent(b, total), percent(u, total), percent(s + b, total)
        );
        summary.merge_range(r, 0, r, (OPINION_SUMMARY_COLUMNS.len() - 1) as u16, &line, &base())?;
        r += 1;
    }
    Ok((workbook.save_to_buffer()?, format!("{}年{about}征求意见表.xlsx", table.head.year)))
}

const SHARE_COLUMNS: &[Column] = &[
    Column { header: "项目", width: 30.0 },
    Column { header: "件数", width: 10.0 },
    Column { header: "占比", width: 12.0 },
];

const RATE_COLUMNS: &[Column] = &[
    Column { header: "指标", width: 14.0 },
    Column { header: "比率", width: 12.0 },
    Column { header: "分子", width: 8.0 },
    Column { header: "分母", width: 8.0 },
    Column { header: "计算口径", width: 70.0 },
];

/// The statistics workbook (汇总表): the rates, then one sheet per breakdown, each ending
/// with a 合计 row so the parts visibly add up to the whole. Returns bytes and file name.
pub fn statistics_workbook(view: &crate::stats::StatisticsView, year: i32, office: &str) -> Result<(Vec<u8>, String)> {
    let s = &view.statistics;
    let mut workbook = new_workbook();
    let line = format!("统计单位：{office}");
    let rates: Vec<Vec<Cell>> = [&s.completion, &s.satisfaction, &s.solved, &s.meetings, &s.b_to_a]
        .iter()
        .map(|r| vec![r.name.into(), r.percent.as_str().into(), Cell::Number(r.numerator as f64), Cell::Number(r.denominator as f64), r.definition.as_str().into()])
        .collect();
    add_table(&mut workbook, Table {
        sheet_name: "总体情况",
        title: format!("{year}年{}办理情况汇总表", view.about),
        left_line: line.clone(),
        right_line: format!("共{}件，重点{}件，重新办理{}次，主动公开{}件", s.total, s.key_items, s.redo_rounds, s.published),
        columns: RATE_COLUMNS,
        rows: rates,
    })?;
    let sheets: [(&str, &crate::stats::Breakdown); 5] = [
        ("按类别", &s.categories),
        ("办理结果", &s.classes),
        ("征求意见", &s.opinions),
        ("本县角色", &s.roles),
        ("提出方式", &s.proposers),
    ];
    for (name, breakdown) in sheets {
        let mut rows: Vec<Vec<Cell>> = breakdown
            .parts
            .iter()
            .map(|p| vec![p.label.as_str().into(), Cell::Number(p.count as f64), p.percent.as_str().into()])
            .collect();
        rows.push(vec!["合计".into(), Cell::Number(breakdown.total as f64), percent(breakdown.total, breakdown.total).into()]);
        add_table(&mut workbook, Table {
            sheet_name: name,
            title: format!("{year}年{}{name}统计", view.about),
            left_line: line.clone(),
            right_line: String::new(),
            columns: SHARE_COLUMNS,
            rows,
        })?;
    }
    let unit_columns = [
        Column { header: "承办单位", width: 30.0 },
        Column { header: "主办", width: 8.0 },
        Column { header: "协办", width: 8.0 },
        Column { header: "已答复", width: 8.0 },
        Column { header: "逾期", width: 8.0 },
    ];
    add_table(&mut workbook, Table {
        sheet_name: "承办单位",
        title: format!("{year}年{}承办单位统计", view.about),
        left_line: line,
        right_line: String::new(),
        columns: &unit_columns,
        rows: s.units.iter().map(|u| vec![u.unit_name.as_str().into(), Cell::Number(u.lead as f64), Cell::Number(u.assist as f64), Cell::Number(u.replied as f64), Cell::Number(u.overdue as f64)]),
    })?;
    Ok((workbook.save_to_buffer()?, format!("{year}年{}办理情况汇总表.xlsx", view.about)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_too_long_for_a_cell_is_cut_with_a_mark() {
        assert_eq!(fit("短的备注"), "短的备注");
        let long = "长".repeat(40_000);
        let cut = fit(&long);
        assert!(cut.ends_with(CUT_MARK));
        assert_eq!(cut.encode_utf16().count(), CELL_UNITS);
        let emoji = "🙂".repeat(20_000); // two UTF-16 units each
        assert!(fit(&emoji).encode_utf16().count() <= CELL_UNITS);
    }

    #[test]
    fn rows_are_as_tall_as_their_longest_wrapped_cell() {
        assert_eq!(text_width("2025年3月17日"), 13.0);
        assert_eq!(row_height(&[("短", 10.0)]), 18.5);
        // 18 Chinese characters (36 units) in a 30-unit column take two lines.
        assert_eq!(row_height(&[("关于加快实施布久乡孜热村升级改造项目", 30.0), ("是", 6.0)]), 33.0);
        assert_eq!(row_height(&[("对办理工作\n的评价", 16.0)]), 33.0, "a line break counts");
    }
}

const LOG_COLUMNS: &[Column] = &[
    Column { header: "序号", width: 6.0 },
    Column { header: "时间", width: 19.0 },
    Column { header: "用户", width: 10.0 },
    Column { header: "类别", width: 10.0 },
    Column { header: "操作", width: 12.0 },
    Column { header: "对象", width: 36.0 },
    Column { header: "改动（原值 → 新值）", width: 60.0 },
];

/// The operation log as a workbook: one row an entry, every changed field in its last
/// column as “字段：原值 → 新值”, one a line. Returns bytes and file name.
pub fn log_workbook(entries: &[crate::queries::log::LogEntry], office: &str, today: chrono::NaiveDate) -> Result<(Vec<u8>, String)> {
    let shown = |v: &str| if v.is_empty() { "（空）".to_string() } else { v.to_string() };
    let rows: Vec<Vec<Cell>> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let changes: Vec<String> = e.changes.iter().map(|c| format!("{}：{} → {}", c.field, shown(&c.old), shown(&c.new))).collect();
            vec![
                Cell::Number((i + 1) as f64),
                e.at.as_str().into(),
                e.user.as_str().into(),
                e.kind.as_str().into(),
                e.action.as_str().into(),
                e.target.as_str().into(),
                changes.join("\n").into(),
            ]
        })
        .collect();
    let mut workbook = new_workbook();
    add_table(&mut workbook, Table {
        sheet_name: "操作日志",
        title: "建议提案办理台账操作日志".into(),
        left_line: format!("单位：{office}　共 {} 条", entries.len()),
        right_line: format!("导出日期：{}", format_date_cn(today)),
        columns: LOG_COLUMNS,
        rows,
    })?;
    Ok((workbook.save_to_buffer()?, format!("操作日志（{}）.xlsx", today)))
}

/// The units' yearly evaluation (承办单位考评): the ranking with each rule's points, and a
/// sheet with the rules and their weights, so a unit can see why it has its score.
pub fn evaluation_workbook(evaluation: &crate::evaluation::Evaluation, office: &str) -> Result<(Vec<u8>, String)> {
    use crate::evaluation::Rule;
    let mut columns = vec![Column { header: "名次", width: 6.0 }, Column { header: "承办单位", width: 28.0 }, Column { header: "件数", width: 6.0 }];
    columns.extend(Rule::ALL.iter().map(|r| Column { header: r.as_str(), width: 10.0 }));
    columns.push(Column { header: "总分", width: 8.0 });
    let rows: Vec<Vec<Cell>> = evaluation
        .units
        .iter()
        .map(|u| {
            let mut row = vec![Cell::Number(u.rank as f64), u.unit_name.as_str().into(), Cell::Number(u.items as f64)];
            row.extend(u.points.iter().map(|p| Cell::Number(p.points)));
            row.push(Cell::Number(u.score));
            row
        })
        .collect();
    let title = format!("{}{}年建议提案办理工作承办单位考评表", government_of(office), evaluation.year);
    let mut workbook = new_workbook();
    add_table(&mut workbook, Table {
        sheet_name: "考评结果",
        title: title.clone(),
        left_line: format!("考评单位：{office}"),
        right_line: format!("统计截至{}", format_date_cn(evaluation.today)),
        columns: &columns,
        rows,
    })?;
    let rules: Vec<Vec<Cell>> = evaluation.rules.iter().map(|r| vec![r.rule.as_str().into(), r.counts.into(), Cell::Number(r.weight)]).collect();
    add_table(&mut workbook, Table {
        sheet_name: "考评规则",
        title: format!("{}年承办单位考评规则", evaluation.year),
        left_line: "每项得分 = 计数 × 分值，总分为各项得分之和；分值为负数的是扣分。".into(),
        right_line: String::new(),
        columns: &[Column { header: "项目", width: 16.0 }, Column { header: "计数办法", width: 56.0 }, Column { header: "分值", width: 10.0 }],
        rows: rules,
    })?;
    Ok((workbook.save_to_buffer()?, format!("{title}.xlsx")))
}

/// The cells a list of items begins with: 序号, 编号, 标题, 领衔人, 主办单位.
fn numbered_item_cells(i: usize, item: &crate::model::ItemRow) -> Vec<Cell> {
    vec![
        Cell::Number((i + 1) as f64),
        item.number.as_str().into(),
        item.title.as_str().into(),
        item.proposer_label.as_str().into(),
        item.lead_unit.clone().unwrap_or_default().into(),
    ]
}

const REPEATED_COLUMNS: &[Column] = &[
    Column { header: "序号", width: 6.0 },
    Column { header: "编号", width: 8.0 },
    Column { header: "标题", width: 40.0 },
    Column { header: "领衔人", width: 14.0 },
    Column { header: "主办单位", width: 20.0 },
    Column { header: "类型", width: 12.0 },
    Column { header: "办理结果", width: 8.0 },
    Column { header: "此前或同时提出的", width: 56.0 },
];

/// The list of 多年提、反复提的问题 of a year: each item linked as 重复提出, with the items it
/// was raised with, for the notice that asks units to study them.
pub fn repeated_workbook(items: &[crate::queries::links::RepeatedItem], year: i32, office: &str, today: chrono::NaiveDate) -> Result<(Vec<u8>, String)> {
    let rows: Vec<Vec<Cell>> = items
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut cells = numbered_item_cells(i, &r.item);
            cells.extend([
                r.item.stream.as_str().into(),
                r.class.as_ref().map(|c| format!("{c}类")).unwrap_or_default().into(),
                r.raised_with.join("\n").into(),
            ]);
            cells
        })
        .collect();
    let title = format!("{year}年多年提、反复提的问题清单");
    let mut workbook = new_workbook();
    add_table(&mut workbook, Table {
        sheet_name: "反复提出的问题",
        title: title.clone(),
        left_line: format!("单位：{office}　共 {} 件", items.len()),
        right_line: format!("导出日期：{}", format_date_cn(today)),
        columns: REPEATED_COLUMNS,
        rows,
    })?;
    Ok((workbook.save_to_buffer()?, format!("{title}.xlsx")))
}
