//! The demo ledger that the start command shows a newcomer.

use ledger_core::queries::items::ItemQuery;
use super::*;
use ledger_core::model::{CountyRole, Kind, Level};


#[test]
fn the_demo_fills_a_county_year_with_the_real_items() -> TestResult {
    let (_dir, mut db) = file_db();
    let summary = ledger_core::demo::seed(&mut db)?;
    assert_eq!((summary.units, summary.sessions, summary.items), (25, 6, 170));

    let rows = db.list_items(&ItemQuery { year: Some(2025), ..Default::default() })?;
    let count = |kind: Kind, level: Level| rows.iter().filter(|r| r.kind == kind && r.level == level).count();
    assert_eq!(count(Kind::Suggestion, Level::Prefecture), 36);
    assert_eq!(count(Kind::Proposal, Level::Prefecture), 45);
    assert_eq!(count(Kind::Suggestion, Level::County), 25);
    assert_eq!(count(Kind::Proposal, Level::County), 43);
    let prefecture_lead = rows.iter().filter(|r| r.kind == Kind::Suggestion && r.level == Level::Prefecture && r.county_role == CountyRole::Lead).count();
    assert_eq!(prefecture_lead, 13, "州人大: 主办 13 as in the 2025 notice");

    for title in ["关于加强和完善公共急救培训体系建设的提案", "关于加快实施巴宜区布久乡孜热村升级改造项目的建议"] {
        assert!(rows.iter().any(|r| r.title == title), "{title} is in the demo");
    }
    let urgent = db.list_items(&ItemQuery { text: "图尔荪·艾尔肯".into(), ..Default::default() })?;
    assert!(!urgent.is_empty());
    assert!(rows.iter().all(|r| r.county_role == CountyRole::Reference || r.lead_unit.is_some()));
    assert!(rows.iter().any(|r| r.proposer_label.contains('等')));

    // The demo's progress as of its day: mostly on time, a few late units, B items carried over.
    let today = ledger_core::text::parse_date(ledger_core::demo::DEMO_TODAY).unwrap();
    let board = db.reminders(today)?;
    assert!(board.overdue.total > 0 && board.overdue.total < 60, "{} overdue", board.overdue.total);
    assert!(board.within_3.total > 0, "the drafts due 4月18日 show");
    let carried = db.list_items(&ItemQuery { year: Some(2024), ..Default::default() })?;
    assert_eq!(carried.len(), 21);
    for item in carried {
        let work = db.item_workflow(item.id, today)?;
        assert_eq!(work.progress.class, Some(ledger_core::workflow::ReplyClass::B));
        assert_eq!(work.due.len(), 1, "only this year's 回头看 is owed");
        assert_eq!(work.due[0].due_on, chrono::NaiveDate::from_ymd_opt(2025, 10, 10));
    }
    Ok(())
}
