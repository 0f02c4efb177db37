// 导出表格: the 承办情况表 and the 征求意见表 for a year, one or more streams and
// optionally one unit, saved as .xlsx where the clerk chooses. The columns of the
// 承办情况表 can be switched off; the choice is remembered. The blank form an upper body
// sent can be filled instead, in its own columns and layout (填入上级发来的表格).

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
    upperFormCard(save),
    el('section', { class: 'card' }, [
      el('h2', { text: '征求意见表' }),
      el('p', { class: 'muted', text: '第一张表是每件一页的征求意见表（A4 竖向，随答复寄出）；第二张表汇总已收回的意见，末尾有满意率。' }),
      el('button', { type: 'button', class: 'primary', text: '导出征求意见表', testid: 'export-opinions', on: { click: () => save((q) => api.exportOpinions(q)) } }),
    ]),
  );
}


/**
 * 填入上级发来的表格: the clerk picks the body's blank form; the program shows which of our
 * columns fills each of its columns (she may change any, or leave one blank), then fills it
 * with the items of the range above and saves it where she chooses.
 */
function upperFormCard(save) {
  const preview = el('div', { testid: 'upper-form-preview' });
  const show = (form) => {
    const choices = form.columns.map((column, i) => select({ testid: `upper-field-${i}`, attrs: { 'aria-label': `${column.letters} 列“${column.header}”填写的内容` } },
      [['', '（不填）'], ...form.fields.map((f) => [f, f])], column.field));
    const unfilled = el('p', { class: 'muted', testid: 'upper-unfilled' });
    const sayUnfilled = () => {
      const left = form.columns.filter((_, i) => !choices[i].value).map((c) => `${c.letters} 列“${c.header}”`);
      unfilled.textContent = left.length ? `留空不填的列：${left.join('、')}。` : '每一列都会填写。';
    };
    choices.forEach((c) => c.addEventListener('change', sayUnfilled));
    sayUnfilled();
    const rows = form.header_rows.length > 1 ? `第 ${form.header_rows[0]}–${form.header_rows[form.header_rows.length - 1]} 行` : `第 ${form.header_rows[0]} 行`;
    preview.replaceChildren(...[
      el('p', { testid: 'upper-found', text: `“${form.file_name}”：工作表“${form.sheet}”${rows}是表头，表中留了 ${form.blank_rows} 行空行（件数多于空行时，表格下面的内容依次下移）。` }),
      form.remembered ? el('p', { class: 'muted', text: '各列按上次为这份表格选的内容填写。' }) : null,
      form.filled_in.length ? el('p', { class: 'muted', text: `还会填写本单位名称和今天的日期：${form.filled_in.join('，')}。` }) : null,
      el('table', { class: 'grid compact', testid: 'upper-columns' }, [
        el('thead', {}, [el('tr', {}, [el('th', { text: '列' }), el('th', { text: '表格中的表头' }), el('th', { text: '填写的内容' })])]),
        el('tbody', {}, form.columns.map((column, i) => el('tr', {}, [el('td', { text: column.letters }), el('td', { text: column.header }), el('td', {}, [choices[i]])]))),
      ]),
      unfilled,
      el('button', { type: 'button', class: 'primary', text: '填写并保存…', testid: 'fill-upper-form', on: { click: () => save((q) => api.fillUpperForm(q, choices.map((c) => c.value))) } }),
    ].filter(Boolean));
  };
  const choose = async () => {
    try {
      const form = await api.chooseUpperForm();
      if (form) show(form);
    } catch (error) {
      preview.replaceChildren(el('div', { class: 'notice error', testid: 'upper-form-error', text: error.message }));
    }
  };
  return el('section', { class: 'card' }, [
    el('h2', { text: '填入上级发来的表格' }),
    el('p', { class: 'muted', text: '上级发来了自己的空白表格（.xlsx）时，程序找出表格的表头，把上面所选范围的每一件填成一行；表格的标题、格式、列宽和打印设置保持原样。' }),
    el('button', { type: 'button', text: '填入上级发来的表格…', testid: 'choose-upper-form', on: { click: choose } }),
    preview,
  ]);
}
