//! 建议/提案: registering, editing, listing and searching items, and the recycle bin
//! (回收站). Deleting moves an item to the bin; nothing here erases an item.

use crate::model::LogKind;
use super::{like_pattern, Conditions, LEVEL_ORDER};
use super::search::{index_phrase, with_pairs};
use crate::db::{now_stamp, Db};
use crate::error::{Error, Result};
use crate::model::{
    proposer_label, Stream, Assignment, Event, ItemDetail, ItemInput, ItemRow, Kind,
    Level, Proposer, Unit,
};
use crate::text::{normalize_number, number_key, pad_number, to_half_width};
use crate::validate::{self, ItemContext, ItemDraft};
use crate::workflow::StepRecord;
use super::log::{item_target, Fields, Logged};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How the item list can be ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// Year (newest first), stream, then number: the order of the paper ledger.
    #[default]
    Default,
    Number,
    Title,
    Proposer,
    Category,
    LeadUnit,
    AssignedOn,
}

/// The item list's filters. Empty fields filter nothing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemQuery {
    pub year: Option<i32>,
    pub kind: Option<Kind>,
    pub level: Option<Level>,
    pub category_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub key_only: bool,
    /// Words to find in the title, a proposer's name or the number; all must match.
    pub text: String,
    pub sort: SortKey,
    pub descending: bool,
    /// The recycle bin instead of the ledger.
    pub deleted: bool,
}

/// Items of one session whose numbers are one number typed two ways (1 and 001).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumberCollision {
    pub session: String,
    pub kind: Kind,
    pub items: Vec<CollidingItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollidingItem {
    pub id: i64,
    pub number: String,
    pub title: String,
}

/// The separator of the assisting units' names inside one SQL value.
const SEP: char = '\u{1f}';

/// The tables a list of items reads, and the sort keys computed per item (named as
/// [`order_by`] uses them).
const ITEMS_FROM: &str = "FROM items i JOIN sessions s ON s.id = i.session_id LEFT JOIN categories c ON c.id = i.category_id";
/// The same tables read in the ledger's own order: each session in order (CROSS JOIN keeps
/// SQLite from reading the items first and sorting them all), then its items through the
/// index items_ledger. For a page in that order without search words; a search starts from
/// the words' index instead.
pub(crate) const LEDGER_FROM: &str = "FROM sessions s CROSS JOIN items i ON i.session_id = s.id LEFT JOIN categories c ON c.id = i.category_id";

/// The same tables read in the lead proposers' order, through the index items_proposer: the
/// page is then the first names' items, sorted name by name. Left to choose, SQLite reads
/// every item in the ledger's order and sorts all 50,000 (40 ms; 10 ms this way).
const PROPOSER_FROM: &str = "FROM items i INDEXED BY items_proposer JOIN sessions s ON s.id = i.session_id LEFT JOIN categories c ON c.id = i.category_id";

/// The tables a page of `query` is found from.
fn page_from(query: &ItemQuery) -> &'static str {
    match (query.sort, query.text.trim().is_empty()) {
        (SortKey::Default, true) => LEDGER_FROM,
        (SortKey::Proposer, true) => PROPOSER_FROM,
        _ => ITEMS_FROM,
    }
}
/// The lead proposer's name, kept on the item by [`write_people`] so the ledger sorts by it
/// through its index.
const LEAD_PROPOSER: &str = "i.lead_proposer AS lead_proposer";
const LEAD_UNIT: &str = "(SELECT u.name FROM assignments a JOIN units u ON u.id = a.unit_id
          WHERE a.item_id = i.id AND a.role = '主办' LIMIT 1) AS lead_unit";

/// What the ledger's list shows of an item `i` of session `s` and category `c`, as
/// [`row_from`] reads it: [`ROW_COLUMNS`] columns.
pub(crate) fn row_columns() -> String {
    format!(
        "i.id, s.kind, s.level, s.year, s.name, i.number, i.title, c.name, i.county_role, i.is_key, {LEAD_PROPOSER},
            (SELECT count(*) FROM proposers p WHERE p.item_id = i.id), i.signers_total, {LEAD_UNIT},
            (SELECT group_concat(name, char(31)) FROM (SELECT u.name FROM assignments a
              JOIN units u ON u.id = a.unit_id WHERE a.item_id = i.id AND a.role = '协办' ORDER BY a.position)),
            i.assigned_on, i.deleted_at"
    )
}
/// How many columns [`row_columns`] has: a longer row's own columns come after them.
pub(crate) const ROW_COLUMNS: usize = 17;

/// The items of the ledger's list, with what its columns show.
fn select_rows() -> String {
    format!("SELECT {} {ITEMS_FROM}", row_columns())
}

/// How many items the ledger's list shows at once: a county's year fits one page, and a
/// decade of a prefecture is never drawn whole.
pub const LEDGER_PAGE: usize = 200;

/// One page of the ledger's list, and how many items the filters find in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemPage {
    pub rows: Vec<ItemRow>,
    pub total: usize,
    /// The place of the first row in the whole list (0 for the first page).
    pub offset: usize,
    pub page_size: usize,
}

pub(crate) fn row_from(r: &Row) -> rusqlite::Result<ItemRow> {
    let kind: Kind = r.get(1)?;
    let level: Level = r.get(2)?;
    let lead: Option<String> = r.get(10)?;
    let assist: Option<String> = r.get(14)?;
    Ok(ItemRow {
        id: r.get(0)?,
        kind,
        level,
        stream: Stream { level, kind }.label(),
        year: r.get(3)?,
        session_name: r.get(4)?,
        number: r.get(5)?,
        title: r.get(6)?,
        category: r.get(7)?,
        county_role: r.get(8)?,
        is_key: r.get(9)?,
        proposer_label: proposer_label(lead.as_deref().unwrap_or(""), r.get::<_, i64>(11)? as usize, r.get(12)?),
        lead_unit: r.get(13)?,
        assist_units: assist.map(|s| s.split(SEP).map(str::to_string).collect()).unwrap_or_default(),
        assigned_on: r.get(15)?,
        deleted_at: r.get(16)?,
    })
}

pub(crate) fn order_by(sort: SortKey, descending: bool) -> String {
    let dir = if descending { "DESC" } else { "ASC" };
    let number = format!("CAST(i.number AS INTEGER) {dir}, i.number {dir}");
    // A session's items stay together (a later 补充交办 after the first list), and the id
    // comes last: no two items tie, so pages never share or skip a row. The indexes
    // sessions_ledger and items_ledger give this order without sorting.
    let ledger = format!("s.year DESC, {LEVEL_ORDER}, s.kind, s.id, CAST(i.number AS INTEGER), i.number, i.id");
    match sort {
        SortKey::Default => ledger,
        SortKey::Number => format!("{number}, s.year DESC"),
        SortKey::Title => format!("i.title {dir}, {ledger}"),
        SortKey::Proposer => format!("lead_proposer {dir}, {ledger}"),
        SortKey::Category => format!("c.sort_order IS NULL, c.kind {dir}, c.sort_order {dir}, {ledger}"),
        SortKey::LeadUnit => format!("lead_unit IS NULL, lead_unit {dir}, {ledger}"),
        SortKey::AssignedOn => format!("i.assigned_on IS NULL, i.assigned_on {dir}, {ledger}"),
    }
}

/// The WHERE clause and its parameters for a query.
pub(crate) fn filter(query: &ItemQuery) -> Conditions {
    let mut conditions = Conditions::new(if query.deleted { "i.deleted_at IS NOT NULL" } else { "i.deleted_at IS NULL" });
    if let Some(year) = query.year {
        conditions.add("s.year = ?", [year.into()]);
    }
    if let Some(kind) = query.kind {
        conditions.add("s.kind = ?", [kind.as_str().to_string().into()]);
    }
    if let Some(level) = query.level {
        conditions.add("s.level = ?", [level.as_str().to_string().into()]);
    }
    if let Some(category) = query.category_id {
        conditions.add("i.category_id = ?", [category.into()]);
    }
    if let Some(unit) = query.unit_id {
        conditions.add("EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.unit_id = ?)", [unit.into()]);
    }
    if query.key_only {
        conditions.add("i.is_key = 1", []);
    }
    // The words the index can look up are asked for in one MATCH, so the index itself finds
    // the items that have them all (two lookups of 5,000 items each, joined by SQLite, took
    // 14 ms at 50,000 items; one MATCH, 1 ms).
    let mut phrases = Vec::new();
    for word in to_half_width(&query.text).split_whitespace() {
        // A word that is a number finds the item of that number however either was typed.
        let number = normalize_number(word).map(|n| Value::from(number_key(&n)));
        match (index_phrase(word), number) {
            (Some(phrase), None) => phrases.push(phrase),
            (Some(phrase), Some(number)) => conditions.add("(i.id IN (SELECT rowid FROM item_search WHERE item_search MATCH ?) OR i.number_key = ?)", [phrase.into(), number]),
            // One character is looked for item by item.
            (None, number) => {
                let pattern = Value::from(like_pattern(word));
                conditions.add(
                    "(i.title LIKE ? ESCAPE '\\' OR i.number LIKE ? ESCAPE '\\' OR i.number_key = ?
                      OR EXISTS (SELECT 1 FROM proposers p WHERE p.item_id = i.id AND p.name LIKE ? ESCAPE '\\'))",
                    [pattern.clone(), pattern.clone(), number.unwrap_or(Value::Null), pattern],
                );
            }
        }
    }
    if !phrases.is_empty() {
        conditions.add("i.id IN (SELECT rowid FROM item_search WHERE item_search MATCH ?)", [phrases.join(" AND ").into()]);
    }
    conditions
}

/// What the search index holds of an item: its number, title and proposers' names, with
/// their pairs ([`super::search::with_pairs`]). Migration 11 writes the same for the items it
/// finds.
pub fn search_words(number: &str, title: &str, names: &[&str]) -> String {
    with_pairs(format!("{number} {title} {}", names.join(" ")))
}

/// Loads what the form refers to and validates it.
pub(crate) fn draft(tx: &Transaction, input: &ItemInput, units_before: &[i64]) -> Result<ItemDraft> {
    let session = match input.session_id {
        Some(id) => super::sessions::find(tx, id)?,
        None => None,
    };
    let category = match input.category_id {
        Some(id) => super::categories::find(tx, id)?,
        None => None,
    };
    let mut units: Vec<Unit> = Vec::new();
    for id in input.assignments.iter().filter_map(|a| a.unit_id) {
        units.extend(super::units::find_for_check(tx, id)?);
    }
    let mut draft = validate::item(input, &ItemContext { session: session.as_ref(), category: category.as_ref(), units: &units, units_before })?;
    // Written in the session's own style: 5 becomes 005 where its numbers are 001, 002 …
    draft.number = pad_number(&draft.number, number_width(tx, draft.session_id)?);
    Ok(draft)
}

/// Every item of a session (the recycle bin's too) with each of its units: number, id, unit
/// (none for an item without units), as an import matches its rows against them.
pub(crate) fn registered_in_session(conn: &Connection, session_id: i64) -> Result<Vec<(String, i64, Option<i64>)>> {
    let mut stmt = conn.prepare("SELECT i.number, i.id, a.unit_id FROM items i LEFT JOIN assignments a ON a.item_id = i.id WHERE i.session_id = ?1")?;
    let rows = stmt.query_map([session_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The items of the numbers a session holds more than once, by session (newest year first)
/// and number: the few numbers first (CROSS JOIN keeps SQLite from walking the items to look
/// each one up), then their items through the numbers' index.
const NUMBER_TWINS: &str = "SELECT s.name, s.kind, i.id, i.number, i.title FROM
       (SELECT session_id, number_key FROM number_keys WHERE items > 1) twice
     CROSS JOIN items i ON i.session_id = twice.session_id AND i.number_key = twice.number_key AND i.deleted_at IS NULL
     JOIN sessions s ON s.id = i.session_id
     ORDER BY s.year DESC, s.id, i.number_key, i.id";

/// How wide a session pads its numbers (see [`padded_width`]), from what is registered.
pub(crate) fn number_width(conn: &Connection, session_id: i64) -> Result<usize> {
    let width: Option<i64> = conn
        .prepare_cached("SELECT max(length(number)) FROM items WHERE session_id = ?1 AND number GLOB '0?*' AND number NOT GLOB '*[^0-9]*'")?
        .query_row([session_id], |r| r.get(0))?;
    Ok(width.unwrap_or(0) as usize)
}

/// Refuses a number already used in the same session, naming the item that has it.
fn check_number_free(tx: &Transaction, draft: &ItemDraft, except: Option<i64>) -> Result<()> {
    let existing = tx
        .query_row(
            "SELECT i.title, i.deleted_at IS NOT NULL, s.name, s.kind, i.number FROM items i JOIN sessions s ON s.id = i.session_id
              WHERE i.session_id = ?1 AND i.number_key = ?2 AND i.id IS NOT ?3",
            params![draft.session_id, number_key(&draft.number), except],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, String>(2)?, r.get::<_, Kind>(3)?, r.get::<_, String>(4)?)),
        )
        .optional()?;
    match existing {
        None => Ok(()),
        // Named as it was registered: 第001号 when the clerk now typed 1.
        Some((title, in_bin, session, kind, number)) => Err(Error::field("number", format!(
            "{session}第{}号{kind}已经登记过：《{title}》{}。同一届次的编号不能重复。",
            number,
            if in_bin { "（在回收站中，可从回收站恢复）" } else { "" }
        ))),
    }
}

/// Writes an item's proposers and units, its lead proposer's name (the ledger's sort key)
/// and its words in the search index (its number, title and proposers' names): the one
/// place where any of these change.
fn write_people(tx: &Transaction, item_id: i64, draft: &ItemDraft) -> Result<()> {
    tx.prepare_cached("DELETE FROM proposers WHERE item_id = ?1")?.execute([item_id])?;
    tx.prepare_cached("DELETE FROM assignments WHERE item_id = ?1")?.execute([item_id])?;
    let mut proposer = tx.prepare_cached(
        "INSERT INTO proposers (item_id, position, name, is_collective, delegation, phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (position, p) in draft.proposers.iter().enumerate() {
        proposer.execute(params![item_id, position as i64, p.name, p.is_collective, p.delegation, p.phone])?;
    }
    let mut assignment = tx.prepare_cached(
        "INSERT INTO assignments (item_id, unit_id, role, leader, handler, phone, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (position, a) in draft.assignments.iter().enumerate() {
        assignment.execute(params![item_id, a.unit_id, a.role, a.leader, a.handler, a.phone, position as i64])?;
    }
    let names: Vec<&str> = draft.proposers.iter().map(|p| p.name.as_str()).collect();
    tx.prepare_cached("UPDATE items SET lead_proposer = ?2 WHERE id = ?1")?.execute(params![item_id, names.first()])?;
    tx.prepare_cached("DELETE FROM item_search WHERE rowid = ?1")?.execute([item_id])?;
    tx.prepare_cached("INSERT INTO item_search (rowid, words) VALUES (?1, ?2)")?
        .execute(params![item_id, search_words(&draft.number, &draft.title, &names)])?;
    Ok(())
}

/// The units an item has now (they may stay on it even if retired since).
pub(crate) fn units_of(tx: &Transaction, id: i64) -> Result<Vec<i64>> {
    Ok(tx
        .prepare_cached("SELECT unit_id FROM assignments WHERE item_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Inserts a validated item inside the caller's transaction; returns its id.
pub(crate) fn insert_item(tx: &Transaction, draft: &ItemDraft) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO items (session_id, number, title, full_text, category_id, county_role, is_key,
            supervising_leader, assigned_on, signers_total, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?.execute(params![draft.session_id, draft.number, draft.title, draft.full_text, draft.category_id,
            draft.county_role, draft.is_key, draft.supervising_leader, draft.assigned_on,
            draft.signers_total, draft.note, now_stamp()],
    )?;
    let id = tx.last_insert_rowid();
    write_people(tx, id, draft)?;
    Ok(id)
}

/// Writes a validated item over an existing one inside the caller's transaction.
pub(crate) fn overwrite_item(tx: &Transaction, id: i64, draft: &ItemDraft) -> Result<()> {
    tx.prepare_cached(
        "UPDATE items SET session_id = ?1, number = ?2, title = ?3, full_text = ?4, category_id = ?5,
            county_role = ?6, is_key = ?7, supervising_leader = ?8, assigned_on = ?9,
            signers_total = ?10, note = ?11, updated_at = ?12 WHERE id = ?13",
    )?.execute(params![draft.session_id, draft.number, draft.title, draft.full_text, draft.category_id,
            draft.county_role, draft.is_key, draft.supervising_leader, draft.assigned_on,
            draft.signers_total, draft.note, now_stamp(), id],
    )?;
    write_people(tx, id, draft)
}

/// The items of `ids` as the ledger lists them, in the order of `ids` (one gone is left out).
pub(crate) fn rows_by_id(conn: &Connection, ids: &[i64]) -> Result<Vec<ItemRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(",");
    let mut rows: HashMap<i64, ItemRow> = conn
        .prepare(&format!("{} WHERE i.id IN ({list})", select_rows()))?
        .query_map([], row_from)?
        .map(|r| r.map(|row| (row.id, row)))
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids.iter().filter_map(|id| rows.remove(id)).collect())
}

/// The state of an item that decides what may be done to it.
fn bin_state(tx: &Transaction, id: i64) -> Result<Option<bool>> {
    Ok(tx
        .query_row("SELECT deleted_at IS NOT NULL FROM items WHERE id = ?1", [id], |r| r.get(0))
        .optional()?)
}

fn gone() -> Error {
    Error::NotFound("这件建议/提案已不存在，请刷新列表。".into())
}

/// An item's fields as the operation log shows them, in the order of the intake form.
pub(crate) fn item_fields(conn: &Connection, id: i64) -> Result<Fields> {
    let mut fields: Fields = conn.prepare_cached(
        "SELECT s.year || '年 ' || s.name, i.number, i.title, ifnull(c.name, '未分类'), i.county_role, i.is_key,
            i.supervising_leader, i.assigned_on, i.signers_total, i.full_text, i.note, i.deleted_at IS NOT NULL
         FROM items i JOIN sessions s ON s.id = i.session_id LEFT JOIN categories c ON c.id = i.category_id WHERE i.id = ?1",
    )?.query_row(
        [id],
        |r| {
            Ok(vec![
                ("届次", r.get::<_, String>(0)?),
                ("编号", r.get(1)?),
                ("标题", r.get(2)?),
                ("类别", r.get(3)?),
                ("本县角色", r.get(4)?),
                ("重点件", if r.get::<_, bool>(5)? { "是" } else { "否" }.to_string()),
                ("督办领导", r.get(6)?),
                ("交办日期", r.get::<_, Option<chrono::NaiveDate>>(7)?.map(crate::text::format_date_cn).unwrap_or_default()),
                ("联名总人数", r.get::<_, Option<i64>>(8)?.map(|n| n.to_string()).unwrap_or_default()),
                ("正文", r.get(9)?),
                ("备注", r.get(10)?),
                ("状态", if r.get::<_, bool>(11)? { "在回收站中" } else { "在台账中" }.to_string()),
            ])
        },
    )?;
    let proposers: Vec<String> = conn
        .prepare_cached("SELECT name, is_collective, delegation, phone FROM proposers WHERE item_id = ?1 ORDER BY position")?
        .query_map([id], |r| {
            let parts = [r.get::<_, String>(2)?, r.get::<_, String>(3)?].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>();
            let name = format!("{}{}", r.get::<_, String>(0)?, if r.get::<_, bool>(1)? { "（集体）" } else { "" });
            Ok(if parts.is_empty() { name } else { format!("{name}（{}）", parts.join("，")) })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let units: Vec<String> = conn
        .prepare_cached("SELECT a.role, u.name, a.leader, a.handler, a.phone FROM assignments a JOIN units u ON u.id = a.unit_id
                  WHERE a.item_id = ?1 ORDER BY a.role = '协办', a.position")?
        .query_map([id], |r| {
            let people = [r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>();
            let unit = format!("{}：{}", r.get::<_, String>(0)?, r.get::<_, String>(1)?);
            Ok(if people.is_empty() { unit } else { format!("{unit}（{}）", people.join("，")) })
        })?
        .collect::<rusqlite::Result<_>>()?;
    fields.insert(9, ("提出人", proposers.join("；")));
    fields.insert(10, ("承办单位", units.join("；")));
    Ok(fields)
}

/// Logs what a write did to an item, inside its transaction: `before` is empty for a new one.
pub(crate) fn log_item(tx: &Transaction, user: &str, action: &str, id: i64, before: &Fields) -> Result<()> {
    let logged = Logged { kind: LogKind::Item, action, target: item_target(tx, id)?, item_id: Some(id) };
    logged.write_diff(tx, user, before, &item_fields(tx, id)?)
}

impl Db {
    /// Registers an item from the intake form; returns its id.
    pub fn create_item(&mut self, input: &ItemInput) -> Result<i64> {
        crate::input::check_form(input)?;
        let tx = self.conn.transaction()?;
        let draft = draft(&tx, input, &[])?;
        check_number_free(&tx, &draft, None)?;
        let id = insert_item(&tx, &draft)?;
        log_item(&tx, &self.user, "登记", id, &Vec::new())?;
        super::work::refresh(&tx, super::work::Scope::Item(id))?;
        tx.commit()?;
        Ok(id)
    }

    /// Saves the edit form over an item. An item in the recycle bin must be restored first.
    pub fn update_item(&mut self, id: i64, input: &ItemInput) -> Result<()> {
        crate::input::check_form(input)?;
        let tx = self.conn.transaction()?;
        match bin_state(&tx, id)? {
            None => return Err(gone()),
            Some(true) => return Err(Error::NotFound("这件在回收站中，请先恢复再修改。".into())),
            Some(false) => {}
        }
        let draft = draft(&tx, input, &units_of(&tx, id)?)?;
        check_number_free(&tx, &draft, Some(id))?;
        let before = item_fields(&tx, id)?;
        overwrite_item(&tx, id, &draft)?;
        log_item(&tx, &self.user, "修改", id, &before)?;
        super::work::refresh(&tx, super::work::Scope::Item(id))?;
        tx.commit()?;
        Ok(())
    }

    /// Moves an item to the recycle bin (回收站). Its data and history stay whole.
    pub fn delete_item(&mut self, id: i64) -> Result<()> {
        self.set_deleted(id, true)
    }

    /// Brings an item back from the recycle bin.
    pub fn restore_item(&mut self, id: i64) -> Result<()> {
        self.set_deleted(id, false)
    }

    fn set_deleted(&mut self, id: i64, deleted: bool) -> Result<()> {
        let tx = self.conn.transaction()?;
        match bin_state(&tx, id)? {
            None => return Err(gone()),
            Some(state) if state == deleted => {}
            Some(_) => {
                let before = item_fields(&tx, id)?;
                let stamp = deleted.then(now_stamp);
                tx.execute("UPDATE items SET deleted_at = ?1 WHERE id = ?2", params![stamp, id])?;
                log_item(&tx, &self.user, if deleted { "移入回收站" } else { "从回收站恢复" }, id, &before)?;
                super::work::refresh(&tx, super::work::Scope::Item(id))?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The item list (or the recycle bin) for the given filters.
    pub fn list_items(&self, query: &ItemQuery) -> Result<Vec<ItemRow>> {
        let conditions = filter(query);
        let sql = format!("{} WHERE {} ORDER BY {}", select_rows(), conditions.sql(), order_by(query.sort, query.descending));
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(conditions.values), row_from)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The numbers a session holds twice, typed two ways (1 and 001) in a ledger kept before
    /// one number was one number, whatever the typing: both items are kept, and listed here
    /// for the clerk to put right (change a number, or delete the item entered twice).
    /// Read from the numbers kept per session (migration 13), through the index of those held
    /// more than once.
    pub fn number_collisions(&self) -> Result<Vec<NumberCollision>> {
        let mut stmt = self.conn.prepare(NUMBER_TWINS)?;
        let mut collisions: Vec<NumberCollision> = Vec::new();
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Kind>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?)))?;
        for row in rows {
            let (session, kind, id, number, title) = row?;
            let key = number_key(&number);
            match collisions.last_mut().filter(|c| c.session == session && number_key(&c.items[0].number) == key) {
                Some(collision) => collision.items.push(CollidingItem { id, number, title }),
                None => collisions.push(NumberCollision { session, kind, items: vec![CollidingItem { id, number, title }] }),
            }
        }
        Ok(collisions)
    }

    /// One page of the list for the filters, from the row at `offset`: the page's items are
    /// found and ordered first, and only they are read whole.
    pub fn item_page(&self, query: &ItemQuery, offset: usize) -> Result<ItemPage> {
        let conditions = filter(query);
        let sort_key = match query.sort {
            SortKey::Proposer => format!(", {LEAD_PROPOSER}"),
            SortKey::LeadUnit => format!(", {LEAD_UNIT}"),
            _ => String::new(),
        };
        let found = format!("SELECT i.id{sort_key} {} WHERE {} ORDER BY {}", page_from(query), conditions.sql(), order_by(query.sort, query.descending));
        let (ids, total): (Vec<i64>, usize) = if query.text.trim().is_empty() {
            // Without search words the count reads an index, and only the page is found. Every
            // item has its session, so the sessions are read only for a filter on them.
            let on_sessions = query.year.is_some() || query.kind.is_some() || query.level.is_some();
            let counted = if on_sessions { "items i JOIN sessions s ON s.id = i.session_id" } else { "items i" };
            let total = self.conn.query_row(
                &format!("SELECT count(*) FROM {counted} WHERE {}", conditions.sql()),
                params_from_iter(&conditions.values),
                |r| r.get(0),
            )?;
            let sql = format!("{found} LIMIT {LEDGER_PAGE} OFFSET {offset}");
            (self.conn.prepare(&sql)?.query_map(params_from_iter(&conditions.values), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?, total)
        } else {
            // A search is looked up once: every item it finds, in order, counted and cut here.
            let all: Vec<i64> = self.conn.prepare(&found)?.query_map(params_from_iter(&conditions.values), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            let total = all.len();
            (all.into_iter().skip(offset).take(LEDGER_PAGE).collect(), total)
        };
        if ids.is_empty() {
            return Ok(ItemPage { rows: Vec::new(), total, offset, page_size: LEDGER_PAGE });
        }
        Ok(ItemPage { rows: rows_by_id(&self.conn, &ids)?, total, offset, page_size: LEDGER_PAGE })
    }

    /// The years that have items, newest first, for the year filter.
    pub fn list_years(&self) -> Result<Vec<i32>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT s.year FROM sessions s ORDER BY s.year DESC",
        )?;
        let years = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(years)
    }

    /// Everything about one item.
    pub fn get_item(&self, id: i64) -> Result<ItemDetail> {
        // One read transaction, so the parts of the item are from the same moment.
        let tx = self.conn.unchecked_transaction()?;
        let session_id: i64 = tx
            .query_row("SELECT session_id FROM items WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(gone)?;
        let session = super::sessions::find(&tx, session_id)?.ok_or_else(gone)?;
        let proposers: Vec<Proposer> = tx
            .prepare_cached("SELECT name, is_collective, delegation, phone FROM proposers WHERE item_id = ?1 ORDER BY position")?
            .query_map([id], |r| Ok(Proposer { name: r.get(0)?, is_collective: r.get(1)?, delegation: r.get(2)?, phone: r.get(3)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let assignments = tx
            .prepare("SELECT a.unit_id, u.name, u.active, a.role, a.leader, a.handler, a.phone
                      FROM assignments a JOIN units u ON u.id = a.unit_id
                      WHERE a.item_id = ?1 ORDER BY a.role = '协办', a.position")?
            .query_map([id], |r| Ok(Assignment {
                unit_id: r.get(0)?, unit_name: r.get(1)?, unit_active: r.get(2)?, role: r.get(3)?,
                leader: r.get(4)?, handler: r.get(5)?, phone: r.get(6)?,
            }))?
            .collect::<rusqlite::Result<_>>()?;
        let events = tx
            .prepare("SELECT e.id, e.step, e.happened_on, u.name, e.details, e.note, e.recorded_at, e.replaces, e.voided, e.void_reason, e.source
                      FROM events e LEFT JOIN units u ON u.id = e.unit_id
                      WHERE e.item_id = ?1 ORDER BY e.happened_on, e.id")?
            .query_map([id], |r| {
                let details: String = r.get(4)?;
                Ok(Event {
                    id: r.get(0)?, step: r.get(1)?, happened_on: r.get(2)?, unit_name: r.get(3)?,
                    summary: serde_json::from_str::<StepRecord>(&details).map(|s| s.summary()).unwrap_or_default(),
                    details: serde_json::from_str(&details).unwrap_or_default(),
                    note: r.get(5)?, recorded_at: r.get(6)?, replaces: r.get(7)?, voided: r.get(8)?, void_reason: r.get(9)?, source: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let detail = tx.query_row(
            "SELECT i.number, i.title, i.full_text, i.category_id, c.name, i.county_role, i.is_key,
                i.supervising_leader, i.assigned_on, i.signers_total, i.note, i.created_at, i.updated_at, i.deleted_at
             FROM items i LEFT JOIN categories c ON c.id = i.category_id WHERE i.id = ?1",
            [id],
            |r| {
                let signers_total: Option<i64> = r.get(9)?;
                Ok(ItemDetail {
                    id,
                    stream: Stream { level: session.level, kind: session.kind }.label(),
                    session,
                    number: r.get(0)?,
                    title: r.get(1)?,
                    full_text: r.get(2)?,
                    category_id: r.get(3)?,
                    category: r.get(4)?,
                    county_role: r.get(5)?,
                    is_key: r.get(6)?,
                    supervising_leader: r.get(7)?,
                    assigned_on: r.get(8)?,
                    signers_total,
                    proposer_label: proposer_label(
                        proposers.first().map_or("", |p| p.name.as_str()), proposers.len(), signers_total),
                    note: r.get(10)?,
                    created_at: r.get(11)?,
                    updated_at: r.get(12)?,
                    deleted_at: r.get(13)?,
                    proposers,
                    assignments,
                    events,
                })
            },
        )?;
        Ok(detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn the_numbers_held_twice_are_found_among_those_alone() {
        let db = crate::db::Db::open_in_memory().unwrap();
        let plan = db.query_plan(NUMBER_TWINS, &[]).unwrap();
        assert!(plan.contains("number_keys_twice") && !plan.contains("SCAN i"), "{plan}");
    }


    #[test]
    fn a_search_of_three_characters_or_more_goes_through_the_index_not_every_item() {
        let db = Db::open_in_memory().unwrap();
        let conditions = filter(&ItemQuery { text: "艾尔肯 孜热村".into(), ..Default::default() });
        let plan = db.query_plan(&format!("SELECT i.id {ITEMS_FROM} WHERE {}", conditions.sql()), &conditions.values).unwrap();
        assert!(plan.contains("VIRTUAL TABLE INDEX"), "the trigram index: {plan}");
        assert!(!plan.lines().any(|l| l == "SCAN i"), "no item read one by one: {plan}");
    }

    #[test]
    fn the_number_key_column_follows_the_same_rule_as_the_program() {
        let db = Db::open_in_memory().unwrap();
        for number in ["001", "1", "0", "000", "010", "214", "A-12", "a-012", "12-3"] {
            let stored = normalize_number(number).unwrap();
            let column: String = db.conn.query_row(
                "SELECT number_key FROM (SELECT ?1 AS number, CASE WHEN ?1 <> '' AND ?1 NOT GLOB '*[^0-9]*' THEN ifnull(nullif(ltrim(?1, '0'), ''), '0') ELSE upper(?1) END AS number_key)",
                [&stored], |r| r.get(0)).unwrap();
            assert_eq!(column, number_key(&stored), "{number}");
        }
        // And the table's column is that expression.
        let sql: String = db.conn.query_row("SELECT sql FROM sqlite_master WHERE name = 'items'", [], |r| r.get(0)).unwrap();
        assert!(sql.contains("CASE WHEN number <> '' AND number NOT GLOB '*[^0-9]*' THEN ifnull(nullif(ltrim(number, '0'), ''), '0') ELSE upper(number) END"), "{sql}");
    }

    #[test]
    fn a_page_of_the_ledger_in_its_own_order_is_read_from_the_indexes_without_sorting() {
        let db = Db::open_in_memory().unwrap();
        for query in [ItemQuery::default(), ItemQuery { year: Some(2025), ..Default::default() }] {
            let conditions = filter(&query);
            let sql = format!("SELECT i.id {} WHERE {} ORDER BY {} LIMIT 200", page_from(&query), conditions.sql(), order_by(SortKey::Default, false));
            let plan = db.query_plan(&sql, &conditions.values).unwrap();
            assert!(plan.contains("sessions_ledger") && plan.contains("items_ledger"), "{plan}");
            assert!(!plan.contains("TEMP B-TREE FOR ORDER BY"), "no sort of every item: {plan}");
        }
    }

    #[test]
    fn a_page_by_lead_proposer_reads_the_names_index_and_sorts_only_within_a_name() {
        let db = Db::open_in_memory().unwrap();
        for descending in [false, true] {
            let query = ItemQuery { sort: SortKey::Proposer, descending, ..Default::default() };
            let conditions = filter(&query);
            let sql = format!("SELECT i.id, {LEAD_PROPOSER} {} WHERE {} ORDER BY {} LIMIT 200", page_from(&query), conditions.sql(), order_by(query.sort, descending));
            let plan = db.query_plan(&sql, &conditions.values).unwrap();
            assert!(plan.contains("USING INDEX items_proposer"), "{plan}");
            assert!(!plan.contains("TEMP B-TREE FOR ORDER BY"), "no sort of every item: {plan}");
        }
    }
}
