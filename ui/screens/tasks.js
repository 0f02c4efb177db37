// 承办单位任务清单: one unit's open items, most urgent first, with the step it owes and by
// when. Printed on A4 as a 督办/催办 notice (office, date, table, a line for the unit's
// receipt), or saved as .xlsx through the native dialog.

import { api } from '../api.js';
import { el, formatDate, reportSaved } from '../dom.js';
import { printView } from '../print.js';

export async function render(container, { id }) {
  const [tasks, office] = await Promise.all([api.unitTasks(id), api.officeName()]);
  const exportButton = el('button', { type: 'button', text: '导出Excel', testid: 'export-tasks', on: { click: () => reportSaved(api.exportUnitTasks(id)) } });
  container.append(
    el('header', { class: 'screen-head no-print' }, [
      el('a', { class: 'button', href: '#/units', text: '返回承办单位' }),
      el('div', { class: 'spacer' }),
      el('button', { type: 'button', class: 'primary', text: '打印催办通知', testid: 'print-tasks', on: { click: () => printView() } }),
      exportButton,
    ]),
    el('article', { class: 'notice-sheet', testid: 'task-sheet' }, [
      el('h1', { class: 'sheet-title', testid: 'task-title', text: `关于抓紧办理建议提案的督办通知` }),
      el('p', { class: 'sheet-to', text: `${tasks.unit_name}：` }),
      el('p', { class: 'sheet-body', text: `截至${formatDate(tasks.today)}，贵单位承办的建议、提案中尚有 ${tasks.rows.length} 件未办结`
        + `（已办结 ${tasks.done} 件）。请对照下表，抓紧办理，按时限报送；已逾期的请即办理并说明原因。` }),
      el('table', { class: 'grid sheet-table', testid: 'task-table' }, [
        el('thead', {}, el('tr', {}, ['序号', '类型', '编号', '标题', '本单位', '当前状态', '待办环节', '办理时限', '剩余', '承办人', '电话']
          .map((h, i) => el('th', { text: h, class: ['c-seq', 'c-stream', 'c-num', '', 'c-role', 'c-status', 'c-step', 'c-date', 'c-days', 'c-handler', 'c-phone'][i] })))),
        el('tbody', {}, tasks.rows.length === 0
          ? el('tr', {}, el('td', { colSpan: 11, class: 'empty', text: '没有未办结的件。' }))
          : tasks.rows.map((r, i) => el('tr', { testid: 'task-row', class: r.next.days_left < 0 ? 'late' : '' }, [
            el('td', { text: String(i + 1) }),
            el('td', { text: `${r.year}年${r.stream}` }),
            el('td', { text: r.number }),
            el('td', { class: 'wrap', text: r.title }),
            el('td', { text: r.role }),
            el('td', { class: 'wrap', text: r.status }),
            el('td', { text: r.next.label }),
            el('td', { text: r.next.due_on ? formatDate(r.next.due_on) : '无时限' }),
            el('td', { text: r.next.due_on ? r.next.days_text : '' }),
            el('td', { text: r.handler }),
            el('td', { text: r.phone }),
          ]))),
      ]),
      el('div', { class: 'sheet-sign' }, [
        el('p', { text: office }),
        el('p', { text: formatDate(tasks.today) }),
      ]),
      el('div', { class: 'sheet-receipt', text: '签收单位（盖章）：____________________　签收人：__________　签收日期：______年____月____日' }),
    ]),
  );
}
