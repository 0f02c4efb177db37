//! The unit directory.

use super::*;

#[test]
fn units_are_validated_and_names_stay_unique() -> TestResult {
    let mut f = fixture();
    let fields = invalid_fields(f.db.create_unit(&UnitInput { name: " ".into(), phone: "电话".into(), ..Default::default() }));
    assert_eq!(fields, ["name", "phone"]);

    let message = message_for(f.db.create_unit(&UnitInput { name: "精河县教育局".into(), ..Default::default() }), "name");
    assert!(message.contains("重名"), "{message}");
    // A short name may not be another unit's short or full name, since imports match either.
    let message = message_for(
        f.db.create_unit(&UnitInput { name: "精河县发展改革局".into(), short_name: "县发改委".into(), ..Default::default() }),
        "short_name",
    );
    assert!(message.contains("精河县发展和改革委员会"), "{message}");
    let message = message_for(
        f.db.create_unit(&UnitInput { name: "县发改委".into(), ..Default::default() }),
        "name",
    );
    assert!(message.contains("重名"), "{message}");
    Ok(())
}

#[test]
fn a_unit_is_edited_in_place() -> TestResult {
    let mut f = fixture();
    f.db.update_unit(f.jiaoyu, &UnitInput {
        name: "精河县教育局".into(),
        short_name: "教育局".into(),
        contact: "马晓燕".into(),
        phone: "0909-5321103".into(),
    })?;
    let unit = f.db.list_units()?.into_iter().find(|u| u.id == f.jiaoyu).unwrap();
    assert_eq!((unit.short_name.as_str(), unit.contact.as_str(), unit.phone.as_str()), ("教育局", "马晓燕", "0909-5321103"));
    Ok(())
}

#[test]
fn a_retired_unit_keeps_its_items_but_takes_no_new_ones() -> TestResult {
    let mut f = fixture();
    let item = f.db.create_item(&item_input(f.suggestions_2025, "7", "关于推进工业园区数字化改造的建议", f.yuanqu))?;
    f.db.set_unit_active(f.yuanqu, false)?;

    let units = f.db.list_units()?;
    let park = units.iter().find(|u| u.id == f.yuanqu).unwrap();
    assert_eq!((park.active, park.lead_count), (false, 1));
    assert_eq!(units.last().unwrap().id, f.yuanqu, "retired units are listed last");

    // The existing item can still be edited with its retired unit…
    let mut edit = item_input(f.suggestions_2025, "7", "关于推进工业园区数字化改造升级的建议", f.yuanqu);
    edit.note = "单位已撤并".into();
    f.db.update_item(item, &edit)?;
    let detail = f.db.get_item(item)?;
    assert_eq!(detail.assignments[0].unit_name, "精河工业园区管委会");
    assert!(!detail.assignments[0].unit_active);

    // …but a new item cannot be given to it.
    let message = message_for(
        f.db.create_item(&item_input(f.suggestions_2025, "8", "关于园区道路的建议", f.yuanqu)),
        "assignments.0.unit_id",
    );
    assert!(message.contains("已停用"), "{message}");

    f.db.set_unit_active(f.yuanqu, true)?;
    f.db.create_item(&item_input(f.suggestions_2025, "8", "关于园区道路的建议", f.yuanqu))?;
    Ok(())
}

/// A list with six prefecture units by their short names and their full names: the short
/// ones are proposed as the same units, in the directory or in the same file.
const SHORT_AND_FULL: &str = "编号,标题,领衔人,主办单位,协办单位,交办日期\n\
    1,关于甲的建议,乔次仁,州发改委,,2025-03-17\n\
    2,关于乙的建议,美志高,州发展和改革委员会,州卫健委,2025-03-17\n\
    3,关于丙的建议,田鸿,州卫生健康委员会,州人社局,2025-03-17\n\
    4,关于丁的建议,马如国,县人社局,州财政局,2025-03-17\n";

#[test]
fn short_names_in_a_list_are_proposed_as_the_units_they_abbreviate() -> TestResult {
    let mut f = fixture();
    let hrss = f.db.create_unit(&UnitInput { name: "精河县人力资源和社会保障局".into(), ..Default::default() })?;
    let mut options = ledger_core::import::preview::ImportOptions { session_id: Some(f.suggestions_2025), create_units: true, ..Default::default() };
    let preview = f.db.preview_import(SHORT_AND_FULL.as_bytes(), "清单.csv", &options)?;
    let pairs: Vec<(&str, &str, bool)> = preview.unit_matches.iter().map(|m| (m.name.as_str(), m.same_as.as_str(), m.in_directory)).collect();
    assert_eq!(pairs, [("州发改委", "州发展和改革委员会", false), ("州卫健委", "州卫生健康委员会", false), ("县人社局", "精河县人力资源和社会保障局", true)]);
    assert!(preview.unit_matches.iter().all(|m| m.accepted), "proposed as one unit until the clerk says no");
    assert_eq!(preview.unknown_units, ["州人社局", "州卫生健康委员会", "州发展和改革委员会", "州财政局"], "州人社局 has nothing to match");

    // The clerk rejects one pair: 州卫健委 stays a unit of its own.
    options.unit_matches.insert("州卫健委".into(), false);
    f.db.import_items(SHORT_AND_FULL.as_bytes(), "清单.csv", &options)?;
    let units = f.db.list_units()?;
    let unit = |name: &str| units.iter().find(|u| u.name == name).unwrap_or_else(|| panic!("{name}: {units:?}"));
    assert_eq!(unit("州发展和改革委员会").short_name, "州发改委", "one unit, found by either name");
    assert_eq!(unit("州发展和改革委员会").lead_count, 2);
    assert!(units.iter().all(|u| u.name != "州发改委"));
    assert_eq!(unit("州卫健委").assist_count, 1, "a rejected pair is two units");
    assert_eq!((unit("精河县人力资源和社会保障局").short_name.as_str(), unit("精河县人力资源和社会保障局").lead_count), ("县人社局", 1));
    assert_eq!(unit("精河县人力资源和社会保障局").id, hrss);
    let log = f.db.operation_log(&ledger_core::queries::log::LogQuery { kind: "承办单位".into(), ..Default::default() }, None)?;
    assert!(log.iter().any(|e| e.action == "导入时补简称" && e.target == "精河县人力资源和社会保障局"), "{log:?}");
    Ok(())
}

#[test]
fn two_entries_of_one_unit_are_merged_with_their_items_history_and_log() -> TestResult {
    let mut f = fixture();
    let short = f.db.create_unit(&UnitInput { name: "州发改委".into(), ..Default::default() })?;
    let full = f.db.create_unit(&UnitInput { name: "州发展和改革委员会".into(), ..Default::default() })?;
    let led = f.db.create_item(&item_input(f.suggestions_2025, "1", "关于甲的建议", short))?;
    let mut both = item_input(f.suggestions_2025, "2", "关于乙的建议", short);
    both.assignments.push(AssignmentInput { unit_id: Some(full), role: "协办".into(), ..Default::default() });
    let both = f.db.create_item(&both)?;
    f.db.record_step(led, &ledger_core::workflow::StepInput { step: "签收".into(), happened_on: "2025-03-18".into(), unit_id: Some(short), ..Default::default() })?;

    // Giving the full unit the short name is refused with the holder named and the merge offered.
    let message = message_for(f.db.update_unit(full, &UnitInput { name: "州发展和改革委员会".into(), short_name: "州发改委".into(), ..Default::default() }), "short_name");
    assert!(message.contains("单位“州发改委”") && message.contains("合并单位"), "{message}");

    f.db.merge_units(full, short)?;
    let units = f.db.list_units()?;
    assert!(units.iter().all(|u| u.id != short), "the merged entry leaves the directory");
    let kept = units.iter().find(|u| u.id == full).unwrap();
    assert_eq!((kept.short_name.as_str(), kept.lead_count, kept.assist_count), ("州发改委", 2, 0));
    let detail = f.db.get_item(both)?;
    assert_eq!(detail.assignments.iter().map(|a| (a.unit_id, a.role.as_str())).collect::<Vec<_>>(), [(full, "主办")], "one entry, leading");
    assert_eq!(f.db.get_item(led)?.events[0].unit_name.as_deref(), Some("州发展和改革委员会"), "the history moves too");
    let today = chrono::NaiveDate::from_ymd_opt(2025, 4, 15).unwrap();
    assert!(f.db.unit_tasks(full, today)?.rows.len() == 2);
    super::work::assert_kept(&f.db, today, "a merge");
    let log = f.db.operation_log(&ledger_core::queries::log::LogQuery { kind: "承办单位".into(), ..Default::default() }, None)?;
    let merge = log.iter().find(|e| e.action == "合并单位" && e.target == "州发改委").expect("the merge is logged");
    assert!(merge.changes.iter().any(|c| c.field == "并入" && c.new == "州发展和改革委员会"), "{merge:?}");
    assert!(matches!(f.db.merge_units(full, full), Err(ledger_core::Error::Invalid(_))));
    Ok(())
}
