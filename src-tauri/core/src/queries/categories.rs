//! 类别: an editable list per kind. A category in use is retired, never deleted, so the
//! items filed under it keep their category in every report.

use crate::model::LogKind;
use crate::db::Db;
use super::log::{Fields, Logged};
use crate::error::{Error, Result};
use crate::model::{Category, Kind};
use crate::text::clean;
use rusqlite::{params, OptionalExtension, Row, Transaction};

const SELECT: &str = "SELECT c.id, c.kind, c.name, c.sort_order, c.active,
        (SELECT count(*) FROM items i WHERE i.category_id = c.id AND i.deleted_at IS NULL)
        FROM categories c";

fn from_row(r: &Row) -> rusqlite::Result<Category> {
    Ok(Category {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        sort_order: r.get(3)?,
        active: r.get(4)?,
        item_count: r.get(5)?,
    })
}

pub(crate) fn find(tx: &Transaction, id: i64) -> Result<Option<Category>> {
    Ok(tx.query_row(&format!("{SELECT} WHERE c.id = ?1"), [id], from_row).optional()?)
}

fn checked_name(tx: &Transaction, kind: Kind, name: &str, except: Option<i64>) -> Result<String> {
    let name = clean(name);
    if name.is_empty() {
        return Err(Error::field("name", "请填写类别名称。"));
    }
    if name.chars().count() > 20 {
        return Err(Error::field("name", "类别名称最多 20 字。"));
    }
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM categories WHERE kind = ?1 AND name = ?2 AND id IS NOT ?3)",
        params![kind, name, except],
        |r| r.get(0),
    )?;
    if taken {
        return Err(Error::field("name", format!("{kind}类别中已有“{name}”。")));
    }
    Ok(name)
}

/// Logs what a write did to a category, inside its transaction: `before` is empty for a new one.
/// Every category's id and name, in the lists' order (by kind, then as the clerk sorted).
pub(crate) fn names_in_order(conn: &rusqlite::Connection) -> Result<Vec<(i64, String)>> {
    let names = conn.prepare_cached("SELECT id, name FROM categories ORDER BY kind, sort_order, id")?.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(names)
}

fn log_category(tx: &Transaction, user: &str, action: &str, id: i64, before: &Fields) -> Result<()> {
    let category = find(tx, id)?.ok_or_else(|| Error::NotFound("该类别已不存在。".into()))?;
    Logged { kind: LogKind::Category, action, target: format!("{}类别“{}”", category.kind, category.name), item_id: None }
        .write_diff(tx, user, before, &category_fields(&category))
}

fn category_fields(category: &Category) -> Fields {
    vec![("名称", category.name.clone()), ("状态", if category.active { "启用" } else { "停用" }.to_string())]
}

fn fields_of(tx: &Transaction, id: i64) -> Result<Fields> {
    Ok(category_fields(&find(tx, id)?.ok_or_else(|| Error::NotFound("该类别已不存在。".into()))?))
}

impl Db {
    /// Every category of both kinds, in the order the clerk set.
    pub fn list_categories(&self) -> Result<Vec<Category>> {
        let mut stmt = self.conn.prepare(&format!("{SELECT} ORDER BY c.kind, c.sort_order, c.id"))?;
        let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn create_category(&mut self, kind: Kind, name: &str) -> Result<i64> {
        crate::input::check_text("name", name)?;
        let tx = self.conn.transaction()?;
        let name = checked_name(&tx, kind, name, None)?;
        tx.execute(
            "INSERT INTO categories (kind, name, sort_order)
             VALUES (?1, ?2, (SELECT coalesce(max(sort_order), 0) + 1 FROM categories WHERE kind = ?1))",
            params![kind, name],
        )?;
        let id = tx.last_insert_rowid();
        log_category(&tx, &self.user, "添加", id, &Vec::new())?;
        tx.commit()?;
        Ok(id)
    }

    /// Renames a category; every item filed under it shows the new name.
    pub fn rename_category(&mut self, id: i64, name: &str) -> Result<()> {
        crate::input::check_text("name", name)?;
        let tx = self.conn.transaction()?;
        let current = find(&tx, id)?.ok_or_else(|| Error::NotFound("该类别已不存在。".into()))?;
        let name = checked_name(&tx, current.kind, name, Some(id))?;
        let before = category_fields(&current);
        tx.execute("UPDATE categories SET name = ?1 WHERE id = ?2", params![name, id])?;
        log_category(&tx, &self.user, "改名", id, &before)?;
        tx.commit()?;
        Ok(())
    }

    /// Retires (or brings back) a category: a retired one is not offered for new items.
    pub fn set_category_active(&mut self, id: i64, active: bool) -> Result<()> {
        let tx = self.conn.transaction()?;
        let before = fields_of(&tx, id)?;
        tx.execute("UPDATE categories SET active = ?1 WHERE id = ?2", params![active, id])?;
        log_category(&tx, &self.user, if active { "启用" } else { "停用" }, id, &before)?;
        tx.commit()?;
        Ok(())
    }
}
