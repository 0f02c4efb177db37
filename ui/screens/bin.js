// 回收站: items the clerk deleted. They stay here, whole, until restored; nothing is erased.

import { api } from '../api.js';
import { el, redraw, formatDate, toast, showError } from '../dom.js';

export async function render(container) {
  const page = await api.listItems({ deleted: true });
  const rows = page.rows;
  const restore = async (row) => {
    try {
      await api.restoreItem(row.id);
    } catch (error) {
      return showError(error);
    }
    toast(`已恢复第${row.number}号${row.kind}《${row.title}》。`);
    await redraw(container, render);
  };
  container.append(
    el('header', { class: 'screen-head' }, [el('h1', { text: '回收站' }), el('span', { class: 'count', testid: 'bin-count', text: page.total > rows.length ? `共 ${page.total} 件（列出前 ${rows.length} 件）` : `共 ${rows.length} 件` })]),
    el('p', { class: 'muted', text: '删除的建议和提案保存在这里，不会被自动清除；恢复后回到台账，所有内容不变。' }),
    el('div', { class: 'table-wrap' }, el('table', { class: 'grid', testid: 'bin-table' }, [
      el('thead', {}, el('tr', {}, [
        el('th', { class: 'c-number', text: '编号' }), el('th', { class: 'c-stream', text: '类型' }), el('th', { text: '标题' }),
        el('th', { class: 'c-proposer', text: '领衔人' }), el('th', { class: 'c-date', text: '交办日期' }),
        el('th', { class: 'c-deleted', text: '删除时间' }), el('th', { class: 'c-ops', text: '操作' }),
      ])),
      el('tbody', {}, rows.length === 0
        ? el('tr', {}, el('td', { colSpan: 7, class: 'empty', text: '回收站是空的。' }))
        : rows.map((row) => el('tr', { testid: 'bin-row' }, [
          el('td', { text: row.number }),
          el('td', { text: row.stream }),
          el('td', {}, el('a', { href: `#/item/${row.id}`, text: row.title, testid: 'bin-title' })),
          el('td', { text: row.proposer_label }),
          el('td', { text: formatDate(row.assigned_on) }),
          el('td', { text: row.deleted_at }),
          el('td', {}, el('button', { type: 'button', class: 'small primary', text: '恢复', testid: 'bin-restore', on: { click: () => restore(row) } })),
        ]))),
    ])),
  );
}
