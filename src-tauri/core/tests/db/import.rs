//! Importing 交办清单 files made messy on purpose: titles above the header, blank rows, extra
//! columns, numbers stored as text, dates as serials and as text, full-width characters,
//! trailing spaces, a GBK CSV; and broken files, which change nothing.

use ledger_core::queries::items::ItemQuery;
use super::*;
use ledger_core::import::columns::template_workbook;
use ledger_core::import::preview::ImportOptions;
use ledger_core::Error;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};

/// A list as a county gets it: a merged title, a date line, the header on row 3, a blank
/// row, an extra column, and every kind of untidy cell.
fn messy_xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.merge_range(0, 0, 0, 8, "州十六届人大二次会议代表建议交办清单", &Format::new()).unwrap();
    sheet.write_string(1, 0, "交办日期：2025年3月17日").unwrap();
    for (c, h) in ["建议号", "案由", "领衔代表", "附议人", "代表团", "主办单位", "会办单位", "交办时间", "内部编码"].iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    // Row 4: a number stored as text in full width, a serial date, a unit by its short name.
    sheet.write_string(3, 0, "０２１").unwrap();
    sheet.write_string(3, 1, "《关于加快实施布久乡孜热村升级改造项目的建议》  ").unwrap();
    sheet.write_string(3, 2, "乔次仁等11人").unwrap();
    sheet.write_string(3, 3, "李燕芹、王爱新").unwrap();
    sheet.write_string(3, 4, "精河县代表团").unwrap();
    sheet.write_string(3, 5, "县发改委 ").unwrap();
    sheet.write_string(3, 6, "精河县教育局，精河工业园区管委会").unwrap();
    sheet.write_number_with_format(3, 7, 45733.0, &date).unwrap(); // 2025-03-17
    sheet.write_string(3, 8, "X-001").unwrap();
    // Row 5 blank; row 6: a number as a number, a date as text.
    sheet.write_number(5, 0, 22.0).unwrap();
    sheet.write_string(5, 1, "关于完善新能源汽车充电设施的建议").unwrap();
    sheet.write_string(5, 2, "图尔荪·艾尔肯").unwrap();
    sheet.write_string(5, 5, "精河县发展和改革委员会").unwrap();
    sheet.write_string(5, 7, "2025年3月17日").unwrap();
    book.save_to_buffer().unwrap()
}

fn options(f: &Fixture) -> ImportOptions {
    ImportOptions { session_id: Some(f.suggestions_2025), ..Default::default() }
}

#[test]
fn a_messy_list_previews_without_writing_and_imports_whole() -> TestResult {
    let mut f = fixture();
    let bytes = messy_xlsx();
    let preview = f.db.preview_import(&bytes, "交办清单.xlsx", &options(&f))?;
    assert_eq!(preview.header_row, 3);
    assert_eq!(preview.problems, vec![], "{:?}", preview.problems);
    assert_eq!(preview.rows.len(), 2, "the blank row is skipped");
    let first = &preview.rows[0];
    assert_eq!((first.row, first.number.as_str(), first.action.as_str()), (4, "021", "新增"));
    assert_eq!(first.title, "关于加快实施布久乡孜热村升级改造项目的建议");
    assert_eq!(first.proposers, "乔次仁等11人");
    assert_eq!(first.assigned_on, "2025年3月17日");
    assert_eq!(preview.rows[1].assigned_on, "2025年3月17日");
    let extra = preview.columns.iter().find(|c| c.header == "内部编码").unwrap();
    assert_eq!(extra.field, None, "an unknown column is shown for the clerk to map");
    assert!(f.db.list_items(&ItemQuery::default())?.is_empty(), "a preview writes nothing");

    let done = f.db.import_items(&bytes, "交办清单.xlsx", &options(&f))?;
    assert_eq!(done.writable(), 2);
    let items = f.db.list_items(&ItemQuery::default())?;
    assert_eq!(items.len(), 2);
    let detail = f.db.get_item(items.iter().find(|i| i.number == "021").unwrap().id)?;
    assert_eq!(detail.proposers.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["乔次仁", "李燕芹", "王爱新"]);
    assert_eq!(detail.signers_total, Some(11));
    assert_eq!(detail.proposers[0].delegation, "精河县代表团");
    assert_eq!(detail.assignments.iter().map(|a| (a.role.as_str(), a.unit_id)).collect::<Vec<_>>(),
        [("主办", f.fagai), ("协办", f.jiaoyu), ("协办", f.yuanqu)]);
    assert_eq!(detail.assigned_on, chrono::NaiveDate::from_ymd_opt(2025, 3, 17));
    Ok(())
}

#[test]
fn one_bad_row_stops_the_whole_import_until_the_mapping_is_fixed() -> TestResult {
    let mut f = fixture();
    // The title column is headed 议题, which no body we know uses: the clerk maps it by hand.
    let csv = "议题,编号,提出人,承办单位,交办日期\n关于A的建议,1,美志高,县教育局,2025-03-17\n关于B的建议,2,乔次仁,县教育局,2025-02-30\n";
    let preview = f.db.preview_import(csv.as_bytes(), "清单.csv", &options(&f))?;
    assert!(preview.problems.iter().any(|p| p.column == "表头" && p.message.contains("标题")), "{:?}", preview.problems);
    let result = f.db.import_items(csv.as_bytes(), "清单.csv", &options(&f));
    assert!(matches!(result, Err(Error::Invalid(_))));
    assert!(f.db.list_items(&ItemQuery::default())?.is_empty());

    let mut mapped = options(&f);
    mapped.mapping.insert(0, "标题".into());
    let preview = f.db.preview_import(csv.as_bytes(), "清单.csv", &mapped)?;
    let bad: Vec<_> = preview.problems.iter().map(|p| (p.row, p.column.as_str())).collect();
    assert_eq!(bad, [(3, "交办日期")], "row 3 of the sheet has an impossible date: {:?}", preview.problems);
    assert!(preview.problems[0].message.contains("不是有效日期"));
    let refused = f.db.import_items(csv.as_bytes(), "清单.csv", &mapped);
    let Err(Error::Invalid(errors)) = refused else { panic!("expected a refusal") };
    assert!(errors[0].message.contains("没有导入任何一行"), "{}", errors[0].message);
    assert!(f.db.list_items(&ItemQuery::default())?.is_empty(), "all rows or none");

    let fixed = csv.replace("2025-02-30", "2025-03-18");
    f.db.import_items(fixed.as_bytes(), "清单.csv", &mapped)?;
    assert_eq!(f.db.list_items(&ItemQuery::default())?.len(), 2);
    Ok(())
}

#[test]
fn a_gbk_csv_with_other_header_names_is_read() -> TestResult {
    let mut f = fixture();
    let text = "提案号,案由,第一提案人,附议人,承办单位,会办单位,分类\n3,关于建设老年人日间照料中心的提案,田鸿,,精河县教育局,,医疗卫生\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let preview = f.db.preview_import(&gbk, "政协提案.csv", &ImportOptions { session_id: Some(f.proposals_2025), ..Default::default() })?;
    // Nothing wrong; the list only lacks a 交办日期, which the preview points out.
    assert!(preview.problems.iter().all(|p| p.column == "交办日期" && !p.blocks), "{:?}", preview.problems);
    assert_eq!(preview.rows[0].title, "关于建设老年人日间照料中心的提案");
    assert_eq!(preview.rows[0].category, "医疗卫生");
    Ok(())
}

#[test]
fn duplicates_and_unknown_units_are_listed_and_handled_as_chosen() -> TestResult {
    let mut f = fixture();
    f.db.create_item(&item_input(f.suggestions_2025, "1", "关于A的建议", f.fagai))?;
    let csv = "编号,标题,领衔人,主办单位\n1,关于A的建议（新）,美志高,县发改委\n2,关于B的建议,乔次仁,县文旅局\n2,关于C的建议,乔次仁,县发改委\n";
    let preview = f.db.preview_import(csv.as_bytes(), "清单.csv", &options(&f))?;
    assert_eq!(preview.unknown_units, ["县文旅局"]);
    let actions: Vec<&str> = preview.rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["跳过", "有误", "有误"]);
    assert!(preview.problems.iter().any(|p| p.row == 3 && p.message.contains("不在承办单位名录中")));
    assert!(preview.problems.iter().any(|p| p.row == 4 && p.message.contains("与第 3 行重复")));

    let csv = csv.replace("2,关于C的建议", "3,关于C的建议");
    let choose = ImportOptions { update_duplicates: true, create_units: true, ..options(&f) };
    let done = f.db.import_items(csv.as_bytes(), "清单.csv", &choose)?;
    assert_eq!(done.rows.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(), ["更新", "新增", "新增"]);
    assert!(f.db.list_units()?.iter().any(|u| u.name == "县文旅局"), "the unknown unit was created");
    assert!(f.db.list_items(&ItemQuery::default())?.iter().any(|i| i.title == "关于A的建议（新）"));
    Ok(())
}

#[test]
fn broken_files_are_refused_with_a_clear_reason_and_change_nothing() -> TestResult {
    let mut f = fixture();
    let good = messy_xlsx();
    for (bytes, name) in [
        (b"this is not a spreadsheet".to_vec(), "清单.xlsx"),
        (good[..good.len() / 2].to_vec(), "截断.xlsx"),
        (vec![0xff, 0xfe, 0x00, 0x81, 0x20], "乱码.csv"),
        (b"a,b\n1,2\n".to_vec(), "无表头.csv"),
    ] {
        let result = f.db.import_items(&bytes, name, &options(&f));
        let Err(Error::Invalid(errors)) = result else { panic!("{name}: expected a refusal, got {result:?}") };
        assert!(errors[0].message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{name}: {}", errors[0].message);
    }
    assert!(f.db.list_items(&ItemQuery::default())?.is_empty());
    assert_eq!(f.db.list_units()?.len(), 3);
    Ok(())
}

#[test]
fn the_blank_template_has_the_standard_headers_and_imports_back() -> TestResult {
    use calamine::Reader;
    let bytes = template_workbook()?;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone()))?;
    let sheet = book.worksheet_range("交办清单")?;
    let headers: Vec<String> = (0..ledger_core::import::columns::TEMPLATE_HEADERS.len() as u32).map(|c| sheet.get_value((2, c)).map(|v| v.to_string()).unwrap_or_default()).collect();
    assert_eq!(headers, ledger_core::import::columns::TEMPLATE_HEADERS);
    let mut f = fixture();
    let preview = f.db.preview_import(&bytes, "模板.xlsx", &options(&f))?;
    assert!(preview.columns.iter().all(|c| c.field.is_some()), "every template header is recognised");
    assert!(preview.rows.is_empty());
    Ok(())
}

/// A list whose only 交办日期 is in its title row: no date column at all.
fn list_dated_in_the_title(title: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.merge_range(0, 0, 0, 3, title, &Format::new()).unwrap();
    for (c, h) in ["编号", "标题", "领衔人", "主办单位"].iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    for (r, (number, subject)) in [("001", "城区停车难问题"), ("002", "冬季供暖保障")].iter().enumerate() {
        let r = 2 + r as u32;
        sheet.write_string(r, 0, *number).unwrap();
        sheet.write_string(r, 1, format!("关于解决{subject}的建议")).unwrap();
        sheet.write_string(r, 2, "王建华").unwrap();
        sheet.write_string(r, 3, "精河县发展和改革委员会").unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn the_date_above_the_header_is_every_rows_assignment_date_unless_the_clerk_sets_another() -> TestResult {
    let mut f = fixture();
    let dated = list_dated_in_the_title("精河县2025年州人大代表建议交办清单（2025年3月17日交办）");
    let preview = f.db.preview_import(&dated, "清单.xlsx", &options(&f))?;
    assert_eq!((preview.list_date.as_str(), preview.default_date.as_str()), ("2025-03-17", "2025-03-17"));
    assert!(preview.rows.iter().all(|r| r.assigned_on == "2025年3月17日"), "{:?}", preview.rows);
    assert_eq!(preview.problems, vec![], "every row has its date");

    // The clerk's own date for the list wins over the title's.
    let chosen = ImportOptions { assigned_on: "2025年3月20日".into(), ..options(&f) };
    let preview = f.db.preview_import(&dated, "清单.xlsx", &chosen)?;
    assert_eq!((preview.list_date.as_str(), preview.default_date.as_str()), ("2025-03-17", "2025-03-20"));
    f.db.import_items(&dated, "清单.xlsx", &chosen)?;
    let items = f.db.list_items(&ItemQuery::default())?;
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i.assigned_on == NaiveDate::from_ymd_opt(2025, 3, 20)), "{items:?}");
    // So the deadlines are counted from it: 签收 within 3 working days.
    let work = f.db.item_workflow(items[0].id, NaiveDate::from_ymd_opt(2025, 3, 21).unwrap())?;
    assert!(work.due.iter().any(|d| d.due_on == NaiveDate::from_ymd_opt(2025, 3, 25)), "{:?}", work.due);

    // A date the clerk typed wrong is refused by name, and nothing is read as that date.
    let wrong = ImportOptions { assigned_on: "3月20日".into(), ..options(&f) };
    assert_eq!(invalid_fields(f.db.preview_import(&dated, "清单.xlsx", &wrong)), ["assigned_on"]);
    Ok(())
}

#[test]
fn rows_that_would_have_no_assignment_date_are_pointed_out_before_import() -> TestResult {
    let mut f = fixture();
    let undated = list_dated_in_the_title("精河县2025年州人大代表建议交办清单");
    let preview = f.db.preview_import(&undated, "清单.xlsx", &options(&f))?;
    assert_eq!((preview.list_date.as_str(), preview.default_date.as_str()), ("", ""));
    assert_eq!(preview.problems.len(), 1, "{:?}", preview.problems);
    let warning = &preview.problems[0];
    assert_eq!((warning.column.as_str(), warning.blocks), ("交办日期", false));
    assert!(warning.message.starts_with("第 3 行、第 4 行没有交办日期"), "{}", warning.message);
    assert!(preview.rows.iter().all(|r| r.action == "新增"), "a warning, not a stop");
    Ok(())
}

#[test]
fn proposers_are_read_as_written_and_a_count_never_becomes_a_person() -> TestResult {
    let mut f = fixture();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["编号", "标题", "领衔代表", "附议人", "附议人数", "主办单位"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    // (领衔 cell, 附议人 cell, 附议人数 as text, as a number)
    let rows: [(&str, &str, Option<&str>, Option<f64>); 6] = [
        ("周建国等7人", "", None, None),
        ("张宝成、吕方方", "", None, None),
        ("妇联界和王爱新", "", None, None),
        ("李燕芹", "", None, Some(6.0)),
        ("马如国", "6", None, None),
        ("田鸿", "王丽 陈刚", Some("２人"), None),
    ];
    for (r, (lead, cosigners, count_text, count_number)) in rows.iter().enumerate() {
        let r = 1 + r as u32;
        sheet.write_string(r, 0, (r + 10).to_string()).unwrap();
        sheet.write_string(r, 1, format!("关于第{r}件事的建议")).unwrap();
        sheet.write_string(r, 2, *lead).unwrap();
        sheet.write_string(r, 3, *cosigners).unwrap();
        if let Some(text) = count_text {
            sheet.write_string(r, 4, *text).unwrap();
        }
        if let Some(n) = count_number {
            sheet.write_number(r, 4, *n).unwrap();
        }
        sheet.write_string(r, 5, "精河县发展和改革委员会").unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let preview = f.db.preview_import(&bytes, "清单.xlsx", &ImportOptions { assigned_on: "2025-03-17".into(), ..options(&f) })?;
    let labels: Vec<&str> = preview.rows.iter().map(|r| r.proposers.as_str()).collect();
    assert_eq!(labels, ["周建国等7人", "张宝成等2人", "妇联界等2人", "李燕芹等7人", "马如国等7人", "田鸿等3人"]);
    f.db.import_items(&bytes, "清单.xlsx", &ImportOptions { assigned_on: "2025-03-17".into(), ..options(&f) })?;
    let items = f.db.list_items(&ItemQuery::default())?;
    let names = |n: usize| f.db.get_item(items[n].id).map(|i| i.proposers.iter().map(|p| (p.name.clone(), p.is_collective)).collect::<Vec<_>>());
    assert_eq!(names(1)?, [("张宝成".to_string(), false), ("吕方方".to_string(), false)]);
    assert_eq!(names(2)?, [("妇联界".to_string(), true), ("王爱新".to_string(), false)]);
    assert_eq!(names(4)?, [("马如国".to_string(), false)], "the 6 in 附议人 is a count, not a person");
    assert_eq!(names(5)?, [("田鸿".to_string(), false), ("王丽".to_string(), false), ("陈刚".to_string(), false)]);
    // And the figures follow: one list with a collective lead, the rest signed jointly.
    let stats = f.db.statistics(&ledger_core::queries::reports::TableQuery { year: 2025, ..Default::default() }, Default::default(), NaiveDate::from_ymd_opt(2025, 4, 1).unwrap())?;
    let parts: Vec<(String, u64)> = stats.proposers.parts.iter().map(|p| (p.label.clone(), p.count)).collect();
    assert_eq!(parts, [("个人".to_string(), 0), ("联名".to_string(), 5), ("集体".to_string(), 1)]);
    Ok(())
}

#[test]
fn a_list_that_writes_a_number_otherwise_matches_the_item_and_keeps_its_number() -> TestResult {
    let mut f = fixture();
    let id = f.db.create_item(&item_input(f.suggestions_2025, "001", "关于第一件事的建议", f.fagai))?;
    // The list has 1 (a number stored as a number) for 001, and 2 twice, as 2 and 002.
    let csv = "编号,标题,领衔人,主办单位,交办日期\n1,关于第一件事的建议（修改后）,王建华,精河县发展和改革委员会,2025-03-17\n\
               2,关于第二件事的建议,王建华,精河县发展和改革委员会,2025-03-17\n002,关于第三件事的建议,李秀英,精河县发展和改革委员会,2025-03-17\n";
    let preview = f.db.preview_import(csv.as_bytes(), "清单.csv", &options(&f))?;
    let actions: Vec<&str> = preview.rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["跳过", "新增", "有误"]);
    assert!(preview.problems.iter().any(|p| p.row == 4 && p.message.contains("与第 3 行重复")), "{:?}", preview.problems);

    let fixed = csv.replace("002,关于第三件事", "003,关于第三件事");
    f.db.import_items(fixed.as_bytes(), "清单.csv", &ImportOptions { update_duplicates: true, ..options(&f) })?;
    let item = f.db.get_item(id)?;
    assert_eq!((item.number.as_str(), item.title.as_str()), ("001", "关于第一件事的建议（修改后）"), "updated, its number as registered");
    assert_eq!(f.db.list_items(&ItemQuery::default())?.len(), 3);
    Ok(())
}

#[test]
fn numbers_keep_the_lists_zeros_even_where_a_cell_lost_them() -> TestResult {
    let mut f = fixture();
    // Excel turned 001 into the number 1; 002 was kept as text.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["编号", "标题", "领衔人", "主办单位", "交办日期"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_number(1, 0, 1.0).unwrap();
    sheet.write_string(2, 0, "002").unwrap();
    for r in 1..=2u32 {
        sheet.write_string(r, 1, format!("关于第{r}件事的建议")).unwrap();
        sheet.write_string(r, 2, "王建华").unwrap();
        sheet.write_string(r, 3, "精河县发展和改革委员会").unwrap();
        sheet.write_string(r, 4, "2025-03-17").unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let preview = f.db.preview_import(&bytes, "清单.xlsx", &options(&f))?;
    assert_eq!(preview.rows.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(), ["001", "002"]);
    f.db.import_items(&bytes, "清单.xlsx", &options(&f))?;
    // And what the clerk types later in that session takes its style.
    let id = f.db.create_item(&item_input(f.suggestions_2025, "3", "关于第三件事的建议", f.fagai))?;
    assert_eq!(f.db.get_item(id)?.number, "003");
    let mut numbers: Vec<String> = f.db.list_items(&ItemQuery::default())?.into_iter().map(|i| i.number).collect();
    numbers.sort();
    assert_eq!(numbers, ["001", "002", "003"]);
    Ok(())
}

/// A clerk's own ledger keeps a 类型 column (州人大建议 / 县政协提案) beside the real 类别: the
/// 类型 column is the stream, never the category; a row of another stream than the session
/// chosen is not filed there; two columns for one field are named, the first taken.
#[test]
fn a_type_column_names_the_stream_and_the_category_comes_from_its_own_column() -> TestResult {
    let mut f = fixture();
    let categories = f.db.list_categories()?;
    let category = categories.iter().find(|c| c.kind == ledger_core::model::Kind::Suggestion).expect("a suggestion category").name.clone();
    let text = format!(
        "编号,类型,届次,标题,领衔人,类别,主办单位,交办日期,备注,说明\n\
         1,州人大建议,州十六届人大二次会议,关于改善乡村道路的建议,王建华,{category},县发改委,2025-03-17,,\n\
         2,县政协提案,政协精河县十一届五次会议,关于建设图书馆的提案,田鸿,{category},县教育局,2025-03-17,,\n\
         3,州人大建议,州十六届人大二次会议,关于增设公交线路的建议,李燕芹,{category},县发改委,2025-03-17,,\n"
    );
    let preview = f.db.preview_import(text.as_bytes(), "台账2025.csv", &options(&f))?;
    let field = |header: &str| preview.columns.iter().find(|c| c.header == header).and_then(|c| c.field).map(|f| f.as_str());
    assert_eq!((field("类型"), field("届次"), field("类别")), (Some("类型"), Some("届次"), Some("类别")));
    // Every row keeps its category; none is told its 类型 is an unknown category.
    assert!(preview.rows.iter().all(|r| r.category == category), "{:?}", preview.rows);
    assert!(!preview.problems.iter().any(|p| p.message.contains("不在本类别清单中")), "{:?}", preview.problems);
    // The 政协 row is not filed under a 人大 session.
    let actions: Vec<&str> = preview.rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["新增", "有误", "新增"]);
    let wrong = preview.problems.iter().find(|p| p.row == 3 && p.column == "类型").expect("the stream's problem");
    assert!(wrong.blocks && wrong.message.contains("县政协提案") && wrong.message.contains("州人大建议"), "{}", wrong.message);
    // 备注 and 说明 both name the note: the first is taken, and the preview says so.
    assert_eq!((field("备注"), field("说明")), (Some("备注"), None));
    assert!(preview.problems.iter().any(|p| p.column == "表头" && !p.blocks && p.message.contains("“备注”列和“说明”列")), "{:?}", preview.problems);
    // A stream's words in a real category column are no category to add.
    let stray = text.replacen(&format!("关于改善乡村道路的建议,王建华,{category}"), "关于改善乡村道路的建议,王建华,州人大建议", 1);
    let preview = f.db.preview_import(stray.as_bytes(), "台账2025.csv", &options(&f))?;
    let said = preview.problems.iter().find(|p| p.row == 2 && p.column == "类别").expect("the stray word is said");
    assert!(said.message.contains("是件的类型，不是类别") && !said.message.contains("添加"), "{}", said.message);
    // The clerk may take the other: her choice stands, the first is left out.
    let mut chosen = options(&f);
    chosen.mapping.insert(9, "备注".into());
    let switched = f.db.preview_import(text.as_bytes(), "台账2025.csv", &chosen)?;
    let field = |header: &str| switched.columns.iter().find(|c| c.header == header).and_then(|c| c.field).map(|f| f.as_str());
    assert_eq!((field("备注"), field("说明")), (None, Some("备注")));
    Ok(())
}

/// A 交办清单 sent as a table in a Word document: the title and date above the table, a
/// merged title row, the header, a 主办单位 merged down two rows, and the table continued
/// after a page break under its header again.
fn word_list() -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow, VMergeType};
    let p = |text: &str| Paragraph::new().add_run(Run::new().add_text(text));
    let cell = |text: &str| TableCell::new().add_paragraph(p(text));
    let header = || TableRow::new(["编号", "标题", "领衔人", "主办单位"].map(cell).to_vec());
    let first = Table::new(vec![
        TableRow::new(vec![cell("（共3件）").grid_span(4)]),
        header(),
        TableRow::new(vec![cell("1"), cell("关于改善乡村道路的建议"), cell("王建华"), cell("县发改委").vertical_merge(VMergeType::Restart)]),
        TableRow::new(vec![cell("2"), cell("关于增设公交线路的建议"), cell("李燕芹"), TableCell::new().vertical_merge(VMergeType::Continue)]),
    ]);
    let second = Table::new(vec![header(), TableRow::new(vec![cell("3"), cell("关于建设社区图书馆的建议"), cell("乔次仁"), cell("县教育局")])]);
    let doc = Docx::new()
        .add_paragraph(p("州十六届人大二次会议代表建议交办清单"))
        .add_paragraph(p("交办日期：2025年3月17日"))
        .add_table(first)
        .add_paragraph(Paragraph::new().add_run(Run::new().add_break(docx_rs::BreakType::Page)))
        .add_table(second);
    let mut bytes = Vec::new();
    doc.build().pack(std::io::Cursor::new(&mut bytes)).unwrap();
    bytes
}

#[test]
fn a_list_in_a_word_table_is_read_like_a_sheet_and_an_old_doc_is_refused() -> TestResult {
    let mut f = fixture();
    let bytes = word_list();
    let preview = f.db.preview_import(&bytes, "交办清单.docx", &options(&f))?;
    assert_eq!(preview.header_row, 4, "the two lines and the merged row above the header");
    assert_eq!(preview.list_date, "2025-03-17");
    assert_eq!(preview.problems, vec![], "{:?}", preview.problems);
    let rows: Vec<(&str, &str, &str)> = preview.rows.iter().map(|r| (r.number.as_str(), r.lead_unit.as_str(), r.action.as_str())).collect();
    assert_eq!(rows, [("1", "县发改委", "新增"), ("2", "县发改委", "新增"), ("3", "县教育局", "新增")]);
    f.db.import_items(&bytes, "交办清单.docx", &options(&f))?;
    assert_eq!(f.db.list_items(&ItemQuery::default())?.len(), 3);

    // An old .doc (a compound file with a WordDocument stream) is refused, saying what to do.
    let mut doc = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new()))?;
    std::io::Write::write_all(&mut doc.create_stream("/WordDocument")?, b"old")?;
    let old = doc.into_inner().into_inner();
    let message = message_for(f.db.preview_import(&old, "交办清单.doc", &options(&f)), "file");
    assert!(message.contains(".doc") && message.contains("另存为 .docx 或 .xlsx"), "{message}");
    assert_eq!(f.db.list_items(&ItemQuery::default())?.len(), 3, "nothing written");
    Ok(())
}

/// An earlier year's ledger as clerks keep it: 面商方式 without a date, results in words,
/// and a 回头看情况 column that says when a B item was found solved.
#[test]
fn meetings_without_a_day_count_and_a_lookback_column_converts_b_items_solved() -> TestResult {
    let mut f = fixture();
    let text = "编号,标题,领衔人,主办单位,交办日期,面商方式,答复日期,办理结果,满意度,回头看情况\n\
        1,关于改善乡村道路的建议,王建华,县发改委,2024-03-17,走访,2024-05-20,已经解决,满意,\n\
        2,关于增设公交线路的建议,李燕芹,县发改委,2024-03-17,电话,2024-05-21,列入计划,基本满意,2025年3月5日回头看：已解决\n\
        3,关于建设社区图书馆的建议,乔次仁,县教育局,2024-03-17,,2024-05-22,列入计划,满意,2025年3月6日回头看：正在推进\n";
    let options = ImportOptions { session_id: Some(f.suggestions_2024), ..Default::default() };
    let preview = f.db.preview_import(text.as_bytes(), "2024年台账.csv", &options)?;
    assert!(preview.problems.iter().all(|p| !p.blocks), "{:?}", preview.problems);
    let words: Vec<(&str, bool)> = preview.lookback_words.iter().map(|w| (w.word.as_str(), w.solved)).collect();
    assert_eq!(words, [("已解决", true), ("正在推进", false)]);
    assert_eq!(preview.rows[1].results, "面商、B类、基本满意、回头看（已解决，转A类）");
    f.db.import_items(text.as_bytes(), "2024年台账.csv", &options)?;

    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let year = ledger_core::queries::reports::TableQuery { year: 2024, ..Default::default() };
    let stats = f.db.statistics(&year, ledger_core::stats::SatisfactionDefinition::default(), today)?;
    assert_eq!((stats.meetings.numerator, stats.meetings.denominator), (2, 3), "the two meetings without a day count");
    let items = f.db.list_items(&ItemQuery::default())?;
    let first = items.iter().find(|i| i.number == "1").unwrap().id;
    let detail = f.db.get_item(first)?;
    let meeting = detail.events.iter().find(|e| e.step == "面商").expect("the meeting");
    assert_eq!((meeting.happened_on.to_string().as_str(), meeting.note.as_str()), ("2024-05-20", ledger_core::result_words::UNDATED_MEETING));
    // Item 2 was found solved in 2025 (B → A); item 3 is still followed.
    let carried = f.db.carried_b_items(today, 0)?;
    assert_eq!((carried.total, carried.following), (2, 1));
    let still: Vec<&str> = carried.rows.iter().filter(|r| r.solved_on.is_none()).map(|r| r.number.as_str()).collect();
    assert_eq!(still, ["3"]);
    assert_eq!(carried.rows.iter().find(|r| r.number == "2").and_then(|r| r.solved_on), NaiveDate::from_ymd_opt(2025, 3, 5));

    // The clerk may say a phrase means otherwise: nothing found solved, both still followed.
    let mut f = fixture();
    let mut options = ImportOptions { session_id: Some(f.suggestions_2024), ..Default::default() };
    options.lookback_words.insert("已解决".into(), false);
    f.db.import_items(text.as_bytes(), "2024年台账.csv", &options)?;
    assert_eq!(f.db.carried_b_items(today, 0)?.following, 2);
    Ok(())
}

#[test]
fn a_clerks_ledger_of_four_years_and_two_streams_comes_in_whole() -> TestResult {
    let mut f = fixture();
    let categories = f.db.list_categories()?;
    let category = |kind| categories.iter().find(|c| c.kind == kind).expect("a category").name.clone();
    let (suggestion_category, proposal_category) = (category(Kind::Suggestion), category(Kind::Proposal));
    let ledger = ledger_core::demo::earlier_years_workbook(&suggestion_category, &proposal_category)?;
    let (bytes, counts, still_b) = (ledger.bytes, ledger.counts, ledger.still_b);
    let options = ImportOptions { session_id: None, create_units: true, ..Default::default() };
    let preview = f.db.preview_import(&bytes, "往年台账.xlsx", &options)?;
    let sheets: Vec<(&str, Option<i32>, usize)> = preview.sheets.iter().map(|s| (s.name.as_str(), s.year, s.rows)).collect();
    let names: Vec<String> = counts.iter().map(|(y, ..)| format!("{y}年")).collect();
    assert_eq!(sheets, counts.iter().zip(&names).map(|((y, s, p), name)| (name.as_str(), Some(*y), s + p)).collect::<Vec<_>>());
    assert!(preview.problems.iter().all(|p| !p.blocks), "{:?}", preview.problems.iter().filter(|p| p.blocks).take(3).collect::<Vec<_>>());
    // Seven sessions are new (2024's 州人大 session is the ledger's own), and must be agreed to.
    assert_eq!(preview.new_sessions.len(), 7, "{:?}", preview.new_sessions);
    let refused = message_for(f.db.import_items(&bytes, "往年台账.xlsx", &options), "file");
    assert!(refused.contains("添加这些届次"), "{refused}");

    let options = ImportOptions { create_sessions: true, ..options };
    f.db.import_items(&bytes, "往年台账.xlsx", &options)?;
    let items = f.db.list_items(&ItemQuery::default())?;
    for (year, suggestions, proposals) in &counts {
        let of = |kind: Kind| items.iter().filter(|i| i.year == *year && i.kind == kind && i.level == Level::Prefecture).count();
        assert_eq!((of(Kind::Suggestion), of(Kind::Proposal)), (*suggestions, *proposals), "{year}");
    }
    // Every category kept; every item met (面商 without a date, on the reply's day).
    assert!(items.iter().all(|i| i.category.is_some()), "categories kept");
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    for (year, s, p) in &counts {
        let stats = f.db.statistics(&ledger_core::queries::reports::TableQuery { year: *year, ..Default::default() }, ledger_core::stats::SatisfactionDefinition::default(), today)?;
        assert_eq!((stats.meetings.numerator, stats.meetings.denominator), ((s + p) as u64, (s + p) as u64), "{year}");
    }
    // The B items still followed are the file's own count.
    assert_eq!(f.db.carried_b_items(today, 0)?.following, still_b);
    Ok(())
}
