//! 类别 lists.

use super::*;
use ledger_core::model::Kind;

#[test]
fn categories_can_be_added_renamed_and_retired() -> TestResult {
    let mut f = fixture();
    let id = f.db.create_category(Kind::Proposal, "  乡村振兴 ")?;
    let added = f.db.list_categories()?.into_iter().find(|c| c.id == id).unwrap();
    assert_eq!((added.name.as_str(), added.sort_order, added.active), ("乡村振兴", 10, true));

    let message = message_for(f.db.create_category(Kind::Proposal, "医疗卫生"), "name");
    assert!(message.contains("已有“医疗卫生”"), "{message}");
    f.db.create_category(Kind::Suggestion, "医疗卫生")?; // other kind, other list

    f.db.rename_category(id, "乡村振兴与农业")?;
    f.db.set_category_active(id, false)?;
    let renamed = f.db.list_categories()?.into_iter().find(|c| c.id == id).unwrap();
    assert_eq!((renamed.name.as_str(), renamed.active), ("乡村振兴与农业", false));
    assert!(matches!(f.db.set_category_active(9999, true), Err(ledger_core::Error::NotFound(_))));
    Ok(())
}

#[test]
fn a_renamed_category_shows_on_its_items() -> TestResult {
    let mut f = fixture();
    let category = f.db.list_categories()?.into_iter().find(|c| c.kind == Kind::Suggestion && c.name == "科教文卫").unwrap();
    let mut input = item_input(f.suggestions_2025, "5", "关于改善乡村学校办学条件的建议", f.jiaoyu);
    input.category_id = Some(category.id);
    let item = f.db.create_item(&input)?;
    f.db.rename_category(category.id, "教科文卫")?;
    assert_eq!(f.db.get_item(item)?.category.as_deref(), Some("教科文卫"));
    assert_eq!(f.db.list_categories()?.into_iter().find(|c| c.id == category.id).unwrap().item_count, 1);
    Ok(())
}
