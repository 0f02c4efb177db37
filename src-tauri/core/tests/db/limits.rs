//! What an outsider's file or a pasted text can do, bounded: the importer's limits, each with
//! a Chinese message that gives the number found and the bound; forms that refuse control
//! characters by field; exports that hold any text the ledger holds; an import that is
//! cancelled writes nothing.

use ledger_core::queries::items::ItemQuery;
use super::*;
use ledger_core::import::check::ImportPlan;
use ledger_core::import::preview::{ImportFile, ImportOptions, Progress};
use ledger_core::queries::reports::TableQuery;
use ledger_core::sheet::{MAX_COLUMNS, MAX_ROWS};
use ledger_core::Error;
use std::io::{Read, Write};

fn options(f: &Fixture) -> ImportOptions {
    ImportOptions { session_id: Some(f.suggestions_2025), create_units: true, ..Default::default() }
}

fn list(rows: usize) -> String {
    let mut csv = String::from("编号,标题,领衔人,主办单位\n");
    for n in 1..=rows {
        csv += &format!("{n},关于第{n}项工作的建议,美志高,精河县发展和改革委员会\n");
    }
    csv
}

fn refusal(f: &mut Fixture, bytes: &[u8], name: &str) -> String {
    let message = f.db.preview_import(bytes, name, &options(f)).expect_err("refused").to_string();
    assert!(f.db.list_items(&ItemQuery::default()).unwrap().is_empty());
    message
}

#[test]
fn too_many_rows_columns_or_characters_are_refused_with_the_numbers() {
    let mut f = fixture();
    let message = refusal(&mut f, list(MAX_ROWS + 5).as_bytes(), "大清单.csv");
    assert!(message.contains(&format!("超过 {MAX_ROWS} 行")), "{message}");

    let wide = format!("编号,标题{}\n1,关于的建议\n", ",列".repeat(MAX_COLUMNS + 10));
    let message = refusal(&mut f, wide.as_bytes(), "宽.csv");
    assert!(message.contains(&format!("有 {} 列", MAX_COLUMNS + 12)) && message.contains(&format!("{MAX_COLUMNS} 列")), "{message}");

    let long = format!("编号,标题,领衔人,主办单位\n1,关于{}的建议,美志高,县发改委\n", "很".repeat(40_000));
    let message = refusal(&mut f, long.as_bytes(), "长.csv");
    assert!(message.contains("第 2 行第 2 列有 40005 个字") && message.contains("32767"), "{message}");

    let big = vec![b'a'; ledger_core::sheet::MAX_FILE_BYTES + 1];
    let message = refusal(&mut f, &big, "巨大.csv");
    assert!(message.contains("30 MB"), "{message}");
}

#[test]
fn a_zip_bomb_is_refused_by_what_it_unpacks_to() -> TestResult {
    let mut f = fixture();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/sharedStrings.xml", options)?;
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..130 {
        zip.write_all(&zeros)?;
    }
    let bytes = zip.finish()?.into_inner();
    assert!(bytes.len() < 1 << 20, "small on disk: {} bytes", bytes.len());
    let message = refusal(&mut f, &bytes, "炸弹.xlsx");
    assert!(message.contains("解压后超过 120 MB"), "{message}");
    Ok(())
}

#[test]
fn an_excel_97_list_is_read_and_its_extent_is_bounded() -> TestResult {
    let mut f = fixture();
    let path = format!("{}/../../tests/fixtures/交办清单-excel97.xls", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(path)?;
    let preview = f.db.preview_import(&bytes, "交办清单.xls", &options(&f))?;
    assert_eq!(preview.rows.len(), 2, "{preview:?}");
    assert_eq!(preview.rows[0].title, "关于加快实施布久乡孜热村升级改造项目的建议");
    // The same file renamed .xlsx is still read by what it is.
    assert_eq!(f.db.preview_import(&bytes, "改了扩展名.xlsx", &options(&f))?.rows.len(), 2);
    Ok(())
}

#[test]
fn a_cancelled_check_or_import_writes_nothing() -> TestResult {
    let mut f = fixture();
    let file = ImportFile::read(list(300).as_bytes(), "清单.csv")?;
    let progress = Progress::default();
    let context = f.db.import_context(&options(&f))?;
    let plan = ImportPlan::check(&file, &context, &options(&f), &progress)?;
    assert_eq!(plan.preview.writable(), 300);
    assert_eq!(progress.view().done, 300, "every row was counted");
    progress.cancel();
    assert!(matches!(ImportPlan::check(&file, &context, &options(&f), &progress), Err(Error::Cancelled)));
    let error = f.db.import_file(&file, &options(&f), &progress).expect_err("cancelled");
    assert_eq!(error.to_string(), "已取消，台账没有改动。");
    assert!(f.db.list_items(&ItemQuery::default())?.is_empty());
    progress.reset();
    f.db.import_file(&file, &options(&f), &progress)?;
    assert_eq!(f.db.list_items(&ItemQuery::default())?.len(), 300);
    Ok(())
}

#[test]
fn forms_refuse_control_characters_naming_the_field() {
    let mut f = fixture();
    let mut input = item_input(f.suggestions_2025, "214", "关于\u{202E}加快实施的建议", f.fagai);
    input.full_text = "第一段\u{0}第二段".into();
    input.proposers[0].name = "乔次仁\u{7}".into();
    assert_eq!(invalid_fields(f.db.create_item(&input)), ["full_text", "proposers.0.name", "title"]);
    let message = message_for(f.db.create_item(&input), "full_text");
    assert_eq!(message, "正文中有看不见的控制字符（U+0000），多半是从别处复制带来的，请删去后再保存。");
    let unit = UnitInput { name: "精河县\u{1B}水利局".into(), ..Default::default() };
    assert_eq!(invalid_fields(f.db.create_unit(&unit)), ["name"]);
    assert_eq!(invalid_fields(f.db.create_category(ledger_core::model::Kind::Suggestion, "教育\u{202E}")), ["name"]);
    assert!(f.db.list_items(&ItemQuery::default()).unwrap().is_empty());
    // Tabs and line breaks as typed or pasted stay.
    let mut fine = item_input(f.suggestions_2025, "215", "关于提高教师待遇的建议", f.fagai);
    fine.full_text = "一、现状\r\n二、建议\n\t（一）提高待遇".into();
    f.db.create_item(&fine).expect("saved");
}

#[test]
fn a_note_longer_than_a_cell_is_refused_and_one_that_fills_a_cell_makes_every_table() -> TestResult {
    let mut f = fixture();
    let mut input = item_input(f.suggestions_2025, "214", "关于加快实施布久乡孜热村升级改造项目的建议", f.fagai);
    input.note = "长".repeat(40_000);
    let message = f.db.create_item(&input).expect_err("refused").to_string();
    assert!(message.contains("备注有 40000 字，最多 32767 字"), "{message}");
    input.note = "长".repeat(32_767);
    let id = f.db.create_item(&input)?;
    let today = chrono::NaiveDate::from_ymd_opt(2025, 4, 15).unwrap();
    let (bytes, _) = f.db.undertaking_file(&TableQuery { year: 2025, streams: vec![], unit_id: None }, &[], today)?;
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))?;
    let sheet = book.worksheet_range("承办情况表")?;
    let note = sheet.rows().flat_map(|r| r.iter()).map(|c| c.to_string()).find(|t| t.starts_with("长长长")).expect("the note");
    assert!(note.chars().count() <= 32_767, "{}", note.chars().count());
    assert_eq!(f.db.get_item(id)?.note.chars().count(), 32_767, "the ledger keeps it whole");
    let (log, _) = f.db.log_file(&ledger_core::queries::log::LogQuery::default(), today)?;
    assert!(!log.is_empty(), "the log with the long text exports too");
    Ok(())
}

#[test]
fn a_reply_from_an_older_ledger_with_control_characters_still_makes_a_word_file() -> TestResult {
    let mut f = fixture();
    let id = f.db.create_item(&item_input(f.suggestions_2025, "214", "关于加快实施布久乡孜热村升级改造项目的建议", f.fagai))?;
    let template = f.db.reply_templates()?.templates.iter().find(|t| t.name == "建议主办答复").expect("the template").id;
    let letter = f.db.start_reply(id, template, None, chrono::NaiveDate::from_ymd_opt(2025, 4, 15).unwrap())?;
    let input = ledger_core::queries::replies::DraftInput {
        purpose: "主办答复".into(), unit_id: Some(f.fagai), template_id: Some(template), content: super::replies::typed(&letter, "正文"), note: String::new(),
    };
    let draft = f.db.save_reply(id, &input)?;
    // As an import of an earlier version could have left it: a NUL and a lone CR in the title.
    let path = f._dir.path().join(ledger_core::db::DB_FILE_NAME);
    let changed = rusqlite::Connection::open(path)?.execute(r#"UPDATE reply_drafts SET content = replace(content, '"title":"', '"title":"\u0000\r续')"#, [])?;
    assert_eq!(changed, 1);
    let (bytes, _) = f.db.reply_file(draft.id)?;
    let mut document = String::new();
    zip::ZipArchive::new(std::io::Cursor::new(bytes))?.by_name("word/document.xml")?.read_to_string(&mut document)?;
    assert!(!document.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')), "no control character reaches Word");
    assert!(document.contains("续"));
    Ok(())
}
