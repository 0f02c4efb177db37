// 设置: the sessions (届次) items come from, the category lists of each kind, the way to
// the reply templates, and where the data lives.

import { api } from '../api.js';
import { el, select, toast, showFieldErrors } from '../dom.js';
import { appInfo } from '../main.js';
import { deadlineCards, defaultYear } from './deadline-settings.js';

const KINDS = ['建议', '提案'];
const LEVELS = ['全国', '省', '州', '县'];

/** The year whose deadlines the screen shows; kept while the program runs. */
let deadlineYear = null;

export async function render(container) {
  const [sessions, categories] = await Promise.all([api.listSessions(), api.listCategories()]);
  deadlineYear = deadlineYear || defaultYear();
  const again = async (message) => {
    toast(message);
    container.replaceChildren();
    await render(container);
  };
  const years = [...new Set([defaultYear(), ...sessions.map((s) => s.year)])].sort((a, b) => b - a);
  const yearSelect = select({ testid: 'deadline-year' }, years.map((y) => [y, `${y}年`]), deadlineYear);
  yearSelect.addEventListener('change', async () => {
    deadlineYear = Number(yearSelect.value);
    container.replaceChildren();
    await render(container);
  });
  container.append(
    el('header', { class: 'screen-head' }, [
      el('h1', { text: '设置' }),
      el('a', { class: 'button', href: '#/templates', text: '答复模板', testid: 'go-templates' }),
      el('div', { class: 'spacer' }),
      el('label', { class: 'check' }, ['办理时限年度', yearSelect]),
    ]),
    ...(await deadlineCards(deadlineYear, again)),
    sessionsCard(sessions, again),
    el('div', { class: 'two-columns' }, KINDS.map((kind) => categoriesCard(kind, categories.filter((c) => c.kind === kind), again))),
    el('section', { class: 'card' }, [
      el('h2', { text: '数据位置' }),
      el('p', { testid: 'data-dir' }, ['台账数据保存在：', el('code', { text: appInfo.data_dir })]),
      el('p', { class: 'muted', text: `程序版本 ${appInfo.version}，数据结构版本 ${appInfo.schema_version}。` }),
    ]),
  );
}

function sessionsCard(sessions, again) {
  let editingId = null;
  const inputs = {
    kind: select({ testid: 'session-kind' }, KINDS.map((k) => [k, k === '建议' ? '建议（人大）' : '提案（政协）']), '建议'),
    level: select({ testid: 'session-level' }, LEVELS.map((l) => [l, l]), '县'),
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
        el('td', { text: `${s.level}${s.kind === '建议' ? '人大建议' : '政协提案'}` }),
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
      [input, el('button', { type: 'submit', class: 'small primary', text: '保存' })]);
    list.querySelector(`[data-category="${category.id}"]`).replaceChildren(row);
    input.focus();
  };
  const list = el('ul', { class: 'category-list', testid: `categories-${kind}` }, categories.map((c) => el('li', { class: c.active ? '' : 'retired', 'data-category': String(c.id) }, [
    el('span', { class: 'grow', text: c.active ? c.name : `${c.name}（已停用）` }),
    el('span', { class: 'muted', text: `${c.item_count} 件` }),
    el('button', { type: 'button', class: 'small', text: '改名', on: { click: () => rename(c) } }),
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
