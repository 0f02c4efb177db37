//! Reads and writes, one module per table, each as `impl Db` methods. Every write runs in one
//! transaction: it happens whole or not at all.

pub mod backups;
pub mod board;
pub mod carried;
pub mod categories;
pub mod deadlines;
pub mod evaluation_weights;
pub mod events;
pub mod feedback_exports;
pub mod figures;
pub mod items;
pub mod links;
pub mod log;
pub mod replies;
pub mod reports;
pub mod rules;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod similar;
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

/// The day in column `i` of a row (stored as 2025-03-17), or none: read digit by digit
/// rather than through chrono's general parser, for the reads that take tens of thousands
/// (a year's evaluation). Anything else stored there is an error, as with chrono.
pub(crate) fn day_at(row: &rusqlite::Row, i: usize) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    use rusqlite::types::{FromSqlError, ValueRef};
    let text = match row.get_ref(i)? {
        ValueRef::Null => return Ok(None),
        value => value.as_str().map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), Box::new(e)))?,
    };
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')));
    let parsed = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| Some(chrono::NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)?))
        .flatten();
    parsed.map(Some).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(FromSqlError::Other(format!("{text} 不是日期").into())))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stored_day_is_read_and_anything_else_is_an_error() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.query_row("SELECT '2025-03-17', NULL, '2025-3-17', '2025-02-30', 20250317", [], |r| {
            assert_eq!(super::day_at(r, 0)?, chrono::NaiveDate::from_ymd_opt(2025, 3, 17));
            assert_eq!(super::day_at(r, 1)?, None);
            for i in 2..5 {
                assert!(super::day_at(r, i).is_err(), "column {i}");
            }
            Ok(())
        })
        .unwrap();
    }
}
