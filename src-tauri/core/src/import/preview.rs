//! What the window sees of an import: the clerk's options, the preview with every problem
//! by row, column and reason, the progress of a long check or write; and the list as read
//! from its file.

use super::columns::Field;
use crate::error::{Error, Result};
use crate::sheet::read_workbook;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};


/// How the clerk wants the import done.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    /// The session of every row; none to take each row's from its 类型 and 届次 cells and
    /// its sheet's year (a clerk's own ledger of several years and streams).
    pub session_id: Option<i64>,
    /// Add the sessions the preview proposes (rows of sessions the ledger lacks).
    pub create_sessions: bool,
    /// The sheets the clerk leaves out, by name.
    pub left_out_sheets: Vec<String>,
    /// The clerk's own mapping: column index → field, over the recognised one.
    pub mapping: HashMap<usize, String>,
    /// Update items that already exist (same session and number) instead of skipping them.
    pub update_duplicates: bool,
    /// Create units the directory does not know yet.
    pub create_units: bool,
    /// The 交办日期 for rows that have none, as the clerk set it in the preview; when empty,
    /// the date written above the header (in a title row) is taken.
    pub assigned_on: String,
    /// The clerk's class for each 办理结果 written in words (已经解决 → A); over the proposed one.
    pub outcome_words: HashMap<String, String>,
    /// The clerk's word on each 回头看 phrase: true when it says the matter solved (the B
    /// item becomes A on that day); over the one read from the words.
    pub lookback_words: HashMap<String, bool>,
    /// The clerk's word on each proposed pair of unit names (by the name the directory does
    /// not know): true takes them for one unit (the default), false keeps them apart.
    pub unit_matches: HashMap<String, bool>,
    /// The proposals the clerk took for rows that leave the category or the units empty
    /// (by the row's key, [`PreviewRow::key`]): used as if the file said them.
    pub taken: HashMap<usize, Proposal>,
}

/// What the similar items propose for a row that leaves its category or its units empty
/// (by name, as a list would write them); empty fields propose nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Proposal {
    pub category: String,
    pub lead_unit: String,
    pub assist_units: Vec<String>,
}

/// A column of the file and what it is taken for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnMap {
    pub index: usize,
    pub header: String,
    pub field: Option<Field>,
    /// True when the clerk chose the field.
    pub by_hand: bool,
}

/// A problem of one row: the sheet, the row number as the spreadsheet shows it, the column,
/// why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The sheet's name; empty for a file of one sheet.
    pub sheet: String,
    pub row: usize,
    pub column: String,
    pub message: String,
    /// False for a notice that does not stop the row (an unknown category, characters
    /// taken out); true for a problem the clerk must mend before importing.
    pub blocks: bool,
}

/// One row as it will be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewRow {
    /// The sheet's name; empty for a file of one sheet.
    pub sheet: String,
    pub row: usize,
    /// The row's place in the file, for the clerk's choices about it: the row number on the
    /// first sheet, and 100,000 more on each sheet after (a sheet has at most 20,000 rows).
    pub key: usize,
    /// The session it goes to, as the clerk reads it (州十六届人大二次会议).
    pub session: String,
    pub number: String,
    pub title: String,
    pub proposers: String,
    pub category: String,
    pub lead_unit: String,
    pub assist_units: String,
    pub assigned_on: String,
    /// The results the row records (补录), in short: 面商、B类、基本满意、不公开.
    pub results: String,
    /// 新增, 更新 (an existing item), 跳过 (an existing item, kept as it is) or 有误.
    pub action: String,
    /// The file leaves the category, or the units, empty: the similar items may propose them.
    pub lacks_category: bool,
    pub lacks_units: bool,
    /// The clerk took the proposal for this row (in `ImportOptions::taken`).
    pub taken: bool,
    /// The most similar items of the ledger, as one line each (similar.rs).
    pub similar: Vec<String>,
    /// What they propose for the empty fields, if anything.
    pub proposal: Option<Proposal>,
    /// The item the row updates or skips, which is not its own similar item.
    #[serde(skip)]
    pub registered: Option<i64>,
    /// The kind of its session: the similar items propose a category of that kind.
    #[serde(skip)]
    pub kind: Option<crate::model::Kind>,
}

/// A unit name of the list the directory does not know, proposed as the same unit as another
/// name: one it abbreviates (州发改委 → 州发展和改革委员会) or that abbreviates it, in the
/// directory or in the same file. Taken as one unit unless the clerk says no.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitMatch {
    pub name: String,
    pub same_as: String,
    pub in_directory: bool,
    pub accepted: bool,
    /// The directory's unit, when `same_as` is one.
    #[serde(skip)]
    pub(super) unit_id: Option<i64>,
}

/// A 办理结果 written in words, the class it is taken for, and on how many rows it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeWord {
    pub word: String,
    /// A, B or C; empty while neither the words nor the clerk say which.
    pub class: String,
    /// The clerk chose it (else it is proposed from the words).
    pub by_hand: bool,
    pub rows: usize,
}

/// A 回头看 phrase of the file ("已解决", "资金已列入预算"), whether it is taken to say the
/// matter solved, and on how many rows it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LookbackWord {
    pub word: String,
    pub solved: bool,
    /// The clerk chose it (else it is read from the words).
    pub by_hand: bool,
    pub rows: usize,
}

/// A session the ledger does not have, proposed by the rows that belong to it (their 类型
/// and 届次, their sheet's year); added with the import when the clerk agrees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSession {
    pub kind: crate::model::Kind,
    pub level: crate::model::Level,
    pub year: i32,
    pub name: String,
    pub rows: usize,
}

/// A sheet of the file as the preview lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetView {
    pub name: String,
    /// The header's row number; 0 when no header was found (the sheet is not imported).
    pub header_row: usize,
    /// The rows below the header that hold something.
    pub rows: usize,
    /// The year its name, title or dates say.
    pub year: Option<i32>,
    /// Left out by the clerk (or without a header).
    pub left_out: bool,
    /// Its header differs from the first sheet's: its columns are taken as recognised, the
    /// clerk's choices for the first sheet's columns do not apply to it.
    pub other_header: bool,
}

/// What the clerk sees before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportPreview {
    pub file_name: String,
    /// Every sheet of the file, with what became of it.
    pub sheets: Vec<SheetView>,
    /// The header and columns of the first sheet imported (the clerk's choices of columns
    /// apply to every sheet with the same header).
    pub header_row: usize,
    pub columns: Vec<ColumnMap>,
    pub rows: Vec<PreviewRow>,
    pub problems: Vec<Problem>,
    /// Units named in the file that the directory does not know (a short name taken for a
    /// unit of the directory not counted).
    pub unknown_units: Vec<String>,
    /// Names proposed as one unit, for the clerk to confirm or reject per pair.
    pub unit_matches: Vec<UnitMatch>,
    pub fields: Vec<&'static str>,
    /// The date written above the header (e.g. in the title row), ISO, empty when none.
    pub list_date: String,
    /// The 交办日期 given to rows that have none: the clerk's, else the list's; ISO or empty.
    pub default_date: String,
    /// The 办理结果 words of the file with their classes, for the clerk to confirm.
    pub outcome_words: Vec<OutcomeWord>,
    /// The 回头看 phrases of the file and what each is taken to say, for the clerk to confirm.
    pub lookback_words: Vec<LookbackWord>,
    /// Sessions the ledger lacks, proposed by the rows (added only when the clerk agrees).
    pub new_sessions: Vec<NewSession>,
    /// How many steps the import records from the result columns (补录).
    pub result_steps: usize,
}

impl ImportPreview {
    /// Rows that would be written (new or updated).
    pub fn writable(&self) -> usize {
        self.rows.iter().filter(|r| r.action == "新增" || r.action == "更新").count()
    }
}

/// How far reading, checking or writing a list has come, shared with whoever shows it, and
/// the clerk's wish to stop. Checked between rows: a cancelled check or import ends with
/// [`Error::Cancelled`] and, for an import, its transaction rolled back.
#[derive(Debug, Default)]
pub struct Progress {
    stage: std::sync::Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

/// A look at [`Progress`] for the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressView {
    pub stage: String,
    pub done: usize,
    pub total: usize,
}

impl Progress {
    /// Starts a stage ("读取文件", "检查", "导入") of `total` steps; clears a cancel.
    pub fn start(&self, stage: &'static str, total: usize) {
        *self.stage.lock().unwrap_or_else(|p| p.into_inner()) = stage;
        self.total.store(total, Ordering::SeqCst);
        self.done.store(0, Ordering::SeqCst);
    }

    /// One step done; `Err(Cancelled)` when the clerk asked to stop.
    pub fn step(&self) -> Result<()> {
        self.done.fetch_add(1, Ordering::SeqCst);
        if self.cancelled.load(Ordering::SeqCst) { Err(Error::Cancelled) } else { Ok(()) }
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// Forgets an earlier cancel, before new work begins.
    pub fn reset(&self) {
        self.cancelled.store(false, Ordering::SeqCst);
        self.start("", 0);
    }

    pub fn view(&self) -> ProgressView {
        ProgressView {
            stage: self.stage.lock().unwrap_or_else(|p| p.into_inner()).to_string(),
            done: self.done.load(Ordering::SeqCst),
            total: self.total.load(Ordering::SeqCst),
        }
    }
}

/// A 交办清单 read from its file, before the ledger is involved: each sheet's rows as text,
/// with the cells from which characters no output can hold were taken out.
#[derive(Debug, Clone)]
pub struct ImportFile {
    pub name: String,
    pub(super) sheets: Vec<SheetRows>,
}

/// One sheet of a list (a CSV or a Word list is one, without a name).
#[derive(Debug, Clone)]
pub(super) struct SheetRows {
    pub name: String,
    pub rows: Vec<Vec<String>>,
    pub stripped: std::collections::BTreeSet<(usize, usize)>,
}

impl ImportFile {
    /// Reads the file within the bounds of [`crate::sheet`], every visible sheet of a
    /// workbook; needs no ledger and no lock. A Word document's list is read from its tables
    /// ([`crate::wordfile::table_rows`]).
    pub fn read(bytes: &[u8], name: &str) -> Result<ImportFile> {
        let sheets: Vec<(String, Vec<Vec<String>>)> = if crate::wordfile::is_word(bytes) {
            if !bytes.starts_with(b"PK") {
                return Err(Error::field("file", format!("“{name}”是旧的 Word .doc 格式，程序读不了。请在 Word 或 WPS 中把它另存为 .docx 或 .xlsx 后再选择。")));
            }
            vec![(String::new(), crate::wordfile::table_rows(bytes, name)?)]
        } else {
            read_workbook(bytes, name)?.into_iter().map(|(sheet, table)| (sheet, table.rows)).collect()
        };
        let sheets = sheets
            .into_iter()
            .filter(|(_, rows)| rows.iter().flatten().any(|cell| !cell.trim().is_empty()))
            .map(|(sheet, mut rows)| {
                // Characters no output can hold are taken out of every cell and reported per row.
                let stripped = crate::input::strip_cells(&mut rows);
                SheetRows { name: sheet, rows, stripped }
            })
            .collect();
        Ok(ImportFile { name: name.to_string(), sheets })
    }
}
