// 提醒: what is overdue, due today, within 3 and within 7 days, per step and per unit,
// overdue first. A reminder goes away only when its step is recorded; the clerk may put
// one off with a reason, and it stays listed, with the reason, under 已暂缓.

import { api } from '../api.js';
import { el, redraw, formatDate, toast, showFieldErrors, fillPager } from '../dom.js';
import { appInfo, refreshBadge } from '../app.js';

/** The test ids of the board's sections (their headings come from the vocabulary). */
const TESTIDS = { overdue: 'group-overdue', due_today: 'group-today', within_3: 'group-3', within_7: 'group-7', snoozed: 'group-snoozed' };

export async function render(container) {
  const board = await api.reminders();
  const total = board.overdue.total + board.due_today.total + board.within_3.total + board.within_7.total;
  container.append(
    el('header', { class: 'screen-head' }, [
      el('h1', { text: '提醒' }),
      el('span', { class: 'count', testid: 'reminder-total', text: `今天是${formatDate(appInfo.today)}，需要关注 ${total} 项` }),
    ]),
  );
  if (total === 0 && board.snoozed.total === 0) {
    container.append(el('div', { class: 'notice', testid: 'no-reminders', text: '没有逾期或7天内到期的办理环节。' }));
    return;
  }
  for (const [key, label] of appInfo.vocabulary.board_sections) {
    const testid = TESTIDS[key];
    if (board[key].total === 0) continue;
    // A long part comes a page at a time, most urgent first.
    const tbody = el('tbody');
    const pager = el('div', { class: 'pager' });
    const show = (page) => {
      tbody.replaceChildren(...page.rows.map((r) => reminderRow(r, container)));
      fillPager(pager, page, async (offset) => show(await api.reminderPage(key, offset)), '项');
    };
    show(board[key]);
    container.append(el('section', { class: `card reminders ${key}`, testid }, [
      el('h2', { text: `${label}（${board[key].total}）` }),
      el('table', { class: 'grid' }, [
        el('thead', {}, el('tr', {}, [
          el('th', { class: 'c-date', text: '时限' }), el('th', { class: 'c-days', text: '' }), el('th', { class: 'c-step', text: '环节' }),
          el('th', { class: 'c-unit', text: '承办单位' }), el('th', { class: 'c-ref', text: '编号' }), el('th', { text: '标题' }),
          el('th', { class: 'c-ops', text: '' }),
        ])),
        tbody,
      ]),
      pager,
    ]));
  }
}

function reminderRow(r, container) {
  const row = el('tr', { testid: 'reminder-row', class: r.days_left < 0 ? 'late' : '' }, [
    el('td', { text: formatDate(r.due_on) }),
    el('td', { class: 'days', text: r.days_text }),
    el('td', { text: r.label }),
    el('td', { text: r.unit_name || '本办（初审、审定）' }),
    el('td', { text: `${r.stream}${r.number}号` }),
    el('td', {}, [
      el('a', { href: `#/item/${r.item_id}`, text: r.title, testid: 'reminder-link' }),
      r.snooze_note ? el('div', { class: 'snooze-note', text: `暂缓至${formatDate(r.snoozed_until)}：${r.snooze_note}` }) : null,
    ]),
    el('td', { class: 'ops' }, r.snoozed_until ? null : el('button', { type: 'button', class: 'small', text: '暂缓', testid: 'snooze',
      on: { click: () => row.after(snoozeForm(r, container)) } })),
  ]);
  return row;
}

function snoozeForm(r, container) {
  const until = el('input', { testid: 'snooze-until', placeholder: '暂缓到，如 2025-04-10', class: 'short' });
  const note = el('input', { testid: 'snooze-note', placeholder: '原因（必填），如 单位已电话说明，4月10日前报送', class: 'wide' });
  const errors = el('div', { class: 'field-error', testid: 'snooze-errors' });
  const save = async () => {
    try {
      await api.snooze({ item_id: r.item_id, step: r.step, unit_id: r.unit_id, until: until.value, note: note.value });
    } catch (error) {
      showFieldErrors(error, { until, note }, errors);
      return;
    }
    toast('已暂缓，这条提醒仍列在“已暂缓”中，到期自动恢复。');
    await redraw(container, render);
    await refreshBadge();
  };
  return el('tr', { class: 'snooze-form' }, el('td', { colSpan: 7 }, el('div', { class: 'inline-fields' }, [
    el('label', {}, ['暂缓到', until]), el('label', {}, ['原因', note]),
    el('button', { type: 'button', class: 'primary small', text: '确定暂缓', testid: 'snooze-save', on: { click: save } }),
    errors,
  ])));
}
