// The print view of one saved reply draft, in the party-and-government document layout of
// GB/T 9704 (pages/official.css sets the page, styles.css the letter). The lines come from
// Rust, the same ones the .docx gets. Above the letter, not printed: 打印, 导出Word, and which
// fonts this PC has for it.

import { api } from '../api.js';
import { el, reportSaved } from '../dom.js';
import { fontLine } from '../fonts.js';
import { printView } from '../print.js';

/** The fonts of the print stylesheet (styles.css, .official), preferred first; then the generic serif. */
const TITLE_FONTS = ['方正小标宋简体', 'FZXiaoBiaoSong-B05S', '小标宋', '宋体', 'SimSun', 'Noto Serif CJK SC'];
const BODY_FONTS = ['仿宋_GB2312', '仿宋', 'FangSong', 'STFangsong', 'Noto Serif CJK SC'];

/** The size of one character of the letter's grid: 三号 advancing 15.75 pt. */
const CHAR_PT = 15.75;

export async function render(container, { id }) {
  const draft = await api.replyDraft(id);
  const letter = draft.content;
  const lines = draft.lines;
  const fonts = [fontLine('标题', TITLE_FONTS), fontLine('正文', BODY_FONTS)];
  const blank = () => el('p', {});
  const signer = el('p', { class: 'doc-sign', text: letter.signer });
  signer.style.paddingRight = `${lines.signer_offset * CHAR_PT}pt`;

  container.append(
    el('header', { class: 'screen-head no-print' }, [
      el('a', { class: 'button', href: `#/reply/${draft.item_id}/${draft.id}`, text: '返回编辑', testid: 'back-to-editor' }),
      el('span', { class: 'muted', text: `第${draft.version}版，${draft.saved_at}保存` }),
      el('div', { class: 'spacer' }),
      el('button', { type: 'button', class: 'primary', text: '打印', testid: 'print-reply', on: { click: () => printView() } }),
      el('button', { type: 'button', text: '导出Word', testid: 'print-export', on: { click: () => reportSaved(api.exportReply(draft.id)) } }),
    ]),
    el('div', { class: 'notice no-print', testid: 'font-notice' }, fonts.map((f) =>
      el('span', { class: `font-notice${f.fallback ? ' fallback' : ''}`, text: f.text }))),
    el('article', { class: 'official', testid: 'reply-page' }, [
      letter.class ? el('p', { class: 'doc-mark', testid: 'reply-mark', text: letter.class }) : null,
      el('h1', { class: 'doc-title', text: letter.title }),
      blank(),
      el('p', { text: letter.salutation }),
      ...lines.paragraphs.map((p) => el('p', { class: 'doc-para', text: p })),
      blank(),
      blank(),
      signer,
      el('p', { class: 'doc-date', text: lines.date }),
      el('p', { class: 'doc-note', text: lines.publication_note }),
      lines.contact_note ? el('p', { class: 'doc-note', text: lines.contact_note }) : null,
      ...(lines.cc_line ? [blank(), el('p', { class: 'doc-cc', text: lines.cc_line })] : []),
    ]),
  );
}
