// The choices of year, stream and session that several screens share. A stream
// travels to Rust as {level, kind}, taken from the vocabulary the program sent at start.

import { el, select } from './dom.js';
import { appInfo } from './app.js';

/** A stream's short name (州人大建议) as the vocabulary gives it. */
export function streamLabel(level, kind) {
  return appInfo.vocabulary.streams.find((w) => w.level === level && w.kind === kind).label;
}

/** A session as drop-downs list it: 2025年 政协精河县十一届五次会议（县政协提案）. */
export function sessionLabel(session) {
  return `${session.year}年 ${session.name}（${streamLabel(session.level, session.kind)}）`;
}

/** The years with items (this year when there are none yet), newest first as listed. */
export function yearSelect(testid, years, chosen) {
  const shown = years.length ? years : [Number(appInfo.today.slice(0, 4))];
  return select({ testid }, shown.map((y) => [y, `${y}年`]), chosen);
}

/**
 * Check boxes for the streams that have a session in the chosen year, all ticked. `fill(year)`
 * redraws them for a year; `chosen()` lists the ticked streams as {level, kind}. `words` is
 * 'label' (州人大建议) or 'title' (州人大代表建议).
 */
export function streamChoice({ testid, prefix, sessions, words, onChange }) {
  const box = el('div', { class: 'inline-fields', testid });
  let checks = [];
  const fill = (year) => {
    checks = appInfo.vocabulary.streams
      .filter((w) => sessions.some((s) => String(s.year) === String(year) && s.level === w.level && s.kind === w.kind))
      .map((w) => ({
        stream: { level: w.level, kind: w.kind },
        input: el('input', { type: 'checkbox', checked: true, testid: `${prefix}-${w.level}${w.kind}`, on: onChange ? { change: onChange } : undefined }),
        words: w[words],
      }));
    box.replaceChildren(...checks.map((c) => el('label', { class: 'check' }, [c.input, c.words])));
  };
  return { box, fill, chosen: () => checks.filter((c) => c.input.checked).map((c) => c.stream) };
}
