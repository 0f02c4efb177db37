//! Small settings kept in the ledger itself (so a backup carries them): the office's name
//! printed on notices and tables, and remembered choices.

use crate::db::Db;
use crate::error::{Error, Result};
use crate::text::clean;
use rusqlite::{params, OptionalExtension};

/// The office name used until the clerk sets the real one.
pub const DEFAULT_OFFICE: &str = "县人民政府办公室";

impl Db {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// 督办单位: the office that sends the notices, e.g. 精河县人民政府办公室.
    pub fn office_name(&self) -> Result<String> {
        Ok(self.setting("office_name")?.unwrap_or_else(|| DEFAULT_OFFICE.to_string()))
    }

    pub fn set_office_name(&mut self, name: &str) -> Result<()> {
        let name = clean(name);
        if name.is_empty() || name.chars().count() > 40 {
            return Err(Error::field("office_name", "请填写本单位名称（不超过 40 字），例如 精河县人民政府办公室。"));
        }
        self.set_setting("office_name", &name)
    }
}
