//! Data safety in the real window: a backup to a file the clerk picks, a change, the restore
//! of that backup (its summary confirmed first) bringing the old data back, the change found
//! in the operation log and in the item's history, the log exported; a damaged ledger at
//! start replaced by its newest good backup; and a second launch handing over to the first.

use crate::exports::read_xlsx;
use crate::harness::*;
use ledger_core::backup::BackupReason;
use ledger_core::Db;

const OLD_TITLE: &str = "关于加快实施布久乡孜热村升级改造项目的建议";
const NEW_TITLE: &str = "关于加快实施布久乡孜热村升级改造项目（二期）的建议";

async fn open_item(app: &App) -> TestResult {
    app.go("ledger").await?;
    app.type_into("filter-text", "孜热村").await?;
    app.wait_text("item-count", |t| t.contains('1')).await?;
    app.click("item-link").await?;
    app.on_screen("item").await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_backs_up_restores_and_finds_the_change_in_the_log() -> TestResult {
    let (dir, _) = crate::workflow::prepared()?;
    let app = App::on(dir.path()).await?;
    app.go("settings").await?;
    // The ledger had data and no backup: the program made the daily one when it started.
    let last = app.wait_text("last-backup", |t| t.starts_with("上次备份")).await?;
    assert!(last.contains("（自动）") && last.contains("2 件") && last.contains("检查完好"), "{last}");
    assert!(app.text("backup-dir").await?.contains(&dir.path().join("备份").display().to_string()));

    app.click("backup-to-file").await?;
    let saved = app.wait_text("toast", |t| t.starts_with("已备份到：")).await?;
    let copy = saved.trim_start_matches("已备份到：").to_string();
    assert!(copy.ends_with("_手动.sqlite3"), "{copy}");
    std::fs::copy(&copy, App::backup_to_restore(dir.path()))?;

    // A change after the backup.
    open_item(&app).await?;
    app.click("edit-item").await?;
    app.on_screen("edit").await?;
    app.type_into("field-title", NEW_TITLE).await?;
    app.click("save-item").await?;
    app.on_screen("item").await?;
    app.wait_text("item-title", |t| t == NEW_TITLE).await?;
    let history = app.wait_text("item-history", |t| t.contains("修改")).await?;
    assert!(history.contains(&format!("标题：{OLD_TITLE} → {NEW_TITLE}")), "the item's own history: {history}");

    // The log finds it, with who, what, and the old and new value.
    app.go("log").await?;
    app.type_into("log-text", "二期").await?;
    app.click("log-apply").await?;
    let row = app.wait_text("log-table", |t| t.contains("修改")).await?;
    assert!(row.contains(&ledger_core::db::current_user()) && row.contains("建议提案"), "{row}");
    assert!(row.contains(&format!("标题：{OLD_TITLE} → {NEW_TITLE}")), "{row}");
    app.screenshot("operation-log").await?;
    app.click("export-log").await?;
    let saved = app.saved(|_| true).await?;
    let lines = read_xlsx(&saved, None)?;
    assert!(lines.iter().any(|l| l.contains(&format!("标题：{OLD_TITLE} → {NEW_TITLE}"))), "{lines:#?}");

    // Restore: the file is examined and summarised first, then the old data is back.
    app.go("settings").await?;
    app.click("restore").await?;
    let summary = app.wait_text("restore-summary", |t| t.contains("件")).await?;
    assert!(summary.contains("检查完好") && summary.contains("共 2 件（2025年 2 件）"), "{summary}");
    app.screenshot("restore-confirm").await?;
    app.click("restore-confirm-button").await?;
    app.wait_text("toast", |t| t.starts_with("已从备份恢复，共 2 件")).await?;
    assert!(app.text("last-backup").await?.contains("（恢复前）"), "the ledger before the restore was copied first");
    open_item(&app).await?;
    app.wait_text("item-title", |t| t == OLD_TITLE).await?;

    // The clerk sends the backups to another folder; the next copy goes there.
    app.go("settings").await?;
    app.click("backup-folder").await?;
    let picked = App::picked_folder(dir.path()).display().to_string();
    app.wait_text("toast", |t| t == format!("以后的自动备份保存在：{picked}")).await?;
    app.wait_text("backup-dir", |t| t.contains(&picked)).await?;
    app.click("backup-now").await?;
    app.wait_text("toast", |t| t.starts_with("已备份（2 件），检查完好")).await?;
    let copies: Vec<String> = std::fs::read_dir(&picked)?.map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned())).collect::<Result<_, _>>()?;
    assert!(copies.len() == 1 && copies[0].ends_with("_手动.sqlite3"), "{copies:?}");
    assert_eq!(std::fs::read_to_string(dir.path().join("备份位置.txt"))?, picked, "the choice is remembered");
    app.screenshot("settings-safety").await?;

    // The restore itself is in the log.
    app.go("log").await?;
    app.click("log-clear").await?;
    app.wait_text("log-count", |t| t != "1 条").await?;
    app.choose("log-kind", "备份恢复").await?;
    let restored = app.wait_text("log-table", |t| t.contains("从备份恢复")).await?;
    assert!(restored.contains("要恢复的备份.sqlite3") && restored.contains("恢复前的数据已备份到"), "{restored}");
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_ledger_is_replaced_by_its_newest_good_backup() -> TestResult {
    let (dir, _) = crate::workflow::prepared()?;
    let path = dir.path().join(ledger_core::db::DB_FILE_NAME);
    Db::open_with(&path, Some(&dir.path().join("备份")))?.backup_now(BackupReason::Daily)?;
    rusqlite::Connection::open(&path)?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
    let mut bytes = std::fs::read(&path)?;
    bytes[4096 * 3..4096 * 4].fill(0xA5);
    std::fs::write(&path, &bytes)?;

    let app = App::on(dir.path()).await?;
    let message = app.wait_text("startup-error", |t| t.contains("已损坏")).await?;
    assert!(message.contains("程序没有打开它，也没有改动它"), "{message}");
    let offer = app.text("startup-backup").await?;
    assert!(offer.starts_with("找到完好的备份") && offer.contains("2 件"), "{offer}");
    app.screenshot("startup-damaged").await?;
    assert_eq!(std::fs::read(&path)?, bytes, "nothing is changed before the clerk says so");
    app.click("restore-damaged").await?;
    app.wait_text("toast", |t| t.starts_with("已用备份恢复（2 件）")).await?;
    app.client.wait().at_most(std::time::Duration::from_secs(10)).for_element(fantoccini::Locator::Css("body[data-ready] nav:not([hidden])")).await?;
    open_item(&app).await?;
    assert_eq!(app.text("item-title").await?, OLD_TITLE);
    let kept = std::fs::read_dir(dir.path())?.filter_map(|e| e.ok()).any(|e| e.file_name().to_string_lossy().contains(".损坏-"));
    assert!(kept, "the damaged file is kept, renamed");
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_launch_brings_the_open_window_forward_and_exits() -> TestResult {
    let app = App::demo().await?;
    let started = std::time::Instant::now();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_jianyi-taizhang"))
        .args(["--data-dir", &app.data_dir.display().to_string(), "--today", TODAY])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()?;
    assert!(status.success(), "the second launch hands over and exits: {status}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    app.wait_text("toast", |t| t == "程序已经在运行，这是已打开的窗口。").await?;
    app.close().await
}
