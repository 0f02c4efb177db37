//! 承办单位: the county's directory of units. A unit is never deleted, only retired
//! (停用), so the items it handled keep its name in every table and report.

use crate::db::Db;
use super::log::{Fields, LogKind, Logged};
use crate::error::{Error, FieldErrors, Result};
use crate::model::{Unit, UnitInput};
use crate::text::{clean, is_valid_phone};
use rusqlite::{params, OptionalExtension, Row, Transaction};

/// The directory with each unit's counts of items led and assisted, counted in one grouped
/// pass over the assignments (not two passes per unit).
const SELECT: &str = "SELECT u.id, u.name, u.short_name, u.contact, u.phone, u.active, ifnull(c.lead, 0), ifnull(c.assist, 0)
        FROM units u LEFT JOIN (SELECT a.unit_id, sum(a.role = '主办') AS lead, sum(a.role = '协办') AS assist
          FROM assignments a JOIN items i ON i.id = a.item_id WHERE i.deleted_at IS NULL GROUP BY a.unit_id) c ON c.unit_id = u.id";

fn from_row(r: &Row) -> rusqlite::Result<Unit> {
    Ok(Unit {
        id: r.get(0)?,
        name: r.get(1)?,
        short_name: r.get(2)?,
        contact: r.get(3)?,
        phone: r.get(4)?,
        active: r.get(5)?,
        lead_count: r.get(6)?,
        assist_count: r.get(7)?,
    })
}

pub(crate) fn find(tx: &Transaction, id: i64) -> Result<Option<Unit>> {
    Ok(tx.query_row(&format!("{SELECT} WHERE u.id = ?1"), [id], from_row).optional()?)
}

/// A unit as checking a form needs it (its name and whether it is in use), without the
/// directory's counts of its items, which cost a pass over all of them (counts left 0).
pub(crate) fn find_for_check(tx: &Transaction, id: i64) -> Result<Option<Unit>> {
    Ok(tx.query_row("SELECT u.id, u.name, u.short_name, u.contact, u.phone, u.active, 0, 0 FROM units u WHERE u.id = ?1", [id], from_row).optional()?)
}

/// Checks a unit form. Names and short names must not collide with any other unit's,
/// since imports match units by either.
fn validate(tx: &Transaction, input: &UnitInput, except: Option<i64>) -> Result<UnitInput> {
    let unit = UnitInput {
        name: clean(&input.name),
        short_name: clean(&input.short_name),
        contact: clean(&input.contact),
        phone: clean(&input.phone),
    };
    let mut errors = FieldErrors::default();
    let taken_by = |text: &str| -> Result<Option<String>> {
        Ok(tx
            .query_row(
                "SELECT name FROM units WHERE (name = ?1 OR (short_name = ?1 AND short_name <> '')) AND id IS NOT ?2",
                params![text, except],
                |r| r.get(0),
            )
            .optional()?)
    };
    if unit.name.is_empty() {
        errors.add("name", "请填写单位全称。");
    } else if unit.name.chars().count() > 60 {
        errors.add("name", "单位全称最多 60 字。");
    } else if let Some(other) = taken_by(&unit.name)? {
        errors.add("name", format!("“{}”与已有单位“{other}”重名。", unit.name));
    }
    if !unit.short_name.is_empty() {
        if unit.short_name == unit.name {
            // A short name equal to the full name says nothing new; it is allowed.
        } else if let Some(other) = taken_by(&unit.short_name)? {
            errors.add("short_name", format!("简称“{}”已被“{other}”使用。", unit.short_name));
        }
    }
    if !is_valid_phone(&unit.phone) {
        errors.add("phone", "电话号码格式不对，只能有数字、空格、短横线和括号。");
    }
    errors.finish()?;
    Ok(unit)
}

/// A unit's fields as the operation log shows them.
fn unit_fields(unit: &Unit) -> Fields {
    vec![
        ("名称", unit.name.clone()),
        ("简称", unit.short_name.clone()),
        ("联系人", unit.contact.clone()),
        ("电话", unit.phone.clone()),
        ("状态", if unit.active { "启用" } else { "停用" }.to_string()),
    ]
}

/// Logs what a write did to a unit, inside its transaction: `before` is empty for a new one.
pub(crate) fn log_unit(tx: &Transaction, user: &str, action: &str, id: i64, before: &Fields) -> Result<()> {
    let unit = find(tx, id)?.ok_or_else(|| Error::NotFound("该单位已不存在。".into()))?;
    Logged { kind: LogKind::Unit, action, target: unit.name.clone(), item_id: None }.write_diff(tx, user, before, &unit_fields(&unit))
}

fn fields_of(tx: &Transaction, id: i64) -> Result<Fields> {
    Ok(unit_fields(&find(tx, id)?.ok_or_else(|| Error::NotFound("该单位已不存在。".into()))?))
}

impl Db {
    /// The directory: active units first, then by name.
    pub fn list_units(&self) -> Result<Vec<Unit>> {
        let mut stmt = self.conn.prepare(&format!("{SELECT} ORDER BY u.active DESC, u.name"))?;
        let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn create_unit(&mut self, input: &UnitInput) -> Result<i64> {
        crate::input::check_form(input)?;
        let tx = self.conn.transaction()?;
        let unit = validate(&tx, input, None)?;
        tx.execute(
            "INSERT INTO units (name, short_name, contact, phone) VALUES (?1, ?2, ?3, ?4)",
            params![unit.name, unit.short_name, unit.contact, unit.phone],
        )?;
        let id = tx.last_insert_rowid();
        log_unit(&tx, &self.user, "添加", id, &Vec::new())?;
        tx.commit()?;
        Ok(id)
    }

    pub fn update_unit(&mut self, id: i64, input: &UnitInput) -> Result<()> {
        crate::input::check_form(input)?;
        let tx = self.conn.transaction()?;
        let before = fields_of(&tx, id)?;
        let unit = validate(&tx, input, Some(id))?;
        tx.execute(
            "UPDATE units SET name = ?1, short_name = ?2, contact = ?3, phone = ?4 WHERE id = ?5",
            params![unit.name, unit.short_name, unit.contact, unit.phone, id],
        )?;
        log_unit(&tx, &self.user, "修改", id, &before)?;
        tx.commit()?;
        Ok(())
    }

    /// Retires (停用) or re-enables a unit. A retired unit keeps its items but is not
    /// offered for new assignments.
    pub fn set_unit_active(&mut self, id: i64, active: bool) -> Result<()> {
        let tx = self.conn.transaction()?;
        let before = fields_of(&tx, id)?;
        tx.execute("UPDATE units SET active = ?1 WHERE id = ?2", params![active, id])?;
        log_unit(&tx, &self.user, if active { "启用" } else { "停用" }, id, &before)?;
        tx.commit()?;
        Ok(())
    }
}
