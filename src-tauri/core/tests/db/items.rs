//! Items: intake, validation, identity, the recycle bin, the list and its search.

use ledger_core::queries::items::ItemQuery;
use super::*;
use ledger_core::model::{CountyRole, Kind, Level, UnitRole};
use ledger_core::queries::items::SortKey;
use ledger_core::Error;

const TRICKY_TITLE: &str = "关于《精河县志》编纂、“枸杞·文化”宣传和'夜市'管理的建议<script>alert(1)</script>";
const TRICKY_NAME: &str = "图尔荪·艾尔肯<b>\"代表\"</b>";

#[test]
fn an_item_keeps_every_field_and_every_character() -> TestResult {
    let mut f = fixture();
    let category = f.db.list_categories()?.into_iter().find(|c| c.kind == Kind::Suggestion && c.name == "工交财贸").unwrap();
    let input = ItemInput {
        session_id: Some(f.suggestions_2025),
        number: "第２１４号".into(),
        title: format!("《{TRICKY_TITLE}》"),
        full_text: "第一段。\n\n第二段：建议如下。\n".into(),
        category_id: Some(category.id),
        county_role: "主办".into(),
        is_key: true,
        supervising_leader: "副县长 艾尔肯·吐尔地".into(),
        assigned_on: "2025年3月17日".into(),
        signers_total: "11".into(),
        note: "州人大重点督办".into(),
        proposers: vec![
            ProposerInput { name: TRICKY_NAME.into(), delegation: "精河县代表团".into(), phone: "13899887766".into(), ..Default::default() },
            ProposerInput { name: "李燕芹".into(), ..Default::default() },
            ProposerInput { name: "".into(), ..Default::default() }, // an empty row of the form is ignored
        ],
        assignments: vec![
            AssignmentInput { unit_id: Some(f.yuanqu), role: "协办".into(), handler: "高峰".into(), ..Default::default() },
            AssignmentInput { unit_id: Some(f.fagai), role: "主办".into(), leader: "副主任 王志刚".into(), handler: "李娜".into(), phone: "0909-5321101".into() },
        ],
    };
    let id = f.db.create_item(&input)?;
    let item = f.db.get_item(id)?;
    assert_eq!(item.number, "214");
    assert_eq!(item.title, TRICKY_TITLE, "the outer 《》 is dropped, the inner ones kept");
    assert_eq!(item.full_text, "第一段。\n\n第二段：建议如下。");
    assert_eq!(item.stream, "州人大建议");
    assert_eq!(item.session.name, "州十六届人大二次会议");
    assert_eq!(item.category.as_deref(), Some("工交财贸"));
    assert_eq!(item.county_role, CountyRole::Lead);
    assert!(item.is_key);
    assert_eq!(item.supervising_leader, "副县长 艾尔肯·吐尔地");
    assert_eq!(item.assigned_on, chrono::NaiveDate::from_ymd_opt(2025, 3, 17));
    assert_eq!(item.proposer_label, format!("{TRICKY_NAME}等11人"));
    assert_eq!(item.proposers.len(), 2);
    assert_eq!(item.proposers[0].delegation, "精河县代表团");
    // The lead unit is listed first whatever the form's order.
    assert_eq!(item.assignments[0].unit_name, "精河县发展和改革委员会");
    assert_eq!(item.assignments[0].role, UnitRole::Lead);
    assert_eq!(item.assignments[0].leader, "副主任 王志刚");
    assert_eq!(item.assignments[1].unit_name, "精河工业园区管委会");
    assert!(item.events.is_empty());

    let rows = f.db.list_items(&ItemQuery::default())?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].lead_unit.as_deref(), Some("精河县发展和改革委员会"));
    assert_eq!(rows[0].assist_units, ["精河工业园区管委会"]);
    Ok(())
}

#[test]
fn every_wrong_field_is_reported_at_once_and_nothing_is_written() -> TestResult {
    let mut f = fixture();
    let input = ItemInput {
        session_id: Some(f.suggestions_2025),
        number: "二百一十四".into(),
        title: "   ".into(),
        county_role: "主办".into(),
        assigned_on: "2025-02-30".into(),
        signers_total: "很多".into(),
        proposers: vec![ProposerInput { name: "".into(), phone: "13899887766".into(), ..Default::default() }],
        assignments: vec![AssignmentInput { unit_id: Some(f.fagai), role: "协办".into(), phone: "abc".into(), ..Default::default() }],
        ..Default::default()
    };
    let result = f.db.create_item(&input);
    let Err(Error::Invalid(errors)) = result else { panic!("expected validation errors, got {result:?}") };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["number", "title", "assigned_on", "proposers.0.name", "signers_total", "assignments.0.phone", "assignments"]);
    for e in &errors {
        assert!(e.message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "message in Chinese: {}", e.message);
    }
    assert!(errors[6].message.contains("必须指定一个主办单位"), "{}", errors[6].message);
    assert!(f.db.list_items(&ItemQuery::default())?.is_empty());
    Ok(())
}

#[test]
fn dates_must_be_sane_for_the_session() {
    let mut f = fixture();
    let mut input = item_input(f.suggestions_2025, "1", "关于A的建议", f.fagai);
    input.assigned_on = "2031-03-17".into();
    let message = message_for(f.db.create_item(&input), "assigned_on");
    assert!(message.contains("相差太远"), "{message}");
}

#[test]
fn the_county_leads_through_exactly_one_lead_unit() -> TestResult {
    let mut f = fixture();
    let mut input = item_input(f.suggestions_2025, "1", "关于A的建议", f.fagai);
    input.assignments.push(AssignmentInput { unit_id: Some(f.jiaoyu), role: "主办".into(), ..Default::default() });
    let message = message_for(f.db.create_item(&input), "assignments");
    assert!(message.contains("只能有一个主办单位"), "{message}");

    input.assignments[1].role = "协办".into();
    input.assignments.push(AssignmentInput { unit_id: Some(f.jiaoyu), role: "协办".into(), ..Default::default() });
    let message = message_for(f.db.create_item(&input), "assignments.2.unit_id");
    assert!(message.contains("重复"), "{message}");

    // A 参考 item needs no unit at all; a 协办 item may have one county lead unit.
    let mut reference = item_input(f.suggestions_2025, "2", "关于B的建议", f.fagai);
    reference.county_role = "参考".into();
    reference.assignments.clear();
    f.db.create_item(&reference)?;
    let mut assisting = item_input(f.suggestions_2025, "3", "关于C的建议", f.fagai);
    assisting.county_role = "协办".into();
    f.db.create_item(&assisting)?;
    Ok(())
}

#[test]
fn a_number_is_unique_within_its_session_and_the_refusal_names_the_holder() -> TestResult {
    let mut f = fixture();
    f.db.create_item(&item_input(f.suggestions_2025, "214", "关于加快实施布久乡孜热村升级改造项目的建议", f.fagai))?;
    let before: i64 = item_count(&f);
    let message = message_for(f.db.create_item(&item_input(f.suggestions_2025, "第214号", "关于另一件事的建议", f.jiaoyu)), "number");
    assert!(message.contains("《关于加快实施布久乡孜热村升级改造项目的建议》"), "{message}");
    assert!(message.contains("州十六届人大二次会议第214号建议"), "{message}");
    assert_eq!(item_count(&f), before, "the refused item left nothing behind");
    // The same number in another session, or of another kind, is another item.
    f.db.create_item(&item_input(f.suggestions_2024, "214", "关于另一件事的建议", f.jiaoyu))?;
    f.db.create_item(&item_input(f.proposals_2025, "214", "关于另一件事的提案", f.jiaoyu))?;
    Ok(())
}

fn item_count(f: &Fixture) -> i64 {
    f.db.list_items(&ItemQuery::default()).unwrap().len() as i64
}

#[test]
fn the_recycle_bin_keeps_items_whole_and_gives_them_back() -> TestResult {
    let mut f = fixture();
    let id = f.db.create_item(&item_input(f.suggestions_2025, "9", "关于建设老年人日间照料中心的建议", f.fagai))?;
    let before = f.db.get_item(id)?;
    f.db.delete_item(id)?;

    assert!(f.db.list_items(&ItemQuery::default())?.is_empty());
    let bin = f.db.list_items(&ItemQuery { deleted: true, ..Default::default() })?;
    assert_eq!(bin.len(), 1);
    assert!(bin[0].deleted_at.is_some());
    assert!(matches!(f.db.update_item(id, &item_input(f.suggestions_2025, "9", "改", f.fagai)), Err(Error::NotFound(_))));

    // A number held by an item in the bin is still taken, and the message says where it is.
    let message = message_for(f.db.create_item(&item_input(f.suggestions_2025, "9", "关于另一件的建议", f.fagai)), "number");
    assert!(message.contains("回收站"), "{message}");

    f.db.restore_item(id)?;
    let after = f.db.get_item(id)?;
    assert_eq!(after.deleted_at, None);
    assert_eq!((after.title, after.proposers, after.assignments), (before.title, before.proposers, before.assignments));
    assert!(f.db.list_items(&ItemQuery { deleted: true, ..Default::default() })?.is_empty());
    assert!(matches!(f.db.delete_item(424242), Err(Error::NotFound(_))));
    Ok(())
}

#[test]
fn an_edit_replaces_the_people_and_keeps_the_identity() -> TestResult {
    let mut f = fixture();
    let id = f.db.create_item(&item_input(f.suggestions_2025, "12", "关于A的建议", f.fagai))?;
    let created = f.db.get_item(id)?.created_at;
    let mut edit = item_input(f.suggestions_2025, "13", "关于A的建议（修改）", f.jiaoyu);
    edit.proposers = vec![
        ProposerInput { name: "妇联界".into(), is_collective: true, ..Default::default() },
        ProposerInput { name: "王爱新".into(), ..Default::default() },
    ];
    f.db.update_item(id, &edit)?;
    let item = f.db.get_item(id)?;
    assert_eq!((item.number.as_str(), item.title.as_str()), ("13", "关于A的建议（修改）"));
    assert_eq!(item.proposer_label, "妇联界等2人");
    assert!(item.proposers[0].is_collective);
    assert_eq!(item.assignments.len(), 1);
    assert_eq!(item.assignments[0].unit_id, f.jiaoyu);
    assert_eq!(item.created_at, created);
    // Keeping its own number is not a duplicate of itself.
    f.db.update_item(id, &edit)?;
    Ok(())
}

fn numbers(rows: &[ledger_core::model::ItemRow]) -> Vec<String> {
    rows.iter().map(|r| r.number.clone()).collect()
}

#[test]
fn the_list_filters_searches_and_sorts() -> TestResult {
    let mut f = fixture();
    let categories = f.db.list_categories()?;
    let cat = |name: &str| categories.iter().find(|c| c.name == name).map(|c| c.id);
    let mut add = |session: i64, number: &str, title: &str, unit: i64, category: Option<i64>, key: bool, proposer: &str| {
        let mut input = item_input(session, number, title, unit);
        input.category_id = category;
        input.is_key = key;
        input.proposers[0].name = proposer.into();
        f.db.create_item(&input).unwrap()
    };
    add(f.suggestions_2025, "10", "关于改善乡村学校办学条件的建议", f.jiaoyu, cat("科教文卫"), false, "美志高");
    add(f.suggestions_2025, "9", "关于加快工业园区道路建设的建议", f.yuanqu, cat("工交财贸"), true, "乔次仁");
    add(f.suggestions_2025, "100", "关于促进中小企业发展的建议", f.fagai, cat("工交财贸"), false, "图尔荪·艾尔肯");
    add(f.proposals_2025, "3", "关于建设老年人日间照料中心的提案", f.fagai, cat("医疗卫生"), true, "田鸿");
    add(f.suggestions_2024, "55", "关于完善新能源汽车充电设施的建议", f.fagai, cat("工交财贸"), false, "马如国");

    let list = |q: ItemQuery| f.db.list_items(&q).unwrap();
    // The ledger order: newest year, top level first, then by number as a number.
    assert_eq!(numbers(&list(ItemQuery::default())), ["9", "10", "100", "3", "55"]);
    assert_eq!(numbers(&list(ItemQuery { year: Some(2024), ..Default::default() })), ["55"]);
    assert_eq!(numbers(&list(ItemQuery { kind: Some(Kind::Proposal), level: Some(Level::County), ..Default::default() })), ["3"]);
    assert_eq!(numbers(&list(ItemQuery { category_id: cat("工交财贸"), year: Some(2025), ..Default::default() })), ["9", "100"]);
    assert_eq!(numbers(&list(ItemQuery { unit_id: Some(f.fagai), ..Default::default() })), ["100", "3", "55"]);
    assert_eq!(numbers(&list(ItemQuery { key_only: true, ..Default::default() })), ["9", "3"]);

    let search = |text: &str| numbers(&list(ItemQuery { text: text.into(), ..Default::default() }));
    assert_eq!(search("学校"), ["10"], "Chinese substring of the title");
    assert_eq!(search("艾尔肯"), ["100"], "part of a proposer's name");
    assert_eq!(search("第100号"), ["100"], "the number as written on paper");
    assert_eq!(search("１００"), ["100"], "full-width digits");
    assert_eq!(search("工业 园区"), ["9"], "every word must match");
    assert_eq!(search("100%"), Vec::<String>::new(), "a % is a character, not a wildcard");
    assert_eq!(search("关于"), ["9", "10", "100", "3", "55"]);
    // Two characters are found where they stand together, in a title or a name, and not
    // across the end of one and the start of the next.
    assert_eq!(search("志高"), ["10"], "two characters of a proposer's name");
    assert_eq!(search("园区 乔次仁"), ["9"], "a word of two beside one of three");
    assert_eq!(search("议美"), Vec::<String>::new(), "the title's end and the proposer's start are not one word");
    assert_eq!(search("9"), ["9"], "one digit finds the item of that number");
    assert_eq!(search("校"), ["10"], "one character");
    assert_eq!(search("·艾"), ["100"], "a pair with a mark in it");

    let sorted = |sort: SortKey, descending: bool| numbers(&list(ItemQuery { sort, descending, ..Default::default() }));
    assert_eq!(sorted(SortKey::Number, false), ["3", "9", "10", "55", "100"]);
    assert_eq!(sorted(SortKey::Number, true), ["100", "55", "10", "9", "3"]);
    assert_eq!(sorted(SortKey::LeadUnit, false)[..3], ["100", "3", "55"], "精河县发展… first");
    assert_eq!(f.db.list_years()?, [2025, 2024]);
    Ok(())
}

#[test]
fn the_ledger_comes_a_page_at_a_time_in_the_lists_order() -> TestResult {
    let (_dir, mut db) = file_db();
    ledger_core::demo::seed(&mut db)?;
    let page_size = ledger_core::queries::items::LEDGER_PAGE;
    // A list longer than a page: the demo's items again under another session, up to three pages.
    let session = db.create_session(&SessionInput { kind: "提案".into(), level: "县".into(), year: "2023".into(), name: "往年提案".into() })?;
    let unit = db.list_units()?[0].name.clone();
    let mut list = String::from("编号,标题,领衔人,主办单位\n");
    for n in 1..=(2 * page_size + 30) {
        list.push_str(&format!("{n},关于第{n}件事的提案,王建华,{unit}\n"));
    }
    db.import_items(list.as_bytes(), "清单.csv", &ledger_core::import::preview::ImportOptions { session_id: Some(session), ..Default::default() })?;
    for query in [ItemQuery::default(), ItemQuery { sort: ledger_core::queries::items::SortKey::Proposer, descending: true, ..Default::default() }, ItemQuery { sort: ledger_core::queries::items::SortKey::LeadUnit, ..Default::default() }, ItemQuery { year: Some(2023), text: "件事".into(), ..Default::default() }] {
        let whole = db.list_items(&query)?;
        let mut paged = Vec::new();
        let mut offset = 0;
        loop {
            let page = db.item_page(&query, offset)?;
            assert_eq!(page.total, whole.len(), "{query:?}");
            assert!(page.rows.len() <= page_size);
            if page.rows.is_empty() {
                break;
            }
            offset += page.rows.len();
            paged.extend(page.rows);
        }
        assert_eq!(paged, whole, "the pages, one after another, are the whole list: {query:?}");
    }
    assert!(db.list_items(&ItemQuery::default())?.len() > 2 * page_size);
    let empty = db.item_page(&ItemQuery { text: "没有这样的标题".into(), ..Default::default() }, 0)?;
    assert_eq!((empty.rows.len(), empty.total), (0, 0));
    Ok(())
}

#[test]
fn the_search_index_follows_every_change_of_title_number_and_proposers() -> TestResult {
    let mut f = fixture();
    let found = |db: &Db, text: &str| db.list_items(&ItemQuery { text: text.into(), ..Default::default() }).unwrap().into_iter().map(|i| i.id).collect::<Vec<_>>();
    let mut input = item_input(f.suggestions_2025, "214", "关于加快实施布久乡孜热村升级改造项目的建议", f.fagai);
    input.proposers[0].name = "乔次仁".into();
    let id = f.db.create_item(&input)?;
    assert_eq!(found(&f.db, "孜热村"), [id]);
    assert_eq!(found(&f.db, "乔次仁"), [id]);

    input.title = "关于完善新能源汽车充电设施的建议".into();
    input.proposers[0].name = "图尔荪·艾尔肯".into();
    f.db.update_item(id, &input)?;
    assert!(found(&f.db, "孜热村").is_empty(), "the old title is gone from the index");
    assert!(found(&f.db, "乔次仁").is_empty(), "and the old proposer");
    assert_eq!(found(&f.db, "充电设施"), [id]);
    assert!(found(&f.db, "孜热").is_empty(), "the old title's pairs are gone too");
    assert_eq!(found(&f.db, "充电"), [id]);
    assert_eq!(found(&f.db, "艾尔肯"), [id]);

    let list = "编号,标题,领衔人,主办单位\n215,关于加强草原生态保护的建议,巴特尔·孟克,精河县发展和改革委员会\n";
    f.db.import_items(list.as_bytes(), "清单.csv", &ledger_core::import::preview::ImportOptions { session_id: Some(f.suggestions_2025), ..Default::default() })?;
    assert_eq!(found(&f.db, "草原生态").len(), 1, "an imported item is found");
    assert_eq!(found(&f.db, "巴特尔").len(), 1);
    Ok(())
}

#[test]
fn one_number_however_it_was_typed_is_one_item() -> TestResult {
    let mut f = fixture();
    let first = f.db.create_item(&item_input(f.suggestions_2025, "001", "关于第一件事的建议", f.fagai))?;
    // 1, １ and 第1号 are the number already registered, named as it was registered.
    for typed in ["1", "１", "第1号", "第001号"] {
        let refused = f.db.create_item(&item_input(f.suggestions_2025, typed, "关于另一件事的建议", f.fagai));
        let Err(ledger_core::Error::Invalid(errors)) = refused else { panic!("{typed} was taken") };
        assert!(errors[0].message.contains("第001号建议已经登记过"), "{typed}: {}", errors[0].message);
    }
    // Another session may have its own 1.
    f.db.create_item(&item_input(f.proposals_2025, "1", "关于第一件事的提案", f.fagai))?;
    // A search for the number finds it however it is typed.
    for typed in ["1", "001", "第1号"] {
        let found = f.db.list_items(&ledger_core::queries::items::ItemQuery { text: typed.into(), kind: Some(ledger_core::model::Kind::Suggestion), ..Default::default() })?;
        assert_eq!(found.iter().map(|i| i.id).collect::<Vec<_>>(), [first], "{typed}");
    }
    Ok(())
}

#[test]
fn an_older_ledger_holding_one_number_twice_keeps_both_and_lists_them() -> TestResult {
    let (dir, mut db) = file_db();
    let session = db.create_session(&SessionInput { kind: "建议".into(), level: "州".into(), year: "2025".into(), name: "州十六届人大二次会议".into() })?;
    let unit = db.create_unit(&UnitInput { name: "精河县教育局".into(), ..Default::default() })?;
    let first = db.create_item(&item_input(session, "1", "关于甲的建议", unit))?;
    let second = db.create_item(&item_input(session, "2", "关于乙的建议", unit))?;
    db.create_item(&item_input(session, "3", "关于丙的建议", unit))?;
    assert_eq!(db.number_collisions()?, []);
    drop(db);
    // As an older program let it be typed: 001 beside 1.
    let path = dir.path().join(ledger_core::db::DB_FILE_NAME);
    rusqlite::Connection::open(&path)?.execute("UPDATE items SET number = '001' WHERE id = ?1", [second])?;
    let db = Db::open(&path)?;
    let collisions = db.number_collisions()?;
    assert_eq!(collisions.len(), 1);
    assert_eq!(collisions[0].session, "州十六届人大二次会议");
    assert_eq!(collisions[0].items.iter().map(|i| (i.id, i.number.as_str())).collect::<Vec<_>>(), [(first, "1"), (second, "001")], "both kept, none merged");
    assert_eq!(db.list_items(&ledger_core::queries::items::ItemQuery::default())?.len(), 3);
    // One of them in the recycle bin: no longer held twice; restored: again.
    let mut db = db;
    db.delete_item(second)?;
    assert_eq!(db.number_collisions()?, []);
    db.restore_item(second)?;
    assert_eq!(db.number_collisions()?.len(), 1);
    Ok(())
}
