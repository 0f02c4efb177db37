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
