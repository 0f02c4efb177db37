//! 相似件 and links: items whose similarity is known (the same matter reworded, an unrelated
//! one, the same proposer) are ranked as a clerk would rank them; the proposals come from the
//! similar items; links show on both items, are logged, counted in the statistics and listed.

use ledger_core::likeness::Probe;
use ledger_core::model::LinkKind;
use super::*;
use chrono::NaiveDate;

use ledger_core::queries::log::LogQuery;
use ledger_core::queries::reports::TableQuery;
use ledger_core::queries::similar::build_index;

use ledger_core::workflow::StepInput;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 4, 1).unwrap()
}

fn with_proposer(mut input: ItemInput, name: &str) -> ItemInput {
    input.proposers = vec![ProposerInput { name: name.into(), ..Default::default() }];
    input
}

fn replied(db: &mut Db, id: i64, unit: i64, class: &str, on: &str) {
    db.record_step(id, &StepInput { step: "正式答复".into(), happened_on: on.into(), unit_id: Some(unit), class: class.into(), ..Default::default() }).unwrap();
}

/// Last year's items: the teachers' pay (replied B), two unrelated ones, and one of the same
/// proposer on another matter.
struct LastYear {
    f: Fixture,
    teachers: i64,
    roads: i64,
    parking: i64,
    same_proposer: i64,
}

fn last_year() -> LastYear {
    let mut f = fixture();
    let s = f.suggestions_2024;
    let mut teachers = with_proposer(item_input(s, "12", "关于提高乡村教师待遇的建议", f.jiaoyu), "王建华");
    teachers.assigned_on = "2024-03-15".into();
    teachers.assignments.push(AssignmentInput { unit_id: Some(f.fagai), role: "协办".into(), ..Default::default() });
    let teachers = f.db.create_item(&teachers).unwrap();
    replied(&mut f.db, teachers, f.jiaoyu, "B", "2024-05-20");
    let roads = f.db.create_item(&item_input(s, "13", "关于加强农村公路养护的建议", f.fagai)).unwrap();
    let parking = f.db.create_item(&item_input(s, "14", "关于解决城区停车难问题的建议", f.fagai)).unwrap();
    let same_proposer = f.db.create_item(&with_proposer(item_input(s, "15", "关于改善乡村学校办学条件的建议", f.jiaoyu), "王建华")).unwrap();
    LastYear { f, teachers, roads, parking, same_proposer }
}

#[test]
fn the_same_matter_reworded_ranks_first_with_its_reason_and_an_unrelated_one_is_not_shown() -> TestResult {
    let LastYear { f, teachers, roads, parking, same_proposer } = last_year();
    let probe = Probe { title: "关于进一步提高教师待遇的建议".into(), kind: Some(Kind::Suggestion), ..Default::default() };
    let view = f.db.similar_items(&probe, today())?;
    let ids: Vec<i64> = view.items.iter().map(|i| i.id).collect();
    assert_eq!(ids.first(), Some(&teachers), "{:?}", view.items);
    assert!(!ids.contains(&roads) && !ids.contains(&parking), "unrelated items are not shown: {:?}", view.items);
    let first = &view.items[0];
    assert_eq!((first.year, first.number.as_str(), first.class.as_deref()), (2024, "12", Some("B")));
    assert_eq!(first.shared_words, ["教师待遇", "提高"]);
    assert!(first.similarity >= 60 && first.similarity <= 100, "{}", first.similarity);
    assert_eq!(first.lead_unit.as_deref(), Some("精河县教育局"));

    // The same proposer on a matter near it: flagged, and ranked above what it would be.
    let probe = Probe { title: "关于改善乡村学校教学条件的建议".into(), proposers: vec!["王建华".into()], ..Default::default() };
    let view = f.db.similar_items(&probe, today())?;
    let found = view.items.iter().find(|i| i.id == same_proposer).expect("the same proposer's item");
    assert!(found.same_proposer && view.items[0].id == same_proposer, "{:?}", view.items);
    let without = f.db.similar_items(&Probe { proposers: vec![], ..probe.clone() }, today())?;
    let plain = without.items.iter().find(|i| i.id == same_proposer).unwrap();
    assert!(!plain.same_proposer && plain.similarity < found.similarity);

    // A title with nothing in common finds nothing.
    assert!(f.db.similar_items(&Probe { title: "关于繁荣夜市经济的建议".into(), ..Default::default() }, today())?.items.is_empty());
    Ok(())
}

#[test]
fn the_similar_items_propose_category_and_units_and_a_new_item_is_found_at_once() -> TestResult {
    let LastYear { mut f, teachers, .. } = last_year();
    let education = f.db.list_categories()?.into_iter().find(|c| c.kind == Kind::Suggestion && c.name == "科教文卫").unwrap();
    let mut input = f.db.get_item(teachers)?;
    assert!(input.category.is_none());
    // Give last year's item its category through the edit form's path.
    let mut form = item_input(f.suggestions_2024, "12", &input.title, f.jiaoyu);
    form.proposers = vec![ProposerInput { name: "王建华".into(), ..Default::default() }];
    form.assigned_on = "2024-03-15".into();
    form.category_id = Some(education.id);
    form.assignments.push(AssignmentInput { unit_id: Some(f.fagai), role: "协办".into(), ..Default::default() });
    f.db.update_item(teachers, &form)?;
    input = f.db.get_item(teachers)?;
    assert_eq!(input.category.as_deref(), Some("科教文卫"));

    let probe = Probe { title: "关于提高教师待遇的建议".into(), kind: Some(Kind::Suggestion), ..Default::default() };
    let proposed = f.db.similar_items(&probe, today())?.suggestions;
    assert_eq!(proposed.category.first().map(|c| (c.id, c.items)), Some((education.id, 1)));
    assert_eq!(proposed.lead_unit.first().map(|c| c.id), Some(f.jiaoyu));
    assert_eq!(proposed.assist_units.iter().map(|c| c.id).collect::<Vec<_>>(), [f.fagai]);
    // A proposal category is not proposed for a 提案 from a 建议's category.
    let for_proposal = f.db.similar_items(&Probe { kind: Some(Kind::Proposal), ..probe.clone() }, today())?.suggestions;
    assert!(for_proposal.category.is_empty() && !for_proposal.lead_unit.is_empty());

    // Registered this year, the new item is found by the next question (the index follows).
    let new = f.db.create_item(&item_input(f.suggestions_2025, "3", "关于提高教师待遇 稳定乡村教师队伍的建议", f.jiaoyu))?;
    let view = f.db.similar_items(&Probe { except: Some(teachers), ..probe.clone() }, today())?;
    assert_eq!(view.items.iter().map(|i| i.id).collect::<Vec<_>>(), [new]);
    // In the recycle bin it is not found.
    f.db.delete_item(new)?;
    assert!(f.db.similar_items(&Probe { except: Some(teachers), ..probe }, today())?.items.is_empty());
    Ok(())
}

#[test]
fn an_index_of_earlier_years_knows_nothing_of_this_year() -> TestResult {
    let LastYear { mut f, teachers, .. } = last_year();
    let this_year = f.db.create_item(&item_input(f.suggestions_2025, "1", "关于提高乡村教师待遇的建议", f.jiaoyu))?;
    let earlier = build_index(&ledger_conn(&f), Some(2025))?;
    assert_eq!(earlier.len(), 4);
    let probe = Probe { title: "关于提高乡村教师待遇的建议".into(), ..Default::default() };
    assert_eq!(earlier.find(&probe, 0.3, 8).iter().map(|x| x.id).collect::<Vec<_>>(), [teachers]);
    let all = f.db.similar_index()?;
    let ids: Vec<i64> = all.find(&probe, 0.3, 8).iter().map(|x| x.id).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&this_year), "{ids:?}");
    Ok(())
}

/// A read-only second connection to the test's ledger file.
#[test]
fn of_many_as_like_the_best_are_kept_in_order_and_on_a_tie_the_newer_first() -> TestResult {
    let mut f = fixture();
    // Thirty items of one common topic, some word for word the probe's title, among others.
    let others = ["乡村道路养护", "中小学校舍改造", "基层医疗卫生服务", "草原生态保护", "职业教育发展"];
    for n in 31..=70 {
        f.db.create_item(&item_input(f.suggestions_2025, &n.to_string(), &format!("关于{}的建议（{n}）", others[n % 5]), f.jiaoyu))?;
    }
    for n in 1..=30 {
        let title = match n % 3 {
            0 => "关于加强冬季供暖保障的建议".to_string(),
            1 => format!("关于加强冬季供暖保障和第{n}小区管网改造的建议"),
            _ => format!("关于第{n}片区冬季供暖的建议"),
        };
        let mut input = item_input(f.suggestions_2025, &n.to_string(), &title, f.jiaoyu);
        if n == 7 {
            input = with_proposer(input, "王建华");
        }
        f.db.create_item(&input)?;
    }
    let index = f.db.similar_index()?;
    let probe = Probe { title: "关于加强冬季供暖保障的建议".into(), proposers: vec!["王建华".into()], ..Default::default() };
    let every = index.find(&probe, 0.3, 100);
    assert!(every.len() > 20, "{}", every.len());
    assert!(every.windows(2).all(|w| w[0].similarity > w[1].similarity || (w[0].similarity == w[1].similarity && w[0].id > w[1].id)), "{every:?}");
    assert!(every[0].similarity == 1.0 && every[0].id > every[1].id, "word for word, newest first: {every:?}");
    assert!(every.iter().any(|x| x.same_proposer), "the same proposer counts: {every:?}");
    for limit in [1, 3, 8, 12] {
        assert_eq!(index.find(&probe, 0.3, limit), every[..limit], "the best {limit}");
    }
    Ok(())
}

fn ledger_conn(f: &Fixture) -> rusqlite::Connection {
    rusqlite::Connection::open(f._dir.path().join(ledger_core::db::DB_FILE_NAME)).unwrap()
}

#[test]
fn a_link_shows_on_both_items_is_logged_counted_and_listed() -> TestResult {
    let LastYear { mut f, teachers, roads, .. } = last_year();
    let again = f.db.create_item(&with_proposer(item_input(f.suggestions_2025, "7", "关于提高教师待遇的建议", f.jiaoyu), "李秀英"))?;
    let with_it = f.db.create_item(&item_input(f.suggestions_2025, "8", "关于落实乡村教师生活补助的建议", f.fagai))?;
    let stats = |db: &Db| db.statistics(&TableQuery { year: 2025, ..Default::default() }, Default::default(), today()).unwrap();
    assert_eq!(stats(&f.db).repeated, 0);

    f.db.link_items(again, teachers, LinkKind::Repeated)?;
    f.db.link_items(again, with_it, LinkKind::SameClass)?;
    let links = f.db.links_of(again, today())?;
    assert_eq!(links.iter().map(|l| (l.other.id, l.kind)).collect::<Vec<_>>(), [(with_it, LinkKind::SameClass), (teachers, LinkKind::Repeated)]);
    let back = f.db.links_of(teachers, today())?;
    assert_eq!((back.len(), back[0].other.id, back[0].kind), (1, again, LinkKind::Repeated), "shown on the other item too");
    assert_eq!(f.db.links_of(again, today())?[1].class.as_deref(), Some("B"));
    // The similar list names the link.
    let view = f.db.similar_items(&Probe { title: "关于提高教师待遇的建议".into(), except: Some(again), ..Default::default() }, today())?;
    assert_eq!(view.items.iter().find(|i| i.id == teachers).and_then(|i| i.link.as_deref()), Some("重复提出"));

    // Counted in this year's figures (the 2024 item in 2024's), in the summary, and listed.
    assert_eq!(stats(&f.db).repeated, 1);
    let last = f.db.statistics(&TableQuery { year: 2024, ..Default::default() }, Default::default(), today())?;
    assert_eq!(last.repeated, 1);
    let (summary, _) = ledger_core::stats::summary_draft(&stats(&f.db), 2025, "县人民政府", "州人大代表建议");
    assert!(summary.contains("涉及代表多年提、反复提的问题1件。"), "{summary}");
    let list = f.db.repeated_items(&TableQuery { year: 2025, ..Default::default() }, today())?;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].raised_with, ["2024年 州十六届人大一次会议第12号《关于提高乡村教师待遇的建议》（B类）"]);
    // The exported list, read back by openpyxl.
    let (bytes, name) = f.db.repeated_file(&TableQuery { year: 2025, ..Default::default() }, today())?;
    assert_eq!(name, "2025年多年提、反复提的问题清单.xlsx");
    let path = f._dir.path().join(&name);
    std::fs::write(&path, bytes)?;
    let read = std::process::Command::new("/usr/bin/python3")
        .args(["-c", "import sys, openpyxl; ws = openpyxl.load_workbook(sys.argv[1])['反复提出的问题']; print('|'.join(str(c.value) for c in ws[4]))"])
        .arg(&path)
        .output()?;
    assert!(read.status.success(), "{}", String::from_utf8_lossy(&read.stderr));
    assert_eq!(String::from_utf8(read.stdout)?.trim(), "1|7|关于提高教师待遇的建议|李秀英|精河县教育局|州人大建议|None|2024年 州十六届人大一次会议第12号《关于提高乡村教师待遇的建议》（B类）");

    // Changing the kind and taking it away are logged on both items.
    f.db.link_items(teachers, again, LinkKind::SameClass)?;
    assert_eq!(stats(&f.db).repeated, 0);
    f.db.unlink_items(again, teachers)?;
    assert!(f.db.links_of(teachers, today())?.is_empty());
    let log = f.db.operation_log(&LogQuery { item_id: Some(teachers), ..Default::default() }, None)?;
    let actions: Vec<(&str, &str, &str)> = log.iter().filter(|e| e.kind.as_str() == "关联").map(|e| (e.action.as_str(), e.changes[0].old.as_str(), e.changes[0].new.as_str())).collect();
    assert_eq!(actions, [("取消关联", "同类", ""), ("改变关联", "重复提出", "同类"), ("关联", "", "重复提出")]);
    assert!(log.iter().all(|e| e.kind.as_str() != "关联" || e.changes[0].field.contains("第7号")), "the entry names the other item");

    // Refused: an item with itself, one in the recycle bin. Nothing is written.
    assert!(matches!(f.db.link_items(again, again, LinkKind::Repeated), Err(ledger_core::Error::Invalid(_))));
    f.db.delete_item(roads)?;
    assert!(matches!(f.db.link_items(again, roads, LinkKind::Repeated), Err(ledger_core::Error::Invalid(_))));
    assert_eq!(f.db.links_of(again, today())?.len(), 1);
    Ok(())
}

#[test]
fn the_lead_unit_of_one_item_is_given_to_its_unreplied_same_class_items_of_the_year() -> TestResult {
    let LastYear { mut f, teachers, .. } = last_year();
    let first = f.db.create_item(&item_input(f.suggestions_2025, "1", "关于提高教师待遇的建议", f.jiaoyu))?;
    let mut second = item_input(f.suggestions_2025, "2", "关于落实教师待遇的建议", f.fagai);
    second.assignments.push(AssignmentInput { unit_id: Some(f.jiaoyu), role: "协办".into(), ..Default::default() });
    let second = f.db.create_item(&second)?;
    let third = f.db.create_item(&item_input(f.suggestions_2025, "3", "关于保障教师待遇的建议", f.yuanqu))?;
    replied(&mut f.db, third, f.yuanqu, "A", "2025-03-30");
    for other in [second, third, teachers] {
        f.db.link_items(first, other, LinkKind::SameClass)?;
    }
    assert_eq!(f.db.apply_lead_to_same_class(first, today())?, 1, "the replied item and last year's keep theirs");
    let units = |db: &Db, id: i64| db.get_item(id).unwrap().assignments.iter().map(|a| (a.unit_id, a.role.as_str().to_string())).collect::<Vec<_>>();
    assert_eq!(units(&f.db, second), [(f.jiaoyu, "主办".to_string())], "the unit leaves the 协办 list to lead");
    assert_eq!(units(&f.db, third), [(f.yuanqu, "主办".to_string())]);
    let log = f.db.operation_log(&LogQuery { item_id: Some(second), ..Default::default() }, None)?;
    assert_eq!(log[0].action, "统一同类件主办单位");
    super::work::assert_kept(&f.db, today(), "after the lead unit was given");
    Ok(())
}

#[test]
fn an_import_preview_names_similar_items_per_row_and_a_taken_proposal_is_imported() -> TestResult {
    let LastYear { mut f, teachers, .. } = last_year();
    let education = f.db.list_categories()?.into_iter().find(|c| c.kind == Kind::Suggestion && c.name == "科教文卫").unwrap();
    let mut form = item_input(f.suggestions_2024, "12", "关于提高乡村教师待遇的建议", f.jiaoyu);
    form.category_id = Some(education.id);
    form.assigned_on = "2024-03-15".into();
    f.db.update_item(teachers, &form)?;
    // Row 2 leaves category and units empty; row 3 names its own; row 4 is like nothing.
    let list = "编号,标题,领衔人,类别,主办单位\n1,关于提高教师待遇的建议,王建华,,\n2,关于加强农村公路养护管理的建议,李秀英,,县发改委\n3,关于繁荣夜市经济的建议,张志强,,县发改委\n";
    let mut options = ledger_core::import::preview::ImportOptions { session_id: Some(f.suggestions_2025), ..Default::default() };
    let preview = f.db.preview_import(list.as_bytes(), "清单.csv", &options)?;
    let rows = &preview.rows;
    assert!(rows[0].similar[0].starts_with("2024年 第12号《关于提高乡村教师待遇的建议》 相似"), "{:?}", rows[0].similar);
    let proposal = rows[0].proposal.clone().expect("a proposal for the empty fields");
    assert_eq!((proposal.category.as_str(), proposal.lead_unit.as_str()), ("科教文卫", "精河县教育局"));
    assert_eq!(rows[0].action, "有误", "without a lead unit the row cannot be imported as it is");
    assert!(rows[1].similar[0].contains("农村公路养护"));
    assert_eq!(rows[1].proposal, None, "its similar item has no category, and the file names its unit");
    assert!(rows[2].similar.is_empty() && rows[2].proposal.is_none());

    // Taken with one key in the window: the row is imported with what it proposed.
    options.taken.insert(rows[0].row, proposal);
    let preview = f.db.preview_import(list.as_bytes(), "清单.csv", &options)?;
    assert_eq!((preview.rows[0].action.as_str(), preview.rows[0].taken), ("新增", true));
    f.db.import_items(list.as_bytes(), "清单.csv", &options)?;
    let new = f.db.list_items(&ledger_core::queries::items::ItemQuery { year: Some(2025), text: "提高教师待遇".into(), ..Default::default() })?;
    assert_eq!(new.len(), 1);
    assert_eq!((new[0].category.as_deref(), new[0].lead_unit.as_deref()), (Some("科教文卫"), Some("精河县教育局")));
    Ok(())
}

#[test]
fn a_replay_proposes_each_year_from_the_years_before_it_and_counts_what_was_right() -> TestResult {
    let LastYear { mut f, teachers, roads, parking, same_proposer } = last_year();
    let categories = f.db.list_categories()?;
    let category = |name: &str| categories.iter().find(|c| c.kind == Kind::Suggestion && c.name == name).unwrap().id;
    // Last year's items get their categories (the roads and parking items 工交财贸, the schools 科教文卫).
    for (id, name) in [(teachers, "科教文卫"), (roads, "工交财贸"), (parking, "工交财贸"), (same_proposer, "科教文卫")] {
        let item = f.db.get_item(id)?;
        let lead = item.assignments.iter().find(|a| a.role.as_str() == "主办").unwrap().unit_id;
        let mut form = with_proposer(item_input(f.suggestions_2024, &item.number, &item.title, lead), &item.proposers[0].name);
        form.assigned_on = item.assigned_on.map(|d| d.to_string()).unwrap_or_default();
        form.category_id = Some(category(name));
        f.db.update_item(id, &form)?;
    }
    // This year: the same matters reworded (right unit and category), one on roads led by
    // another unit than last year's, and one like nothing before it.
    let mut with_category = |number: &str, title: &str, unit: i64, name: &str| {
        let mut form = item_input(f.suggestions_2025, number, title, unit);
        form.category_id = Some(category(name));
        f.db.create_item(&form).unwrap()
    };
    with_category("1", "关于进一步提高教师待遇的建议", f.jiaoyu, "科教文卫");
    with_category("2", "关于解决城区停车难的建议", f.fagai, "工交财贸");
    with_category("3", "关于加强农村公路日常养护的建议", f.yuanqu, "工交财贸");
    with_category("4", "关于繁荣夜市经济的建议", f.fagai, "工交财贸");
    let years = f.db.replay_proposals()?;
    assert_eq!(years.len(), 1, "2024 has nothing before it");
    let y = &years[0];
    assert_eq!((y.year, y.items, y.earlier_items), (2025, 4, 4));
    assert_eq!(y.category, ledger_core::similar::Hits { asked: 4, proposed: 3, top1: 3, top3: 3 });
    assert_eq!(y.lead_unit, ledger_core::similar::Hits { asked: 4, proposed: 3, top1: 2, top3: 2 });
    assert!(y.ms_per_suggestion > 0.0);
    Ok(())
}
