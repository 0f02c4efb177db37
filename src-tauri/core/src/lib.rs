//! The core of 建议提案办理台账: the domain of a county office's suggestion and proposal
//! ledger, its SQLite database and every rule about it. It knows nothing of Tauri or of
//! windows, so all of it is tested without WebKit; the desktop shell calls into it.

#[macro_use]
pub mod model;
pub mod backup;
pub mod db;
pub mod deadlines;
pub mod demo;
pub mod error;
pub mod evaluation;
pub mod files;
pub mod guide;
pub mod import;
pub mod input;
pub mod likeness;
pub mod output;
pub mod panics;
pub mod queries;
pub mod reply;
pub mod result_grid;
pub mod result_words;
pub mod sheet;
pub mod similar;
pub mod stats;
pub mod text;
pub mod unit_exchange;
pub mod upper_form;
pub mod validate;
pub mod views;
pub mod vocabulary;
pub mod wordfile;
pub mod workflow;
pub mod workplace;

pub use db::Db;
pub use error::{Error, FieldError, Result};
