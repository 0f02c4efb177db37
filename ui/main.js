// Start-up and navigation: checks that the ledger opened, then shows the screen named by
// the address (#/ledger, #/item/12, #/intake, #/edit/12, #/units, #/bin, #/settings).

import { api } from './api.js';
import { el } from './dom.js';
import * as ledger from './screens/ledger.js';
import * as item from './screens/item.js';
import * as intake from './screens/intake.js';
import * as units from './screens/units.js';
import * as bin from './screens/bin.js';
import * as settings from './screens/settings.js';

const routes = {
  ledger: { screen: ledger, nav: 'ledger' },
  item: { screen: item, nav: 'ledger' },
  intake: { screen: intake, nav: 'intake' },
  edit: { screen: intake, nav: 'ledger' },
  units: { screen: units, nav: 'units' },
  bin: { screen: bin, nav: 'bin' },
  settings: { screen: settings, nav: 'settings' },
};

export let appInfo = null;

async function show() {
  const [name, param] = location.hash.replace(/^#\/?/, '').split('/');
  const route = routes[name] || routes.ledger;
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === route.nav);
  }
  const container = document.getElementById('screen');
  container.replaceChildren();
  container.dataset.screen = name || 'ledger';
  try {
    await route.screen.render(container, { id: param ? Number(param) : null, mode: name });
  } catch (error) {
    container.replaceChildren(el('div', { class: 'notice error', testid: 'screen-error', text: error.message || String(error) }));
  }
}

async function start() {
  appInfo = await api.appInfo();
  if (appInfo.startup_error) {
    // Without its database the program must not pretend to work: it says why and stops.
    document.querySelector('.sidebar').hidden = true;
    document.getElementById('screen').replaceChildren(
      el('div', { class: 'fatal', testid: 'startup-error' }, [
        el('h1', { text: '台账数据无法打开' }),
        el('p', { text: appInfo.startup_error }),
        el('p', { class: 'muted', text: `数据文件夹：${appInfo.data_dir}` }),
        el('p', { class: 'muted', text: '程序没有改动这个文件夹中的任何文件。请关闭程序，联系技术人员处理。' }),
      ]),
    );
  } else {
    window.addEventListener('hashchange', show);
    await show();
  }
  document.body.dataset.ready = 'true';
}

start();
