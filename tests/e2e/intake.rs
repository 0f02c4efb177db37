//! The intake form: registering an item with text that must stay text, validation that keeps
//! what was typed, and the keyboard (Tab order, Enter saves, Esc cancels).

use crate::harness::*;
use ledger_core::model::{SessionInput, UnitInput};
use ledger_core::Db;

const TITLE: &str = "关于《精河县志》编纂、“枸杞·文化”宣传和'夜市'管理的建议<script>alert(1)</script>";
const PROPOSER: &str = "图尔荪·艾尔肯\"代表\"<script>alert(2)</script>";
const SESSION_LABEL: &str = "2025年 州十六届人大二次会议（州人大建议）";
const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";
const ESCAPE: &str = "\u{E00C}";

/// A data folder with one session and two units, as a clerk has after the first set-up.
fn prepared_ledger() -> Result<tempfile::TempDir, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let mut db = Db::open(&dir.path().join(ledger_core::db::DB_FILE_NAME))?;
    db.create_session(&SessionInput { kind: "建议".into(), level: "州".into(), year: "2025".into(), name: "州十六届人大二次会议".into() })?;
    for (name, short) in [("精河县发展和改革委员会", "县发改委"), ("精河工业园区管委会", "工业园区")] {
        db.create_unit(&UnitInput { name: name.into(), short_name: short.into(), ..Default::default() })?;
    }
    Ok(dir)
}

async fn focused(app: &App) -> Result<String, Box<dyn std::error::Error>> {
    let value = app.client.execute("return document.activeElement.dataset.testid || document.activeElement.tagName", vec![]).await?;
    Ok(value.as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn text_with_marks_quotes_and_markup_is_stored_and_shown_as_text() -> TestResult {
    let dir = prepared_ledger()?;
    let app = App::on(dir.path()).await?;
    app.go("intake").await?;
    app.choose("field-session", SESSION_LABEL).await?;
    app.type_into("field-number", "第214号").await?;
    app.type_into("field-assigned", "2025年3月17日").await?;
    app.type_into("field-title", TITLE).await?;
    app.choose("field-category", "工交财贸").await?;
    app.click("field-key").await?;
    app.type_into("field-leader", "副县长 艾尔肯·吐尔地").await?;
    app.type_into("proposer-name", PROPOSER).await?;
    app.type_into("proposer-delegation", "精河县代表团").await?;
    app.click("add-proposer").await?;
    let second = app.find_all("proposer-name").await?.pop().unwrap();
    second.send_keys("李燕芹").await?;
    app.type_into("field-signers", "11").await?;
    app.choose("assignment-unit", "精河县发展和改革委员会").await?;
    app.type_into("assignment-handler", "李娜").await?;
    app.click("add-assignment").await?;
    let unit = app.find_all("assignment-unit").await?.pop().unwrap();
    choose_in(&unit, "精河工业园区管委会").await?;
    app.screenshot("intake-form").await?;
    app.click("save-item").await?;

    app.on_screen("item").await?;
    assert_eq!(app.text("item-title").await?, TITLE);
    assert_eq!(app.text("detail-proposer").await?, format!("{PROPOSER}等11人"));
    assert_eq!(app.text("detail-number").await?, "第214号");
    let units = app.text("detail-units").await?;
    assert!(units.contains("主办\t精河县发展和改革委员会") && units.contains("协办\t精河工业园区管委会"), "{units}");
    assert!(app.text("detail-key").await?.contains("艾尔肯·吐尔地"));
    // The markup stayed text: no element was made from it and no script ran.
    let made = app.client.execute("return document.querySelectorAll('main script').length", vec![]).await?;
    assert_eq!(made, serde_json::json!(0));
    assert!(app.client.get_alert_text().await.is_err(), "no alert was opened");

    app.go("ledger").await?;
    app.wait_text("item-count", |t| t == "共 1 件").await?;
    assert_eq!(app.text("item-link").await?, TITLE);
    assert!(app.text("item-row").await?.contains(&format!("{PROPOSER}等11人")));
    app.screenshot("ledger-tricky-text").await?;
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_form_says_why_in_chinese_and_keeps_what_was_typed() -> TestResult {
    let dir = prepared_ledger()?;
    let app = App::on(dir.path()).await?;
    app.go("intake").await?;
    app.choose("field-session", SESSION_LABEL).await?;
    app.type_into("field-number", "二百一十四").await?;
    app.type_into("field-assigned", "2025-02-30").await?;
    app.type_into("proposer-name", "美志高").await?;
    app.type_into("field-text", &format!("第一段。{ENTER}第二段。")).await?; // Enter in the text box is a new paragraph
    app.click("save-item").await?;

    let summary = app.wait_text("error-summary", |t| t.contains("需要修改")).await?;
    assert!(summary.contains("填写的内容都还在"), "{summary}");
    assert!(app.text("error-number").await?.contains("编号只能由数字、字母和短横线组成"));
    assert!(app.text("error-title").await?.contains("请填写标题"));
    assert!(app.text("error-assigned_on").await?.contains("不是有效日期"));
    assert!(app.text("error-assignments.0.unit_id").await?.contains("请选择承办单位"));
    assert!(app.text("error-assignments").await?.contains("必须指定一个主办单位"));
    assert_eq!(app.find("field-title").await?.attr("aria-invalid").await?.as_deref(), Some("true"));
    assert!(app.find("field-title").await?.attr("class").await?.unwrap_or_default().contains("invalid"));
    // Everything typed is still there.
    assert_eq!(app.value("field-number").await?, "二百一十四");
    assert_eq!(app.value("field-assigned").await?, "2025-02-30");
    assert_eq!(app.value("proposer-name").await?, "美志高");
    assert_eq!(app.value("field-text").await?, "第一段。\n第二段。");
    assert_eq!(focused(&app).await?, "field-number", "the first wrong field has the focus");
    app.screenshot("intake-errors").await?;

    // Mend the fields, then Enter in the last field saves.
    app.type_into("field-number", "214").await?;
    app.type_into("field-assigned", "2025-03-17").await?;
    app.type_into("field-title", "关于林芝县乡学校配备多媒体一体机电脑专业维修人员的建议").await?;
    app.choose("assignment-unit", "精河县发展和改革委员会").await?;
    app.type_into("field-note", "已电话告知代表").await?;
    app.find("field-note").await?.send_keys(ENTER).await?;
    app.on_screen("item").await?;
    assert_eq!(app.text("item-title").await?, "关于林芝县乡学校配备多媒体一体机电脑专业维修人员的建议");
    assert_eq!(app.text("detail-text").await?, "第一段。\n第二段。");
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn tab_follows_the_form_and_esc_cancels() -> TestResult {
    let dir = prepared_ledger()?;
    let app = App::on(dir.path()).await?;
    app.go("intake").await?;
    assert_eq!(focused(&app).await?, "field-session", "the form starts at its first field");
    let order = ["field-number", "field-role", "field-assigned", "field-title", "field-category", "field-key", "field-leader", "field-text", "proposer-name"];
    for expected in order {
        app.client.active_element().await?.send_keys(TAB).await?;
        assert_eq!(focused(&app).await?, expected);
    }

    // Esc on an untouched form leaves at once.
    app.client.active_element().await?.send_keys(ESCAPE).await?;
    app.on_screen("ledger").await?;

    // Esc after typing asks once more, and a second Esc leaves; nothing was saved.
    app.go("intake").await?;
    app.type_into("field-title", "关于繁荣早市夜市经济的建议").await?;
    app.find("field-title").await?.send_keys(ESCAPE).await?;
    app.wait_text("discard-bar", |t| t.contains("再按一次 Esc")).await?;
    app.find("field-title").await?.send_keys(ESCAPE).await?;
    app.on_screen("ledger").await?;
    app.wait_text("item-count", |t| t == "共 0 件").await?;
    app.close().await
}
