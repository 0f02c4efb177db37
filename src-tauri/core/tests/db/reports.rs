//! The tables sent upward, written to a buffer and read back with calamine (every cell) and
//! as raw XML (the print settings that matter).

use super::*;
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use ledger_core::output::workbook::{undertaking_workbook, UNDERTAKING_COLUMNS};
use ledger_core::queries::reports::TableQuery;
use ledger_core::workflow::StepInput;
use std::io::Read;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Two 2025 州人大 items: one replied (A, 满意/基本满意, 主动公开), one just assigned;
/// and one 2025 县政协 item that must not appear in the 州人大 table.
fn ledger() -> Result<Fixture, Box<dyn std::error::Error>> {
    let mut f = fixture();
    let mut first = item_input(f.suggestions_2025, "214", "关于加快实施布久乡孜热村升级改造项目的建议", f.fagai);
    first.is_key = true;
    first.signers_total = "11".into();
    first.note = "州人大重点督办".into();
    first.assignments[0].leader = "副主任 王志刚".into();
    first.assignments[0].handler = "李娜".into();
    first.assignments[0].phone = "0909-5321101".into();
    first.assignments.push(AssignmentInput { unit_id: Some(f.jiaoyu), role: "协办".into(), ..Default::default() });
    let id = f.db.create_item(&first)?;
    let step = |name: &str, on: &str| StepInput { step: name.into(), happened_on: on.into(), ..Default::default() };
    f.db.record_step(id, &StepInput { class: "A".into(), doc_number: "精政函〔2025〕12号".into(), ..step("正式答复", "2025-05-20") })?;
    f.db.record_step(id, &StepInput { channel: "面商".into(), work: "满意".into(), result: "基本满意".into(), ..step("征求意见", "2025-05-28") })?;
    f.db.record_step(id, &StepInput { mode: "主动公开".into(), ..step("公开", "2025-10-30") })?;
    f.db.create_item(&item_input(f.suggestions_2025, "9", "关于美志高代表所提学校维修人员的建议", f.jiaoyu))?;
    f.db.create_item(&item_input(f.proposals_2025, "3", "关于建设老年人日间照料中心的提案", f.fagai))?;
    f.db.set_office_name("精河县人民政府办公室")?;
    Ok(f)
}

fn open(bytes: Vec<u8>) -> Result<(Xlsx<std::io::Cursor<Vec<u8>>>, Vec<u8>), Box<dyn std::error::Error>> {
    Ok((calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone()))?, bytes))
}

/// A part of the .xlsx package as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut text = String::new();
    zip.by_name(name).expect("the part exists").read_to_string(&mut text).unwrap();
    text
}

#[test]
fn the_undertaking_table_has_every_cell_and_prints_right() -> TestResult {
    let mut f = ledger()?;
    let today = d(2025, 11, 20);
    let query = TableQuery { year: 2025, streams: vec![PREFECTURE_SUGGESTIONS], unit_id: None };
    let table = f.db.undertaking_rows(&query, today)?;
    assert_eq!(table.rows.len(), 2, "only the 州人大 stream");
    let (bytes, name) = undertaking_workbook(&table.head, table.rows, &[], &f.db.office_name()?, today)?;
    assert_eq!(name, "2025年州人大代表建议承办情况表.xlsx");
    let (mut book, bytes) = open(bytes)?;
    let sheet = book.worksheet_range("承办情况表")?;
    let text = |r: u32, c: u32| sheet.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(text(0, 0), "精河县人民政府2025年州人大代表建议承办情况表");
    assert_eq!(text(1, 0), "填报单位：精河县人民政府办公室");
    assert_eq!(text(1, 10), "填报日期：2025年11月20日");
    let headers: Vec<String> = (0..20).map(|c| text(2, c)).collect();
    let mut expected: Vec<&str> = UNDERTAKING_COLUMNS.iter().map(|c| c.header).collect();
    expected[1] = "建议号";
    assert_eq!(headers, expected);
    assert_eq!(sheet.get_value((3, 0)), Some(&Data::Float(1.0)));
    let row: Vec<String> = (1..20).map(|c| text(3, c)).collect();
    assert_eq!(row, [
        "9", "关于美志高代表所提学校维修人员的建议", "乔次仁", "", "否", "精河县教育局", "", "", "", "",
        "2025年3月17日", "2025年5月26日", "", "", "", "", "", "", "",
    ]);
    let row: Vec<String> = (1..20).map(|c| text(4, c)).collect();
    assert_eq!(row, [
        "214", "关于加快实施布久乡孜热村升级改造项目的建议", "乔次仁等11人", "", "是", "精河县发展和改革委员会", "精河县教育局",
        "副主任 王志刚", "李娜", "0909-5321101", "2025年3月17日", "2025年5月26日", "2025年5月20日", "精政函〔2025〕12号",
        "A", "面商", "工作满意，结果基本满意", "主动公开", "州人大重点督办",
    ]);
    assert_eq!(sheet.height(), 5, "title, line, header and two rows");
    // The file the clerk saves is written while its rows are read: the same cells.
    let (saved, saved_name) = f.db.undertaking_file(&query, &[], today)?;
    assert_eq!((open(saved)?.0.worksheet_range("承办情况表")?, saved_name.as_str()), (sheet.clone(), name.as_str()));

    let merged: Vec<_> = book.merge_cells_by_sheet_name("承办情况表")?.iter().map(|r| (r.start, r.end)).collect();
    assert!(merged.contains(&((0, 0), (0, 19))), "{merged:?}");
    // The print settings that matter, as Excel and WPS read them.
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"paperSize="9""#) && xml.contains(r#"orientation="landscape""#), "A4 landscape");
    assert!(xml.contains(r#"fitToHeight="0""#) && xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "one page wide");
    assert!(xml.contains(r#"<pane ySplit="3" topLeftCell="A4" activePane="bottomLeft" state="frozen"/>"#), "frozen header");
    assert!(xml.contains("<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>"), "page numbers");
    let workbook = part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains(r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">承办情况表!$3:$3</definedName>"#), "header repeated: {workbook}");
    assert!(part(&bytes, "xl/styles.xml").contains(r#"<name val="宋体"/>"#), "a CJK font");

    // The formats as a second reader finds them: every cell of the table bordered (blank ones
    // too), texts wrapped and centred upright, numbers centred, rows tall enough for their text.
    let dir = tempfile::tempdir()?;
    let path = dir.path().join(&name);
    std::fs::write(&path, &bytes)?;
    let formats = python(r#"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['承办情况表']
for r in (3, 4, 5):
    cells = [ws.cell(r, c) for c in range(1, 21)]
    print(r, all(c.border.left.style == 'thin' and c.border.bottom.style == 'thin' for c in cells),
          all(c.alignment.vertical == 'center' for c in cells), ws.row_dimensions[r].height,
          cells[0].alignment.horizontal, cells[2].alignment.wrap_text, cells[2].alignment.horizontal, cells[2].font.name)
print(ws['A3'].font.b, ws['A3'].fill.fgColor.rgb)
"#, &[&path]);
    assert_eq!(formats, "3 True True 33.0 center True center 宋体\n4 True True 33.0 center True None 宋体\n5 True True 47.25 center True None 宋体\nTrue FFE7ECF2\n", "as read by openpyxl");
    Ok(())
}

#[test]
fn switched_off_columns_are_left_out_and_a_unit_names_itself() -> TestResult {
    let f = ledger()?;
    let today = d(2025, 11, 20);
    let table = f.db.undertaking_rows(&TableQuery { year: 2025, streams: vec![], unit_id: Some(f.fagai) }, today)?;
    assert_eq!(table.rows.len(), 2, "the unit's items of both streams");
    let chosen = vec!["编号".to_string(), "主办单位".to_string(), "办理结果".to_string()];
    let (bytes, name) = undertaking_workbook(&table.head, table.rows, &chosen, "精河县人民政府办公室", today)?;
    assert_eq!(name, "2025年人大代表建议和政协委员提案承办情况表（精河县发展和改革委员会）.xlsx");
    let (mut book, _) = open(bytes)?;
    let sheet = book.worksheet_range("承办情况表")?;
    let headers: Vec<String> = (0..5).map(|c| sheet.get_value((2, c)).map(|v| v.to_string()).unwrap_or_default()).collect();
    assert_eq!(headers, ["序号", "编号", "标题", "主办单位", "办理结果"], "序号 and 标题 always stay");
    assert_eq!(sheet.width(), 5);
    Ok(())
}

#[test]
fn the_opinion_forms_print_one_page_each_and_the_summary_counts() -> TestResult {
    let f = ledger()?;
    let table = f.db.undertaking_rows(&TableQuery { year: 2025, streams: vec![PREFECTURE_SUGGESTIONS], unit_id: None }, d(2025, 11, 20))?;
    let (bytes, name) = ledger_core::output::workbook::opinion_workbook(&table)?;
    assert_eq!(name, "2025年州人大代表建议征求意见表.xlsx");
    let (mut book, bytes) = open(bytes)?;
    let forms = book.worksheet_range("征求意见表")?;
    let cells: Vec<String> = forms.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|")).collect();
    // Two items, one block each, in the ledger's order (第9号, then 第214号).
    let titles: Vec<usize> = cells.iter().enumerate().filter(|(_, l)| l.starts_with("2025年州人大代表建议办理情况征求意见表")).map(|(i, _)| i).collect();
    assert_eq!(titles.len(), 2);
    let second = &cells[titles[1]..];
    assert_eq!(second[1], "建议号|214|答复日期|2025年5月20日");
    assert_eq!(second[2], "标　　题|关于加快实施布久乡孜热村升级改造项目的建议||");
    assert_eq!(second[3], "代　　表|乔次仁等11人|承办单位|精河县发展和改革委员会");
    assert_eq!(second[4], "沟通方式|□面商　　□电话　　□书面　　□未联系||");
    assert_eq!(second[5], "对办理工作\n的评价|□满意　　□基本满意　　□不满意||");
    assert_eq!(second[8], "代表签名||日　　期|　　　年　　月　　日");
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"<rowBreaks count="1" manualBreakCount="1">"#), "a page break between the two forms");
    assert!(xml.contains(r#"paperSize="9""#) && !xml.contains("landscape"), "A4 portrait");
    assert!(!xml.contains("&amp;N") && !xml.contains("oddFooter"), "a form mailed alone carries no count of the workbook's pages");

    let summary = book.worksheet_range("意见汇总")?;
    let text = |r: u32, c: u32| summary.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(text(0, 0), "2025年州人大代表建议征求意见汇总表");
    assert_eq!(text(1, 0), "已收回征求意见表 1 件");
    let row: Vec<String> = (1..10).map(|c| text(3, c)).collect();
    assert_eq!(row, ["214", "关于加快实施布久乡孜热村升级改造项目的建议", "乔次仁等11人", "精河县发展和改革委员会", "面商", "满意", "基本满意", "", "2025年5月28日"]);
    assert_eq!(text(5, 0), "对办理工作：满意 1 件（100.00%），基本满意 0 件（0.00%），不满意 0 件（0.00%）；满意率（满意＋基本满意）100.00%。");
    assert_eq!(text(6, 0), "对办理结果：满意 0 件（0.00%），基本满意 1 件（100.00%），不满意 0 件（0.00%）；满意率（满意＋基本满意）100.00%。");
    Ok(())
}
