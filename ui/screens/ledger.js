// 台账: the item list with its filters, search and sort. The filters survive a visit to an
// item and back, as a clerk expects when working down a list.

import { api } from '../api.js';
import { el, redraw, newestOnly, select, formatDate, fillPager } from '../dom.js';
import { appInfo } from '../app.js';


/** The clerk's current filters; kept for the whole run of the program. */
const filters = { year: '', stream: '', category_id: '', unit_id: '', key_only: false, text: '', sort: 'default', descending: false };

const COLUMNS = [
  { key: 'number', label: '编号', sort: 'number', class: 'c-number' },
  { key: 'stream', label: '类型', class: 'c-stream' },
  { key: 'county_role', label: '本县', class: 'c-role' },
  { key: 'title', label: '标题', sort: 'title', class: 'c-title' },
  { key: 'proposer_label', label: '领衔人', sort: 'proposer', class: 'c-proposer' },
  { key: 'category', label: '类别', sort: 'category', class: 'c-category' },
  { key: 'lead_unit', label: '主办单位', sort: 'lead_unit', class: 'c-unit' },
  { key: 'assigned_on', label: '交办日期', sort: 'assigned_on', class: 'c-date' },
  { key: 'is_key', label: '重点', class: 'c-key' },
];

function query() {
  const stream = filters.stream === '' ? null : appInfo.vocabulary.streams[Number(filters.stream)];
  return {
    year: filters.year ? Number(filters.year) : null,
    kind: stream ? stream.kind : null,
    level: stream ? stream.level : null,
    category_id: filters.category_id ? Number(filters.category_id) : null,
    unit_id: filters.unit_id ? Number(filters.unit_id) : null,
    key_only: filters.key_only,
    text: filters.text,
    sort: filters.sort,
    descending: filters.descending,
  };
}

export async function render(container) {
  const [years, sessions, categories, units, collisions] = await Promise.all([
    api.listYears(), api.listSessions(), api.listCategories(), api.listUnits(), api.numberCollisions(),
  ]);
  // A stream is chosen by its place in the vocabulary's list.
  const streams = appInfo.vocabulary.streams
    .map((w, index) => [String(index), w])
    .filter(([, w]) => sessions.some((s) => s.level === w.level && s.kind === w.kind))
    .map(([index, w]) => [index, w.label]);

  const count = el('span', { class: 'count', testid: 'item-count' });
  const tbody = el('tbody', { testid: 'item-rows' });
  const head = el('tr');
  const table = el('table', { class: 'grid items', testid: 'item-table' }, [el('thead', {}, head), tbody]);

  // The list comes a page at a time (a decade of items is never drawn whole); a change of
  // filters or sort starts again at the first page.
  const pager = el('div', { class: 'pager', testid: 'pager' });
  const turn = newestOnly();
  const show = async (from) => {
    const current = turn();
    const page = await api.listItems(query(), from);
    if (!current()) return; // the clerk has changed the filters since: a newer list is coming
    const rows = page.rows;
    count.textContent = `共 ${page.total} 件`;
    renderHead(head, refresh);
    tbody.replaceChildren(...rows.map(itemRow));
    fillPager(pager, page, show, '件');
    if (rows.length === 0) {
      tbody.append(el('tr', {}, el('td', { class: 'empty', colSpan: COLUMNS.length, testid: 'empty-list',
        text: sessions.length === 0 ? '台账中还没有届次。请先到「设置」添加届次，再到「登记」登记建议或提案。' : '没有符合条件的建议或提案。' })));
    }
  };

  const refresh = () => show(0);

  const bind = (node, key, event = 'change') => {
    node.addEventListener(event, () => {
      filters[key] = node.type === 'checkbox' ? node.checked : node.value;
      refresh();
    });
    return node;
  };
  const search = bind(el('input', { type: 'search', value: filters.text, placeholder: '搜索标题、提出人、编号',
    testid: 'filter-text', attrs: { 'aria-label': '搜索' } }), 'text', 'input');
  const controls = [
    bind(select({ testid: 'filter-year', attrs: { 'aria-label': '年度' } },
      [['', '全部年度'], ...years.map((y) => [y, `${y}年`])], filters.year), 'year'),
    bind(select({ testid: 'filter-stream', attrs: { 'aria-label': '类型' } }, [['', '全部类型'], ...streams], filters.stream), 'stream'),
    bind(select({ testid: 'filter-category', attrs: { 'aria-label': '类别' } }, [['', '全部类别'],
      ...appInfo.vocabulary.kinds.map((kind) => ({ group: `${kind}类别`, options: categories.filter((c) => c.kind === kind).map((c) => [c.id, c.name]) }))],
    filters.category_id), 'category_id'),
    bind(select({ testid: 'filter-unit', class: 'wide', attrs: { 'aria-label': '承办单位' } },
      [['', '全部承办单位'], ...units.map((u) => [u.id, u.active ? u.name : `${u.name}（已停用）`])], filters.unit_id), 'unit_id'),
    el('label', { class: 'check' }, [bind(el('input', { type: 'checkbox', checked: filters.key_only, testid: 'filter-key' }), 'key_only'), '只看重点']),
    search,
  ];
  const clear = el('button', { type: 'button', text: '清除条件', testid: 'filter-clear', on: { click: () => {
    Object.assign(filters, { year: '', stream: '', category_id: '', unit_id: '', key_only: false, text: '' });
    redraw(container, render);
  } } });

  // The notice is null without collisions: left out, as DOM append would write it as "null".
  container.append(...[
    el('header', { class: 'screen-head' }, [
      el('h1', { text: '台账' }),
      count,
      el('a', { class: 'button primary', href: '#/intake', text: '登记新件', testid: 'new-item' }),
      el('a', { class: 'button', href: '#/results', text: '成批登记结果', testid: 'go-results' }),
      el('a', { class: 'button', href: '#/export', text: '导出表格', testid: 'go-export' }),
    ]),
    collisionNotice(collisions),
    el('div', { class: 'filters' }, [...controls, clear]),
    el('div', { class: 'table-wrap' }, table),
    pager,
  ].filter(Boolean));
  await refresh();
  if (filters.text) search.focus();
}

/**
 * Numbers an older ledger holds twice, typed two ways (1 and 001): both items were kept when
 * the ledger was brought to the rule that they are one number; the clerk decides which is
 * right (changes a number, or deletes the item entered twice).
 */
function collisionNotice(collisions) {
  if (collisions.length === 0) return null;
  return el('section', { class: 'notice stacked', testid: 'number-collisions' }, [
    el('strong', { text: `有 ${collisions.length} 处编号重复：同一届次中写法不同的同一个编号（如 1 和 001）现在算作同一个编号，两件都保留了，请逐一核对，修改编号或删除重复登记的一件。` }),
    el('ul', {}, collisions.map((c) => el('li', { testid: 'number-collision' }, [
      `${c.session}：`,
      ...c.items.flatMap((item, i) => [i ? '、' : '', el('a', { href: `#/item/${item.id}`, text: `第${item.number}号《${item.title}》` })]),
    ]))),
  ]);
}

function renderHead(head, refresh) {
  head.replaceChildren(...COLUMNS.map((column) => {
    if (!column.sort) return el('th', { class: column.class, text: column.label });
    const active = filters.sort === column.sort;
    const mark = active ? (filters.descending ? ' ▼' : ' ▲') : '';
    return el('th', { class: column.class, attrs: { 'aria-sort': active ? (filters.descending ? 'descending' : 'ascending') : 'none' } },
      el('button', { type: 'button', class: 'sort', text: column.label + mark, testid: `sort-${column.sort}`, on: { click: () => {
        filters.descending = active ? !filters.descending : false;
        filters.sort = column.sort;
        refresh();
      } } }));
  }));
}

function itemRow(row) {
  const cells = {
    number: row.number,
    stream: row.stream,
    county_role: row.county_role,
    title: el('a', { href: `#/item/${row.id}`, text: row.title, testid: 'item-link', title: row.title }),
    proposer_label: row.proposer_label,
    category: row.category || '',
    lead_unit: row.lead_unit || (row.county_role === '参考' ? '—' : ''),
    assigned_on: formatDate(row.assigned_on),
    is_key: row.is_key ? '重点' : '',
  };
  return el('tr', { testid: 'item-row', attrs: { 'data-id': row.id },
    on: { click: (event) => { if (event.target.tagName !== 'A') location.hash = `#/item/${row.id}`; } } },
  COLUMNS.map((c) => el('td', { class: c.class, title: typeof cells[c.key] === 'string' ? cells[c.key] : undefined }, cells[c.key])));
}
