// The 办理过程 part of an item's page: where the item stands (derived in Rust from its
// events), what it still waits for and by when, the form to record a step, and the
// timeline, whose wrong entries can be corrected or undone without being erased.

import { api } from '../api.js';
import { el, fill, select, formatDate, toast, showFieldErrors } from '../dom.js';
import { appInfo } from '../app.js';

/** Stands for the item's saved 主办答复 versions in a field's options. */
const DRAFTS = 'drafts';

/** The extra fields of each step: [name, label, options (for a drop-down) or null]. */
const stepFields = (words = appInfo.vocabulary) => ({
  退回: [['reason', '退回理由', null], ['proposed_unit', '建议改由哪个单位办理', null]],
  面商: [['method', '方式', words.meeting_methods], ['participants', '参加人员', null]],
  初审: [['passed', '初审结果', [['true', '通过'], ['false', '退回修改']]], ['reason', '退回修改的理由', null]],
  审定: [['leader', '审定领导', null]],
  正式答复: [['class', '办理结果', words.classes],
    ['doc_number', '答复文号', null], ['signed_by', '签发人', null], ['draft_id', '发出的答复稿', DRAFTS]],
  征求意见: [['channel', '沟通方式', words.channels], ['work', '对办理工作的评价', words.ratings],
    ['result', '对办理结果的评价', words.ratings], ['comments', '意见和建议', null]],
  回头看: [['progress', '进展情况', null], ['solved_on', '已解决日期（B类转为A类时填写）', null]],
  公开: [['mode', '公开属性', words.publication_modes], ['reason', '理由（依申请公开、不公开时必填）', null]],
});

export async function workflowSection(item, refresh) {
  const [work, drafts] = await Promise.all([api.itemWorkflow(item.id), api.replyDrafts(item.id)]);
  const units = item.assignments;
  const section = el('section', { class: 'card', testid: 'workflow' });
  // Newest first: a 正式答复 names the newest version unless the clerk picks another.
  const draftOptions = drafts.filter((d) => d.purpose === '主办答复').map((d) => [String(d.id), `第${d.version}版（${d.saved_at}保存）`]);
  const form = stepForm(item, units, refresh, draftOptions);

  const pending = work.due.length === 0
    ? el('p', { class: 'muted', testid: 'no-pending', text: '没有待办的环节。' })
    : el('table', { class: 'grid compact', testid: 'pending' }, [
      el('thead', {}, el('tr', {}, ['待办环节', '承办单位', '办理时限', '', ''].map((h) => el('th', { text: h })))),
      el('tbody', {}, work.due.map((d) => {
        const row = el('tr', { testid: 'pending-row', class: d.days_left < 0 ? 'late' : '' }, [
          el('td', { text: d.label }),
          el('td', { text: d.unit_name || (appInfo.vocabulary.office_steps.includes(d.step) ? '本办' : '') }),
          el('td', { text: d.due_on ? `${formatDate(d.due_on)}${d.overridden ? '（本件时限）' : ''}` : '无时限' }),
          el('td', { class: 'days', text: d.due_on ? d.days_text : '' }),
          el('td', { class: 'ops' }, d.step === '重新办理' ? null : el('button', { type: 'button', class: 'small', text: '调整本件时限',
            testid: 'override', on: { click: () => row.after(overrideForm(item, d, refresh)) } })),
        ]);
        return row;
      })),
    ]);

  // A closed year's steps that were never recorded: listed, no longer reminded of.
  const unitName = (id) => units.find((u) => u.unit_id === id)?.unit_name;
  const unrecorded = work.progress.unrecorded.length === 0 ? null : el('p', { class: 'muted', testid: 'unrecorded', text:
    `本年度办理工作已结束，以下环节未登记，不再提醒：${work.progress.unrecorded.map((p) => (unitName(p.unit_id) ? `${p.step}（${unitName(p.unit_id)}）` : p.step)).join('、')}。` });

  const timeline = item.events.length === 0
    ? el('p', { class: 'muted', testid: 'timeline-empty', text: '尚无办理记录。' })
    : el('table', { class: 'grid compact', testid: 'timeline' }, [
      el('thead', {}, el('tr', {}, ['日期', '环节', '单位', '内容', '备注', ''].map((h) => el('th', { text: h })))),
      el('tbody', {}, item.events.map((e) => {
        const row = el('tr', { testid: 'timeline-row', class: e.voided ? 'voided' : '' }, [
          el('td', { text: formatDate(e.happened_on) }),
          el('td', {}, [e.step, e.source ? el('span', { class: 'tag', testid: 'event-source', text: e.source.split('：')[0], title: e.source }) : null]),
          el('td', { text: e.unit_name || '' }),
          el('td', { text: e.summary }),
          el('td', { text: [e.note, e.source, e.voided ? e.void_reason : ''].filter(Boolean).join('；') }),
          el('td', { class: 'ops' }, e.voided ? null : [
            el('button', { type: 'button', class: 'small', text: '更正', testid: 'correct-event', on: { click: () => form.load(e) } }),
            el('button', { type: 'button', class: 'small', text: '撤销', testid: 'undo-event', on: { click: () => row.after(undoForm(e, refresh)) } }),
          ]),
        ]);
        return row;
      })),
    ]);

  // Without unrecorded steps that line is null: left out, as DOM append would write "null".
  fill(section, [
    el('h2', { text: '办理过程' }),
    el('p', { class: 'status-line' }, [
      '当前状态：', el('strong', { testid: 'workflow-status', text: work.progress.status }),
      work.progress.draft_returns ? `　答复样稿退回 ${work.progress.draft_returns} 次` : '',
      work.progress.redo_rounds ? `　重新办理 ${work.progress.redo_rounds} 次` : '',
      work.progress.class ? `　办理结果：${work.progress.class}类${work.progress.solved_on ? `（${formatDate(work.progress.solved_on)}转为A类）` : ''}` : '',
    ]),
    pending,
    unrecorded,
    el('h3', { text: '办理记录' }),
    timeline,
    form.node,
  ]);
  return section;
}

function stepForm(item, units, refresh, draftOptions) {
  let correcting = null;
  const step = select({ testid: 'step-kind', attrs: { 'aria-label': '办理环节' } }, [['', '请选择环节'], ...appInfo.vocabulary.steps.map((s) => [s, s])], '');
  const date = el('input', { testid: 'step-date', value: appInfo.today, class: 'short', attrs: { 'aria-label': '日期' } });
  const unit = select({ testid: 'step-unit', attrs: { 'aria-label': '单位' } },
    [['', '（不指定单位）'], ...units.map((u) => [u.unit_id, `${u.role}：${u.unit_name}`])], '');
  const note = el('input', { testid: 'step-note', class: 'wide', attrs: { 'aria-label': '备注' } });
  const extra = el('div', { class: 'inline-fields' });
  const errors = el('div', { class: 'error-summary', hidden: true, testid: 'step-errors', attrs: { role: 'alert' } });
  const title = el('h3', { text: '登记办理环节' });
  const cancel = el('button', { type: 'button', text: '取消更正', hidden: true, on: { click: () => reset() } });
  let inputs = {};

  const showFields = (values = {}) => {
    inputs = {};
    extra.replaceChildren(...(stepFields()[step.value] || []).map(([name, label, options]) => {
      if (options === DRAFTS) {
        const value = correcting ? values[name] ?? '' : draftOptions[0]?.[0] ?? '';
        inputs[name] = select({ testid: `step-${name}` }, [['', '（不关联答复稿）'], ...draftOptions], String(value));
        return el('label', {}, [label, inputs[name]]);
      }
      const value = values[name] ?? '';
      inputs[name] = options
        ? select({ testid: `step-${name}` }, [['', '请选择'], ...options.map((o) => (Array.isArray(o) ? o : [o, o]))], String(value))
        : el('input', { testid: `step-${name}`, value, class: name === 'comments' || name === 'progress' ? 'wide' : '' });
      return el('label', {}, [label, inputs[name]]);
    }));
    const lead = units.find((u) => u.role === '主办');
    if (!correcting) unit.value = appInfo.vocabulary.office_steps.includes(step.value) || !lead ? '' : String(appInfo.vocabulary.unit_steps.includes(step.value) ? '' : lead.unit_id);
  };
  step.addEventListener('change', () => showFields());

  const reset = () => {
    correcting = null;
    step.value = '';
    date.value = appInfo.today;
    note.value = '';
    unit.value = '';
    title.textContent = '登记办理环节';
    cancel.hidden = true;
    errors.hidden = true;
    showFields();
  };

  const save = async () => {
    const input = { step: step.value, happened_on: date.value, unit_id: unit.value ? Number(unit.value) : null, note: note.value };
    for (const [name, node] of Object.entries(inputs)) {
      if (name === 'passed') input[name] = node.value === '' ? null : node.value === 'true';
      else if (name === 'draft_id') input[name] = node.value === '' ? null : Number(node.value);
      else input[name] = node.value;
    }
    try {
      if (correcting) await api.correctStep(correcting, input);
      else await api.recordStep(item.id, input);
    } catch (error) {
      showFieldErrors(error, { step, happened_on: date, unit_id: unit, note, ...inputs }, errors, 'step-error');
      return;
    }
    toast(correcting ? '已更正，原记录保留在办理记录中。' : `已登记：${input.step}。`);
    await refresh();
  };

  const node = el('div', { class: 'step-form', testid: 'step-form' }, [
    title,
    errors,
    el('div', { class: 'inline-fields' }, [
      el('label', {}, ['环节', step]), el('label', {}, ['日期', date]), el('label', {}, ['单位', unit]),
    ]),
    extra,
    el('div', { class: 'inline-fields' }, [
      el('label', {}, ['备注', note]),
      el('button', { type: 'button', class: 'primary', text: '登记', testid: 'step-save', on: { click: save } }),
      cancel,
    ]),
  ]);

  return {
    node,
    /** Loads a timeline entry into the form to correct it. */
    load(event) {
      correcting = event.id;
      step.value = event.step;
      date.value = event.happened_on;
      unit.value = event.unit_name ? String(units.find((u) => u.unit_name === event.unit_name)?.unit_id ?? '') : '';
      note.value = event.note;
      const d = event.details || {};
      showFields({ ...d, reason: d.reasons ?? d.reason, passed: d.passed === undefined ? '' : String(d.passed) });
      title.textContent = `更正：${formatDate(event.happened_on)} ${event.step}`;
      cancel.hidden = false;
      node.scrollIntoView();
    },
  };
}

function undoForm(event, refresh) {
  const reason = el('input', { testid: 'undo-reason', class: 'wide', placeholder: '撤销原因（必填），如 误登' });
  const errors = el('span', { class: 'field-error' });
  const undo = async () => {
    try {
      await api.undoStep(event.id, reason.value);
    } catch (error) {
      errors.textContent = error.message;
      return;
    }
    toast('已撤销，原记录保留并标明撤销原因。');
    await refresh();
  };
  return el('tr', {}, el('td', { colSpan: 6 }, el('div', { class: 'inline-fields' }, [
    el('label', {}, ['撤销原因', reason]),
    el('button', { type: 'button', class: 'danger small', text: '确定撤销', testid: 'undo-save', on: { click: undo } }),
    errors,
  ])));
}

function overrideForm(item, due, refresh) {
  const date = el('input', { testid: 'override-date', class: 'short', value: due.overridden ? due.due_on : '', placeholder: '如 2025-04-30' });
  const note = el('input', { testid: 'override-note', class: 'wide', placeholder: '原因，如 重点件提前答复' });
  const errors = el('span', { class: 'field-error' });
  const save = async () => {
    try {
      await api.setDeadlineOverride(item.id, due.step, date.value, note.value);
    } catch (error) {
      errors.textContent = error.message;
      return;
    }
    toast(date.value.trim() ? '已设置本件时限。' : '已恢复按年度模板计算时限。');
    await refresh();
  };
  return el('tr', {}, el('td', { colSpan: 5 }, el('div', { class: 'inline-fields' }, [
    el('label', {}, [`${due.label}的本件时限（留空则按年度模板）`, date]), el('label', {}, ['原因', note]),
    el('button', { type: 'button', class: 'primary small', text: '保存', testid: 'override-save', on: { click: save } }),
    errors,
  ])));
}
