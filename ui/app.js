// What the whole window shares: what the program told it at start (the day, the data folder,
// the versions) and the count beside 提醒. Screens import it from here; main.js fills it once.

import { api } from './api.js';

/** Set once at start by main.js, before any screen is drawn. */
export const appInfo = {};

/** Keeps what the program said at start. */
export function setAppInfo(info) {
  Object.assign(appInfo, info);
}

/** Updates the count next to 提醒: what is overdue or due within 7 days, snoozed ones aside. */
export async function refreshBadge() {
  const board = await api.reminders();
  const count = board.overdue.total + board.due_today.total + board.within_3.total + board.within_7.total;
  const badge = document.querySelector('[data-testid=reminder-badge]');
  badge.textContent = String(count);
  badge.hidden = count === 0;
  badge.classList.toggle('urgent', board.overdue.total > 0);
  return count;
}
