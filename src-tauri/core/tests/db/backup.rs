//! Backups and restores on real files: checked copies, a restore that brings old data back,
//! files that are refused (each with its own message, changing nothing), rotation, a
//! damaged ledger at start, and the migration of a ledger of every earlier schema version.

use ledger_core::queries::items::ItemQuery;
use super::*;
use chrono::NaiveDateTime;
use ledger_core::backup::{self, BackupReason};
use ledger_core::db::{schema_version, DB_FILE_NAME};
use ledger_core::queries::log::LogQuery;
use ledger_core::Error;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A ledger with a backup folder, as the program opens it, and one item in it.
fn ledger() -> (tempfile::TempDir, Db, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("备份");
    let mut db = Db::open_with(&dir.path().join(DB_FILE_NAME), Some(&folder)).unwrap();
    let session = db.create_session(&SessionInput { kind: "建议".into(), level: "州".into(), year: "2025".into(), name: "州十六届人大二次会议".into() }).unwrap();
    let unit = db.create_unit(&UnitInput { name: "精河县发展和改革委员会".into(), ..Default::default() }).unwrap();
    db.create_item(&item_input(session, "214", "关于加快实施布久乡孜热村升级改造项目的建议", unit)).unwrap();
    (dir, db, folder)
}

fn titles(db: &Db) -> Vec<String> {
    db.list_items(&ItemQuery::default()).unwrap().into_iter().map(|i| i.title).collect()
}

fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn a_backup_is_a_checked_whole_copy_and_is_recorded() -> TestResult {
    let (_dir, mut db, folder) = ledger();
    assert!(db.backup_due()?, "no copy yet");
    let record = db.backup_now(BackupReason::Daily)?;
    assert!(record.check_ok && record.check_result == "ok" && record.items == 1, "{record:?}");
    assert!(!db.backup_due()?, "one a day");
    let name = Path::new(&record.path).file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("台账备份_") && name.ends_with("_自动.sqlite3"), "{name}");
    assert_eq!(files_in(&folder), [name], "one file: no WAL beside it, no partial file left");
    assert_eq!(db.last_backup()?, Some(record.clone()));
    let check = backup::inspect(Path::new(&record.path))?;
    assert_eq!((check.schema_version, check.items, check.items_by_year.clone(), check.units), (schema_version(), 1, vec![(2025, 1)], 1));
    // A copy to a file the clerk chose (a USB stick).
    let stick = tempfile::tempdir()?;
    let manual = db.backup_to(&stick.path().join("台账备份.sqlite3"), BackupReason::Manual)?;
    assert_eq!((manual.reason.as_str(), manual.check_ok), ("手动", true));
    Ok(())
}

#[test]
fn a_good_backup_restores_the_old_data_and_the_current_is_kept() -> TestResult {
    let (_dir, mut db, folder) = ledger();
    let stick = tempfile::tempdir()?;
    let copy = stick.path().join("四月备份.sqlite3");
    db.backup_to(&copy, BackupReason::Manual)?;
    let id = db.list_items(&ItemQuery::default())?[0].id;
    let mut changed = item_input(db.list_sessions()?[0].id, "214", "改过的标题", db.list_units()?[0].id);
    changed.note = "之后的修改".into();
    db.update_item(id, &changed)?;
    assert_eq!(titles(&db), ["改过的标题"]);

    let check = db.restore_from(&copy)?;
    assert_eq!(check.items, 1);
    assert_eq!(titles(&db), ["关于加快实施布久乡孜热村升级改造项目的建议"], "the old data is back");
    assert_eq!(db.user_version()?, schema_version());
    // The ledger as it was before the restore was copied first, and the copy is recorded.
    let before = db.last_backup()?.expect("the copy made before the restore");
    assert_eq!(before.reason, "恢复前");
    let kept = Db::open(Path::new(&before.path))?;
    assert_eq!(titles(&kept), ["改过的标题"]);
    let log = db.operation_log(&LogQuery { kind: "备份恢复".into(), ..Default::default() }, None)?;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].target, "四月备份.sqlite3");
    assert!(files_in(&folder).iter().any(|f| f.ends_with("_恢复前.sqlite3")));
    // The restored ledger keeps working.
    db.create_unit(&UnitInput { name: "精河县教育局".into(), ..Default::default() })?;
    Ok(())
}

/// What a refused file must leave alone: the items, the log and the backup folder.
fn refused(db: &mut Db, folder: &Path, file: &Path) -> String {
    let (items, log, files) = (titles(db), db.operation_log(&LogQuery::default(), None).unwrap().len(), files_in(folder));
    let error = db.restore_from(file).expect_err("the file must be refused");
    assert_eq!(titles(db), items);
    assert_eq!(db.operation_log(&LogQuery::default(), None).unwrap().len(), log);
    assert_eq!(files_in(folder), files, "not even a before-restore copy is made");
    assert!(matches!(error, Error::NotOurDatabase(_) | Error::NewerDatabase { .. }), "{error:?}");
    error.to_string()
}

#[test]
fn bad_files_are_refused_each_with_its_own_message_and_change_nothing() -> TestResult {
    let (_dir, mut db, folder) = ledger();
    db.backup_now(BackupReason::Daily)?;
    let files = tempfile::tempdir()?;

    let good = files.path().join("好的备份.sqlite3");
    db.backup_to(&good, BackupReason::Manual)?;
    let truncated = files.path().join("半截.sqlite3");
    let bytes = std::fs::read(&good)?;
    std::fs::write(&truncated, &bytes[..bytes.len() / 2 + 100])?;
    let message = refused(&mut db, &folder, &truncated);
    assert!(message.contains("“半截.sqlite3”不完整"), "{message}");

    let text = files.path().join("台账.xlsx");
    std::fs::write(&text, "这不是数据库")?;
    let message = refused(&mut db, &folder, &text);
    assert!(message.contains("不是台账数据文件（不是 SQLite 数据库）"), "{message}");

    let other = files.path().join("通讯录.db");
    rusqlite::Connection::open(&other)?.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('张三');")?;
    let message = refused(&mut db, &folder, &other);
    assert!(message.contains("是别的程序的数据库"), "{message}");

    let newer = files.path().join("新版本.sqlite3");
    std::fs::copy(&good, &newer)?;
    rusqlite::Connection::open(&newer)?.pragma_update(None, "user_version", schema_version() + 1)?;
    let message = refused(&mut db, &folder, &newer);
    assert!(message.contains("比本程序支持的版本") && message.contains("请安装新版本"), "{message}");

    for message in [&truncated, &text, &other].map(|f| db.restore_from(f).unwrap_err().to_string()) {
        assert!(message.ends_with("没有恢复，当前数据未做任何改动。"), "{message}");
    }
    Ok(())
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn rotation_keeps_30_days_12_months_the_last_week_and_manual_copies() -> TestResult {
    let folder = tempfile::tempdir()?;
    let now = at("2025-12-31 09:00");
    // Two automatic copies a day for 400 days, a before-import copy 3 days ago, a manual one long ago.
    for day in 0..400 {
        for hour in ["08:00", "17:00"] {
            let when = at(&format!("{} {hour}", (now.date() - chrono::Days::new(day))));
            std::fs::write(folder.path().join(backup::file_name(BackupReason::Daily, when)), "")?;
        }
    }
    std::fs::write(folder.path().join(backup::file_name(BackupReason::BeforeImport, at("2025-12-28 10:30"))), "")?;
    std::fs::write(folder.path().join(backup::file_name(BackupReason::Manual, at("2024-01-05 10:30"))), "")?;
    std::fs::write(folder.path().join("别的文件.txt"), "")?;
    backup::rotate(folder.path(), now)?;
    let left = files_in(folder.path());
    let days: std::collections::BTreeSet<&str> = left.iter().filter_map(|f| f.strip_prefix("台账备份_")).map(|f| &f[..8]).collect();
    assert!(left.contains(&"别的文件.txt".to_string()), "other files are left alone");
    assert!(left.iter().any(|f| f.ends_with("_导入前.sqlite3")) && left.iter().any(|f| f.ends_with("_手动.sqlite3")));
    assert_eq!(left.iter().filter(|f| f.contains("20251231-")).count(), 2, "every copy of the last 7 days");
    assert!(days.contains("20251202") && !days.contains("20251115"), "the newest of each of the last 30 days");
    for month in ["202501", "202502", "202506", "202511"] {
        assert!(days.iter().any(|d| d.starts_with(month)), "the newest copy of month {month}");
    }
    assert!(!days.iter().any(|d| d.starts_with("202412")), "not older than 12 months");
    // Younger than 7 days: 12-24 17:00 to 12-31 17:00 (15); the newest of 12-02 … 12-23 (22);
    // the newest of January … November (11); the before-import and manual copies; the text file.
    assert_eq!(left.len(), 15 + 22 + 11 + 1 + 1 + 1, "{left:#?}");
    Ok(())
}

/// Opens `path` as SQLite, Excel or a virus scanner hold a file on Windows: others may read
/// and write it, not rename or delete it (Rust's own default would allow those too).
fn held_open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(windows)]
    std::os::windows::fs::OpenOptionsExt::share_mode(&mut options, 0x1 | 0x2);
    options.open(path)
}

/// A ledger with a good daily backup, then spoilt as a disk error spoils it: a page in the
/// middle of the file overwritten with rubbish. Its folder, path, backup folder and bytes.
fn damaged_ledger() -> Result<(tempfile::TempDir, PathBuf, PathBuf, Vec<u8>), Box<dyn std::error::Error>> {
    let (dir, mut db, folder) = ledger();
    db.backup_now(BackupReason::Daily)?;
    let path = dir.path().join(DB_FILE_NAME);
    drop(db);
    rusqlite::Connection::open(&path)?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
    let mut bytes = std::fs::read(&path)?;
    let page = 4096 * 3;
    bytes[page..page + 4096].fill(0xA5);
    std::fs::write(&path, &bytes)?;
    Ok((dir, path, folder, bytes))
}

#[test]
fn a_damaged_ledger_is_refused_at_start_and_the_latest_good_backup_replaces_it() -> TestResult {
    let (dir, path, folder, bytes) = damaged_ledger()?;
    let error = Db::open_with(&path, Some(&folder)).err().expect("a damaged file is refused");
    assert!(matches!(error, Error::Damaged(_)) && error.to_string().contains("已损坏"), "{error}");
    assert_eq!(std::fs::read(&path)?, bytes, "the damaged file is left exactly as it was");

    let (copy, check) = backup::latest_good(&folder).expect("a good copy");
    assert_eq!(check.items, 1);
    backup::replace_damaged(&path, &copy)?;
    let db = Db::open_with(&path, Some(&folder))?;
    assert_eq!(titles(&db), ["关于加快实施布久乡孜热村升级改造项目的建议"]);
    let kept: Vec<String> = files_in(dir.path()).into_iter().filter(|f| f.contains(".损坏-")).collect();
    assert!(!kept.is_empty(), "the damaged file is kept beside it: {:?}", files_in(dir.path()));
    assert!(!files_in(dir.path()).iter().any(|f| f.ends_with(".恢复中")), "no half-placed copy is left");
    Ok(())
}

/// On Windows a file another program holds open cannot be renamed (an antivirus scan, a
/// second copy of the program): the restore then puts nothing in, moves back the -wal file it
/// had already moved aside, and says why; once the file is let go, it goes through. Elsewhere
/// an open file can be renamed, and the restore goes through at once.
#[test]
fn a_damaged_ledger_held_open_by_another_program_is_left_as_it_was() -> TestResult {
    let (dir, path, folder, bytes) = damaged_ledger()?;
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    std::fs::write(&wal, b"left by the program that damaged it")?;
    let (copy, _) = backup::latest_good(&folder).expect("a good copy");
    let before = files_in(dir.path());
    let holder = held_open(&path)?;
    let result = backup::replace_damaged(&path, &copy);
    if cfg!(windows) {
        let error = result.err().expect("refused while another program holds the file");
        assert!(error.to_string().contains("文件正被别的程序打开") && error.to_string().contains("文件都保持原样"), "{error}");
        assert_eq!(files_in(dir.path()), before, "every file back under its own name, no copy left");
        assert_eq!(std::fs::read(&path)?, bytes);
        drop(holder);
        backup::replace_damaged(&path, &copy)?;
    } else {
        result?;
        drop(holder);
    }
    assert_eq!(titles(&Db::open_with(&path, Some(&folder))?), ["关于加快实施布久乡孜热村升级改造项目的建议"]);
    assert_eq!(files_in(dir.path()).iter().filter(|f| f.contains(".损坏-")).count(), 2, "the damaged file and its -wal kept aside");
    Ok(())
}

#[test]
fn a_ledger_of_every_earlier_version_is_copied_then_migrated_with_its_data() -> TestResult {
    for version in 1..schema_version() {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(DB_FILE_NAME);
        std::fs::copy(format!("{}/../../tests/fixtures/schema-v{version}.sqlite3", env!("CARGO_MANIFEST_DIR")), &path)?;
        let folder = dir.path().join("备份");
        let db = Db::open_with(&path, Some(&folder))?;
        assert_eq!(db.user_version()?, schema_version(), "v{version} is brought up to date");
        let items = db.list_items(&ItemQuery::default())?;
        assert_eq!(items.len(), 170, "v{version}: every item");
        assert!(items.iter().any(|i| i.title == "关于加强和完善公共急救培训体系建设的提案" && i.proposer_label == "图尔荪·艾尔肯"));
        assert_eq!(db.list_units()?.len(), 25);
        assert!(db.reply_templates()?.templates.len() >= 4, "v{version}: the reply templates");
        // The search index the upgrade wrote is what an edit of each item would write.
        let written: Vec<(i64, String)> = rusqlite::Connection::open(&path)?
            .prepare("SELECT rowid, words FROM item_search ORDER BY rowid")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        assert!(written.len() >= 170, "v{version}: every item in the search index");
        for (id, words) in written {
            let item = db.get_item(id)?;
            let names: Vec<&str> = item.proposers.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(words, ledger_core::queries::items::search_words(&item.number, &item.title, &names), "v{version}: item {id} in the search index");
        }
        let found = db.list_items(&ItemQuery { text: "急救".into(), ..Default::default() })?;
        assert!(found.iter().any(|i| i.title == "关于加强和完善公共急救培训体系建设的提案"), "v{version}: a word of two characters");
        // The log's search index holds, for each entry the upgrade found, the trigrams of what
        // a new entry's words would be.
        let raw = rusqlite::Connection::open(&path)?;
        raw.execute_batch("CREATE VIRTUAL TABLE temp.log_terms USING fts5vocab(main, log_search, 'instance')")?;
        let indexed: BTreeSet<(i64, String)> = raw.prepare("SELECT doc, term FROM log_terms")?.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        let entries = db.operation_log(&LogQuery::default(), None)?;
        let expected: BTreeSet<(i64, String)> = entries
            .iter()
            .flat_map(|e| {
                let words: Vec<char> = ledger_core::queries::search::log_words(e.kind.as_str(), &e.target, &e.action, &e.changes).to_lowercase().chars().collect();
                words.windows(3).map(|t| (e.id, t.iter().collect())).collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(indexed, expected, "v{version}: the log's search index");
        if version == 13 {
            assert!(entries.len() >= 233, "the fixture's log");
            let search = |text: &str| db.operation_log(&LogQuery { text: text.into(), ..Default::default() }, None).unwrap().len();
            assert_eq!((search("正式答复"), search("答复 精政函"), search("教育局"), search("jh\"zf\\")), (60, 61, 1, 1), "the last: the 文号格式 entry too");
        }
        if version == 1 {
            let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 18).unwrap();
            assert_eq!(db.item_workflow(items[0].id, day)?.progress.status, "待签收", "old items enter the workflow at its start");
        }
        if version >= 2 {
            let events: usize = items.iter().map(|i| db.get_item(i.id).unwrap().events.len()).sum();
            assert!(events > 500, "v{version}: the workflow history is kept ({events})");
        }
        if version >= 3 {
            let item = items.iter().find(|i| i.title.contains("孜热村")).unwrap();
            let drafts = db.reply_drafts(item.id)?;
            assert!(drafts.len() == 1 && drafts[0].is_final, "v{version}: the reply draft and its link");
        }
        // The file as it was is kept in the backup folder, checked.
        let copy = db.last_backup()?.expect("a copy before the upgrade");
        assert_eq!((copy.reason.as_str(), copy.check_ok), ("升级前", true));
        let old: i64 = rusqlite::Connection::open(&copy.path)?.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        assert_eq!(old, version);
    }
    Ok(())
}

#[test]
fn an_import_is_preceded_by_a_backup() -> TestResult {
    let (_dir, mut db, folder) = ledger();
    let session = db.list_sessions()?[0].id;
    let options = ledger_core::import::preview::ImportOptions { session_id: Some(session), create_units: true, ..Default::default() };
    db.import_items("标题,编号,领衔人,主办单位\n关于A的建议,1,美志高,精河县发展和改革委员会\n".as_bytes(), "清单.csv", &options)?;
    let copy = files_in(&folder).into_iter().find(|f| f.ends_with("_导入前.sqlite3")).expect("a copy before the import");
    assert_eq!(backup::inspect(&folder.join(copy))?.items, 1, "the ledger as it was before");
    assert_eq!(titles(&db).len(), 2);
    Ok(())
}

/// Folders as a clerk's PC names them: full-width letters, digits and brackets, spaces and an
/// ideographic space (Ｕ盘 （２０２５年）\台账　备份), under the user's own folder, which on a
/// Chinese PC has Chinese in it too (the Wine run's user is 办公室). A backup goes there, is
/// found, examined and restored from.
#[test]
fn backups_and_restores_go_through_folders_with_full_width_names() -> TestResult {
    let (dir, mut db, _) = ledger();
    let folder = dir.path().join("Ｕ盘 （２０２５年）").join("台账　备份");
    db.set_backup_folder(folder.clone());
    let record = db.backup_now(BackupReason::Manual)?;
    assert_eq!(Path::new(&record.path).parent(), Some(folder.as_path()), "{}", record.path);
    if cfg!(windows) {
        assert!(record.path.contains("\\Ｕ盘 （２０２５年）\\台账　备份\\台账备份_"), "Windows's own separators: {}", record.path);
    }
    assert!(record.check_ok, "{}", record.check_result);
    let (found, check) = backup::latest_good(&folder).expect("the copy is found");
    assert_eq!((found.display().to_string(), check.items), (record.path.clone(), 1));
    db.create_item(&item_input(db.list_sessions()?[0].id, "215", "关于改善县城停车秩序的建议", db.list_units()?[0].id))?;
    db.restore_from(&found)?;
    assert_eq!(titles(&db), ["关于加快实施布久乡孜热村升级改造项目的建议"]);
    Ok(())
}

/// On Windows an old copy that another program holds open cannot be removed: the rotation
/// leaves it for a later time, and the new backup (which an import waits on) still succeeds.
/// Elsewhere it is removed as usual.
#[test]
fn an_old_copy_held_open_is_left_for_a_later_rotation() -> TestResult {
    let (_dir, mut db, folder) = ledger();
    std::fs::create_dir_all(&folder)?;
    // One copy a month for 40 months: with today's copy taking this day and month, the oldest
    // eleven are past every rule of the rotation.
    let today = chrono::Local::now().date_naive();
    let old: Vec<PathBuf> = (1..=40)
        .map(|months| {
            let day = today.checked_sub_months(chrono::Months::new(months)).expect("a day");
            folder.join(backup::file_name(BackupReason::Daily, day.and_hms_opt(9, 0, 0).expect("a time")))
        })
        .collect();
    for path in &old {
        std::fs::write(path, b"an old copy")?;
    }
    let oldest = old.last().expect("forty copies");
    let holder = held_open(oldest)?;
    db.backup_now(BackupReason::Manual)?;
    let left: Vec<&PathBuf> = old[29..].iter().filter(|p| p.exists()).collect();
    if cfg!(windows) {
        assert_eq!(left, [oldest], "only the held copy stays");
    } else {
        assert!(left.is_empty(), "{left:?}");
    }
    assert!(old[..29].iter().all(|p| p.exists()), "the newest of the last 30 days that have a copy are kept");
    drop(holder);
    db.backup_now(BackupReason::Manual)?;
    assert!(!oldest.exists(), "removed once it is let go");
    Ok(())
}
