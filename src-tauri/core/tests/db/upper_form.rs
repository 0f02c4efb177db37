//! 填入上级发来的表格: forms in the shapes upper bodies send, made here with rust_xlsxwriter,
//! filled from the ledger and read back: the filled cells against the ledger (calamine), every
//! attribute the form must keep (openpyxl, the second reader), and its print (LibreOffice).

use super::*;
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use ledger_core::queries::reports::TableQuery;
use ledger_core::workflow::StepInput;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 20).unwrap()
}

fn this_year() -> TableQuery {
    TableQuery { year: 2025, streams: vec![PREFECTURE_SUGGESTIONS], unit_id: None }
}

/// `count` 州人大 items of 2025, numbered 1…; the odd ones replied (A, then B, in turn) and
/// rated; a 县政协 item that no 州人大 form may hold.
fn ledger(count: usize) -> Result<Fixture, Box<dyn std::error::Error>> {
    let mut f = fixture();
    for n in 1..=count {
        let mut input = item_input(f.suggestions_2025, &n.to_string(), &format!("关于第{n}项民生实事的建议"), if n % 2 == 0 { f.jiaoyu } else { f.fagai });
        input.proposers[0].name = format!("代表{n}");
        let id = f.db.create_item(&input)?;
        if n % 2 == 1 {
            let step = |name: &str, on: &str| StepInput { step: name.into(), happened_on: on.into(), ..Default::default() };
            let class = if n % 4 == 1 { "A" } else { "B" };
            f.db.record_step(id, &StepInput { class: class.into(), doc_number: format!("精政函〔2025〕{n}号"), ..step("正式答复", "2025-05-20") })?;
            f.db.record_step(id, &StepInput { channel: "面商".into(), work: "满意".into(), result: "满意".into(), ..step("征求意见", "2025-05-28") })?;
        }
    }
    f.db.create_item(&item_input(f.proposals_2025, "3", "关于建设老年人日间照料中心的提案", f.fagai))?;
    f.db.set_office_name("精河县人民政府办公室")?;
    Ok(f)
}

/// "XX县2025年州人大代表建议办理情况统计表" as a 选联工委 sends it: a merged title, a line
/// with 填报单位 and 填报日期, the header, five blank bordered rows (答复日期 with a date
/// format), a line for who filled it under the table, A4 landscape with its margins, the
/// header repeated on each page, a print area, a page break, and a second sheet of notes.
fn statistics_form() -> Vec<u8> {
    statistics_form_numbered(false)
}

/// The same form, its blank rows numbered 1–5 in 序号 when `numbered`, as many forms come.
fn statistics_form_numbered(numbered: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    let title = Format::new().set_font_name("方正小标宋简体").set_font_size(18).set_align(FormatAlign::Center);
    let line = Format::new().set_font_name("仿宋_GB2312").set_font_size(12);
    let head = Format::new().set_font_name("黑体").set_font_size(11).set_bold().set_border(FormatBorder::Thin).set_align(FormatAlign::Center).set_background_color("D9D9D9");
    let body = Format::new().set_font_name("仿宋_GB2312").set_font_size(11).set_border(FormatBorder::Thin).set_text_wrap();
    let day = body.clone().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let sheet = book.add_worksheet().set_name("统计表").unwrap();
    sheet.merge_range(0, 0, 0, 7, "XX县2025年州人大代表建议办理情况统计表", &title).unwrap();
    sheet.merge_range(1, 0, 1, 3, "填报单位：", &line).unwrap();
    sheet.merge_range(1, 4, 1, 7, "填报日期：    年  月  日", &line).unwrap();
    for (c, (name, width)) in [("序号", 6.0), ("建议号", 8.0), ("案由", 36.0), ("领衔代表", 10.0), ("主办单位", 20.0), ("办理结果(A/B/C)", 10.0), ("答复日期", 16.0), ("代表意见", 14.0)].into_iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, name, &head).unwrap();
        sheet.set_column_width(c as u16, width).unwrap();
    }
    sheet.set_row_height(2, 30).unwrap();
    for r in 3..8 {
        for c in 0..8u16 {
            sheet.write_blank(r, c, if c == 6 { &day } else { &body }).unwrap();
        }
        if numbered {
            sheet.write_number_with_format(r, 0, f64::from(r - 2), &body).unwrap();
        }
        sheet.set_row_height(r, 24).unwrap();
    }
    sheet.merge_range(8, 0, 8, 7, "填表人：            审核人：            联系电话：", &line).unwrap();
    sheet.set_landscape().set_margins(0.5, 0.4, 0.6, 0.6, 0.3, 0.3).set_repeat_rows(2, 2).unwrap().set_print_area(0, 0, 8, 7).unwrap();
    sheet.set_page_breaks(&[8]).unwrap();
    let notes = book.add_worksheet().set_name("填表说明").unwrap();
    notes.write_string(0, 0, "办理结果填A、B、C；答复日期填正式答复的日期。").unwrap();
    book.save_to_buffer().unwrap()
}

/// "提案办理情况反馈表" as a 提案委 sends it: its own order (案由 first), a two-row header (办理
/// 情况 over 答复日期 and 答复文号), 办理结果 in words, 承办单位 for the lead unit, and no
/// blank rows under the header.
fn feedback_form() -> Vec<u8> {
    let mut book = Workbook::new();
    let head = Format::new().set_bold().set_border(FormatBorder::Thin);
    let sheet = book.add_worksheet().set_name("反馈表").unwrap();
    sheet.merge_range(0, 0, 0, 6, "提案办理情况反馈表", &Format::new().set_font_size(16)).unwrap();
    for (c, name) in ["案由", "提案号", "提案人", "承办单位"].into_iter().enumerate() {
        sheet.merge_range(1, c as u16, 2, c as u16, name, &head).unwrap();
    }
    sheet.merge_range(1, 4, 1, 5, "办理情况", &head).unwrap();
    sheet.write_string_with_format(2, 4, "答复日期", &head).unwrap();
    sheet.write_string_with_format(2, 5, "答复文号", &head).unwrap();
    sheet.merge_range(1, 6, 2, 6, "办理结果", &head).unwrap();
    book.save_to_buffer().unwrap()
}

fn cells(bytes: &[u8], sheet: &str) -> Result<calamine::Range<Data>, Box<dyn std::error::Error>> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))?;
    Ok(book.worksheet_range(sheet)?)
}

fn text(range: &calamine::Range<Data>, r: u32, c: u32) -> String {
    match range.get_value((r, c)) {
        Some(Data::DateTime(d)) => ledger_core::sheet::serial_date(d.as_f64()).map(|d| d.to_string()).unwrap_or_default(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

#[test]
fn a_statistics_form_is_filled_in_its_own_columns_and_the_lines_under_it_move_down() -> TestResult {
    let mut f = ledger(8)?;
    let form = statistics_form();
    let preview = f.db.form_preview(&form, "州人大建议办理情况统计表.xlsx", today())?;
    assert_eq!((preview.sheet.as_str(), preview.header_rows.as_slice(), preview.blank_rows), ("统计表", &[3][..], 5));
    let fields: Vec<&str> = preview.columns.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["序号", "编号", "标题", "领衔人", "主办单位", "办理结果", "答复日期", "满意度"]);
    assert_eq!(preview.filled_in, ["第 2 行“填报单位：”", "第 2 行“填报日期：    年  月  日”"]);
    assert!(!preview.remembered);

    let chosen: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
    let (filled, name) = f.db.fill_form(&form, "州人大建议办理情况统计表.xlsx", &this_year(), &chosen, today())?;
    assert_eq!(name, "州人大建议办理情况统计表（已填）.xlsx");
    let range = cells(&filled, "统计表")?;
    assert_eq!(text(&range, 0, 0), "XX县2025年州人大代表建议办理情况统计表");
    assert_eq!(text(&range, 1, 0), "填报单位：精河县人民政府办公室");
    assert_eq!(text(&range, 1, 4), "填报日期：2025年11月20日");
    // Each row against the ledger's 承办情况表 rows, in the ledger's order.
    let rows = f.db.undertaking_rows(&this_year(), today())?.rows;
    assert_eq!(rows.len(), 8, "the 州人大 items only");
    for (i, row) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        let replied = row.replied_on.map(|d| d.to_string()).unwrap_or_default();
        let class = row.class.map(|c| c.to_string()).unwrap_or_default();
        let rated = if row.work.is_some() { "满意" } else { "" };
        assert_eq!(
            (0..8).map(|c| text(&range, r, c)).collect::<Vec<_>>(),
            [(i + 1).to_string(), row.item.number.clone(), row.item.title.clone(), row.item.proposer_label.clone(), row.item.lead_unit.clone().unwrap_or_default(), class, replied, rated.to_string()],
            "row {r}"
        );
    }
    assert!(matches!(range.get_value((3, 6)), Some(Data::DateTime(_))), "a date where the form's cell has a date format");
    assert_eq!(text(&range, 11, 0), "填表人：            审核人：            联系电话：", "the line under the table moved down three rows");
    assert_eq!(text(&cells(&filled, "填表说明")?, 0, 0), "办理结果填A、B、C；答复日期填正式答复的日期。");

    // The same header next year: the columns as the clerk left them.
    let mut changed = chosen.clone();
    changed[7] = String::new();
    f.db.fill_form(&form, "州人大建议办理情况统计表.xlsx", &this_year(), &changed, today())?;
    let again = f.db.form_preview(&form, "2026年的统计表.xlsx", today())?;
    assert!(again.remembered);
    assert_eq!(again.columns[7].field, "", "the correction is remembered");
    Ok(())
}

#[test]
fn a_form_in_its_own_order_with_a_two_row_header_gets_words_and_new_rows() -> TestResult {
    let mut f = ledger(3)?;
    let form = feedback_form();
    let preview = f.db.form_preview(&form, "提案办理情况反馈表.xlsx", today())?;
    assert_eq!(preview.header_rows, [2, 3]);
    let found: Vec<(&str, &str)> = preview.columns.iter().map(|c| (c.header.as_str(), c.field.as_str())).collect();
    assert_eq!(found, [("案由", "标题"), ("提案号", "编号"), ("提案人", "领衔人"), ("承办单位", "主办单位"), ("答复日期", "答复日期"), ("答复文号", "答复文号"), ("办理结果", "办理结果")]);
    assert_eq!(preview.blank_rows, 0);
    let fields: Vec<String> = preview.columns.iter().map(|c| c.field.clone()).collect();
    let (filled, _) = f.db.fill_form(&form, "提案办理情况反馈表.xlsx", &this_year(), &fields, today())?;
    let range = cells(&filled, "反馈表")?;
    let first: Vec<String> = (0..7).map(|c| text(&range, 3, c)).collect();
    assert_eq!(first, ["关于第1项民生实事的建议", "1", "代表1", "精河县发展和改革委员会", "2025年5月20日", "精政函〔2025〕1号", "所提问题已解决或基本解决"]);
    assert_eq!(text(&range, 5, 6), "已制定措施正在解决或列入计划逐步解决", "B in words");
    assert_eq!(text(&range, 4, 6), "", "not yet replied");
    assert_eq!(text(&range, 1, 4), "办理情况", "the header kept");
    Ok(())
}

#[test]
fn a_form_without_a_header_with_two_or_protected_or_xls_is_refused_and_nothing_written() -> TestResult {
    let mut f = ledger(2)?;
    let message = |result: ledger_core::Result<ledger_core::upper_form::FormPreview>| result.expect_err("refused").to_string();

    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "请各单位于11月底前报送").unwrap();
    let blank = message(f.db.form_preview(&book.save_to_buffer()?, "通知.xlsx", today()));
    assert!(blank.contains("没有找到表头") && blank.contains("请各单位于11月底前报送"), "{blank}");

    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("两张表").unwrap();
    for (r, names) in [(1u32, ["建议号", "案由", "主办单位"]), (9, ["提案号", "案由", "承办单位"])] {
        for (c, name) in names.into_iter().enumerate() {
            sheet.write_string(r, c as u16, name).unwrap();
        }
    }
    let two = message(f.db.form_preview(&book.save_to_buffer()?, "两张表.xlsx", today()));
    assert!(two.contains("两处像表头的行：第 2 行（建议号、案由、主办单位）和第 10 行"), "{two}");

    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("受保护").unwrap();
    for (c, name) in ["建议号", "案由", "主办单位"].into_iter().enumerate() {
        sheet.write_string(2, c as u16, name).unwrap();
    }
    sheet.protect_with_password("123");
    let bytes = book.save_to_buffer()?;
    let protected = message(f.db.form_preview(&bytes, "受保护.xlsx", today()));
    assert!(protected.contains("设置了保护") && protected.contains("第 3 行（建议号、案由、主办单位）"), "{protected}");
    let fields = vec!["编号".to_string(), "标题".into(), "主办单位".into()];
    assert!(f.db.fill_form(&bytes, "受保护.xlsx", &this_year(), &fields, today()).is_err());

    let xls = std::fs::read(format!("{}/../../tests/fixtures/交办清单-excel97.xls", env!("CARGO_MANIFEST_DIR")))?;
    let old = message(f.db.form_preview(&xls, "交办清单.xls", today()));
    assert!(old.contains("Excel 97-2003 格式") && old.contains("找到的表头在工作表"), "{old}");
    assert!(f.db.operation_log(&ledger_core::queries::log::LogQuery { text: "上级表格".into(), ..Default::default() }, None)?.is_empty(), "nothing remembered");
    Ok(())
}

/// What openpyxl reads of a form: sheets, merges, widths, fonts, borders, formats, heights,
/// print setup; each as a line "name: value", rows counted from 1.
const ATTRIBUTES: &str = r#"
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
print('sheets:', book.sheetnames)
ws = book['统计表']
print('merged:', sorted(str(r) for r in ws.merged_cells.ranges))
print('widths:', [round(ws.column_dimensions[c].width, 2) for c in 'ABCDEFGH'])
title = ws['A1'].font
print('title font:', title.name, title.sz)
head = ws['C3']
print('header:', head.font.name, head.font.b, head.border.left.style, head.fill.fgColor.rgb)
for r in (4, 8, 11):
    cell = ws.cell(row=r, column=3)
    print('row%d:' % r, cell.font.name, cell.border.left.style, cell.border.bottom.style, cell.alignment.wrap_text, ws.row_dimensions[r].height, ws.cell(row=r, column=7).number_format)
print('unfilled:', ws['H11'].value, ws['H11'].border.left.style, ws['H11'].border.right.style)
print('footer:', [ws.cell(row=r, column=1).value for r in range(9, 13)])
print('setup:', ws.page_setup.orientation, ws.page_margins.left, ws.page_margins.right, ws.page_margins.top, ws.print_title_rows, ws.print_area)
print('breaks:', [b.id for b in ws.row_breaks.brk])
print('notes:', book['填表说明']['A1'].value)
"#;

#[test]
fn the_filled_form_keeps_every_attribute_of_the_blank_one_as_openpyxl_reads_it() -> TestResult {
    let mut f = ledger(8)?;
    let form = statistics_form();
    let mut fields: Vec<String> = f.db.form_preview(&form, "统计表.xlsx", today())?.columns.into_iter().map(|c| c.field).collect();
    fields[7] = String::new();
    let (filled, _) = f.db.fill_form(&form, "统计表.xlsx", &this_year(), &fields, today())?;
    let dir = tempfile::tempdir()?;
    let (blank_path, filled_path) = (dir.path().join("空白.xlsx"), dir.path().join("已填.xlsx"));
    std::fs::write(&blank_path, &form)?;
    std::fs::write(&filled_path, &filled)?;
    let read = |path: &std::path::Path| -> std::collections::BTreeMap<String, String> {
        python(ATTRIBUTES, &[path]).lines().filter_map(|l| l.split_once(": ").map(|(k, v)| (k.to_string(), v.to_string()))).collect()
    };
    let (blank, filled) = (read(&blank_path), read(&filled_path));
    // Kept as they were.
    for key in ["sheets", "widths", "title font", "header", "notes", "row4", "row8"] {
        assert_eq!(filled.get(key), blank.get(key), "{key}");
    }
    assert_eq!(blank["row4"], "仿宋_GB2312 thin thin True 24.0 yyyy\"年\"m\"月\"d\"日\"", "the blank form's first data row");
    // Moved or grown with the three rows the items needed beyond the five left blank.
    assert_eq!(blank["merged"], "['A1:H1', 'A2:D2', 'A9:H9', 'E2:H2']");
    assert_eq!(filled["merged"], "['A12:H12', 'A1:H1', 'A2:D2', 'E2:H2']");
    assert_eq!(filled["row11"], blank["row4"], "a new row styled as the first data row");
    assert_eq!(filled["unfilled"], "None thin thin", "a column left blank keeps the form's borders");
    assert_eq!(blank["setup"], "landscape 0.5 0.4 0.6 $3:$3 ['$A$1:$H$9']");
    assert_eq!(filled["setup"], "landscape 0.5 0.4 0.6 $3:$3 ['$A$1:$H$12']");
    assert_eq!((blank["breaks"].as_str(), filled["breaks"].as_str()), ("[8]", "[11]"), "the page break before the line under the table");
    assert_eq!(filled["footer"], "[6, 7, 8, '填表人：            审核人：            联系电话：']", "items 6–8, then the line");

    // A form without a blank row: the new rows take the header's borders, and wrap.
    let form = feedback_form();
    let fields: Vec<String> = f.db.form_preview(&form, "反馈表.xlsx", today())?.columns.into_iter().map(|c| c.field).collect();
    let (filled, _) = f.db.fill_form(&form, "反馈表.xlsx", &this_year(), &fields, today())?;
    let path = dir.path().join("反馈表（已填）.xlsx");
    std::fs::write(&path, &filled)?;
    let script = "import sys, openpyxl\nws = openpyxl.load_workbook(sys.argv[1])['反馈表']\nfor a in ('A4', 'G11'):\n    c = ws[a]\n    print(a, c.border.left.style, c.border.bottom.style, c.alignment.wrap_text, c.font.b)";
    assert_eq!(python(script, &[&path]), "A4 thin thin True False\nG11 thin thin True False\n", "borders without the header's bold");
    Ok(())
}

#[test]
fn blank_rows_numbered_in_advance_are_filled_and_those_left_keep_their_numbers() -> TestResult {
    let mut f = ledger(3)?;
    let form = statistics_form_numbered(true);
    let preview = f.db.form_preview(&form, "统计表.xlsx", today())?;
    assert_eq!(preview.blank_rows, 5, "a row with only its 序号 is a blank row");
    let fields: Vec<String> = preview.columns.into_iter().map(|c| c.field).collect();
    let (filled, _) = f.db.fill_form(&form, "统计表.xlsx", &this_year(), &fields, today())?;
    let range = cells(&filled, "统计表")?;
    let column = |c: u32| (3..9).map(|r| text(&range, r, c)).collect::<Vec<_>>();
    assert_eq!(column(0), ["1", "2", "3", "4", "5", "填表人：            审核人：            联系电话："], "three items, two numbered rows left, the line in its place");
    assert_eq!(column(2)[..3], ["关于第1项民生实事的建议", "关于第2项民生实事的建议", "关于第3项民生实事的建议"]);
    Ok(())
}

#[test]
fn a_total_under_the_table_moves_down_and_counts_the_rows_it_grew_by() -> TestResult {
    let mut f = ledger(8)?;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("统计表").unwrap();
    for (c, name) in ["序号", "建议号", "案由", "主办单位"].into_iter().enumerate() {
        sheet.write_string(0, c as u16, name)?;
    }
    // Five blank rows (2–6), then a total of 序号 over them and the one under it.
    sheet.write_string(6, 0, "合计")?;
    sheet.write_formula(6, 1, "=COUNT(A2:A6)+'统计表'!A7*0")?;
    let form = book.save_to_buffer()?;
    let fields: Vec<String> = f.db.form_preview(&form, "统计表.xlsx", today())?.columns.into_iter().map(|c| c.field).collect();
    let (filled, _) = f.db.fill_form(&form, "统计表.xlsx", &this_year(), &fields, today())?;
    let mut read: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(filled))?;
    let formulas = read.worksheet_formula("统计表")?;
    assert_eq!(read.worksheet_range("统计表")?.get_value((9, 0)).map(|v| v.to_string()).as_deref(), Some("合计"), "three rows down");
    assert_eq!(formulas.get_value((9, 1)).map(String::as_str), Some("COUNT(A2:A9)+'统计表'!A10*0"), "the range grows, the row follows");
    Ok(())
}
