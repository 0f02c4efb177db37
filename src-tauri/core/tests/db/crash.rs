//! Killing the program while it writes: a child process (this test binary, run again as
//! the writer) registers items one by one and imports lists of 150 rows; the parent kills it
//! (SIGKILL on Linux, TerminateProcess on Windows) 60 times. After each kill the ledger
//! opens, its integrity_check says ok, every item whose commit had returned is there, and
//! every import is all in or not at all.
//!
//! NOTE: every kill is timed from the child's own word that a step has begun, a random part
//! of the time the same kind of step took just before: so the kills land inside the steps on
//! a fast machine, a busy one and under Wine alike, where a fixed delay after the start
//! would land wherever the machine's speed puts it.

use ledger_core::queries::items::ItemQuery;
use super::*;
use ledger_core::import::preview::ImportOptions;

use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// Set for the child: the ledger file to write to, and the round (for unique numbers).
const LEDGER: &str = "TAIZHANG_CRASH_LEDGER";
const ROUND: &str = "TAIZHANG_CRASH_ROUND";
const IMPORT_ROWS: usize = 150;
/// Every tenth step of the writer is an import.
const IMPORT_EVERY: u64 = 10;

/// Prints one line at once (the parent times the kills from these lines).
fn say(line: String) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").unwrap();
    out.flush().unwrap();
}

/// A run of this test binary as a child that says what it does, line by line; each line is
/// taken with the moment it arrived.
struct Child {
    process: std::process::Child,
    lines: Receiver<(Instant, String)>,
    said: Vec<String>,
}

impl Child {
    fn start(test: &str, env: &[(&str, &std::ffi::OsStr)]) -> std::io::Result<Child> {
        let mut process = Command::new(std::env::current_exe()?)
            .args([test, "--exact", "--nocapture", "--test-threads=1"])
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let out = std::io::BufReader::new(process.stdout.take().expect("the child's output"));
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                let _ = send.send((Instant::now(), line));
            }
        });
        Ok(Child { process, lines, said: Vec::new() })
    }

    /// Waits for the line `line`; when it came. An error when the child ended without it.
    /// (The child's first line follows the test runner's "test crash::… ... " on one line.)
    fn wait_for(&mut self, line: &str) -> Result<Instant, String> {
        let after_runner = format!(" ... {line}");
        loop {
            let (at, said) = self.lines.recv().map_err(|_| format!("the child ended without saying {line:?}; it said {:?}", self.said))?;
            self.said.push(said);
            if self.said.last().is_some_and(|s| s == line || s.ends_with(&after_runner)) {
                return Ok(at);
            }
        }
    }

    /// Kills the child after `delay`; everything it said.
    fn kill_after(mut self, delay: Duration) -> std::io::Result<Vec<String>> {
        std::thread::sleep(delay);
        self.process.kill()?; // no destructor, no rollback, no flush of anything
        self.process.wait()?;
        self.said.extend(self.lines.iter().map(|(_, line)| line));
        Ok(self.said)
    }
}

/// The child's work; the test does nothing unless the parent started it. Says "begin N"
/// and "end N" around each step, and between them what it committed.
#[test]
fn writer_child() {
    let (Some(path), Some(round)) = (std::env::var_os(LEDGER), std::env::var_os(ROUND)) else { return };
    let round = round.to_string_lossy().into_owned();
    let mut db = Db::open(Path::new(&path)).expect("the writer opens the ledger");
    let session = db.list_sessions().unwrap()[0].id;
    let unit = db.list_units().unwrap()[0].id;
    let options = ImportOptions { session_id: Some(session), ..Default::default() };
    for n in 1.. {
        say(format!("begin {n}"));
        if n % IMPORT_EVERY == 0 {
            let batch = format!("I{round}-{n}");
            let mut csv = String::from("标题,编号,领衔人,主办单位,交办日期\n");
            for k in 1..=IMPORT_ROWS {
                csv += &format!("关于第{k}项民生工程的建议,{batch}-{k},美志高,精河县发展和改革委员会,2025-03-17\n");
            }
            db.import_items(csv.as_bytes(), "批量.csv", &options).expect("the import");
            say(format!("imported {batch}"));
        } else {
            let number = format!("R{round}-{n}");
            db.create_item(&item_input(session, &number, "关于加快实施布久乡孜热村升级改造项目的建议", unit)).expect("the item");
            say(format!("committed {number}"));
        }
        say(format!("end {n}"));
    }
}

/// A small deterministic generator, so a failing run can be run again the same way.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// A random part (0 to 99%) of `d`.
fn part_of(d: Duration, seed: &mut u64) -> Duration {
    d * (next(seed) % 100) as u32 / 100
}

#[test]
fn killed_at_random_moments_the_ledger_stays_whole() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join(ledger_core::db::DB_FILE_NAME);
    {
        let mut db = Db::open(&path)?;
        db.create_session(&SessionInput { kind: "建议".into(), level: "州".into(), year: "2025".into(), name: "州十六届人大二次会议".into() })?;
        db.create_unit(&UnitInput { name: "精河县发展和改革委员会".into(), ..Default::default() })?;
    }
    let mut seed = 0x2025_0415_u64;
    let (mut committed, mut imported): (HashSet<String>, HashSet<String>) = (HashSet::new(), HashSet::new());
    let (mut cut_imports, mut cut_items) = (0, 0);
    for round in 0..60 {
        let round_text = round.to_string();
        let mut child = Child::start("crash::writer_child", &[(LEDGER, path.as_os_str()), (ROUND, round_text.as_ref())])?;
        // The first import and the single write before it are timed; then the kill goes into
        // the second import, or into one of the single writes after the first import.
        let mut timed = |step: u64| -> Result<Duration, String> {
            let begun = child.wait_for(&format!("begin {step}"))?;
            Ok(child.wait_for(&format!("end {step}"))? - begun)
        };
        let (single, import) = (timed(IMPORT_EVERY - 1)?, timed(IMPORT_EVERY)?);
        let into_import = next(&mut seed) % 2 == 0;
        let (target, took) = if into_import { (2 * IMPORT_EVERY, import) } else { (IMPORT_EVERY + 1 + next(&mut seed) % (IMPORT_EVERY - 1), single) };
        child.wait_for(&format!("begin {target}"))?;
        let said = child.kill_after(part_of(took, &mut seed))?;
        for line in &said {
            if let Some(number) = line.strip_prefix("committed ") {
                committed.insert(number.to_string());
            } else if let Some(batch) = line.strip_prefix("imported ") {
                imported.insert(batch.to_string());
            }
        }
        let cut = said.last().is_some_and(|l| *l == format!("begin {target}"));
        cut_imports += usize::from(cut && into_import);
        cut_items += usize::from(cut && !into_import);

        let db = Db::open(&path).map_err(|e| format!("round {round}: the ledger does not open after the kill: {e}"))?;
        let check: String = rusqlite::Connection::open(&path)?.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        assert_eq!(check, "ok", "round {round}: integrity_check");
        let numbers: HashSet<String> = db.list_items(&ItemQuery::default())?.into_iter().map(|i| i.number).collect();
        let lost: Vec<&String> = committed.iter().filter(|n| !numbers.contains(*n)).collect();
        assert!(lost.is_empty(), "round {round}: items whose commit had returned are gone: {lost:?}");
        let mut batches: BTreeMap<String, usize> = BTreeMap::new();
        for number in numbers.iter().filter(|n| n.starts_with('I')) {
            let batch = number.rsplit_once('-').map(|(b, _)| b.to_string()).unwrap_or_default();
            *batches.entry(batch).or_default() += 1;
        }
        for (batch, rows) in &batches {
            assert_eq!(*rows, IMPORT_ROWS, "round {round}: import {batch} is half in");
        }
        assert!(imported.iter().all(|b| batches.contains_key(b)), "round {round}: an import that returned is missing");
    }
    assert!(committed.len() > 100 && imported.len() > 10, "the writer got far enough to be interrupted in all kinds of places: {} items, {} imports", committed.len(), imported.len());
    assert!(cut_imports >= 5 && cut_items >= 5, "kills land in imports and in single writes alike: {cut_imports} in imports, {cut_items} in single writes");
    println!("60 kills ({cut_imports} during an import, {cut_items} during a single write): {} items and {} imports of {IMPORT_ROWS} rows committed, all found whole", committed.len(), imported.len());
    Ok(())
}

/// What the child does over and over until it is killed, named in TAIZHANG_CRASH_OP.
const OPERATION: &str = "TAIZHANG_CRASH_OP";

/// A ledger whose items all carry `mark` in their titles, for telling whole states apart.
fn marked_ledger(path: &Path, mark: &str, items: usize) {
    let mut db = Db::open(path).unwrap();
    let session = db.create_session(&SessionInput { kind: "建议".into(), level: "州".into(), year: "2025".into(), name: "州十六届人大二次会议".into() }).unwrap();
    let unit = db.create_unit(&UnitInput { name: "精河县发展和改革委员会".into(), ..Default::default() }).unwrap();
    let mut csv = String::from("标题,编号,领衔人,主办单位,交办日期\n");
    for k in 1..=items {
        csv += &format!("关于{mark}第{k}项工作的建议,{k},美志高,精河县发展和改革委员会,2025-03-17\n");
    }
    db.import_items(csv.as_bytes(), "清单.csv", &ImportOptions { session_id: Some(session), ..Default::default() }).unwrap();
    let _ = unit;
}

/// The child for the backup, restore and migration trials: says "start N" before each run
/// of its operation and "done N" after it, so the parent knows where the kill landed.
#[test]
fn operation_child() {
    let (Some(path), Some(op)) = (std::env::var_os(LEDGER), std::env::var_os(OPERATION)) else { return };
    let path = std::path::PathBuf::from(path);
    let dir = path.parent().unwrap().to_path_buf();
    let folder = dir.join("备份");
    for n in 0.. {
        match op.to_str().unwrap() {
            "backup" => {
                let mut db = Db::open_with(&path, Some(&folder)).unwrap();
                say(format!("start {n}"));
                db.backup_now(ledger_core::backup::BackupReason::Manual).unwrap();
            }
            "restore" => {
                let mut db = Db::open_with(&path, Some(&folder)).unwrap();
                let source = dir.join(if n % 2 == 0 { "甲.sqlite3" } else { "乙.sqlite3" });
                say(format!("start {n}"));
                db.restore_from(&source).unwrap();
            }
            "migrate" => {
                let target = dir.join(format!("旧台账_{n}.sqlite3"));
                std::fs::copy(format!("{}/../../tests/fixtures/schema-v1.sqlite3", env!("CARGO_MANIFEST_DIR")), &target).unwrap();
                std::fs::OpenOptions::new().write(true).open(&target).unwrap().sync_all().unwrap();
                say(format!("start {n}"));
                Db::open_with(&target, Some(&folder)).unwrap();
            }
            other => panic!("unknown operation {other}"),
        }
        say(format!("done {n}"));
    }
}

/// Kills the child doing `op` 30 times, each time in its second run of the operation, a
/// random part of the time its first run took after it said "start 1"; after each kill,
/// `check` looks at the files (the ledger, or the file last started on). Returns how many
/// kills landed inside a run of the operation.
fn kill_during(op: &str, dir: &Path, seed: u64, check: impl Fn(u32, &str) -> TestResult) -> Result<u32, Box<dyn std::error::Error>> {
    let mut seed = seed;
    let mut inside = 0;
    let ledger = dir.join(ledger_core::db::DB_FILE_NAME);
    for round in 0..30 {
        let mut child = Child::start("crash::operation_child", &[(LEDGER, ledger.as_os_str()), (OPERATION, op.as_ref())])?;
        let begun = child.wait_for("start 0")?;
        let took = child.wait_for("done 0")? - begun;
        child.wait_for("start 1")?;
        let said = child.kill_after(part_of(took, &mut seed))?;
        let last = said.last().map(String::as_str).unwrap_or("");
        inside += u32::from(last.starts_with("start"));
        check(round, last).map_err(|e| format!("{op}, round {round} (last said {last:?}): {e}"))?;
    }
    Ok(inside)
}

fn integrity(path: &Path) -> Result<String, Box<dyn std::error::Error>> {
    Ok(rusqlite::Connection::open(path)?.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
}

fn titles(path: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let db = Db::open(path)?;
    let mut titles: Vec<String> = db.list_items(&ItemQuery::default())?.into_iter().map(|i| i.title).collect();
    titles.sort();
    Ok(titles)
}

#[test]
fn killed_during_backups_restores_and_migrations_the_ledger_is_old_or_new() -> TestResult {
    // Backups: the ledger is never touched but for the record of the copy; every file that
    // carries a backup's name is a whole, healthy copy (a cut copy keeps its temporary name).
    let dir = tempfile::tempdir()?;
    let ledger = dir.path().join(ledger_core::db::DB_FILE_NAME);
    marked_ledger(&ledger, "甲", 1500);
    let expected = titles(&ledger)?;
    let backups = kill_during("backup", dir.path(), 0x0415_0001, |_, _| {
        assert_eq!(integrity(&ledger)?, "ok");
        assert_eq!(titles(&ledger)?, expected);
        for entry in std::fs::read_dir(dir.path().join("备份"))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "sqlite3") {
                ledger_core::backup::inspect(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
        Ok(())
    })?;

    // Restores: the ledger is either the one before or the one restored, never a mixture.
    let dir = tempfile::tempdir()?;
    let ledger = dir.path().join(ledger_core::db::DB_FILE_NAME);
    marked_ledger(&dir.path().join("甲.sqlite3"), "甲", 1500);
    marked_ledger(&dir.path().join("乙.sqlite3"), "乙", 900);
    marked_ledger(&ledger, "丙", 10);
    let states = [titles(&dir.path().join("甲.sqlite3"))?, titles(&dir.path().join("乙.sqlite3"))?, titles(&ledger)?];
    let restores = kill_during("restore", dir.path(), 0x0415_0002, |_, _| {
        assert_eq!(integrity(&ledger)?, "ok");
        let now = titles(&ledger)?;
        assert!(states.contains(&now), "a mixture of {} items", now.len());
        Ok(())
    })?;

    // Migrations: the schema-1 ledger last started on opens, is brought up to date and holds
    // what it held.
    let dir = tempfile::tempdir()?;
    let fixture = format!("{}/../../tests/fixtures/schema-v1.sqlite3", env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir()?;
    std::fs::copy(&fixture, scratch.path().join("v1.sqlite3"))?;
    let original = titles(&scratch.path().join("v1.sqlite3"))?;
    let migrations = kill_during("migrate", dir.path(), 0x0415_0003, |_, last| {
        let Some(n) = last.strip_prefix("start ").or_else(|| last.strip_prefix("done ")) else { return Ok(()) };
        let file = dir.path().join(format!("旧台账_{n}.sqlite3"));
        assert_eq!(integrity(&file)?, "ok");
        assert_eq!(titles(&file)?, original);
        assert_eq!(Db::open(&file)?.user_version()?, ledger_core::db::schema_version());
        Ok(())
    })?;
    for (op, inside) in [("backup", backups), ("restore", restores), ("migration", migrations)] {
        assert!(inside >= 10, "{op}: only {inside} of 30 kills landed inside the operation");
    }
    println!("30 kills each: {backups} inside a backup, {restores} inside a restore, {migrations} inside a migration; all old or new, never a mixture");
    Ok(())
}
