//! Results in bulk: a session's grid typed or pasted row by row; valid rows recorded in one
//! save, invalid ones handed back with the reason of each cell, a changed result recorded as
//! a correction.

use super::*;
use ledger_core::result_grid::ResultInput;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
}

fn row(item_id: i64, cells: [&str; 6]) -> ResultInput {
    let [replied_on, doc_number, class, work, result, channel] = cells.map(String::from);
    ResultInput { item_id, replied_on, doc_number, class, work, result, channel }
}

#[test]
fn a_grid_of_results_records_the_valid_rows_and_hands_back_the_others() -> TestResult {
    let mut f = fixture();
    let ids: Vec<i64> = ["3", "1", "2"].iter().map(|n| f.db.create_item(&item_input(f.suggestions_2025, n, &format!("关于第{n}件的建议"), f.fagai)).unwrap()).collect();
    let grid = f.db.result_rows(f.suggestions_2025, today())?;
    assert_eq!(grid.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(), ["1", "2", "3"], "in the order of the numbers");
    assert!(grid.iter().all(|r| r.replied_on.is_empty() && r.class.is_empty()));

    let typed = [
        row(ids[1], ["2025-05-20", "精政函〔2025〕1号", "a类", "满意", "基本满意", "面商"]),
        row(ids[2], ["2025.5.22", "精政函〔2025〕2号", "B", "比较满意", "满意", "电话"]),
        row(ids[0], ["5月40日", "精政函〔2025〕3号", "D", "一般", "", ""]),
    ];
    let problems = f.db.check_results(&typed)?;
    let fields: Vec<(i64, &str)> = problems.iter().map(|p| (p.item_id, p.field.as_str())).collect();
    assert_eq!(fields, [(ids[0], "replied_on"), (ids[0], "class")], "{problems:?}");
    assert!(problems[0].message.contains("日期") && problems[1].message.contains("A、B或C"), "{problems:?}");

    let outcome = f.db.save_results(&typed)?;
    assert_eq!((outcome.saved, outcome.unchanged, outcome.problems.len()), (2, 0, 2));
    let grid = f.db.result_rows(f.suggestions_2025, today())?;
    let values: Vec<(&str, &str, &str, &str, &str)> = grid.iter().map(|r| (r.replied_on.as_str(), r.class.as_str(), r.work.as_str(), r.result.as_str(), r.channel.as_str())).collect();
    assert_eq!(values, [
        ("2025-05-20", "A", "满意", "基本满意", "面商"),
        ("2025-05-22", "B", "基本满意", "满意", "电话"),
        ("", "", "", "", ""),
    ]);
    let item = f.db.get_item(ids[1])?;
    assert_eq!(item.events.iter().map(|e| (e.step.as_str(), e.happened_on.to_string())).collect::<Vec<_>>(),
        [("正式答复", "2025-05-20".to_string()), ("征求意见", "2025-05-20".to_string())]);

    // The same rows again change nothing; a changed class is a correction, the old entry kept.
    let again = f.db.save_results(&typed[..2])?;
    assert_eq!((again.saved, again.unchanged), (0, 2));
    let changed = row(ids[1], ["2025-05-20", "精政函〔2025〕1号", "C", "满意", "基本满意", "面商"]);
    assert_eq!(f.db.save_results(&[changed])?.saved, 1);
    let item = f.db.get_item(ids[1])?;
    assert_eq!(item.events.len(), 3);
    assert!(item.events.iter().any(|e| e.voided && e.void_reason == "已更正" && e.summary.starts_with("A类")));
    assert_eq!(f.db.result_rows(f.suggestions_2025, today())?[0].class, "C");
    super::work::assert_kept(&f.db, chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(), "results in bulk");
    let log = f.db.operation_log(&ledger_core::queries::log::LogQuery { kind: "办理过程".into(), ..Default::default() }, None)?;
    assert_eq!(log.iter().filter(|e| e.action == "成批登记办理结果").count(), 2);

    // Ratings without a reply date say where the date goes; a control character names its cell.
    let problems = f.db.check_results(&[row(ids[0], ["", "", "", "满意", "满意", "书面"]), row(ids[2], ["2025-05-22", "号\u{0}", "B", "", "", ""])])?;
    assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["replied_on", "doc_number"], "{problems:?}");
    Ok(())
}
