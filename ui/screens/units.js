// 承办单位: the county's directory. Units are added and edited here, and retired (停用)
// rather than deleted, so the items they handled keep their name. Two entries that are one
// unit (a short name added beside the full one) are merged (合并) into the one kept.

import { api } from '../api.js';
import { el, redraw, select, toast, showError, showFieldErrors, reportSaved } from '../dom.js';
import { appInfo } from '../app.js';

export async function render(container) {
  const [units, overview] = await Promise.all([api.listUnits(), api.unitOverview()]);
  const counts = Object.fromEntries(overview.map((o) => [o.unit_id, o]));
  let editingId = null;

  const inputs = {
    name: el('input', { name: 'name', testid: 'unit-name', placeholder: '如 精河县发展和改革委员会' }),
    short_name: el('input', { name: 'short_name', testid: 'unit-short', placeholder: '如 县发改委' }),
    contact: el('input', { name: 'contact', testid: 'unit-contact' }),
    phone: el('input', { name: 'phone', testid: 'unit-phone' }),
  };
  const errors = el('div', { class: 'error-summary', hidden: true, testid: 'unit-errors', attrs: { role: 'alert' } });
  const formTitle = el('h2', { text: '添加承办单位' });
  const saveButton = el('button', { type: 'button', class: 'primary', text: '添加', testid: 'unit-save' });
  const cancelButton = el('button', { type: 'button', text: '取消修改', hidden: true, testid: 'unit-cancel' });

  const reset = () => {
    editingId = null;
    Object.values(inputs).forEach((i) => { i.value = ''; i.classList.remove('invalid'); });
    errors.hidden = true;
    formTitle.textContent = '添加承办单位';
    saveButton.textContent = '添加';
    cancelButton.hidden = true;
  };
  const edit = (unit) => {
    reset();
    editingId = unit.id;
    for (const key of Object.keys(inputs)) inputs[key].value = unit[key];
    formTitle.textContent = `修改：${unit.name}`;
    saveButton.textContent = '保存修改';
    cancelButton.hidden = false;
    inputs.name.focus();
  };
  const save = async () => {
    const input = Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.value]));
    try {
      if (editingId) await api.updateUnit(editingId, input);
      else await api.createUnit(input);
    } catch (error) {
      showFieldErrors(error, inputs, errors);
      // A short name another entry already has: that entry may be this very unit, offered for merging.
      const typed = input.short_name.trim();
      const holder = units.find((u) => u.id !== editingId && (u.name === typed || u.short_name === typed));
      const kept = units.find((u) => u.id === editingId);
      if (holder && kept) {
        errors.append(el('button', { type: 'button', class: 'small', text: `把“${holder.name}”合并到“${kept.name}”…`, testid: 'offer-merge',
          on: { click: () => openMerge(holder, kept.id) } }));
      }
      return;
    }
    toast(editingId ? '单位信息已保存。' : `已添加“${input.name.trim()}”。`);
    await redraw(container, render);
  };
  saveButton.addEventListener('click', save);
  cancelButton.addEventListener('click', reset);
  const form = el('form', { class: 'card unit-form', testid: 'unit-form', on: {
    submit: (e) => { e.preventDefault(); save(); },
    keydown: (e) => { if (e.key === 'Escape') reset(); },
  } }, [
    formTitle,
    errors,
    el('div', { class: 'inline-fields' }, [
      el('label', {}, ['全称 *', inputs.name]),
      el('label', {}, ['简称', inputs.short_name]),
      el('label', {}, ['联系人', inputs.contact]),
      el('label', {}, ['电话', inputs.phone]),
      saveButton,
      cancelButton,
    ]),
    el('button', { type: 'submit', hidden: true }),
  ]);

  const toggle = async (unit) => {
    try {
      await api.setUnitActive(unit.id, !unit.active);
    } catch (error) {
      return showError(error);
    }
    toast(unit.active ? `已停用“${unit.name}”，它办理过的件不受影响。` : `已启用“${unit.name}”。`);
    await redraw(container, render);
  };

  /** The merge of `unit` into another, asked for below its row; `keptId` is preselected. */
  const openMerge = (unit, keptId = null) => {
    document.querySelector('[data-testid="merge-row"]')?.remove();
    const others = units.filter((u) => u.id !== unit.id);
    const target = select({ testid: 'merge-target', attrs: { 'aria-label': '并入哪个单位' } },
      [['', '请选择'], ...others.map((u) => [u.id, u.short_name ? `${u.name}（${u.short_name}）` : u.name])], keptId ?? '');
    const merge = async () => {
      if (!target.value) return showError({ message: '请选择要并入的单位。' });
      const kept = others.find((u) => String(u.id) === target.value);
      try {
        await api.mergeUnits(kept.id, unit.id);
      } catch (error) {
        return showError(error);
      }
      toast(`已把“${unit.name}”合并到“${kept.name}”。合并前已备份。`);
      await redraw(container, render);
    };
    const row = el('tr', { testid: 'merge-row' }, el('td', { colSpan: 10 }, el('div', { class: 'notice stacked' }, [
      el('p', { text: `合并后，“${unit.name}”的件、办理记录和暂缓的提醒都归入所选单位，“${unit.name}”成为所选单位的简称（所选单位已有简称的，保留原简称），名录中不再单列。合并前程序先备份台账。` }),
      el('div', { class: 'inline-fields' }, [
        el('label', {}, [`把“${unit.name}”合并到`, target]),
        el('button', { type: 'button', class: 'danger', text: '确认合并', testid: 'merge-confirm', on: { click: merge } }),
        el('button', { type: 'button', text: '取消', on: { click: () => row.remove() } }),
      ]),
    ])));
    const unitRow = [...document.querySelectorAll('[data-testid="unit-row"]')].find((r) => r.dataset.unit === String(unit.id));
    unitRow?.after(row);
    target.focus();
  };

  container.append(
    el('header', { class: 'screen-head' }, [el('h1', { text: '承办单位' }),
      el('span', { class: 'count', text: `在用 ${units.filter((u) => u.active).length} 个，停用 ${units.filter((u) => !u.active).length} 个` }),
      el('div', { class: 'spacer' }),
      el('button', { type: 'button', text: '导出全部单位的反馈表…', testid: 'feedback-all', title: '每个有待办件的单位一个文件，保存到所选的文件夹',
        on: { click: async () => {
          try {
            const folder = await api.exportAllFeedback();
            if (folder) toast(`各单位的反馈表已保存到：${folder}`);
          } catch (error) {
            showError(error);
          }
        } } }),
      el('a', { class: 'button primary', href: '#/feedback', text: '收回反馈表', testid: 'go-feedback' })]),
    form,
    el('div', { class: 'table-wrap' }, el('table', { class: 'grid', testid: 'unit-table' }, [
      el('thead', {}, el('tr', {}, ['单位全称', '简称', '联系人', '电话', ...appInfo.vocabulary.unit_roles, '未办结', '逾期', '状态', '操作']
        .map((h, i) => el('th', { text: h, class: ['', 'c-short', 'c-contact', 'c-phone', 'c-count', 'c-count', 'c-count', 'c-count', 'c-state', 'c-ops wide'][i] })))),
      el('tbody', {}, units.map((unit) => el('tr', { testid: 'unit-row', 'data-unit': String(unit.id), class: unit.active ? '' : 'retired' }, [
        el('td', { text: unit.name, testid: 'unit-row-name' }),
        el('td', { text: unit.short_name }),
        el('td', { text: unit.contact }),
        el('td', { text: unit.phone }),
        el('td', { class: 'num', text: unit.lead_count }),
        el('td', { class: 'num', text: unit.assist_count }),
        el('td', { class: 'num', text: counts[unit.id]?.open ?? 0, testid: 'unit-open' }),
        el('td', { class: counts[unit.id]?.overdue ? 'num late' : 'num', text: counts[unit.id]?.overdue ?? 0, testid: 'unit-overdue' }),
        el('td', { text: unit.active ? '在用' : '已停用', testid: 'unit-row-state' }),
        el('td', { class: 'ops' }, [
          el('a', { class: 'button small', href: `#/tasks/${unit.id}`, text: '任务清单', testid: 'unit-tasks' }),
          el('button', { type: 'button', class: 'small', text: '反馈表', testid: 'unit-feedback', title: '导出本单位的办理情况反馈表（Excel），发给单位填写',
            on: { click: () => reportSaved(api.exportFeedback(unit.id)) } }),
          el('button', { type: 'button', class: 'small', text: '修改', testid: 'unit-edit', on: { click: () => edit(unit) } }),
          el('button', { type: 'button', class: 'small', text: unit.active ? '停用' : '启用', testid: 'unit-toggle', on: { click: () => toggle(unit) } }),
          el('button', { type: 'button', class: 'small', text: '合并…', testid: 'unit-merge', on: { click: () => openMerge(unit) } }),
        ]),
      ]))),
    ])),
  );
}
