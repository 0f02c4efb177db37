// 操作日志: every change to the ledger, newest first: when, who, what, and each field's old
// and new value. Filtered by kind, dates and words (#/log), or one item's history
// (#/log/<item id>, also shown on the item's page); exported whole to Excel.

import { api } from '../api.js';
import { el, redraw, select, reportSaved } from '../dom.js';
import { appInfo } from '../app.js';


/** The filters chosen, kept while the program runs. */
const chosen = { kind: '', from: '', to: '', text: '' };

/** One change as it reads: 类别：医疗卫生 → 社会建设. */
function changeLine(change) {
  const shown = (value) => (value === '' ? '（空）' : value);
  return el('div', { class: 'change', text: `${change.field}：${shown(change.old)} → ${shown(change.new)}` });
}

/** A table of log entries; `withTarget` adds the column naming what was changed. */
export function logTable(entries, withTarget, testid = 'log-table') {
  const headers = ['时间', '用户', '类别', '操作', ...(withTarget ? ['对象'] : []), '改动（原值 → 新值）'];
  return el('table', { class: 'grid log', testid }, [
    el('thead', {}, el('tr', {}, headers.map((h, i) => el('th', { text: h, class: ['c-time', 'c-user', 'c-kind', 'c-action', withTarget ? 'c-target' : '', ''][i] })))),
    el('tbody', {}, entries.length === 0
      ? el('tr', {}, el('td', { colSpan: headers.length, class: 'empty', text: '没有符合条件的记录。' }))
      : entries.map((e) => el('tr', { testid: 'log-row' }, [
        el('td', { text: e.at }),
        el('td', { text: e.user }),
        el('td', { text: e.kind }),
        el('td', { text: e.action }),
        ...(withTarget ? [el('td', { class: 'wrap' }, e.item_id ? el('a', { href: `#/item/${e.item_id}`, text: e.target }) : e.target)] : []),
        el('td', { class: 'wrap' }, e.changes.map(changeLine)),
      ]))),
  ]);
}

export async function render(container, { id }) {
  const query = { ...chosen, item_id: id };
  const entries = await api.operationLog(query);
  const inputs = {
    kind: select({ testid: 'log-kind', attrs: { 'aria-label': '类别' } }, [['', '全部类别'], ...appInfo.vocabulary.log_kinds.map((k) => [k, k])], chosen.kind),
    from: el('input', { testid: 'log-from', class: 'short', value: chosen.from, placeholder: '从 2025-04-01' }),
    to: el('input', { testid: 'log-to', class: 'short', value: chosen.to, placeholder: '到 2025-04-30' }),
    text: el('input', { type: 'search', testid: 'log-text', value: chosen.text, placeholder: '搜索：标题、单位、字段或内容' }),
  };
  const apply = async () => {
    Object.entries(inputs).forEach(([name, input]) => { chosen[name] = input.value; });
    await redraw(container, render, { id });
  };
  inputs.kind.addEventListener('change', apply);
  for (const input of [inputs.from, inputs.to, inputs.text]) {
    input.addEventListener('keydown', (event) => { if (event.key === 'Enter') apply(); });
  }
  container.append(
    el('header', { class: 'screen-head' }, [
      el('h1', { text: id ? '本件的修改记录' : '操作日志' }),
      el('span', { class: 'count', testid: 'log-count', text: entries.length >= 500 ? '显示最近 500 条（导出包含全部）' : `${entries.length} 条` }),
      el('div', { class: 'spacer' }),
      id ? el('a', { class: 'button', href: `#/item/${id}`, text: '返回本件' }) : null,
      el('button', { type: 'button', text: '导出Excel', testid: 'export-log', on: { click: () => reportSaved(api.exportLog(query)) } }),
    ]),
    el('div', { class: 'filters' }, [
      inputs.kind, inputs.from, inputs.to, inputs.text,
      el('button', { type: 'button', class: 'primary', text: '查询', testid: 'log-apply', on: { click: apply } }),
      el('button', { type: 'button', text: '清除条件', testid: 'log-clear', on: { click: () => {
        Object.values(inputs).forEach((input) => { input.value = ''; });
        apply();
      } } }),
    ]),
    el('p', { class: 'muted small', text: '每一次修改都在同一事务中记入日志，日志只能追加，不能修改或删除。' }),
    el('div', { class: 'table-wrap' }, logTable(entries, !id)),
  );
}
