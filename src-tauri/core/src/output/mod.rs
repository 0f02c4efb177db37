//! Every file the program writes, built from plain rows: the workbooks (承办情况表, 征求意见表,
//! task lists, the statistics workbook, the log, the blank import template, the units'
//! 办理情况反馈表) and the Word
//! documents (the summary draft, reply letters). Nothing here reads the ledger; `files.rs`
//! hands these builders the rows that the queries return.

pub mod document;
pub mod feedback_sheet;
pub mod filled_form;
mod xlsx_parts;
pub mod workbook;
