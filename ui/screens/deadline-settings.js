// The settings that decide deadlines: the year's template (a fixed date or "N 天/工作日/月
// after a step" for each step, or a built-in template to start from), the holidays and
// make-up working days (调休) of the year, and the office name printed on notices.

import { api } from '../api.js';
import { el, select, formatDate, showError, showFieldErrors } from '../dom.js';
import { appInfo } from '../app.js';

/** The steps a deadline may be counted from, earliest first. */
const fromSteps = () => appInfo.vocabulary.deadline_from;

function ruleText(rule) {
  if (!rule) return '无时限';
  if (rule.fixed) return formatDate(rule.fixed);
  return `${rule.after}后${rule.amount}${rule.unit}`;
}

/** The cards, for the year `year`; `again(message)` re-renders the settings screen. */
export async function deadlineCards(year, again) {
  const [template, days, office] = await Promise.all([api.deadlineTemplate(year), api.calendarDays(year), api.officeName()]);
  const fail = (box) => (error) => showFieldErrors(error, {}, box);

  const templateErrors = el('div', { class: 'field-error', testid: 'template-errors' });
  const builtIn = select({ testid: 'template-built-in' }, template.built_in.map((n) => [n, n]), template.built_in[0]);
  const editRow = (line, row) => {
    const kind = select({ testid: 'rule-kind' }, [['固定日期', '固定日期'], ['相对', '某环节之后'], ['无', '无时限']],
      !line.rule ? '无' : line.rule.fixed ? '固定日期' : '相对');
    const fixed = el('input', { testid: 'rule-fixed', class: 'short', value: line.rule?.fixed || `${year}-` });
    const after = select({ testid: 'rule-after' }, fromSteps().slice(0, fromSteps().indexOf(line.step) > 0 ? fromSteps().indexOf(line.step) : 1).map((s) => [s, s]), line.rule?.after || '交办');
    const amount = el('input', { testid: 'rule-amount', class: 'tiny', value: String(line.rule?.amount || '') });
    const unit = select({ testid: 'rule-unit' }, appInfo.vocabulary.periods.map((u) => [u, u]), line.rule?.unit || appInfo.vocabulary.periods[0]);
    const save = el('button', { type: 'button', class: 'small primary', text: '保存', testid: 'rule-save', on: { click: () => api.setDeadlineRule(year, line.step,
      { kind: kind.value, fixed: fixed.value, after: after.value, amount: amount.value, unit: unit.value })
      .then(() => again(`已修改${line.step}的时限。`), fail(templateErrors)) } });
    row.querySelector('.rule').replaceChildren(el('div', { class: 'inline-fields' }, [kind, fixed, after, amount, unit, save]));
  };
  const templateCard = el('section', { class: 'card', testid: 'template-card' }, [
    el('h2', { text: `${year}年办理时限` }),
    el('p', { class: 'muted', text: template.saved ? '本年度的时限已按下表设定。' : `本年度尚未设定，暂按“${template.built_in[0]}”计算。` }),
    el('div', { class: 'inline-fields' }, [
      el('label', {}, ['套用内置模板', builtIn]),
      el('button', { type: 'button', class: 'small', text: '套用', testid: 'template-apply', on: { click: () =>
        api.applyBuiltInTemplate(year, builtIn.value).then(() => again(`已套用“${builtIn.value}”。`), fail(templateErrors)) } }),
    ]),
    templateErrors,
    el('table', { class: 'grid compact', testid: 'template-table' }, [
      el('thead', {}, el('tr', {}, ['环节', '时限', ''].map((h) => el('th', { text: h })))),
      el('tbody', {}, template.lines.map((line) => {
        const row = el('tr', { testid: 'template-row' }, [
          el('td', { text: line.step }),
          el('td', { class: 'rule', text: ruleText(line.rule) }),
          el('td', { class: 'ops' }),
        ]);
        row.lastChild.append(el('button', { type: 'button', class: 'small', text: '修改', testid: 'rule-edit', on: { click: () => editRow(line, row) } }));
        return row;
      })),
    ]),
    el('p', { class: 'muted small', text: '“重新办理”的时限固定为收到不满意意见后一个月；单件的时限可在该件的办理过程中单独调整。' }),
  ]);

  const dayErrors = el('div', { class: 'field-error' });
  const day = el('input', { testid: 'day-date', class: 'short', placeholder: `如 ${year}-10-01` });
  const dayKind = select({ testid: 'day-kind' }, [['休', '休（放假）'], ['班', '班（调休上班）']], '休');
  const dayNote = el('input', { testid: 'day-note', placeholder: '如 国庆节' });
  const calendarCard = el('section', { class: 'card', testid: 'calendar-card' }, [
    el('h2', { text: `${year}年节假日与调休` }),
    el('p', { class: 'muted', text: '按“工作日”计算的时限跳过周六、周日和标为“休”的日子，标为“班”的周末算作工作日。每年按国务院办公厅的通知标注。' }),
    el('div', { class: 'inline-fields' }, [
      el('label', {}, ['日期', day]), el('label', {}, ['类型', dayKind]), el('label', {}, ['说明', dayNote]),
      el('button', { type: 'button', class: 'small primary', text: '标注', testid: 'day-save', on: { click: () =>
        api.markDay(day.value, dayKind.value, dayNote.value).then(() => again('已标注。'), fail(dayErrors)) } }),
    ]),
    dayErrors,
    el('ul', { class: 'category-list', testid: 'calendar-days' }, days.map((d) => el('li', {}, [
      el('span', { class: 'grow', text: `${formatDate(d.day)}　${new Map(appInfo.vocabulary.day_kinds).get(d.kind)}　${d.note}` }),
      el('button', { type: 'button', class: 'small', text: '取消标注', on: { click: () => api.markDay(d.day, '', '').then(() => again('已取消标注。'), showError) } }),
    ]))),
  ]);

  const officeInput = el('input', { testid: 'office-name', class: 'wide', value: office });
  const officeErrors = el('div', { class: 'field-error' });
  const officeCard = el('section', { class: 'card' }, [
    el('h2', { text: '本单位名称' }),
    el('div', { class: 'inline-fields' }, [
      el('label', {}, ['督办通知、表格上的落款', officeInput]),
      el('button', { type: 'button', class: 'small primary', text: '保存', testid: 'office-save', on: { click: () =>
        api.setOfficeName(officeInput.value).then(() => again('已保存本单位名称。'), fail(officeErrors)) } }),
    ]),
    officeErrors,
  ]);
  return [officeCard, el('div', { class: 'two-columns' }, [templateCard, calendarCard])];
}

/** The year the deadline settings show: the work year unless the clerk picked another. */
export function defaultYear() {
  return Number(appInfo.today.slice(0, 4));
}
