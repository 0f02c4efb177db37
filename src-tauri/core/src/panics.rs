//! A fault in the program must not take the clerk's window with it. A panic (a bug, or a
//! reader of someone else's file meeting what it never expected) is caught where a request
//! enters the core, becomes a Chinese message for the clerk, and is written with where it
//! happened to a log file in the data folder, for whoever mends the program. SQLite rolls
//! back the transaction the panic interrupted, so the ledger keeps its last whole state.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The log file's name in the data folder.
pub const LOG_FILE_NAME: &str = "程序错误记录.txt";

static LOG_FILE: OnceLock<PathBuf> = OnceLock::new();

/// From now on every panic, on any thread, is appended to the log file in `data_dir`
/// (time, thread, message, place), besides what Rust prints. Installed once at start.
pub fn install(data_dir: &Path) {
    if LOG_FILE.set(data_dir.join(LOG_FILE_NAME)).is_err() {
        return;
    }
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if let Some(path) = LOG_FILE.get() {
            let thread = std::thread::current().name().unwrap_or("未命名").to_string();
            let place = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            let message = info.payload().downcast_ref::<&str>().map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let entry = format!("{}\t线程 {thread}\t{place}\t{message}\n", chrono::Local::now().format("%Y-%m-%d %H:%M:%S"));
            if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
                let _ = file.write_all(entry.as_bytes());
            }
        }
        default(info);
    }));
}

/// Runs `work`; a panic inside becomes [`Error::Panicked`] naming the log file.
pub fn catch<T>(work: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| {
        let log = LOG_FILE.get().map(|p| p.display().to_string()).unwrap_or_else(|| LOG_FILE_NAME.to_string());
        Err(Error::Panicked(log))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_a_line_in_the_log() {
        let dir = std::env::temp_dir().join(format!("panics-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        install(&dir);
        let result: Result<()> = catch(|| panic!("第 3 行读到了意外的内容"));
        let Err(Error::Panicked(log)) = result else { panic!("an error") };
        assert!(log.ends_with(LOG_FILE_NAME));
        let text = std::fs::read_to_string(dir.join(LOG_FILE_NAME)).unwrap();
        assert!(text.contains("第 3 行读到了意外的内容") && text.contains("panics.rs"), "{text}");
        assert_eq!(catch(|| Ok(7)).unwrap(), 7, "work without a panic goes through");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
