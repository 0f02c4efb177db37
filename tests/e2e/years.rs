//! The clerk's first day with earlier years: she imports last year's ledger with its results
//! (in words and in letters), closes that year, imports this year's list, and finds on the
//! board only this year's work and last year's B items due for 回头看; the figures of last
//! year are the file's.

use crate::harness::*;

/// Last year's ledger: 5 items, A 1, B 2 (one as a letter), C 1, one never answered;
/// 满意 2, 基本满意 1, 不满意 1; two 面商.
const LEDGER_2024: &str = "2024年州人大代表建议办理台账\n\
    建议号,案由,领衔代表,主办单位,交办日期,面商日期,面商方式,答复日期,答复文号,办理结果,满意度,是否公开\n\
    001,关于加快实施布久乡孜热村升级改造项目的建议,乔次仁,县发改委,2024-03-15,2024-03-28,走访,2024-05-20,精政函〔2024〕1号,已经解决,满意,是\n\
    002,关于林芝县乡学校配备多媒体一体机电脑专业维修人员的建议,美志高,县教育局,2024-03-15,,,2024-05-22,精政函〔2024〕2号,列入计划,基本满意,否\n\
    003,关于加强和完善公共急救培训体系建设的建议,图尔荪·艾尔肯,工业园区,2024-03-15,2024-03-30,电话,2024-05-25,精政函〔2024〕3号,B,满意,主动公开\n\
    004,关于建设老年人日间照料中心的建议,田鸿,县发改委,2024-03-15,,,2024-05-26,精政函〔2024〕4号,留作参考,不满意,否\n\
    005,关于完善新能源汽车充电设施的建议,马如国,县教育局,2024-03-15,,,,,,,\n";

const LIST_2025: &str = "编号,标题,领衔人,主办单位,交办日期\n\
    001,关于繁荣早市夜市经济实现商家市民双赢的建议,张宝成,县发改委,2025-03-17\n\
    002,关于供水供暖绿化水管网改造的建议,冯汉超,县教育局,2025-03-17\n";

/// Opens the list `list` for `session` in the import screen, as far as its preview.
pub async fn import(app: &App, session: &str, list: &str) -> TestResult {
    std::fs::write(App::file_to_open(&app.data_dir), list.as_bytes())?;
    app.go("intake").await?;
    app.click("go-import").await?;
    app.on_screen("import").await?;
    app.choose("import-session", session).await?;
    app.click("import-choose").await
}

#[tokio::test(flavor = "multi_thread")]
async fn last_year_comes_in_with_its_results_is_closed_and_this_year_goes_on() -> TestResult {
    let dir = two_year_ledger()?;
    let app = App::on_day(dir.path(), "2025-10-05").await?;

    import(&app, "2024年 州十六届人大一次会议（州人大建议）", LEDGER_2024).await?;
    let words = app.wait_text("outcome-words", |t| t.contains("已经解决")).await?;
    assert!(words.contains("“列入计划”（1 行），按文字推断") && words.contains("“留作参考”（1 行）"), "{words}");
    let rows = app.texts("import-row").await?;
    assert!(rows[0].ends_with("面商、A类、满意、主动公开") && rows[1].ends_with("B类、基本满意、不公开"), "{rows:?}");
    app.screenshot("import-earlier-year").await?;
    assert_eq!(app.text("import-run").await?, "导入 5 件，补录办理环节 14 条");
    app.click("import-run").await?;
    app.on_screen("ledger").await?;
    app.wait_text("toast", |t| t.contains("补录办理环节 14 条")).await?;

    // An item never answered and an answered one, before the year is closed.
    app.type_into("filter-text", "充电设施").await?;
    app.wait_text("item-count", |t| t == "共 1 件").await?;
    app.click("item-link").await?;
    app.on_screen("item").await?;
    assert_eq!(app.text("workflow-status").await?, "待签收");

    app.go("settings").await?;
    app.click_in("year-row", "2024年", "year-close").await?;
    let confirm = app.text("year-confirm").await?;
    assert!(confirm.contains("2024年还有 5 件有待办环节（其中未正式答复 1 件）"), "{confirm}");
    app.click("year-close-confirm").await?;
    app.wait_text("toast", |t| t.contains("2024年办理工作已结束")).await?;
    let years = app.texts("year-row").await?;
    let last_year = years.iter().find(|r| r.starts_with("2024年")).expect("a row for 2024");
    assert!(last_year.contains("已结束") && last_year.contains("\t2\t"), "the two B items still wait for 回头看: {years:?}");
    app.screenshot("years-closed").await?;

    import(&app, "2025年 州十六届人大二次会议（州人大建议）", LIST_2025).await?;
    app.wait_text("import-ok", |t| t.contains("没有发现问题")).await?;
    app.click("import-run").await?;
    app.on_screen("ledger").await?;
    app.wait_text("toast", |t| t.contains("新增 2 件")).await?;

    // The board: this year's work, and last year's B items due for 回头看 on 10月10日.
    app.go("reminders").await?;
    let board = app.texts("reminder-row").await?;
    assert!(!board.is_empty());
    let this_year = ["早市夜市", "供水供暖"];
    let b_items = ["多媒体一体机", "公共急救培训"];
    for row in &board {
        let ours = this_year.iter().any(|t| row.contains(t));
        let looked_back = b_items.iter().any(|t| row.contains(t)) && row.contains("回头看");
        assert!(ours || looked_back, "nothing else of 2024 is on the board: {row}");
    }
    assert_eq!(board.iter().filter(|r| r.contains("回头看") && r.contains("2025年10月10日")).count(), 2, "{board:?}");
    app.screenshot("board-after-closing").await?;

    // The unanswered item of the closed year says so and lists what was never recorded.
    app.go("ledger").await?;
    app.type_into("filter-text", "充电设施").await?;
    app.wait_text("item-count", |t| t == "共 1 件").await?;
    app.click("item-link").await?;
    app.on_screen("item").await?;
    assert_eq!(app.text("workflow-status").await?, "年度已结束，未正式答复");
    assert!(app.text("unrecorded").await?.contains("签收（精河县教育局）"));

    // An answered one shows where its results came from.
    app.go("ledger").await?;
    app.type_into("filter-text", "孜热村").await?;
    app.wait_text("item-count", |t| t == "共 1 件").await?;
    app.click("item-link").await?;
    app.on_screen("item").await?;
    assert_eq!(app.texts("event-source").await?, ["补录", "补录", "补录", "补录"]);
    assert!(app.text("timeline").await?.contains("补录：交办清单.csv"));
    app.screenshot("item-with-results").await?;

    // Last year's figures are the file's.
    app.go("stats").await?;
    app.choose("stats-year", "2024年").await?;
    app.wait_text("stats-title", |t| t.contains("共 5 件")).await?;
    assert!(app.text("rate-办结率").await?.contains("4 ÷ 5"));
    assert!(app.text("rate-满意率").await?.contains("3 ÷ 4"));
    assert!(app.text("rate-面商率").await?.contains("2 ÷ 5"));
    assert!(app.text("rate-办成率").await?.contains("1 ÷ 4"), "A 1 of the 4 classed");
    app.close().await
}

/// The clerk's own ledger of four years, kept in one workbook (a sheet a year, both streams
/// mixed and told apart by 类型 and 届次, 面商方式 without dates, a 回头看情况 column), comes
/// in whole: every sheet, each row to its session, the sessions the ledger lacks added. With
/// the years closed, the B-items list holds exactly the items the file still follows, and
/// the board this year's 回头看 of each.
#[tokio::test(flavor = "multi_thread")]
async fn the_clerks_multi_year_ledger_comes_in_whole_and_its_b_items_are_followed() -> TestResult {
    let dir = two_year_ledger()?;
    let categories = ledger_core::Db::open(&dir.path().join(ledger_core::db::DB_FILE_NAME))?.list_categories()?;
    let category = |kind| categories.iter().find(|c| c.kind == kind).map(|c| c.name.clone()).expect("a category of each kind");
    let ledger = ledger_core::demo::earlier_years_workbook(&category(ledger_core::model::Kind::Suggestion), &category(ledger_core::model::Kind::Proposal))?;
    let items: usize = ledger.counts.iter().map(|(_, s, p)| s + p).sum();
    let app = App::on_day(dir.path(), "2025-10-05").await?;

    std::fs::write(App::file_to_open(&app.data_dir), &ledger.bytes)?;
    app.go("intake").await?;
    app.click("go-import").await?;
    app.on_screen("import").await?;
    // No session chosen: each row goes to the session its 类型 and 届次 say.
    app.click("import-create-units").await?;
    app.click("import-choose").await?;
    let sheets = app.wait_text("import-sheets", |t| t.contains("2024年")).await?;
    for (year, s, p) in &ledger.counts {
        assert!(sheets.contains(&format!("“{year}年”：{year}年的，{} 行", s + p)), "{sheets}");
    }
    let sessions = app.texts("import-new-session").await?;
    assert_eq!(sessions.len(), 7, "the 2024 州人大 session is the ledger's own: {sessions:?}");
    assert!(sessions.iter().any(|s| s.starts_with("2021年 州十五届人大二次会议（州人大建议）")), "{sessions:?}");
    assert!(app.text("lookback-words").await?.contains("“已解决”"));
    app.screenshot("import-whole-ledger").await?;
    app.click("import-create-sessions").await?;
    app.wait_text("import-run", |t| t.starts_with(&format!("导入 {items} 件"))).await?;
    app.click("import-run").await?;
    app.on_screen("ledger").await?;
    app.wait_text("toast", |t| t.contains(&format!("新增 {items} 件"))).await?;

    app.go("settings").await?;
    for year in 2021..=2024 {
        app.click_in("year-row", &format!("{year}年"), "year-close").await?;
        app.click("year-close-confirm").await?;
        app.wait_text("toast", |t| t.contains(&format!("{year}年办理工作已结束"))).await?;
    }

    // The B-items list: exactly those the file still follows.
    app.go("stats").await?;
    app.click("go-carried").await?;
    app.on_screen("carried").await?;
    let count = app.wait_text("carried-count", |t| t.contains("仍在跟踪")).await?;
    assert!(count.contains(&format!("仍在跟踪 {} 件", ledger.still_b)), "{count}");
    let followed: Vec<String> = app.texts("carried-row").await?.into_iter().filter(|r| r.ends_with("跟踪中")).collect();
    assert_eq!(followed.len(), ledger.still_b, "{followed:?}");
    for title in &ledger.still_b_titles {
        assert!(followed.iter().any(|r| r.contains(title.as_str())), "{title} is followed: {followed:?}");
    }
    app.screenshot("carried-after-whole-ledger").await?;

    // The board: this year's 回头看 of each of them, nothing else of the closed years.
    app.go("reminders").await?;
    let board = app.texts("reminder-row").await?;
    let lookbacks: Vec<&String> = board.iter().filter(|r| r.contains("回头看")).collect();
    assert_eq!(lookbacks.len(), ledger.still_b, "{board:?}");
    assert_eq!(board.len(), ledger.still_b, "nothing else of the closed years: {board:?}");
    app.close().await
}
