//! 成批登记办理结果 in the window: the clerk types results row after row with Tab and Enter,
//! pastes a block copied from a spreadsheet, sees each wrong cell's reason at once, and
//! saves: the valid rows are recorded, the wrong one stays on the screen as she typed it.

use crate::harness::*;

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_types_and_pastes_a_years_results_in_one_grid() -> TestResult {
    let (dir, _) = this_years_items(&[
        ("1", "关于繁荣早市夜市经济的建议", "精河县发展和改革委员会", None), ("2", "关于供水管网改造的建议", "精河县发展和改革委员会", None),
        ("3", "关于建设老年人日间照料中心的建议", "精河县发展和改革委员会", None), ("4", "关于完善新能源汽车充电设施的建议", "精河县发展和改革委员会", None),
    ])?;
    let app = App::on(dir.path()).await?;
    app.go("ledger").await?;
    app.click("go-results").await?;
    app.on_screen("results").await?;
    app.choose("results-session", "2025年 州十六届人大二次会议（州人大建议）").await?;
    assert_eq!(app.find_all("result-row").await?.len(), 4);

    // Row 1 as in a spreadsheet: type, Tab, type …
    app.click("cell-replied_on").await?;
    for (i, text) in ["2025-05-20", "精政函〔2025〕1号", "A", "满意", "基本满意", "面商"].iter().enumerate() {
        let cell = app.client.active_element().await?;
        cell.send_keys(text).await?;
        if i < 5 {
            cell.send_keys(TAB).await?;
        }
    }
    // Enter goes down the column: row 2's 沟通方式, then the clerk goes back to its date.
    app.client.active_element().await?.send_keys(ENTER).await?;
    let place = app.client.execute("return [document.activeElement.dataset.row, document.activeElement.dataset.col];", vec![]).await?;
    assert_eq!(place, serde_json::json!(["1", "5"]));
    let cell = app.client.active_element().await?;
    cell.send_keys("书面").await?;
    for _ in 0..5 {
        // At the start of a cell the left arrow goes to the cell before.
        app.client.active_element().await?.send_keys("\u{E011}\u{E012}").await?; // Home, Left
    }
    app.client.active_element().await?.send_keys("5月40日").await?;
    let said = app.wait_texts("row-problems", |t| t.len() == 4 && !t[1].is_empty()).await?;
    assert!(said[1].contains("日期") && said[0].is_empty(), "the wrong date is named at once: {said:?}");

    // Rows 3 and 4 pasted from a spreadsheet, from row 3's first cell.
    let block = "2025年5月22日\t精政函〔2025〕3号\tB\t满意\t满意\t电话\n2025.5.26\t精政函〔2025〕4号\tc\t不满意\t不满意\t面商\n";
    app.client.execute(
        "const cell = document.querySelectorAll('[data-testid=cell-replied_on]')[2]; cell.focus();
         const paste = new Event('paste', { bubbles: true, cancelable: true });
         Object.defineProperty(paste, 'clipboardData', { value: { getData: () => arguments[0] } });
         cell.dispatchEvent(paste); return true;",
        vec![block.into()],
    ).await?;
    let values = app.client.execute("return Array.from(document.querySelectorAll('[data-testid=result-row]')[3].querySelectorAll('input'), (i) => i.value);", vec![]).await?;
    assert_eq!(values, serde_json::json!(["2025.5.26", "精政函〔2025〕4号", "c", "不满意", "不满意", "面商"]));
    app.wait_text("results-save", |t| t == "保存（4 行有改动）").await?;
    app.screenshot("results-grid").await?;

    app.click("results-save").await?;
    app.wait_text("toast", |t| t == "已保存 3 件，1 行有问题，留在表中。").await?;
    let rows = app.texts("result-row").await?;
    assert!(rows[1].contains("日期"), "the wrong row keeps its reason: {rows:?}");
    let second_date = app.client.execute("return document.querySelectorAll('[data-testid=cell-replied_on]')[1].value;", vec![]).await?;
    assert_eq!(second_date, "5月40日", "as the clerk typed it");

    // The ledger has the three rows' results.
    let db = ledger_core::Db::open(&dir.path().join(ledger_core::db::DB_FILE_NAME))?;
    let session = db.list_sessions()?.into_iter().find(|s| s.year == 2025).unwrap().id;
    let today = chrono::NaiveDate::from_ymd_opt(2025, 4, 15).unwrap();
    let saved: Vec<(String, String, String)> = db.result_rows(session, today)?.into_iter().map(|r| (r.replied_on, r.class, r.work)).collect();
    assert_eq!(saved, [
        ("2025-05-20".to_string(), "A".to_string(), "满意".to_string()),
        (String::new(), String::new(), String::new()),
        ("2025-05-22".to_string(), "B".to_string(), "满意".to_string()),
        ("2025-05-26".to_string(), "C".to_string(), "不满意".to_string()),
    ]);
    app.close().await
}
