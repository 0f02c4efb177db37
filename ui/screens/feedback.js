// 收回办理情况反馈表: the clerk opens the files the units sent back (one or many, through the
// native dialog in Rust), sees per file and row what would be recorded, every problem with
// file, row, column and reason, and each value that differs from the ledger, which she
// takes from the file or keeps; then takes them back: all in one transaction.

import { api } from '../api.js';
import { el, fill, toast, showError } from '../dom.js';

export async function render(container) {
  const accepted = new Set();
  const result = el('div', { testid: 'feedback-result' });
  const options = () => ({ accepted: [...accepted] });
  const show = (preview) => fill(result, previewNodes(preview, accepted, refresh, takeBack));
  async function refresh() {
    try {
      show(await api.previewReturned(options()));
    } catch (error) {
      showError(error);
    }
  }
  async function takeBack() {
    try {
      const done = await api.takeBack(options());
      toast(`已收回：登记 ${done.steps} 条办理记录${done.already ? `，${done.already} 条已登记过` : ''}。`);
      result.replaceChildren(el('div', { class: 'notice', testid: 'feedback-done', text: `已收回 ${done.files.length} 个文件，登记 ${done.steps} 条办理记录。` }));
      accepted.clear();
    } catch (error) {
      showError(error);
    }
  }
  container.append(
    el('header', { class: 'screen-head' }, [
      el('a', { class: 'button', href: '#/units', text: '返回承办单位' }),
      el('h1', { text: '收回办理情况反馈表' }),
    ]),
    el('section', { class: 'card' }, [
      el('p', { class: 'muted', text: '选择各单位发回的反馈表（可以一次选多个文件，.xlsx 或 .xls）。先预览：每个文件要登记哪些办理环节、与台账不一致的地方、'
        + '有问题的行都列在下面；确认后一次登记，每条记录注明来自哪个文件。同一个文件收回两次不会重复登记。' }),
      el('button', { type: 'button', class: 'primary', text: '选择发回的反馈表…', testid: 'feedback-choose', on: { click: async () => {
        try {
          const preview = await api.chooseReturned(options());
          if (preview) show(preview);
        } catch (error) {
          showError(error);
        }
      } } }),
    ]),
    result,
  );
}

function previewNodes(preview, accepted, refresh, takeBack) {
  const where = (p) => `「${p.file}」${p.row ? `第 ${p.row} 行` : ''}${p.column && p.column !== '文件' ? `「${p.column}」` : ''}：${p.message}`;
  return [
    preview.problems.length === 0 ? null : el('section', { class: 'card error-summary', testid: 'feedback-problems' }, [
      el('strong', { text: `有 ${preview.problems.length} 处需要注意（写明“没有收回”的内容不会登记）：` }),
      el('ul', {}, preview.problems.map((p) => el('li', { testid: 'feedback-problem', text: where(p) }))),
    ]),
    ...preview.files.map((file) => el('section', { class: 'card', testid: 'feedback-file' }, [
      el('h2', { text: `${file.unit}：${file.file}（${file.made_on}导出）` }),
      file.rows.length === 0 ? el('p', { class: 'muted', text: '没有新的办理情况。' }) : el('table', { class: 'grid compact', testid: 'feedback-rows' }, [
        el('thead', {}, el('tr', {}, ['行号', '编号', '标题', '将登记', '需要确认'].map((h) => el('th', { text: h })))),
        el('tbody', {}, file.rows.map((row) => el('tr', { testid: 'feedback-row' }, [
          el('td', { text: String(row.row) }),
          el('td', { text: row.number }),
          el('td', { text: row.title }),
          el('td', { text: row.records.join('；') }),
          el('td', {}, row.conflicts.map((c) => {
            const box = el('input', { type: 'checkbox', checked: c.accepted, testid: 'feedback-accept', 'data-key': c.key });
            box.addEventListener('change', () => {
              if (box.checked) accepted.add(c.key); else accepted.delete(c.key);
              refresh();
            });
            return el('label', { class: 'check conflict', testid: 'feedback-conflict' }, [box, c.question]);
          })),
        ]))),
      ]),
    ])),
    el('div', { class: 'form-actions' }, [
      el('button', { type: 'button', class: 'primary', testid: 'feedback-take', disabled: preview.steps === 0,
        text: preview.steps ? `收回，登记 ${preview.steps} 条办理记录` : '没有要登记的内容', on: { click: takeBack } }),
      preview.already ? el('span', { class: 'muted', text: `另有 ${preview.already} 条与台账已登记的相同，不再登记。` }) : null,
    ]),
  ];
}
