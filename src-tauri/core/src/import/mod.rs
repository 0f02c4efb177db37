//! Importing the 交办清单, the list of items an upper body sends as a spreadsheet (.xlsx, .xls
//! or .csv in UTF-8 or GBK). Headers differ between bodies and years, so common synonyms are
//! mapped here and the clerk maps any other column by hand. Nothing is written until the
//! clerk has seen a preview with every problem listed by row, column and reason; then all
//! rows go in one transaction, or none do.
//!
//! The columns and their names are in columns.rs, the check in check.rs, the results of an
//! earlier year recorded as steps in past_results.rs, what the window sees (the options, the
//! preview, the progress) in preview.rs; here is the ledger's side: preview and write.


pub mod check;
pub mod columns;
mod past_results;
pub mod preview;
mod routing;

use check::{Action, ImportPlan};
use preview::{ImportFile, ImportOptions, ImportPreview, Progress, Proposal};
use crate::model::LogKind;
use crate::db::Db;
use crate::likeness::Probe;
use crate::error::{Error, Result};
use crate::queries::events::{insert_event, log_event};
use crate::queries::items::{insert_item, item_fields, log_item, overwrite_item};
use crate::workflow::CheckedStep;
use crate::queries::log::{change, Logged};
use crate::queries::work::{self, Scope};
use crate::model::SessionInput;
use crate::validate::ItemDraft;


impl Db {
    /// Adds to each row of an import preview the items most like it (one line each) and, for
    /// a row that leaves its category or its units empty, what they propose.
    pub(crate) fn propose_for_preview(&self, preview: &mut ImportPreview) -> Result<()> {
        let probes: Vec<(Probe, bool)> = preview
            .rows
            .iter()
            .map(|row| (Probe { title: row.title.clone(), kind: row.kind, except: row.registered, ..Default::default() }, row.lacks_category || row.lacks_units))
            .collect();
        for (row, likeness) in preview.rows.iter_mut().zip(self.likeness_of_rows(&probes)?) {
            row.similar = likeness.similar;
            let Some(proposed) = likeness.proposed else { continue };
            let name = |choices: &[crate::similar::Choice]| choices.first().map(|c| c.name.clone()).unwrap_or_default();
            let proposal = Proposal {
                category: if row.lacks_category { name(&proposed.category) } else { String::new() },
                lead_unit: if row.lacks_units { name(&proposed.lead_unit) } else { String::new() },
                assist_units: if row.lacks_units { proposed.assist_units.iter().map(|c| c.name.clone()).collect() } else { Vec::new() },
            };
            row.proposal = (proposal != Proposal::default()).then_some(proposal);
        }
        Ok(())
    }

    /// Reads a 交办清单 and shows what importing it would do; writes nothing.
    pub fn preview_import(&mut self, bytes: &[u8], file_name: &str, options: &ImportOptions) -> Result<ImportPreview> {
        let file = ImportFile::read(bytes, file_name)?;
        let context = self.import_context(options)?;
        let mut preview = ImportPlan::check(&file, &context, options, &Progress::default())?.preview;
        self.propose_for_preview(&mut preview)?;
        Ok(preview)
    }

    /// Imports a 交办清单 after the clerk saw the preview: every row or none. Refused while
    /// the preview lists a problem that would stop a row. The ledger is backed up first when
    /// it has a backup folder.
    pub fn import_items(&mut self, bytes: &[u8], file_name: &str, options: &ImportOptions) -> Result<ImportPreview> {
        self.import_file(&ImportFile::read(bytes, file_name)?, options, &Progress::default())
    }

    /// Imports a list already read: checks it again against the ledger as it is now (the
    /// clerk may have changed it since the preview), makes the checked backup, and writes
    /// all rows in one transaction, reporting to `progress`. Returns the preview of what
    /// was done.
    pub fn import_file(&mut self, file: &ImportFile, options: &ImportOptions, progress: &Progress) -> Result<ImportPreview> {
        let plan = ImportPlan::check(file, &self.import_context(options)?, options, progress)?;
        if let Some(why) = plan.stopping() {
            return Err(Error::field("file", why));
        }
        if self.backups.is_some() {
            progress.start("导入前备份", 1);
            self.backup_now(crate::backup::BackupReason::BeforeImport)?;
        }
        let tx = self.conn.transaction()?;
        for (id, short_name) in &plan.short_names {
            let before = crate::queries::units::fields_of(&tx, *id)?;
            crate::queries::units::fill_short_name(&tx, *id, short_name)?;
            crate::queries::units::log_unit(&tx, &self.user, "导入时补简称", *id, &before)?;
        }
        // A unit new to the directory is added where the first row naming it comes in, so
        // the log reads in the order of the list.
        let mut unit_ids: Vec<Option<i64>> = vec![None; plan.new_units.len()];
        let mut real_unit = |id: i64| -> Result<i64> {
            if id >= 0 {
                return Ok(id);
            }
            let slot = (-id - 1) as usize;
            Ok(match unit_ids[slot] {
                Some(id) => id,
                None => {
                    let (name, short_name) = &plan.new_units[slot];
                    let id = crate::queries::units::add_named(&tx, &self.user, name, short_name)?;
                    unit_ids[slot] = Some(id);
                    id
                }
            })
        };
        // The sessions the ledger lacked, added first (the clerk agreed: `stopping` saw to it).
        let mut session_ids = Vec::with_capacity(plan.preview.new_sessions.len());
        for new in &plan.preview.new_sessions {
            let input = SessionInput { kind: new.kind.to_string(), level: new.level.to_string(), year: new.year.to_string(), name: new.name.clone() };
            session_ids.push(crate::queries::sessions::add(&tx, &self.user, &input, "导入时添加")?);
        }
        let mut real = |draft: &ItemDraft, steps: &[CheckedStep]| -> Result<(ItemDraft, Vec<CheckedStep>)> {
            let mut draft = draft.clone();
            if draft.session_id < 0 {
                draft.session_id = session_ids[(-draft.session_id - 1) as usize];
            }
            for a in draft.assignments.iter_mut() {
                a.unit_id = real_unit(a.unit_id)?;
            }
            let mut steps = steps.to_vec();
            for step in steps.iter_mut() {
                step.unit_id = step.unit_id.map(&mut real_unit).transpose()?;
            }
            Ok((draft, steps))
        };
        let source = format!("补录：{}", file.name);
        let record = |id: i64, steps: &[CheckedStep]| -> Result<()> {
            for step in steps {
                let event = insert_event(&tx, id, step, None, &source)?;
                log_event(&tx, &self.user, "补录办理环节", id, &Vec::new(), event)?;
            }
            Ok(())
        };
        progress.start("导入", plan.actions.len());
        let mut written = Vec::with_capacity(plan.actions.len());
        for action in &plan.actions {
            progress.step()?;
            match action {
                Action::New(draft, steps) => {
                    let (draft, steps) = real(draft, steps)?;
                    let id = insert_item(&tx, &draft)?;
                    log_item(&tx, &self.user, "导入登记", id, &Vec::new())?;
                    record(id, &steps)?;
                    written.push(id);
                }
                Action::Update(id, draft, steps) => {
                    let (draft, steps) = real(draft, steps)?;
                    let before = item_fields(&tx, *id)?;
                    overwrite_item(&tx, *id, &draft)?;
                    log_item(&tx, &self.user, "导入更新", *id, &before)?;
                    record(*id, &steps)?;
                    written.push(*id);
                }
                Action::Skip | Action::Wrong => {}
            }
        }
        work::refresh(&tx, Scope::Items(&written))?;
        let count = |action: &str| format!("{} 件", plan.preview.rows.iter().filter(|r| r.action == action).count());
        let logged = Logged { kind: LogKind::Import, action: "导入交办清单", target: file.name.clone(), item_id: None };
        let mut changes = vec![change("新登记", "", count("新增")), change("更新", "", count("更新")), change("跳过", "", count("跳过"))];
        if plan.preview.result_steps > 0 {
            changes.push(change("补录办理环节", "", format!("{} 条", plan.preview.result_steps)));
        }
        logged.write(&tx, &self.user, &changes)?;
        tx.commit()?;
        Ok(plan.preview)
    }
}
