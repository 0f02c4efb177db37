//! Database tests on real SQLite files: one binary whose modules mirror `src/queries`.

mod backup;
mod categories;
mod crash;
mod demo;
mod evaluation;
mod hostile;
mod import;
mod items;
mod limits;
mod log;
mod open;
mod real_shape;
mod replies;
mod reports;
mod result_grid;
mod sessions;
mod similar;
mod stats;
mod take_back;
mod unit_exchange;
mod units;
mod work;
mod upper_form;
mod workflow;
mod years;

use ledger_core::model::{AssignmentInput, ItemInput, Kind, Level, ProposerInput, SessionInput, Stream, UnitInput};
use ledger_core::Db;

/// 州人大建议, the stream most tests table.
const PREFECTURE_SUGGESTIONS: Stream = Stream { level: Level::Prefecture, kind: Kind::Suggestion };

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Runs a Python script with openpyxl on `args`; returns what it printed.
pub fn python(script: &str, args: &[&std::path::Path]) -> String {
    let output = std::process::Command::new("/usr/bin/python3").arg("-c").arg(script).args(args).output().expect("python3 with openpyxl (scripts/install-deps.sh --test)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// A fresh database in a temporary folder (a real file, WAL and all).
pub fn file_db() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&dir.path().join(ledger_core::db::DB_FILE_NAME)).expect("open database");
    (dir, db)
}

/// A ledger with one session of each kind and three units, as most tests need.
pub struct Fixture {
    pub db: Db,
    pub suggestions_2025: i64,
    pub proposals_2025: i64,
    pub suggestions_2024: i64,
    pub fagai: i64,
    pub jiaoyu: i64,
    pub yuanqu: i64,
    /// Last, so it is dropped after the ledger is closed: Windows deletes no open file, and
    /// the folder would stay behind.
    pub _dir: tempfile::TempDir,
}

pub fn fixture() -> Fixture {
    let (dir, mut db) = file_db();
    let session = |db: &mut Db, kind: &str, level: &str, year: &str, name: &str| {
        db.create_session(&SessionInput { kind: kind.into(), level: level.into(), year: year.into(), name: name.into() })
            .expect("session")
    };
    let suggestions_2025 = session(&mut db, "建议", "州", "2025", "州十六届人大二次会议");
    let proposals_2025 = session(&mut db, "提案", "县", "2025", "政协精河县十一届五次会议");
    let suggestions_2024 = session(&mut db, "建议", "州", "2024", "州十六届人大一次会议");
    let unit = |db: &mut Db, name: &str, short: &str| {
        db.create_unit(&UnitInput { name: name.into(), short_name: short.into(), ..Default::default() }).expect("unit")
    };
    let fagai = unit(&mut db, "精河县发展和改革委员会", "县发改委");
    let jiaoyu = unit(&mut db, "精河县教育局", "县教育局");
    let yuanqu = unit(&mut db, "精河工业园区管委会", "工业园区");
    Fixture { _dir: dir, db, suggestions_2025, proposals_2025, suggestions_2024, fagai, jiaoyu, yuanqu }
}

/// A valid intake form: county leads, one 主办 unit, one proposer.
pub fn item_input(session_id: i64, number: &str, title: &str, lead_unit: i64) -> ItemInput {
    ItemInput {
        session_id: Some(session_id),
        number: number.into(),
        title: title.into(),
        county_role: "主办".into(),
        assigned_on: "2025-03-17".into(),
        proposers: vec![ProposerInput { name: "乔次仁".into(), ..Default::default() }],
        assignments: vec![AssignmentInput { unit_id: Some(lead_unit), role: "主办".into(), ..Default::default() }],
        ..Default::default()
    }
}

/// The fields named by a validation error, in order.
pub fn invalid_fields(result: ledger_core::Result<impl std::fmt::Debug>) -> Vec<String> {
    match result {
        Err(ledger_core::Error::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// The message of the validation error on `field`.
pub fn message_for(result: ledger_core::Result<impl std::fmt::Debug>, field: &str) -> String {
    match result {
        Err(ledger_core::Error::Invalid(errors)) => errors
            .into_iter()
            .find(|e| e.field == field)
            .unwrap_or_else(|| panic!("no error on {field}"))
            .message,
        other => panic!("expected a validation error, got {other:?}"),
    }
}
