//! Earlier years taken in whole: last year's ledger with its results (in letters and in
//! words) recorded as 补录 steps dated as the file says, the year closed so its unrecorded
//! steps stop reminding, and this year's list on top: the board holds this year's work and
//! last year's B items due for 回头看.

use ledger_core::queries::items::ItemQuery;
use super::*;
use chrono::NaiveDate;
use ledger_core::import::preview::ImportOptions;
use ledger_core::queries::reports::TableQuery;
use ledger_core::stats::SatisfactionDefinition;
use ledger_core::model::BoardSection;

use rust_xlsxwriter::{Format, Workbook};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const LEDGER_HEADERS: [&str; 13] =
    ["建议号", "案由", "领衔代表", "主办单位", "协办单位", "交办日期", "面商日期", "面商方式", "答复日期", "答复文号", "办理结果", "满意度", "是否公开"];

/// Last year's ledger as a clerk keeps it: a merged title, results in words and letters, a
/// number Excel stored as a number, one item never answered.
pub fn ledger_2024() -> Vec<u8> {
    let rows: [[&str; 13]; 5] = [
        ["001", "关于加快实施布久乡孜热村升级改造项目的建议", "乔次仁", "县发改委", "", "2024-03-15", "2024-03-28", "走访", "2024-05-20", "精政函〔2024〕1号", "已经解决", "满意", "是"],
        ["002", "关于林芝县乡学校配备多媒体一体机电脑专业维修人员的建议", "美志高", "县教育局", "县发改委", "2024-03-15", "", "", "2024.5.22", "精政函〔2024〕2号", "列入计划", "基本满意", "否"],
        ["3", "关于加强和完善公共急救培训体系建设的建议", "图尔荪·艾尔肯", "工业园区", "", "2024-03-15", "2024-03-30", "电话", "2024年5月25日", "精政函〔2024〕3号", "B", "满意", "主动公开"],
        ["004", "关于建设老年人日间照料中心的建议", "田鸿", "县发改委", "", "2024-03-15", "", "", "2024-05-26", "精政函〔2024〕4号", "留作参考", "不满意", "否"],
        ["005", "关于完善新能源汽车充电设施的建议", "马如国", "县教育局", "", "2024-03-15", "", "", "", "", "", "", ""],
    ];
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.merge_range(0, 0, 0, 12, "2024年州人大代表建议办理台账", &Format::new()).unwrap();
    for (c, h) in LEDGER_HEADERS.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match (c, cell.parse::<f64>()) {
                (0, Ok(n)) if !cell.starts_with('0') => sheet.write_number(r as u32 + 2, 0, n).unwrap(),
                _ => sheet.write_string(r as u32 + 2, c as u16, *cell).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

fn suggestions(f: &Fixture, session: i64) -> ImportOptions {
    let _ = f;
    ImportOptions { session_id: Some(session), ..Default::default() }
}

#[test]
fn last_years_ledger_comes_in_with_its_results_and_closing_the_year_quiets_it() -> TestResult {
    let mut f = fixture();
    let today = d(2025, 10, 5);
    let bytes = ledger_2024();
    let preview = f.db.preview_import(&bytes, "2024年建议台账.xlsx", &suggestions(&f, f.suggestions_2024))?;
    assert_eq!(preview.problems.iter().filter(|p| p.blocks).count(), 0, "{:?}", preview.problems);
    let words: Vec<(&str, &str, usize)> = preview.outcome_words.iter().map(|w| (w.word.as_str(), w.class.as_str(), w.rows)).collect();
    assert_eq!(words, [("已经解决", "A", 1), ("列入计划", "B", 1), ("留作参考", "C", 1)], "the words are proposed a class for the clerk to confirm");
    assert_eq!(preview.rows.iter().map(|r| r.results.as_str()).collect::<Vec<_>>(),
        ["面商、A类、满意、主动公开", "B类、基本满意、不公开", "面商、B类、满意、主动公开", "C类、不满意、不公开", ""]);
    assert_eq!(preview.result_steps, 14);

    // The clerk takes 留作参考 for what her office calls it (C stays C) and 已经解决 as A: confirmed.
    let mut options = suggestions(&f, f.suggestions_2024);
    options.outcome_words.insert("留作参考".into(), "C".into());
    let done = f.db.import_items(&bytes, "2024年建议台账.xlsx", &options)?;
    assert_eq!(done.writable(), 5);

    let items = f.db.list_items(&ItemQuery { year: Some(2024), ..Default::default() })?;
    let by_number = |n: &str| items.iter().find(|i| i.number == n).unwrap_or_else(|| panic!("item {n}")).id;
    let first = f.db.get_item(by_number("001"))?;
    let recorded: Vec<(&str, NaiveDate, &str)> = first.events.iter().map(|e| (e.step.as_str(), e.happened_on, e.source.as_str())).collect();
    assert_eq!(recorded, [
        ("面商", d(2024, 3, 28), "补录：2024年建议台账.xlsx"),
        ("正式答复", d(2024, 5, 20), "补录：2024年建议台账.xlsx"),
        ("征求意见", d(2024, 5, 20), "补录：2024年建议台账.xlsx"),
        ("公开", d(2024, 5, 20), "补录：2024年建议台账.xlsx"),
    ], "the results are recorded as 补录, on the dates of the file");
    assert_eq!(first.events[1].summary, "A类，文号 精政函〔2024〕1号");
    assert_eq!(f.db.get_item(by_number("003"))?.number, "003", "the 3 Excel kept as a number takes the ledger's padding");
    let log = f.db.operation_log(&ledger_core::queries::log::LogQuery { item_id: Some(first.id), ..Default::default() }, None)?;
    assert!(log.iter().filter(|e| e.action == "补录办理环节").count() == 4
        && log.iter().any(|e| e.changes.iter().any(|c| c.field == "来源" && c.new == "补录：2024年建议台账.xlsx")), "{log:?}");

    // The figures of 2024 are the file's: A 1, B 2, C 1; 满意 2, 基本满意 1, 不满意 1.
    let year_2024 = TableQuery { year: 2024, ..Default::default() };
    let figures = f.db.statistics(&year_2024, SatisfactionDefinition::default(), today)?;
    let shares = |b: &ledger_core::stats::Breakdown| b.parts.iter().map(|p| (p.label.clone(), p.count)).collect::<Vec<_>>();
    assert_eq!(figures.total, 5);
    assert_eq!(shares(&figures.classes), [("A类".to_string(), 1), ("B类".to_string(), 2), ("C类".to_string(), 1)]);
    assert_eq!((figures.completion.numerator, figures.completion.denominator), (4, 5));
    assert_eq!((figures.satisfaction.numerator, figures.satisfaction.denominator), (3, 4));
    assert_eq!((figures.meetings.numerator, figures.meetings.denominator), (2, 5));
    assert_eq!(figures.published, 2);

    // Before closing, 2024 has no template of its own: nothing of it is overdue by 2025's dates,
    // but its steps are still waited for (and the task lists list them).
    let overdue_2024: Vec<String> = f.db.reminders(today)?.overdue.rows.iter().filter(|r| r.year == 2024).map(|r| r.due.label.clone()).collect();
    assert_eq!(overdue_2024, ["重新办理（第1次）"], "no 2025 dates applied to 2024; only the month a 不满意 opens is counted");
    let before = f.db.unit_tasks(f.fagai, today)?;
    assert!(!before.rows.is_empty());

    f.db.close_year(2024, today)?;
    assert!(matches!(f.db.close_year(2024, today), Err(ledger_core::Error::Invalid(_))), "closed once");
    let states = f.db.year_states(today)?;
    let state = states.iter().find(|s| s.year == 2024).unwrap();
    assert!(state.closed_at.is_some());
    assert_eq!((state.items, state.unanswered), (5, 1));
    assert_eq!(state.open, 2, "only the two B items still wait, for this year's 回头看");

    let unanswered = f.db.item_workflow(by_number("005"), today)?;
    assert_eq!(unanswered.progress.status, "年度已结束，未正式答复");
    assert!(unanswered.due.is_empty() && !unanswered.progress.unrecorded.is_empty(), "shown as not recorded, not due");
    assert_eq!(f.db.item_workflow(by_number("004"), today)?.progress.status, "年度已结束，重新办理未答复");
    assert_eq!(f.db.item_workflow(by_number("001"), today)?.progress.status, "已办结");
    let b_item = f.db.item_workflow(by_number("002"), today)?;
    assert_eq!(b_item.due.iter().map(|s| (s.step.as_str(), s.due_on)).collect::<Vec<_>>(), [("回头看", Some(d(2025, 10, 10)))]);

    // This year's list on top.
    let this_year = "编号,标题,领衔人,主办单位,交办日期\n001,关于繁荣早市夜市经济实现商家市民双赢的建议,张宝成,县发改委,2025-03-17\n002,关于供水供暖绿化水管网改造的建议,冯汉超,县教育局,2025-03-17\n";
    f.db.import_items(this_year.as_bytes(), "2025年交办清单.csv", &suggestions(&f, f.suggestions_2025))?;
    let board = f.db.reminders(today)?;
    let mut seen = Vec::new();
    for section in BoardSection::ALL {
        let page = f.db.reminder_page(today, section, 0)?;
        for r in page.rows {
            assert!(r.year == 2025 || (r.year == 2024 && r.due.step.as_str() == "回头看"), "{section:?}: {} {} {}", r.year, r.number, r.due.label);
            seen.push((r.year, r.number.clone(), r.due.step));
        }
    }
    assert!(board.overdue.total > 0, "this year's work is on the board");
    assert_eq!(seen.iter().filter(|(y, ..)| *y == 2024).count(), 2, "both B items of 2024 are due for 回头看 within the week: {seen:?}");
    // Nothing of 2024 counts as overdue in its figures.
    let figures = f.db.statistics(&year_2024, SatisfactionDefinition::default(), today)?;
    assert!(figures.units.iter().all(|u| u.overdue == 0), "{:?}", figures.units);
    super::work::assert_kept(&f.db, today, "a closed year");

    // Re-opening brings the steps back, logged both ways; nothing was deleted.
    f.db.reopen_year(2024, today)?;
    assert_eq!(f.db.item_workflow(by_number("005"), today)?.progress.status, "待签收");
    super::work::assert_kept(&f.db, today, "a year opened again");
    let log = f.db.operation_log(&ledger_core::queries::log::LogQuery { kind: "年度".into(), ..Default::default() }, None)?;
    assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["重新打开年度", "结束年度办理工作"]);
    assert_eq!(f.db.get_item(by_number("001"))?.events.len(), 4);
    Ok(())
}

#[test]
fn results_that_cannot_be_recorded_are_named_by_row_and_column_and_nothing_is_written() -> TestResult {
    let mut f = fixture();
    let list = "编号,标题,领衔人,主办单位,交办日期,答复日期,办理结果,满意度\n\
                1,关于A的建议,乔次仁,县发改委,2024-03-15,,A,满意\n\
                2,关于B的建议,美志高,县发改委,2024-03-15,2024-05-20,见附件,满意\n\
                3,关于C的建议,田鸿,县发改委,2024-03-15,2024-02-01,A,满意\n\
                4,关于D的建议,马如国,县发改委,2024-03-15,2024-05-20,A,一般\n";
    let options = suggestions(&f, f.suggestions_2024);
    let preview = f.db.preview_import(list.as_bytes(), "台账.csv", &options)?;
    let problems: Vec<(usize, &str, bool)> = preview.problems.iter().map(|p| (p.row, p.column.as_str(), p.blocks)).collect();
    assert!(problems.contains(&(2, "答复日期", true)), "a class without a reply date: {problems:?}");
    assert!(problems.contains(&(3, "办理结果", true)), "a word no class is known for: {problems:?}");
    assert!(problems.contains(&(4, "答复日期", true)), "a reply before the assignment: {problems:?}");
    assert!(problems.contains(&(5, "满意度", false)), "a rating that is none is left out, said: {problems:?}");
    assert!(f.db.import_items(list.as_bytes(), "台账.csv", &options).is_err());
    assert!(f.db.list_items(&ItemQuery::default())?.is_empty(), "nothing is written");

    // The clerk says what 见附件 stands for; the other rows still stop the import.
    let mut options = options;
    options.outcome_words.insert("见附件".into(), "B".into());
    let preview = f.db.preview_import(list.as_bytes(), "台账.csv", &options)?;
    assert!(!preview.problems.iter().any(|p| p.row == 3), "{:?}", preview.problems);
    assert_eq!(preview.outcome_words[0].by_hand, true);
    Ok(())
}

#[test]
fn the_same_ledger_imported_twice_records_its_results_once() -> TestResult {
    let mut f = fixture();
    let bytes = ledger_2024();
    let options = ImportOptions { session_id: Some(f.suggestions_2024), update_duplicates: true, ..Default::default() };
    f.db.import_items(&bytes, "2024年建议台账.xlsx", &options)?;
    let again = f.db.import_items(&bytes, "2024年建议台账.xlsx", &options)?;
    assert_eq!(again.result_steps, 0, "nothing recorded twice");
    assert!(again.problems.iter().any(|p| p.message.contains("已登记过正式答复")), "{:?}", again.problems);
    let events: usize = f.db.list_items(&ItemQuery::default())?.iter().map(|i| f.db.get_item(i.id).unwrap().events.len()).sum();
    assert_eq!(events, 14);
    Ok(())
}
