// The 打印 buttons of the print views (reply letters, 征求意见表, task lists): printing goes
// through Rust, which opens the system's print preview, or in tests prints the real view
// into a PDF file and says where. The page (size, orientation, margins) is the screen's
// page stylesheet's @page rule, read here and sent along: WebView2 follows the rule by
// itself, WebKitGTK's silent printing needs it as its page setup.

import { api } from './api.js';
import { toast, showError } from './dom.js';

/** The @page rule of the screen's page stylesheet as {landscape, top, right, bottom, left} (mm). */
function pageSetup() {
  const rules = [...document.getElementById('page-style').sheet.cssRules];
  const page = rules.find((r) => r instanceof CSSPageRule && !r.selectorText)?.style;
  const mm = (value) => (value.endsWith('mm') ? parseFloat(value) : 0);
  return {
    landscape: (page?.getPropertyValue('size') || '').includes('landscape'),
    top: mm(page?.marginTop || ''),
    right: mm(page?.marginRight || ''),
    bottom: mm(page?.marginBottom || ''),
    left: mm(page?.marginLeft || ''),
  };
}

export async function printView() {
  try {
    const path = await api.printPage(pageSetup());
    if (path) toast(`已打印到：${path}`);
  } catch (error) {
    showError(error);
  }
}
