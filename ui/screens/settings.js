// 设置: data safety first (where the data and backups are, the last backup, backing up and
// restoring), then the deadlines, the sessions (届次) items come from, the category lists of
// each kind, and the way to the reply templates.

import { api } from '../api.js';
import { el, redraw, select, toast, showError, showFieldErrors, formatDate } from '../dom.js';
import { appInfo } from '../app.js';
import { streamLabel } from '../choices.js';
import { deadlineCards, defaultYear } from './deadline-settings.js';


/** The year whose deadlines the screen shows; kept while the program runs. */
let deadlineYear = null;

export async function render(container) {
  const [sessions, categories] = await Promise.all([api.listSessions(), api.listCategories()]);
  deadlineYear = deadlineYear || defaultYear();
  const again = async (message) => {
    toast(message);
    await redraw(container, render);
  };
  const years = [...new Set([defaultYear(), ...sessions.map((s) => s.year)])].sort((a, b) => b - a);
  const yearSelect = select({ testid: 'deadline-year' }, years.map((y) => [y, `${y}年`]), deadlineYear);
  yearSelect.addEventListener('change', async () => {
    deadlineYear = Number(yearSelect.value);
    await redraw(container, render);
  });
  container.append(
    el('header', { class: 'screen-head' }, [
      el('h1', { text: '设置' }),
      el('a', { class: 'button', href: '#/templates', text: '答复模板', testid: 'go-templates' }),
      el('div', { class: 'spacer' }),
      el('label', { class: 'check' }, ['办理时限年度', yearSelect]),
    ]),
    await safetyCard(again),
    await yearsCard(again),
    ...(await deadlineCards(deadlineYear, again)),
    sessionsCard(sessions, again),
    el('div', { class: 'two-columns' }, appInfo.vocabulary.kinds.map((kind) => categoriesCard(kind, categories.filter((c) => c.kind === kind), again))),
  );
}

/** 数据安全: where the data and the backups are, the last backup, backing up and restoring. */
async function safetyCard(again) {
  const status = await api.safetyStatus();
  const last = status.last;
  const run = (action) => async () => {
    try {
      const message = await action();
      if (message) await again(message);
    } catch (error) {
      showError(error);
    }
  };
  const confirmBox = el('div', { testid: 'restore-confirm', hidden: true });
  const chooseRestore = run(async () => {
    const candidate = await api.chooseRestoreFile();
    if (!candidate) return null;
    const check = candidate.check;
    confirmBox.replaceChildren(el('div', { class: 'notice' }, [
      el('div', { class: 'grow' }, [
        el('strong', { text: `要恢复的备份：${candidate.name}` }),
        el('p', { testid: 'restore-summary', text: `检查完好；数据结构版本 ${check.schema_version}；共 ${check.items} 件（${
          check.items_by_year.map(([year, count]) => `${year}年 ${count} 件`).join('，') || '无'}），承办单位 ${check.units} 个${
          check.last_change ? `；最后修改于 ${check.last_change}` : ''}。` }),
        el('p', { text: '恢复后，当前台账将被这个备份替换；替换前程序会先把当前台账备份到备份文件夹。' }),
      ]),
      el('button', { type: 'button', class: 'danger', text: '确认恢复', testid: 'restore-confirm-button', on: { click: run(async () => {
        const restored = await api.restoreBackup();
        return `已从备份恢复，共 ${restored.items} 件。恢复前的台账已备份。`;
      }) } }),
      el('button', { type: 'button', text: '取消', on: { click: () => { confirmBox.hidden = true; } } }),
    ]));
    confirmBox.hidden = false;
    confirmBox.scrollIntoView({ block: 'nearest' });
    return null;
  });
  return el('section', { class: 'card', testid: 'safety' }, [
    el('h2', { text: '数据安全' }),
    el('p', { testid: 'data-dir' }, ['台账数据保存在：', el('code', { text: status.data_file })]),
    el('p', { testid: 'backup-dir' }, ['自动备份保存在：', el('code', { text: status.backup_folder }),
      '（每天第一次打开程序时，以及导入、恢复、程序升级之前，都会自动备份；保留最近 7 天的全部备份、最近 30 天每天一份、最近 12 个月每月一份）']),
    el('p', { testid: 'last-backup', class: last && !last.check_ok ? 'field-error' : '', text: last
      ? `上次备份：${last.at}（${last.reason}），${last.items} 件，${last.check_ok ? '检查完好' : '完整性检查未通过，请立即再备份一次'}。文件：${last.path}`
      : '还没有备份过。' }),
    status.last_error ? el('p', { class: 'field-error', testid: 'backup-error', text: `上次自动备份失败：${status.last_error}` }) : null,
    el('div', { class: 'inline-fields' }, [
      el('button', { type: 'button', class: 'primary', text: '立即备份', testid: 'backup-now', on: { click: run(async () => {
        const record = await api.backupNow();
        return `已备份（${record.items} 件），检查${record.check_ok ? '完好' : '发现问题'}。`;
      }) } }),
      el('button', { type: 'button', text: '备份到U盘等位置…', testid: 'backup-to-file', on: { click: run(async () => {
        const record = await api.backupToFile();
        return record && `已备份到：${record.path}`;
      }) } }),
      el('button', { type: 'button', text: '更改备份文件夹…', testid: 'backup-folder', on: { click: run(async () => {
        const folder = await api.chooseBackupFolder();
        return folder && `以后的自动备份保存在：${folder}`;
      }) } }),
      el('button', { type: 'button', class: 'danger', text: '从备份恢复…', testid: 'restore', on: { click: chooseRestore } }),
    ]),
    confirmBox,
    el('p', { class: 'muted', text: `程序版本 ${appInfo.version}，数据结构版本 ${appInfo.schema_version}。` }),
  ]);
}

/**
 * 年度办理工作: each year's work still open, and closing a year (办理工作结束) so its
 * unfinished steps stop reminding, or opening it again. Closing asks once more, saying what
 * stops.
 */
async function yearsCard(again) {
  const years = await api.yearStates();
  const act = async (action, message) => {
    try {
      await action();
    } catch (error) {
      return showError(error);
    }
    await again(message);
  };
  const confirmRow = (y, close) => el('tr', { testid: 'year-confirm' }, el('td', { colSpan: 5 }, el('div', { class: 'notice' }, [
    el('p', { class: 'grow', text: `${y.year}年还有 ${y.open} 件有待办环节（其中未正式答复 ${y.unanswered} 件）。结束后，这些环节不再提醒、不算逾期，`
      + '仍在各件中列为“未登记”；B类件以后每年照常回头看，直到解决。可以随时重新打开。' }),
    el('button', { type: 'button', class: 'danger', text: `确认结束${y.year}年办理工作`, testid: 'year-close-confirm',
      on: { click: () => act(() => api.closeYear(y.year), `${y.year}年办理工作已结束。`) } }),
    el('button', { type: 'button', text: '取消', on: { click: close } }),
  ])));
  return el('section', { class: 'card', testid: 'years' }, [
    el('h2', { text: '年度办理工作' }),
    el('p', { class: 'muted', text: '往年的件办完（或补录完往年台账）后，结束该年度：未登记的环节不再出现在提醒、任务清单和逾期统计中，什么也不删除。' }),
    el('table', { class: 'grid compact', testid: 'year-table' }, [
      el('thead', {}, el('tr', {}, ['年度', '件数', '有待办环节', '状态', ''].map((h) => el('th', { text: h })))),
      el('tbody', {}, years.map((y) => {
        let confirm = null;
        const close = () => { confirm?.remove(); confirm = null; };
        const row = el('tr', { testid: 'year-row', 'data-year': String(y.year) }, [
          el('td', { text: `${y.year}年` }),
          el('td', { class: 'num', text: y.items }),
          el('td', { class: 'num', text: y.open }),
          el('td', { testid: 'year-state', text: y.closed_at ? `已结束（${formatDate(y.closed_at.slice(0, 10))}，${y.closed_by}）` : '办理中' }),
          el('td', { class: 'ops' }, y.closed_at
            ? el('button', { type: 'button', class: 'small', text: '重新打开', testid: 'year-reopen',
              on: { click: () => act(() => api.reopenYear(y.year), `${y.year}年已重新打开，未登记的环节重新提醒。`) } })
            : el('button', { type: 'button', class: 'small', text: '结束办理工作', testid: 'year-close',
              on: { click: () => { if (!confirm) { confirm = confirmRow(y, close); row.after(confirm); } } } })),
        ]);
        return row;
      })),
    ]),
  ]);
}

function sessionsCard(sessions, again) {
  let editingId = null;
  const inputs = {
    kind: select({ testid: 'session-kind' }, appInfo.vocabulary.kinds.map((k) => [k, k === '建议' ? '建议（人大）' : '提案（政协）']), '建议'),
    level: select({ testid: 'session-level' }, appInfo.vocabulary.levels.map((l) => [l, l]), '县'),
    year: el('input', { testid: 'session-year', class: 'short', value: String(new Date().getFullYear()) }),
    name: el('input', { testid: 'session-name', class: 'wide', placeholder: '如 州十六届人大二次会议' }),
  };
  const errors = el('div', { class: 'error-summary', hidden: true, testid: 'session-errors', attrs: { role: 'alert' } });
  const save = el('button', { type: 'submit', class: 'primary', text: '添加届次', testid: 'session-save' });
  const submit = async (event) => {
    event.preventDefault();
    const input = Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.value]));
    try {
      if (editingId) await api.updateSession(editingId, input);
      else await api.createSession(input);
    } catch (error) {
      return showFieldErrors(error, inputs, errors);
    }
    await again(editingId ? '届次已修改。' : `已添加届次“${input.name.trim()}”。`);
  };
  const edit = (session) => {
    editingId = session.id;
    for (const key of Object.keys(inputs)) inputs[key].value = String(session[key]);
    save.textContent = '保存修改';
    inputs.name.focus();
  };
  return el('section', { class: 'card' }, [
    el('h2', { text: '届次' }),
    el('p', { class: 'muted', text: '每件建议或提案都属于一个届次；类型和层级决定它是“州人大建议”还是“县政协提案”。' }),
    el('form', { class: 'inline-fields', testid: 'session-form', on: { submit } }, [
      el('label', {}, ['类型', inputs.kind]), el('label', {}, ['层级', inputs.level]),
      el('label', {}, ['年份', inputs.year]), el('label', {}, ['届次名称', inputs.name]), save,
    ]),
    errors,
    el('table', { class: 'grid compact', testid: 'session-table' }, [
      el('thead', {}, el('tr', {}, ['年份', '类型', '届次名称', '件数', ''].map((h) => el('th', { text: h })))),
      el('tbody', {}, sessions.map((s) => el('tr', { testid: 'session-row' }, [
        el('td', { text: `${s.year}年` }),
        el('td', { text: streamLabel(s.level, s.kind) }),
        el('td', { text: s.name }),
        el('td', { class: 'num', text: s.item_count }),
        el('td', { class: 'ops' }, el('button', { type: 'button', class: 'small', text: '修改', on: { click: () => edit(s) } })),
      ]))),
    ]),
  ]);
}

function categoriesCard(kind, categories, again) {
  const name = el('input', { testid: `category-new-${kind}`, placeholder: '新类别名称' });
  const errors = el('div', { class: 'error-summary', hidden: true, attrs: { role: 'alert' } });
  const run = async (action, message) => {
    try {
      await action();
    } catch (error) {
      return showFieldErrors(error, { name }, errors);
    }
    await again(message);
  };
  const rename = (category) => {
    const input = el('input', { value: category.name, testid: 'category-rename-input' });
    const row = el('form', { class: 'inline-fields', on: { submit: (e) => { e.preventDefault(); run(() => api.renameCategory(category.id, input.value), '类别已改名。'); } } },
      [input, el('button', { type: 'submit', class: 'small primary', text: '保存', testid: 'category-rename-save' })]);
    list.querySelector(`[data-category="${category.id}"]`).replaceChildren(row);
    input.focus();
  };
  const list = el('ul', { class: 'category-list', testid: `categories-${kind}` }, categories.map((c) => el('li', { class: c.active ? '' : 'retired', 'data-category': String(c.id), testid: 'category-row' }, [
    el('span', { class: 'grow', text: c.active ? c.name : `${c.name}（已停用）` }),
    el('span', { class: 'muted', text: `${c.item_count} 件` }),
    el('button', { type: 'button', class: 'small', text: '改名', testid: 'category-rename', on: { click: () => rename(c) } }),
    el('button', { type: 'button', class: 'small', text: c.active ? '停用' : '启用',
      on: { click: () => run(() => api.setCategoryActive(c.id, !c.active), c.active ? `已停用“${c.name}”。` : `已启用“${c.name}”。`) } }),
  ])));
  return el('section', { class: 'card' }, [
    el('h2', { text: `${kind}类别` }),
    list,
    el('form', { class: 'inline-fields', on: { submit: (e) => { e.preventDefault(); run(() => api.createCategory(kind, name.value), `已添加类别“${name.value.trim()}”。`); } } },
      [name, el('button', { type: 'submit', class: 'small', text: '添加类别', testid: `category-add-${kind}` })]),
    errors,
  ]);
}
