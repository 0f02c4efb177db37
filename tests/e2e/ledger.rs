//! The item list on the demo ledger: filters, search, sort, open, edit, delete, restore.

use crate::harness::*;
use ledger_core::model::{Kind, Level};
use ledger_core::queries::items::ItemQuery;
use ledger_core::Db;

/// The ledger as the core sees it, read from the file the window is using.
fn core_count(app: &App, query: ItemQuery) -> usize {
    let db = Db::open(&app.data_dir.join(ledger_core::db::DB_FILE_NAME)).expect("open the app's database");
    db.list_items(&query).expect("list").len()
}

async fn count_is(app: &App, expected: usize) -> TestResult {
    app.wait_text("item-count", |t| t == format!("共 {expected} 件")).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_filters_searches_and_sorts_the_ledger() -> TestResult {
    let app = App::demo().await?;
    app.on_screen("reminders").await?;
    app.go("ledger").await?;
    count_is(&app, 170).await?;
    app.screenshot("ledger-list").await?;

    app.choose("filter-year", "2024年").await?;
    count_is(&app, core_count(&app, ItemQuery { year: Some(2024), ..Default::default() })).await?;
    count_is(&app, 21).await?;

    app.choose("filter-year", "2025年").await?;
    app.choose("filter-stream", "县政协提案").await?;
    count_is(&app, 43).await?;
    let streams: Vec<String> = app.texts("item-row").await?;
    assert!(streams.iter().all(|row| row.contains("县政协提案")), "every row is of the stream");

    app.choose("filter-category", "医疗卫生").await?;
    let expected = {
        let db = Db::open(&app.data_dir.join(ledger_core::db::DB_FILE_NAME))?;
        let category = db.list_categories()?.into_iter().find(|c| c.kind == Kind::Proposal && c.name == "医疗卫生").unwrap();
        db.list_items(&ItemQuery { year: Some(2025), kind: Some(Kind::Proposal), level: Some(Level::County), category_id: Some(category.id), ..Default::default() })?.len()
    };
    assert!(expected > 0);
    count_is(&app, expected).await?;

    // Chinese substring search over title and proposer, on top of the filters.
    app.type_into("filter-text", "图尔荪").await?;
    count_is(&app, 1).await?;
    let row = app.text("item-row").await?;
    assert!(row.contains("图尔荪·艾尔肯") && row.contains("关于加强和完善公共急救培训体系建设的提案"), "{row}");

    app.click("filter-clear").await?;
    count_is(&app, 170).await?;
    app.type_into("filter-text", "第103号").await?;
    count_is(&app, core_count(&app, ItemQuery { text: "103".into(), ..Default::default() })).await?;

    app.click("filter-clear").await?;
    app.click("filter-key").await?;
    count_is(&app, core_count(&app, ItemQuery { key_only: true, ..Default::default() })).await?;
    assert!(app.texts("item-row").await?.iter().all(|row| row.ends_with("重点")));

    app.click("filter-clear").await?;
    app.choose("filter-unit", "精河县教育局").await?;
    let db = Db::open(&app.data_dir.join(ledger_core::db::DB_FILE_NAME))?;
    let unit = db.list_units()?.into_iter().find(|u| u.name == "精河县教育局").unwrap();
    count_is(&app, core_count(&app, ItemQuery { unit_id: Some(unit.id), ..Default::default() })).await?;

    // Sorting by number, both ways.
    app.click("filter-clear").await?;
    app.choose("filter-year", "2025年").await?;
    app.choose("filter-stream", "州人大建议").await?;
    app.click("sort-number").await?;
    app.wait_text("sort-number", |t| t.contains('▲')).await?;
    let first = first_number(&app).await?;
    app.click("sort-number").await?;
    app.wait_text("sort-number", |t| t.contains('▼')).await?;
    let last = first_number(&app).await?;
    assert!(first < last, "ascending starts at {first}, descending at {last}");
    app.close().await
}

async fn first_number(app: &App) -> Result<u32, Box<dyn std::error::Error>> {
    let row = app.text("item-row").await?;
    Ok(row.split_whitespace().next().unwrap_or_default().parse()?)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_edits_deletes_and_restores_an_item() -> TestResult {
    let app = App::demo().await?;
    app.go("ledger").await?;
    app.type_into("filter-text", "孜热村").await?;
    count_is(&app, 1).await?;
    app.click("item-link").await?;
    app.on_screen("item").await?;
    assert_eq!(app.text("item-title").await?, "关于加快实施巴宜区布久乡孜热村升级改造项目的建议");
    assert_eq!(app.text("detail-proposer").await?, "乔次仁");
    app.screenshot("item-view").await?;

    app.click("edit-item").await?;
    app.on_screen("edit").await?;
    assert_eq!(app.value("field-title").await?, "关于加快实施巴宜区布久乡孜热村升级改造项目的建议");
    app.type_into("field-title", "关于加快实施巴宜区布久乡孜热村升级改造项目（二期）的建议").await?;
    app.type_into("field-note", "州人大常委会领导督办").await?;
    app.click("save-item").await?;
    app.on_screen("item").await?;
    app.wait_text("item-title", |t| t.contains("（二期）")).await?;
    assert_eq!(app.text("detail-note").await?, "州人大常委会领导督办");

    app.click("delete-item").await?;
    app.on_screen("ledger").await?;
    app.wait_text("toast", |t| t.contains("已将第104号建议移入回收站")).await?;
    app.type_into("filter-text", "孜热村").await?;
    count_is(&app, 0).await?;

    app.go("bin").await?;
    app.wait_text("bin-count", |t| t == "共 1 件").await?;
    assert!(app.text("bin-row").await?.contains("（二期）"));
    app.click("bin-restore").await?;
    app.wait_text("bin-count", |t| t == "共 0 件").await?;

    app.go("ledger").await?;
    app.type_into("filter-text", "孜热村").await?;
    count_is(&app, 1).await?;
    assert!(app.text("item-row").await?.contains("（二期）"), "restored with the edit");
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_ledger_comes_a_page_at_a_time() -> TestResult {
    // 450 items of one session: more than two pages of the list.
    let dir = tempfile::tempdir()?;
    let mut db = Db::open(&dir.path().join(ledger_core::db::DB_FILE_NAME))?;
    let session = db.create_session(&ledger_core::model::SessionInput { kind: "提案".into(), level: "县".into(), year: "2025".into(), name: "政协精河县十一届五次会议".into() })?;
    db.create_unit(&ledger_core::model::UnitInput { name: "精河县教育局".into(), ..Default::default() })?;
    let mut list = String::from("编号,标题,领衔人,主办单位\n");
    for n in 1..=450 {
        list.push_str(&format!("{n},关于第{n}所学校的提案,王建华,精河县教育局\n"));
    }
    db.import_items(list.as_bytes(), "清单.csv", &ledger_core::import::preview::ImportOptions { session_id: Some(session), ..Default::default() })?;
    drop(db);

    let app = App::on(dir.path()).await?;
    app.go("ledger").await?;
    count_is(&app, 450).await?;
    app.wait_text("page-place", |t| t == "第 1–200 件，共 450 件").await?;
    assert_eq!(app.texts("item-row").await?.len(), 200, "one page in the window, not the whole ledger");
    assert!(app.texts("item-link").await?[0].contains("第1所学校"));
    app.click("page-next").await?;
    app.wait_text("page-place", |t| t == "第 201–400 件，共 450 件").await?;
    assert!(app.texts("item-link").await?[0].contains("第201所学校"));
    app.click("page-next").await?;
    app.wait_text("page-place", |t| t == "第 401–450 件，共 450 件").await?;
    assert_eq!(app.texts("item-row").await?.len(), 50);
    app.click("page-previous").await?;
    app.wait_text("page-place", |t| t.starts_with("第 201–400 件")).await?;
    app.client.execute("document.querySelector('[data-testid=pager]').scrollIntoView()", vec![]).await?;
    app.screenshot("ledger-pages").await?;
    // A search starts again at the first page of what it finds.
    app.type_into("filter-text", "第44").await?;
    count_is(&app, 11).await?;
    assert_eq!(app.texts("item-row").await?.len(), 11);
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn numbers_an_older_ledger_holds_twice_are_listed_for_the_clerk() -> TestResult {
    let (dir, _) = this_years_items(&[("1", "关于繁荣早市夜市经济的建议", "精河县教育局", None), ("2", "关于供水管网改造的建议", "精河县教育局", None)])?;
    let path = dir.path().join(ledger_core::db::DB_FILE_NAME);
    // As an older program let it be typed: 001 beside 1.
    rusqlite::Connection::open(&path)?.execute("UPDATE items SET number = '001' WHERE number = '2'", [])?;
    let app = App::on(dir.path()).await?;
    app.go("ledger").await?;
    let notice = app.text("number-collision").await?;
    assert_eq!(notice, "州十六届人大二次会议：第1号《关于繁荣早市夜市经济的建议》、第001号《关于供水管网改造的建议》");
    assert_eq!(app.text("item-count").await?, "共 2 件", "both items are kept");
    app.close().await
}
