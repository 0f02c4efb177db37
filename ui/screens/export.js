// 导出表格: the 承办情况表 and the 征求意见表 for a year, one or more streams and
// optionally one unit, saved as .xlsx where the clerk chooses. The columns of the
// 承办情况表 can be switched off; the choice is remembered.

import { api } from '../api.js';
import { el, select, toast, reportSaved } from '../dom.js';
import { streamChoice, yearSelect } from '../choices.js';


export async function render(container) {
  const [years, sessions, units, columns] = await Promise.all([api.listYears(), api.listSessions(), api.listUnits(), api.undertakingColumns()]);
  const year = yearSelect('export-year', years);
  const streams = streamChoice({ testid: 'export-streams', prefix: 'export-stream', sessions, words: 'title' });
  year.addEventListener('change', () => streams.fill(year.value));
  streams.fill(year.value);
  const unit = select({ testid: 'export-unit' }, [['', '全部承办单位'], ...units.map((u) => [u.id, u.name])], '');
  const fixed = (name) => columns.fixed.includes(name);
  const columnBoxes = el('div', { class: 'column-choice', testid: 'export-columns' }, columns.all.map((name) => el('label', { class: 'check' }, [
    el('input', { type: 'checkbox', value: name, checked: fixed(name) || columns.chosen.includes(name), disabled: fixed(name), testid: `column-${name}` }),
    name,
  ])));

  const query = () => ({
    year: Number(year.value),
    streams: streams.chosen(),
    unit_id: unit.value ? Number(unit.value) : null,
  });
  const save = async (run) => {
    const q = query();
    if (q.streams.length === 0) {
      toast('请至少选择一个类型。', { error: true });
      return;
    }
    await reportSaved(run(q));
  };
  container.append(
    el('header', { class: 'screen-head' }, [el('a', { class: 'button', href: '#/ledger', text: '返回台账' }), el('h1', { text: '导出表格' })]),
    el('section', { class: 'card' }, [
      el('h2', { text: '范围' }),
      el('div', { class: 'inline-fields' }, [el('label', {}, ['年度', year]), el('label', {}, ['承办单位（可选）', unit])]),
      el('p', { class: 'muted', text: '类型（可多选）：' }),
      streams.box,
    ]),
    el('section', { class: 'card' }, [
      el('h2', { text: '承办情况表' }),
      el('p', { class: 'muted', text: '不需要的列可以去掉勾选，下次导出时沿用。序号和标题总是保留。' }),
      columnBoxes,
      el('button', { type: 'button', class: 'primary', text: '导出承办情况表', testid: 'export-undertaking', on: { click: () => save((q) =>
        api.exportUndertaking(q, [...columnBoxes.querySelectorAll('input:checked')].map((i) => i.value))) } }),
    ]),
    el('section', { class: 'card' }, [
      el('h2', { text: '征求意见表' }),
      el('p', { class: 'muted', text: '第一张表是每件一页的征求意见表（A4 竖向，随答复寄出）；第二张表汇总已收回的意见，末尾有满意率。' }),
      el('button', { type: 'button', class: 'primary', text: '导出征求意见表', testid: 'export-opinions', on: { click: () => save((q) => api.exportOpinions(q)) } }),
    ]),
  );
}

