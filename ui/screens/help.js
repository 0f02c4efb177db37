// 帮助: the clerk's guide (docs/用户指南.md, sent by Rust), drawn from the few forms of
// Markdown it uses: headings, paragraphs, lists (an indented line goes on the item above,
// an indented "- " as a point of its own),
// **bold** and `code`. A list of its sections at the top leads to each. Every text goes in
// through textContent.

import { api } from '../api.js';
import { el } from '../dom.js';

export async function render(container) {
  const guide = await api.userGuide();
  const blocks = parse(guide);
  const sections = blocks.filter((b) => b.kind === 'h2');
  const nodes = blocks.map((block, at) => draw(block, at));
  const contents = el('nav', { class: 'card guide-contents', testid: 'help-contents' }, [
    el('strong', { text: '目录' }),
    el('ol', {}, sections.map((section) => el('li', {}, el('a', {
      href: `#/help`, text: section.text, testid: 'help-section-link',
      on: { click: (event) => {
        event.preventDefault();
        document.getElementById(section.id).scrollIntoView();
      } },
    })))),
  ]);
  const title = nodes.shift();
  container.append(el('header', { class: 'screen-head' }, [title]), contents, el('article', { class: 'card guide', testid: 'help-guide' }, nodes));
}

/** The guide's blocks in order: {kind: h1|h2|h3|p|ul|ol|pre, text | items}. */
function parse(text) {
  const blocks = [];
  let current = null;
  let fenced = null;
  for (const line of text.split('\n')) {
    if (fenced) {
      if (line.startsWith('```')) {
        blocks.push({ kind: 'pre', text: fenced.join('\n') });
        fenced = null;
      } else {
        fenced.push(line);
      }
      continue;
    }
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    const bullet = /^- (.*)$/.exec(line);
    const numbered = /^\d+\. (.*)$/.exec(line);
    if (line.startsWith('```')) {
      fenced = [];
      current = null;
    } else if (heading) {
      const kind = `h${heading[1].length}`;
      blocks.push({ kind, text: heading[2], id: `guide-${blocks.length}` });
      current = null;
    } else if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      if (!current || current.kind !== kind) {
        current = { kind, items: [] };
        blocks.push(current);
      }
      current.items.push((bullet || numbered)[1]);
    } else if (line.trim() === '') {
      if (current && current.kind === 'p') current = null;
    } else if (current && (current.kind === 'ul' || current.kind === 'ol') && line.startsWith(' ')) {
      // An indented "- " starts a point of the item above on a line of its own.
      const inner = /^\s+- (.*)$/.exec(line);
      current.items[current.items.length - 1] += inner ? `\n• ${inner[1]}` : line.trim();
    } else if (current && current.kind === 'p') {
      current.text += line.trim();
    } else {
      current = { kind: 'p', text: line.trim() };
      blocks.push(current);
    }
  }
  return blocks;
}

/** A block as an element; `at` its place among the blocks. */
function draw(block, at) {
  if (block.kind === 'ul' || block.kind === 'ol') {
    return el(block.kind, {}, block.items.map((item) => el('li', {}, inline(item))));
  }
  if (block.kind === 'pre') return el('pre', { text: block.text });
  const node = el(block.kind, { id: block.id || `guide-${at}` }, inline(block.text));
  if (block.kind === 'h2') node.dataset.testid = 'help-section';
  return node;
}

/** A line's text, its **bold** and `code` parts as their own elements, the rest as text. */
function inline(text) {
  return text.split(/(\*\*[^*]+\*\*|`[^`]+`)/).filter((part) => part !== '').map((part) => {
    if (part.startsWith('**') && part.endsWith('**')) return el('strong', { text: part.slice(2, -2) });
    if (part.startsWith('`') && part.endsWith('`')) return el('code', { text: part.slice(1, -1) });
    return part;
  });
}
