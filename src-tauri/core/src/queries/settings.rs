//! Small settings kept in the ledger itself (so a backup carries them): the office's name
//! printed on notices and tables, and remembered choices.

use crate::model::LogKind;
use crate::db::Db;
use super::log::Logged;
use crate::error::{Error, Result};
use crate::text::clean;
use rusqlite::{params, OptionalExtension};

/// What a setting is called on screen and in the operation log.
fn setting_label(key: &str) -> &'static str {
    match key {
        "office_name" => "本单位名称",
        "undertaking_columns" => "承办情况表的列",
        "last_export_dir" => "上次保存文件的文件夹",
        k if k.starts_with("form_columns:") => "上级表格各列填写的内容",
        _ => "其他设置",
    }
}

/// The office name used until the clerk sets the real one.
pub const DEFAULT_OFFICE: &str = "县人民政府办公室";

impl Db {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        let before: Option<String> = tx.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?;
        if before.as_deref() == Some(value) {
            // Nothing changes: no write, and no commit to wait for (an export sets its
            // columns each time, mostly as they were).
            return Ok(());
        }
        let before = before.unwrap_or_default();
        let label = setting_label(key);
        Logged { kind: LogKind::Setting, action: "修改", target: label.to_string(), item_id: None }
            .write_diff(&tx, &self.user, &vec![(label, before)], &vec![(label, value.to_string())])?;
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
        crate::input::check_text("office_name", name)?;
        let name = clean(name);
        if name.is_empty() || name.chars().count() > 40 {
            return Err(Error::field("office_name", "请填写本单位名称（不超过 40 字），例如 精河县人民政府办公室。"));
        }
        self.set_setting("office_name", &name)
    }
}
