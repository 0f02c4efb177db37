// The only module that knows the names of the Rust commands. Every call resolves with the
// command's value or rejects with one shape: {code, message, fields}.

const { invoke } = window.__TAURI__.core;

let inFlight = 0;
/**
 * Marks the window busy (`<html data-busy>`) while `work` runs: a screen being drawn or a
 * command waiting for its answer. What the window shows is settled only when nothing is in
 * flight, which is the state the end-to-end tests wait for before they read the screen.
 */
export async function busyWhile(work) {
  inFlight += 1;
  document.documentElement.dataset.busy = 'true';
  try {
    return await work;
  } finally {
    inFlight -= 1;
    if (inFlight === 0) delete document.documentElement.dataset.busy;
  }
}

/**
 * The commands called since the screen on show began opening (main.js starts the list for
 * each screen and writes it on the screen's element when the screen has opened): the calls
 * the benchmark times for the screen, which an end-to-end test holds to what it really does.
 */
let opened = [];
export function startScreen() { opened = []; }
export function screenCalls() { return opened.slice(); }

async function call(command, args) {
  if (opened.length < 100) opened.push(command);
  try {
    return await busyWhile(invoke(command, args));
  } catch (error) {
    if (error && typeof error === 'object' && 'message' in error) {
      return Promise.reject({ code: error.code || 'internal', message: error.message, fields: error.fields || [] });
    }
    return Promise.reject({ code: 'internal', message: `程序内部错误：${String(error)}`, fields: [] });
  }
}

export const api = {
  appInfo: () => call('app_info'),
  startCheck: () => call('start_check'),
  userGuide: () => call('user_guide'),

  listItems: (query, offset = 0) => call('list_items', { query, offset }),
  listYears: () => call('list_years'),
  numberCollisions: () => call('number_collisions'),
  getItem: (id) => call('get_item', { id }),
  similarItems: (probe) => call('similar_items', { probe }),
  itemLinks: (id) => call('item_links', { id }),
  linkItems: (id, other, kind) => call('link_items', { id, other, kind }),
  unlinkItems: (id, other) => call('unlink_items', { id, other }),
  applyLeadToSameClass: (id) => call('apply_lead_to_same_class', { id }),
  exportRepeated: (query) => call('export_repeated', { query }),
  createItem: (input) => call('create_item', { input }),
  updateItem: (id, input) => call('update_item', { id, input }),
  deleteItem: (id) => call('delete_item', { id }),
  restoreItem: (id) => call('restore_item', { id }),

  listUnits: () => call('list_units'),
  createUnit: (input) => call('create_unit', { input }),
  updateUnit: (id, input) => call('update_unit', { id, input }),
  setUnitActive: (id, active) => call('set_unit_active', { id, active }),
  mergeUnits: (kept, merged) => call('merge_units', { kept, merged }),

  listCategories: () => call('list_categories'),
  createCategory: (kind, name) => call('create_category', { kind, name }),
  renameCategory: (id, name) => call('rename_category', { id, name }),
  setCategoryActive: (id, active) => call('set_category_active', { id, active }),

  recordStep: (itemId, input) => call('record_step', { itemId, input }),
  evaluation: (year) => call('evaluation', { year }),
  setEvaluationWeight: (year, rule, weight) => call('set_evaluation_weight', { year, rule, weight }),
  exportEvaluation: (year) => call('export_evaluation', { year }),
  exportFeedback: (unitId) => call('export_feedback', { unitId }),
  exportAllFeedback: () => call('export_all_feedback'),
  chooseReturned: (options) => call('choose_returned', { options }),
  previewReturned: (options) => call('preview_returned', { options }),
  takeBack: (options) => call('take_back', { options }),
  resultRows: (sessionId) => call('result_rows', { sessionId }),
  checkResults: (rows) => call('check_results', { rows }),
  saveResults: (rows) => call('save_results', { rows }),
  correctStep: (eventId, input) => call('correct_step', { eventId, input }),
  undoStep: (eventId, reason) => call('undo_step', { eventId, reason }),
  itemWorkflow: (id) => call('item_workflow', { id }),
  setDeadlineOverride: (itemId, step, dueOn, note) => call('set_deadline_override', { itemId, step, dueOn, note }),

  reminders: () => call('reminders'),
  reminderPage: (section, offset) => call('reminder_page', { section, offset }),
  yearStates: () => call('year_states'),
  closeYear: (year) => call('close_year', { year }),
  reopenYear: (year) => call('reopen_year', { year }),
  snooze: (input) => call('snooze', { input }),
  unitTasks: (unitId) => call('unit_tasks', { unitId }),
  unitOverview: () => call('unit_overview'),
  exportUnitTasks: (unitId) => call('export_unit_tasks', { unitId }),
  undertakingColumns: () => call('undertaking_columns'),
  exportUndertaking: (query, columns) => call('export_undertaking', { query, columns }),
  exportOpinions: (query) => call('export_opinions', { query }),
  chooseUpperForm: () => call('choose_upper_form'),
  fillUpperForm: (query, fields) => call('fill_upper_form', { query, fields }),
  chooseImportFile: (options) => call('choose_import_file', { options }),
  previewImport: (options) => call('preview_import', { options }),
  importItems: (options) => call('import_items', { options }),
  importProgress: () => call('import_progress'),
  cancelImport: () => call('cancel_import'),
  exportImportTemplate: () => call('export_import_template'),

  deadlineTemplate: (year) => call('deadline_template', { year }),
  applyBuiltInTemplate: (year, name) => call('apply_built_in_template', { year, name }),
  setDeadlineRule: (year, step, input) => call('set_deadline_rule', { year, step, input }),
  calendarDays: (year) => call('calendar_days', { year }),
  markDay: (day, kind, note) => call('mark_day', { day, kind, note }),
  officeName: () => call('office_name'),
  setOfficeName: (name) => call('set_office_name', { name }),

  statistics: (query, definition) => call('statistics', { query, definition }),
  exportStatistics: (query, definition) => call('export_statistics', { query, definition }),
  carriedBItems: (offset) => call('carried_b_items', { offset }),
  exportSummary: (query, definition) => call('export_summary', { query, definition }),

  replyTemplates: () => call('reply_templates'),
  saveReplyTemplate: (id, input) => call('save_reply_template', { id, input }),
  startReply: (itemId, templateId, unitId) => call('start_reply', { itemId, templateId, unitId }),
  saveReply: (itemId, input) => call('save_reply', { itemId, input }),
  draftFromWord: (itemId, templateId, unitId) => call('draft_from_word', { itemId, templateId, unitId }),
  replyDrafts: (itemId) => call('reply_drafts', { itemId }),
  replyDraft: (id) => call('reply_draft', { id }),
  exportReply: (id) => call('export_reply', { id }),
  opinionForm: (itemId) => call('opinion_form', { itemId }),
  /** Prints the screen's print view; resolves with the PDF's path when printing to a file (tests). */
  printPage: (setup) => call('print_page', { setup }),

  safetyStatus: () => call('safety_status'),
  backupNow: () => call('backup_now'),
  backupToFile: () => call('backup_to_file'),
  chooseBackupFolder: () => call('choose_backup_folder'),
  chooseRestoreFile: () => call('choose_restore_file'),
  restoreBackup: () => call('restore_backup'),
  restoreDamaged: () => call('restore_damaged'),
  operationLog: (query) => call('operation_log', { query }),
  exportLog: (query) => call('export_log', { query }),

  listSessions: () => call('list_sessions'),
  createSession: (input) => call('create_session', { input }),
  updateSession: (id, input) => call('update_session', { id, input }),
};
