//! The statistics screen on the demo ledger: switching the 满意率 definition changes the figure
//! and its printed definition, the summary draft holds the figures, charts are drawn, and the
//! 汇总表 is exported and read back by openpyxl.

use crate::exports::read_xlsx;
use crate::harness::*;

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_reads_the_figures_switches_the_definition_and_exports() -> TestResult {
    let app = App::demo().await?;
    app.go("stats").await?;
    // 2024: the 21 B items, replied and with their opinions returned.
    app.choose("stats-year", "2024年").await?;
    app.wait_text("stats-title", |t| t.contains("共 21 件")).await?;
    let broad = app.wait_text("rate-满意率", |t| t.starts_with("满意率\t100.00%")).await?;
    // Issue 16: on the result by default, as the published summaries count it.
    assert!(broad.contains("21 ÷ 21") && broad.contains("满意＋基本满意") && broad.contains("按办理结果的评价计"), "{broad}");

    app.choose("stats-definition", "仅“满意”，按办理结果").await?;
    let strict = app.wait_text("rate-满意率", |t| t.contains("（满意）")).await?;
    assert!(!strict.contains("100.00%"), "{strict}");
    assert!(strict.contains("（满意）") && strict.contains("按办理结果的评价计"), "the label follows the figure: {strict}");
    let numerator: u64 = strict.split('\t').nth(2).and_then(|f| f.split(" ÷ ").next()).unwrap_or("").parse()?;
    assert!(numerator < 21, "{strict}");

    let summary = app.value("stats-summary").await?;
    assert!(summary.starts_with("2024年，县人民政府共承办人大代表建议和政协委员提案21件"), "{summary}");
    assert!(summary.contains("B类21件、占100.00%"), "{summary}");
    assert!(summary.contains("所有建议和提案均已答复") && summary.contains("代表委员满意率"), "{summary}");
    app.click("stats-copy").await?;
    app.wait_text("toast", |t| t.contains("复制")).await?;
    app.click("stats-docx").await?;
    let docx = app.saved(|path| path.ends_with(".docx")).await?;
    assert!(docx.ends_with("2024年人大代表建议和政协委员提案办理工作总结（统计部分）.docx"), "{docx}");
    let pages = crate::exports::render_with_libreoffice(&docx, "summary")?;
    assert!(pages >= 1, "LibreOffice opens the document");

    let charts = app.find_all("chart-category").await?.len() + app.find_all("chart-class").await?.len()
        + app.find_all("chart-satisfaction").await?.len() + app.find_all("chart-unit").await?.len();
    assert_eq!(charts, 4);
    app.choose("stats-year", "2025年").await?;
    app.wait_text("stats-title", |t| t.contains("共 149 件")).await?;
    let categories = app.text("table-category").await?;
    assert!(categories.lines().last().unwrap_or_default().starts_with("合计\t149\t100.00%"), "the parts visibly add up: {categories}");
    app.client.execute("document.querySelector('[data-testid=stats-charts]').scrollIntoView()", vec![]).await?;
    app.screenshot("stats-charts").await?;

    app.click("stats-export").await?;
    let path = app.saved(|path| path.ends_with("汇总表.xlsx")).await?;
    let rates = read_xlsx(&path, Some("总体情况"))?;
    assert_eq!(rates[0], "SHEETS:总体情况|按类别|办理结果|征求意见|本县角色|提出方式|承办单位");
    assert!(rates.iter().any(|l| l.starts_with("办结率\t")), "{rates:?}");
    let categories = read_xlsx(&path, Some("按类别"))?;
    let total = categories.iter().find(|l| l.starts_with("合计\t")).expect("a 合计 row");
    assert!(total.starts_with("合计\t149\t100.00%"), "{total}");

    // The B items of 2024 followed across years.
    app.click("go-carried").await?;
    app.on_screen("carried").await?;
    app.wait_text("carried-count", |t| t == "共 21 件，仍在跟踪 21 件，已转为A类 0 件").await?;
    let row = app.text("carried-row").await?;
    assert!(row.starts_with("2024年\t州人大建议\t") && row.contains("2025年10月10日") && row.contains("资金正在落实") && row.ends_with("B类，跟踪中"), "{row}");
    app.close().await
}
