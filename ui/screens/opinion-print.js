// The 征求意见表 of one item as a printable A4 form (pages/form.css), to send with the reply
// and get back signed. Its words come from Rust, the same as the form sheet of the workbook.

import { api } from '../api.js';
import { el } from '../dom.js';
import { printView } from '../print.js';

export async function render(container, { id }) {
  const form = await api.opinionForm(id);
  const row = (cells) => el('tr', {}, cells.map(([tag, text, span]) => el(tag, { text, colSpan: span || 1 })));
  container.append(
    el('header', { class: 'screen-head no-print' }, [
      el('a', { class: 'button', href: `#/item/${id}`, text: '返回本件' }),
      el('div', { class: 'spacer' }),
      el('button', { type: 'button', class: 'primary', text: '打印', testid: 'print-opinion', on: { click: () => printView() } }),
    ]),
    el('article', { class: 'opinion-form', testid: 'opinion-page' }, [
      el('h1', { text: form.heading }),
      el('table', {}, el('tbody', {}, [
        row([['th', form.number_label], ['td', form.number], ['th', '答复日期'], ['td', form.replied_on]]),
        row([['th', '标　　题'], ['td', form.title, 3]]),
        row([['th', form.proposer_label], ['td', form.proposers], ['th', '承办单位'], ['td', form.lead_unit]]),
        row([['th', '沟通方式'], ['td', form.channel_boxes, 3]]),
        row([['th', '对办理工作的评价'], ['td', form.rating_boxes, 3]]),
        row([['th', '对办理结果的评价'], ['td', form.rating_boxes, 3]]),
        el('tr', { class: 'comments' }, [el('th', { text: '意见和建议' }), el('td', { colSpan: 3 })]),
        row([['th', form.signature_label], ['td', ''], ['th', '日　　期'], ['td', '　　　年　　月　　日']]),
      ])),
      el('p', { class: 'form-foot', text: form.return_note }),
    ]),
  );
}
