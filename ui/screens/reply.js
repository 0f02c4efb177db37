// 答复样稿: the lead unit's reply to the proposer (主办答复), or an assisting unit's 协办意见,
// for one item. A template filled in Rust gives the first draft; the clerk edits every part;
// each save is a new version, and any earlier one can be opened again from the list beside
// the form. #/reply/<item id> opens the newest version, #/reply/<item id>/<draft id> that one.

import { api } from '../api.js';
import { el, select, formatDate, toast, showFieldErrors, reportSaved } from '../dom.js';
import { appInfo } from '../app.js';


export async function render(container, { id, sub }) {
  const [item, list, drafts] = await Promise.all([api.getItem(id), api.replyTemplates(), api.replyDrafts(id)]);
  const head = el('header', { class: 'screen-head' }, [
    el('a', { class: 'button', href: `#/item/${id}`, text: '返回本件', testid: 'back-to-item' }),
    el('h1', { text: `答复样稿：第${item.number}号${item.session.kind}` }),
  ]);
  if (item.county_role === '参考') {
    container.append(head, el('div', { class: 'notice', text: '参考件无需答复。' }));
    return;
  }

  const templates = list.templates.filter((t) => t.kind === item.session.kind);
  const lead = item.assignments.find((a) => a.role === '主办');
  const preferred = item.county_role === '主办' ? '主办答复' : '协办意见';
  /** The version in the form (null: a new letter not saved yet) and the thread it belongs to. */
  let shown = sub ? drafts.find((d) => d.id === sub) : drafts[0];
  let thread = shown ? { purpose: shown.purpose, unit_id: shown.unit_id, template_id: shown.template_id } : null;
  let dirty = false;

  // --- 模板 ---------------------------------------------------------------------------
  const templateSelect = select({ testid: 'reply-template', attrs: { 'aria-label': '模板' } },
    templates.map((t) => [t.id, `${t.name}（${t.purpose}）`]),
    (templates.find((t) => t.id === thread?.template_id) || templates.find((t) => t.purpose === preferred) || templates[0])?.id);
  const unitSelect = select({ testid: 'reply-unit', attrs: { 'aria-label': '承办单位' } },
    item.assignments.map((a) => [a.unit_id, `${a.role}：${a.unit_name}`]), thread?.unit_id ?? lead?.unit_id);

  // --- 信函 ---------------------------------------------------------------------------
  const inputs = {
    class: select({ testid: 'reply-class' }, [['', '未定'], ...appInfo.vocabulary.classes], ''),
    title: el('input', { testid: 'reply-title' }),
    salutation: el('input', { testid: 'reply-salutation' }),
    opening: el('textarea', { testid: 'reply-opening', rows: 2 }),
    body: el('textarea', { testid: 'reply-body', class: 'body', rows: 12, placeholder: '一段一行；从 Word 或 WPS 粘贴时段落会保留。' }),
    closing: el('input', { testid: 'reply-closing' }),
    signer: el('input', { testid: 'reply-signer' }),
    date: el('input', { testid: 'reply-date' }),
    publication: select({ testid: 'reply-publication' }, appInfo.vocabulary.publication_modes.map((p) => [p, p]), appInfo.vocabulary.publication_modes[0]),
    contact: el('input', { testid: 'reply-contact' }),
    phone: el('input', { testid: 'reply-phone' }),
    cc: el('input', { testid: 'reply-cc', placeholder: '多个单位用顿号隔开' }),
  };
  const note = el('input', { testid: 'reply-note', placeholder: '如 按初审意见修改第二部分' });
  const errors = el('div', { class: 'error-summary', hidden: true, testid: 'reply-errors', attrs: { role: 'alert' } });
  const versionLine = el('p', { class: 'muted', testid: 'reply-version' });
  const field = (label, input, wide) => el('div', { class: `field${wide ? ` ${wide}` : ''}` }, [el('label', { text: label }), input]);

  const fill = (content) => {
    for (const [name, input] of Object.entries(inputs)) {
      const value = content[name] ?? '';
      input.value = name === 'date' ? formatDate(value) : String(value);
    }
    errors.hidden = true;
    Object.values(inputs).forEach((i) => i.classList.remove('invalid'));
  };
  const describe = () => {
    versionLine.textContent = shown
      ? `${threadName(shown)} 第${shown.version}版，${shown.saved_at}保存${shown.is_final ? '，已作为正式答复发出' : ''}${dirty ? '（有未保存的修改）' : ''}`
      : '新稿，尚未保存';
  };
  const startFromTemplate = async () => {
    const template = templates.find((t) => String(t.id) === templateSelect.value);
    if (!template) return;
    try {
      fill(await api.startReply(id, template.id, unitSelect.value ? Number(unitSelect.value) : null));
    } catch (error) {
      showFieldErrors(error, { template_id: templateSelect, unit_id: unitSelect }, errors);
      return;
    }
    shown = null;
    thread = { purpose: template.purpose, unit_id: unitSelect.value ? Number(unitSelect.value) : null, template_id: template.id };
    dirty = true;
    describe();
  };
  templateSelect.addEventListener('change', () => {
    const template = templates.find((t) => String(t.id) === templateSelect.value);
    const unit = template?.purpose === '协办意见' ? item.assignments.find((a) => a.role === '协办') || lead : lead;
    if (unit) unitSelect.value = String(unit.unit_id);
  });

  const save = async () => {
    const content = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value]));
    let saved;
    try {
      saved = await api.saveReply(id, { ...thread, content, note: note.value });
    } catch (error) {
      showFieldErrors(error, inputs, errors);
      return;
    }
    dirty = false;
    toast(`已保存为第${saved.version}版。`);
    location.hash = `#/reply/${id}/${saved.id}`;
  };
  /** A unit's own draft in Word, read into the next version of the chosen thread. */
  const fromWord = async () => {
    let saved;
    try {
      saved = await api.draftFromWord(id, Number(templateSelect.value), unitSelect.value ? Number(unitSelect.value) : null);
    } catch (error) {
      showFieldErrors(error, inputs, errors);
      return;
    }
    if (!saved) return;
    dirty = false;
    toast(`已读入为第${saved.version}版，请核对各部分后再打印。`);
    location.hash = `#/reply/${id}/${saved.id}`;
  };
  /** Printing and exporting take a saved version, so what is printed is what is kept. */
  const savedOnly = (run) => () => {
    if (!shown || dirty) {
      toast('请先保存，再打印或导出。', { error: true });
      return;
    }
    run(shown);
  };

  const form = el('form', { class: 'card', testid: 'reply-form', attrs: { novalidate: '' } }, [
    el('div', { class: 'inline-fields' }, [
      el('label', {}, ['模板', templateSelect]),
      el('label', {}, ['承办单位', unitSelect]),
      el('button', { type: 'button', text: '按模板重新生成', testid: 'reply-start', on: { click: startFromTemplate } }),
      el('button', { type: 'button', text: '读入单位发来的Word稿…', testid: 'reply-from-word',
        title: '单位发来的答复样稿或协办意见（.docx）：按所选模板和单位读入，成为新的一版', on: { click: fromWord } }),
      el('a', { class: 'button', href: '#/templates', text: '编辑模板' }),
    ]),
    versionLine,
    errors,
    el('div', { class: 'fields' }, [
      field('办理结果（首页右上角）', inputs.class),
      field('公开属性', inputs.publication),
      field('日期', inputs.date),
      field('落款单位', inputs.signer),
      field('标题', inputs.title, 'row'),
      field('称呼', inputs.salutation, 'wide'),
      field('抄送', inputs.cc, 'wide'),
      field('开头', inputs.opening, 'row'),
      field('正文（一段一行）', inputs.body, 'row'),
      field('结束语', inputs.closing, 'row'),
      field('联系人', inputs.contact),
      field('联系电话', inputs.phone),
      field('本版说明', note, 'wide'),
    ]),
    el('div', { class: 'form-actions' }, [
      el('button', { type: 'button', class: 'primary', text: '保存为新版本', testid: 'reply-save', on: { click: save } }),
      el('button', { type: 'button', text: '打印预览', testid: 'reply-preview',
        on: { click: savedOnly((d) => { location.hash = `#/reply-print/${d.id}`; }) } }),
      el('button', { type: 'button', text: '导出Word', testid: 'reply-export', on: { click: savedOnly((d) => reportSaved(api.exportReply(d.id))) } }),
    ]),
  ]);
  form.addEventListener('input', () => { if (!dirty) { dirty = true; describe(); } });

  container.append(head, el('div', { class: 'reply-layout' }, [form, versionList(id, drafts, shown)]));
  if (shown) {
    fill(shown.content);
    note.value = '';
    describe();
  } else {
    await startFromTemplate();
  }
}

function threadName(draft) {
  return draft.purpose === '协办意见' ? `协办意见（${draft.unit_name || ''}）` : '主办答复';
}

/** Every saved version, newest first; opening one puts it in the form. */
function versionList(itemId, drafts, shown) {
  return el('section', { class: 'card', testid: 'reply-versions' }, [
    el('h2', { text: `已保存的版本（${drafts.length}）` }),
    drafts.length === 0
      ? el('p', { class: 'muted', text: '还没有保存过。保存后每一版都留在这里，可以随时打开。' })
      : el('table', { class: 'grid compact versions' }, [
        el('thead', {}, el('tr', {}, ['版本', '保存时间', '说明', ''].map((h) => el('th', { text: h })))),
        el('tbody', {}, drafts.map((d) => el('tr', { testid: 'reply-version-row' }, [
          el('td', { class: d.id === shown?.id ? 'current' : '' }, [
            `${threadName(d)} 第${d.version}版`, d.is_final ? el('span', { class: 'tag', text: '正式答复' }) : null,
          ]),
          el('td', { text: d.saved_at.slice(5, 16) }),
          el('td', { text: d.note }),
          el('td', { class: 'ops' }, d.id === shown?.id ? '当前' : el('a', { class: 'button small', href: `#/reply/${itemId}/${d.id}`,
            text: '打开', testid: `open-version-${d.version}` })),
        ]))),
      ]),
  ]);
}
