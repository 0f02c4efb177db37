//! The commands the UI calls. Each is one call into the core plus error mapping; the
//! names here are the only ones `ui/api.js` knows.

use ledger_core::queries::items::ItemQuery;
use ledger_core::likeness::Probe;
use ledger_core::model::LinkKind;
use crate::error::ApiResult;
use crate::dialogs;
use ledger_core::backup::{BackupReason, BackupRecord, FileCheck};
use ledger_core::result_grid::{BulkOutcome, CellProblem, ResultInput};
use ledger_core::queries::work::ResultRow;
use ledger_core::evaluation::{Evaluation, Rule};
use ledger_core::unit_exchange::{TakeBackOptions, TakeBackPreview};
use ledger_core::workplace::{AppInfo, RestoreCandidate, SafetyStatus, Workplace as Ledger};
use ledger_core::queries::log::{LogEntry, LogQuery, LOG_PAGE};
use ledger_core::deadlines::RuleInput;
use ledger_core::import::preview::{ImportOptions, ImportPreview, ProgressView};
use ledger_core::queries::carried::CarriedPage;
use ledger_core::stats::{SatisfactionDefinition, StatisticsView};
use ledger_core::files::ColumnChoice;
use ledger_core::upper_form::FormPreview;
use ledger_core::queries::reports::{OpinionForm, TableQuery};
use ledger_core::queries::deadlines::{CalendarDay, TemplateView};
use ledger_core::queries::snoozes::SnoozeInput;
use ledger_core::queries::years::YearState;
use ledger_core::model::BoardSection;
use ledger_core::queries::board::UnitSummary;
use ledger_core::views::{ReminderBoard, ReminderPage, UnitTasks, WorkItem};
use ledger_core::workflow::StepInput;
use ledger_core::model::{
    Category, ItemDetail, ItemInput, Kind, Session, SessionInput, Unit, UnitInput,
};
use ledger_core::queries::replies::{DraftInput, DraftVersion};
use ledger_core::reply::{ReplyContent, TemplateInput, TemplateList};
use ledger_core::queries::items::{ItemPage, NumberCollision};
use ledger_core::queries::links::ItemLink;
use ledger_core::similar::SimilarView;

use tauri::{AppHandle, Runtime, State};

/// What the window needs to know at start.
#[tauri::command(async)]
pub fn app_info(ledger: State<Ledger>) -> AppInfo {
    ledger.info()
}

/// What app_info says once the check begun at the start has ended (a damaged ledger found).
#[tauri::command(async)]
pub fn start_check(ledger: State<Ledger>) -> AppInfo {
    ledger.start_checked()
}

/// The clerk's guide, for the 帮助 page.
#[tauri::command]
pub fn user_guide() -> &'static str {
    ledger_core::guide::USER_GUIDE
}

/// One page of the ledger (or the recycle bin) for the filters.
#[tauri::command(async)]
pub fn list_items(ledger: State<Ledger>, query: ItemQuery, offset: usize) -> ApiResult<ItemPage> {
    Ok(ledger.read(|db| db.item_page(&query, offset))?)
}

#[tauri::command(async)]
pub fn list_years(ledger: State<Ledger>) -> ApiResult<Vec<i32>> {
    Ok(ledger.read(|db| db.list_years())?)
}

/// Numbers a session holds twice, typed two ways (1 and 001), for the clerk to put right.
#[tauri::command(async)]
pub fn number_collisions(ledger: State<Ledger>) -> ApiResult<Vec<NumberCollision>> {
    Ok(ledger.read(|db| db.number_collisions())?)
}

#[tauri::command(async)]
pub fn get_item(ledger: State<Ledger>, id: i64) -> ApiResult<ItemDetail> {
    Ok(ledger.read(|db| db.get_item(id))?)
}

/// The items of all years like the one described (a form as typed, or an item of the
/// ledger), with what they propose for its category and units.
#[tauri::command(async)]
pub fn similar_items(ledger: State<Ledger>, probe: Probe) -> ApiResult<SimilarView> {
    Ok(ledger.read(|db| db.similar_items(&probe, ledger.today()))?)
}

/// The links of an item (同类, 重复提出), the other items as the ledger lists them.
#[tauri::command(async)]
pub fn item_links(ledger: State<Ledger>, id: i64) -> ApiResult<Vec<ItemLink>> {
    Ok(ledger.read(|db| db.links_of(id, ledger.today()))?)
}

#[tauri::command(async)]
pub fn link_items(ledger: State<Ledger>, id: i64, other: i64, kind: LinkKind) -> ApiResult<()> {
    Ok(ledger.with(|db| db.link_items(id, other, kind))?)
}

#[tauri::command(async)]
pub fn unlink_items(ledger: State<Ledger>, id: i64, other: i64) -> ApiResult<()> {
    Ok(ledger.with(|db| db.unlink_items(id, other))?)
}

/// Gives the 同类 items of the year not yet replied this item's 主办 unit; returns how many.
#[tauri::command(async)]
pub fn apply_lead_to_same_class(ledger: State<Ledger>, id: i64) -> ApiResult<usize> {
    Ok(ledger.with(|db| db.apply_lead_to_same_class(id, ledger.today()))?)
}

/// Saves the list of 多年提、反复提的问题 of the tables' year where the clerk chooses.
#[tauri::command(async)]
pub fn export_repeated<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, query: TableQuery) -> ApiResult<Option<String>> {
    dialogs::save(&app, &ledger, ledger.read(|db| db.repeated_file(&query, ledger.today()))?)
}

#[tauri::command(async)]
pub fn create_item(ledger: State<Ledger>, input: ItemInput) -> ApiResult<i64> {
    Ok(ledger.with(|db| db.create_item(&input))?)
}

#[tauri::command(async)]
pub fn update_item(ledger: State<Ledger>, id: i64, input: ItemInput) -> ApiResult<()> {
    Ok(ledger.with(|db| db.update_item(id, &input))?)
}

#[tauri::command(async)]
pub fn delete_item(ledger: State<Ledger>, id: i64) -> ApiResult<()> {
    Ok(ledger.with(|db| db.delete_item(id))?)
}

#[tauri::command(async)]
pub fn restore_item(ledger: State<Ledger>, id: i64) -> ApiResult<()> {
    Ok(ledger.with(|db| db.restore_item(id))?)
}

#[tauri::command(async)]
pub fn list_units(ledger: State<Ledger>) -> ApiResult<Vec<Unit>> {
    Ok(ledger.read(|db| db.list_units())?)
}

#[tauri::command(async)]
pub fn create_unit(ledger: State<Ledger>, input: UnitInput) -> ApiResult<i64> {
    Ok(ledger.with(|db| db.create_unit(&input))?)
}

#[tauri::command(async)]
pub fn update_unit(ledger: State<Ledger>, id: i64, input: UnitInput) -> ApiResult<()> {
    Ok(ledger.with(|db| db.update_unit(id, &input))?)
}

#[tauri::command(async)]
pub fn set_unit_active(ledger: State<Ledger>, id: i64, active: bool) -> ApiResult<()> {
    Ok(ledger.with(|db| db.set_unit_active(id, active))?)
}

/// Merges a unit into another that is the same unit (合并单位).
#[tauri::command(async)]
pub fn merge_units(ledger: State<Ledger>, kept: i64, merged: i64) -> ApiResult<()> {
    Ok(ledger.with(|db| db.merge_units(kept, merged))?)
}

#[tauri::command(async)]
pub fn list_categories(ledger: State<Ledger>) -> ApiResult<Vec<Category>> {
    Ok(ledger.read(|db| db.list_categories())?)
}

#[tauri::command(async)]
pub fn create_category(ledger: State<Ledger>, kind: Kind, name: String) -> ApiResult<i64> {
    Ok(ledger.with(|db| db.create_category(kind, &name))?)
}

#[tauri::command(async)]
pub fn rename_category(ledger: State<Ledger>, id: i64, name: String) -> ApiResult<()> {
    Ok(ledger.with(|db| db.rename_category(id, &name))?)
}

#[tauri::command(async)]
pub fn set_category_active(ledger: State<Ledger>, id: i64, active: bool) -> ApiResult<()> {
    Ok(ledger.with(|db| db.set_category_active(id, active))?)
}

#[tauri::command(async)]
pub fn list_sessions(ledger: State<Ledger>) -> ApiResult<Vec<Session>> {
    Ok(ledger.read(|db| db.list_sessions())?)
}

#[tauri::command(async)]
pub fn create_session(ledger: State<Ledger>, input: SessionInput) -> ApiResult<i64> {
    Ok(ledger.with(|db| db.create_session(&input))?)
}

#[tauri::command(async)]
pub fn update_session(ledger: State<Ledger>, id: i64, input: SessionInput) -> ApiResult<()> {
    Ok(ledger.with(|db| db.update_session(id, &input))?)
}

#[tauri::command(async)]
pub fn record_step(ledger: State<Ledger>, item_id: i64, input: StepInput) -> ApiResult<i64> {
    Ok(ledger.with(|db| db.record_step(item_id, &input))?)
}

/// The units' evaluation of a year (督考).
#[tauri::command(async)]
pub fn evaluation(ledger: State<Ledger>, year: i32) -> ApiResult<Evaluation> {
    Ok(ledger.read(|db| db.evaluation(year, ledger.today()))?)
}

#[tauri::command(async)]
pub fn set_evaluation_weight(ledger: State<Ledger>, year: i32, rule: Rule, weight: String) -> ApiResult<()> {
    Ok(ledger.with(|db| db.set_evaluation_weight(year, rule, &weight))?)
}

#[tauri::command(async)]
pub fn export_evaluation<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, year: i32) -> ApiResult<Option<String>> {
    let file = ledger.read(|db| db.evaluation_file(year, ledger.today()))?;
    dialogs::save(&app, &ledger, file)
}

/// A unit's 办理情况反馈表, saved where the clerk chooses.
#[tauri::command(async)]
/// The clerk picks the place first; the export is recorded only once the file is written.
pub fn export_feedback<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, unit_id: i64) -> ApiResult<Option<String>> {
    let name = ledger.read(|db| db.feedback_file_name(unit_id, ledger.today()))?;
    let Some(path) = dialogs::save_path(&app, &ledger, &name)? else { return Ok(None) };
    ledger.with(|db| db.feedback_file(unit_id, ledger.today(), &mut |(bytes, _)| std::fs::write(&path, bytes)))?;
    Ok(Some(path.display().to_string()))
}

/// The 反馈表 of every unit with open work, one file each, in a folder the clerk picks.
#[tauri::command(async)]
pub fn export_all_feedback<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>) -> ApiResult<Option<String>> {
    let Some(folder) = dialogs::save_folder(&app, &ledger, "选择保存反馈表的文件夹")? else { return Ok(None) };
    ledger.with(|db| db.feedback_files(ledger.today(), &mut |(bytes, name)| std::fs::write(folder.join(ledger_core::input::safe_file_name(name)), bytes)))?;
    Ok(Some(folder.display().to_string()))
}

/// The 反馈表 the units sent back, picked through the dialog and previewed.
#[tauri::command(async)]
pub fn choose_returned<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, options: TakeBackOptions) -> ApiResult<Option<TakeBackPreview>> {
    let Some(picked) = dialogs::open_returned(&app, &ledger)? else { return Ok(None) };
    Ok(Some(ledger.open_returned(&picked, &options)?))
}

#[tauri::command(async)]
pub fn preview_returned(ledger: State<Ledger>, options: TakeBackOptions) -> ApiResult<TakeBackPreview> {
    Ok(ledger.preview_returned(&options)?)
}

#[tauri::command(async)]
pub fn take_back(ledger: State<Ledger>, options: TakeBackOptions) -> ApiResult<TakeBackPreview> {
    Ok(ledger.take_back(&options)?)
}

/// The results grid of a session (成批登记办理结果).
#[tauri::command(async)]
pub fn result_rows(ledger: State<Ledger>, session_id: i64) -> ApiResult<Vec<ResultRow>> {
    Ok(ledger.read(|db| db.result_rows(session_id, ledger.today()))?)
}

#[tauri::command(async)]
pub fn check_results(ledger: State<Ledger>, rows: Vec<ResultInput>) -> ApiResult<Vec<CellProblem>> {
    Ok(ledger.read(|db| db.check_results(&rows))?)
}

#[tauri::command(async)]
pub fn save_results(ledger: State<Ledger>, rows: Vec<ResultInput>) -> ApiResult<BulkOutcome> {
    Ok(ledger.with(|db| db.save_results(&rows))?)
}

#[tauri::command(async)]
pub fn correct_step(ledger: State<Ledger>, event_id: i64, input: StepInput) -> ApiResult<i64> {
    Ok(ledger.with(|db| db.correct_step(event_id, &input))?)
}

#[tauri::command(async)]
pub fn undo_step(ledger: State<Ledger>, event_id: i64, reason: String) -> ApiResult<()> {
    Ok(ledger.with(|db| db.undo_step(event_id, &reason))?)
}

#[tauri::command(async)]
pub fn item_workflow(ledger: State<Ledger>, id: i64) -> ApiResult<WorkItem> {
    Ok(ledger.read(|db| db.item_workflow(id, ledger.today()))?)
}

#[tauri::command(async)]
pub fn set_deadline_override(ledger: State<Ledger>, item_id: i64, step: String, due_on: String, note: String) -> ApiResult<()> {
    Ok(ledger.with(|db| db.set_deadline_override(item_id, &step, &due_on, &note))?)
}

#[tauri::command(async)]
pub fn deadline_template(ledger: State<Ledger>, year: i32) -> ApiResult<TemplateView> {
    Ok(ledger.read(|db| db.deadline_template(year))?)
}

#[tauri::command(async)]
pub fn apply_built_in_template(ledger: State<Ledger>, year: i32, name: String) -> ApiResult<()> {
    Ok(ledger.with(|db| db.apply_built_in_template(year, &name))?)
}

#[tauri::command(async)]
pub fn set_deadline_rule(ledger: State<Ledger>, year: i32, step: String, input: RuleInput) -> ApiResult<()> {
    Ok(ledger.with(|db| db.set_deadline_rule_from(year, &step, &input))?)
}

#[tauri::command(async)]
pub fn calendar_days(ledger: State<Ledger>, year: i32) -> ApiResult<Vec<CalendarDay>> {
    Ok(ledger.read(|db| db.calendar_days(year))?)
}

#[tauri::command(async)]
pub fn mark_day(ledger: State<Ledger>, day: String, kind: String, note: String) -> ApiResult<()> {
    Ok(ledger.with(|db| db.mark_day(&day, &kind, &note))?)
}

#[tauri::command(async)]
pub fn reminders(ledger: State<Ledger>) -> ApiResult<ReminderBoard> {
    Ok(ledger.read(|db| db.reminders(ledger.today()))?)
}

#[tauri::command(async)]
pub fn reminder_page(ledger: State<Ledger>, section: BoardSection, offset: usize) -> ApiResult<ReminderPage> {
    Ok(ledger.read(|db| db.reminder_page(ledger.today(), section, offset))?)
}

/// The years of the ledger with their work, and whether each is closed (办理工作结束).
#[tauri::command(async)]
pub fn year_states(ledger: State<Ledger>) -> ApiResult<Vec<YearState>> {
    Ok(ledger.read(|db| db.year_states(ledger.today()))?)
}

#[tauri::command(async)]
pub fn close_year(ledger: State<Ledger>, year: i32) -> ApiResult<()> {
    Ok(ledger.with(|db| db.close_year(year, ledger.today()))?)
}

#[tauri::command(async)]
pub fn reopen_year(ledger: State<Ledger>, year: i32) -> ApiResult<()> {
    Ok(ledger.with(|db| db.reopen_year(year, ledger.today()))?)
}

#[tauri::command(async)]
pub fn snooze(ledger: State<Ledger>, input: SnoozeInput) -> ApiResult<()> {
    Ok(ledger.with(|db| db.snooze(&input, ledger.today()))?)
}

#[tauri::command(async)]
pub fn unit_tasks(ledger: State<Ledger>, unit_id: i64) -> ApiResult<UnitTasks> {
    Ok(ledger.read(|db| db.unit_tasks(unit_id, ledger.today()))?)
}

#[tauri::command(async)]
pub fn unit_overview(ledger: State<Ledger>) -> ApiResult<Vec<UnitSummary>> {
    Ok(ledger.read(|db| db.unit_overview(ledger.today()))?)
}

#[tauri::command(async)]
pub fn office_name(ledger: State<Ledger>) -> ApiResult<String> {
    Ok(ledger.read(|db| db.office_name())?)
}

#[tauri::command(async)]
pub fn set_office_name(ledger: State<Ledger>, name: String) -> ApiResult<()> {
    Ok(ledger.with(|db| db.set_office_name(&name))?)
}

/// Saves a unit's task list as .xlsx where the clerk chooses; `None` if the clerk cancelled.
#[tauri::command(async)]
pub fn export_unit_tasks<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, unit_id: i64) -> ApiResult<Option<String>> {
    dialogs::save(&app, &ledger, ledger.read(|db| db.unit_tasks_file(unit_id, ledger.today()))?)
}

#[tauri::command(async)]
pub fn undertaking_columns(ledger: State<Ledger>) -> ApiResult<ColumnChoice> {
    Ok(ledger.read(|db| db.undertaking_columns())?)
}

/// Saves the 承办情况表 where the clerk chooses; `None` if the clerk cancelled.
#[tauri::command(async)]
pub fn export_undertaking<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, query: TableQuery, columns: Vec<String>) -> ApiResult<Option<String>> {
    dialogs::save(&app, &ledger, ledger.with(|db| db.undertaking_file(&query, &columns, ledger.today()))?)
}

/// Saves the 征求意见表 (forms and summary) where the clerk chooses.
#[tauri::command(async)]
pub fn export_opinions<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, query: TableQuery) -> ApiResult<Option<String>> {
    dialogs::save(&app, &ledger, ledger.read(|db| db.opinion_file(&query, ledger.today()))?)
}

/// Asks for the blank form an upper body sent and proposes how its columns are filled;
/// `None` if cancelled.
#[tauri::command(async)]
pub fn choose_upper_form<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>) -> ApiResult<Option<FormPreview>> {
    let Some((name, bytes)) = dialogs::open_form(&app, &ledger)? else { return Ok(None) };
    Ok(Some(ledger.open_upper_form(&name, bytes)?))
}

/// Fills the chosen form with the items of the query, its columns as the clerk matched them,
/// and saves it where the clerk chooses.
#[tauri::command(async)]
pub fn fill_upper_form<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, query: TableQuery, fields: Vec<String>) -> ApiResult<Option<String>> {
    dialogs::save(&app, &ledger, ledger.fill_upper_form(&query, &fields)?)
}

/// Asks for a 交办清单 through the open dialog, reads and previews it; `None` if cancelled.
#[tauri::command(async)]
pub fn choose_import_file<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, options: ImportOptions) -> ApiResult<Option<ImportPreview>> {
    let Some((name, bytes)) = dialogs::open_spreadsheet(&app, &ledger)? else { return Ok(None) };
    Ok(Some(ledger.open_import(&name, &bytes, &options)?))
}

/// Previews the chosen 交办清单 again, e.g. after the clerk mapped a column.
#[tauri::command(async)]
pub fn preview_import(ledger: State<Ledger>, options: ImportOptions) -> ApiResult<ImportPreview> {
    Ok(ledger.preview_import(&options)?)
}

/// Imports the chosen 交办清单: every row or none.
#[tauri::command(async)]
pub fn import_items(ledger: State<Ledger>, options: ImportOptions) -> ApiResult<ImportPreview> {
    Ok(ledger.import_items(&options)?)
}

/// How far reading, checking or importing the list has come (for the progress bar).
#[tauri::command(async)]
pub fn import_progress(ledger: State<Ledger>) -> ProgressView {
    ledger.import_progress()
}

/// Stops reading, checking or importing the list; nothing is written.
#[tauri::command(async)]
pub fn cancel_import(ledger: State<Ledger>) {
    ledger.cancel_import();
}

/// Saves a blank 交办清单 with the standard headers.
#[tauri::command(async)]
pub fn export_import_template<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>) -> ApiResult<Option<String>> {
    dialogs::save(&app, &ledger, (ledger_core::import::columns::template_workbook()?, "建议提案交办清单（空白模板）.xlsx".into()))
}

#[tauri::command(async)]
pub fn statistics(ledger: State<Ledger>, query: TableQuery, definition: SatisfactionDefinition) -> ApiResult<StatisticsView> {
    Ok(ledger.read(|db| db.statistics_view(&query, definition, ledger.today()))?)
}

/// Saves the statistics workbook (汇总表) where the clerk chooses.
#[tauri::command(async)]
pub fn export_statistics<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, query: TableQuery, definition: SatisfactionDefinition) -> ApiResult<Option<String>> {
    dialogs::save(&app, &ledger, ledger.read(|db| db.statistics_file(&query, definition, ledger.today()))?)
}

#[tauri::command(async)]
pub fn carried_b_items(ledger: State<Ledger>, offset: usize) -> ApiResult<CarriedPage> {
    Ok(ledger.read(|db| db.carried_b_items(ledger.today(), offset))?)
}

/// Saves the summary draft with its tables as an editable .docx.
#[tauri::command(async)]
pub fn export_summary<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, query: TableQuery, definition: SatisfactionDefinition) -> ApiResult<Option<String>> {
    dialogs::save(&app, &ledger, ledger.read(|db| db.summary_file(&query, definition, ledger.today()))?)
}

#[tauri::command(async)]
pub fn reply_templates(ledger: State<Ledger>) -> ApiResult<TemplateList> {
    Ok(ledger.read(|db| db.reply_templates())?)
}

#[tauri::command(async)]
pub fn save_reply_template(ledger: State<Ledger>, id: Option<i64>, input: TemplateInput) -> ApiResult<i64> {
    Ok(ledger.with(|db| db.save_reply_template(id, &input))?)
}

/// The first draft of a letter: a template filled from the item (not saved yet).
#[tauri::command(async)]
pub fn start_reply(ledger: State<Ledger>, item_id: i64, template_id: i64, unit_id: Option<i64>) -> ApiResult<ReplyContent> {
    Ok(ledger.read(|db| db.start_reply(item_id, template_id, unit_id, ledger.today()))?)
}

/// Saves the draft as its next version.
#[tauri::command(async)]
pub fn save_reply(ledger: State<Ledger>, item_id: i64, input: DraftInput) -> ApiResult<DraftVersion> {
    Ok(ledger.with(|db| db.save_reply(item_id, &input))?)
}

/// A unit's Word draft, picked through the dialog, read into the item's next draft version.
#[tauri::command(async)]
pub fn draft_from_word<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, item_id: i64, template_id: i64, unit_id: Option<i64>) -> ApiResult<Option<DraftVersion>> {
    let Some((name, bytes)) = dialogs::open_word(&app, &ledger)? else { return Ok(None) };
    Ok(Some(ledger.with(|db| db.draft_from_word(item_id, template_id, unit_id, &bytes, &name, ledger.today()))?))
}

#[tauri::command(async)]
pub fn reply_drafts(ledger: State<Ledger>, item_id: i64) -> ApiResult<Vec<DraftVersion>> {
    Ok(ledger.read(|db| db.reply_drafts(item_id))?)
}

#[tauri::command(async)]
pub fn reply_draft(ledger: State<Ledger>, id: i64) -> ApiResult<DraftVersion> {
    Ok(ledger.read(|db| db.reply_draft(id))?)
}

/// Saves a draft version as an editable .docx where the clerk chooses.
#[tauri::command(async)]
pub fn export_reply<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, id: i64) -> ApiResult<Option<String>> {
    dialogs::save(&app, &ledger, ledger.read(|db| db.reply_file(id))?)
}

/// One item's 征求意见表, for its print view.
#[tauri::command(async)]
pub fn opinion_form(ledger: State<Ledger>, item_id: i64) -> ApiResult<OpinionForm> {
    Ok(ledger.read(|db| db.opinion_form(item_id, ledger.today()))?)
}

/// Prints what the window shows (its print view); in tests, into a PDF file.
#[tauri::command(async)]
pub fn print_page<R: Runtime>(app: AppHandle<R>, window: tauri::WebviewWindow<R>, setup: crate::print::PageSetup) -> ApiResult<Option<String>> {
    crate::print::print(&window, dialogs::stand_ins(&app).map(|s| s.print_file()), &setup)
}

/// Where the data and the backups are, and how the last backup went (设置).
#[tauri::command(async)]
pub fn safety_status(ledger: State<Ledger>) -> ApiResult<SafetyStatus> {
    Ok(ledger.safety_status()?)
}

/// A checked copy in the backup folder, now.
#[tauri::command(async)]
pub fn backup_now(ledger: State<Ledger>) -> ApiResult<BackupRecord> {
    Ok(ledger.with(|db| db.backup_now(BackupReason::Manual))?)
}

/// A checked copy in a file the clerk picks (a USB stick); `None` if cancelled.
#[tauri::command(async)]
pub fn backup_to_file<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>) -> ApiResult<Option<BackupRecord>> {
    let Some(path) = dialogs::save_path(&app, &ledger, &ledger.manual_backup_name())? else { return Ok(None) };
    Ok(Some(ledger.with(|db| db.backup_to(&path, BackupReason::Manual))?))
}

/// Lets the clerk choose the backup folder; returns it, `None` if cancelled.
#[tauri::command(async)]
pub fn choose_backup_folder<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>) -> ApiResult<Option<String>> {
    let Some(folder) = dialogs::pick_folder(&app, "选择备份文件夹")? else { return Ok(None) };
    Ok(Some(ledger.set_backup_folder(folder)?))
}

/// Asks for a backup to restore and examines it (nothing is changed yet); `None` if cancelled.
#[tauri::command(async)]
pub fn choose_restore_file<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>) -> ApiResult<Option<RestoreCandidate>> {
    let Some(path) = dialogs::open_backup(&app, &ledger)? else { return Ok(None) };
    Ok(Some(ledger.choose_restore(path)?))
}

/// Restores the backup the clerk confirmed (the current ledger is backed up first).
#[tauri::command(async)]
pub fn restore_backup(ledger: State<Ledger>) -> ApiResult<FileCheck> {
    Ok(ledger.restore_chosen()?)
}

/// Puts the good backup offered at start in place of a damaged ledger.
#[tauri::command(async)]
pub fn restore_damaged(ledger: State<Ledger>) -> ApiResult<FileCheck> {
    Ok(ledger.restore_damaged()?)
}

/// The operation log for the filters, newest first (the newest 500; the export has all).
#[tauri::command(async)]
pub fn operation_log(ledger: State<Ledger>, query: LogQuery) -> ApiResult<Vec<LogEntry>> {
    Ok(ledger.read(|db| db.operation_log(&query, Some(LOG_PAGE)))?)
}

/// Saves the whole operation log for the filters as .xlsx.
#[tauri::command(async)]
pub fn export_log<R: Runtime>(app: AppHandle<R>, ledger: State<Ledger>, query: LogQuery) -> ApiResult<Option<String>> {
    dialogs::save(&app, &ledger, ledger.read(|db| db.log_file(&query, ledger.today()))?)
}
