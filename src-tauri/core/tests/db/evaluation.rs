//! 督考: the units' scores of a small ledger, counted here by hand, equal the program's; a
//! changed weight changes only its year, and is logged.

use super::*;
use chrono::NaiveDate;
use ledger_core::evaluation::Rule;
use ledger_core::workflow::StepInput;

fn step(name: &str, on: &str, unit: Option<i64>) -> StepInput {
    StepInput { step: name.into(), happened_on: on.into(), unit_id: unit, ..Default::default() }
}

#[test]
fn scores_counted_by_hand_equal_the_programs_and_a_weight_changes_only_its_year() -> TestResult {
    let mut f = fixture();
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    // 1: 县发改委 leads (签收 and 面商 on time, replied A on time, 满意 / 基本满意), 县教育局
    //    assists (签收 late: due 3月20日, three working days after 3月17日; 协办意见 on time).
    let mut first = item_input(f.suggestions_2025, "1", "关于甲的建议", f.fagai);
    first.assignments.push(AssignmentInput { unit_id: Some(f.jiaoyu), role: "协办".into(), ..Default::default() });
    let first = f.db.create_item(&first)?;
    f.db.record_step(first, &step("签收", "2025-03-18", Some(f.fagai)))?;
    f.db.record_step(first, &step("签收", "2025-03-25", Some(f.jiaoyu)))?;
    f.db.record_step(first, &StepInput { method: "走访".into(), ..step("面商", "2025-03-28", Some(f.fagai)) })?;
    f.db.record_step(first, &step("协办意见", "2025-04-03", Some(f.jiaoyu)))?;
    f.db.record_step(first, &StepInput { class: "A".into(), ..step("正式答复", "2025-05-20", Some(f.fagai)) })?;
    f.db.record_step(first, &StepInput { channel: "面商".into(), work: "满意".into(), result: "基本满意".into(), ..step("征求意见", "2025-05-22", None) })?;
    // 2: 县发改委 leads: 签收 on time, no 面商 (due 3月31日) and no reply (due 5月26日), a draft returned once.
    let second = f.db.create_item(&item_input(f.suggestions_2025, "2", "关于乙的建议", f.fagai))?;
    f.db.record_step(second, &step("签收", "2025-03-19", Some(f.fagai)))?;
    f.db.record_step(second, &step("答复样稿", "2025-04-15", Some(f.fagai)))?;
    f.db.record_step(second, &StepInput { passed: Some(false), reason: "措施不具体".into(), ..step("初审", "2025-04-16", None) })?;
    // 3: 工业园区 leads and has recorded nothing: 签收, 面商 and the reply are all overdue.
    f.db.create_item(&item_input(f.suggestions_2025, "3", "关于丙的建议", f.yuanqu))?;

    let evaluation = f.db.evaluation(2025, today)?;
    let scores: Vec<(&str, usize, f64)> = evaluation.units.iter().map(|u| (u.unit_name.as_str(), u.rank, u.score)).collect();
    // 县发改委: 签收 2×1 + 面商 1×2 + 答复 1×3 + 工作满意 1×2 + 结果基本满意 0.5×2 + A类 1/1×10
    //           − 逾期 2×2 − 退回 1×1 = 15.
    assert_eq!(scores, [("精河县发展和改革委员会", 1, 15.0), ("精河县教育局", 2, -2.0), ("精河工业园区管委会", 3, -6.0)]);
    let fagai = &evaluation.units[0];
    let line = |rule: Rule| fagai.points.iter().find(|p| p.rule == rule).unwrap();
    assert_eq!((line(Rule::Overdue).count, line(Rule::Overdue).points), (2.0, -4.0));
    assert_eq!(line(Rule::Overdue).items.iter().map(|id| evaluation.item(*id).unwrap().number.as_str()).collect::<Vec<_>>(), ["2"], "the items behind the figure");
    assert_eq!((line(Rule::AShare).count, line(Rule::AShare).points), (1.0, 10.0));
    assert_eq!(line(Rule::ResultRating).count, 0.5);
    assert!(!evaluation.set, "the defaults stand until the clerk changes one");

    f.db.set_evaluation_weight(2025, Rule::Overdue, "－5")?;
    let changed = f.db.evaluation(2025, today)?;
    assert_eq!(changed.units.iter().map(|u| u.score).collect::<Vec<_>>(), [9.0, -5.0, -15.0]);
    assert!(changed.set && changed.rules.iter().any(|r| r.rule == Rule::Overdue && r.weight == -5.0));
    let last_year = f.db.evaluation(2024, today)?;
    assert!(last_year.rules.iter().all(|r| r.weight == r.rule.default_weight()), "another year keeps its weights");
    assert!(matches!(f.db.set_evaluation_weight(2025, Rule::Reply, "很多"), Err(ledger_core::Error::Invalid(_))));
    let log = f.db.operation_log(&ledger_core::queries::log::LogQuery { text: "考评".into(), ..Default::default() }, None)?;
    assert!(log.iter().any(|e| e.action == "修改考评分值" && e.changes.iter().any(|c| c.field == "逾期环节" && c.old == "-2" && c.new == "-5")), "{log:?}");
    Ok(())
}
