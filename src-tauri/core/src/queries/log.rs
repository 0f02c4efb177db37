//! 操作日志: every change to the ledger, written in the same transaction as the change, so a
//! change and its entry are kept together or not at all: when, by which Windows user, what
//! (an item, a unit, a setting …), and each field's old and new value. The table refuses
//! updates and deletes (migration 004); the clerk reads, filters and exports it.

use crate::db::{now_stamp, Db};
use crate::error::Result;
pub use crate::model::Change;
use crate::model::LogKind;
use crate::text::{clean, parse_date};
use super::search::{kind_word, log_words, trigram_query};
use super::Conditions;
use rusqlite::{params, params_from_iter, Connection};
use serde::{Deserialize, Serialize};

/// The fields of a thing as the log shows them: (label, value), in the order of its form.
pub(crate) type Fields = Vec<(&'static str, String)>;

/// The fields whose value differs, in the order of `after` (a field gone since is listed last).
pub(crate) fn diff(before: &Fields, after: &Fields) -> Vec<Change> {
    let value = |fields: &Fields, label: &str| fields.iter().find(|(l, _)| *l == label).map(|(_, v)| v.clone()).unwrap_or_default();
    let mut labels: Vec<&'static str> = after.iter().map(|(l, _)| *l).collect();
    labels.extend(before.iter().map(|(l, _)| *l).filter(|l| !after.iter().any(|(a, _)| a == l)));
    labels
        .into_iter()
        .map(|label| Change { field: label.to_string(), old: value(before, label), new: value(after, label) })
        .filter(|c| c.old != c.new)
        .collect()
}

/// A change in the making: what it was made to. [`Logged::write`] records it.
pub(crate) struct Logged<'a> {
    pub kind: LogKind,
    pub action: &'a str,
    pub target: String,
    pub item_id: Option<i64>,
}

impl Logged<'_> {
    /// Writes one entry with these field changes, in the caller's transaction. Nothing is
    /// written when nothing changed.
    pub(crate) fn write(&self, conn: &Connection, user: &str, changes: &[Change]) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        conn.prepare_cached(
            "INSERT INTO operation_log (at, user, kind, action, target, item_id, changes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?.execute(params![now_stamp(), user, self.kind, self.action, self.target, self.item_id, serde_json::to_string(changes).expect("changes serialise")],
        )?;
        conn.prepare_cached("INSERT INTO log_search (rowid, words) VALUES (?1, ?2)")?
            .execute(params![conn.last_insert_rowid(), log_words(self.kind.as_str(), &self.target, self.action, changes)])?;
        Ok(())
    }

    /// Writes the difference between two states of the thing.
    pub(crate) fn write_diff(&self, conn: &Connection, user: &str, before: &Fields, after: &Fields) -> Result<()> {
        self.write(conn, user, &diff(before, after))
    }
}

/// How the operation log names an item: 州十六届人大二次会议第214号建议《…》.
pub(crate) fn item_target(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn.prepare_cached(
        "SELECT s.name, i.number, s.kind, i.title FROM items i JOIN sessions s ON s.id = i.session_id WHERE i.id = ?1",
    )?.query_row(
        [id],
        |r| Ok(format!("{}第{}号{}《{}》", r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)),
    )?)
}

/// The read of [`Db::operation_log`] and its values. Words of two characters or more are
/// looked for through the search index, which gives the entries holding all their trigrams
/// (and the kind's, when one is chosen), newest first, and each is checked for the words
/// themselves; a word of one character only by that check. The index leads unless the
/// entries of one item are asked for (a few, through their own index): the first 500 entries
/// it finds that pass every filter are the page, so a word found in many entries is as quick
/// as one found in none. A kind alone is read through its own index. A day range that leaves
/// few of a word's entries makes the index read them all until the page is full.
fn log_select(query: &LogQuery, limit: Option<usize>) -> (String, Conditions) {
    let text = clean(&query.text);
    let words: Vec<&str> = text.split_whitespace().collect();
    let kind = LogKind::parse(&query.kind);
    let mut indexed: Vec<String> = match query.item_id {
        Some(_) => Vec::new(),
        None => words.iter().filter_map(|w| trigram_query(w)).collect(),
    };
    // With words, the kind is looked for in the index too (each entry's words start with it).
    if let (Some(kind), false) = (kind, indexed.is_empty()) {
        indexed.extend(trigram_query(&kind_word(kind.as_str())));
    }
    let (from, order, mut conditions) = match indexed.is_empty() {
        true => ("operation_log", "id", Conditions::new("1 = 1")),
        false => {
            let mut found = Conditions::new("1 = 1");
            found.add("log_search MATCH ?", [indexed.join(" AND ").into()]);
            ("log_search CROSS JOIN operation_log ON id = log_search.rowid", "log_search.rowid", found)
        }
    };
    if let Some(item) = query.item_id {
        conditions.add("item_id = ?", [item.into()]);
    }
    if let Some(kind) = kind {
        conditions.add("kind = ?", [kind.as_str().to_string().into()]);
    }
    if let Some(from) = parse_date(&query.from) {
        conditions.add("at >= ?", [from.to_string().into()]);
    }
    if let Some(to) = parse_date(&query.to) {
        conditions.add("at < ?", [(to + chrono::Days::new(1)).to_string().into()]);
    }
    // The changes are stored as JSON, where a quote or a backslash in a value is escaped.
    for word in words {
        let in_json = serde_json::to_string(word).expect("a word serialises");
        conditions.add(
            "((target || ' ' || action) LIKE ? ESCAPE '\\' OR changes LIKE ? ESCAPE '\\')",
            [super::like_pattern(word).into(), super::like_pattern(&in_json[1..in_json.len() - 1]).into()],
        );
    }
    let limit = limit.map_or(-1, |l| l as i64);
    let sql = format!(
        "SELECT id, at, user, kind, action, target, item_id, changes FROM {from} WHERE {} ORDER BY {order} DESC LIMIT {limit}",
        conditions.sql()
    );
    (sql, conditions)
}

/// One change as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub kind: LogKind,
    pub action: String,
    pub target: String,
    pub item_id: Option<i64>,
    pub changes: Vec<Change>,
}

/// The log's filters; empty ones filter nothing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LogQuery {
    pub item_id: Option<i64>,
    pub kind: String,
    /// First and last day, as typed (2025-04-01, 2025年4月1日 …).
    pub from: String,
    pub to: String,
    /// Words to find in what was changed or in the values.
    pub text: String,
}

/// At most this many entries are listed at once; the export has them all.
pub const LOG_PAGE: usize = 500;

impl Db {
    /// The log, newest first, for the given filters (at most `limit` entries).
    pub fn operation_log(&self, query: &LogQuery, limit: Option<usize>) -> Result<Vec<LogEntry>> {
        let (sql, conditions) = log_select(query, limit);
        let mut stmt = self.conn.prepare(&sql)?;
        let entries = stmt
            .query_map(params_from_iter(conditions.values), |r| {
                let changes: String = r.get(7)?;
                Ok(LogEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    user: r.get(2)?,
                    kind: r.get(3)?,
                    action: r.get(4)?,
                    target: r.get(5)?,
                    item_id: r.get(6)?,
                    changes: serde_json::from_str(&changes).unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(entries)
    }

    /// Writes one entry from outside a change of the ledger's own (a restore, a backup).
    pub(crate) fn record_log(&mut self, logged: &Logged, changes: &[Change]) -> Result<()> {
        let tx = self.conn.transaction()?;
        logged.write(&tx, &self.user, changes)?;
        tx.commit()?;
        Ok(())
    }
}

/// A change of one field, for entries that are not a diff of two states.
pub(crate) fn change(field: &str, old: impl Into<String>, new: impl Into<String>) -> Change {
    Change { field: field.to_string(), old: old.into(), new: new.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_lists_only_what_changed_in_the_form_order() {
        let before: Fields = vec![("标题", "关于建设老年人日间照料中心的提案".into()), ("类别", "医疗卫生".into()), ("备注", "".into())];
        let after: Fields = vec![("标题", "关于建设老年人日间照料中心的提案".into()), ("类别", "社会建设".into()), ("备注", "重点".into())];
        assert_eq!(diff(&before, &after), vec![change("类别", "医疗卫生", "社会建设"), change("备注", "", "重点")]);
        assert_eq!(diff(&Vec::new(), &vec![("名称", "精河县教育局".into())]), vec![change("名称", "", "精河县教育局")], "a creation");
        assert!(diff(&after, &after).is_empty());
    }

    #[test]
    fn a_word_is_looked_for_through_the_index_newest_first_and_one_item_through_its_own() {
        let db = Db::open_in_memory().unwrap();
        let plan = |query: LogQuery| {
            let (sql, conditions) = log_select(&query, Some(LOG_PAGE));
            db.query_plan(&sql, &conditions.values).unwrap()
        };
        let searched = plan(LogQuery { text: "正式答复 教育".into(), kind: "办理过程".into(), ..Default::default() });
        assert!(searched.starts_with("SCAN log_search VIRTUAL TABLE"), "{searched}");
        assert!(searched.contains("SEARCH operation_log USING INTEGER PRIMARY KEY"), "{searched}");
        let one_item = plan(LogQuery { item_id: Some(7), text: "正式答复".into(), ..Default::default() });
        assert!(one_item.contains("USING INDEX operation_log_item") && !one_item.contains("log_search"), "{one_item}");
        let one_kind = plan(LogQuery { kind: "设置".into(), ..Default::default() });
        assert!(one_kind.contains("USING INDEX operation_log_kind") || one_kind.contains("USING COVERING INDEX operation_log_kind"), "{one_kind}");
        for page in [searched, one_item, one_kind, plan(LogQuery::default())] {
            assert!(!page.contains("TEMP B-TREE"), "newest first without sorting: {page}");
        }
    }
}
