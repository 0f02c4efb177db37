//! Printing the window's print view (reply letters, 征求意见表, task lists). On the clerk's
//! PC this opens the system's print preview. Under WebDriver automation `window.print()`
//! does nothing, so when the program was started with `--test-dialogs` the real WebKitGTK
//! view prints itself silently into 打印.pdf in the data folder (GTK's "Print to File"
//! printer, A4): the tests print exactly what the window shows.

use crate::error::{ApiError, ApiResult};
use serde::Deserialize;
use std::path::PathBuf;
use tauri::{Runtime, WebviewWindow};

/// The printed page as the print view's stylesheet sets it (@page): orientation, and the
/// margins in millimetres. WebView2 follows the stylesheet by itself; WebKitGTK's printing
/// ignores @page margins and takes them from its page setup.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(default)]
pub struct PageSetup {
    pub landscape: bool,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub left: f64,
}

/// Prints the window; into `to_pdf` when given (tests), returning its path.
pub fn print<R: Runtime>(window: &WebviewWindow<R>, to_pdf: Option<PathBuf>, setup: &PageSetup) -> ApiResult<Option<String>> {
    match to_pdf {
        Some(path) => to_file(window, path, *setup).map(Some),
        None => window.print().map(|_| None).map_err(|e| ApiError::new("print_failed", format!("无法打开打印预览：{e}"))),
    }
}

#[cfg(target_os = "linux")]
fn to_file<R: Runtime>(window: &WebviewWindow<R>, path: PathBuf, page: PageSetup) -> ApiResult<String> {
    use std::cell::RefCell;
    use std::time::Duration;
    use webkit2gtk::PrintOperationExt;

    let failed = |e: String| ApiError::new("print_failed", format!("打印到文件失败：{e}"));
    let uri = gtk::glib::filename_to_uri(&path, None).map_err(|e| failed(e.to_string()))?.to_string();
    let _ = std::fs::remove_file(&path);
    let (done, wait) = std::sync::mpsc::channel::<Result<(), String>>();
    window
        .with_webview(move |webview| {
            let operation = webkit2gtk::PrintOperation::new(&webview.inner());
            let settings = gtk::PrintSettings::new();
            settings.set_printer("Print to File");
            settings.set(gtk::PRINT_SETTINGS_OUTPUT_FILE_FORMAT, Some("pdf"));
            settings.set(gtk::PRINT_SETTINGS_OUTPUT_URI, Some(&uri));
            let setup = gtk::PageSetup::new();
            setup.set_paper_size(&gtk::PaperSize::new(Some(&gtk::PAPER_NAME_A4)));
            if page.landscape {
                setup.set_orientation(gtk::PageOrientation::Landscape);
            }
            setup.set_top_margin(page.top, gtk::Unit::Mm);
            setup.set_right_margin(page.right, gtk::Unit::Mm);
            setup.set_bottom_margin(page.bottom, gtk::Unit::Mm);
            setup.set_left_margin(page.left, gtk::Unit::Mm);
            operation.set_print_settings(&settings);
            operation.set_page_setup(&setup);
            let on_failure = done.clone();
            operation.connect_failed(move |_, error| {
                let _ = on_failure.send(Err(error.to_string()));
            });
            // NOTE: print() returns before the file is written; the operation must live until
            // "finished", so the handler holds it and lets it go then.
            let alive = RefCell::new(Some(operation.clone()));
            operation.connect_finished(move |_| {
                alive.borrow_mut().take();
                let _ = done.send(Ok(()));
            });
            operation.print();
        })
        .map_err(|e| failed(e.to_string()))?;
    wait.recv_timeout(Duration::from_secs(60)).map_err(|e| failed(e.to_string()))?.map_err(failed)?;
    Ok(path.display().to_string())
}

#[cfg(not(target_os = "linux"))]
fn to_file<R: Runtime>(_window: &WebviewWindow<R>, _path: PathBuf, _page: PageSetup) -> ApiResult<String> {
    Err(ApiError::new("print_failed", "打印到文件只用于在 Linux 上测试。"))
}
