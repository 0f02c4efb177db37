// 成批登记办理结果: one session's items in a grid, one row per item, where the clerk types or
// pastes 答复日期, 文号, 办理结果, the two ratings and 沟通方式 as in a spreadsheet (Tab, Enter
// and the arrow keys move; a block copied from Excel or WPS fills the cells from where it is
// pasted). Each row is checked in Rust as it is typed, with the reason at the row's end; a
// save records every valid row at once and keeps the invalid ones on the screen.

import { api } from '../api.js';
import { el, newestOnly, select, toast, showError } from '../dom.js';
import { sessionLabel } from '../choices.js';

/** The grid's columns: [field, header, the header in full]. */
const FIELDS = [
  ['replied_on', '答复日期', '答复日期'], ['doc_number', '答复文号', '答复文号'], ['class', '办理结果', '办理结果（A、B、C）'],
  ['work', '工作评价', '对办理工作的评价'], ['result', '结果评价', '对办理结果的评价'], ['channel', '沟通方式', '沟通方式'],
];

/** The session last shown; kept while the program runs. */
let chosenSession = '';

export async function render(container) {
  const sessions = await api.listSessions();
  const session = select({ testid: 'results-session' }, [['', '请选择届次'], ...sessions.map((s) => [s.id, sessionLabel(s)])], chosenSession);
  const body = el('div', { testid: 'results-body' });
  session.addEventListener('change', () => {
    chosenSession = session.value;
    load(body);
  });
  container.append(
    el('header', { class: 'screen-head' }, [
      el('a', { class: 'button', href: '#/ledger', text: '返回台账' }),
      el('h1', { text: '成批登记办理结果' }),
      el('label', { class: 'check' }, ['届次', session]),
    ]),
    el('p', { class: 'muted', text: '每件一行，像在 Excel 中一样填写：Tab 到下一格，回车到下一行，方向键上下左右移动；也可以从 Excel 或 WPS 复制一块单元格，'
      + '在要开始的格子里粘贴。办理结果填 A、B 或 C，评价填 满意、基本满意 或 不满意，沟通方式填 面商、电话、书面 或 未联系。'
      + '填写时逐行检查，问题写在行末；保存时没有问题的行一次记入台账，有问题的行留在表中。' }),
    body,
  );
  if (chosenSession) await load(body);
}

async function load(body, kept = new Map()) {
  if (!chosenSession) {
    body.replaceChildren();
    return;
  }
  const rows = await api.resultRows(Number(chosenSession));
  body.replaceChildren(...grid(rows, kept, body));
}

/**
 * The grid of `rows`; `kept` holds rows typed but not saved (item id → {input, problems}),
 * shown again as the clerk left them.
 */
function grid(rows, kept, body) {
  if (rows.length === 0) return [el('p', { class: 'muted', testid: 'results-empty', text: '这个届次没有本县主办的件。' })];
  const dirty = new Set();
  const lines = rows.map((row, r) => {
    const inputs = FIELDS.map(([field, , header], c) => el('input', {
      value: row[field] || '', testid: `cell-${field}`, class: 'cell', attrs: { 'aria-label': `${row.number}号 ${header}`, 'data-row': r, 'data-col': c },
    }));
    const reasons = el('td', { class: 'reasons', testid: 'row-problems' });
    const tr = el('tr', { testid: 'result-row', 'data-item': String(row.item_id) }, [
      el('td', { class: 'c-number', text: row.number }),
      el('td', { class: 'c-title', text: row.title, title: row.title }),
      el('td', { class: 'c-proposer', text: row.proposer }),
      ...inputs.map((input, c) => el('td', { class: `c-cell c-${FIELDS[c][0]}` }, input)),
      reasons,
    ]);
    return { row, inputs, reasons, tr, turn: newestOnly() };
  });
  const input = (line) => ({ item_id: line.row.item_id, ...Object.fromEntries(FIELDS.map(([field], c) => [field, line.inputs[c].value])) });
  const show = (line, problems) => {
    line.inputs.forEach((cell, c) => {
      const mine = problems.filter((p) => p.field === FIELDS[c][0]);
      cell.classList.toggle('invalid', mine.length > 0);
      cell.title = mine.map((p) => p.message).join('；');
    });
    line.reasons.textContent = problems.map((p) => p.message).join(' ');
  };
  const check = async (changed) => {
    const turns = changed.map((line) => line.turn());
    try {
      const problems = await api.checkResults(changed.map(input));
      changed.forEach((line, i) => { if (turns[i]()) show(line, problems.filter((p) => p.item_id === line.row.item_id)); });
    } catch (error) {
      showError(error);
    }
  };
  const timers = new Map();
  const typed = (line) => {
    dirty.add(line);
    saveButton.textContent = `保存（${dirty.size} 行有改动）`;
    clearTimeout(timers.get(line));
    timers.set(line, setTimeout(() => check([line]), 250));
  };
  const focus = (r, c) => {
    const cell = lines[r]?.inputs[c];
    if (cell) {
      cell.focus();
      cell.select();
    }
  };
  for (const [r, line] of lines.entries()) {
    line.inputs.forEach((cell, c) => {
      cell.addEventListener('input', () => typed(line));
      cell.addEventListener('keydown', (event) => {
        const atStart = cell.selectionStart === 0 && cell.selectionEnd === 0;
        const atEnd = cell.selectionStart === cell.value.length;
        const move = {
          Enter: [event.shiftKey ? -1 : 1, 0], ArrowDown: [1, 0], ArrowUp: [-1, 0],
          ArrowLeft: atStart ? [0, -1] : null, ArrowRight: atEnd ? [0, 1] : null,
        }[event.key];
        if (!move) return;
        event.preventDefault();
        focus(r + move[0], c + move[1]);
      });
      // A block copied from a spreadsheet: rows by line, cells by tab, from this cell on.
      cell.addEventListener('paste', (event) => {
        const text = event.clipboardData?.getData('text/plain') ?? '';
        if (!/[\t\n]/.test(text.trimEnd())) return;
        event.preventDefault();
        const block = text.replace(/\r/g, '').replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
        const changed = [];
        block.forEach((cells, i) => {
          const target = lines[r + i];
          if (!target) return;
          cells.forEach((value, j) => { if (target.inputs[c + j]) target.inputs[c + j].value = value.trim(); });
          dirty.add(target);
          changed.push(target);
        });
        saveButton.textContent = `保存（${dirty.size} 行有改动）`;
        check(changed);
      });
    });
  }
  for (const line of lines) {
    const left = kept.get(line.row.item_id);
    if (!left) continue;
    FIELDS.forEach(([field], c) => { line.inputs[c].value = left.input[field]; });
    dirty.add(line);
    show(line, left.problems);
  }

  const saveButton = el('button', { type: 'button', class: 'primary', testid: 'results-save', text: dirty.size ? `保存（${dirty.size} 行有改动）` : '保存' });
  saveButton.addEventListener('click', async () => {
    if (dirty.size === 0) return toast('没有改动。');
    const changed = [...dirty];
    let outcome;
    try {
      outcome = await api.saveResults(changed.map(input));
    } catch (error) {
      return showError(error);
    }
    const left = new Map();
    for (const line of changed) {
      const problems = outcome.problems.filter((p) => p.item_id === line.row.item_id);
      if (problems.length) left.set(line.row.item_id, { input: input(line), problems });
    }
    const parts = [`已保存 ${outcome.saved} 件`, outcome.unchanged ? `${outcome.unchanged} 件没有改动` : '', left.size ? `${left.size} 行有问题，留在表中` : ''];
    toast(`${parts.filter(Boolean).join('，')}。`);
    await load(body, left);
  });

  return [
    el('div', { class: 'table-wrap' }, el('table', { class: 'grid results-grid', testid: 'results-grid' }, [
      el('thead', {}, el('tr', {}, [
        ...['编号', '标题', '领衔人'].map((h, i) => el('th', { text: h, class: ['c-number', 'c-title', 'c-proposer'][i] })),
        ...FIELDS.map(([field, short, full]) => el('th', { text: short, title: full, class: `c-cell c-${field}` })),
        el('th', { text: '问题', class: 'reasons' }),
      ])),
      el('tbody', {}, lines.map((line) => line.tr)),
    ])),
    el('div', { class: 'form-actions' }, [saveButton]),
  ];
}
