//! What a returned 反馈表 may write, each case as a unit's file brought it: an assisting
//! unit typing into the lead unit's cells, a file picked twice or renamed, two exports of
//! one unit, a file edited to name another unit's export, the program's own file sent back
//! untouched, a formula, control characters, doubtful dates, notes, and a rejected reply.
//! The unit's spreadsheet program is played by reading the file with calamine and saving it
//! again with rust_xlsxwriter, with the cells the unit typed: what any reader then sees.

use super::*;
use super::unit_exchange::three_items;
use calamine::{Data, Reader};
use chrono::NaiveDate;
use ledger_core::unit_exchange::{ReturnedFile, TakeBack, TakeBackOptions};
use ledger_core::output::feedback_sheet::{IDENTITY_SHEET, SHEET};
use ledger_core::workflow::StepInput;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 4, 15).unwrap()
}

/// The day the files come back.
fn back() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 4, 30).unwrap()
}

/// What a unit types into a cell.
#[derive(Clone)]
enum Typed {
    Text(&'static str),
    /// A number, as a date typed in a date cell is stored (or a number that is no date).
    Number(f64),
    /// A formula, saved without a value reckoned (as a program that does not reckon saves it).
    Formula(&'static str),
}

/// The file `bytes` as a unit's program saves it after the unit typed `typed` (编号, header,
/// value) into the table and `identity` (label, value) into the hidden identity sheet.
fn typed_into(bytes: &[u8], typed: &[(&str, &str, Typed)], identity: &[(&str, &str)]) -> Vec<u8> {
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut grid: Vec<Vec<Typed>> = Vec::new();
        let mut texts: Vec<Vec<String>> = Vec::new();
        for (r, row) in range.rows().enumerate() {
            let at = top as usize + r;
            grid.resize(at + 1, Vec::new());
            texts.resize(at + 1, Vec::new());
            for (c, value) in row.iter().enumerate() {
                let col = left as usize + c;
                let (cell, text) = match value {
                    Data::Float(n) => (Typed::Number(*n), n.to_string()),
                    Data::Int(n) => (Typed::Number(*n as f64), n.to_string()),
                    Data::DateTime(d) => (Typed::Number(d.as_f64()), d.as_f64().to_string()),
                    other => {
                        let text = other.to_string();
                        (Typed::Text(Box::leak(text.clone().into_boxed_str())), text)
                    }
                };
                grid[at].resize(col + 1, Typed::Text(""));
                texts[at].resize(col + 1, String::new());
                grid[at][col] = cell;
                texts[at][col] = text;
            }
        }
        if name == SHEET {
            let header = texts.iter().position(|r| r.iter().any(|c| c == "签收日期")).unwrap();
            let column = |h: &str| texts[header].iter().position(|c| c == h).unwrap_or_else(|| panic!("no column {h}"));
            for (number, head, value) in typed {
                let row = texts.iter().position(|r| r.get(column("编号")).map(String::as_str) == Some(*number)).unwrap_or_else(|| panic!("no row {number}"));
                let col = column(head);
                let width = grid[row].len().max(col + 1);
                grid[row].resize(width, Typed::Text(""));
                grid[row][col] = value.clone();
            }
        }
        if name == IDENTITY_SHEET {
            for (label, value) in identity {
                let row = texts.iter().position(|r| r.first().map(String::as_str) == Some(*label)).unwrap();
                grid[row][1] = Typed::Text(Box::leak(value.to_string().into_boxed_str()));
            }
        }
        let ws = out.add_worksheet();
        ws.set_name(&name).unwrap();
        for (r, row) in grid.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Typed::Text("") => {}
                    Typed::Text(text) => { ws.write_string(r, c, *text).unwrap(); }
                    Typed::Number(n) => { ws.write_number(r, c, *n).unwrap(); }
                    Typed::Formula(f) => { ws.write_formula(r, c, rust_xlsxwriter::Formula::new(*f).set_result("")).unwrap(); }
                }
            }
        }
    }
    without_reckoned_values(&out.save_to_buffer().unwrap())
}

/// The workbook with its formulas' values taken out, as a program that does not reckon
/// them saves it (rust_xlsxwriter writes 0).
fn without_reckoned_values(bytes: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let mut text = Vec::new();
        part.read_to_end(&mut text).unwrap();
        let name = part.name().unwrap().to_string();
        if name.starts_with("xl/worksheets/") {
            text = String::from_utf8(text).unwrap().replace("</f><v>0</v>", "</f>").into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A unit's 反馈表 made on `day`, as bytes.
fn export(db: &mut Db, unit: i64, day: NaiveDate) -> Vec<u8> {
    let mut made = Vec::new();
    db.feedback_file(unit, day, &mut |(bytes, _)| {
        made = bytes.clone();
        Ok(())
    }).unwrap();
    made
}

fn file(bytes: &[u8], name: &str) -> ReturnedFile {
    ReturnedFile::read(bytes, name)
}

fn check(f: &Fixture, files: &[ReturnedFile], accepted: &[String]) -> TakeBack {
    f.db.check_returned(files, &TakeBackOptions { accepted: accepted.to_vec() }, back()).unwrap()
}

fn steps_of(f: &Fixture, item: i64) -> Vec<(String, String, String)> {
    f.db.get_item(item).unwrap().events.iter().filter(|e| !e.voided)
        .map(|e| (e.step.clone(), e.happened_on.to_string(), e.unit_name.clone().unwrap_or_default())).collect()
}

fn said(take: &TakeBack) -> Vec<String> {
    take.preview.problems.iter().map(|p| format!("{:?} {} {}", p.row, p.column, p.message)).collect()
}

#[test]
fn an_assisting_unit_that_types_into_the_lead_units_cells_records_only_its_own_opinion() -> TestResult {
    let mut f = fixture();
    let [first, ..] = three_items(&mut f);
    let sent = export(&mut f.db, f.jiaoyu, today());
    let typed = typed_into(&sent, &[
        ("001", "协办意见日期", Typed::Text("2025-04-08")),
        ("001", "面商日期", Typed::Text("2025-04-02")),
        ("001", "答复日期", Typed::Text("2025-04-18")),
        ("001", "答复文号", Typed::Text("精发改函〔2025〕12号")),
        ("001", "办理结果", Typed::Text("A")),
        ("001", "沟通方式", Typed::Text("面商")),
        ("001", "对办理工作的评价", Typed::Text("满意")),
    ], &[]);
    let take = check(&f, &[file(&typed, "教育局.xlsx")], &[]);
    let problems = said(&take);
    for column in ["面商日期", "答复日期", "答复文号", "办理结果", "沟通方式", "对办理工作的评价"] {
        assert!(problems.iter().any(|p| p.starts_with("Some(7) ") && p.contains(column) && p.contains("不由本单位填写")), "{column}: {problems:?}");
    }
    assert_eq!(take.preview.steps, 1, "the 协办意见 alone: {:?}", take.preview.files);
    f.db.take_back(&[file(&typed, "教育局.xlsx")], &TakeBackOptions::default(), back())?;
    assert_eq!(steps_of(&f, first), [("协办意见".to_string(), "2025-04-08".to_string(), "精河县教育局".to_string())]);
    Ok(())
}

#[test]
fn a_file_picked_twice_or_renamed_records_once_and_two_exports_that_differ_are_asked() -> TestResult {
    let mut f = fixture();
    let [first, second, _] = three_items(&mut f);
    let sent = export(&mut f.db, f.fagai, today());
    let typed = typed_into(&sent, &[("002", "签收日期", Typed::Text("2025-03-19"))], &[]);
    let take = check(&f, &[file(&typed, "发改委.xlsx"), file(&typed, "发改委.xlsx"), file(&typed, "发改委（副本）.xlsx")], &[]);
    assert_eq!((take.preview.steps, take.preview.already), (1, 2), "{:?}", take.preview);
    assert_eq!(said(&take), Vec::<String>::new());
    f.db.take_back(&[file(&typed, "发改委.xlsx"), file(&typed, "发改委（副本）.xlsx")], &TakeBackOptions::default(), back())?;
    assert_eq!(steps_of(&f, second).len(), 1, "one 签收");

    // Two exports of the unit, a day apart, each filled in with another day.
    let older = typed_into(&export(&mut f.db, f.fagai, today()), &[("001", "签收日期", Typed::Text("2025-03-18"))], &[]);
    let newer = typed_into(&export(&mut f.db, f.fagai, today().succ_opt().unwrap()), &[("001", "签收日期", Typed::Text("2025-03-20"))], &[]);
    let both = [file(&older, "旧.xlsx"), file(&newer, "新.xlsx")];
    let take = check(&f, &both, &[]);
    let question = &take.preview.files[1].rows[0].conflicts[0];
    assert!(question.question.contains("“旧.xlsx”中为 2025年3月18日") && question.question.contains("2025年3月20日"), "{question:?}");
    assert_eq!(take.preview.steps, 1);
    let accepted = check(&f, &both, &[question.key.clone()]);
    assert_eq!(accepted.preview.steps, 1, "the newer in place of the older, not both");
    f.db.take_back(&both, &TakeBackOptions { accepted: vec![question.key.clone()] }, back())?;
    assert_eq!(steps_of(&f, first), [("签收".to_string(), "2025-03-20".to_string(), "精河县发展和改革委员会".to_string())]);
    Ok(())
}

#[test]
fn a_units_file_edited_to_name_another_units_export_is_refused_whole() -> TestResult {
    let mut f = fixture();
    let [first, ..] = three_items(&mut f);
    let own = export(&mut f.db, f.fagai, today());
    export(&mut f.db, f.jiaoyu, today());
    let theirs = f.db.latest_export(f.jiaoyu)?.unwrap().0.to_string();
    // 县发改委's file, its identity pointed at 县教育局's export, its role on 001 changed to match.
    let forged = typed_into(&own, &[("001", "本单位角色", Typed::Text("协办")), ("001", "协办意见日期", Typed::Text("2025-04-08"))], &[("导出编号", &theirs)]);
    let take = check(&f, &[file(&forged, "拼凑.xlsx")], &[]);
    assert_eq!(take.preview.steps, 0);
    assert!(take.preview.problems.iter().any(|p| p.row.is_none() && p.message.contains("表的标识与台账中这次导出") && p.message.contains("精河县教育局")), "{:?}", said(&take));
    f.db.take_back(&[file(&forged, "拼凑.xlsx")], &TakeBackOptions::default(), back())?;
    assert!(steps_of(&f, first).is_empty());
    Ok(())
}

#[test]
fn the_programs_own_file_sent_back_untouched_reports_nothing_at_all() -> TestResult {
    let mut f = fixture();
    let [first, second, _] = three_items(&mut f);
    let step = |step: &str, day: &str| StepInput { step: step.into(), happened_on: day.into(), unit_id: Some(f.fagai), ..Default::default() };
    f.db.record_step(first, &step("签收", "2025-03-18"))?;
    f.db.record_step(first, &StepInput { method: "走访".into(), ..step("面商", "2025-04-02") })?;
    f.db.record_step(second, &step("签收", "2025-03-19"))?;
    let sent = export(&mut f.db, f.fagai, today());
    for (name, bytes) in [("原样.xlsx", sent.clone()), ("另存.xlsx", typed_into(&sent, &[], &[]))] {
        let take = check(&f, &[file(&bytes, name)], &[]);
        assert_eq!(said(&take), Vec::<String>::new(), "{name}: the recorded cells (已签收, 已面商) and the '—' cells are no problem");
        assert_eq!(take.preview.steps, 0);
        assert!(take.preview.files[0].rows.is_empty(), "{name}");
    }
    Ok(())
}

#[test]
fn a_formula_an_unreadable_date_cell_and_control_characters_are_each_said() -> TestResult {
    let mut f = fixture();
    let [first, second, _] = three_items(&mut f);
    let sent = export(&mut f.db, f.fagai, today());
    let typed = typed_into(&sent, &[
        ("001", "答复日期", Typed::Text("2025-04-18")),
        ("001", "答复文号", Typed::Formula("=CONCATENATE(\"精发改函\",\"〔2025〕12号\")")),
        ("001", "办理结果", Typed::Text("A")),
        ("001", "签收日期", Typed::Number(300000.0)),
        ("002", "签收日期", Typed::Text("2025-03-19")),
        ("002", "备注", Typed::Text("已\u{1B}转\u{202E}交")),
    ], &[]);
    let take = check(&f, &[file(&typed, "公式.xlsx")], &[]);
    let problems = said(&take);
    assert!(problems.iter().any(|p| p.contains("答复文号") && p.contains("公式") && p.contains("没有算出的值")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("答复日期") && p.contains("“答复文号”有问题")), "the reply is not taken without its 文号: {problems:?}");
    assert!(problems.iter().any(|p| p.contains("签收日期") && p.contains("“300000”不是日期")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("备注") && p.contains("控制字符")), "{problems:?}");
    f.db.take_back(&[file(&typed, "公式.xlsx")], &TakeBackOptions::default(), back())?;
    assert!(steps_of(&f, first).is_empty(), "nothing of 001 was written");
    let events = f.db.get_item(second)?.events;
    assert_eq!(events[0].note, "单位备注：已转交", "cleaned as the import cleans");
    Ok(())
}

#[test]
fn dates_after_the_take_back_are_asked_and_notes_are_never_dropped() -> TestResult {
    let mut f = fixture();
    let [first, second, third] = three_items(&mut f);
    let sent = export(&mut f.db, f.fagai, today());
    f.db.record_step(second, &StepInput { step: "签收".into(), happened_on: "2025-03-19".into(), unit_id: Some(f.fagai), ..Default::default() })?;
    let typed = typed_into(&sent, &[
        ("001", "签收日期", Typed::Text("2099-01-01")),
        ("001", "面商日期", Typed::Text("12.31")),
        // 签收 as recorded since the export, and a note: it goes with the 面商 written.
        ("002", "签收日期", Typed::Text("2025-03-19")),
        ("002", "面商日期", Typed::Text("2025-04-03")),
        ("002", "备注", Typed::Text("代表不在家，电话面商")),
    ], &[]);
    let take = check(&f, &[file(&typed, "日期.xlsx")], &[]);
    let questions: Vec<_> = take.preview.files[0].rows.iter().flat_map(|r| r.conflicts.clone()).collect();
    assert_eq!(questions.len(), 2, "{questions:?}");
    assert!(questions.iter().any(|q| q.question.contains("2099年1月1日") && q.question.contains("晚于今天（2025年4月30日）")), "{questions:?}");
    assert!(questions.iter().any(|q| q.question.contains("2025年12月31日")), "12.31 read in the file's year, after the take-back: {questions:?}");
    assert_eq!(take.preview.steps, 1, "the 面商 of 002");
    let keys: Vec<String> = questions.iter().map(|q| q.key.clone()).collect();
    assert_eq!(check(&f, &[file(&typed, "日期.xlsx")], &keys).preview.steps, 3, "confirmed, they are taken");
    f.db.take_back(&[file(&typed, "日期.xlsx")], &TakeBackOptions::default(), back())?;
    assert!(steps_of(&f, first).is_empty());
    let met = f.db.get_item(second)?.events.into_iter().find(|e| e.step == "面商").unwrap();
    assert_eq!(met.note, "单位备注：代表不在家，电话面商");

    // A note on a row with nothing new is reported, once: taken back again, it is known.
    let _ = third;
    let again = typed_into(&export(&mut f.db, f.fagai, today()), &[("001", "备注", Typed::Text("下周再面商"))], &[]);
    let take = check(&f, &[file(&again, "只有备注.xlsx")], &[]);
    assert!(said(&take).iter().any(|p| p.contains("备注") && p.contains("下周再面商") && p.contains("没有登记")), "{:?}", said(&take));
    Ok(())
}

#[test]
fn a_reply_the_clerk_rejects_lends_no_date_to_the_opinion() -> TestResult {
    let mut f = fixture();
    let [_, second, _] = three_items(&mut f);
    let sent = export(&mut f.db, f.fagai, today());
    f.db.record_step(second, &StepInput { step: "正式答复".into(), happened_on: "2025-04-10".into(), unit_id: Some(f.fagai), doc_number: "精发改函〔2025〕9号".into(), class: "A".into(), ..Default::default() })?;
    let typed = typed_into(&sent, &[
        ("002", "答复日期", Typed::Text("2025-04-18")),
        ("002", "答复文号", Typed::Text("精发改函〔2025〕12号")),
        ("002", "办理结果", Typed::Text("B")),
        ("002", "沟通方式", Typed::Text("面商")),
        ("002", "对办理工作的评价", Typed::Text("满意")),
        ("002", "对办理结果的评价", Typed::Text("满意")),
    ], &[]);
    let take = check(&f, &[file(&typed, "答复.xlsx")], &[]);
    let row = &take.preview.files[0].rows[0];
    assert_eq!(row.conflicts.len(), 1, "{row:?}");
    assert!(row.records.iter().any(|r| r.starts_with("征求意见 2025年4月10日")), "the recorded reply's date: {row:?}");
    let accepted = check(&f, &[file(&typed, "答复.xlsx")], std::slice::from_ref(&row.conflicts[0].key));
    assert!(accepted.preview.files[0].rows[0].records.iter().any(|r| r.starts_with("征求意见 2025年4月18日")), "{:?}", accepted.preview.files);

    f.db.take_back(&[file(&typed, "答复.xlsx")], &TakeBackOptions::default(), back())?;
    let steps = steps_of(&f, second);
    assert!(steps.contains(&("正式答复".to_string(), "2025-04-10".to_string(), "精河县发展和改革委员会".to_string())), "{steps:?}");
    assert!(steps.iter().any(|(s, d, _)| s == "征求意见" && d == "2025-04-10"), "{steps:?}");
    assert!(!steps.iter().any(|(_, d, _)| d == "2025-04-18"), "nothing of the rejected reply: {steps:?}");
    Ok(())
}

#[test]
fn a_feedback_file_that_could_not_be_saved_leaves_no_export_behind() -> TestResult {
    let mut f = fixture();
    three_items(&mut f);
    let refused = f.db.feedback_file(f.fagai, today(), &mut |_| Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied)));
    let message = refused.expect_err("not saved").to_string();
    assert!(message.contains("没有保存成功"), "{message}");
    assert_eq!(f.db.latest_export(f.fagai)?, None, "no export recorded");
    let log = f.db.operation_log(&ledger_core::queries::log::LogQuery::default(), None)?;
    assert!(!log.iter().any(|e| e.action == "导出办理情况反馈表"), "nor logged");
    export(&mut f.db, f.fagai, today());
    assert!(f.db.latest_export(f.fagai)?.is_some(), "saved, it is recorded");
    Ok(())
}
