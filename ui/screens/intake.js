// 登记 / 编辑: the intake form. Validation happens in Rust; when it fails, the form keeps
// everything typed, marks each wrong field and says why in Chinese. Tab follows the form,
// Enter in the last field (备注) saves, Esc cancels (a second Esc when something was typed).

import { api } from '../api.js';
import { el, newestOnly, redraw, select, toast, showFieldErrors } from '../dom.js';
import { proposalText, similarTable } from '../similar.js';
import { sessionLabel } from '../choices.js';
import { appInfo } from '../app.js';

/** What the previous registration used, so a batch from one session is quick to enter. */
const lastUsed = { session_id: '', county_role: '主办', assigned_on: '' };

export async function render(container, { id, mode }) {
  const editing = mode === 'edit';
  const [sessions, categories, units, item] = await Promise.all([
    api.listSessions(), api.listCategories(), api.listUnits(), editing ? api.getItem(id) : null,
  ]);
  if (sessions.length === 0) {
    container.append(
      el('header', { class: 'screen-head' }, el('h1', { text: '登记' })),
      el('div', { class: 'notice', testid: 'no-sessions' }, [
        '登记前需要先添加届次（例如“州十六届人大二次会议”）。',
        el('a', { href: '#/settings', text: '到「设置」添加届次', testid: 'go-settings' }),
      ]),
    );
    return;
  }

  const start = item ? fromItem(item) : { ...lastUsed, proposers: [{}], assignments: [{ role: '主办' }] };
  const form = el('form', { class: 'intake', testid: 'item-form', attrs: { novalidate: '' } });
  const summary = el('div', { class: 'error-summary', testid: 'error-summary', hidden: true, attrs: { role: 'alert' } });
  let dirty = false;
  form.addEventListener('input', () => { dirty = true; });

  // --- 来源 ---------------------------------------------------------------------------
  const sessionSelect = select({ name: 'session_id', testid: 'field-session' },
    [['', '请选择届次'], ...sessions.map((s) => [s.id, sessionLabel(s)])],
    start.session_id);
  const categorySelect = el('select', { name: 'category_id', testid: 'field-category' });
  const fillCategories = (selected) => {
    const session = sessions.find((s) => String(s.id) === sessionSelect.value);
    const usable = categories.filter((c) => session && c.kind === session.kind && (c.active || c.id === selected));
    categorySelect.replaceChildren(el('option', { value: '', text: session ? '未分类' : '请先选择届次' }),
      ...usable.map((c) => el('option', { value: String(c.id), text: c.name, selected: c.id === selected })));
  };
  fillCategories(start.category_id);
  sessionSelect.addEventListener('change', () => fillCategories(Number(categorySelect.value) || null));

  const number = el('input', { name: 'number', value: start.number || '', testid: 'field-number', placeholder: '如 214 或 第214号' });
  const role = select({ name: 'county_role', testid: 'field-role' }, appInfo.vocabulary.county_roles, start.county_role);
  const assigned = el('input', { name: 'assigned_on', value: start.assigned_on || '', testid: 'field-assigned', placeholder: '如 2025-03-17' });

  // --- 内容 ---------------------------------------------------------------------------
  const title = el('input', { name: 'title', value: start.title || '', testid: 'field-title', placeholder: '如 关于加快实施布久乡孜热村升级改造项目的建议' });
  const isKey = el('input', { type: 'checkbox', name: 'is_key', checked: !!start.is_key, testid: 'field-key' });
  const leader = el('input', { name: 'supervising_leader', value: start.supervising_leader || '', testid: 'field-leader', placeholder: '领衔督办的县领导' });
  const fullText = el('textarea', { name: 'full_text', value: start.full_text || '', testid: 'field-text', rows: 4 });

  // --- 提出人 -------------------------------------------------------------------------
  const proposerRows = el('tbody', { testid: 'proposer-rows' });
  const addProposer = (p = {}) => {
    const row = el('tr', { testid: 'proposer-row' }, [
      el('td', {}, el('input', { 'data-part': 'name', value: p.name || '', testid: 'proposer-name', attrs: { 'aria-label': '姓名或名称' } })),
      el('td', { class: 'center' }, el('input', { type: 'checkbox', 'data-part': 'is_collective', checked: !!p.is_collective, testid: 'proposer-collective', attrs: { 'aria-label': '集体提出' } })),
      el('td', {}, el('input', { 'data-part': 'delegation', value: p.delegation || '', testid: 'proposer-delegation', attrs: { 'aria-label': '代表团或界别' } })),
      el('td', {}, el('input', { 'data-part': 'phone', value: p.phone || '', testid: 'proposer-phone', attrs: { 'aria-label': '电话' } })),
      el('td', {}, el('button', { type: 'button', class: 'small', text: '删除', on: { click: () => { row.remove(); renumber(); dirty = true; } } })),
    ]);
    proposerRows.append(row);
    renumber();
    return row;
  };
  const signersTotal = el('input', { name: 'signers_total', value: start.signers_total || '', testid: 'field-signers', class: 'short', placeholder: '不填则按上表' });

  // --- 承办单位 -----------------------------------------------------------------------
  const assignmentRows = el('tbody', { testid: 'assignment-rows' });
  const unitOptions = (selected) => [['', '请选择单位'], ...units
    .filter((u) => u.active || u.id === selected)
    .map((u) => [u.id, u.active ? u.name : `${u.name}（已停用）`])];
  const addAssignment = (a = {}) => {
    const row = el('tr', { testid: 'assignment-row' }, [
      el('td', {}, select({ 'data-part': 'unit_id', testid: 'assignment-unit', attrs: { 'aria-label': '承办单位' } }, unitOptions(a.unit_id), a.unit_id)),
      el('td', {}, select({ 'data-part': 'role', testid: 'assignment-role', attrs: { 'aria-label': '主办或协办' } }, appInfo.vocabulary.unit_roles.map((r) => [r, r]), a.role || '协办')),
      el('td', {}, el('input', { 'data-part': 'leader', value: a.leader || '', testid: 'assignment-leader', attrs: { 'aria-label': '分管领导' } })),
      el('td', {}, el('input', { 'data-part': 'handler', value: a.handler || '', testid: 'assignment-handler', attrs: { 'aria-label': '承办人' } })),
      el('td', {}, el('input', { 'data-part': 'phone', value: a.phone || '', testid: 'assignment-phone', attrs: { 'aria-label': '电话' } })),
      el('td', {}, el('button', { type: 'button', class: 'small', text: '删除', on: { click: () => { row.remove(); renumber(); dirty = true; } } })),
    ]);
    assignmentRows.append(row);
    renumber();
    return row;
  };
  const assignmentsError = el('div', { class: 'group-error', attrs: { 'data-error-for': 'assignments' } });

  // Row inputs are named like the fields in Rust's errors: proposers.0.name, assignments.1.unit_id.
  function renumber() {
    [...proposerRows.children].forEach((row, i) => row.querySelectorAll('[data-part]').forEach((input) => { input.name = `proposers.${i}.${input.dataset.part}`; }));
    [...assignmentRows.children].forEach((row, i) => row.querySelectorAll('[data-part]').forEach((input) => { input.name = `assignments.${i}.${input.dataset.part}`; }));
  }

  // --- 相似件: asked again as the title (or the text, the lead proposer) is typed -------
  const similarBox = el('div', { class: 'similar-box', testid: 'similar-panel', hidden: true, attrs: { 'aria-live': 'polite' } });
  let proposed = null;
  const turn = newestOnly();
  let waiting = null;
  // Asks now; drawn unless a newer question was asked meanwhile.
  const similarNow = async () => {
    const current = turn();
    const session = sessions.find((s) => String(s.id) === sessionSelect.value);
    const firstName = proposerRows.querySelector('[data-part=name]');
    const view = title.value.trim().length < 2 ? null : await api.similarItems({
      title: title.value, text: fullText.value, proposers: firstName && firstName.value ? [firstName.value] : [],
      kind: session ? session.kind : null, except: editing ? id : null,
    }).catch(() => null);
    if (!current()) return;
    drawSimilar(view);
  };
  // As the clerk types: a quarter of a second after the last key, and not once the screen is gone.
  const askSimilar = () => {
    clearTimeout(waiting);
    waiting = setTimeout(() => { if (similarBox.isConnected) similarNow(); }, 250);
  };
  function drawSimilar(view) {
    proposed = view && proposalText(view.suggestions) ? view.suggestions : null;
    similarBox.hidden = !view || view.items.length === 0;
    if (similarBox.hidden) { similarBox.replaceChildren(); return; }
    similarBox.replaceChildren(
      el('div', { class: 'similar-head' }, [
        el('strong', { text: `台账中有 ${view.items.length} 件相似的建议提案` }),
        proposed ? el('span', { class: 'proposal', testid: 'proposal', text: `相似件的办理：${proposalText(proposed)}（依据 ${proposed.from_items} 件）` }) : null,
        proposed ? el('button', { type: 'button', class: 'small', text: '采用建议（F2）', testid: 'take-proposal', on: { click: takeProposal } }) : null,
      ]),
      similarTable(view.items, { linkable: false }),
    );
  }
  /** Fills, from what the similar items propose, the category and units still empty; never what the clerk chose. */
  function takeProposal() {
    if (!proposed) return;
    const taken = [];
    const category = proposed.category[0];
    if (category && !categorySelect.value && [...categorySelect.options].some((o) => o.value === String(category.id))) {
      categorySelect.value = String(category.id);
      taken.push(`类别 ${category.name}`);
    }
    const rowsOf = () => [...assignmentRows.children].map((row) => ({ row, unit: row.querySelector('[data-part=unit_id]'), role: row.querySelector('[data-part=role]') }));
    const chosen = () => rowsOf().map((r) => r.unit.value).filter(Boolean);
    const placeUnit = (choice, roleName) => {
      if (chosen().includes(String(choice.id)) || !units.some((u) => u.id === choice.id && u.active)) return;
      let free = rowsOf().find((r) => !r.unit.value && (roleName === '协办' || r.role.value === '主办'));
      if (!free) {
        const added = addAssignment({ role: roleName });
        free = rowsOf().find((r) => r.row === added);
      }
      free.unit.value = String(choice.id);
      free.role.value = roleName;
      taken.push(`${roleName} ${choice.name}`);
    };
    const lead = proposed.lead_unit[0];
    if (lead && !rowsOf().some((r) => r.role.value === '主办' && r.unit.value)) placeUnit(lead, '主办');
    proposed.assist_units.forEach((choice) => placeUnit(choice, '协办'));
    dirty = true;
    toast(taken.length ? `已采用：${taken.join('、')}。` : '建议的栏目已经填写，没有改动。');
  }
  title.addEventListener('input', askSimilar);
  fullText.addEventListener('change', askSimilar);
  proposerRows.addEventListener('change', askSimilar);
  sessionSelect.addEventListener('change', askSimilar);
  form.addEventListener('keydown', (event) => {
    if (event.key === 'F2' && proposed) {
      event.preventDefault();
      takeProposal();
    }
  });

  const note = el('input', { name: 'note', value: start.note || '', testid: 'field-note', placeholder: '在此按回车键即保存' });

  (start.proposers.length ? start.proposers : [{}]).forEach(addProposer);
  start.assignments.forEach(addAssignment);

  const collect = () => ({
    session_id: sessionSelect.value ? Number(sessionSelect.value) : null,
    number: number.value,
    title: title.value,
    full_text: fullText.value,
    category_id: categorySelect.value ? Number(categorySelect.value) : null,
    county_role: role.value,
    is_key: isKey.checked,
    supervising_leader: leader.value,
    assigned_on: assigned.value,
    signers_total: signersTotal.value,
    note: note.value,
    proposers: [...proposerRows.children].map((row) => ({
      name: row.querySelector('[data-part=name]').value,
      is_collective: row.querySelector('[data-part=is_collective]').checked,
      delegation: row.querySelector('[data-part=delegation]').value,
      phone: row.querySelector('[data-part=phone]').value,
    })),
    assignments: [...assignmentRows.children].map((row) => ({
      unit_id: row.querySelector('[data-part=unit_id]').value ? Number(row.querySelector('[data-part=unit_id]').value) : null,
      role: row.querySelector('[data-part=role]').value,
      leader: row.querySelector('[data-part=leader]').value,
      handler: row.querySelector('[data-part=handler]').value,
      phone: row.querySelector('[data-part=phone]').value,
    })),
  });

  const cancel = () => { location.hash = editing ? `#/item/${id}` : '#/ledger'; };
  const save = async (andNext) => {
    const input = collect();
    let savedId;
    try {
      savedId = editing ? (await api.updateItem(id, input), id) : await api.createItem(input);
    } catch (error) {
      showFieldErrors(error, form, summary);
      return;
    }
    dirty = false;
    if (!editing) Object.assign(lastUsed, { session_id: input.session_id, county_role: input.county_role, assigned_on: input.assigned_on });
    const kind = sessions.find((s) => s.id === input.session_id).kind;
    toast(editing ? '修改已保存。' : `已登记：${kind}《${title.value.trim()}》。`);
    if (andNext) {
      await redraw(container, render, { mode: 'intake' });
    } else {
      location.hash = `#/item/${savedId}`;
    }
  };

  const escBar = el('div', { class: 'notice', testid: 'discard-bar', hidden: true }, [
    '已填写的内容尚未保存。再按一次 Esc 或点“放弃”即离开。',
    el('button', { type: 'button', class: 'danger small', text: '放弃', testid: 'discard', on: { click: cancel } }),
    el('button', { type: 'button', class: 'small', text: '继续填写', on: { click: () => { escBar.hidden = true; } } }),
  ]);
  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      if (!dirty || !escBar.hidden) cancel();
      else escBar.hidden = false;
    }
  });
  note.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.isComposing) {
      event.preventDefault();
      save(false);
    }
  });

  // span: how much of the six-column grid the field takes ('wide' 2, 'widest' 3, 'row' all).
  const field = (label, input, { hint, span } = {}) => el('div', { class: span ? `field ${span}` : 'field' }, [
    el('label', { text: label, htmlFor: input.id || (input.id = `f-${input.name}`) }), input, hint ? el('div', { class: 'hint', text: hint }) : null,
  ]);

  form.append(
    summary,
    el('fieldset', {}, [
      el('legend', { text: '来源' }),
      el('div', { class: 'fields' }, [
        field('届次 *', sessionSelect, { span: 'widest' }),
        field('编号 *', number),
        field('本县角色 *', role),
        field('交办日期', assigned),
      ]),
    ]),
    el('fieldset', {}, [
      el('legend', { text: '内容' }),
      el('div', { class: 'fields' }, [
        field('标题（案由） *', title, { span: 'row' }),
        el('div', { class: 'field row' }, similarBox),
        field('类别', categorySelect, { span: 'wide' }),
        el('div', { class: 'field wide' }, [el('label', { class: 'check' }, [isKey, '重点建议/提案']), leader]),
        field('正文', fullText, { span: 'row' }),
      ]),
    ]),
    el('fieldset', {}, [
      el('legend', { text: '提出人（第一行为领衔人）' }),
      el('table', { class: 'rows' }, [
        el('thead', {}, el('tr', {}, ['姓名或名称 *', '集体', '代表团或界别', '电话', ''].map((h) => el('th', { text: h })))),
        proposerRows,
      ]),
      el('div', { class: 'row-actions' }, [
        el('button', { type: 'button', class: 'small', text: '添加联名人', testid: 'add-proposer', on: { click: () => addProposer().querySelector('input').focus() } }),
        field('联名总人数', signersTotal),
      ]),
    ]),
    el('fieldset', {}, [
      el('legend', { text: '承办单位' }),
      el('table', { class: 'rows' }, [
        el('thead', {}, el('tr', {}, ['单位', '主办/协办', '分管领导', '承办人', '电话', ''].map((h) => el('th', { text: h })))),
        assignmentRows,
      ]),
      assignmentsError,
      el('div', { class: 'row-actions' }, el('button', { type: 'button', class: 'small', text: '添加承办单位', testid: 'add-assignment',
        on: { click: () => addAssignment().querySelector('select').focus() } })),
    ]),
    el('fieldset', {}, [
      el('legend', { text: '备注' }),
      el('div', { class: 'fields' }, field('备注', note, { span: 'row', hint: '在备注栏按回车键即保存；按 Esc 取消。' })),
    ]),
    escBar,
    el('div', { class: 'form-actions' }, [
      el('button', { type: 'button', class: 'primary', text: '保存', testid: 'save-item', on: { click: () => save(false) } }),
      editing ? null : el('button', { type: 'button', text: '保存并登记下一件', testid: 'save-next', on: { click: () => save(true) } }),
      el('button', { type: 'button', text: '取消', testid: 'cancel', on: { click: cancel } }),
    ]),
  );

  container.append(
    el('header', { class: 'screen-head' }, [
      el('h1', { text: editing ? `编辑：第${item.number}号${item.session.kind}` : '登记建议或提案' }),
      editing ? null : el('a', { class: 'button', href: '#/import', text: '从交办清单导入', testid: 'go-import' }),
    ]),
    form,
  );
  (editing ? title : (sessionSelect.value ? number : sessionSelect)).focus();
  // An item opened for editing shows its similar items as the form opens.
  if (editing) similarNow();
}

/** The edit form's starting values from a stored item. */
function fromItem(item) {
  return {
    session_id: item.session.id,
    number: item.number,
    title: item.title,
    full_text: item.full_text,
    category_id: item.category_id,
    county_role: item.county_role,
    is_key: item.is_key,
    supervising_leader: item.supervising_leader,
    assigned_on: item.assigned_on || '',
    signers_total: item.signers_total ? String(item.signers_total) : '',
    note: item.note,
    proposers: item.proposers,
    assignments: item.assignments.map((a) => ({ ...a })),
  };
}
