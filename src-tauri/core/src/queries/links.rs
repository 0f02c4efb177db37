//! Links the clerk makes between items: 同类 (handled together: one 主办 unit for all, replies
//! that name each other) and 重复提出 (the same matter raised again). A link is shown on both
//! items, logged when made, changed or taken away, and the 重复提出 ones are counted in the
//! statistics as 多年提、反复提的问题 (stats.rs).

use crate::model::LogKind;
use super::items::{item_fields, log_item, rows_by_id};
use super::log::{item_target, Change, Logged};
use crate::db::{now_stamp, Db};
use crate::error::{Error, Result};
use crate::model::{ItemRow, LinkKind};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use std::collections::HashMap;

/// The condition on an item `w.item_id` that it is linked as 重复提出: looked up from the
/// links (few), not asked of each of the year's items.
pub(crate) const REPEATED: &str = "w.item_id IN (SELECT first_id FROM item_links WHERE kind = '重复提出'
    UNION ALL SELECT second_id FROM item_links WHERE kind = '重复提出')";

/// The kinds are words of the domain (model.rs).

/// A link as one item sees it: the other item and what it is to this one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemLink {
    pub kind: LinkKind,
    pub other: ItemRow,
    /// The other item's formal reply class (A, B, C), when it was replied.
    pub class: Option<String>,
    pub made_at: String,
}

/// The pair as stored: the smaller id first.
fn pair(a: i64, b: i64) -> (i64, i64) {
    (a.min(b), a.max(b))
}

fn link_kind(conn: &Connection, a: i64, b: i64) -> Result<Option<LinkKind>> {
    let (first, second) = pair(a, b);
    Ok(conn.query_row("SELECT kind FROM item_links WHERE first_id = ?1 AND second_id = ?2", [first, second], |r| r.get(0)).optional()?)
}

fn check_items(conn: &Connection, a: i64, b: i64) -> Result<()> {
    if a == b {
        return Err(Error::field("link", "不能把一件建议提案与它自己关联。"));
    }
    for id in [a, b] {
        let found: Option<bool> = conn.query_row("SELECT deleted_at IS NULL FROM items WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        match found {
            None => return Err(Error::NotFound("要关联的建议提案已不存在，请刷新。".into())),
            Some(false) => return Err(Error::field("link", "回收站中的建议提案不能关联，请先恢复。")),
            Some(true) => {}
        }
    }
    Ok(())
}

/// Logs a link's change on both items.
fn log_link(tx: &Transaction, user: &str, action: &str, a: i64, b: i64, old: Option<LinkKind>, new: Option<LinkKind>) -> Result<()> {
    let word = |kind: Option<LinkKind>| kind.map(|k| k.as_str().to_string()).unwrap_or_default();
    for (this, other) in [(a, b), (b, a)] {
        let logged = Logged { kind: LogKind::Link, action, target: item_target(tx, this)?, item_id: Some(this) };
        let field = format!("与{}的关联", item_target(tx, other)?);
        logged.write(tx, user, &[Change { field, old: word(old), new: word(new) }])?;
    }
    Ok(())
}

impl Db {
    /// Links two items as `kind`; a link they have already takes the new kind.
    pub fn link_items(&mut self, a: i64, b: i64, kind: LinkKind) -> Result<()> {
        let tx = self.conn.transaction()?;
        check_items(&tx, a, b)?;
        let old = link_kind(&tx, a, b)?;
        if old == Some(kind) {
            return Ok(());
        }
        let (first, second) = pair(a, b);
        tx.execute(
            "INSERT INTO item_links (first_id, second_id, kind, made_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (first_id, second_id) DO UPDATE SET kind = excluded.kind, made_at = excluded.made_at",
            params![first, second, kind, now_stamp()],
        )?;
        log_link(&tx, &self.user, if old.is_some() { "改变关联" } else { "关联" }, a, b, old, Some(kind))?;
        tx.commit()?;
        Ok(())
    }

    /// Takes the link between two items away (nothing else of either changes).
    pub fn unlink_items(&mut self, a: i64, b: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        let Some(old) = link_kind(&tx, a, b)? else { return Ok(()) };
        let (first, second) = pair(a, b);
        tx.execute("DELETE FROM item_links WHERE first_id = ?1 AND second_id = ?2", [first, second])?;
        log_link(&tx, &self.user, "取消关联", a, b, Some(old), None)?;
        tx.commit()?;
        Ok(())
    }

    /// The links of an item, the other items read as the ledger lists them (with their
    /// reply class as of `today`'s work year), newest year first.
    pub fn links_of(&self, id: i64, today: chrono::NaiveDate) -> Result<Vec<ItemLink>> {
        super::work::ensure(&self.conn, chrono::Datelike::year(&today))?;
        self.links(id)
    }

    /// [`Db::links_of`] with the kept progress already current.
    pub(crate) fn links(&self, id: i64) -> Result<Vec<ItemLink>> {
        let mut stmt = self.conn.prepare(
            "SELECT CASE WHEN first_id = ?1 THEN second_id ELSE first_id END, kind, made_at FROM item_links WHERE first_id = ?1 OR second_id = ?1",
        )?;
        let found: Vec<(i64, LinkKind, String)> = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        let ids: Vec<i64> = found.iter().map(|f| f.0).collect();
        let classes = super::work::reply_classes(&self.conn, &ids)?;
        let mut others: HashMap<i64, ItemRow> = rows_by_id(&self.conn, &ids)?.into_iter().map(|r| (r.id, r)).collect();
        let mut links: Vec<ItemLink> = found
            .into_iter()
            .filter_map(|(other, kind, made_at)| others.remove(&other).map(|row| ItemLink { kind, class: classes.get(&other).cloned(), other: row, made_at }))
            .collect();
        links.sort_by(|a, b| b.other.year.cmp(&a.other.year).then(a.other.id.cmp(&b.other.id)));
        Ok(links)
    }

    /// Gives every 同类 item of the same year not yet formally replied the 主办 unit of `id`
    /// (同类提案集中办理): the unit takes the place of each one's 主办 unit (and leaves its
    /// 协办 units, if it was one). Each change is logged on its item; returns how many changed.
    pub fn apply_lead_to_same_class(&mut self, id: i64, today: chrono::NaiveDate) -> Result<usize> {
        super::work::ensure(&self.conn, chrono::Datelike::year(&today))?;
        let tx = self.conn.transaction()?;
        let lead: Option<i64> = tx.query_row("SELECT unit_id FROM assignments WHERE item_id = ?1 AND role = '主办'", [id], |r| r.get(0)).optional()?;
        let Some(lead) = lead else { return Err(Error::field("link", "本件还没有主办单位，无法统一同类件的主办单位。")) };
        let others: Vec<i64> = tx
            .prepare(
                "SELECT o.id FROM item_links l
                 JOIN items o ON o.id = CASE WHEN l.first_id = ?1 THEN l.second_id ELSE l.first_id END
                 JOIN sessions os ON os.id = o.session_id
                 JOIN items i ON i.id = ?1 JOIN sessions s ON s.id = i.session_id
                 LEFT JOIN item_work w ON w.item_id = o.id
                 WHERE (l.first_id = ?1 OR l.second_id = ?1) AND l.kind = '同类' AND o.deleted_at IS NULL
                   AND os.year = s.year AND w.reply_class IS NULL
                   AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = o.id AND a.role = '主办' AND a.unit_id = ?2)",
            )?
            .query_map([id, lead], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for other in &others {
            let before = item_fields(&tx, *other)?;
            tx.execute("DELETE FROM assignments WHERE item_id = ?1 AND unit_id = ?2 AND role = '协办'", [*other, lead])?;
            let changed = tx.execute(
                "UPDATE assignments SET unit_id = ?2, leader = '', handler = '', phone = '' WHERE item_id = ?1 AND role = '主办'",
                [*other, lead],
            )?;
            if changed == 0 {
                let position: i64 = tx.query_row("SELECT ifnull(min(position), 0) - 1 FROM assignments WHERE item_id = ?1", [*other], |r| r.get(0))?;
                tx.execute("INSERT INTO assignments (item_id, unit_id, role, position) VALUES (?1, ?2, '主办', ?3)", params![*other, lead, position])?;
            }
            log_item(&tx, &self.user, "统一同类件主办单位", *other, &before)?;
        }
        super::work::refresh(&tx, super::work::Scope::Items(&others))?;
        tx.commit()?;
        Ok(others.len())
    }
}

/// One line of the list of 多年提、反复提的问题: an item and the items it was raised with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepeatedItem {
    pub item: ItemRow,
    pub class: Option<String>,
    /// The items linked to it as 重复提出, as the ledger names them: 2024年 第12号《…》（B类）.
    pub raised_with: Vec<String>,
}

/// How many items of the tables' years (`filter`, on the kept progress `w`) were linked
/// as 重复提出.
pub(crate) fn repeated_count(conn: &Connection, filter: &super::Conditions) -> Result<u64> {
    let sql = format!("SELECT count(*) FROM item_work w WHERE {} AND {REPEATED}", filter.sql());
    Ok(conn.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(&filter.values), |r| r.get(0))?)
}

impl Db {
    /// The items of the tables' year (streams and unit as chosen) linked as 重复提出, in the
    /// ledger's order: the list behind the statistics' 多年提、反复提的问题.
    pub fn repeated_items(&self, query: &super::reports::TableQuery, today: chrono::NaiveDate) -> Result<Vec<RepeatedItem>> {
        super::work::ensure(&self.conn, chrono::Datelike::year(&today))?;
        let filter = query.conditions();
        let sql = format!(
            "SELECT w.item_id FROM item_work w JOIN items i ON i.id = w.item_id WHERE {} AND {} ORDER BY w.session_id, i.number_key, i.id",
            filter.sql(),
            REPEATED
        );
        let ids: Vec<i64> = self.conn.prepare(&sql)?.query_map(rusqlite::params_from_iter(&filter.values), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let classes = super::work::reply_classes(&self.conn, &ids)?;
        rows_by_id(&self.conn, &ids)?
            .into_iter()
            .map(|item| {
                let raised_with = self
                    .links(item.id)?
                    .into_iter()
                    .filter(|l| l.kind == LinkKind::Repeated)
                    .map(|l| {
                        let class = l.class.map(|c| format!("（{c}类）")).unwrap_or_default();
                        format!("{}年 {}第{}号《{}》{class}", l.other.year, l.other.session_name, l.other.number, l.other.title)
                    })
                    .collect();
                Ok(RepeatedItem { class: classes.get(&item.id).cloned(), item, raised_with })
            })
            .collect()
    }
}
