//! The weekly round with the units in the window: the clerk exports the 反馈表 of every unit
//! with open work, the units fill them in (a script with openpyxl, as Excel would), she takes
//! both back at once, takes one differing value from the file, and finds the steps on the
//! items, gone from the board, and in the log.

use crate::harness::*;
use std::process::Command;

/// Fills the open cells of `source` by 编号 as `cells` (JSON: number → header → value) says.
const FILL: &str = r#"
import sys, json, openpyxl
source, target, cells = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
book = openpyxl.load_workbook(source)
ws = book['办理情况反馈表']
header = next(r for r in ws.iter_rows(min_row=1, max_row=15) if any(c.value == '签收日期' for c in r))
col = {c.value: c.column for c in header}
for r in range(header[0].row + 1, ws.max_row + 1):
    for name, value in cells.get(ws.cell(r, col['编号']).value, {}).items():
        ws.cell(r, col[name]).value = value
book.save(target)
"#;

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_sends_the_units_their_tables_and_takes_them_back() -> TestResult {
    let (dir, ids) = this_years_items(&[
        ("001", "关于繁荣早市夜市经济的建议", "精河县发展和改革委员会", Some("精河县教育局")),
        ("002", "关于供水管网改造的建议", "精河县发展和改革委员会", None),
        ("003", "关于建设老年人日间照料中心的建议", "精河县教育局", None),
    ])?;
    let app = App::on(dir.path()).await?;
    app.go("units").await?;
    app.click("feedback-all").await?;
    app.wait_text("toast", |t| t.contains("各单位的反馈表已保存到")).await?;
    let saved = dir.path().join("导出");
    let mut files: Vec<_> = std::fs::read_dir(&saved)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    assert_eq!(files.len(), 2, "one file for each unit with open work: {files:?}");

    // The units fill them in.
    let back = dir.path().join("收回的反馈表");
    std::fs::create_dir_all(&back)?;
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let cells = if name.starts_with("精河县发展和改革委员会") {
            serde_json::json!({ "001": { "签收日期": "2025-03-20", "面商日期": "2025-03-28", "面商方式": "走访" }, "002": { "签收日期": "2025.3.19" } })
        } else {
            serde_json::json!({ "001": { "签收日期": "3月19日", "协办意见日期": "2025-04-03" }, "003": { "签收日期": "2025-03-18" } })
        };
        let status = Command::new("/usr/bin/python3").arg("-c").arg(FILL).arg(file).arg(back.join(&name)).arg(cells.to_string()).status()?;
        assert!(status.success());
    }
    // Meanwhile the clerk took 县发改委's word by phone that it signed 001 on the 18th.
    {
        let mut db = ledger_core::Db::open(&dir.path().join(ledger_core::db::DB_FILE_NAME))?;
        let fagai = db.list_units()?.into_iter().find(|u| u.name == "精河县发展和改革委员会").unwrap().id;
        db.record_step(ids[0], &ledger_core::workflow::StepInput { step: "签收".into(), happened_on: "2025-03-18".into(), unit_id: Some(fagai), ..Default::default() })?;
    }

    app.click("go-feedback").await?;
    app.on_screen("feedback").await?;
    app.click("feedback-choose").await?;
    let conflict = app.wait_text("feedback-conflict", |t| t.contains("签收")).await?;
    assert!(conflict.contains("台账为 2025年3月18日，表中为 2025年3月20日"), "{conflict}");
    assert_eq!(app.find_all("feedback-file").await?.len(), 2);
    assert!(!app.text("feedback-result").await?.contains("null"), "no stray text in the preview");
    assert_eq!(app.text("feedback-take").await?, "收回，登记 5 条办理记录");
    app.click("feedback-accept").await?;
    app.wait_text("feedback-take", |t| t == "收回，登记 6 条办理记录").await?;
    app.screenshot("feedback-preview").await?;
    app.click("feedback-take").await?;
    app.wait_text("toast", |t| t.contains("已收回：登记 6 条办理记录")).await?;

    // On the items, marked as the units' word; off the board; in the log.
    app.go("ledger").await?;
    app.type_into("filter-text", "早市夜市").await?;
    app.wait_text("item-count", |t| t == "共 1 件").await?;
    app.click("item-link").await?;
    app.on_screen("item").await?;
    let timeline = app.text("timeline").await?;
    assert!(timeline.contains("单位反馈：精河县发展和改革委员会办理情况反馈表") && timeline.contains("2025年3月20日") && timeline.contains("已更正"), "{timeline}");
    assert_eq!(app.texts("event-source").await?.iter().filter(|t| *t == "单位反馈").count(), 4, "签收 ×2, 面商, 协办意见");
    app.go("reminders").await?;
    let board = app.texts("reminder-row").await?;
    assert!(!board.iter().any(|r| r.contains("\t签收\t")), "every 签收 is recorded: {board:?}");
    app.go("log").await?;
    app.wait_text("log-table", |t| t.contains("收回办理情况反馈表")).await?;
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_units_word_draft_becomes_a_version_and_prints_in_the_standard_layout() -> TestResult {
    let (dir, _) = crate::workflow::prepared()?;
    // The unit's draft, written in a WPS-like office suite: LibreOffice makes the .docx.
    let html = "<html><body><p>B</p><p>关于州十六届人大二次会议第214号建议的答复</p><p>乔次仁代表：</p>\
        <p>您提出的《关于加快实施巴宜区布久乡孜热村升级改造项目的建议》收悉。现答复如下：</p>\
        <p>一、孜热村道路硬化已列入2025年县级项目计划。</p><p>二、所需资金由县财政统筹安排。</p>\
        <p>感谢您对发展改革工作的关心和支持。</p><p>精河县发展和改革委员会</p><p>2025年4月20日</p>\
        <p>联系人：李娜　联系电话：0909-5321101</p></body></html>";
    let work = tempfile::tempdir()?;
    std::fs::write(work.path().join("单位来稿.html"), html)?;
    let status = Command::new("soffice").args(["--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir"]).arg(dir.path())
        .arg(work.path().join("单位来稿.html")).env("HOME", work.path()).status()?;
    assert!(status.success());

    let app = App::on(dir.path()).await?;
    open_reply(&app, "孜热村").await?;
    app.click("reply-from-word").await?;
    app.wait_text("toast", |t| t.contains("已读入为第")).await?;
    app.wait_text("reply-version", |t| t.contains("主办答复 第")).await?;
    assert_eq!(app.value("reply-class").await?, "B");
    assert_eq!(app.value("reply-salutation").await?, "乔次仁代表：");
    assert_eq!(app.value("reply-body").await?, "一、孜热村道路硬化已列入2025年县级项目计划。\n二、所需资金由县财政统筹安排。");
    assert_eq!(app.value("reply-date").await?, "2025年4月20日");
    assert!(app.text("reply-versions").await?.contains("单位来稿：单位来稿.docx"), "marked with the file's name");
    app.screenshot("reply-from-word").await?;

    app.click("reply-preview").await?;
    app.on_screen("reply-print").await?;
    app.click("print-reply").await?;
    app.wait_text("toast", |t| t.starts_with("已打印到：")).await?;
    let printed = print_to_pdf(&app, "reply-from-word").await?;
    let words: String = printed.text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(words.contains("所需资金由县财政统筹安排") && words.contains("关于州十六届人大二次会议第214号建议的答复"), "{words}");
    assert!(printed.pages >= 1 && !printed.landscape, "A4 portrait, as every reply prints");
    app.close().await
}
