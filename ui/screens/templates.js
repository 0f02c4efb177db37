// 答复模板: the templates reply drafts start from (主办答复 and 协办意见, for 建议 and for
// 提案). Each part may use the placeholders listed beside the form; Rust refuses an unknown
// one and says which part has it. "另存为新模板" keeps the one being edited as it was.

import { api } from '../api.js';
import { el, redraw, select, toast, showFieldErrors } from '../dom.js';
import { appInfo } from '../app.js';

const PARTS = [
  ['title', '标题', 'input'],
  ['salutation', '称呼', 'input'],
  ['opening', '开头', 'textarea'],
  ['body', '正文（可留空，写答复时再填）', 'textarea'],
  ['closing', '结束语', 'input'],
  ['cc', '抄送', 'input'],
];

export async function render(container, { id }) {
  const list = await api.replyTemplates();
  const editing = list.templates.find((t) => t.id === id) || list.templates[0];
  const inputs = {
    name: el('input', { testid: 'template-name', value: editing?.name || '' }),
    kind: select({ testid: 'template-kind' }, appInfo.vocabulary.kinds.map((k) => [k, k]), editing?.kind),
    purpose: select({ testid: 'template-purpose' }, appInfo.vocabulary.reply_purposes, editing?.purpose),
  };
  for (const [name, , kind] of PARTS) {
    inputs[name] = el(kind, { testid: `template-${name}`, value: editing?.[name] || '', rows: 3 });
  }
  const errors = el('div', { class: 'error-summary', hidden: true, testid: 'template-errors', attrs: { role: 'alert' } });
  const save = async (asNew) => {
    const input = Object.fromEntries(Object.entries(inputs).map(([name, node]) => [name, node.value]));
    try {
      const saved = await api.saveReplyTemplate(asNew ? null : editing?.id ?? null, input);
      toast(asNew ? '已另存为新模板。' : '模板已保存。');
      // A new address re-renders the screen by itself; the same one needs it done here.
      const address = `#/templates/${saved}`;
      if (location.hash === address) {
        await redraw(container, render, { id: saved });
      } else {
        location.hash = address;
      }
    } catch (error) {
      showFieldErrors(error, inputs, errors);
    }
  };
  const field = (label, input, wide) => el('div', { class: `field ${wide}` }, [el('label', { text: label }), input]);

  container.append(
    el('header', { class: 'screen-head' }, [
      el('a', { class: 'button', href: '#/settings', text: '返回设置' }),
      el('h1', { text: '答复模板' }),
    ]),
    el('div', { class: 'reply-layout' }, [
      el('section', { class: 'card', testid: 'template-form' }, [
        el('h2', { text: editing ? `编辑：${editing.name}` : '新模板' }),
        errors,
        el('div', { class: 'fields' }, [
          field('模板名称', inputs.name, 'wide'),
          field('用于', inputs.kind, ''),
          field('类型', inputs.purpose, ''),
          ...PARTS.map(([name, label]) => field(label, inputs[name], 'row')),
        ]),
        el('div', { class: 'form-actions' }, [
          el('button', { type: 'button', class: 'primary', text: '保存模板', testid: 'template-save', on: { click: () => save(false) } }),
          el('button', { type: 'button', text: '另存为新模板', testid: 'template-save-new', on: { click: () => save(true) } }),
        ]),
      ]),
      el('div', {}, [
        el('section', { class: 'card', testid: 'template-list' }, [
          el('h2', { text: '全部模板' }),
          el('table', { class: 'grid compact' }, el('tbody', {}, list.templates.map((t) => el('tr', {}, [
            el('td', { class: t.id === editing?.id ? 'current' : '' }, t.id === editing?.id ? t.name
              : el('a', { href: `#/templates/${t.id}`, text: t.name })),
            el('td', { text: `${t.kind} · ${t.purpose}` }),
          ])))),
        ]),
        el('section', { class: 'card' }, [
          el('h2', { text: '可用的占位符' }),
          el('div', { class: 'placeholders', testid: 'placeholders' }, list.placeholders.map((p) =>
            el('span', {}, [el('code', { text: `{${p.name}}` }), ` ${p.meaning}`]))),
        ]),
      ]),
    ]),
  );
}
