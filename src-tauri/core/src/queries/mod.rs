//! Reads and writes, one module per table, each as `impl Db` methods. Every write runs in one
//! transaction: it happens whole or not at all.

pub mod categories;
pub mod items;
pub mod log;
pub mod replies;
pub mod reports;
pub mod sessions;
pub mod settings;
pub mod units;
pub mod workflow;

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
