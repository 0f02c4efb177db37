// One item: everything the ledger holds about it, with 编辑 and 删除 (to the recycle bin),
// and the way to its reply drafts and its printable 征求意见表.

import { api } from '../api.js';
import { el, redraw, formatDate, toast, showError } from '../dom.js';
import { workflowSection } from './workflow.js';
import { appInfo, refreshBadge } from '../app.js';
import { logTable } from './log.js';
import { similarCard } from '../similar.js';

/**
 * The item's 办理过程 section. After a step is recorded, corrected or undone only this
 * section is drawn again (and the count beside 提醒), not the whole page.
 */
async function workflow(item) {
  const section = await workflowSection(item, async () => {
    section.replaceWith(await workflow(await api.getItem(item.id)));
    await refreshBadge();
  });
  return section;
}

/** How many changes the item's page shows; the rest are one click away. */
const HISTORY_SHOWN = 8;

export async function render(container, { id }) {
  const [item, history] = await Promise.all([api.getItem(id), api.operationLog({ item_id: id })]);
  const kind = item.session.kind;
  const who = new Map(appInfo.vocabulary.proposer_titles).get(kind);

  const actions = item.deleted_at
    ? [el('button', { type: 'button', class: 'primary', text: '从回收站恢复', testid: 'restore-item', on: { click: async () => {
        await api.restoreItem(id).catch(showError);
        toast('已恢复到台账。');
        redraw(container, render, { id });
      } } })]
    : [
        item.county_role === '参考' ? null : el('a', { class: 'button', href: `#/reply/${id}`, text: '答复样稿', testid: 'open-reply' }),
        item.county_role === '主办' ? el('a', { class: 'button', href: `#/opinion-print/${id}`, text: '打印征求意见表', testid: 'open-opinion-form' }) : null,
        el('a', { class: 'button primary', href: `#/edit/${id}`, text: '编辑', testid: 'edit-item' }),
        el('button', { type: 'button', class: 'danger', text: '删除', testid: 'delete-item', on: { click: async () => {
          try {
            await api.deleteItem(id);
          } catch (error) {
            showError(error);
            return;
          }
          toast(`已将第${item.number}号${kind}移入回收站。`, { action: { label: '撤销', run: async () => {
            await api.restoreItem(id).catch(showError);
            location.hash = `#/item/${id}`;
          } } });
          location.hash = '#/ledger';
        } } }),
      ];

  const field = (label, value, testid) => [el('dt', { text: label }), el('dd', { text: value || '—', testid })];
  container.append(
    el('header', { class: 'screen-head' }, [
      el('a', { class: 'button', href: item.deleted_at ? '#/bin' : '#/ledger', text: item.deleted_at ? '返回回收站' : '返回台账', testid: 'back' }),
      el('div', { class: 'spacer' }),
      ...actions,
    ]),
    ...(item.deleted_at ? [el('div', { class: 'notice', testid: 'in-bin', text: `这件在回收站中（${item.deleted_at} 删除）。恢复后才能修改。` })] : []),
    el('h1', { class: 'item-title', testid: 'item-title', text: item.title }),
    el('p', { class: 'item-sub', testid: 'item-sub', text: `${item.session.year}年 ${item.session.name} 第${item.number}号${kind}` }),
    el('section', { class: 'card' }, [
      el('h2', { text: '基本信息' }),
      el('dl', { class: 'facts' }, [
        ...field('类型', item.stream),
        ...field('届次', item.session.name),
        ...field('编号', `第${item.number}号`, 'detail-number'),
        ...field('类别', item.category, 'detail-category'),
        ...field('本县角色', item.county_role, 'detail-role'),
        ...field('重点件', item.is_key ? `是（督办领导：${item.supervising_leader || '未填写'}）` : '否', 'detail-key'),
        ...field('交办日期', formatDate(item.assigned_on), 'detail-assigned'),
        ...field('领衔人', item.proposer_label, 'detail-proposer'),
        ...field('备注', item.note, 'detail-note'),
      ]),
    ]),
    ...(item.deleted_at ? [] : [await workflow(item)]),
    el('section', { class: 'card' }, [
      el('h2', { text: `提出人（${item.proposers.length} 人${item.signers_total ? `，联名共 ${item.signers_total} 人` : ''}）` }),
      table(['', `姓名或名称`, kind === '建议' ? '代表团' : '界别', '电话'], item.proposers.map((p, i) => [
        i === 0 ? `领衔${p.is_collective ? '（集体）' : who}` : (p.is_collective ? '联名（集体）' : '联名'), p.name, p.delegation, p.phone,
      ]), 'detail-proposers'),
    ]),
    el('section', { class: 'card' }, [
      el('h2', { text: '承办单位' }),
      item.assignments.length === 0
        ? el('p', { class: 'muted', text: item.county_role === '参考' ? '参考件，无需交办。' : '尚未交办。' })
        : table(['角色', '单位', '分管领导', '承办人', '电话'], item.assignments.map((a) => [
          a.role, a.unit_active ? a.unit_name : `${a.unit_name}（已停用）`, a.leader, a.handler, a.phone,
        ]), 'detail-units'),
    ]),
    el('section', { class: 'card' }, [
      el('h2', { text: '正文' }),
      el('div', { class: 'full-text', testid: 'detail-text', text: item.full_text || '（未录入正文）' }),
    ]),
    ...(item.deleted_at ? [] : [await similarCard(item)]),
    el('section', { class: 'card', testid: 'item-history' }, [
      el('h2', { text: `修改记录（${history.length} 条）` }),
      logTable(history.slice(0, HISTORY_SHOWN), false, 'history-table'),
      history.length > HISTORY_SHOWN ? el('a', { href: `#/log/${id}`, text: '查看全部修改记录', testid: 'all-history' }) : null,
    ]),
    el('p', { class: 'muted small', text: `登记于 ${item.created_at}，最后修改于 ${item.updated_at}` }),
  );
}

function table(headers, rows, testid) {
  return el('table', { class: 'grid compact', testid }, [
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { text: h })))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', { text: c || '' }))))),
  ]);
}
