//! The yearly figures reproduced from the published reports' own numbers (DOMAIN.md §5),
//! and the invariants every breakdown and rate keeps.

use super::*;
use chrono::NaiveDate;
use ledger_core::queries::reports::TableQuery;
use ledger_core::stats::SatisfactionDefinition;
use ledger_core::workflow::StepInput;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn session(db: &mut Db, kind: &str, level: &str, name: &str) -> i64 {
    db.create_session(&SessionInput { kind: kind.into(), level: level.into(), year: "2025".into(), name: name.into() }).unwrap()
}

fn reply(db: &mut Db, id: i64, class: &str) {
    db.record_step(id, &StepInput { step: "正式答复".into(), happened_on: "2025-05-20".into(), class: class.into(), ..Default::default() }).unwrap();
}

#[test]
fn nineteen_national_proposals_give_the_reports_shares() -> TestResult {
    let mut db = Db::open_in_memory()?;
    let s = session(&mut db, "提案", "全国", "全国政协十四届三次会议");
    let unit = db.create_unit(&UnitInput { name: "省发展和改革委员会".into(), ..Default::default() })?;
    let categories = db.list_categories()?;
    let per_category = [("工交邮电", 5), ("文体宣传", 4), ("医疗卫生", 3), ("科学技术", 2), ("资源环境", 1), ("农业水利", 1), ("教育事业", 1), ("政治法律", 1), ("财税金融", 1)];
    let classes = [vec!["A"; 10], vec!["B"; 5], vec!["C"; 1]].concat();
    let mut n = 0;
    for (category, count) in per_category {
        for _ in 0..count {
            let role = if n < 10 { "主办" } else if n < 16 { "协办" } else { "参考" };
            let mut input = item_input(s, &(n + 1).to_string(), &format!("关于第{}件事的提案", n + 1), unit);
            input.county_role = role.into();
            input.category_id = categories.iter().find(|c| c.name == category).map(|c| c.id);
            if role == "参考" {
                input.assignments.clear();
            }
            let id = db.create_item(&input)?;
            if n < 16 {
                reply(&mut db, id, classes[n]);
            }
            n += 1;
        }
    }
    let stats = db.statistics(&TableQuery { year: 2025, ..Default::default() }, SatisfactionDefinition::default(), d(2025, 12, 31))?;
    assert_eq!(stats.total, 19);
    let shares: Vec<(String, u64, String)> = stats.categories.parts.iter().map(|p| (p.label.clone(), p.count, p.percent.clone())).collect();
    assert_eq!(shares[0], ("工交邮电".into(), 5, "26.32%".into()));
    assert_eq!(shares[1], ("文体宣传".into(), 4, "21.05%".into()));
    assert_eq!(shares[2], ("医疗卫生".into(), 3, "15.79%".into()));
    assert_eq!(shares[3], ("科学技术".into(), 2, "10.53%".into()));
    assert!(shares[4..].iter().all(|(_, c, p)| *c == 1 && p == "5.26%"), "{shares:?}");
    assert_eq!(shares.len(), 9);
    let roles: Vec<u64> = stats.roles.parts.iter().map(|p| p.count).collect();
    assert_eq!(roles, [10, 6, 3], "主办 10, 会办 6, 意见和建议 3");
    let classes: Vec<(u64, String)> = stats.classes.parts.iter().map(|p| (p.count, p.percent.clone())).collect();
    assert_eq!(classes, [(10, "62.50%".into()), (5, "31.25%".into()), (1, "6.25%".into())]);
    assert_eq!(stats.classes.total, 16, "the 3 意见和建议 items are not in the base");
    assert_eq!((stats.completion.numerator, stats.completion.denominator, stats.completion.percent.as_str()), (16, 16, "100.00%"));
    Ok(())
}

#[test]
fn two_hundred_ninety_five_suggestions_give_the_reports_rates() -> TestResult {
    let mut db = Db::open_in_memory()?;
    let s = session(&mut db, "建议", "州", "州十五届人大三次会议");
    let unit = db.create_unit(&UnitInput { name: "州发展和改革委员会".into(), ..Default::default() })?;
    for n in 0..295 {
        let id = db.create_item(&item_input(s, &(n + 1).to_string(), &format!("关于第{}件事的建议", n + 1), unit))?;
        reply(&mut db, id, if n < 275 { "A" } else { "B" });
        let verdict = if n < 265 { "满意" } else { "基本满意" };
        db.record_step(id, &StepInput {
            step: "征求意见".into(), happened_on: "2025-05-28".into(), channel: "面商".into(),
            work: verdict.into(), result: verdict.into(), ..Default::default()
        })?;
    }
    let query = TableQuery { year: 2025, ..Default::default() };
    let stats = db.statistics(&query, SatisfactionDefinition::default(), d(2025, 12, 31))?;
    assert_eq!((stats.solved.numerator, stats.solved.denominator, stats.solved.percent.as_str()), (275, 295, "93.22%"), "the report's 93.2% to two decimals");
    assert_eq!((stats.satisfaction.numerator, stats.satisfaction.denominator, stats.satisfaction.percent.as_str()), (295, 295, "100.00%"));
    assert!(stats.satisfaction.definition.contains("满意＋基本满意"));
    // The other definition in use: 满意 alone.
    let strict = db.statistics(&query, SatisfactionDefinition { on_result: true, satisfied_only: true }, d(2025, 12, 31))?;
    assert_eq!((strict.satisfaction.numerator, strict.satisfaction.percent.as_str()), (265, "89.83%"));
    assert!(strict.satisfaction.definition.contains("按办理结果的评价计"));
    Ok(())
}

#[test]
fn breakdowns_add_up_and_no_rate_exceeds_its_base() -> TestResult {
    let (_dir, mut db) = file_db();
    ledger_core::demo::seed(&mut db)?;
    let units = db.list_units()?;
    let mut queries = vec![TableQuery { year: 2025, ..Default::default() }, TableQuery { year: 2024, ..Default::default() }];
    for stream in Stream::all().filter(|s| matches!(s.level, Level::Prefecture | Level::County)) {
        queries.push(TableQuery { year: 2025, streams: vec![stream], unit_id: None });
    }
    queries.extend(units.iter().map(|u| TableQuery { year: 2025, streams: vec![], unit_id: Some(u.id) }));
    for query in &queries {
        for today in [d(2025, 4, 15), d(2025, 12, 31)] {
            for (on_result, satisfied_only) in [(false, false), (true, true)] {
                let s = db.statistics(query, SatisfactionDefinition { on_result, satisfied_only }, today)?;
                for breakdown in [&s.roles, &s.proposers, &s.categories] {
                    assert_eq!(breakdown.parts.iter().map(|p| p.count).sum::<u64>(), s.total, "{query:?}");
                    assert_eq!(breakdown.total, s.total);
                }
                assert_eq!(s.classes.parts.iter().map(|p| p.count).sum::<u64>(), s.classes.total);
                assert_eq!(s.opinions.total, s.satisfaction.denominator, "every returned opinion is counted once");
                for rate in [&s.completion, &s.satisfaction, &s.solved, &s.meetings, &s.b_to_a] {
                    assert!(rate.numerator <= rate.denominator, "{} {}/{}", rate.name, rate.numerator, rate.denominator);
                    assert!(!rate.definition.is_empty());
                }
            }
        }
    }
    let carried = db.statistics(&TableQuery { year: 2025, ..Default::default() }, SatisfactionDefinition::default(), d(2025, 4, 15))?;
    assert_eq!(carried.carried_b, 21, "the demo's B items of 2024");
    Ok(())
}

#[test]
fn the_summary_draft_reads_like_the_reports() -> TestResult {
    let (_dir, mut db) = file_db();
    ledger_core::demo::seed(&mut db)?;
    let query = TableQuery { year: 2025, streams: vec![PREFECTURE_SUGGESTIONS], unit_id: None };
    let stats = db.statistics(&query, SatisfactionDefinition::default(), d(2025, 4, 15))?;
    let (text, note) = ledger_core::stats::summary_draft(&stats, 2025, "县人民政府", "州人大代表建议");
    assert!(text.starts_with("2025年，县人民政府共承办州人大代表建议36件，其中主办13件、协办"), "{text}");
    // Issue 16: the categories in the list's own order (其它 last), the definitions in the note.
    let first = stats.categories_listed.parts.iter().find(|p| p.count > 0 && p.label != "其它").unwrap();
    assert!(text.contains(&format!("按类别分，{}类{}件、占{}", first.label, first.count, first.percent)), "{text}");
    assert!(!text.contains("办结率 =") && note.starts_with("注："), "{note}");
    Ok(())
}

#[test]
fn b_items_of_earlier_years_are_listed_until_solved() -> TestResult {
    let (_dir, mut db) = file_db();
    ledger_core::demo::seed(&mut db)?;
    let today = d(2025, 11, 1);
    let page = db.carried_b_items(today, 0)?;
    assert_eq!((page.total, page.following), (21, 21));
    let carried = page.rows;
    assert_eq!(carried.len(), 21);
    assert!(carried.iter().all(|c| c.year == 2024 && c.solved_on.is_none() && c.due_on == Some(d(2025, 10, 10))));
    assert_eq!(carried[0].lookbacks.len(), 1, "the October 2024 回头看");
    let first = carried[0].item_id;
    db.record_step(first, &StepInput {
        step: "回头看".into(), happened_on: "2025-09-30".into(), progress: "项目已竣工验收，代表现场查看认可。".into(),
        solved_on: "2025-09-20".into(), ..Default::default()
    })?;
    let page = db.carried_b_items(today, 0)?;
    assert_eq!((page.total, page.following), (21, 20));
    let solved = page.rows.last().unwrap();
    assert_eq!((solved.item_id, solved.solved_on), (first, Some(d(2025, 9, 20))), "solved ones go last");
    assert_eq!(solved.lookbacks.last().unwrap().1, "项目已竣工验收，代表现场查看认可。", "the evidence is kept");
    let stats = db.statistics(&TableQuery { year: 2025, ..Default::default() }, SatisfactionDefinition::default(), today)?;
    assert_eq!((stats.b_to_a.numerator, stats.b_to_a.denominator, stats.b_to_a.percent.as_str()), (1, 21, "4.76%"));
    Ok(())
}

#[test]
fn the_summary_exports_as_an_editable_document_in_the_official_layout() -> TestResult {
    use std::io::Read;
    let (_dir, mut db) = file_db();
    ledger_core::demo::seed(&mut db)?;
    let view = db.statistics_view(&TableQuery { year: 2024, ..Default::default() }, SatisfactionDefinition::default(), d(2025, 4, 15))?;
    let (bytes, name) = ledger_core::output::document::summary_document(&view, 2024)?;
    assert_eq!(name, "2024年人大代表建议和政协委员提案办理工作总结（统计部分）.docx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")?.read_to_string(&mut xml)?;
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    assert!(xml.contains(r#"w:top="2098""#) && xml.contains(r#"w:left="1588""#), "37 mm top, 28 mm binding margin");
    assert!(xml.contains(r#"w:eastAsia="仿宋_GB2312""#) && xml.contains(r#"w:eastAsia="方正小标宋简体""#), "eastAsia fonts");
    assert!(xml.contains(&view.summary), "the drafted paragraph");
    assert!(xml.contains("B类转化率") && xml.contains("合计"), "the tables");
    Ok(())
}

/// A small deterministic generator for the property test below.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn on_random_ledgers_shares_sum_to_the_total_and_rates_stay_within_their_base() -> TestResult {
    let mut dice = Lcg(2025);
    for round in 0..25 {
        let mut db = Db::open_in_memory()?;
        let s = session(&mut db, if round % 2 == 0 { "建议" } else { "提案" }, "州", "州十六届人大二次会议");
        let unit = db.create_unit(&UnitInput { name: "精河县教育局".into(), ..Default::default() })?;
        let kind = if round % 2 == 0 { ledger_core::model::Kind::Suggestion } else { ledger_core::model::Kind::Proposal };
        let categories: Vec<i64> = db.list_categories()?.into_iter().filter(|c| c.kind == kind).map(|c| c.id).collect();
        let items = 1 + dice.below(40);
        for n in 0..items {
            let mut input = item_input(s, &(n + 1).to_string(), &format!("关于第{}件事的建议", n + 1), unit);
            input.county_role = ["主办", "协办", "参考"][dice.below(3) as usize].into();
            if input.county_role == "参考" {
                input.assignments.clear();
            }
            input.category_id = (dice.below(4) > 0).then(|| categories[dice.below(categories.len() as u64) as usize]);
            let id = db.create_item(&input)?;
            if dice.below(3) > 0 {
                reply(&mut db, id, ["A", "B", "C"][dice.below(3) as usize]);
                if dice.below(2) == 0 {
                    let verdict = |d: &mut Lcg| ["满意", "基本满意", "不满意"][d.below(3) as usize].to_string();
                    db.record_step(id, &StepInput {
                        step: "征求意见".into(), happened_on: "2025-05-28".into(), channel: "电话".into(),
                        work: verdict(&mut dice), result: verdict(&mut dice), ..Default::default()
                    })?;
                }
            }
        }
        for definition in [SatisfactionDefinition::default(), SatisfactionDefinition { on_result: true, satisfied_only: true }] {
            let st = db.statistics(&TableQuery { year: 2025, ..Default::default() }, definition, d(2025, 12, 31))?;
            assert_eq!(st.total, items);
            for b in [&st.roles, &st.proposers, &st.categories] {
                assert_eq!(b.parts.iter().map(|p| p.count).sum::<u64>(), st.total, "round {round}");
            }
            assert_eq!(st.classes.parts.iter().map(|p| p.count).sum::<u64>(), st.classes.total);
            assert_eq!(st.opinions.total, st.satisfaction.denominator);
            for r in [&st.completion, &st.satisfaction, &st.solved, &st.meetings, &st.b_to_a] {
                assert!(r.numerator <= r.denominator, "round {round}: {} {}/{}", r.name, r.numerator, r.denominator);
            }
        }
    }
    Ok(())
}

/// The figures counted again, item by item, from the 承办情况表 rows and each item's view.
/// Returns the same shape as the statistics' counts, categories and units by name.
fn figures_from_the_table(db: &Db, query: &TableQuery, definition: SatisfactionDefinition, today: NaiveDate) -> Result<Vec<(String, u64)>, Box<dyn std::error::Error>> {
    use ledger_core::model::{CountyRole, UnitRole};
    use ledger_core::workflow::{Rating, ReplyClass};
    let rows = db.undertaking_rows(query, today)?.rows;
    let mut f: std::collections::BTreeMap<String, u64> = Default::default();
    let mut add = |name: String, yes: bool| *f.entry(name).or_default() += u64::from(yes);
    for r in &rows {
        let work = db.item_workflow(r.item.id, today)?;
        let detail = db.get_item(r.item.id)?;
        let answering = r.item.county_role != CountyRole::Reference;
        let collective = detail.proposers.first().is_some_and(|p| p.is_collective);
        let verdict = if definition.on_result { r.result } else { r.work };
        add("total".into(), true);
        add(format!("role {}", r.item.county_role), true);
        add("key".into(), r.item.is_key);
        add("collective".into(), collective);
        add("joint".into(), !collective && r.item.proposer_label.contains('等'));
        add(format!("category {}", r.item.category.clone().unwrap_or_else(|| "未分类".into())), true);
        for class in [ReplyClass::A, ReplyClass::B, ReplyClass::C] {
            add(format!("class {class}"), answering && r.class == Some(class));
        }
        add("answering".into(), answering);
        add("replied".into(), answering && r.replied_on.is_some());
        add("opinions".into(), r.work.is_some());
        for rating in [Rating::Satisfied, Rating::Basic, Rating::Unsatisfied] {
            add(format!("verdict {rating}"), verdict == Some(rating));
        }
        add("pleased".into(), verdict == Some(Rating::Satisfied) || (!definition.satisfied_only && verdict == Some(Rating::Basic)));
        add("met".into(), work.progress.met);
        for _ in 0..work.progress.redo_rounds {
            add("redo".into(), true);
        }
        add("published".into(), r.publication == Some(ledger_core::workflow::PublicationMode::Active));
        for u in &work.units {
            add(format!("unit {} lead", u.unit_name), u.role == UnitRole::Lead);
            add(format!("unit {} assist", u.unit_name), u.role == UnitRole::Assist);
            add(format!("unit {} replied", u.unit_name), u.role == UnitRole::Lead && r.replied_on.is_some());
            add(format!("unit {} overdue", u.unit_name), work.due.iter().any(|d| d.unit_id == Some(u.unit_id) && d.days_left.is_some_and(|x| x < 0)));
        }
    }
    Ok(f.into_iter().filter(|(_, n)| *n > 0).collect())
}

fn figures_of(s: &ledger_core::stats::Statistics) -> Vec<(String, u64)> {
    let mut f: std::collections::BTreeMap<String, u64> = Default::default();
    f.insert("total".into(), s.total);
    for p in &s.roles.parts {
        f.insert(format!("role {}", p.label), p.count);
    }
    f.insert("key".into(), s.key_items);
    f.insert("collective".into(), s.proposers.parts[2].count);
    f.insert("joint".into(), s.proposers.parts[1].count);
    for p in &s.categories.parts {
        f.insert(format!("category {}", p.label), p.count);
    }
    for p in &s.classes.parts {
        f.insert(format!("class {}", p.label.trim_end_matches('类')), p.count);
    }
    f.insert("answering".into(), s.completion.denominator);
    f.insert("replied".into(), s.completion.numerator);
    f.insert("opinions".into(), s.satisfaction.denominator);
    for p in &s.opinions.parts {
        f.insert(format!("verdict {}", p.label), p.count);
    }
    f.insert("pleased".into(), s.satisfaction.numerator);
    f.insert("met".into(), s.meetings.numerator);
    f.insert("redo".into(), s.redo_rounds);
    f.insert("published".into(), s.published);
    for u in &s.units {
        f.insert(format!("unit {} lead", u.unit_name), u.lead);
        f.insert(format!("unit {} assist", u.unit_name), u.assist);
        f.insert(format!("unit {} replied", u.unit_name), u.replied);
        f.insert(format!("unit {} overdue", u.unit_name), u.overdue);
    }
    f.into_iter().filter(|(_, n)| *n > 0).collect()
}

#[test]
fn the_figures_equal_a_count_of_the_table_row_by_row() -> TestResult {
    let (_dir, mut db) = file_db();
    ledger_core::demo::seed(&mut db)?;
    // A 不满意 opinion, so a 重新办理 round is counted too.
    let replied = db.undertaking_rows(&TableQuery { year: 2024, ..Default::default() }, d(2025, 4, 15))?.rows.into_iter().find(|r| r.replied_on.is_some()).unwrap();
    db.record_step(replied.item.id, &StepInput {
        step: "征求意见".into(), happened_on: "2025-01-10".into(), channel: "电话".into(), work: "不满意".into(), result: "不满意".into(), ..Default::default()
    })?;
    let units = db.list_units()?;
    let mut queries = vec![TableQuery { year: 2025, ..Default::default() }, TableQuery { year: 2024, ..Default::default() }];
    queries.push(TableQuery { year: 2025, streams: vec![PREFECTURE_SUGGESTIONS], unit_id: None });
    queries.extend(units.iter().take(4).map(|u| TableQuery { year: 2025, streams: vec![], unit_id: Some(u.id) }));
    for query in &queries {
        for today in [d(2025, 4, 15), d(2025, 12, 31)] {
            for definition in [SatisfactionDefinition::default(), SatisfactionDefinition { on_result: true, satisfied_only: true }] {
                let counted = figures_from_the_table(&db, query, definition, today)?;
                assert!(counted.iter().any(|(name, _)| name == "total"), "{query:?} finds items");
                assert_eq!(figures_of(&db.statistics(query, definition, today)?), counted, "{query:?} {today} {definition:?}");
            }
        }
    }
    Ok(())
}
