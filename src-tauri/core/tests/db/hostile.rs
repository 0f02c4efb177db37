//! The files that once broke the program (tests/fixtures/hostile/, copied from the shared
//! reproducers), each kept as a regression case: none may end the program, none may change
//! the ledger wrongly, and each is answered in Chinese.

use ledger_core::queries::items::ItemQuery;
use super::*;
use ledger_core::db::DB_FILE_NAME;
use ledger_core::import::preview::ImportOptions;
use ledger_core::Error;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile").join(name)
}

/// No English words in a message meant for the clerk (file names aside, which are quoted,
/// and the names of the programs and formats she knows).
fn chinese_only(message: &str) {
    let mut outside_quotes: String = message.split('“').map(|part| part.split_once('”').map_or(part, |(_, rest)| rest)).collect();
    for known in ["Excel", "WPS", ".xlsx", ".xls", "xls", "CSV", ".csv", "UTF-8", "GBK", "U+", "MB"] {
        outside_quotes = outside_quotes.replace(known, "");
    }
    assert!(!outside_quotes.chars().any(|c| c.is_ascii_alphabetic()), "English in the clerk's message: {message}");
}

fn preview(f: &mut Fixture, name: &str) -> ledger_core::Result<ledger_core::import::preview::ImportPreview> {
    let bytes = std::fs::read(hostile(name)).expect("the reproducer");
    let options = ImportOptions { session_id: Some(f.suggestions_2025), create_units: true, ..Default::default() };
    f.db.preview_import(&bytes, name, &options)
}

#[test]
fn a_cell_far_away_is_refused_by_the_bound_not_by_the_memory() {
    let mut f = fixture();
    let message = preview(&mut f, "abort_far_cell_XFD1048576.xlsx").expect_err("refused").to_string();
    assert!(message.contains("第 1048576 行第 16384 列") && message.contains("最多 20000 行、100 列"), "{message}");
    chinese_only(&message);
}

#[test]
fn an_overflowing_cell_reference_is_a_message() {
    let mut f = fixture();
    let message = preview(&mut f, "panic_overflow_cellref_ZZZZZZZZ2.xlsx").expect_err("refused").to_string();
    assert!(message.contains("不是可以读取的 Excel 文件") || message.contains("超出了一次可以读取的范围"), "{message}");
    chinese_only(&message);
}

#[test]
fn the_fuzzers_valid_workbook_reads_without_a_panic() {
    let mut f = fixture();
    match preview(&mut f, "panic_183283_valid.xlsx") {
        Ok(preview) => assert!(preview.rows.len() < 20_000),
        Err(e) => chinese_only(&e.to_string()),
    }
}

#[test]
fn a_shared_string_table_declaring_a_hundred_billion_strings_is_refused_not_reserved() {
    // A 1,248-byte .xlsx whose sharedStrings.xml declares uniqueCount="100000000000": the
    // reader reserved 2.4 TB for it and the process aborted.
    let mut f = fixture();
    let message = preview(&mut f, "abort_sst_uniqueCount_1e11.xlsx").expect_err("refused").to_string();
    assert!(message.contains("声明有 100000000000 个字符串"), "{message}");
    chinese_only(&message);
    taken_back_without_an_abort(&mut f, "abort_sst_uniqueCount_1e11.xlsx");
}

/// The take-back reads a returned workbook through the same bounds: the file is answered
/// as unreadable (an abort would end this test's process).
fn taken_back_without_an_abort(f: &mut Fixture, name: &str) {
    let file = ledger_core::unit_exchange::ReturnedFile::read(&std::fs::read(hostile(name)).unwrap(), name);
    let preview = f.db.take_back(&[file], &Default::default(), chrono::NaiveDate::from_ymd_opt(2025, 4, 30).unwrap()).expect("a preview that names the file");
    let said = format!("{preview:?}");
    assert!(said.contains(name), "{said}");
}

#[test]
fn an_xls_whose_dimensions_hide_inside_another_record_is_refused_not_reserved() {
    // The sheet's records begin where its BOUNDSHEET says, inside another record: a pass over
    // the stream from its start missed the DIMENSIONS there, and the reader reserved 43 TB.
    let mut f = fixture();
    let message = preview(&mut f, "abort_xls_dimensions_hidden_in_record.xls").expect_err("refused").to_string();
    assert!(message.contains("不是可以读取的 Excel 文件") || message.contains("超出了一次可以读取的范围"), "{message}");
    chinese_only(&message);    taken_back_without_an_abort(&mut f, "abort_xls_dimensions_hidden_in_record.xls");
}

#[test]
fn an_xls_announcing_rows_that_end_before_they_begin_is_refused_not_reserved() {
    // Found by the fuzzer in a release build: calamine reserves room for the cells a
    // DIMENSIONS record announces, and an inverted row range wrapped to 1.37 TB (an abort).
    let mut f = fixture();
    let message = preview(&mut f, "abort_xls_dimensions_inverted_rows.xls").expect_err("refused").to_string();
    assert!(message.contains("不是可以读取的 Excel 文件") || message.contains("超出了一次可以读取的范围"), "{message}");
    chinese_only(&message);
}

#[test]
fn a_unit_of_control_characters_is_taken_out_and_reported_in_chinese() -> TestResult {
    let mut f = fixture();
    let name = "rawerr_check_constraint_nul_unit.csv";
    let preview = preview(&mut f, name)?;
    assert!(preview.problems.iter().any(|p| p.message.contains("控制字符") && p.message.contains("已去掉")), "{:?}", preview.problems);
    for problem in &preview.problems {
        chinese_only(&problem.message);
    }
    let bytes = std::fs::read(hostile(name))?;
    let options = ImportOptions { session_id: Some(f.suggestions_2025), create_units: true, ..Default::default() };
    match f.db.import_items(&bytes, name, &options) {
        Ok(_) => assert!(f.db.list_units()?.iter().all(|u| !u.name.chars().any(char::is_control))),
        Err(e) => chinese_only(&e.to_string()),
    }
    Ok(())
}

#[test]
fn a_list_without_a_title_column_says_so_instead_of_0_rows() {
    let mut f = fixture();
    let name = "msg_0_rows_wrong_missing_title_header.csv";
    let bytes = std::fs::read(hostile(name)).unwrap();
    let options = ImportOptions { session_id: Some(f.suggestions_2025), create_units: true, ..Default::default() };
    let message = f.db.import_items(&bytes, name, &options).expect_err("refused").to_string();
    assert!(!message.contains(" 0 行") && message.contains("表头"), "{message}");
    assert!(f.db.list_items(&ItemQuery::default()).unwrap().is_empty());
}

/// The live ledger's files, byte for byte, after its WAL was written into it.
fn ledger_bytes(dir: &Path) -> Vec<u8> {
    rusqlite::Connection::open(dir.join(DB_FILE_NAME)).unwrap().query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    std::fs::read(dir.join(DB_FILE_NAME)).unwrap()
}

#[test]
fn a_crafted_schema_0_file_is_refused_before_it_touches_the_ledger() -> TestResult {
    let dir = tempfile::tempdir()?;
    let folder = dir.path().join("备份");
    let mut db = Db::open_with(&dir.path().join(DB_FILE_NAME), Some(&folder))?;
    db.create_unit(&UnitInput { name: "精河县教育局".into(), ..Default::default() })?;
    let before = ledger_bytes(dir.path());
    let error = db.restore_from(&hostile("restore_crafted_schema0.sqlite3")).expect_err("refused");
    assert!(matches!(error, Error::NotOurDatabase(_)), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("的数据结构与本程序第 0 版的不同（多出表“items”") && message.ends_with("当前数据未做任何改动。"), "{message}");
    chinese_only(&message);
    drop(db);
    assert_eq!(ledger_bytes(dir.path()), before, "the live ledger is byte for byte as it was");
    assert!(!folder.exists() || std::fs::read_dir(&folder)?.next().is_none(), "no before-restore copy either");
    Db::open_with(&dir.path().join(DB_FILE_NAME), Some(&folder)).expect("the ledger opens as before");
    Ok(())
}

/// A good ledger file with one item, and the reproducer holding it open with a committed
/// change (WAL) or a large uncommitted one (rollback journal) while the clerk restores it.
fn held_ledger(mode: &str) -> (tempfile::TempDir, PathBuf, std::process::Child) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("被占用的台账.sqlite3");
    {
        let mut db = Db::open(&file).unwrap();
        let session = db.create_session(&SessionInput { kind: "建议".into(), level: "州".into(), year: "2025".into(), name: "州十六届人大二次会议".into() }).unwrap();
        let unit = db.create_unit(&UnitInput { name: "精河县发展和改革委员会".into(), ..Default::default() }).unwrap();
        db.create_item(&item_input(session, "214", "关于加快实施布久乡孜热村升级改造项目的建议", unit)).unwrap();
    }
    let mut holder = Command::new("python3")
        .arg(hostile("restore_uncommitted_holder.py"))
        .args([mode, &file.display().to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs the reproducer");
    let mut line = String::new();
    BufReader::new(holder.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "holding");
    (dir, file, holder)
}

#[test]
fn a_wal_ledger_is_restored_with_what_was_committed_and_nothing_else() -> TestResult {
    let (_held, file, mut holder) = held_ledger("wal");
    let dir = tempfile::tempdir()?;
    let mut db = Db::open_with(&dir.path().join(DB_FILE_NAME), Some(&dir.path().join("备份")))?;
    let result = db.restore_from(&file);
    holder.kill()?;
    holder.wait()?;
    result?;
    let titles: Vec<String> = db.list_items(&ItemQuery::default())?.into_iter().map(|i| i.title).collect();
    assert_eq!(titles, ["关于加快实施布久乡孜热村升级改造项目的建议（已提交的修改）"], "the committed change, not the uncommitted one");
    Ok(())
}

#[test]
fn a_ledger_caught_in_an_uncommitted_transaction_is_refused_or_read_as_committed() -> TestResult {
    let (_held, file, mut holder) = held_ledger("rollback");
    let dir = tempfile::tempdir()?;
    let mut db = Db::open_with(&dir.path().join(DB_FILE_NAME), Some(&dir.path().join("备份")))?;
    let result = db.restore_from(&file);
    holder.kill()?;
    holder.wait()?;
    match result {
        Ok(_) => {
            let titles: Vec<String> = db.list_items(&ItemQuery::default())?.into_iter().map(|i| i.title).collect();
            assert_eq!(titles, ["关于加快实施布久乡孜热村升级改造项目的建议"], "nothing uncommitted came in");
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.contains("正被另一个程序写入"), "{message}");
            chinese_only(&message);
            assert!(db.list_items(&ItemQuery::default())?.is_empty(), "the ledger is unchanged");
        }
    }
    Ok(())
}

#[test]
fn a_ledger_that_cannot_be_upgraded_is_met_like_a_damaged_one_and_left_as_it_was() -> TestResult {
    let dir = tempfile::tempdir()?;
    let ledger = dir.path().join(DB_FILE_NAME);
    std::fs::copy(hostile("restore_crafted_schema0.sqlite3"), &ledger)?;
    let before = std::fs::read(&ledger)?;
    let error = Db::open_with(&ledger, Some(&dir.path().join("备份"))).err().expect("refused");
    assert!(matches!(error, Error::Damaged(_)), "offered a backup like a damaged file: {error:?}");
    let message = error.to_string();
    assert!(message.contains("无法升级到本程序的数据结构（文件中是第 0 版") && message.ends_with("程序没有改动它。"), "{message}");
    assert_eq!(std::fs::read(&ledger)?, before, "byte for byte as it was");
    // Nor is such a file offered as the good backup to restore from.
    let folder = dir.path().join("备份");
    std::fs::create_dir_all(&folder)?;
    std::fs::copy(&ledger, folder.join(ledger_core::backup::file_name(ledger_core::backup::BackupReason::Daily, chrono::Local::now().naive_local())))?;
    assert!(ledger_core::backup::latest_good(&folder).is_none());
    Ok(())
}

/// A restore that is refused leaves the ledger as it was and its log still append-only.
fn refused_restore(candidate: &Path, found: &[&str]) -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut db = Db::open_with(&dir.path().join(DB_FILE_NAME), Some(&dir.path().join("备份")))?;
    db.create_unit(&UnitInput { name: "精河县教育局".into(), ..Default::default() })?;
    let before = ledger_bytes(dir.path());
    let error = db.restore_from(candidate).expect_err("refused");
    let message = error.to_string();
    assert!(matches!(error, Error::NotOurDatabase(_)) && message.contains("的数据结构与本程序第") && message.contains("版的不同"), "{message}");
    for name in found {
        assert!(message.contains(name), "names {name}: {message}");
    }
    chinese_only(&message);
    // The log still refuses to be emptied, and keeps what is added to it.
    db.create_unit(&UnitInput { name: "精河县民政局".into(), ..Default::default() })?;
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE_NAME))?;
    assert!(conn.execute("DELETE FROM operation_log", []).is_err(), "append-only");
    let logged: i64 = conn.query_row("SELECT count(*) FROM operation_log", [], |r| r.get(0))?;
    assert!(logged >= 2, "both units' entries are in the log: {logged}");
    drop((conn, db));
    assert_ne!(ledger_bytes(dir.path()), before, "(the second unit went in)");
    Ok(())
}

/// A ledger of one unit, changed afterwards by `sql` as another program would change it.
fn changed_backup(dir: &Path, sql: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let candidate = dir.join("别人改过的备份.sqlite3");
    Db::open(&candidate)?.create_unit(&UnitInput { name: "精河县发展和改革委员会".into(), ..Default::default() })?;
    rusqlite::Connection::open(&candidate)?.execute_batch(&format!("{sql} PRAGMA journal_mode = DELETE;"))?;
    Ok(candidate)
}

#[test]
fn a_backup_whose_trigger_empties_the_log_is_refused_and_the_log_stays_append_only() -> TestResult {
    // A v11 ledger whose append-only triggers were dropped and a trigger added that empties
    // the operation log on every insert: restored, it switched the office's record off.
    refused_restore(&hostile("restore_trigger_empties_log.sqlite3"), &["多出触发器“audit_gone”", "缺少触发器“operation_log_append_only_delete”"])
}

#[test]
fn a_backup_bringing_its_own_trigger_view_and_table_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let candidate = changed_backup(dir.path(),
        "CREATE TRIGGER retitle AFTER INSERT ON items BEGIN UPDATE items SET title = '已改' WHERE id = NEW.id; END;
         CREATE VIEW everything AS SELECT * FROM items;
         CREATE TABLE notes_of_others (x);")?;
    refused_restore(&candidate, &["触发器“retitle”", "视图“everything”", "表“notes_of_others”"])
}

#[test]
fn a_unit_name_of_32767_characters_from_a_list_is_refused_by_its_row_and_every_output_is_still_made() -> TestResult {
    let mut f = fixture();
    let long = "局".repeat(32_767);
    let list = format!("编号,标题,领衔人,主办单位\n1,关于甲的建议,乔次仁,{long}\n2,关于乙的建议,乔次仁,精河县发展和改革委员会\n");
    let options = ImportOptions { session_id: Some(f.suggestions_2025), create_units: true, ..Default::default() };
    let before = f.db.list_units()?.len();
    let preview = f.db.preview_import(list.as_bytes(), "长单位.csv", &options)?;
    let problem = preview.problems.iter().find(|p| p.row == 2).expect("row 2 is reported");
    assert_eq!(problem.column, "主办单位");
    assert!(problem.message.contains("单位名称有 32767 字，单位全称最多 60 字"), "{problem:?}");
    chinese_only(&problem.message);
    assert!(preview.unknown_units.iter().all(|n| n.chars().count() <= 60), "never offered to add");
    let refused = f.db.import_items(list.as_bytes(), "长单位.csv", &options).expect_err("a list with a wrong row waits for it").to_string();
    chinese_only(&refused);
    assert_eq!(f.db.list_units()?.len(), before, "no unit was made of it");
    let fixed = list.replace(&long, "精河县教育局");
    f.db.import_items(fixed.as_bytes(), "长单位（改正后）.csv", &options)?;
    assert_eq!(f.db.list_items(&ItemQuery::default())?.len(), 2);
    // Every unit's 反馈表 and task list is made.
    let today = chrono::NaiveDate::from_ymd_opt(2025, 4, 15).unwrap();
    let mut made = 0;
    f.db.feedback_files(today, &mut |_| {
        made += 1;
        Ok(())
    })?;
    assert_eq!(made, 2);
    for unit in f.db.list_units()? {
        f.db.unit_tasks_file(unit.id, today)?;
    }
    Ok(())
}

#[test]
fn a_backup_holding_a_unit_name_no_way_in_allows_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let candidate = changed_backup(dir.path(), &format!("UPDATE units SET name = '{}';", "局".repeat(32_767)))?;
    let ledger = tempfile::tempdir()?;
    let mut db = Db::open_with(&ledger.path().join(DB_FILE_NAME), Some(&ledger.path().join("备份")))?;
    let message = db.restore_from(&candidate).expect_err("refused").to_string();
    assert!(message.contains("有单位名称长 32767 字，最多 60 字") && message.ends_with("当前数据未做任何改动。"), "{message}");
    chinese_only(&message);
    assert!(db.list_units()?.is_empty());
    Ok(())
}

/// A zip whose parts are `parts` (name, bytes), deflated.
fn zipped(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Every part of a .docx, `document.xml` changed by `change`.
fn docx_with(bytes: &[u8], change: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        let name = part.name().unwrap().to_string();
        if name == "word/document.xml" {
            data = change(String::from_utf8(data).unwrap()).into_bytes();
        }
        parts.push((name, data));
    }
    zipped(&parts.iter().map(|(n, d)| (n.as_str(), d.as_slice())).collect::<Vec<_>>())
}

#[test]
fn each_message_fits_the_file_and_where_it_was_picked() -> TestResult {
    let mut f = fixture();
    let back = chrono::NaiveDate::from_ymd_opt(2025, 4, 30).unwrap();
    let taken_back = |f: &mut Fixture, bytes: &[u8], name: &str| -> String {
        let preview = f.db.check_returned(&[ledger_core::unit_exchange::ReturnedFile::read(bytes, name)], &Default::default(), back).unwrap().preview;
        preview.problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("")
    };
    let options = ImportOptions { session_id: Some(f.suggestions_2025), create_units: true, ..Default::default() };

    // A workbook saved with a password, as Excel wraps it: named, on import and on take-back.
    let mut locked = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new()))?;
    std::io::Write::write_all(&mut locked.create_stream("/EncryptionInfo")?, &[4, 0, 4, 0, 0x40, 0, 0, 0])?;
    std::io::Write::write_all(&mut locked.create_stream("/EncryptedPackage")?, &[0u8; 4096])?;
    let locked = locked.into_inner().into_inner();
    let message = f.db.preview_import(&locked, "加密的清单.xlsx", &options).expect_err("refused").to_string();
    assert!(message.contains("设置了打开密码") && !message.contains("损坏"), "{message}");
    chinese_only(&message);
    assert!(taken_back(&mut f, &locked, "加密的反馈表.xlsx").contains("设置了打开密码"));

    // A zip bomb sent back as a 反馈表 is not told about lists and importing.
    let bomb = zipped(&[("xl/sharedStrings.xml", &vec![b' '; 130 << 20])]);
    let message = taken_back(&mut f, &bomb, "炸弹.xlsx");
    assert!(message.contains("解压后超过 120 MB") && !message.contains("交办清单") && !message.contains("导入"), "{message}");

    // A Word draft whose text unpacks to 60 MB is too large, not damaged.
    let id = super::replies::item(&mut f);
    let template = super::replies::template_id(&f, "建议主办答复");
    let today = chrono::NaiveDate::from_ymd_opt(2025, 4, 15).unwrap();
    let huge = docx_with(&super::replies::unit_draft(), |xml| xml.replacen("<w:body>", &format!("<w:body>{}", " ".repeat(60 << 20)), 1));
    let message = f.db.draft_from_word(id, template, Some(f.fagai), &huge, "很大的稿.docx", today).expect_err("refused").to_string();
    assert!(message.contains("超过 20 MB") && !message.contains("损坏"), "{message}");

    // A control character in a unit's draft is taken out, as a list's are; the draft is saved.
    let marked = docx_with(&super::replies::unit_draft(), |xml| xml.replace("资金由县财政", "资金由县\u{1B}财政"));
    let draft = f.db.draft_from_word(id, template, Some(f.fagai), &marked, "带控制字符的稿.docx", today)?;
    assert!(draft.content.body.contains("资金由县财政统筹安排"), "{:?}", draft.content.body);
    assert_eq!(draft.note, "单位来稿：带控制字符的稿.docx（其中看不见的控制字符已去掉）");
    Ok(())
}

/// A workbook of one sheet with `sheet` as its rows, `strings` as its shared strings and
/// `styles` as its style sheet's cell formats.
fn workbook(sheet: &str, strings: &str, styles: &str) -> Vec<u8> {
    let types = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let book = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let book_rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    zipped(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", book.as_bytes()),
        ("xl/_rels/workbook.xml.rels", book_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", format!(r#"<worksheet xmlns="{main}"><sheetData>{sheet}</sheetData></worksheet>"#).as_bytes()),
        ("xl/sharedStrings.xml", format!(r#"<sst xmlns="{main}" count="1" uniqueCount="1">{strings}</sst>"#).as_bytes()),
        ("xl/styles.xml", format!(r#"<styleSheet xmlns="{main}"><cellXfs>{styles}</cellXfs></styleSheet>"#).as_bytes()),
    ])
}

#[test]
fn files_made_to_fill_the_memory_are_refused_by_their_bounds() {
    // Found probing the memory each file costs: one long shared text named by 400,000 cells
    // (copied for each, 38 GB: the program ended), 200,000 cell formats (the style sheet is
    // kept whole: 5 million took 1 GB from 263 KB), and a line of 25 million commas (605 MB).
    let mut f = fixture();
    let rows: String = (1..=20_000).map(|r| format!("<row r=\"{r}\">{}</row>", (0..20).map(|c| format!("<c r=\"{}{r}\" t=\"s\"><v>0</v></c>", (b'A' + c) as char)).collect::<String>())).collect();
    let fan_out = workbook(&rows, &format!("<si><t>{}</t></si>", "长".repeat(32_767)), "<xf/>");
    let styles = workbook("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", "<si><t>编号</t></si>", &"<xf numFmtId=\"0\"/>".repeat(200_000));
    let commas = format!("编号,标题\n{}\n", ",".repeat(25 << 20)).into_bytes();
    let options = ImportOptions { session_id: Some(f.suggestions_2025), create_units: true, ..Default::default() };
    for (name, bytes, said) in [
        ("一段文字引用四十万次.xlsx", fan_out, "单元格内容展开后超过"),
        ("二十万条格式.xlsx", styles, "样式表有 200000 条格式"),
        ("两千五百万个逗号.csv", commas, "第 2 行超过 100 列"),
    ] {
        let message = f.db.preview_import(&bytes, name, &options).expect_err("refused").to_string();
        assert!(message.contains(said), "{name}: {message}");
        chinese_only(&message);
        let returned = f.db.check_returned(&[ledger_core::unit_exchange::ReturnedFile::read(&bytes, name)], &Default::default(), chrono::NaiveDate::from_ymd_opt(2025, 4, 30).unwrap()).unwrap();
        assert!(returned.preview.problems.iter().any(|p| p.message.contains(said)), "{name} taken back: {:?}", returned.preview.problems);
    }
}
