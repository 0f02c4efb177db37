//! The kept progress (queries/work.rs) against a full recomputation from the events, after
//! every kind of write that can change it, after a migration and a restore, and across the
//! turn of a year.

use ledger_core::queries::items::ItemQuery;
use super::*;
use chrono::NaiveDate;
use ledger_core::backup::BackupReason;
use ledger_core::db::{schema_version, DB_FILE_NAME};
use ledger_core::import::preview::ImportOptions;
use ledger_core::workflow::StepInput;


fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Fails unless what is kept for `today` equals what the events give when computed afresh.
pub(crate) fn assert_kept(db: &Db, today: NaiveDate, after: &str) {
    let (mut kept, mut fresh) = db.kept_and_recomputed(today).unwrap();
    kept.sort_by_key(|k| k.item_id);
    fresh.sort_by_key(|k| k.item_id);
    assert!(!fresh.is_empty(), "{after}: there is progress to compare");
    assert_eq!(kept.len(), fresh.len(), "{after}: one kept line per item outside the recycle bin");
    for (k, f) in kept.iter().zip(&fresh) {
        assert_eq!(k, f, "{after}: item {}", f.item_id);
    }
}

fn step(name: &str, on: &str) -> StepInput {
    StepInput { step: name.into(), happened_on: on.into(), ..Default::default() }
}

/// The edit form of an item as the clerk saves it with another lead unit.
fn as_form(item: &ledger_core::model::ItemDetail, units: &[ledger_core::model::Unit]) -> ItemInput {
    let free = units.iter().map(|u| u.id).find(|u| !item.assignments.iter().any(|a| a.unit_id == *u));
    ItemInput {
        session_id: Some(item.session.id),
        number: item.number.clone(),
        title: item.title.clone(),
        full_text: item.full_text.clone(),
        category_id: item.category_id,
        county_role: item.county_role.to_string(),
        is_key: item.is_key,
        supervising_leader: item.supervising_leader.clone(),
        assigned_on: item.assigned_on.map(|d| d.to_string()).unwrap_or_default(),
        signers_total: item.signers_total.map(|n| n.to_string()).unwrap_or_default(),
        note: item.note.clone(),
        proposers: item.proposers.iter().map(|p| ProposerInput { name: p.name.clone(), is_collective: p.is_collective, delegation: p.delegation.clone(), phone: p.phone.clone() }).collect(),
        assignments: item
            .assignments
            .iter()
            .enumerate()
            .map(|(n, a)| AssignmentInput { unit_id: if n == 0 { free } else { Some(a.unit_id) }, role: a.role.to_string(), leader: a.leader.clone(), handler: a.handler.clone(), phone: a.phone.clone() })
            .collect(),
    }
}

#[test]
fn the_kept_progress_equals_a_recomputation_after_every_kind_of_write() -> TestResult {
    let (dir, mut db) = file_db();
    ledger_core::demo::seed(&mut db)?;
    let today = d(2025, 4, 15);
    assert_kept(&db, today, "the first read (kept state built)");

    let items = db.list_items(&ItemQuery { year: Some(2025), ..Default::default() })?;
    let lead_item = items.iter().find(|i| i.county_role == ledger_core::model::CountyRole::Lead).unwrap().id;
    let detail = db.get_item(lead_item)?;
    let lead_unit = detail.assignments[0].unit_id;

    // Workflow: record, record many, correct, undo.
    // Each of these changes the item's progress: a reply (A), corrected to B, then undone.
    let reply = |class: &str| StepInput { unit_id: Some(lead_unit), class: class.into(), doc_number: "精政函〔2025〕3号".into(), ..step("正式答复", "2025-04-10") };
    let before = db.item_workflow(lead_item, today)?.progress;
    let replied = db.record_step(lead_item, &reply("A"))?;
    assert_ne!(db.item_workflow(lead_item, today)?.progress, before);
    assert_kept(&db, today, "record");
    let other = items.iter().find(|i| i.id != lead_item && i.county_role == ledger_core::model::CountyRole::Lead).unwrap().id;
    db.record_steps(&[(other, StepInput { passed: Some(false), reason: "请补充具体措施。".into(), ..step("初审", "2025-04-12") })])?;
    assert_kept(&db, today, "record many");
    let corrected = db.correct_step(replied, &reply("B"))?;
    assert_kept(&db, today, "correct");
    db.undo_step(corrected, "登错了")?;
    assert_eq!(db.item_workflow(lead_item, today)?.progress, before, "undone, the progress is as before");
    assert_kept(&db, today, "undo");

    // The item itself: edited (another lead unit), into the recycle bin and back.
    let units = db.list_units()?;
    db.update_item(other, &as_form(&db.get_item(other)?, &units))?;
    assert_kept(&db, today, "edit");
    db.delete_item(other)?;
    assert_kept(&db, today, "delete");
    db.restore_item(other)?;
    assert_kept(&db, today, "restore from the bin");

    // Deadlines: an item's own, a year's rules, a holiday.
    db.set_deadline_override(lead_item, "正式答复", "2025-06-30", "县领导同意延期")?;
    assert_kept(&db, today, "own deadline");
    db.apply_built_in_template(2025, ledger_core::deadlines::BUILT_IN[1])?;
    assert_kept(&db, today, "the year's rules");
    db.mark_day("2025-05-02", "休", "劳动节")?;
    assert_kept(&db, today, "a holiday");

    // An import, and a session moved to another year.
    let session = db.list_sessions()?.into_iter().find(|s| s.year == 2025).unwrap();
    let list = format!("编号,标题,领衔人,主办单位,交办日期\n901,关于新增公交线路的建议,王建华,{},2025-04-01\n", units[0].name);
    db.import_items(list.as_bytes(), "清单.csv", &ImportOptions { session_id: Some(session.id), ..Default::default() })?;
    assert_kept(&db, today, "import");
    let old = db.list_sessions()?.into_iter().find(|s| s.year == 2024).unwrap();
    db.update_session(old.id, &ledger_core::model::SessionInput { kind: old.kind.to_string(), level: old.level.to_string(), year: "2023".into(), name: old.name.clone() })?;
    assert_kept(&db, today, "a session's year changed");

    // A new year: the B items of 2025 now wait for a 回头看; everything is computed again.
    assert_kept(&db, d(2026, 3, 1), "the turn of the year");
    assert_kept(&db, today, "back to the demo's day");

    // A restored backup reads the same as the ledger it was made from.
    let copy = dir.path().join("副本").join(DB_FILE_NAME);
    db.backup_to(&copy, BackupReason::Manual)?;
    let restored = Db::open(&copy)?;
    assert_kept(&restored, today, "restore");
    assert_eq!(restored.reminders(today)?, db.reminders(today)?);
    Ok(())
}

#[test]
fn a_ledger_of_every_earlier_version_gets_its_progress_kept() -> TestResult {
    for version in 1..schema_version() {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(DB_FILE_NAME);
        std::fs::copy(format!("{}/../../tests/fixtures/schema-v{version}.sqlite3", env!("CARGO_MANIFEST_DIR")), &path)?;
        let db = Db::open(&path)?;
        assert_kept(&db, d(2025, 4, 15), &format!("v{version}"));
        // And the screens read it.
        assert!(!db.unit_overview(d(2025, 4, 15))?.is_empty());
        // The lead proposer each item got from the upgrade is its first proposer: the
        // ledger sorted by proposer is in the order of the names.
        let page = db.item_page(&ledger_core::queries::items::ItemQuery { sort: ledger_core::queries::items::SortKey::Proposer, ..Default::default() }, 0)?;
        let names: Vec<String> = page.rows.iter().map(|r| db.get_item(r.id).map(|i| i.proposers[0].name.clone())).collect::<Result<_, _>>()?;
        assert!(names.len() > 100 && names.windows(2).all(|w| w[0] <= w[1]), "v{version}: {names:?}");
    }
    Ok(())
}
