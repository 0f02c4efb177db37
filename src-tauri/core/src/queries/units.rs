//! 承办单位: the county's directory of units. A unit is never deleted, only retired
//! (停用), so the items it handled keep its name in every table and report.

use crate::model::LogKind;
use crate::db::Db;
use super::log::{Fields, Logged};
use crate::error::{Error, FieldErrors, Result};
use crate::model::{Unit, UnitInput};
use crate::text::{clean, is_valid_phone};
use crate::validate::MAX_NAME_CHARS;
use rusqlite::{params, OptionalExtension, Row, Transaction};

/// The directory with each unit's counts of items led and assisted, counted in one grouped
/// pass over the assignments (not two passes per unit): for a ledger whose progress has not
/// been kept yet (one from an older version, before its first screen).
const SELECT: &str = "SELECT u.id, u.name, u.short_name, u.contact, u.phone, u.active, ifnull(c.lead, 0), ifnull(c.assist, 0)
        FROM units u LEFT JOIN (SELECT a.unit_id, sum(a.role = '主办') AS lead, sum(a.role = '协办') AS assist
          FROM assignments a JOIN items i ON i.id = a.item_id WHERE i.deleted_at IS NULL GROUP BY a.unit_id) c ON c.unit_id = u.id";

/// The same counts read from the counts kept per unit and year (`unit_figures`, migration
/// 10): a few rows per unit and year instead of every assignment of every year, the same
/// figures once the progress is kept (the tests recount them after every kind of write).
const SELECT_KEPT: &str = "SELECT u.id, u.name, u.short_name, u.contact, u.phone, u.active, ifnull(c.lead, 0), ifnull(c.assist, 0)
        FROM units u LEFT JOIN (SELECT unit_id, sum(lead) AS lead, sum(assist) AS assist FROM unit_figures GROUP BY unit_id) c ON c.unit_id = u.id";

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

/// The directory without its counts of items, which cost a pass over all of them (counts
/// left 0): for checking a form and for reading a list's unit names.
const UNCOUNTED: &str = "SELECT u.id, u.name, u.short_name, u.contact, u.phone, u.active, 0, 0 FROM units u";

/// A unit as checking a form needs it (its name and whether it is in use).
pub(crate) fn find_for_check(tx: &Transaction, id: i64) -> Result<Option<Unit>> {
    Ok(tx.query_row(&format!("{UNCOUNTED} WHERE u.id = ?1"), [id], from_row).optional()?)
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
    } else if unit.name.chars().count() > MAX_NAME_CHARS {
        errors.add("name", format!("单位全称最多 {MAX_NAME_CHARS} 字。"));
    } else if let Some(other) = taken_by(&unit.name)? {
        errors.add("name", format!("“{}”与已有单位“{other}”重名。", unit.name));
    }
    if !unit.short_name.is_empty() {
        if unit.short_name == unit.name {
            // A short name equal to the full name says nothing new; it is allowed.
        } else if let Some(other) = taken_by(&unit.short_name)? {
            errors.add("short_name", format!("简称“{}”已是单位“{other}”的名称或简称。如果“{other}”和本单位是同一个单位，可用“合并单位”把它并入本单位，它的名称就成为本单位的简称。", unit.short_name));
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

/// A unit's name alone, without the directory's counts (which read every assignment).
pub(crate) fn unit_name(conn: &rusqlite::Connection, id: i64) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT name FROM units WHERE id = ?1", [id], |r| r.get(0)).optional()?)
}

/// Gives a unit a short name where it has none (the merged unit's name, an import's short
/// name); the caller logs it.
pub(crate) fn fill_short_name(tx: &Transaction, id: i64, short_name: &str) -> Result<()> {
    tx.execute("UPDATE units SET short_name = ?2 WHERE id = ?1 AND short_name = ''", params![id, short_name])?;
    Ok(())
}

/// Adds a unit known by its name and short name alone (one an import names first), logged.
pub(crate) fn add_named(tx: &Transaction, user: &str, name: &str, short_name: &str) -> Result<i64> {
    tx.execute("INSERT INTO units (name, short_name) VALUES (?1, ?2)", [name, short_name])?;
    let id = tx.last_insert_rowid();
    log_unit(tx, user, "导入时添加", id, &Vec::new())?;
    Ok(id)
}

pub(crate) fn fields_of(tx: &Transaction, id: i64) -> Result<Fields> {
    Ok(unit_fields(&find(tx, id)?.ok_or_else(|| Error::NotFound("该单位已不存在。".into()))?))
}

impl Db {
    /// Every unit's name by its id, without the directory's counts of their items: for the
    /// figures and scores that name the units they count.
    pub(crate) fn unit_names(&self) -> Result<std::collections::HashMap<i64, String>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, name FROM units")?;
        let names = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(names)
    }

    /// The directory: active units first, then by name, each with its items led and
    /// assisted (not those in the recycle bin).
    pub fn list_units(&self) -> Result<Vec<Unit>> {
        self.directory(if super::work::is_kept(&self.conn)? { SELECT_KEPT } else { SELECT })
    }

    /// The directory without its counts of items: what an import matches a list's unit
    /// names against (at 50,000 items the counts were a fifth of a 1,000-row import).
    pub(crate) fn units_uncounted(&self) -> Result<Vec<Unit>> {
        self.directory(UNCOUNTED)
    }

    fn directory(&self, select: &str) -> Result<Vec<Unit>> {
        let mut stmt = self.conn.prepare_cached(&format!("{select} ORDER BY u.active DESC, u.name"))?;
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

    /// Merges unit `merged` into `kept` (合并): two entries of the directory that are one
    /// unit (州发改委 beside 州发展和改革委员会). The merged unit's items, workflow records,
    /// reminders put off and reply drafts pass to the one kept; where both were on one item,
    /// the kept one stays, as 主办 if either led. The merged unit's name becomes the kept
    /// one's short name when it has none, and the merged entry leaves the directory. One
    /// transaction, logged; preceded by a checked backup when the ledger has a backup folder.
    pub fn merge_units(&mut self, kept: i64, merged: i64) -> Result<()> {
        if kept == merged {
            return Err(Error::field("kept", "请选择要并入的另一个单位。"));
        }
        {
            let tx = self.conn.unchecked_transaction()?;
            let (Some(_), Some(gone)) = (find_for_check(&tx, kept)?, find_for_check(&tx, merged)?) else {
                return Err(Error::NotFound("该单位已不存在。".into()));
            };
            // Two threads of drafts would become one with versions twice over.
            let shared: Option<String> = tx.query_row(
                "SELECT i.title FROM reply_drafts a JOIN reply_drafts b ON b.item_id = a.item_id AND b.purpose = a.purpose AND b.version = a.version
                 JOIN items i ON i.id = a.item_id WHERE a.unit_id = ?1 AND b.unit_id = ?2 LIMIT 1",
                params![merged, kept],
                |r| r.get(0),
            ).optional()?;
            if let Some(title) = shared {
                return Err(Error::field("kept", format!("“{}”和所选单位在《{title}》上各有答复稿，合并后分不清版本，没有合并。", gone.name)));
            }
        }
        if self.backups.is_some() {
            self.backup_now(crate::backup::BackupReason::BeforeMerge)?;
        }
        let tx = self.conn.transaction()?;
        let before = fields_of(&tx, kept)?;
        let gone = find(&tx, merged)?.ok_or_else(|| Error::NotFound("该单位已不存在。".into()))?;
        let items: Vec<i64> = tx.prepare("SELECT item_id FROM assignments WHERE unit_id = ?1")?.query_map([merged], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        tx.execute(
            "UPDATE assignments SET role = '主办' WHERE unit_id = ?1 AND item_id IN (SELECT item_id FROM assignments WHERE unit_id = ?2 AND role = '主办')",
            params![kept, merged],
        )?;
        tx.execute("DELETE FROM assignments WHERE unit_id = ?2 AND item_id IN (SELECT item_id FROM assignments WHERE unit_id = ?1)", params![kept, merged])?;
        for table in ["assignments", "events", "snoozes", "reply_drafts", "feedback_exports"] {
            tx.execute(&format!("UPDATE {table} SET unit_id = ?1 WHERE unit_id = ?2"), params![kept, merged])?;
        }
        fill_short_name(&tx, kept, &gone.name)?;
        super::work::refresh(&tx, super::work::Scope::Items(&items))?;
        tx.execute("DELETE FROM units WHERE id = ?1", [merged])?;
        log_unit(&tx, &self.user, "合并单位", kept, &before)?;
        let logged = Logged { kind: LogKind::Unit, action: "合并单位", target: gone.name.clone(), item_id: None };
        logged.write(&tx, &self.user, &[
            super::log::change("并入", "", unit_name(&tx, kept)?.unwrap_or_default()),
            super::log::change("转入的件", "", format!("{} 件", items.len())),
        ])?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queries::items::ItemQuery;

    #[test]
    fn the_directorys_kept_counts_are_the_counted_ones_and_read_no_assignment() {
        let mut db = Db::open_in_memory().unwrap();
        crate::demo::seed(&mut db).unwrap();
        let today = crate::text::parse_date(crate::demo::DEMO_TODAY).unwrap();
        db.reminders(today).unwrap();
        assert!(crate::queries::work::is_kept(&db.conn).unwrap(), "a screen keeps the progress");
        let same = |db: &Db| assert_eq!(db.list_units().unwrap(), db.directory(SELECT).unwrap());
        same(&db);
        // Deleted, restored, a unit merged into another: the kept counts follow.
        let items = db.list_items(&ItemQuery::default()).unwrap();
        db.delete_item(items[0].id).unwrap();
        same(&db);
        db.restore_item(items[0].id).unwrap();
        db.delete_item(items[1].id).unwrap();
        let units = db.list_units().unwrap();
        db.merge_units(units[0].id, units[1].id).unwrap();
        same(&db);
        let plan = db.query_plan(SELECT_KEPT, &[]).unwrap();
        assert!(plan.contains("unit_figures") && !plan.contains("assignments"), "{plan}");
    }
}
