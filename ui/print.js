// The 打印 buttons of the print views (reply letters, 征求意见表, task lists): printing goes
// through Rust, which opens the system's print preview, or in tests prints the real view
// into a PDF file and says where.

import { api } from './api.js';
import { toast, showError } from './dom.js';

export async function printView() {
  try {
    const path = await api.printPage();
    if (path) toast(`已打印到：${path}`);
  } catch (error) {
    showError(error);
  }
}
