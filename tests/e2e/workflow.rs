//! The handling workflow in the real window: one item walked from 交办 to 公开 through a
//! returned draft and a 不满意 round, the reminder board changing as steps are recorded, an
//! entry undone, and a unit's task list printed and exported, the file read back by openpyxl.

use crate::harness::*;
use ledger_core::model::{AssignmentInput, SessionInput, UnitInput};
use ledger_core::Db;

const LEAD_LABEL: &str = "主办：精河县发展和改革委员会";
const ASSIST_LABEL: &str = "协办：精河县教育局";

/// One session, two units, and two items assigned on 2025-03-17 with nothing recorded yet.
pub fn prepared() -> Result<(tempfile::TempDir, i64), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let mut db = Db::open(&dir.path().join(ledger_core::db::DB_FILE_NAME))?;
    let session = db.create_session(&SessionInput { kind: "建议".into(), level: "州".into(), year: "2025".into(), name: "州十六届人大二次会议".into() })?;
    let lead = db.create_unit(&UnitInput { name: "精河县发展和改革委员会".into(), short_name: "县发改委".into(), ..Default::default() })?;
    let assist = db.create_unit(&UnitInput { name: "精河县教育局".into(), ..Default::default() })?;
    let mut ids = Vec::new();
    for (number, title) in [("214", "关于加快实施布久乡孜热村升级改造项目的建议"), ("215", "关于完善新能源汽车充电设施的建议")] {
        ids.push(db.create_item(&ledger_core::model::ItemInput {
            session_id: Some(session),
            number: number.into(),
            title: title.into(),
            county_role: "主办".into(),
            assigned_on: "2025-03-17".into(),
            proposers: vec![ledger_core::model::ProposerInput { name: "乔次仁".into(), ..Default::default() }],
            assignments: vec![
                AssignmentInput { unit_id: Some(lead), role: "主办".into(), handler: "李娜".into(), phone: "0909-5321101".into(), ..Default::default() },
                AssignmentInput { unit_id: Some(assist), role: "协办".into(), ..Default::default() },
            ],
            ..Default::default()
        })?);
    }
    Ok((dir, ids[0]))
}

/// Records one step through the form: the step, its date, then the step's own fields.
async fn record(app: &App, step: &str, date: &str, unit: Option<&str>, fields: &[(&str, &str)], status_after: &str) -> TestResult {
    app.choose("step-kind", step).await?;
    app.type_into("step-date", date).await?;
    if let Some(unit) = unit {
        app.choose("step-unit", unit).await?;
    }
    for (name, value) in fields {
        let id = format!("step-{name}");
        let field = app.find(&id).await?;
        if field.prop("tagName").await?.as_deref() == Some("SELECT") {
            app.choose(&id, value).await?;
        } else {
            app.type_into(&id, value).await?;
        }
    }
    app.click("step-save").await?;
    if let Err(e) = app.wait_text("workflow-status", |t| t == status_after).await {
        let errors = app.text("step-errors").await.unwrap_or_default();
        return Err(format!("{step} on {date}: {e}; the form said: {errors}").into());
    }
    Ok(())
}

async fn overdue_heading(app: &App) -> Result<String, Box<dyn std::error::Error>> {
    app.go("reminders").await?;
    app.text("group-overdue").await.map(|t| t.lines().next().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_walks_an_item_from_assignment_to_publication() -> TestResult {
    let (dir, _) = prepared()?;
    let app = App::on(dir.path()).await?;
    // On 2025-04-15, with nothing recorded, each item owes 签收 ×2, 承办情况表, 面商, 协办意见.
    app.on_screen("reminders").await?;
    assert_eq!(overdue_heading(&app).await?, "已逾期（10）");
    app.wait_text("reminder-badge", |t| t == "12").await?;
    app.screenshot("reminders").await?;

    app.click("reminder-link").await?;
    app.on_screen("item").await?;
    app.wait_text("workflow-status", |t| t == "待签收").await?;
    record(&app, "签收", "2025-03-18", Some(LEAD_LABEL), &[], "待签收").await?;
    record(&app, "签收", "2025-03-19", Some(ASSIST_LABEL), &[], "待报送承办情况表").await?;
    let item_url = app.client.current_url().await?;
    assert_eq!(overdue_heading(&app).await?, "已逾期（8）", "the recorded receipts left the board");
    app.client.goto(item_url.as_str()).await?;
    app.on_screen("item").await?;

    record(&app, "承办情况表", "2025-03-24", None, &[], "待面商").await?;
    record(&app, "面商", "2025-03-28", None, &[("method", "走访"), ("participants", "乔次仁代表、李娜")], "待协办意见").await?;
    record(&app, "协办意见", "2025-04-03", Some(ASSIST_LABEL), &[], "待报送答复样稿").await?;
    record(&app, "答复样稿", "2025-04-08", None, &[], "待初审").await?;
    record(&app, "初审", "2025-04-09", None, &[("passed", "退回修改"), ("reason", "措施不具体，请补充完成时限")], "待报送答复样稿").await?;
    record(&app, "答复样稿", "2025-04-10", None, &[], "待初审").await?;
    record(&app, "初审", "2025-04-10", None, &[("passed", "通过")], "待审定").await?;
    record(&app, "审定", "2025-04-11", None, &[("leader", "张建军")], "待正式答复").await?;
    record(&app, "正式答复", "2025-04-11", None, &[("class", "B类（正在解决或列入计划）"), ("doc_number", "精政函〔2025〕12号")], "待反馈征求意见表").await?;
    record(&app, "征求意见", "2025-04-12", None, &[("channel", "面商"), ("work", "满意"), ("result", "不满意")], "重新办理中（第1次）").await?;
    let redo = app.text("pending").await?;
    assert!(redo.contains("重新办理（第1次）\t精河县发展和改革委员会\t2025年5月12日"), "due a month after the opinion: {redo}");
    record(&app, "正式答复", "2025-04-13", None, &[("class", "A类（已解决或采纳）"), ("doc_number", "精政函〔2025〕15号")], "待反馈征求意见表").await?;
    record(&app, "征求意见", "2025-04-14", None, &[("channel", "面商"), ("work", "满意"), ("result", "满意")], "待备案").await?;

    // A wrong entry is undone, and stays in the timeline marked with the reason.
    record(&app, "备案", "2025-04-01", None, &[], "待回头看").await?;
    app.click_in("timeline-row", "2025年4月1日\t备案", "undo-event").await?;
    app.type_into("undo-reason", "日期登错").await?;
    app.click("undo-save").await?;
    app.wait_text("workflow-status", |t| t == "待备案").await?;
    assert!(app.text("timeline").await?.contains("已撤销：日期登错"));

    record(&app, "备案", "2025-04-14", None, &[], "待回头看").await?;
    record(&app, "回头看", "2025-04-15", None, &[("progress", "孜热村道路已硬化")], "待公开").await?;
    record(&app, "公开", "2025-04-15", None, &[("mode", "主动公开")], "已办结").await?;
    let timeline = app.text("timeline").await?;
    for expected in ["退回修改：措施不具体，请补充完成时限", "面商；办理工作满意，办理结果不满意", "A类，文号 精政函〔2025〕15号", "走访，参加：乔次仁代表、李娜"] {
        assert!(timeline.contains(expected), "{expected} in the timeline");
    }
    app.wait_text("workflow-status", |t| t == "已办结").await?;
    app.client.execute("document.querySelector('[data-testid=workflow]').scrollIntoView()", vec![]).await?;
    app.screenshot("item-timeline").await?;
    assert_eq!(overdue_heading(&app).await?, "已逾期（5）", "only the other item is still late");
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_units_task_list_is_shown_printed_and_exported() -> TestResult {
    let (dir, _) = prepared()?;
    let app = App::on(dir.path()).await?;
    app.go("units").await?;
    app.wait_text("unit-table", |t| t.contains("精河县发展和改革委员会")).await?;
    assert_eq!(app.text("unit-overdue").await?, "2");
    app.click("unit-tasks").await?;
    app.on_screen("tasks").await?;
    let rows = app.texts("task-row").await?;
    assert_eq!(rows.len(), 2);
    let first = &rows[0];
    assert!(first.starts_with("1\t2025年州人大建议\t214\t关于加快实施布久乡孜热村升级改造项目的建议\t主办\t待签收\t签收\t2025年3月20日\t逾期26天\t李娜\t0909-5321101"), "{first}");
    app.screenshot("task-list").await?;
    // The printed notice, made from the same HTML with the print stylesheet.
    let pages = print_to_pdf(&app, "task-list").await?;
    assert!(pages.size.contains("A4") && pages.landscape, "A4 landscape: {}", pages.size);
    assert_eq!(pages.pages, 1);
    assert!(pages.text.contains("关于抓紧办理建议提案的督办通知") && pages.text.contains("签收单位（盖章）"), "{}", pages.text);
    assert!(!pages.text.contains("导出Excel"), "the buttons are not printed");
    // The 打印 button prints the real window: A4 landscape, one page.
    app.click("print-tasks").await?;
    let printed = app.wait_text("toast", |t| t.starts_with("已打印到：")).await?;
    let pdf = printed.trim_start_matches("已打印到：");
    let info = String::from_utf8(std::process::Command::new("pdfinfo").arg(pdf).output()?.stdout)?;
    assert!(info.contains("Page size:       842 x 595 pts (A4)") && info.contains("Pages:           1"), "{info}");

    app.click("export-tasks").await?;
    let path = app.saved(|_| true).await?;
    assert!(path.ends_with("精河县发展和改革委员会任务清单（2025-04-15）.xlsx"), "{path}");
    // A second, independent reader: Python's openpyxl.
    let output = std::process::Command::new("/usr/bin/python3")
        .args(["-c", "import sys, openpyxl\nws = openpyxl.load_workbook(sys.argv[1]).active\nfor row in ws.iter_rows(values_only=True):\n    print('\\t'.join('' if v is None else str(v) for v in row))", &path])
        .output()?;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout)?;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0].split('\t').next(), Some("精河县发展和改革委员会建议提案办理任务清单"));
    assert!(lines[3].starts_with("1\t2025年州人大建议\t214\t关于加快实施布久乡孜热村升级改造项目的建议\t主办\t待签收\t签收\t2025年3月20日\t逾期26天\t李娜\t0909-5321101"), "{}", lines[3]);
    assert!(lines[4].starts_with("2\t2025年州人大建议\t215\t"), "{}", lines[4]);

    // A reminder put off with a reason stays visible, with the reason, under 已暂缓.
    assert_eq!(overdue_heading(&app).await?, "已逾期（10）");
    app.click("snooze").await?;
    app.type_into("snooze-until", "2025-04-20").await?;
    app.click("snooze-save").await?;
    app.wait_text("snooze-errors", |t| t.contains("请写明暂缓的原因")).await?;
    app.type_into("snooze-note", "单位负责人出差，4月20日前补签").await?;
    app.click("snooze-save").await?;
    let snoozed = app.wait_text("group-snoozed", |t| t.contains("已暂缓（1）")).await?;
    assert!(snoozed.contains("暂缓至2025年4月20日：单位负责人出差，4月20日前补签"), "{snoozed}");
    assert_eq!(overdue_heading(&app).await?, "已逾期（9）");
    app.wait_text("reminder-badge", |t| t == "11").await?;
    app.close().await
}
