//! Opening files: fresh, existing, newer than the program, not a database at all.

use super::*;
use ledger_core::db::{schema_version, DB_FILE_NAME};
use ledger_core::Error;

#[test]
fn a_new_file_gets_the_whole_schema_and_the_pragmas() -> TestResult {
    let (dir, db) = file_db();
    assert!(dir.path().join(DB_FILE_NAME).exists());
    assert_eq!(db.user_version()?, schema_version());
    assert!(db.is_empty()?);
    // 15 categories are seeded from DOMAIN.md: 6 for 建议, 9 for 提案.
    let categories = db.list_categories()?;
    assert_eq!(categories.iter().filter(|c| c.kind == ledger_core::model::Kind::Suggestion).count(), 6);
    assert_eq!(categories.iter().filter(|c| c.kind == ledger_core::model::Kind::Proposal).count(), 9);
    Ok(())
}

#[test]
fn reopening_keeps_the_data_and_does_not_migrate_twice() -> TestResult {
    let (dir, mut db) = file_db();
    db.create_unit(&UnitInput { name: "精河县教育局".into(), ..Default::default() })?;
    drop(db);
    let db = Db::open(&dir.path().join(DB_FILE_NAME))?;
    assert_eq!(db.list_units()?.len(), 1);
    assert_eq!(db.list_categories()?.len(), 15, "seed rows are not inserted again");
    Ok(())
}

#[test]
fn connection_pragmas_are_set() -> TestResult {
    let (dir, db) = file_db();
    drop(db);
    // Read the settings through a second, plain connection on the same file, and through ours.
    let raw = rusqlite::Connection::open(dir.path().join(DB_FILE_NAME))?;
    let mode: String = raw.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    assert_eq!(mode, "wal", "WAL is persistent in the file");
    let db = Db::open(&dir.path().join(DB_FILE_NAME))?;
    let set = db.pragmas()?;
    assert_eq!((set.foreign_keys, set.synchronous), (1, 2), "foreign_keys=ON, synchronous=FULL");
    assert!(set.busy_timeout_ms >= 1000, "busy timeout set, got {set:?}");
    assert_eq!(set.cache_size, -32_000, "a 32 MB page cache instead of the default 2 MB");
    assert_eq!(set.mmap_size, 0, "reads through the page cache, not a memory map (see Db::prepare)");
    Ok(())
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join(DB_FILE_NAME);
    {
        let conn = rusqlite::Connection::open(&path)?;
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")?;
    }
    let before = std::fs::read(&path)?;
    let result = Db::open(&path);
    let Err(error @ Error::NewerDatabase { found: 99, .. }) = result else {
        panic!("expected NewerDatabase, got {:?}", result.map(|_| ()));
    };
    let message = error.to_string();
    assert!(message.contains("新") && message.contains("没有被改动"), "{message}");
    assert_eq!(std::fs::read(&path)?, before, "the file is byte for byte the same");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())?.map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no -wal or -shm file was created: {leftovers:?}");
    Ok(())
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join(DB_FILE_NAME);
    std::fs::write(&path, "这不是数据库文件，只是一段文字。".repeat(100))?;
    let before = std::fs::read(&path)?;
    match Db::open(&path) {
        Err(Error::NotOurDatabase(message)) => assert!(message.contains("不是本程序的数据文件"), "{message}"),
        other => panic!("expected NotOurDatabase, got {:?}", other.map(|_| ())),
    }
    assert_eq!(std::fs::read(&path)?, before);
    Ok(())
}

#[test]
fn the_folder_is_created_when_missing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("新建文件夹").join("数据").join(DB_FILE_NAME);
    Db::open(&path)?;
    assert!(path.exists());
    Ok(())
}

#[test]
fn the_schema_itself_refuses_bad_rows() -> TestResult {
    // The checks hold even for a writer that bypasses validation (a future bug, a tool).
    let mut f = fixture();
    let id = f.db.create_item(&item_input(f.suggestions_2025, "1", "关于A的建议", f.fagai))?;
    drop(f.db);
    let conn = rusqlite::Connection::open(f._dir.path().join(DB_FILE_NAME))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let refused = |sql: &str| conn.execute(sql, []).is_err();
    assert!(refused("UPDATE items SET county_role = '主持' WHERE id = 1"), "unknown role");
    assert!(refused("UPDATE items SET title = '  ' WHERE id = 1"), "blank title");
    assert!(refused(&format!("INSERT INTO assignments (item_id, unit_id, role) VALUES ({id}, 999, '主办')")), "unknown unit");
    assert!(refused(&format!("INSERT INTO assignments (item_id, unit_id, role) VALUES ({id}, {}, '主办')", f.fagai)), "same unit twice");
    assert!(refused("INSERT INTO sessions (kind, level, year, name) VALUES ('意见', '县', 2025, 'X')"), "unknown kind");
    assert!(refused("INSERT INTO items (session_id, number, title, county_role, created_at, updated_at) SELECT session_id, number, 'B', '主办', '', '' FROM items WHERE id = 1"), "duplicate number");
    Ok(())
}
