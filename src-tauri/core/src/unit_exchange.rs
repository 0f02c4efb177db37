//! The weekly exchange with the units: each unit gets a 办理情况反馈表 of its open work, fills
//! in what it did (签收, 面商, 协办意见, 答复, the deputies' ratings) and sends it back; the
//! clerk takes many returned files back at once. Nothing a unit writes can damage the
//! ledger: a file of another ledger, of an export not known, rows added or deleted by the
//! unit, rows whose locked cells were changed and cells that cannot be read are each
//! reported with file, row, column and reason; a value that differs from what is recorded
//! is a conflict the clerk accepts or rejects; nothing is written until she confirms, then
//! in one transaction, each step marked as coming from the unit's file. Returning the same
//! file twice records nothing twice.

use crate::model::LogKind;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::files::File;
use crate::model::{CountyRole, UnitRole};
use crate::output::feedback_sheet::{self as sheet, FeedbackRow, FeedbackSheet, Fill, FillCell};
use crate::queries::events::{correct_event, insert_event, live_events, log_event, note_recorded};
use crate::queries::board::ItemsOf;
use crate::queries::feedback_exports::{ledger_id, record_export, SentExport, SentRow};
use crate::queries::units::unit_name;
use crate::queries::log::{change, Logged};
use crate::queries::work::{self, Scope};
use crate::result_words::{class_for_form, date_in_year, rating_for_form};
use crate::output::workbook::fit;
use crate::text::{clean, format_date_cn, io_reason, number_key, parse_date};
use crate::workflow::{check_step, Channel, CheckedStep, MeetingMethod, Step, StepInput, StepRecord};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};

impl Db {
    /// The rows of a unit's 反馈表 as of `today`: its items with a step still pending for it,
    /// each cell open where a step of the unit is pending, shown where it is recorded.
    pub fn feedback_rows(&self, unit_id: i64, today: NaiveDate) -> Result<Vec<FeedbackRow>> {
        let items = self.work_items(today, ItemsOf::WaitingForUnit(unit_id))?;
        let mut rows = Vec::with_capacity(items.len());
        for (item, session, proposer) in items {
            let Some(role) = item.units.iter().find(|u| u.unit_id == unit_id).map(|u| u.role) else { continue };
            let pending = |step: Step| item.due.iter().any(|d| d.step == step && d.unit_id == Some(unit_id));
            let (reply, opinion) = (item.progress.reply.as_ref(), item.progress.opinion.as_ref());
            let replying = pending(Step::Reply) || pending(Step::Redo);
            let cells: Vec<(Fill, FillCell)> = Fill::ALL.iter().map(|&fill| {
                let (open, recorded) = match fill {
                    Fill::ReceivedOn => (pending(Step::Receipt), "已签收".to_string()),
                    Fill::MetOn => (pending(Step::Meeting), "已面商".into()),
                    Fill::MeetingWay => (pending(Step::Meeting), String::new()),
                    Fill::AssistedOn => (pending(Step::AssistOpinion), "已报送".into()),
                    Fill::RepliedOn => (replying, reply.map(|r| format_date_cn(r.replied_on)).unwrap_or_default()),
                    Fill::DocNumber => (replying, reply.map(|r| r.doc_number.clone()).unwrap_or_default()),
                    Fill::Class => (replying, reply.map(|r| r.class.to_string()).unwrap_or_default()),
                    Fill::Channel => (pending(Step::Opinion), opinion.map(|o| o.channel.to_string()).unwrap_or_default()),
                    Fill::Work => (pending(Step::Opinion), opinion.map(|o| o.work.to_string()).unwrap_or_default()),
                    Fill::Result => (pending(Step::Opinion), opinion.map(|o| o.result.to_string()).unwrap_or_default()),
                    Fill::Note => (true, String::new()),
                };
                let cell = match (unit_writes(fill, item.county_role, role), open) {
                    (false, _) => FillCell::NotApplicable,
                    (true, true) => FillCell::Open,
                    (true, false) => FillCell::Recorded(recorded),
                };
                (fill, cell)
            }).collect();
            let locked = cells.iter().filter_map(|(fill, cell)| match cell {
                FillCell::Open => None,
                FillCell::Recorded(text) => Some((fill.to_string(), fit(text).into_owned())),
                FillCell::NotApplicable => Some((fill.to_string(), sheet::NOT_APPLICABLE.to_string())),
            }).collect();
            let due = item.due.iter().filter(|d| d.unit_id == Some(unit_id)).filter_map(|d| d.due_on).min();
            let sent = SentRow { item_id: item.id, session, number: item.number, title: item.title, proposer, role: role.to_string(), locked: Some(locked) };
            rows.push(FeedbackRow { sent, due, cells });
        }
        Ok(rows)
    }

    /// The name a unit's 反馈表 made `today` is offered under (asked before the file is made,
    /// so the clerk picks where it goes first).
    pub fn feedback_file_name(&self, unit_id: i64, today: NaiveDate) -> Result<String> {
        let name = unit_name(&self.conn, unit_id)?.ok_or_else(|| Error::NotFound("该单位已不存在。".into()))?;
        Ok(sheet::file_name(&name, today))
    }

    /// A unit's 反馈表 as of `today`, handed to `save` and recorded as an export (so its
    /// return is known) only when `save` wrote it: a file that could not be made or saved
    /// leaves no export and no log line behind. Returns the file's name.
    pub fn feedback_file(&mut self, unit_id: i64, today: NaiveDate, save: &mut dyn FnMut(&File) -> std::io::Result<()>) -> Result<String> {
        let name = unit_name(&self.conn, unit_id)?.ok_or_else(|| Error::NotFound("该单位已不存在。".into()))?;
        let rows = self.feedback_rows(unit_id, today)?;
        if rows.is_empty() {
            return Err(Error::field("unit_id", format!("“{}”目前没有待办的件，不需要反馈表。", name)));
        }
        let office = self.office_name()?;
        let tx = self.conn.transaction()?;
        let ledger = ledger_id(&tx)?;
        let sent: Vec<SentRow> = rows.iter().map(|r| r.sent.clone()).collect();
        let (export_id, check_code) = record_export(&tx, unit_id, today, &sent)?;
        Logged { kind: LogKind::Workflow, action: "导出办理情况反馈表", target: name.clone(), item_id: None }
            .write(&tx, &self.user, &[change("件数", "", format!("{} 件", rows.len()))])?;
        let file = sheet::feedback_workbook(&FeedbackSheet { unit_name: &name, office: &office, made_on: today, ledger_id: &ledger, export_id, check_code: &check_code, rows: &rows })?;
        save(&file).map_err(|e| Error::NotFound(format!("“{}”没有保存成功：{}。请换一个位置，或关闭正在打开这个文件的 Excel/WPS 后再试。", file.1, io_reason(&e))))?;
        tx.commit()?;
        Ok(file.1)
    }

    /// The 反馈表 of every unit with open work, one file each, each handed to `save` and
    /// recorded once saved (a file that fails stops the rest; those saved stay recorded).
    pub fn feedback_files(&mut self, today: NaiveDate, save: &mut dyn FnMut(&File) -> std::io::Result<()>) -> Result<Vec<String>> {
        let units = self.units_with_open_work(today)?;
        units.into_iter().map(|unit| self.feedback_file(unit, today, save)).collect()
    }
}

impl Db {
    /// A unit's own draft sent as a Word file (答复样稿 or 协办意见, as `template_id` says),
    /// made the item's next draft version: the file's paragraphs recognised as the letter's
    /// parts, the template's letter filling what the file lacks, the version marked with
    /// the file's name. A file that is no reply changes nothing.
    pub fn draft_from_word(&mut self, item_id: i64, template_id: i64, unit_id: Option<i64>, bytes: &[u8], name: &str, today: NaiveDate) -> Result<crate::queries::replies::DraftVersion> {
        // Characters no output can hold are taken out, as a list's are: the file is the unit's.
        let mut stripped = false;
        let paragraphs: Vec<String> = crate::wordfile::paragraphs(bytes, name)?.into_iter()
            .map(|p| crate::input::strip_forbidden(&p).inspect(|_| stripped = true).unwrap_or(p))
            .collect();
        let start = self.start_reply(item_id, template_id, unit_id, today)?;
        let purpose = self.reply_templates()?.templates.into_iter().find(|t| t.id == template_id).map(|t| t.purpose)
            .ok_or_else(|| Error::NotFound("所选的答复模板已不存在。".into()))?;
        let content = crate::reply::letter_from_paragraphs(&paragraphs, &start);
        let input = crate::queries::replies::DraftInput { purpose: purpose.as_str().to_string(), unit_id, template_id: Some(template_id), content, note: format!("单位来稿：{name}{}", if stripped { "（其中看不见的控制字符已去掉）" } else { "" }) };
        self.save_reply(item_id, &input)
    }
}


/// Whether a fill-in column is the unit's to fill on an item at all: the lead unit of an
/// item the county leads meets, replies and asks the deputy's opinion; an assisting unit
/// (or any unit, when the county itself assists) sends a 协办意见; every unit signs.
fn unit_writes(fill: Fill, county_role: CountyRole, role: UnitRole) -> bool {
    let leads = county_role == CountyRole::Lead && role == UnitRole::Lead;
    match fill {
        Fill::ReceivedOn | Fill::Note => true,
        Fill::AssistedOn => !leads || county_role == CountyRole::Assist,
        _ => leads,
    }
}

/// A returned file, read once: its table (cells cleaned as an import cleans them) and its
/// identity sheet, or why it cannot be read (one damaged file among many is reported, the
/// others are still taken back).
#[derive(Debug, Clone)]
pub struct ReturnedFile {
    pub name: String,
    rows: Vec<Vec<String>>,
    /// Cells holding a formula: its value is reckoned, not written by the unit.
    formulas: BTreeSet<(usize, usize)>,
    /// Cells from which characters no output can hold were taken out.
    stripped: BTreeSet<(usize, usize)>,
    identity: Option<Vec<Vec<String>>>,
    unreadable: Option<String>,
}

impl ReturnedFile {
    /// Reads a returned .xlsx or .xls within the bounds of [`crate::sheet`].
    pub fn read(bytes: &[u8], name: &str) -> ReturnedFile {
        let read = || -> Result<(crate::sheet::Table, Option<crate::sheet::Table>)> {
            let table = match crate::sheet::read_table(bytes, name, Some(sheet::SHEET))? {
                Some(table) => table,
                None => crate::sheet::read_table(bytes, name, None)?.unwrap_or_default(),
            };
            Ok((table, crate::sheet::read_table(bytes, name, Some(sheet::IDENTITY_SHEET))?))
        };
        match crate::panics::catch(read) {
            Ok((mut table, identity)) => {
                let stripped = crate::input::strip_cells(&mut table.rows);
                let identity = identity.map(|t| t.rows);
                ReturnedFile { name: name.to_string(), rows: table.rows, formulas: table.formulas, stripped, identity, unreadable: None }
            }
            Err(e) => {
                let why = match e {
                    Error::Invalid(errors) => errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(""),
                    other => other.to_string(),
                };
                ReturnedFile { name: name.to_string(), rows: Vec::new(), formulas: BTreeSet::new(), stripped: BTreeSet::new(), identity: None, unreadable: Some(why) }
            }
        }
    }
}

/// The clerk's word on the questions of a take-back (values that differ from the ledger or
/// from another file, dates after the day of the take-back): the keys of those whose value
/// in the file is taken.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TakeBackOptions {
    pub accepted: Vec<String>,
}

/// A problem of a returned file: which file, row (as the spreadsheet numbers it; none for
/// the whole file or a row that is missing), column, and why. What a problem names is not
/// recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    pub file: String,
    pub row: Option<usize>,
    pub column: String,
    pub message: String,
}

/// A value in the file the clerk must decide on: it differs from what the ledger (or
/// another file picked with it) says, or its date is after the day of the take-back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// Names the question in [`TakeBackOptions::accepted`].
    pub key: String,
    pub step: String,
    /// What stands now: the ledger's entry, another file's, or why the date is doubtful.
    pub recorded: String,
    pub in_file: String,
    pub accepted: bool,
    /// The question as the clerk reads it.
    pub question: String,
}

/// One row of a returned file that records something or asks something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnedRow {
    pub row: usize,
    pub item_id: i64,
    pub number: String,
    pub title: String,
    /// The steps the row records, in short: 签收 2025年3月18日；正式答复 2025年5月20日 A类.
    pub records: Vec<String>,
    pub conflicts: Vec<Conflict>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnedReport {
    pub file: String,
    pub unit: String,
    /// The day the file was made, as the program counted (2025年4月15日).
    pub made_on: String,
    pub rows: Vec<ReturnedRow>,
}

/// What taking the files back would do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TakeBackPreview {
    pub files: Vec<ReturnedReport>,
    pub problems: Vec<FileProblem>,
    /// Steps to record (new ones and accepted conflicts).
    pub steps: usize,
    /// Values already recorded as the file says them (or as another file picked with it).
    pub already: usize,
}

/// What a step is recorded under: the item, the step, and the unit for steps each unit
/// takes for itself (签收, 协办意见).
type StepKey = (i64, Step, Option<i64>);

/// A step to write, the live entry it corrects, and the file it came from.
#[derive(Debug, Clone)]
struct Write {
    key: StepKey,
    step: CheckedStep,
    replaces: Option<i64>,
    file: String,
}

/// The returned files checked against the ledger: the preview and the writes.
pub struct TakeBack {
    pub preview: TakeBackPreview,
    writes: Vec<Write>,
}

/// What became of a step a row offers.
enum Outcome {
    /// To be written (new, or the clerk took it over what stood).
    Taken,
    /// Already recorded so, in the ledger or by another file picked with this one.
    Same,
    /// Not written: a question left unanswered, or a problem.
    Left,
}

/// One returned file being checked: what it needs to say where a problem is.
struct Checking<'a> {
    file: &'a ReturnedFile,
    /// Its place among the files picked, which keeps its questions apart from another's.
    index: usize,
    export: SentExport,
    options: &'a TakeBackOptions,
    /// The day of the take-back: a later date is asked about.
    today: NaiveDate,
}

impl Checking<'_> {
    fn problem(&self, row: Option<usize>, column: &str, message: String) -> FileProblem {
        FileProblem { file: self.file.name.clone(), row, column: column.to_string(), message }
    }

    fn key(&self, what: String) -> (String, bool) {
        let key = format!("{}#{what}", self.index);
        let accepted = self.options.accepted.contains(&key);
        (key, accepted)
    }
}

impl Db {
    /// Checks returned files against the ledger as of `today`, the day of the take-back;
    /// writes nothing.
    pub fn check_returned(&self, files: &[ReturnedFile], options: &TakeBackOptions, today: NaiveDate) -> Result<TakeBack> {
        let mut take = TakeBack { preview: TakeBackPreview::default(), writes: Vec::new() };
        let ours = self.known_ledger_id()?;
        for (index, file) in files.iter().enumerate() {
            self.check_file(file, index, ours.as_deref(), options, today, &mut take)?;
        }
        Ok(take)
    }

    /// Takes the files back as checked now (the ledger may have changed since the preview):
    /// a checked backup first, then every write in one transaction, logged with the files.
    pub fn take_back(&mut self, files: &[ReturnedFile], options: &TakeBackOptions, today: NaiveDate) -> Result<TakeBackPreview> {
        let take = self.check_returned(files, options, today)?;
        if take.writes.is_empty() {
            return Ok(take.preview);
        }
        if self.backups.is_some() {
            self.backup_now(crate::backup::BackupReason::BeforeImport)?;
        }
        let tx = self.conn.transaction()?;
        let mut items = Vec::new();
        for write in &take.writes {
            let source = format!("单位反馈：{}", write.file);
            let item_id = write.key.0;
            match write.replaces {
                Some(old) => {
                    correct_event(&tx, &self.user, old, item_id, &write.step, &source)?;
                }
                None => {
                    let id = insert_event(&tx, item_id, &write.step, None, &source)?;
                    log_event(&tx, &self.user, "收回反馈表", item_id, &Vec::new(), id)?;
                }
            }
            items.push(item_id);
        }
        items.sort_unstable();
        items.dedup();
        work::refresh(&tx, Scope::Items(&items))?;
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        let corrected = take.writes.iter().filter(|w| w.replaces.is_some()).count();
        Logged { kind: LogKind::Workflow, action: "收回办理情况反馈表", target: names.join("、"), item_id: None }.write(&tx, &self.user, &[
            change("登记的环节", "", format!("{} 条", take.writes.len() - corrected)),
            change("按反馈表更正", "", format!("{corrected} 条")),
        ])?;
        tx.commit()?;
        Ok(take.preview)
    }

    /// The file's identity, checked against the ledger's record of the export it names:
    /// the export, or the problem that keeps the whole file out.
    fn identify(&self, file: &ReturnedFile, ours: Option<&str>) -> Result<std::result::Result<SentExport, String>> {
        if let Some(why) = &file.unreadable {
            return Ok(Err(format!("{why}没有收回。")));
        }
        let label = |name: &str| -> Option<String> {
            file.identity.as_ref()?.iter().find(|r| r.first().map(|c| clean(c)) == Some(name.to_string())).and_then(|r| r.get(1)).map(|c| clean(c))
        };
        let (Some(ledger), Some(export)) = (label(sheet::LEDGER_LABEL), label(sheet::EXPORT_LABEL)) else {
            return Ok(Err("这不是本程序导出的办理情况反馈表（找不到表的标识），没有收回。".into()));
        };
        if Some(ledger.as_str()) != ours {
            return Ok(Err("这份反馈表不是本台账导出的（来自别的电脑或别的台账），没有收回。".into()));
        }
        let Some(export) = export.parse::<i64>().ok().map(|id| self.sent_export(id)).transpose()?.flatten() else {
            return Ok(Err("找不到这份反馈表的导出记录（台账可能恢复到了导出以前），没有收回。请给该单位重新导出反馈表。".into()));
        };
        let unit = unit_name(&self.conn, export.unit_id)?.unwrap_or_default();
        let forged = match &export.check_code {
            Some(code) => label(sheet::CODE_LABEL).as_deref() != Some(code.as_str()),
            // An export made before codes: the unit its title names must be the export's.
            None => file.rows.first().and_then(|r| r.first()).map(|t| clean(t)) != Some(sheet::title(&unit)),
        };
        if forged {
            return Ok(Err(format!(
                "表的标识与台账中这次导出（{}给“{unit}”导出）的记录不符，表可能被改动过或拼凑过，没有收回。请给该单位重新导出反馈表。",
                format_date_cn(export.made_on))));
        }
        Ok(Ok(export))
    }

    fn check_file(&self, file: &ReturnedFile, index: usize, ours: Option<&str>, options: &TakeBackOptions, today: NaiveDate, take: &mut TakeBack) -> Result<()> {
        let export = match self.identify(file, ours)? {
            Ok(export) => export,
            Err(why) => {
                take.preview.problems.push(FileProblem { file: file.name.clone(), row: None, column: "文件".into(), message: why });
                return Ok(());
            }
        };
        let checking = Checking { file, index, export, options, today };
        let export = &checking.export;
        let unit = unit_name(&self.conn, export.unit_id)?.unwrap_or_default();
        if let Some((latest, at)) = self.latest_export(export.unit_id)? {
            if latest != export.id {
                take.preview.problems.push(checking.problem(None, "文件", format!("这是{}导出的表；之后（{at}）又给“{unit}”导出过一次。表中的内容照样逐行核对。", format_date_cn(export.made_on))));
            }
        }
        let Some(header) = file.rows.iter().position(|r| r.iter().any(|c| clean(c) == sheet::ITEM_COLUMN) && r.iter().any(|c| clean(c) == Fill::ReceivedOn.as_str())) else {
            take.preview.problems.push(checking.problem(None, "文件", "表头被改动，找不到“签收日期”等列和隐藏的“件号”列，没有收回。".into()));
            return Ok(());
        };
        let columns: HashMap<String, usize> = file.rows[header].iter().enumerate().map(|(i, c)| (clean(c), i)).collect();
        let mut report = ReturnedReport { file: file.name.clone(), unit, made_on: format_date_cn(export.made_on), rows: Vec::new() };
        let mut seen: HashSet<i64> = HashSet::new();
        for (offset, cells) in file.rows.iter().enumerate().skip(header + 1) {
            let cell = |name: &str| columns.get(name).and_then(|c| cells.get(*c)).map(|v| clean(v)).unwrap_or_default();
            if cells.iter().all(|c| clean(c).is_empty()) {
                continue;
            }
            let row = offset + 1;
            let sent = cell(sheet::ITEM_COLUMN).parse::<i64>().ok().and_then(|id| export.rows.iter().find(|s| s.item_id == id));
            let Some(sent) = sent else {
                take.preview.problems.push(checking.problem(Some(row), "编号", "这一行不是导出时的行（可能是单位增加的），没有收回。".into()));
                continue;
            };
            if !seen.insert(sent.item_id) {
                take.preview.problems.push(checking.problem(Some(row), "编号", format!("第{}号在表中出现了两次，这一行没有收回。", sent.number)));
                continue;
            }
            let locked = [("届次", &sent.session), ("编号", &sent.number), ("标题", &sent.title), ("领衔人", &sent.proposer), ("本单位角色", &sent.role)];
            let changed = locked.iter().find(|(name, value)| {
                let now = cell(name);
                if *name == "编号" { number_key(&now) != number_key(value) } else { now != **value }
            });
            if let Some((name, value)) = changed {
                take.preview.problems.push(checking.problem(Some(row), name, format!("锁定的内容被改动：导出时为“{value}”，表中为“{}”。这一行没有收回。", cell(name))));
                continue;
            }
            let typed = |fill: Fill| -> (String, Option<usize>) {
                let column = columns.get(fill.as_str()).copied();
                (cell(fill.as_str()), column)
            };
            self.check_row(&checking, sent, offset, &typed, &mut report, take)?;
        }
        for sent in export.rows.iter().filter(|s| !seen.contains(&s.item_id)) {
            take.preview.problems.push(checking.problem(None, "编号", format!("导出时的第{}号《{}》在表中找不到了（这一行被删除了），没有收回。", sent.number, sent.title)));
        }
        take.preview.files.push(report);
        Ok(())
    }

    /// One row: each value the unit wrote in a cell of its own, checked as a form checks it
    /// and against what stands; every other value is a problem. The unit's 备注 goes with
    /// the row's first step written, or is reported.
    fn check_row(
        &self,
        checking: &Checking,
        sent: &SentRow,
        offset: usize,
        typed: &dyn Fn(Fill) -> (String, Option<usize>),
        report: &mut ReturnedReport,
        take: &mut TakeBack,
    ) -> Result<()> {
        let (row, unit, year) = (offset + 1, checking.export.unit_id, checking.export.made_on.year());
        let (units, assigned_on, county_role) = match self.event_context(sent.item_id) {
            Ok(context) => context,
            Err(Error::NotFound(why)) => {
                take.preview.problems.push(checking.problem(Some(row), "编号", format!("{why}这一行没有收回。")));
                return Ok(());
            }
            Err(other) => return Err(other),
        };
        let role = UnitRole::parse(&sent.role).unwrap_or(UnitRole::Assist);
        // What the unit wrote in a cell it may write; a formula, a changed locked cell and
        // a value where "—" stood are problems. Taken-out characters are said once a row.
        let mut problems: Vec<FileProblem> = Vec::new();
        let mut value = |fill: Fill| -> Option<String> {
            let (text, column) = typed(fill);
            let formula = column.is_some_and(|c| checking.file.formulas.contains(&(offset, c)));
            let locked = match &sent.locked {
                Some(locked) => locked.get(fill.as_str()).cloned(),
                None if !unit_writes(fill, county_role, role) => Some(sheet::NOT_APPLICABLE.to_string()),
                // An export made before the locked cells were kept: what it showed there.
                None => ["已签收", "已面商", "已报送"].contains(&text.as_str()).then(|| text.clone()),
            };
            if formula {
                let shown = if text.is_empty() { "没有算出的值".to_string() } else { format!("算出的值为“{text}”") };
                problems.push(checking.problem(Some(row), fill.as_str(), format!("这一格是公式（{shown}），不是填写的内容，没有收回。请直接填写。")));
                return None;
            }
            match locked {
                Some(was) if text.is_empty() || text == was || parse_date(&text).is_some_and(|day| parse_date(&was) == Some(day)) => None,
                Some(was) if was == sheet::NOT_APPLICABLE => {
                    problems.push(checking.problem(Some(row), fill.as_str(), format!("这一格不由本单位填写（导出时为“{was}”），表中为“{text}”，没有收回。")));
                    None
                }
                Some(was) => {
                    let sent = if was.is_empty() { "导出时已锁定".to_string() } else { format!("导出时已登记为“{was}”并锁定") };
                    problems.push(checking.problem(Some(row), fill.as_str(), format!("这一格{sent}，表中改为“{text}”，没有收回。如有出入请与单位核对。")));
                    None
                }
                None if text.is_empty() || text == sheet::NOT_APPLICABLE => None,
                None => Some(text),
            }
        };
        let mut values: HashMap<Fill, String> = HashMap::new();
        for &fill in Fill::ALL.iter() {
            if let Some(text) = value(fill) {
                values.insert(fill, text);
            }
        }
        let text = |fill: Fill| values.get(&fill).cloned();
        let date = |fill: Fill, problems: &mut Vec<FileProblem>| -> Option<NaiveDate> {
            let text = text(fill)?;
            let day = date_in_year(&text, year);
            if day.is_none() {
                problems.push(checking.problem(Some(row), fill.as_str(), format!("“{text}”不是日期，没有收回。请写成 2025-04-18 或 2025年4月18日。")));
            }
            day
        };
        let [received, met, assisted, replied] = [Fill::ReceivedOn, Fill::MetOn, Fill::AssistedOn, Fill::RepliedOn].map(|fill| date(fill, &mut problems));
        // A step one of whose cells is a problem is not taken in part.
        let spoiled: HashSet<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        let whole = |step: Fill, cells: &[Fill], problems: &mut Vec<FileProblem>| -> bool {
            let bad: Vec<&str> = cells.iter().map(|f| f.as_str()).filter(|c| spoiled.contains(c)).collect();
            if !bad.is_empty() {
                problems.push(checking.problem(Some(row), step.as_str(), format!("“{}”有问题，这一行的这一环节没有收回。", bad.join("”“"))));
            }
            bad.is_empty()
        };
        let mut after = Vec::new();
        let met = met.filter(|_| whole(Fill::MetOn, &[Fill::MeetingWay], &mut after));
        let reply_dated = replied.is_some();
        let replied = replied.filter(|_| whole(Fill::RepliedOn, &[Fill::DocNumber, Fill::Class], &mut after));
        let (channel, work, result) = (text(Fill::Channel), text(Fill::Work), text(Fill::Result));
        let opinion = (channel.is_some() || work.is_some() || result.is_some()) && whole(Fill::Channel, &[Fill::Channel, Fill::Work, Fill::Result], &mut after);
        problems.append(&mut after);
        let (way, doc_number, class) = (text(Fill::MeetingWay), text(Fill::DocNumber), text(Fill::Class));
        let note = text(Fill::Note);
        take.preview.problems.append(&mut problems);
        if let Some(column) = typed_columns(checking.file, offset) {
            take.preview.problems.push(checking.problem(Some(row), &column, "其中看不见的控制字符或改变文字方向的字符已去掉，其余内容照常收回。".into()));
        }

        let base = StepInput { unit_id: Some(unit), ..Default::default() };
        let mut returned = ReturnedRow { row, item_id: sent.item_id, number: sent.number.clone(), title: sent.title.clone(), records: Vec::new(), conflicts: Vec::new() };
        let mut first_taken: Option<StepKey> = None;
        let mut offer = |fill: Fill, input: StepInput, take: &mut TakeBack, returned: &mut ReturnedRow| -> Result<Outcome> {
            let outcome = self.offer_step(checking, sent.item_id, row, fill, input, (&units, assigned_on, county_role), returned, take)?;
            if matches!(outcome, Outcome::Taken) && first_taken.is_none() {
                first_taken = take.writes.last().map(|w| w.key);
            }
            Ok(outcome)
        };
        if let Some(day) = received {
            offer(Fill::ReceivedOn, StepInput { step: "签收".into(), happened_on: day.to_string(), ..base.clone() }, take, &mut returned)?;
        }
        if let Some(day) = met {
            let method = way.unwrap_or_else(|| MeetingMethod::Meeting.as_str().to_string());
            offer(Fill::MetOn, StepInput { step: "面商".into(), happened_on: day.to_string(), method, ..base.clone() }, take, &mut returned)?;
        }
        if let Some(day) = assisted {
            offer(Fill::AssistedOn, StepInput { step: "协办意见".into(), happened_on: day.to_string(), ..base.clone() }, take, &mut returned)?;
        }
        // The reply in force after this row: the file's when it is written or already
        // stands, else the one recorded (a reply the clerk rejected lends no date).
        let mut reply_day = None;
        if let Some(day) = replied {
            let input = StepInput {
                step: "正式答复".into(), happened_on: day.to_string(), doc_number: doc_number.clone().unwrap_or_default(),
                class: class_for_form(class.as_deref().unwrap_or_default()), ..base.clone()
            };
            if matches!(offer(Fill::RepliedOn, input, take, &mut returned)?, Outcome::Taken | Outcome::Same) {
                reply_day = Some(day);
            }
        } else if !reply_dated {
            if let Some((fill, _)) = [(Fill::DocNumber, &doc_number), (Fill::Class, &class)].into_iter().find(|(_, v)| v.is_some()) {
                take.preview.problems.push(checking.problem(Some(row), fill.as_str(), "有答复文号或办理结果而没有答复日期，没有收回。请填写答复日期。".into()));
            }
        }
        if opinion {
            let recorded = live_events(&self.conn, sent.item_id, Step::Reply, None)?.last().map(|(_, day, _)| *day);
            let pending = take.writes.iter().rev().find(|w| w.key == (sent.item_id, Step::Reply, None)).map(|w| w.step.happened_on);
            match reply_day.or(pending).or(recorded) {
                Some(day) => {
                    let channel = channel.unwrap_or_default();
                    let channel = Channel::parse(&channel).map_or(channel.clone(), |c| c.as_str().to_string());
                    let input = StepInput {
                        step: "征求意见".into(), happened_on: day.to_string(), channel,
                        work: rating_for_form(work.as_deref().unwrap_or_default()), result: rating_for_form(result.as_deref().unwrap_or_default()), ..Default::default()
                    };
                    offer(Fill::Channel, input, take, &mut returned)?;
                }
                None => take.preview.problems.push(checking.problem(Some(row), Fill::Channel.as_str(), "有征求意见而没有答复日期，没有收回。请先填写答复日期。".into())),
            }
        }
        let note = note.filter(|note| match crate::validate::too_long("备注", &format!("单位备注：{note}"), crate::validate::MAX_NOTE_CHARS) {
            Some(why) => {
                take.preview.problems.push(checking.problem(Some(row), Fill::Note.as_str(), format!("{why}没有登记，请阅后自行处理。")));
                false
            }
            None => true,
        });
        if let Some(note) = note {
            let note = format!("单位备注：{note}");
            let known = note_recorded(&self.conn, sent.item_id, &note)? || take.writes.iter().any(|w| w.key.0 == sent.item_id && w.step.note == note);
            match take.writes.iter_mut().find(|w| Some(w.key) == first_taken) {
                Some(write) => write.step.note = note,
                None if known => {}
                None => take.preview.problems.push(checking.problem(Some(row), Fill::Note.as_str(),
                    format!("这一行没有新登记的环节，备注“{}”没有登记，请阅后自行处理。", note.trim_start_matches("单位备注："))))
            }
        }
        if !returned.records.is_empty() || !returned.conflicts.is_empty() {
            report.rows.push(returned);
        }
        Ok(())
    }

    /// One step a row offers, checked as the step form checks it, then set against what
    /// stands: the ledger's entry, or the entry another file picked with this one offers.
    /// A date after the day of the take-back is asked about first.
    #[allow(clippy::too_many_arguments)]
    fn offer_step(
        &self,
        checking: &Checking,
        item_id: i64,
        row: usize,
        fill: Fill,
        input: StepInput,
        (units, assigned_on, county_role): (&[(i64, UnitRole)], Option<NaiveDate>, CountyRole),
        returned: &mut ReturnedRow,
        take: &mut TakeBack,
    ) -> Result<Outcome> {
        let step = match check_step(&input, units, assigned_on, county_role) {
            Ok(step) => step,
            Err(Error::Invalid(errors)) => {
                for e in errors {
                    take.preview.problems.push(checking.problem(Some(row), column_of(fill, &e.field), format!("{}：{}没有收回。", input.step, e.message)));
                }
                return Ok(Outcome::Left);
            }
            Err(other) => return Err(other),
        };
        let kind = step.record.step();
        let own_unit = matches!(kind, Step::Receipt | Step::AssistOpinion).then_some(checking.export.unit_id);
        let key: StepKey = (item_id, kind, own_unit);
        let said = |day: NaiveDate, record: &StepRecord| {
            let summary = record.summary();
            if summary.is_empty() { format_date_cn(day) } else { format!("{} {summary}", format_date_cn(day)) }
        };
        let in_file = said(step.happened_on, &step.record);
        if step.happened_on > checking.today {
            let (asked, accepted) = checking.key(format!("日期:{item_id}:{kind}"));
            let today = format_date_cn(checking.today);
            returned.conflicts.push(Conflict {
                question: format!("{kind}：表中的日期 {} 晚于今天（{today}），可能填错了（勾选则照表中登记）", format_date_cn(step.happened_on)),
                key: asked, step: kind.to_string(), recorded: format!("今天是{today}"), in_file: in_file.clone(), accepted,
            });
            if !accepted {
                return Ok(Outcome::Left);
            }
        }
        let same = |day: NaiveDate, record: &StepRecord| day == step.happened_on && same_record(record, &step.record);
        if let Some(at) = take.writes.iter().position(|w| w.key == key) {
            let earlier = &take.writes[at];
            if same(earlier.step.happened_on, &earlier.step.record) {
                take.preview.already += 1;
                return Ok(Outcome::Same);
            }
            let (asked, accepted) = checking.key(format!("{item_id}:{kind}:{}", own_unit.unwrap_or(0)));
            let was = said(earlier.step.happened_on, &earlier.step.record);
            returned.conflicts.push(Conflict {
                question: format!("{kind}：同时收回的“{}”中为 {was}，本表中为 {in_file}（勾选则按本表）", earlier.file),
                key: asked, step: kind.to_string(), recorded: format!("“{}”中为 {was}", earlier.file), in_file, accepted,
            });
            if !accepted {
                return Ok(Outcome::Left);
            }
            let earlier = take.writes.remove(at);
            let note = if step.note.is_empty() { earlier.step.note } else { step.note.clone() };
            returned.records.push(format!("{kind} {}", said(step.happened_on, &step.record)));
            take.writes.push(Write { key, step: CheckedStep { note, ..step }, replaces: earlier.replaces, file: checking.file.name.clone() });
            return Ok(Outcome::Taken);
        }
        let recorded = live_events(&self.conn, item_id, kind, own_unit)?;
        if recorded.iter().any(|(_, day, record)| same(*day, record)) {
            take.preview.already += 1;
            return Ok(Outcome::Same);
        }
        let replaces = match recorded.last() {
            Some((old, day, record)) => {
                let (asked, accepted) = checking.key(format!("{item_id}:{kind}:{}", own_unit.unwrap_or(0)));
                let was = said(*day, record);
                returned.conflicts.push(Conflict {
                    question: format!("{kind}：台账为 {was}，表中为 {in_file}（勾选则按表中更正）"),
                    key: asked, step: kind.to_string(), recorded: was, in_file, accepted,
                });
                if !accepted {
                    return Ok(Outcome::Left);
                }
                Some(*old)
            }
            None => {
                returned.records.push(format!("{kind} {in_file}"));
                None
            }
        };
        take.preview.steps += 1;
        take.writes.push(Write { key, step, replaces, file: checking.file.name.clone() });
        Ok(Outcome::Taken)
    }
}

/// The columns (by header) of a row from which characters were taken out, joined.
fn typed_columns(file: &ReturnedFile, offset: usize) -> Option<String> {
    let header = file.rows.iter().position(|r| r.iter().any(|c| clean(c) == sheet::ITEM_COLUMN))?;
    let names: Vec<String> = file.stripped.range((offset, 0)..(offset + 1, 0)).filter_map(|(_, c)| file.rows[header].get(*c).map(|h| clean(h))).collect();
    (!names.is_empty()).then(|| names.join("、"))
}

/// Whether the file says what is recorded: a reply signed or linked to a draft since is the
/// same reply when date, class and 文号 agree; an opinion when its ratings and way agree.
fn same_record(recorded: &StepRecord, in_file: &StepRecord) -> bool {
    match (recorded, in_file) {
        (StepRecord::Reply { doc_number: a, class: x, .. }, StepRecord::Reply { doc_number: b, class: y, .. }) => a == b && x == y,
        (StepRecord::Opinion { channel: a, work: b, result: c, .. }, StepRecord::Opinion { channel: x, work: y, result: z, .. }) => (a, b, c) == (x, y, z),
        (a, b) => a == b,
    }
}

/// The column of a returned row a step form's error belongs to.
fn column_of(fill: Fill, field: &str) -> &'static str {
    match field {
        "class" => Fill::Class.as_str(),
        "method" => Fill::MeetingWay.as_str(),
        "channel" => Fill::Channel.as_str(),
        "work" => Fill::Work.as_str(),
        "result" => Fill::Result.as_str(),
        "doc_number" => Fill::DocNumber.as_str(),
        _ => fill.as_str(),
    }
}
