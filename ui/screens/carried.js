// 往年B类件: every B item of an earlier year still followed, then those solved since the
// start of last year (older solved ones stay in the ledger), with its reply, this year's
// 回头看 deadline and every 回头看 so far. A B item becomes A by recording a 回头看
// with the date it was solved, on the item's page; the progress written there is the evidence.

import { api } from '../api.js';
import { el, formatDate, fillPager } from '../dom.js';

export async function render(container) {
  const first = await api.carriedBItems(0);
  const tbody = el('tbody');
  const pager = el('div', { class: 'pager' });
  // A decade of B items comes a page at a time, the ones still followed first.
  const show = (page) => {
    tbody.replaceChildren(...page.rows.map(carriedRow));
    fillPager(pager, page, async (offset) => show(await api.carriedBItems(offset)), '件');
  };
  show(first);
  container.append(
    el('header', { class: 'screen-head' }, [
      el('a', { class: 'button', href: '#/stats', text: '返回统计' }),
      el('h1', { text: '往年B类件跟踪' }),
      el('span', { class: 'count', testid: 'carried-count', text: `共 ${first.total} 件，仍在跟踪 ${first.following} 件，已转为A类 ${first.total - first.following} 件` }),
    ]),
    el('p', { class: 'muted', text: '转为A类：打开该件，在“办理过程”中登记“回头看”，写明进展并填写已解决日期。已转为A类的只列去年以来的，更早的在台账中按年度查看。' }),
    el('div', { class: 'table-wrap' }, el('table', { class: 'grid compact', testid: 'carried-table' }, [
      el('thead', {}, el('tr', {}, ['年度', '类型', '编号', '标题', '主办单位', '正式答复', '本年回头看时限', '回头看记录', '状态'].map((h) => el('th', { text: h })))),
      tbody,
    ])),
    pager,
  );
}

function carriedRow(i) {
  return el('tr', { testid: 'carried-row' }, [
    el('td', { text: `${i.year}年` }),
    el('td', { text: i.stream }),
    el('td', { text: i.number }),
    el('td', {}, el('a', { href: `#/item/${i.item_id}`, text: i.title, testid: 'carried-link' })),
    el('td', { text: i.lead_unit || '' }),
    el('td', { text: `${formatDate(i.replied_on)} ${i.doc_number}` }),
    el('td', { text: i.due_on ? formatDate(i.due_on) : '' }),
    el('td', {}, i.lookbacks.map(([day, progress]) => el('div', { text: `${formatDate(day)}：${progress}` }))),
    el('td', { text: i.solved_on ? `${formatDate(i.solved_on)}已解决，转为A类` : 'B类，跟踪中' }),
  ]);
}
