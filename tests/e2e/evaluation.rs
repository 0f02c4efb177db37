//! 督考 in the window on the demo ledger: the clerk opens the units' evaluation, reads a
//! unit's points and the items behind one, changes a weight and sees the ranking change,
//! prints it and exports it (the file read back by openpyxl).

use crate::harness::*;

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_weighs_the_rules_and_sees_the_ranking_change() -> TestResult {
    let app = App::demo().await?;
    app.go("stats").await?;
    app.click("go-evaluation").await?;
    app.on_screen("evaluation").await?;
    app.choose("evaluation-year", "2025年").await?;
    let before = app.wait_texts("evaluation-row", |rows| rows.len() > 3).await?;
    let names = |rows: &[String]| rows.iter().map(|r| r.split('\t').nth(1).unwrap_or_default().to_string()).collect::<Vec<_>>();
    app.click("evaluation-points").await?;
    let items = app.wait_text("evaluation-items", |t| t.contains("第")).await?;
    assert!(items.contains("计") && items.contains("号《"), "the items behind a figure: {items}");

    // Overdue steps weigh ten times as much: the units far behind fall.
    app.click_in("evaluation-rule", "逾期环节", "evaluation-weight").await?;
    let weight = app.client.active_element().await?;
    weight.clear().await?;
    weight.send_keys("-20").await?;
    app.click_in("evaluation-rule", "逾期环节", "evaluation-weight-save").await?;
    app.wait_text("toast", |t| t.contains("“逾期环节”的分值改为 -20")).await?;
    let after = app.wait_texts("evaluation-row", |rows| names(rows) != names(&before)).await?;
    let kept = app.client.execute("return document.querySelector('[data-rule=\"逾期环节\"]').value;", vec![]).await?;
    assert_eq!(kept, "-20", "the year's weight as saved");
    assert!(app.text("evaluation-rules").await?.contains("逾期环节"));
    app.screenshot("evaluation").await?;

    app.click("print-evaluation").await?;
    app.wait_text("toast", |t| t.starts_with("已打印到：")).await?;
    app.click("export-evaluation").await?;
    let saved = app.saved(|path| path.ends_with(".xlsx")).await?;
    let rows = crate::exports::read_xlsx(&saved, Some("考评结果"))?;
    let top = names(&after)[0].clone();
    assert!(rows.iter().any(|r| r.starts_with("1\t") && r.contains(&top)), "the file ranks as the window: {rows:?}");
    app.close().await
}
