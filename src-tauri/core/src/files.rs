//! The files the clerk saves, each made of rows the ledger gives and built by `output`: the
//! 承办情况表 (with the columns she chose, remembered), the 征求意见表, a unit's task list,
//! the statistics workbook, the summary and reply .docx, the operation log. Queries return
//! rows and never build files; output builds files and never queries; this module joins
//! them, one call each, for the shell's commands.

use crate::db::Db;
use crate::error::{Error, Result};
use crate::output::{document, workbook};
use crate::queries::log::LogQuery;
use crate::queries::reports::TableQuery;
use crate::stats::SatisfactionDefinition;
use chrono::NaiveDate;
use serde::Serialize;

/// Bytes and the file name they are offered under.
pub type File = (Vec<u8>, String);

const COLUMNS_SETTING: &str = "undertaking_columns";

/// The columns of the 承办情况表, and those the clerk chose last time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnChoice {
    pub all: Vec<&'static str>,
    pub fixed: &'static [&'static str],
    pub chosen: Vec<String>,
}

impl Db {
    /// The 承办情况表 columns, and the clerk's last choice (all of them at first).
    pub fn undertaking_columns(&self) -> Result<ColumnChoice> {
        let all: Vec<&'static str> = workbook::UNDERTAKING_COLUMNS.iter().map(|c| c.header).collect();
        let chosen = match self.setting(COLUMNS_SETTING)? {
            Some(json) => serde_json::from_str(&json).unwrap_or_default(),
            None => all.iter().map(|c| c.to_string()).collect(),
        };
        Ok(ColumnChoice { all, fixed: workbook::FIXED_COLUMNS, chosen })
    }

    /// The 承办情况表 file for a query with the chosen columns, which are remembered.
    pub fn undertaking_file(&mut self, query: &TableQuery, columns: &[String], today: NaiveDate) -> Result<File> {
        let known: Vec<String> = columns
            .iter()
            .filter(|c| workbook::UNDERTAKING_COLUMNS.iter().any(|k| k.header == c.as_str()))
            .cloned()
            .collect();
        self.set_setting(COLUMNS_SETTING, &serde_json::to_string(&known).expect("a list of names serialises"))?;
        let (head, office) = (self.table_head(query, today)?, self.office_name()?);
        // The rows are written as they are read: the workbook on a thread of its own, fed
        // through a short queue, so a year's 5,000 rows cost the longer of the two, not both.
        // They go in batches of 128: one row at a time, the two threads woke each other row
        // by row (2,843 context switches an export; 1,131 in batches).
        const BATCH: usize = 128;
        let (send, batches) = std::sync::mpsc::sync_channel::<Vec<_>>(4);
        std::thread::scope(|scope| {
            let writing = scope.spawn(|| workbook::undertaking_workbook(&head, batches.into_iter().flatten(), &known, &office, today));
            // A send fails only when the writer has stopped on an error: the reading stops too.
            let mut batch = Vec::with_capacity(BATCH);
            let read = self
                .each_undertaking_row(query, today, |row| {
                    batch.push(row);
                    if batch.len() == BATCH {
                        send.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).map_err(|_| Error::Cancelled)?;
                    }
                    Ok(())
                })
                .and_then(|()| send.send(batch).map_err(|_| Error::Cancelled));
            drop(send);
            // The writer's own error comes first: the reading stopped because of it.
            let file = writing.join().unwrap_or_else(|fault| std::panic::resume_unwind(fault))?;
            read?;
            Ok(file)
        })
    }

    /// The 征求意见表 file (forms and summary) for a query.
    pub fn opinion_file(&self, query: &TableQuery, today: NaiveDate) -> Result<File> {
        workbook::opinion_workbook(&self.undertaking_rows(query, today)?)
    }

    /// The summary draft with its tables as an editable .docx.
    pub fn summary_file(&self, query: &TableQuery, definition: SatisfactionDefinition, today: NaiveDate) -> Result<File> {
        document::summary_document(&self.statistics_view(query, definition, today)?, query.year)
    }

    /// The statistics workbook for a query.
    pub fn statistics_file(&self, query: &TableQuery, definition: SatisfactionDefinition, today: NaiveDate) -> Result<File> {
        let view = self.statistics_view(query, definition, today)?;
        workbook::statistics_workbook(&view, query.year, &self.office_name()?)
    }

    /// The draft version as an editable Word document.
    pub fn reply_file(&self, id: i64) -> Result<File> {
        document::reply_document(&self.reply_draft(id)?)
    }

    /// The whole log for the filters as a workbook.
    pub fn log_file(&self, query: &LogQuery, today: NaiveDate) -> Result<File> {
        workbook::log_workbook(&self.operation_log(query, None)?, &self.office_name()?, today)
    }

    /// The units' evaluation of a year as a workbook.
    pub fn evaluation_file(&self, year: i32, today: NaiveDate) -> Result<File> {
        workbook::evaluation_workbook(&self.evaluation(year, today)?, &self.office_name()?)
    }

    /// The year's 多年提、反复提的问题 (items linked as 重复提出) as a workbook.
    pub fn repeated_file(&self, query: &TableQuery, today: NaiveDate) -> Result<File> {
        workbook::repeated_workbook(&self.repeated_items(query, today)?, query.year, &self.office_name()?, today)
    }

    /// A unit's task list as a workbook.
    pub fn unit_tasks_file(&self, unit_id: i64, today: NaiveDate) -> Result<File> {
        workbook::unit_tasks_workbook(&self.unit_tasks(unit_id, today)?, &self.office_name()?)
    }
}
