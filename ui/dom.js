// Building the page without ever parsing HTML: every text the clerk typed reaches the
// screen through textContent, so 《》, quotes or <script> are shown as the characters they are.

import { busyWhile } from './api.js';

/**
 * Creates an element. `props`: class, text, testid, data-* attributes, attrs {name: value},
 * on {event: handler}, and any DOM property (value, checked, type, disabled …).
 */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'testid') node.dataset.testid = value;
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else if (key === 'attrs') for (const [name, v] of Object.entries(value)) node.setAttribute(name, v);
    else if (key === 'on') for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else node[key] = value;
  }
  node.append(...asNodes(children));
  return node;
}

/** Puts `children` in `node` in place of what it held, as `el()` puts them in a new one. */
export function fill(node, children) {
  node.replaceChildren(...asNodes(children));
  return node;
}

/**
 * The parts of an element as nodes: nodes as they are, texts as text nodes; null, undefined
 * and false are skipped, so a part shown only sometimes is written `condition ? el(…) : null`.
 */
function asNodes(children) {
  return [].concat(children)
    .filter((child) => child !== null && child !== undefined && child !== false)
    .map((child) => (child instanceof Node ? child : document.createTextNode(String(child))));
}

/**
 * Draws a screen again in place: `view` (the screen's own element) is swapped for a fresh
 * one and `render(fresh, args)` fills it. A render still running for an earlier call then
 * writes into an element no longer shown, so two renders never mix on the screen.
 */
export function redraw(view, render, args) {
  const fresh = el('div', { class: 'view' });
  view.replaceWith(fresh);
  return busyWhile(render(fresh, args));
}

/**
 * For a part of a screen that reloads while the clerk types or picks: each call starts a
 * turn and returns a check that stays true only until a later turn starts. An answer that
 * arrives after a newer request was sent is dropped, so a slower, older result never
 * replaces a newer one.
 */
export function newestOnly() {
  let last = 0;
  return () => {
    const mine = ++last;
    return () => mine === last;
  };
}

/** A <select> with options [{value, label}] (or [value, label] pairs) and optional groups. */
export function select(props, options, selected) {
  const node = el('select', props);
  const add = (parent, option) => {
    const [value, label] = Array.isArray(option) ? option : [option.value, option.label];
    parent.append(el('option', { value: String(value), text: label, selected: String(value) === String(selected ?? '') }));
  };
  for (const option of options) {
    if (option.group) {
      const group = el('optgroup', { label: option.group });
      option.options.forEach((o) => add(group, o));
      node.append(group);
    } else {
      add(node, option);
    }
  }
  return node;
}

/** 2025-03-17 → 2025年3月17日; empty for nothing. */
export function formatDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

let toastTimer;
/** A short message in the corner; `action` is an optional {label, run} button (e.g. 撤销). */
export function toast(message, { action, error = false } = {}) {
  const box = document.getElementById('toast');
  box.replaceChildren(el('span', { text: message }));
  if (action) {
    box.append(el('button', { type: 'button', class: 'link', text: action.label, testid: 'toast-action',
      on: { click: () => { box.hidden = true; action.run(); } } }));
  }
  box.classList.toggle('error', error);
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, action ? 10000 : 4000);
}

/** Shows an error from the api in the corner. */
export function showError(error) {
  toast(error.message || String(error), { error: true });
}

/** Waits for a file saved through the native dialog and says where it went (nothing if cancelled). */
export async function reportSaved(saving) {
  try {
    const path = await saving;
    if (path) toast(`已保存：${path}`);
  } catch (error) {
    showError(error);
  }
}

/**
 * Shows a failed save next to its form, the one way every form does it: marks the inputs
 * named by a validation error, lists the Chinese messages in `box` and moves the focus to
 * the first wrong input. Any other error goes to the corner.
 *
 * `inputs` maps field names to inputs, for a short form whose messages `box` lists (each with
 * the test id `<prefix>-<field>`); or it is a long form whose inputs are named like the fields
 * (`proposers.0.name`): then each message also stands beside its input (in its `.field` or
 * table cell, or in the `[data-error-for=<field>]` holder of a group) and `box` heads the list
 * with how many places need changing.
 */
export function showFieldErrors(error, inputs, box, prefix = 'error') {
  if (error.code !== 'invalid') return showError(error);
  const form = inputs instanceof HTMLFormElement ? inputs : null;
  const find = form ? (field) => form.querySelector(`[name="${CSS.escape(field)}"]`) : (field) => inputs[field];
  for (const input of form ? form.querySelectorAll('.invalid') : Object.values(inputs)) {
    input.classList.remove('invalid');
    input.removeAttribute('aria-invalid');
  }
  form?.querySelectorAll('.field-error').forEach((n) => n.remove());
  let first = null;
  const listed = error.fields.map((f) => {
    const input = find(f.field);
    input?.classList.add('invalid');
    input?.setAttribute('aria-invalid', 'true');
    first = first || input;
    const place = form && (input?.closest('td, .field') || form.querySelector(`[data-error-for="${CSS.escape(f.field)}"]`));
    place?.append(el('div', { class: 'field-error', text: f.message, testid: `${prefix}-${f.field}` }));
    return el(form ? 'li' : 'div', { text: f.message, testid: place ? undefined : `${prefix}-${f.field}` });
  });
  box.replaceChildren(...(form
    ? [el('strong', { text: `有 ${listed.length} 处需要修改，填写的内容都还在：` }), el('ul', {}, listed)]
    : listed));
  box.hidden = false;
  if (form) (first || box).focus();
}

/**
 * Fills the pager under a list that comes a page at a time: 上一页, where the page stands,
 * 下一页. Hidden while one page holds the whole list. `go(offset)` shows the page from there.
 */
export function fillPager(pager, page, go, noun) {
  const last = page.offset + page.rows.length;
  pager.hidden = page.total <= page.page_size;
  pager.replaceChildren(
    el('button', { type: 'button', text: '上一页', testid: 'page-previous', disabled: page.offset === 0,
      on: { click: () => go(Math.max(0, page.offset - page.page_size)) } }),
    el('span', { class: 'muted', testid: 'page-place', text: `第 ${page.offset + 1}–${last} ${noun}，共 ${page.total} ${noun}` }),
    el('button', { type: 'button', text: '下一页', testid: 'page-next', disabled: last >= page.total,
      on: { click: () => go(page.offset + page.page_size) } }),
  );
}
