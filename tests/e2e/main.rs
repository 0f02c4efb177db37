//! The end-to-end suite: a clerk's work in the real app window (tauri-driver and
//! WebKitWebDriver under Xvfb), found by data-testid, read back from the screen and from
//! the database file. Screenshots land in target/e2e-screenshots/ for a person to look at.

mod harness;
mod ledger;
mod units_and_settings;
mod intake;
mod workflow;
mod exports;
mod stats;
mod replies;
mod safety;
mod years;
mod results;
mod feedback;
mod evaluation;
mod similar;
