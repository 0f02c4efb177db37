//! The weekly exchange with the units: each unit gets a 办理情况反馈表 of its open work, fills
//! in what it did (签收, 面商, 协办意见, 答复, the deputies' ratings) and sends it back; the
//! clerk takes many returned files back at once. Nothing a unit writes can damage the
//! ledger: a file of another ledger, of an export not known, rows added or deleted by the
//! unit, rows whose locked cells were changed and cells that cannot be read are each
//! reported with file, row, column and reason; a value that differs from what is recorded
//! is a conflict the clerk accepts or rejects; nothing is written until she confirms, then
//! in one transaction, each step marked as coming from the unit's file. Returning the same
//! file twice records nothing twice.

use crate::db::Db;
use crate::error::{Error, Result};
use crate::files::File;
use crate::model::{CountyRole, UnitRole};
use crate::output::feedback::{self as sheet, FeedbackRow, FeedbackSheet, Fill, FillCell};
use crate::queries::events::{correct_event, insert_event, live_events, log_event};
use crate::queries::feedback::{ledger_id, record_export, SentExport, SentRow};
use crate::queries::units::unit_name;
use crate::queries::log::{change, LogKind, Logged};
use crate::queries::work::{self, Scope};
use crate::results::{class_for_form, date_in_year, rating_for_form};
use crate::text::{clean, format_date_cn, number_key};
use crate::workflow::{check_step, Channel, CheckedStep, MeetingMethod, Step, StepInput, StepRecord};
use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

impl Db {
    /// The rows of a unit's 反馈表 as of `today`: its items with a step still pending for it,
    /// each cell open where a step of the unit is pending, shown where it is recorded.
    pub fn feedback_rows(&self, unit_id: i64, today: NaiveDate) -> Result<Vec<FeedbackRow>> {
        let waiting = crate::views::WAITING_FOR_UNIT;
        let items = self.work_items(today, waiting, &[Value::from(unit_id)])?;
        let mut sessions: HashMap<i64, (String, String)> = HashMap::new();
        let mut stmt = self.conn.prepare(&format!("SELECT i.id, s.name, ifnull(i.lead_proposer, '') FROM items i JOIN sessions s ON s.id = i.session_id WHERE {waiting}"))?;
        for row in stmt.query_map([unit_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))? {
            let (id, session, proposer) = row?;
            sessions.insert(id, (session, proposer));
        }
        let mut rows = Vec::with_capacity(items.len());
        for item in items {
            let Some(role) = item.units.iter().find(|u| u.unit_id == unit_id).map(|u| u.role) else { continue };
            let pending = |step: Step| item.due.iter().any(|d| d.step == step && d.unit_id == Some(unit_id));
            let leads = item.county_role == CountyRole::Lead && role == UnitRole::Lead;
            let assists = !leads || item.county_role == CountyRole::Assist;
            let (reply, opinion) = (item.progress.reply.as_ref(), item.progress.opinion.as_ref());
            let cell = |applies: bool, open: bool, recorded: String| match (applies, open) {
                (false, _) => FillCell::NotApplicable,
                (true, true) => FillCell::Open,
                (true, false) => FillCell::Recorded(recorded),
            };
            let replying = pending(Step::Reply) || pending(Step::Redo);
            let cells = vec![
                (Fill::ReceivedOn, cell(true, pending(Step::Receipt), "已签收".into())),
                (Fill::MetOn, cell(leads, pending(Step::Meeting), "已面商".into())),
                (Fill::MeetingWay, cell(leads, pending(Step::Meeting), String::new())),
                (Fill::AssistedOn, cell(assists, pending(Step::AssistOpinion), "已报送".into())),
                (Fill::RepliedOn, cell(leads, replying, reply.map(|r| format_date_cn(r.replied_on)).unwrap_or_default())),
                (Fill::DocNumber, cell(leads, replying, reply.map(|r| r.doc_number.clone()).unwrap_or_default())),
                (Fill::Class, cell(leads, replying, reply.map(|r| r.class.to_string()).unwrap_or_default())),
                (Fill::Channel, cell(leads, pending(Step::Opinion), opinion.map(|o| o.channel.to_string()).unwrap_or_default())),
                (Fill::Work, cell(leads, pending(Step::Opinion), opinion.map(|o| o.work.to_string()).unwrap_or_default())),
                (Fill::Result, cell(leads, pending(Step::Opinion), opinion.map(|o| o.result.to_string()).unwrap_or_default())),
                (Fill::Note, FillCell::Open),
            ];
            let (session, proposer) = sessions.remove(&item.id).unwrap_or_default();
            let due = item.due.iter().filter(|d| d.unit_id == Some(unit_id)).filter_map(|d| d.due_on).min();
            let sent = SentRow { item_id: item.id, session, number: item.number, title: item.title, proposer, role: role.to_string() };
            rows.push(FeedbackRow { sent, due, cells });
        }
        Ok(rows)
    }

    /// A unit's 反馈表 as of `today`, recorded as an export (so its return is known).
    pub fn feedback_file(&mut self, unit_id: i64, today: NaiveDate) -> Result<File> {
        let name = unit_name(&self.conn, unit_id)?.ok_or_else(|| Error::NotFound("该单位已不存在。".into()))?;
        let rows = self.feedback_rows(unit_id, today)?;
        if rows.is_empty() {
            return Err(Error::field("unit_id", format!("“{}”目前没有待办的件，不需要反馈表。", name)));
        }
        let office = self.office_name()?;
        let tx = self.conn.transaction()?;
        let ledger = ledger_id(&tx)?;
        let sent: Vec<SentRow> = rows.iter().map(|r| r.sent.clone()).collect();
        let export_id = record_export(&tx, unit_id, today, &sent)?;
        Logged { kind: LogKind::Workflow, action: "导出办理情况反馈表", target: name.clone(), item_id: None }
            .write(&tx, &self.user, &[change("件数", "", format!("{} 件", rows.len()))])?;
        tx.commit()?;
        sheet::feedback_workbook(&FeedbackSheet { unit_name: &name, office: &office, made_on: today, ledger_id: &ledger, export_id, rows: &rows })
    }

    /// The 反馈表 of every unit with open work, one file each.
    pub fn feedback_files(&mut self, today: NaiveDate) -> Result<Vec<File>> {
        work::ensure(&self.conn, today.year())?;
        let units: Vec<i64> = self
            .conn
            .prepare("SELECT u.id FROM units u WHERE EXISTS (SELECT 1 FROM pending_steps p WHERE p.unit_id = u.id) ORDER BY u.name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        units.into_iter().map(|unit| self.feedback_file(unit, today)).collect()
    }
}

impl Db {
    /// A unit's own draft sent as a Word file (答复样稿 or 协办意见, as `template_id` says),
    /// made the item's next draft version: the file's paragraphs recognised as the letter's
    /// parts, the template's letter filling what the file lacks, the version marked with
    /// the file's name. A file that is no reply changes nothing.
    pub fn draft_from_word(&mut self, item_id: i64, template_id: i64, unit_id: Option<i64>, bytes: &[u8], name: &str, today: NaiveDate) -> Result<crate::queries::replies::DraftVersion> {
        let paragraphs = crate::wordfile::paragraphs(bytes, name)?;
        let start = self.start_reply(item_id, template_id, unit_id, today)?;
        let purpose = self.reply_templates()?.templates.into_iter().find(|t| t.id == template_id).map(|t| t.purpose)
            .ok_or_else(|| Error::NotFound("所选的答复模板已不存在。".into()))?;
        let content = crate::reply::letter_from_paragraphs(&paragraphs, &start);
        let input = crate::queries::replies::DraftInput { purpose: purpose.as_str().to_string(), unit_id, template_id: Some(template_id), content, note: format!("单位来稿：{name}") };
        self.save_reply(item_id, &input)
    }
}

/// A returned file, read once: its table and its identity sheet, or why it cannot be read
/// (one damaged file among many is reported, the others are still taken back).
#[derive(Debug, Clone)]
pub struct ReturnedFile {
    pub name: String,
    rows: Vec<Vec<String>>,
    identity: Option<Vec<Vec<String>>>,
    unreadable: Option<String>,
}

impl ReturnedFile {
    /// Reads a returned .xlsx or .xls within the bounds of [`crate::sheet`].
    pub fn read(bytes: &[u8], name: &str) -> ReturnedFile {
        let read = || -> Result<(Vec<Vec<String>>, Option<Vec<Vec<String>>>)> {
            let rows = match crate::sheet::read_named_sheet(bytes, name, sheet::SHEET)? {
                Some(rows) => rows,
                None => crate::sheet::read_rows(bytes, name)?,
            };
            Ok((rows, crate::sheet::read_named_sheet(bytes, name, sheet::IDENTITY_SHEET)?))
        };
        match crate::panics::catch(read) {
            Ok((rows, identity)) => ReturnedFile { name: name.to_string(), rows, identity, unreadable: None },
            Err(e) => {
                let why = match e {
                    Error::Invalid(errors) => errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(""),
                    other => other.to_string(),
                };
                ReturnedFile { name: name.to_string(), rows: Vec::new(), identity: None, unreadable: Some(why) }
            }
        }
    }
}

/// The clerk's word on the conflicts: the keys of those whose value in the file is taken.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TakeBackOptions {
    pub accepted: Vec<String>,
}

/// A problem of a returned file: which file, row (as the spreadsheet numbers it; none for
/// the whole file or a row that is missing), column, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    pub file: String,
    pub row: Option<usize>,
    pub column: String,
    pub message: String,
}

/// A value in the file that differs from what the ledger has recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// Names the conflict in [`TakeBackOptions::accepted`].
    pub key: String,
    pub step: String,
    pub recorded: String,
    pub in_file: String,
    pub accepted: bool,
}

/// One row of a returned file that records something or conflicts with the ledger.
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
    /// Values already recorded as the file says them.
    pub already: usize,
}

/// A step to write, the live entry it corrects, and the file it came from.
#[derive(Debug, Clone)]
struct Write {
    item_id: i64,
    step: CheckedStep,
    replaces: Option<i64>,
    file: String,
}

/// The returned files checked against the ledger: the preview and the writes.
pub struct TakeBack {
    pub preview: TakeBackPreview,
    writes: Vec<Write>,
}

impl Db {
    /// Checks returned files against the ledger; writes nothing.
    pub fn check_returned(&self, files: &[ReturnedFile], options: &TakeBackOptions) -> Result<TakeBack> {
        let mut take = TakeBack { preview: TakeBackPreview::default(), writes: Vec::new() };
        let ours = self.known_ledger_id()?;
        for file in files {
            self.check_file(file, ours.as_deref(), options, &mut take)?;
        }
        Ok(take)
    }

    /// Takes the files back as checked now (the ledger may have changed since the preview):
    /// a checked backup first, then every write in one transaction, logged with the files.
    pub fn take_back(&mut self, files: &[ReturnedFile], options: &TakeBackOptions) -> Result<TakeBackPreview> {
        let take = self.check_returned(files, options)?;
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
            match write.replaces {
                Some(old) => {
                    correct_event(&tx, &self.user, old, write.item_id, &write.step, &source)?;
                }
                None => {
                    let id = insert_event(&tx, write.item_id, &write.step, None, &source)?;
                    log_event(&tx, &self.user, "收回反馈表", write.item_id, &Vec::new(), id)?;
                }
            }
            items.push(write.item_id);
        }
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

    fn check_file(&self, file: &ReturnedFile, ours: Option<&str>, options: &TakeBackOptions, take: &mut TakeBack) -> Result<()> {
        let problem = |row: Option<usize>, column: &str, message: String| FileProblem { file: file.name.clone(), row, column: column.to_string(), message };
        let whole = |message: &str| problem(None, "文件", message.to_string());
        if let Some(why) = &file.unreadable {
            take.preview.problems.push(whole(&format!("{why}没有收回。")));
            return Ok(());
        }
        let label = |name: &str| -> Option<String> {
            file.identity.as_ref()?.iter().find(|r| r.first().map(|c| clean(c)) == Some(name.to_string())).and_then(|r| r.get(1)).map(|c| clean(c))
        };
        let (Some(ledger), Some(export)) = (label(sheet::LEDGER_LABEL), label(sheet::EXPORT_LABEL)) else {
            take.preview.problems.push(whole("这不是本程序导出的办理情况反馈表（找不到表的标识），没有收回。"));
            return Ok(());
        };
        if Some(ledger.as_str()) != ours {
            take.preview.problems.push(whole("这份反馈表不是本台账导出的（来自别的电脑或别的台账），没有收回。"));
            return Ok(());
        }
        let Some(export) = export.parse::<i64>().ok().map(|id| self.sent_export(id)).transpose()?.flatten() else {
            take.preview.problems.push(whole("找不到这份反馈表的导出记录（台账可能恢复到了导出以前），没有收回。请给该单位重新导出反馈表。"));
            return Ok(());
        };
        let unit = unit_name(&self.conn, export.unit_id)?.unwrap_or_default();
        if let Some((latest, at)) = self.latest_export(export.unit_id)? {
            if latest != export.id {
                take.preview.problems.push(whole(&format!("这是{}导出的表；之后（{at}）又给“{unit}”导出过一次。表中的内容照样逐行核对。", format_date_cn(export.made_on))));
            }
        }
        let Some(header) = file.rows.iter().position(|r| r.iter().any(|c| clean(c) == sheet::ITEM_COLUMN) && r.iter().any(|c| clean(c) == Fill::ReceivedOn.as_str())) else {
            take.preview.problems.push(whole("表头被改动，找不到“签收日期”等列和隐藏的“件号”列，没有收回。"));
            return Ok(());
        };
        let columns: HashMap<String, usize> = file.rows[header].iter().enumerate().map(|(i, c)| (clean(c), i)).collect();
        let year = export.made_on.year();
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
                take.preview.problems.push(problem(Some(row), "编号", "这一行不是导出时的行（可能是单位增加的），没有收回。".into()));
                continue;
            };
            if !seen.insert(sent.item_id) {
                take.preview.problems.push(problem(Some(row), "编号", format!("第{}号在表中出现了两次，这一行没有收回。", sent.number)));
                continue;
            }
            let locked = [("届次", &sent.session), ("编号", &sent.number), ("标题", &sent.title), ("领衔人", &sent.proposer), ("本单位角色", &sent.role)];
            let changed = locked.iter().find(|(name, value)| {
                let now = cell(name);
                if *name == "编号" { number_key(&now) != number_key(value) } else { now != **value }
            });
            if let Some((name, value)) = changed {
                take.preview.problems.push(problem(Some(row), name, format!("锁定的内容被改动：导出时为“{value}”，表中为“{}”。这一行没有收回。", cell(name))));
                continue;
            }
            self.check_row(&export, sent, row, year, &cell, options, &file.name, &mut report, take)?;
        }
        for sent in export.rows.iter().filter(|s| !seen.contains(&s.item_id)) {
            take.preview.problems.push(problem(None, "编号", format!("导出时的第{}号《{}》在表中找不到了（这一行被删除了），没有收回。", sent.number, sent.title)));
        }
        take.preview.files.push(report);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn check_row(
        &self,
        export: &SentExport,
        sent: &SentRow,
        row: usize,
        year: i32,
        cell: &impl Fn(&str) -> String,
        options: &TakeBackOptions,
        file: &str,
        report: &mut ReturnedReport,
        take: &mut TakeBack,
    ) -> Result<()> {
        let unit = export.unit_id;
        let problem = |column: &str, message: String| FileProblem { file: file.to_string(), row: Some(row), column: column.to_string(), message };
        let (units, assigned_on, county_role) = match self.event_context(sent.item_id) {
            Ok(context) => context,
            Err(Error::NotFound(why)) => {
                take.preview.problems.push(problem("编号", format!("{why}这一行没有收回。")));
                return Ok(());
            }
            Err(other) => return Err(other),
        };
        let mut date = |fill: Fill| -> Option<String> {
            let text = cell(fill.as_str());
            if text.is_empty() || text == "—" {
                return None;
            }
            match date_in_year(&text, year) {
                Some(day) => Some(day.to_string()),
                None => {
                    take.preview.problems.push(problem(fill.as_str(), format!("“{text}”不是日期，请写成 2025-04-18 或 2025年4月18日。")));
                    None
                }
            }
        };
        let mut inputs: Vec<(Fill, StepInput)> = Vec::new();
        if let Some(day) = date(Fill::ReceivedOn) {
            inputs.push((Fill::ReceivedOn, StepInput { step: "签收".into(), happened_on: day, unit_id: Some(unit), ..Default::default() }));
        }
        if let Some(day) = date(Fill::MetOn) {
            let way = match cell(Fill::MeetingWay.as_str()) { w if w.is_empty() => MeetingMethod::Meeting.as_str().to_string(), w => w };
            inputs.push((Fill::MetOn, StepInput { step: "面商".into(), happened_on: day, unit_id: Some(unit), method: way, ..Default::default() }));
        }
        if let Some(day) = date(Fill::AssistedOn) {
            inputs.push((Fill::AssistedOn, StepInput { step: "协办意见".into(), happened_on: day, unit_id: Some(unit), ..Default::default() }));
        }
        let replied_on = date(Fill::RepliedOn);
        if let Some(day) = &replied_on {
            let class = cell(Fill::Class.as_str());
            inputs.push((Fill::RepliedOn, StepInput {
                step: "正式答复".into(), happened_on: day.clone(), unit_id: Some(unit), doc_number: cell(Fill::DocNumber.as_str()),
                class: class_for_form(&class), ..Default::default()
            }));
        }
        let (work, result, channel) = (cell(Fill::Work.as_str()), cell(Fill::Result.as_str()), cell(Fill::Channel.as_str()));
        let opinion_typed = [&work, &result, &channel].iter().any(|t| !t.is_empty() && t.as_str() != "—");
        if opinion_typed {
            let recorded_reply = live_events(&self.conn, sent.item_id, Step::Reply, None)?.last().map(|(_, day, _)| day.to_string());
            match replied_on.clone().or(recorded_reply) {
                Some(day) => {
                    let channel = Channel::parse(&channel).map_or(channel.clone(), |c| c.as_str().to_string());
                    inputs.push((Fill::Channel, StepInput { step: "征求意见".into(), happened_on: day, channel, work: rating_for_form(&work), result: rating_for_form(&result), ..Default::default() }));
                }
                None => take.preview.problems.push(problem(Fill::Channel.as_str(), "有征求意见而没有答复日期，请先填写答复日期。".into())),
            }
        }
        let note = cell(Fill::Note.as_str());
        let mut returned = ReturnedRow { row, item_id: sent.item_id, number: sent.number.clone(), title: sent.title.clone(), records: Vec::new(), conflicts: Vec::new() };
        let mut first = true;
        for (fill, mut input) in inputs {
            if first && !note.is_empty() {
                input.note = format!("单位备注：{note}");
            }
            let step = match check_step(&input, &units, assigned_on, county_role) {
                Ok(step) => step,
                Err(Error::Invalid(errors)) => {
                    for e in errors {
                        take.preview.problems.push(problem(column_of(fill, &e.field), format!("{}：{}", input.step, e.message)));
                    }
                    continue;
                }
                Err(other) => return Err(other),
            };
            first = false;
            let kind = step.record.step();
            let own_unit = matches!(kind, Step::Receipt | Step::AssistOpinion).then_some(unit);
            let recorded = live_events(&self.conn, sent.item_id, kind, own_unit)?;
            let said = |day: NaiveDate, record: &StepRecord| {
                let summary = record.summary();
                if summary.is_empty() { format_date_cn(day) } else { format!("{} {summary}", format_date_cn(day)) }
            };
            if recorded.iter().any(|(_, day, record)| *day == step.happened_on && same_record(record, &step.record)) {
                take.preview.already += 1;
                continue;
            }
            let replaces = recorded.last().map(|(id, day, record)| (*id, said(*day, record)));
            let record_text = format!("{} {}", kind, said(step.happened_on, &step.record));
            match replaces {
                Some((old, was)) => {
                    let key = format!("{}:{}:{}", sent.item_id, kind, own_unit.unwrap_or(0));
                    let accepted = options.accepted.contains(&key);
                    returned.conflicts.push(Conflict { key, step: kind.to_string(), recorded: was, in_file: said(step.happened_on, &step.record), accepted });
                    if accepted {
                        take.preview.steps += 1;
                        take.writes.push(Write { item_id: sent.item_id, step, replaces: Some(old), file: file.to_string() });
                    }
                }
                None => {
                    returned.records.push(record_text);
                    take.preview.steps += 1;
                    take.writes.push(Write { item_id: sent.item_id, step, replaces: None, file: file.to_string() });
                }
            }
        }
        if !returned.records.is_empty() || !returned.conflicts.is_empty() {
            report.rows.push(returned);
        }
        Ok(())
    }
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
