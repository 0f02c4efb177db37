// 统计: the year's figures for chosen streams (and a unit), each rate with its numerator,
// denominator and definition; charts of the main breakdowns; and the summary paragraph
// for the 办理工作总结, ready to copy.

import { api } from '../api.js';
import { el, newestOnly, select, toast, showError, reportSaved } from '../dom.js';
import { streamChoice, yearSelect } from '../choices.js';
import { barChart } from '../chart.js';
import { appInfo } from '../app.js';

// 对办理结果 by default, as the published summaries count it.
const chosen = { definition: 'result-both' };

export async function render(container) {
  const [years, sessions, units] = await Promise.all([api.listYears(), api.listSessions(), api.listUnits()]);
  const year = yearSelect('stats-year', years, chosen.year);
  const unit = select({ testid: 'stats-unit' }, [['', '全部承办单位'], ...units.map((u) => [u.id, u.name])], chosen.unit || '');
  const definition = select({ testid: 'stats-definition' }, appInfo.vocabulary.satisfaction_definitions, chosen.definition);
  const streams = streamChoice({ testid: 'stats-streams', prefix: 'stats-stream', sessions, words: 'label', onChange: () => refresh() });
  const body = el('div', { testid: 'stats-body' });
  const query = () => ({ year: Number(year.value), streams: streams.chosen(), unit_id: unit.value ? Number(unit.value) : null });
  const chosenDefinition = () => {
    const [basis, scope] = definition.value.split('-');
    return { on_result: basis === 'result', satisfied_only: scope === 'only' };
  };
  const turn = newestOnly();
  async function refresh() {
    Object.assign(chosen, { year: year.value, unit: unit.value, definition: definition.value });
    const current = turn();
    try {
      const view = await api.statistics(query(), chosenDefinition());
      if (!current()) return; // a newer choice is being counted
      Object.assign(view, { query: query(), definition: chosenDefinition() });
      body.replaceChildren(...figures(view));
    } catch (error) {
      showError(error);
    }
  }
  year.addEventListener('change', () => { streams.fill(year.value); refresh(); });
  for (const control of [unit, definition]) control.addEventListener('change', refresh);
  streams.fill(year.value);
  container.append(
    el('header', { class: 'screen-head' }, [
      el('h1', { text: '统计' }),
      el('div', { class: 'spacer' }),
      el('a', { class: 'button', href: '#/carried', text: '往年B类件跟踪', testid: 'go-carried' }),
      el('a', { class: 'button', href: '#/evaluation', text: '承办单位考评', testid: 'go-evaluation' }),
      el('button', { type: 'button', text: '导出汇总表', testid: 'stats-export', on: { click: () => reportSaved(api.exportStatistics(query(), chosenDefinition())) } }),
    ]),
    el('section', { class: 'card' }, [
      el('div', { class: 'inline-fields' }, [el('label', {}, ['年度', year]), el('label', {}, ['承办单位', unit]), el('label', {}, ['满意率口径', definition])]),
      streams.box,
    ]),
    body,
  );
  await refresh();
}

function rateLine(rate) {
  return el('tr', { testid: `rate-${rate.name}` }, [
    el('th', { text: rate.name }),
    el('td', { class: 'big', text: rate.percent }),
    el('td', { text: `${rate.numerator} ÷ ${rate.denominator}` }),
    el('td', { class: 'muted', text: rate.definition }),
  ]);
}

/** A breakdown as a table ending in its 合计 row, so the parts visibly add up. */
function shareTable(breakdown, testid) {
  return el('table', { class: 'grid compact', testid }, [
    el('thead', {}, el('tr', {}, ['', '件数', '占比'].map((h) => el('th', { text: h })))),
    el('tbody', {}, [
      ...breakdown.parts.map((p) => el('tr', {}, [p.label, String(p.count), p.percent].map((v) => el('td', { text: v })))),
      el('tr', { class: 'total' }, ['合计', String(breakdown.total), breakdown.total ? '100.00%' : '—'].map((v) => el('td', { text: v }))),
    ]),
  ]);
}

function figures(view) {
  const s = view.statistics;
  const summary = el('textarea', { value: [view.summary, view.summary_note].filter(Boolean).join('\n'), rows: 7, testid: 'stats-summary', readOnly: true });
  return [
    el('section', { class: 'card' }, [
      el('h2', { testid: 'stats-title', text: `${view.about}：共 ${s.total} 件，重点 ${s.key_items} 件` }),
      el('table', { class: 'grid compact rates' }, el('tbody', {}, [s.completion, s.satisfaction, s.solved, s.meetings, s.b_to_a].map(rateLine))),
      el('p', { class: 'muted', text: `重新办理 ${s.redo_rounds} 次；主动公开 ${s.published} 件；往年B类件 ${s.carried_b} 件。A/B/C 的比例以有正式答复并定类的 ${s.classes.total} 件为基数。` }),
      el('div', { class: 'row-actions' }, [
        el('span', { testid: 'stats-repeated', text: `多年提、反复提的问题 ${s.repeated} 件` }),
        el('span', { class: 'muted', text: '（在单件页面的“相似的建议提案”中标为“重复提出”的件）' }),
        el('button', { type: 'button', class: 'small', text: '导出清单', testid: 'export-repeated', disabled: s.repeated === 0,
          on: { click: () => reportSaved(api.exportRepeated(view.query)) } }),
      ]),
    ]),
    el('section', { class: 'card charts', testid: 'stats-charts' }, [
      barChart(`按类别（共${s.categories.total}件）`, s.categories.parts, 'chart-category'),
      barChart(`办理结果（基数${s.classes.total}件）`, s.classes.parts, 'chart-class'),
      barChart(`征求意见（收回${s.opinions.total}件，${view.basis}）`, s.opinions.parts, 'chart-satisfaction'),
      barChart(`本县角色（共${s.roles.total}件）`, s.roles.parts, 'chart-role'),
      barChart(`提出方式（共${s.proposers.total}件）`, s.proposers.parts, 'chart-proposer'),
      barChart('承办单位（主办＋协办件数，前10）', s.units.slice(0, 10).map((u) => ({ label: u.unit_name, count: u.lead + u.assist, percent: `（主办${u.lead}）` })), 'chart-unit'),
    ]),
    el('section', { class: 'two-columns' }, [
      el('div', { class: 'card' }, [el('h2', { text: '按类别' }), shareTable(s.categories, 'table-category')]),
      el('div', { class: 'card' }, [el('h2', { text: '承办单位' }), el('table', { class: 'grid compact', testid: 'table-unit' }, [
        el('thead', {}, el('tr', {}, ['承办单位', ...appInfo.vocabulary.unit_roles, '已答复', '逾期'].map((h) => el('th', { text: h })))),
        el('tbody', {}, s.units.map((u) => el('tr', {}, [u.unit_name, u.lead, u.assist, u.replied, u.overdue].map((v) => el('td', { text: String(v) }))))),
      ])]),
    ]),
    el('section', { class: 'card' }, [
      el('h2', { text: '办理工作总结（统计部分）草稿' }),
      summary,
      el('button', { type: 'button', text: '导出Word（含表格）', testid: 'stats-docx', on: { click: () => reportSaved(api.exportSummary(view.query, view.definition)) } }),
      el('button', { type: 'button', class: 'primary', text: '复制全文', testid: 'stats-copy', on: { click: () => {
        summary.select();
        const copied = document.execCommand('copy');
        toast(copied ? '已复制，可粘贴到 Word 或 WPS 中。' : '请按 Ctrl+C 复制选中的文字。');
      } } }),
    ]),
  ];
}
