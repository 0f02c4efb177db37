// Start-up and navigation: checks that the ledger opened, then shows the screen named by
// the address (#/ledger, #/item/12, #/intake, #/edit/12, #/reply/12/3, #/units, #/bin,
// #/settings, #/results, #/feedback, #/evaluation, #/help). A print view names its printed page (pages/<page>.css).

import { api, busyWhile, startScreen, screenCalls } from './api.js';
import { el, toast, showError } from './dom.js';
import { appInfo, setAppInfo, refreshBadge } from './app.js';
import * as ledger from './screens/ledger.js';
import * as item from './screens/item.js';
import * as intake from './screens/intake.js';
import * as units from './screens/units.js';
import * as bin from './screens/bin.js';
import * as settings from './screens/settings.js';
import * as reminders from './screens/reminders.js';
import * as tasks from './screens/tasks.js';
import * as exports from './screens/export.js';
import * as importer from './screens/import.js';
import * as stats from './screens/stats.js';
import * as carried from './screens/carried.js';
import * as reply from './screens/reply.js';
import * as replyPrint from './screens/reply-print.js';
import * as opinionPrint from './screens/opinion-print.js';
import * as templates from './screens/templates.js';
import * as log from './screens/log.js';
import * as resultGrid from './screens/result_grid.js';
import * as feedback from './screens/feedback.js';
import * as evaluation from './screens/evaluation.js';
import * as help from './screens/help.js';

const routes = {
  ledger: { screen: ledger, nav: 'ledger' },
  item: { screen: item, nav: 'ledger' },
  intake: { screen: intake, nav: 'intake' },
  edit: { screen: intake, nav: 'ledger' },
  units: { screen: units, nav: 'units' },
  tasks: { screen: tasks, nav: 'units' },
  export: { screen: exports, nav: 'ledger' },
  import: { screen: importer, nav: 'intake' },
  stats: { screen: stats, nav: 'stats' },
  carried: { screen: carried, nav: 'stats' },
  reminders: { screen: reminders, nav: 'reminders' },
  bin: { screen: bin, nav: 'bin' },
  settings: { screen: settings, nav: 'settings' },
  reply: { screen: reply, nav: 'ledger' },
  'reply-print': { screen: replyPrint, nav: 'ledger', page: 'official' },
  'opinion-print': { screen: opinionPrint, nav: 'ledger', page: 'form' },
  templates: { screen: templates, nav: 'settings' },
  log: { screen: log, nav: 'log' },
  results: { screen: resultGrid, nav: 'ledger' },
  feedback: { screen: feedback, nav: 'units' },
  evaluation: { screen: evaluation, nav: 'stats' },
  help: { screen: help, nav: 'help' },
};


async function show() {
  const [name, param, sub] = location.hash.replace(/^#\/?/, '').split('/');
  const route = routes[name] || routes.ledger;
  document.getElementById('page-style').setAttribute('href', `pages/${route.page || 'landscape'}.css`);
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === route.nav);
  }
  const container = document.getElementById('screen');
  // Each visit draws into a view of its own: a screen still drawing for an earlier visit
  // (the clerk clicked on quickly) fills a view that is no longer shown.
  const view = el('div', { class: 'view' });
  container.replaceChildren(view);
  container.dataset.screen = name || 'ledger';
  delete container.dataset.calls;
  startScreen();
  try {
    await busyWhile(route.screen.render(view, { id: param ? Number(param) : null, sub: sub ? Number(sub) : null, mode: name }));
    await refreshBadge();
    container.dataset.calls = screenCalls().join(' ');
  } catch (error) {
    view.replaceChildren(el('div', { class: 'notice error', testid: 'screen-error', text: error.message || String(error) }));
  }
}

/**
 * Without its database the program must not pretend to work: it says why and offers only
 * what can mend it, the newest good backup when the file is damaged.
 */
function startupProblem() {
  document.querySelector('.sidebar').hidden = true;
  const good = appInfo.startup_backup;
  const offer = good ? [
    el('p', { testid: 'startup-backup', text: `找到完好的备份：${good.path}（${good.check.items} 件，${
      good.check.items_by_year.map(([year, count]) => `${year}年 ${count} 件`).join('，')}${good.check.last_change ? `，最后修改于 ${good.check.last_change}` : ''}）。` }),
    el('button', { type: 'button', class: 'primary', text: '用这个备份恢复', testid: 'restore-damaged', on: { click: async () => {
      try {
        const check = await api.restoreDamaged();
        toast(`已用备份恢复（${check.items} 件），损坏的文件已改名保留在数据文件夹中。`);
        setTimeout(() => location.reload(), 1500);
      } catch (error) {
        showError(error);
      }
    } } }),
  ] : [el('p', { class: 'muted', text: '请关闭程序，联系技术人员处理。' })];
  document.getElementById('screen').replaceChildren(
    el('div', { class: 'fatal', testid: 'startup-error' }, [
      el('h1', { text: '台账数据无法打开' }),
      el('p', { text: appInfo.startup_error }),
      el('p', { class: 'muted', text: `数据文件夹：${appInfo.data_dir}` }),
      el('p', { class: 'muted', text: '程序没有改动这个文件夹中的任何文件。' }),
      ...offer,
    ]),
  );
}

async function start() {
  setAppInfo(await api.appInfo());
  // A second launch of the program brings this window to the front (Rust) and says so here.
  window.addEventListener('second-launch', () => toast('程序已经在运行，这是已打开的窗口。'));
  if (appInfo.startup_error) {
    startupProblem();
  } else {
    window.addEventListener('hashchange', show);
    // On start the clerk sees what is due first, when anything is.
    // (replaceState does not fire hashchange: the first screen is drawn once, awaited here.)
    const due = location.hash ? 0 : await refreshBadge().catch(() => 0);
    if (due > 0) history.replaceState(null, '', '#/reminders');
    await show();
    // The ledger's check begun at the start ends after the first screen is drawn (a large
    // ledger's takes seconds): a damaged ledger it finds is shown instead of the screens.
    const checked = await api.startCheck();
    if (checked.startup_error) {
      setAppInfo(checked);
      startupProblem();
    }
  }
  document.body.dataset.ready = 'true';
}

start();
