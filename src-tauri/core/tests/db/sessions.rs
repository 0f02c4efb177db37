//! 届次.

use super::*;

fn input(kind: &str, level: &str, year: &str, name: &str) -> SessionInput {
    SessionInput { kind: kind.into(), level: level.into(), year: year.into(), name: name.into() }
}

#[test]
fn sessions_list_newest_first_then_from_the_top_level() -> TestResult {
    let f = fixture();
    let names: Vec<String> = f.db.list_sessions()?.into_iter().map(|s| format!("{}{}", s.year, s.name)).collect();
    assert_eq!(names, ["2025州十六届人大二次会议", "2025政协精河县十一届五次会议", "2024州十六届人大一次会议"]);
    Ok(())
}

#[test]
fn a_session_is_validated_field_by_field() {
    let (_dir, mut db) = file_db();
    let fields = invalid_fields(db.create_session(&input("意见", "市", "25", " ")));
    assert_eq!(fields, ["kind", "level", "year", "name"]);
}

#[test]
fn the_same_session_cannot_be_added_twice() -> TestResult {
    let mut f = fixture();
    let message = message_for(f.db.create_session(&input("建议", "州", "2025", " 州十六届人大二次会议 ")), "name");
    assert!(message.contains("已经登记过"), "{message}");
    // The same name for the other kind is another body's session and is fine.
    f.db.create_session(&input("提案", "州", "2025", "州十六届人大二次会议"))?;
    Ok(())
}

#[test]
fn a_session_with_items_keeps_its_kind() -> TestResult {
    let mut f = fixture();
    f.db.create_item(&item_input(f.suggestions_2025, "1", "关于A的建议", f.fagai))?;
    let message = message_for(f.db.update_session(f.suggestions_2025, &input("提案", "州", "2025", "州十六届人大二次会议")), "kind");
    assert!(message.contains("已登记 1 件建议"), "{message}");
    f.db.update_session(f.suggestions_2025, &input("建议", "州", "2025", "州第十六届人大第二次会议"))?;
    assert!(f.db.list_sessions()?.iter().any(|s| s.name == "州第十六届人大第二次会议"));
    Ok(())
}
