// 相似件 and 关联: the table of similar items of all years (the intake form as the title is
// typed, the item's page), the line of what they propose, and the item's links. Every text
// reaches the screen through textContent.

import { api } from './api.js';
import { el, fill, showError, toast } from './dom.js';
import { appInfo } from './app.js';

/** Why an item is shown: the words both titles share, the same proposer. */
function reason(item) {
  const parts = [];
  if (item.shared_words.length) parts.push(`共同词语：${item.shared_words.join('、')}`);
  if (item.same_proposer) parts.push('同一领衔人');
  return parts.join('；') || '正文相近';
}

const units = (item) => [item.lead_unit, ...item.assist_units].filter(Boolean).join('、');

/**
 * The similar items as a table, most similar first. `actions(item)` gives the buttons of a
 * row (the item's page links it); without it the rows only show.
 */
export function similarTable(items, { actions, linkable = true } = {}) {
  return el('table', { class: 'grid compact similar', testid: 'similar-table' }, [
    el('thead', {}, el('tr', {}, ['相似度', '年度', '编号', '标题', '领衔人', '承办单位', '结果', '为何相似', actions ? '' : null]
      .filter((h) => h !== null).map((h) => el('th', { text: h })))),
    el('tbody', {}, items.map((item) => el('tr', { testid: 'similar-row', 'data-id': String(item.id) }, [
      el('td', { class: 'num', text: `${item.similarity}%` }),
      el('td', { text: `${item.year}年` }),
      el('td', { text: `第${item.number}号${item.kind}` }),
      el('td', {}, linkable ? el('a', { href: `#/item/${item.id}`, text: item.title }) : item.title),
      el('td', { text: item.proposer_label }),
      el('td', { text: units(item) }),
      el('td', { text: item.class ? `${item.class}类` : '—' }),
      el('td', { class: 'muted', text: item.link ? `已标为${item.link}；${reason(item)}` : reason(item) }),
      actions ? el('td', { class: 'actions' }, actions(item)) : null,
    ]))),
  ]);
}

/** The words of what the similar items propose: 类别 科教文卫 · 主办 县教育局 · 协办 …; empty when nothing. */
export function proposalText(suggestions) {
  const parts = [];
  if (suggestions.category.length) parts.push(`类别 ${suggestions.category[0].name}`);
  if (suggestions.lead_unit.length) parts.push(`主办 ${suggestions.lead_unit[0].name}`);
  if (suggestions.assist_units.length) parts.push(`协办 ${suggestions.assist_units.map((c) => c.name).join('、')}`);
  return parts.join(' · ');
}

/**
 * The item's 相似件与关联 card: its links (with 取消关联 and, for 同类, 统一主办单位), then the
 * similar items with buttons to link each as 同类 or 重复提出. `redraw` draws the card again.
 */
export async function similarCard(item) {
  const [links, similar] = await Promise.all([
    api.itemLinks(item.id),
    api.similarItems({ title: item.title, text: item.full_text, proposers: item.proposers.map((p) => p.name), kind: item.session.kind, except: item.id }),
  ]);
  const card = el('section', { class: 'card', testid: 'similar-card' });
  const again = async () => card.replaceWith(await similarCard(item));
  const run = (work, done) => async () => {
    try {
      const result = await work();
      toast(done(result));
      await again();
    } catch (error) {
      showError(error);
    }
  };
  const linkButtons = (other) => appInfo.vocabulary.link_kinds.filter((kind) => kind !== other.link).map((kind) => el('button', {
    type: 'button', class: 'small', text: `标为${kind}`, testid: `link-${kind === '同类' ? 'same' : 'repeated'}`,
    on: { click: run(() => api.linkItems(item.id, other.id, kind), () => `已与${other.year}年第${other.number}号标为${kind}。`) },
  }));
  const sameClass = links.filter((l) => l.kind === '同类');
  fill(card, [
    el('h2', { text: `关联的建议提案（${links.length} 件）` }),
    links.length === 0
      ? el('p', { class: 'muted', testid: 'no-links', text: '尚未关联。可在下方的相似件中标为“同类”（集中办理）或“重复提出”（多年提、反复提）。' })
      : el('table', { class: 'grid compact', testid: 'links-table' }, [
        el('thead', {}, el('tr', {}, ['关联', '年度', '编号', '标题', '领衔人', '主办单位', '结果', ''].map((h) => el('th', { text: h })))),
        el('tbody', {}, links.map((l) => el('tr', { testid: 'link-row' }, [
          el('td', { text: l.kind }),
          el('td', { text: `${l.other.year}年` }),
          el('td', { text: `第${l.other.number}号${l.other.kind}` }),
          el('td', {}, el('a', { href: `#/item/${l.other.id}`, text: l.other.title, testid: 'link-open' })),
          el('td', { text: l.other.proposer_label }),
          el('td', { text: l.other.lead_unit || '' }),
          el('td', { text: l.class ? `${l.class}类` : '—' }),
          el('td', {}, el('button', { type: 'button', class: 'small', text: '取消关联', testid: 'unlink',
            on: { click: run(() => api.unlinkItems(item.id, l.other.id), () => '已取消关联。') } })),
        ]))),
      ]),
    sameClass.length && item.assignments.some((a) => a.role === '主办')
      ? el('div', { class: 'row-actions' }, el('button', { type: 'button', text: '把本件的主办单位用于本年尚未答复的同类件', testid: 'apply-lead',
        on: { click: run(() => api.applyLeadToSameClass(item.id), (n) => (n ? `已把 ${n} 件同类件的主办单位改为本件的主办单位。` : '同类件的主办单位已与本件相同，或已答复，没有改动。')) } }))
      : null,
    el('h2', { text: `相似的建议提案（${similar.items.length} 件）` }),
    similar.items.length === 0
      ? el('p', { class: 'muted', testid: 'no-similar', text: '台账中没有标题或正文相近的建议提案。' })
      : similarTable(similar.items, { actions: linkButtons }),
  ]);
  return card;
}
