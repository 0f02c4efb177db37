//! 相似件 in the window: typing a title shows last year's item on the same matter and what it
//! proposes, taken with F2; linking two items shows on both and is counted in the statistics.

use crate::harness::*;
use ledger_core::model::{AssignmentInput, ItemInput, ProposerInput};
use ledger_core::workflow::StepInput;
use ledger_core::Db;

const F2: &str = "\u{E032}";
const ENTER: &str = "\u{E007}";

/// The two-year ledger with last year's items: the teachers' pay (科教文卫, 县教育局 leading
/// and 县发改委 assisting, replied B) and one on roads; `this_year` adds items of 2025.
fn ledger_with_last_year(this_year: &[&str]) -> Result<tempfile::TempDir, Box<dyn std::error::Error>> {
    let dir = two_year_ledger()?;
    let mut db = Db::open(&dir.path().join(ledger_core::db::DB_FILE_NAME))?;
    let sessions = db.list_sessions()?;
    let session = |year: i32| sessions.iter().find(|s| s.year == year).unwrap().id;
    let units = db.list_units()?;
    let unit = |name: &str| units.iter().find(|u| u.name == name).unwrap().id;
    let education = db.list_categories()?.into_iter().find(|c| c.name == "科教文卫").unwrap().id;
    let item = |session: i64, number: &str, title: &str, assigned_on: &str| ItemInput {
        session_id: Some(session), number: number.into(), title: title.into(), county_role: "主办".into(), assigned_on: assigned_on.into(),
        proposers: vec![ProposerInput { name: "王建华".into(), ..Default::default() }],
        assignments: vec![AssignmentInput { unit_id: Some(unit("精河县教育局")), role: "主办".into(), ..Default::default() }],
        ..Default::default()
    };
    let mut teachers = item(session(2024), "12", "关于提高乡村教师待遇的建议", "2024-03-15");
    teachers.category_id = Some(education);
    teachers.assignments.push(AssignmentInput { unit_id: Some(unit("精河县发展和改革委员会")), role: "协办".into(), ..Default::default() });
    let teachers = db.create_item(&teachers)?;
    db.record_step(teachers, &StepInput { step: "正式答复".into(), happened_on: "2024-05-20".into(), unit_id: Some(unit("精河县教育局")), class: "B".into(), ..Default::default() })?;
    db.create_item(&item(session(2024), "13", "关于加强农村公路养护的建议", "2024-03-15"))?;
    for (n, title) in this_year.iter().enumerate() {
        db.create_item(&item(session(2025), &(n + 1).to_string(), title, "2025-03-17"))?;
    }
    Ok(dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn typing_a_title_shows_last_years_item_and_its_proposal_taken_with_f2() -> TestResult {
    let dir = ledger_with_last_year(&[])?;
    let app = App::on_day(dir.path(), "2025-04-01").await?;
    app.go("intake").await?;
    app.choose("field-session", "2025年 州十六届人大二次会议（州人大建议）").await?;
    app.type_into("field-number", "5").await?;
    app.type_into("field-title", "关于进一步提高教师待遇的建议").await?;
    let rows = app.wait_texts("similar-row", |rows| !rows.is_empty()).await?;
    assert_eq!(rows.len(), 1, "the roads item is not like it: {rows:?}");
    for part in ["2024年", "第12号建议", "关于提高乡村教师待遇的建议", "王建华", "精河县教育局", "B类", "共同词语：教师待遇、提高"] {
        assert!(rows[0].contains(part), "{part} in {rows:?}");
    }
    let proposal = app.text("proposal").await?;
    assert!(proposal.contains("类别 科教文卫") && proposal.contains("主办 精河县教育局") && proposal.contains("协办 精河县发展和改革委员会"), "{proposal}");
    app.screenshot("intake-similar").await?;
    // Nothing is filled in until the clerk asks.
    assert_eq!(app.value("field-category").await?, "");

    app.find("field-title").await?.send_keys(F2).await?;
    assert_ne!(app.value("field-category").await?, "");
    app.type_into("proposer-name", "李秀英").await?;
    app.find("field-note").await?.send_keys(ENTER).await?;
    app.on_screen("item").await?;
    assert_eq!(app.text("detail-category").await?, "科教文卫");
    let units = app.text("detail-units").await?;
    assert!(units.contains("主办\t精河县教育局") && units.contains("协办\t精河县发展和改革委员会"), "{units}");
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn linking_two_items_shows_on_both_and_is_counted_in_the_statistics() -> TestResult {
    let dir = ledger_with_last_year(&["关于提高教师待遇的建议"])?;
    let app = App::on_day(dir.path(), "2025-04-01").await?;
    app.go("stats").await?;
    app.choose("stats-year", "2025年").await?;
    app.wait_text("stats-repeated", |t| t == "多年提、反复提的问题 0 件").await?;

    app.go("ledger").await?;
    app.click_in("item-link", "关于提高教师待遇的建议", "").await?;
    app.on_screen("item").await?;
    app.text("no-links").await?;
    app.click_in("similar-row", "提高乡村教师待遇", "link-repeated").await?;
    let links = app.wait_texts("link-row", |rows| rows.len() == 1).await?;
    assert!(links[0].starts_with("重复提出") && links[0].contains("2024年") && links[0].contains("B类"), "{links:?}");
    app.wait_texts("similar-row", |rows| rows.iter().any(|r| r.contains("已标为重复提出"))).await?;
    app.screenshot("item-links").await?;

    // The other item shows the link too.
    app.click_in("link-row", "提高乡村教师待遇", "link-open").await?;
    app.wait_text("item-title", |t| t == "关于提高乡村教师待遇的建议").await?;
    let back = app.wait_texts("link-row", |rows| rows.len() == 1).await?;
    assert!(back[0].contains("2025年") && back[0].contains("关于提高教师待遇的建议"), "{back:?}");

    app.go("stats").await?;
    app.choose("stats-year", "2025年").await?;
    app.wait_text("stats-repeated", |t| t == "多年提、反复提的问题 1 件").await?;
    let summary = app.value("stats-summary").await?;
    assert!(summary.contains("涉及代表多年提、反复提的问题1件。"), "{summary}");
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_preview_names_similar_items_and_a_ticked_proposal_is_imported() -> TestResult {
    let dir = ledger_with_last_year(&[])?;
    let app = App::on_day(dir.path(), "2025-04-01").await?;
    let list = "编号,标题,领衔人,主办单位\n1,关于提高教师待遇的建议,李秀英,\n2,关于繁荣夜市经济的建议,张志强,县发改委\n";
    crate::years::import(&app, "2025年 州十六届人大二次会议（州人大建议）", list).await?;
    let similar = app.wait_texts("row-similar", |rows| !rows.is_empty()).await?;
    assert_eq!(similar.len(), 1, "the second row is like nothing: {similar:?}");
    assert!(similar[0].starts_with("相似：2024年 第12号《关于提高乡村教师待遇的建议》"), "{similar:?}");
    let proposal = app.text("row-proposal").await?;
    assert_eq!(proposal, "采用：类别 科教文卫 · 主办 精河县教育局 · 协办 精河县发展和改革委员会");
    app.wait_text("import-run", |t| t.contains("还有 1 行有误")).await?;
    // Space on the box takes it: the row comes in with the proposal.
    app.find("take-row-proposal").await?.send_keys(" ").await?;
    app.wait_text("import-run", |t| t == "导入 2 件").await?;
    let rows = app.texts("import-row").await?;
    assert!(rows[0].contains("科教文卫\t精河县教育局\t精河县发展和改革委员会"), "{rows:?}");
    app.screenshot("import-similar").await?;
    app.click("import-run").await?;
    app.on_screen("ledger").await?;
    app.click_in("item-link", "关于提高教师待遇的建议", "").await?;
    app.on_screen("item").await?;
    assert_eq!(app.text("detail-category").await?, "科教文卫");
    app.close().await
}
