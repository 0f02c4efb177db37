//! The workflow on real files: recording, correcting, undoing, deadlines, reminders,
//! snoozes and task lists.

use super::*;
use chrono::NaiveDate;
use ledger_core::deadlines::{Period, Rule};
use ledger_core::workflow::{Step, StepInput};
use ledger_core::Error;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn step(step: &str, on: &str, unit: Option<i64>) -> StepInput {
    StepInput { step: step.into(), happened_on: on.into(), unit_id: unit, ..Default::default() }
}

/// A 2025 item led by 县发改委 with 县教育局 assisting, assigned on Monday 2025-03-17.
fn item(f: &mut Fixture) -> i64 {
    let mut input = item_input(f.suggestions_2025, "214", "关于加快实施布久乡孜热村升级改造项目的建议", f.fagai);
    input.assignments.push(AssignmentInput { unit_id: Some(f.jiaoyu), role: "协办".into(), handler: "马晓燕".into(), ..Default::default() });
    input.assignments[0].handler = "李娜".into();
    input.assignments[0].phone = "0909-5321101".into();
    f.db.create_item(&input).unwrap()
}

#[test]
fn steps_are_recorded_and_the_status_follows() -> TestResult {
    let mut f = fixture();
    let id = item(&mut f);
    let today = d(2025, 3, 24);
    let fresh = f.db.item_workflow(id, today)?;
    assert_eq!(fresh.progress.status, "待签收");
    let receipt = fresh.due.iter().find(|s| s.step == Step::Receipt && s.unit_id == Some(f.fagai)).unwrap();
    assert_eq!((receipt.due_on, receipt.days_left), (Some(d(2025, 3, 20)), Some(-4)), "3 working days after 交办, 4 days late");

    f.db.record_step(id, &step("签收", "2025-03-18", Some(f.fagai)))?;
    f.db.record_step(id, &step("签收", "2025年3月19日", Some(f.jiaoyu)))?;
    f.db.record_step(id, &step("承办情况表", "2025-03-24", Some(f.fagai)))?;
    let now = f.db.item_workflow(id, today)?;
    assert_eq!(now.progress.status, "待面商");
    assert_eq!(now.due[0].due_on, Some(d(2025, 3, 31)));

    let detail = f.db.get_item(id)?;
    assert_eq!(detail.events.len(), 3);
    assert_eq!(detail.events[1].unit_name.as_deref(), Some("精河县教育局"));

    // A step of the wrong shape is refused field by field and writes nothing.
    let result = f.db.record_step(id, &step("面商", "2025-03-26", None));
    assert_eq!(invalid_fields(result), ["method"]);
    assert_eq!(f.db.get_item(id)?.events.len(), 3);
    Ok(())
}

#[test]
fn corrections_and_undo_keep_the_history() -> TestResult {
    let mut f = fixture();
    let id = item(&mut f);
    let wrong = f.db.record_step(id, &StepInput { class: "C".into(), doc_number: "精政函〔2025〕1号".into(), ..step("正式答复", "2025-05-20", None) })?;
    let fixed = f.db.correct_step(wrong, &StepInput { class: "A".into(), doc_number: "精政函〔2025〕12号".into(), ..step("正式答复", "2025-05-20", None) })?;
    let events = f.db.get_item(id)?.events;
    assert_eq!(events.len(), 2, "the wrong entry is kept");
    assert!(events[0].voided && events[0].void_reason == "已更正");
    assert_eq!(events[1].replaces, Some(wrong));
    assert_eq!(events[1].summary, "A类，文号 精政函〔2025〕12号");
    assert_eq!(f.db.item_workflow(id, d(2025, 5, 21))?.progress.class, Some(ledger_core::workflow::ReplyClass::A));

    assert_eq!(invalid_fields(f.db.undo_step(fixed, "  ")), ["reason"]);
    f.db.undo_step(fixed, "误登，答复尚未签发")?;
    let events = f.db.get_item(id)?.events;
    assert_eq!(events[1].void_reason, "已撤销：误登，答复尚未签发");
    assert_eq!(f.db.item_workflow(id, d(2025, 5, 21))?.progress.reply, None);
    assert!(matches!(f.db.undo_step(fixed, "再撤一次"), Err(Error::NotFound(_))), "an undone entry cannot be changed again");
    Ok(())
}

#[test]
fn an_unsatisfied_opinion_at_the_end_of_january_is_due_at_the_end_of_february() -> TestResult {
    let mut f = fixture();
    let id = item(&mut f);
    f.db.record_step(id, &StepInput { class: "B".into(), ..step("正式答复", "2026-01-20", None) })?;
    f.db.record_step(id, &StepInput { channel: "电话".into(), work: "满意".into(), result: "不满意".into(), ..step("征求意见", "2026-01-31", None) })?;
    let work = f.db.item_workflow(id, d(2026, 2, 1))?;
    assert_eq!(work.progress.status, "重新办理中（第1次）", "the redo round shows even though 签收 was never recorded");
    let redo = work.due.iter().find(|s| s.step == Step::Redo).unwrap();
    assert_eq!((redo.label.as_str(), redo.due_on), ("重新办理（第1次）", Some(d(2026, 2, 28))));
    Ok(())
}

#[test]
fn templates_overrides_and_the_calendar_decide_the_dates() -> TestResult {
    let mut f = fixture();
    let id = item(&mut f);
    let reply_due = |f: &Fixture| f.db.item_workflow(id, d(2025, 3, 18)).unwrap().due.iter().find(|s| s.step == Step::Reply).unwrap().due_on;
    assert!(!f.db.deadline_template(2025)?.saved);
    assert_eq!(reply_due(&f), Some(d(2025, 5, 26)), "the 2025 notice by default");

    f.db.apply_built_in_template(2025, "全国通行（交办后3个月答复）")?;
    assert!(f.db.deadline_template(2025)?.saved);
    assert_eq!(reply_due(&f), Some(d(2025, 6, 17)), "3 months after 交办");

    f.db.set_deadline_rule(2025, Step::Reply, Some(Rule::After { after: Step::Assign, amount: 60, unit: Period::Days }))?;
    assert_eq!(reply_due(&f), Some(d(2025, 5, 16)));
    let line = f.db.deadline_template(2025)?.lines.into_iter().find(|l| l.step == Step::Filing).unwrap();
    assert_eq!(line.rule, Some(Rule::After { after: Step::Reply, amount: 1, unit: Period::Months }), "other lines untouched");
    assert!(f.db.set_deadline_rule(2025, Step::Meeting, Some(Rule::After { after: Step::Reply, amount: 1, unit: Period::Days })).is_err());

    f.db.set_deadline_override(id, "正式答复", "2025-04-30", "重点件，提前答复")?;
    assert_eq!(reply_due(&f), Some(d(2025, 4, 30)));
    f.db.set_deadline_override(id, "正式答复", "", "")?;
    assert_eq!(reply_due(&f), Some(d(2025, 5, 16)));

    // 签收: 3 working days after Monday 3月17日 is Thursday 3月20日, or Friday with a holiday.
    let receipt_due = |f: &Fixture| f.db.item_workflow(id, d(2025, 3, 18)).unwrap().due[0].due_on;
    assert_eq!(receipt_due(&f), Some(d(2025, 3, 20)));
    f.db.mark_day("2025-03-19", "休", "示例假日")?;
    assert_eq!(receipt_due(&f), Some(d(2025, 3, 21)));
    assert_eq!(f.db.calendar_days(2025)?.len(), 1);
    f.db.mark_day("2025-03-19", "", "")?;
    assert!(f.db.calendar_days(2025)?.is_empty());
    Ok(())
}

#[test]
fn the_reminder_board_changes_as_steps_are_recorded_and_snoozes_stay_visible() -> TestResult {
    let mut f = fixture();
    let id = item(&mut f);
    let today = d(2025, 3, 24);
    let board = f.db.reminders(today)?;
    let overdue: Vec<(Step, Option<i64>)> = board.overdue.rows.iter().map(|r| (r.due.step, r.due.unit_id)).collect();
    assert_eq!(overdue, [(Step::Receipt, Some(f.fagai)), (Step::Receipt, Some(f.jiaoyu))]);
    assert_eq!(board.within_3.rows.iter().map(|r| r.due.step).collect::<Vec<_>>(), [Step::Undertaking], "due 3月25日");
    assert_eq!(board.within_7.rows.iter().map(|r| r.due.step).collect::<Vec<_>>(), [Step::Meeting], "due 3月31日");
    assert_eq!(board.count(), 4);

    f.db.record_step(id, &step("签收", "2025-03-21", Some(f.fagai)))?;
    let board = f.db.reminders(today)?;
    assert_eq!(board.overdue.total, 1, "a reminder disappears when its step is recorded");

    let snooze = SnoozeInputs::for_unit(id, "签收", f.jiaoyu);
    assert_eq!(invalid_fields(f.db.snooze(&snooze.without_note(), today)), ["note"]);
    f.db.snooze(&snooze.input, today)?;
    let board = f.db.reminders(today)?;
    assert_eq!(board.overdue.total, 0);
    assert_eq!(board.snoozed.total, 1);
    assert_eq!(board.snoozed.rows[0].snooze_note.as_deref(), Some("单位负责人出差，3月27日补签"));
    // On the day the snooze ends, the reminder is back where it belongs.
    let later = f.db.reminders(d(2025, 3, 27))?;
    let back: Vec<(Step, Option<i64>)> = later.overdue.rows.iter().map(|r| (r.due.step, r.due.unit_id)).collect();
    assert_eq!(back, [(Step::Receipt, Some(f.jiaoyu)), (Step::Undertaking, Some(f.fagai))]);
    assert_eq!(later.snoozed.total, 0);
    Ok(())
}

struct SnoozeInputs {
    input: ledger_core::queries::snoozes::SnoozeInput,
}

impl SnoozeInputs {
    fn for_unit(item_id: i64, step: &str, unit: i64) -> Self {
        Self {
            input: ledger_core::queries::snoozes::SnoozeInput {
                item_id,
                step: step.into(),
                unit_id: Some(unit),
                until: "2025-03-27".into(),
                note: "单位负责人出差，3月27日补签".into(),
            },
        }
    }
    fn without_note(&self) -> ledger_core::queries::snoozes::SnoozeInput {
        ledger_core::queries::snoozes::SnoozeInput { note: " ".into(), ..self.input.clone() }
    }
}

#[test]
fn task_lists_put_the_most_urgent_first_and_the_overview_counts() -> TestResult {
    let mut f = fixture();
    let late = item(&mut f);
    let mut input = item_input(f.suggestions_2025, "215", "关于完善新能源汽车充电设施的建议", f.fagai);
    input.assigned_on = "2025-03-24".into();
    let recent = f.db.create_item(&input)?;
    let today = d(2025, 3, 24);
    let tasks = f.db.unit_tasks(f.fagai, today)?;
    assert_eq!(tasks.rows.iter().map(|r| r.item_id).collect::<Vec<_>>(), [late, recent]);
    assert_eq!(tasks.rows[0].next.step, Step::Receipt);
    assert_eq!(tasks.rows[0].next.days_left, Some(-4));
    assert_eq!((tasks.rows[0].handler.as_str(), tasks.rows[0].phone.as_str()), ("李娜", "0909-5321101"));
    // The new item's most urgent step is the notice's fixed 承办情况表 date, before its 签收 (3月27日).
    assert_eq!((tasks.rows[1].next.step, tasks.rows[1].next.due_on), (Step::Undertaking, Some(d(2025, 3, 25))));

    let overview = f.db.unit_overview(today)?;
    let fagai = overview.iter().find(|u| u.unit_id == f.fagai).unwrap();
    assert_eq!((fagai.lead, fagai.assist, fagai.open, fagai.overdue, fagai.done), (2, 0, 2, 1, 0));
    let jiaoyu = overview.iter().find(|u| u.unit_id == f.jiaoyu).unwrap();
    assert_eq!((jiaoyu.lead, jiaoyu.assist, jiaoyu.open), (0, 1, 1));
    Ok(())
}

#[test]
fn a_unit_task_list_exports_to_a_print_ready_workbook() -> TestResult {
    use calamine::{Data, Reader, Xlsx};
    let mut f = fixture();
    item(&mut f);
    f.db.set_office_name("精河县人民政府办公室")?;
    let tasks = f.db.unit_tasks(f.fagai, d(2025, 3, 24))?;
    let (bytes, name) = ledger_core::output::workbook::unit_tasks_workbook(&tasks, &f.db.office_name()?)?;
    assert_eq!(name, "精河县发展和改革委员会任务清单（2025-03-24）.xlsx");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))?;
    let sheet = book.worksheet_range("任务清单")?;
    let text = |r: u32, c: u32| sheet.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(text(0, 0), "精河县发展和改革委员会建议提案办理任务清单");
    assert_eq!(text(1, 0), "督办单位：精河县人民政府办公室");
    assert!(text(1, 6).contains("截至2025年3月24日") && text(1, 6).contains("未办结1件"), "{}", text(1, 6));
    let headers: Vec<String> = (0..11).map(|c| text(2, c)).collect();
    assert_eq!(headers, ["序号", "类型", "编号", "标题", "本单位", "当前状态", "待办环节", "办理时限", "剩余天数", "承办人", "联系电话"]);
    assert_eq!(sheet.get_value((3, 0)), Some(&Data::Float(1.0)));
    let row: Vec<String> = (1..11).map(|c| text(3, c)).collect();
    assert_eq!(row, ["2025年州人大建议", "214", "关于加快实施布久乡孜热村升级改造项目的建议", "主办", "待签收", "签收",
        "2025年3月20日", "逾期4天", "李娜", "0909-5321101"]);
    let merged: Vec<_> = book.merge_cells_by_sheet_name("任务清单")?.iter().map(|r| (r.start, r.end)).collect();
    assert!(merged.contains(&((0, 0), (0, 10))), "the title spans the table: {merged:?}");
    Ok(())
}

#[test]
fn a_long_board_comes_in_pages_that_cover_every_reminder_once() -> TestResult {
    use ledger_core::model::BoardSection;
    use ledger_core::views::REMINDER_PAGE;
    let mut f = fixture();
    // 70 items, each with two units late for 签收 and two steps due later: 140 overdue.
    for n in 0..70 {
        let mut input = item_input(f.suggestions_2025, &(300 + n).to_string(), &format!("关于第{n}件事的建议"), f.fagai);
        input.assignments.push(AssignmentInput { unit_id: Some(f.jiaoyu), role: "协办".into(), ..Default::default() });
        f.db.create_item(&input)?;
    }
    let today = d(2025, 3, 24);
    let board = f.db.reminders(today)?;
    assert_eq!((board.overdue.total, board.overdue.rows.len(), board.overdue.offset), (140, REMINDER_PAGE, 0));
    let rest = f.db.reminder_page(today, BoardSection::Overdue, REMINDER_PAGE)?;
    assert_eq!((rest.total, rest.rows.len(), rest.offset), (140, 40, REMINDER_PAGE));
    let mut seen: Vec<(i64, Option<i64>)> = board.overdue.rows.iter().chain(&rest.rows).map(|r| (r.item_id, r.due.unit_id)).collect();
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "one deadline: in the ledger's order");
    seen.dedup();
    assert_eq!(seen.len(), 140, "no reminder twice, none left out");
    assert_eq!(board.count(), 140 + board.within_3.total + board.within_7.total);

    // A snoozed step leaves its part for 已暂缓, and the pages follow.
    let first = board.overdue.rows[0].clone();
    f.db.snooze(&ledger_core::queries::snoozes::SnoozeInput {
        item_id: first.item_id, step: "签收".into(), unit_id: first.due.unit_id, until: "2025-03-28".into(), note: "负责人出差".into(),
    }, today)?;
    let board = f.db.reminders(today)?;
    assert_eq!((board.overdue.total, board.snoozed.total), (139, 1));
    assert_eq!(f.db.reminder_page(today, BoardSection::Snoozed, 0)?.rows[0].snooze_note.as_deref(), Some("负责人出差"));
    assert_eq!(f.db.reminder_page(today, BoardSection::Overdue, REMINDER_PAGE)?.rows.len(), 39);
    Ok(())
}
