//! The unit directory, the sessions and the category lists, kept by the clerk.

use crate::harness::*;

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_keeps_the_unit_directory() -> TestResult {
    let app = App::fresh().await?;
    app.go("units").await?;
    app.type_into("unit-name", "精河工业园区管委会").await?;
    app.type_into("unit-short", "工业园区").await?;
    app.type_into("unit-contact", "高峰").await?;
    app.type_into("unit-phone", "0909-5321119").await?;
    app.click("unit-save").await?;
    app.wait_text("unit-table", |t| t.contains("精河工业园区管委会") && t.contains("0909-5321119")).await?;

    // The same name again is refused in Chinese, and nothing is added.
    app.type_into("unit-name", "精河工业园区管委会").await?;
    app.click("unit-save").await?;
    app.wait_text("unit-errors", |t| t.contains("重名")).await?;
    assert_eq!(app.find_all("unit-row").await?.len(), 1);

    app.click("unit-edit").await?;
    assert_eq!(app.value("unit-name").await?, "精河工业园区管委会");
    app.type_into("unit-phone", "0909-5329999").await?;
    app.click("unit-save").await?;
    app.wait_text("unit-table", |t| t.contains("0909-5329999")).await?;

    app.click("unit-toggle").await?;
    app.wait_text("unit-row-state", |t| t == "已停用").await?;
    app.screenshot("units").await?;
    app.click("unit-toggle").await?;
    app.wait_text("unit-row-state", |t| t == "在用").await?;
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_edits_sessions_and_categories() -> TestResult {
    let app = App::fresh().await?;
    // A fresh ledger says what to do first.
    app.wait_text("empty-list", |t| t.contains("请先到「设置」添加届次")).await?;
    app.go("settings").await?;
    app.choose("session-kind", "提案（政协）").await?;
    app.choose("session-level", "县").await?;
    app.type_into("session-year", "2025").await?;
    app.type_into("session-name", "政协精河县十一届五次会议").await?;
    app.click("session-save").await?;
    app.wait_text("session-table", |t| t.contains("政协精河县十一届五次会议") && t.contains("县政协提案")).await?;

    app.choose("session-kind", "提案（政协）").await?;
    app.choose("session-level", "县").await?;
    app.type_into("session-name", "政协精河县十一届五次会议").await?;
    app.click("session-save").await?;
    app.wait_text("session-errors", |t| t.contains("已经登记过")).await?;

    app.type_into("category-new-提案", "乡村振兴").await?;
    app.click("category-add-提案").await?;
    app.wait_text("categories-提案", |t| t.contains("乡村振兴")).await?;
    app.click_in("category-row", "乡村振兴", "category-rename").await?;
    app.type_into("category-rename-input", "乡村振兴与共同富裕").await?;
    app.click("category-rename-save").await?;
    app.wait_text("categories-提案", |t| t.contains("乡村振兴与共同富裕")).await?;
    assert!(app.text("data-dir").await?.contains(&app.data_dir.display().to_string()));
    app.screenshot("settings").await?;
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_newer_database_is_refused_in_plain_chinese() -> TestResult {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join(ledger_core::db::DB_FILE_NAME);
    rusqlite::Connection::open(&file)?.execute_batch("CREATE TABLE t (x); PRAGMA user_version = 99;")?;
    let before = std::fs::read(&file)?;
    let app = App::on(dir.path()).await?;
    let message = app.wait_text("startup-error", |t| t.contains("台账数据无法打开")).await?;
    let supported = format!("比本程序支持的版本（{}）新", ledger_core::db::schema_version());
    assert!(message.contains(&supported), "{message}");
    assert!(message.contains("没有改动"), "{message}");
    app.screenshot("startup-error").await?;
    app.close().await?;
    assert_eq!(std::fs::read(&file)?, before, "the newer file is untouched");
    Ok(())
}

/// A list naming prefecture units by their short and their full names.
const SHORT_AND_FULL: &str = "编号,标题,领衔人,主办单位,协办单位,交办日期\n\
    1,关于甲的建议,乔次仁,州发改委,,2025-03-17\n\
    2,关于乙的建议,美志高,州发展和改革委员会,州卫健委,2025-03-17\n\
    3,关于丙的建议,田鸿,州卫生健康委员会,,2025-03-17\n";

#[tokio::test(flavor = "multi_thread")]
async fn short_and_full_names_become_one_unit_in_the_import_or_by_a_merge() -> TestResult {
    let dir = two_year_ledger()?;
    let app = App::on(dir.path()).await?;
    crate::years::import(&app, "2025年 州十六届人大二次会议（州人大建议）", SHORT_AND_FULL).await?;
    let pairs = app.wait_text("unit-matches", |t| t.contains("州发改委")).await?;
    assert!(pairs.contains("“州发改委”就是清单中的“州发展和改革委员会”") && pairs.contains("“州卫健委”就是清单中的“州卫生健康委员会”"), "{pairs}");
    // The clerk says no to one pair (to merge it later by hand) and lets units be added.
    app.click_in("unit-match-row", "州卫健委", "unit-match").await?;
    app.click("import-create-units").await?;
    app.wait_text("import-ok", |t| t.contains("没有发现问题")).await?;
    app.click("import-run").await?;
    app.on_screen("ledger").await?;
    app.wait_text("toast", |t| t.contains("新增 3 件")).await?;

    app.go("units").await?;
    let rows = app.texts("unit-row").await?;
    assert!(rows.iter().any(|r| r.starts_with("州发展和改革委员会\t州发改委")), "one unit with its short name: {rows:?}");
    assert!(rows.iter().any(|r| r.starts_with("州卫健委")) && rows.iter().any(|r| r.starts_with("州卫生健康委员会")), "{rows:?}");

    // Giving the full one the short name says who holds it and offers the merge.
    app.click_in("unit-row", "州卫生健康委员会", "unit-edit").await?;
    app.type_into("unit-short", "州卫健委").await?;
    app.click("unit-save").await?;
    let said = app.wait_text("unit-errors", |t| t.contains("合并")).await?;
    assert!(said.contains("已是单位“州卫健委”的名称或简称"), "{said}");
    app.click("offer-merge").await?;
    app.screenshot("unit-merge").await?;
    app.click("merge-confirm").await?;
    app.wait_text("toast", |t| t.contains("已把“州卫健委”合并到“州卫生健康委员会”")).await?;
    let rows = app.texts("unit-row").await?;
    assert!(!rows.iter().any(|r| r.starts_with("州卫健委")), "{rows:?}");
    let merged = rows.iter().find(|r| r.starts_with("州卫生健康委员会")).expect("the unit kept");
    assert!(merged.starts_with("州卫生健康委员会\t州卫健委") && merged.contains("\t1\t1\t"), "its short name and both items: {merged}");

    app.go("log").await?;
    app.wait_text("log-table", |t| t.contains("合并单位") && t.contains("州卫健委")).await?;
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_opens_the_guide_and_finds_the_first_day() -> TestResult {
    let app = App::fresh().await?;
    app.go("help").await?;
    let sections = app.wait_texts("help-section", |s| s.len() >= 6).await?;
    let first_day = sections.iter().find(|s| s.starts_with("第一天")).expect("the first-day section");
    assert!(first_day.contains("往年"), "{first_day}");
    assert!(sections.iter().any(|s| s.contains("备份和恢复")) && sections.iter().any(|s| s.contains("损坏")), "{sections:?}");
    let contents = app.texts("help-section-link").await?;
    assert_eq!(&contents, &sections, "the contents list every section");
    app.wait_text("help-guide", |t| t.contains("设置 → 届次") && t.contains("结束办理工作")).await?;
    app.screenshot("help").await?;
    app.close().await
}

/// The benchmark times each screen as the calls the window makes to open it
/// (src-tauri/bench/screens.txt): every screen is opened here and its calls, as the window
/// recorded them, must be that list, so the benchmark times what the clerk waits for.
#[tokio::test(flavor = "multi_thread")]
async fn each_screen_opens_with_the_calls_the_benchmark_times() -> TestResult {
    let app = App::demo().await?;
    let listed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/screens.txt"))?;
    let mut differ = Vec::new();
    for line in listed.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (head, calls) = line.split_once(':').ok_or("a line is route name: calls")?;
        let route = head.split_whitespace().next().ok_or("a route")?;
        let mut expected: Vec<&str> = calls.split_whitespace().collect();
        let mut made = app.open_route(route).await?;
        expected.sort_unstable();
        made.sort_unstable();
        if made != expected {
            differ.push(format!("{head}: {}", made.join(" ")));
        }
    }
    assert!(differ.is_empty(), "the screens' calls differ from src-tauri/bench/screens.txt; as the window made them:\n{}", differ.join("\n"));
    app.close().await
}
