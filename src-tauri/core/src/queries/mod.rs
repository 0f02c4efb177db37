//! Reads and writes, one module per table, each as `impl Db` methods. Every write runs in one
//! transaction: it happens whole or not at all.

pub mod backups;
pub mod categories;
pub mod deadlines;
pub mod events;
pub mod feedback;
pub mod items;
pub mod links;
pub mod log;
pub mod replies;
pub mod reports;
pub mod rules;
pub mod sessions;
pub mod settings;
pub mod snoozes;
pub mod units;
pub mod work;
pub mod years;

/// A WHERE clause built from conditions. Each `?` in a condition stands for the next of its
/// values and becomes a numbered parameter (?1, ?2 …), so conditions can be added in any
/// order and the values handed to SQLite as they are.
pub(crate) struct Conditions {
    clauses: Vec<String>,
    pub values: Vec<rusqlite::types::Value>,
}

impl Conditions {
    pub fn new(first: &str) -> Conditions {
        Conditions { clauses: vec![first.to_string()], values: Vec::new() }
    }

    pub fn add(&mut self, clause: &str, values: impl IntoIterator<Item = rusqlite::types::Value>) {
        let mut values = values.into_iter();
        let mut sql = String::with_capacity(clause.len() + 8);
        for c in clause.chars() {
            if c == '?' {
                self.values.push(values.next().expect("a value for every ?"));
                sql += &format!("?{}", self.values.len());
            } else {
                sql.push(c);
            }
        }
        self.clauses.push(sql);
    }

    /// The conditions joined with AND.
    pub fn sql(&self) -> String {
        self.clauses.join(" AND ")
    }
}

/// `LIKE` pattern matching `text` anywhere, with SQL wildcards in it taken literally
/// (use with `ESCAPE '\'`).
pub(crate) fn like_pattern(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            _ => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// SQL that orders levels from the top: 全国, 省, 州, 县.
pub(crate) const LEVEL_ORDER: &str =
    "CASE s.level WHEN '全国' THEN 0 WHEN '省' THEN 1 WHEN '州' THEN 2 ELSE 3 END";
