//! The reads behind 相似件 (similar.rs): the items the similarity index is built from, what the
//! similar items hold for the proposals (their category and units), and the items of a year
//! as a replay asks for them. The count of word changes the index is built at is kept by the
//! triggers of migration 009 in `item_words_changes`.

use crate::error::Result;
use crate::likeness::{Probe, SimilarIndex};
use crate::model::Kind;
use rusqlite::{params_from_iter, Connection};
use std::collections::HashMap;

/// Builds the index of the ledger's items (not those in the recycle bin), of the years
/// before `before_year` when one is given, the rows read one by one.
pub fn build_index(conn: &Connection, before_year: Option<i32>) -> Result<SimilarIndex> {
    let mut stmt = conn.prepare(
        "SELECT i.id, s.year, i.title, i.full_text, ifnull(i.lead_proposer, '') FROM items i JOIN sessions s ON s.id = i.session_id
         WHERE i.deleted_at IS NULL AND (?1 IS NULL OR s.year < ?1) ORDER BY i.id",
    )?;
    let mut index = SimilarIndex::default();
    let mut rows = stmt.query([before_year])?;
    while let Some(r) = rows.next()? {
        let (title, text): (String, String) = (r.get(2)?, r.get(3)?);
        index.add(r.get(0)?, r.get(1)?, &title, &text, r.get(4)?);
    }
    Ok(index.finish())
}

/// How many times the items' words (titles, texts, proposers) have changed: the index is
/// built again when this moves.
pub(crate) fn word_changes(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT changes FROM item_words_changes", [], |r| r.get(0))?)
}

/// What a similar item holds for the proposals: its kind, category and units.
pub(crate) struct Holding {
    pub kind: Kind,
    pub category: Option<(i64, String)>,
    pub lead: Option<(i64, String)>,
    pub assists: Vec<(i64, String)>,
}

/// What the items of `ids` hold for the proposals, read in chunks of at most 500 ids.
pub(crate) fn holdings(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, Holding>> {
    let mut held: HashMap<i64, Holding> = HashMap::new();
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let mut stmt = conn.prepare(&format!(
            "SELECT i.id, s.kind, c.id, c.name FROM items i JOIN sessions s ON s.id = i.session_id LEFT JOIN categories c ON c.id = i.category_id WHERE i.id IN ({marks})"
        ))?;
        let mut rows = stmt.query(params_from_iter(chunk))?;
        while let Some(r) = rows.next()? {
            let category = match (r.get::<_, Option<i64>>(2)?, r.get::<_, Option<String>>(3)?) {
                (Some(id), Some(name)) => Some((id, name)),
                _ => None,
            };
            held.insert(r.get(0)?, Holding { kind: r.get(1)?, category, lead: None, assists: Vec::new() });
        }
        let mut stmt = conn.prepare(&format!(
            "SELECT a.item_id, a.role, u.id, u.name FROM assignments a JOIN units u ON u.id = a.unit_id WHERE a.item_id IN ({marks}) ORDER BY a.item_id, a.position"
        ))?;
        let mut rows = stmt.query(params_from_iter(chunk))?;
        while let Some(r) = rows.next()? {
            let Some(holding) = held.get_mut(&r.get::<_, i64>(0)?) else { continue };
            let unit = (r.get(2)?, r.get(3)?);
            match r.get::<_, String>(1)?.as_str() {
                "主办" if holding.lead.is_none() => holding.lead = Some(unit),
                "协办" => holding.assists.push(unit),
                _ => {}
            }
        }
    }
    Ok(held)
}

/// One item of a replayed year: asked as a probe, with the category and 主办 unit it has.
pub(crate) struct ReplayedItem {
    pub probe: Probe,
    pub category: Option<i64>,
    pub lead: Option<i64>,
}

/// The items of `year` (not in the recycle bin), as a replay asks for them.
pub(crate) fn replayed_items(conn: &Connection, year: i32) -> Result<Vec<ReplayedItem>> {
    let mut stmt = conn.prepare(
        "SELECT i.title, i.full_text, ifnull(i.lead_proposer, ''), s.kind, i.category_id,
            (SELECT a.unit_id FROM assignments a WHERE a.item_id = i.id AND a.role = '主办' LIMIT 1)
         FROM items i JOIN sessions s ON s.id = i.session_id WHERE s.year = ?1 AND i.deleted_at IS NULL ORDER BY i.id",
    )?;
    let items = stmt.query_map([year], |r| {
        let probe = Probe { title: r.get(0)?, text: r.get(1)?, proposers: vec![r.get(2)?], kind: Some(r.get(3)?), ..Default::default() };
        Ok(ReplayedItem { probe, category: r.get(4)?, lead: r.get(5)? })
    })?;
    Ok(items.collect::<rusqlite::Result<_>>()?)
}
