// 承办单位考评 (督考): each unit's yearly score with the points of every rule, so a unit can
// see why it has its score; the items behind any figure on a click; the year's weights,
// which the clerk edits (kept per year, so last year's scores stay); export and A4 print.

import { api } from '../api.js';
import { el, formatDate, reportSaved, toast, showError } from '../dom.js';
import { yearSelect } from '../choices.js';
import { printView } from '../print.js';

/** The year shown; kept while the program runs. */
let chosenYear = null;

export async function render(container) {
  const years = await api.listYears();
  chosenYear = chosenYear || years[0] || null;
  const year = yearSelect('evaluation-year', years, chosenYear);
  const body = el('div', { testid: 'evaluation-body' });
  const load = async () => {
    chosenYear = Number(year.value);
    body.replaceChildren(...sheet(await api.evaluation(chosenYear), load));
  };
  year.addEventListener('change', load);
  container.append(
    el('header', { class: 'screen-head no-print' }, [
      el('a', { class: 'button', href: '#/stats', text: '返回统计' }),
      el('h1', { text: '承办单位考评' }),
      el('label', { class: 'check' }, ['年度', year]),
      el('div', { class: 'spacer' }),
      el('button', { type: 'button', class: 'primary', text: '打印', testid: 'print-evaluation', on: { click: () => printView() } }),
      el('button', { type: 'button', text: '导出Excel', testid: 'export-evaluation', on: { click: () => reportSaved(api.exportEvaluation(chosenYear)) } }),
    ]),
    body,
  );
  if (chosenYear) await load();
}

function sheet(evaluation, reload) {
  const detail = el('div', { testid: 'evaluation-items', class: 'no-print' });
  // The figures name their items by id; each item's number and title come once.
  const items = new Map(evaluation.items.map((i) => [i.item_id, i]));
  const showItems = (unit, line) => {
    detail.replaceChildren(el('section', { class: 'card' }, [
      el('h2', { text: `${unit.unit_name}：${line.rule}（计 ${line.count}，得 ${line.points} 分）` }),
      line.items.length === 0 ? el('p', { class: 'muted', text: '没有对应的件。' })
        : el('ul', {}, line.items.map((id) => items.get(id)).map((i) => el('li', {}, el('a', { href: `#/item/${i.item_id}`, text: `第${i.number}号《${i.title}》` })))),
    ]));
  };
  const ranking = el('table', { class: 'grid compact evaluation', testid: 'evaluation-table' }, [
    el('thead', {}, el('tr', {}, ['名次', '承办单位', '件数', ...evaluation.rules.map((r) => r.rule), '总分'].map((h) => el('th', { text: h })))),
    el('tbody', {}, evaluation.units.length === 0
      ? el('tr', {}, el('td', { colSpan: evaluation.rules.length + 4, class: 'empty', text: '这一年还没有交办给承办单位的件。' }))
      : evaluation.units.map((u) => el('tr', { testid: 'evaluation-row' }, [
        el('td', { class: 'num', text: String(u.rank) }),
        el('td', { text: u.unit_name }),
        el('td', { class: 'num', text: String(u.items) }),
        ...u.points.map((p) => el('td', { class: 'num' }, p.items.length === 0 ? String(p.points)
          : el('button', { type: 'button', class: 'link', text: String(p.points), title: `${p.rule}：计 ${p.count}，点开看是哪些件`,
            testid: 'evaluation-points', on: { click: () => showItems(u, p) } }))),
        el('td', { class: 'num total', testid: 'evaluation-score', text: String(u.score) }),
      ]))),
  ]);
  const rules = el('table', { class: 'grid compact', testid: 'evaluation-rules' }, [
    el('thead', {}, el('tr', {}, ['项目', '计数办法', '分值', ''].map((h) => el('th', { text: h })))),
    el('tbody', {}, evaluation.rules.map((r) => {
      const weight = el('input', { value: String(r.weight), class: 'short', testid: 'evaluation-weight', 'data-rule': r.rule, attrs: { 'aria-label': `${r.rule}的分值` } });
      const save = async () => {
        try {
          await api.setEvaluationWeight(evaluation.year, r.rule, weight.value);
        } catch (error) {
          return showError(error);
        }
        toast(`${evaluation.year}年“${r.rule}”的分值改为 ${weight.value.trim()}。`);
        await reload();
      };
      weight.addEventListener('keydown', (e) => { if (e.key === 'Enter') save(); });
      return el('tr', { testid: 'evaluation-rule' }, [
        el('td', { text: r.rule }), el('td', { class: 'wrap', text: r.counts }), el('td', {}, weight),
        el('td', { class: 'no-print' }, el('button', { type: 'button', class: 'small', text: '保存', testid: 'evaluation-weight-save', on: { click: save } })),
      ]);
    })),
  ]);
  return [
    el('section', { class: 'card' }, [
      el('h2', { testid: 'evaluation-title', text: `${evaluation.year}年建议提案办理工作承办单位考评（统计截至${formatDate(evaluation.today)}）` }),
      el('p', { class: 'muted', text: '每项得分 = 计数 × 分值，总分为各项之和；分值为负数的是扣分。点一个得分，可以看到是哪些件。' }),
      ranking,
    ]),
    detail,
    el('section', { class: 'card' }, [
      el('h2', { text: `${evaluation.year}年的考评规则${evaluation.set ? '' : '（尚未修改，按默认分值）'}` }),
      el('p', { class: 'muted', text: '分值按年度保存：修改今年的分值，不会改变往年的得分。' }),
      rules,
    ]),
  ];
}
