//! The tables `year_figures` and `unit_figures` (migration 10): the counts the statistics
//! give, kept by year and session, per category and per unit, so a year's figures (and ten
//! years' of them) read a few dozen counted rows instead of counting the year's items again.
//!
//! `year_figures` counts the kept progress alone, which queries/work.rs writes alone: it
//! takes an item's counts out before storing its progress and puts them back after, in the
//! same transaction. `unit_figures` also counts the assignments, which change elsewhere:
//! triggers keep it. [`disagreeing`] recounts both from the items, as the tests ask after
//! every kind of write.

use crate::error::Result;
use rusqlite::types::Value;
use rusqlite::Connection;

/// Every kept figure of a year: its column and what it counts of an item's kept row
/// (`item_work`). Their order is the order [`by_category`] gives them in.
pub(crate) const YEAR_FIGURES: [(&str, &str); 23] = [
    ("items", "1"),
    ("lead", "county_role = '主办'"),
    ("assist", "county_role = '协办'"),
    ("reference", "county_role = '参考'"),
    ("key_items", "is_key"),
    ("personal", "NOT collective AND signers < 2"),
    ("joint", "NOT collective AND signers > 1"),
    ("collective", "collective"),
    // The classes and the replies of the items that need a reply: a 参考 item's reply stays
    // out of the bases, as in the reports.
    ("class_a", "class = 'A' AND county_role <> '参考'"),
    ("class_b", "class = 'B' AND county_role <> '参考'"),
    ("class_c", "class = 'C' AND county_role <> '参考'"),
    ("answering", "county_role <> '参考'"),
    ("replied", "replied_on IS NOT NULL AND county_role <> '参考'"),
    ("opinions", "work_rating IS NOT NULL"),
    ("work_satisfied", "work_rating = '满意'"),
    ("work_basic", "work_rating = '基本满意'"),
    ("work_unsatisfied", "work_rating = '不满意'"),
    ("result_satisfied", "result_rating = '满意'"),
    ("result_basic", "result_rating = '基本满意'"),
    ("result_unsatisfied", "result_rating = '不满意'"),
    ("met", "met"),
    ("redo_rounds", "redo_rounds"),
    ("published", "publication = '主动公开'"),
];

/// Where a year's figures are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The kept counts (a year, or its streams).
    Kept,
    /// The items' kept progress, counted now (a unit's items, which the kept counts do not
    /// tell apart).
    Items,
}

impl Source {
    /// The kept counts, unless the figures are those of one unit's items.
    pub(crate) fn for_unit(unit_id: Option<i64>) -> Source {
        if unit_id.is_some() { Source::Items } else { Source::Kept }
    }

    /// The table read, as `w`: by year and session either way.
    pub(crate) fn table(self) -> &'static str {
        match self {
            Source::Kept => "year_figures",
            Source::Items => "item_work",
        }
    }
}

/// The SQL of [`by_category`].
pub(crate) fn by_category_sql(source: Source, filter: &str) -> String {
    match source {
        Source::Kept => format!(
            "SELECT nullif(w.category_id, 0), {} FROM year_figures w WHERE {filter} GROUP BY w.category_id HAVING sum(w.items) > 0",
            YEAR_FIGURES.map(|(name, _)| format!("sum(w.{name})")).join(", ")
        ),
        Source::Items => format!(
            "SELECT w.category_id, {} FROM item_work w WHERE {filter} GROUP BY w.category_id",
            YEAR_FIGURES.map(|(_, counted)| format!("ifnull(sum({counted}), 0)")).join(", ")
        ),
    }
}

/// The figures of the items `filter` selects (a condition on `w.year`, `w.session_id` and,
/// counted from the items only, `w.item_id`), by category (`None`: 未分类), each in the
/// order of [`YEAR_FIGURES`].
pub(crate) fn by_category(conn: &Connection, source: Source, filter: &str, values: &[Value]) -> Result<Vec<(Option<i64>, [u64; 23])>> {
    let mut stmt = conn.prepare_cached(&by_category_sql(source, filter))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
        let mut counts = [0u64; 23];
        for (i, count) in counts.iter_mut().enumerate() {
            *count = r.get(i + 1)?;
        }
        Ok((r.get(0)?, counts))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The SQL of [`by_unit`].
pub(crate) fn by_unit_sql(source: Source, filter: &str) -> String {
    match source {
        Source::Kept => format!(
            "SELECT w.unit_id, sum(w.lead), sum(w.assist), sum(w.replied) FROM unit_figures w WHERE {filter}
             GROUP BY w.unit_id HAVING sum(w.lead) + sum(w.assist) > 0"
        ),
        // The year's items first (CROSS JOIN keeps SQLite from reading every assignment of
        // every year).
        Source::Items => format!(
            "SELECT a.unit_id, sum(a.role = '主办'), sum(a.role = '协办'), sum(a.role = '主办' AND w.replied_on IS NOT NULL)
             FROM item_work w CROSS JOIN assignments a ON a.item_id = w.item_id WHERE {filter} GROUP BY a.unit_id"
        ),
    }
}

/// Each unit's items of those `filter` selects: (unit, led, assisted, led and replied).
pub(crate) fn by_unit(conn: &Connection, source: Source, filter: &str, values: &[Value]) -> Result<Vec<(i64, u64, u64, u64)>> {
    let mut stmt = conn.prepare_cached(&by_unit_sql(source, filter))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds `sign` (1 or -1) times the counts of the kept progress `condition` (on `item_id`,
/// with `value` as ?1) selects to the kept year figures: -1 before that progress is stored
/// Each unit's items with a step of it overdue on the day after the filter's values, from
/// the pending steps of the year.
pub(crate) fn overdue_sql(filter: &crate::queries::Conditions) -> String {
    format!(
        "SELECT w.unit_id, count(DISTINCT w.item_id) FROM pending_steps w WHERE {} AND w.due_on < ?{} AND w.unit_id IS NOT NULL GROUP BY w.unit_id",
        filter.sql(),
        filter.values.len() + 1
    )
}

/// Each unit's items (of the years `filter` selects) with a step of it overdue on `today`.
pub(crate) fn overdue_by_unit(conn: &Connection, filter: &crate::queries::Conditions, today: chrono::NaiveDate) -> Result<std::collections::HashMap<i64, u64>> {
    let mut values = filter.values.clone();
    values.push(today.to_string().into());
    let overdue = conn.prepare_cached(&overdue_sql(filter))?.query_map(rusqlite::params_from_iter(&values), |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(overdue)
}

/// again, 1 after. Counts that come to nothing are removed.
pub(crate) fn count_in(conn: &Connection, condition: &str, value: &Value, sign: i64) -> Result<()> {
    let sql = format!(
        "INSERT INTO year_figures (year, session_id, category_id, {})
         SELECT year, session_id, ifnull(category_id, 0), {} FROM item_work WHERE {condition} GROUP BY 1, 2, 3
         ON CONFLICT DO UPDATE SET {}",
        YEAR_FIGURES.map(|(name, _)| name).join(", "),
        YEAR_FIGURES.map(|(_, counted)| format!("?2 * ifnull(sum({counted}), 0)")).join(", "),
        YEAR_FIGURES.map(|(name, _)| format!("{name} = {name} + excluded.{name}")).join(", ")
    );
    conn.prepare_cached(&sql)?.execute(rusqlite::params![value, sign])?;
    if sign < 0 {
        return Ok(());
    }
    let nothing = YEAR_FIGURES.map(|(name, _)| format!("{name} = 0")).join(" AND ");
    conn.prepare_cached(&format!("DELETE FROM year_figures WHERE {nothing}"))?.execute([])?;
    conn.prepare_cached("DELETE FROM unit_figures WHERE lead = 0 AND assist = 0 AND replied = 0")?.execute([])?;
    Ok(())
}

/// Forgets every kept count, before the whole kept progress is stored again: the year
/// figures are counted in afresh, the unit figures by their triggers as the rows go in.
pub(crate) fn clear(conn: &Connection) -> Result<()> {
    conn.execute_batch("DELETE FROM year_figures; DELETE FROM unit_figures;")?;
    Ok(())
}

/// How many kept counts differ from a count of the items now (none, ever): the year and unit
/// figures, and the numbers each session holds.
pub(crate) fn disagreeing(conn: &Connection) -> Result<i64> {
    let names = YEAR_FIGURES.map(|(name, _)| name).join(", ");
    let kept_years = format!("SELECT year, session_id, category_id, {names} FROM year_figures");
    let counted_years = format!(
        "SELECT year, session_id, ifnull(category_id, 0), {} FROM item_work GROUP BY 1, 2, 3",
        YEAR_FIGURES.map(|(_, counted)| format!("ifnull(sum({counted}), 0)")).join(", ")
    );
    let kept_units = "SELECT year, session_id, unit_id, lead, assist, replied FROM unit_figures WHERE lead <> 0 OR assist <> 0 OR replied <> 0";
    let counted_units = "SELECT w.year, w.session_id, a.unit_id, sum(a.role = '主办'), sum(a.role = '协办'), sum(a.role = '主办' AND w.replied_on IS NOT NULL)
        FROM item_work w JOIN assignments a ON a.item_id = w.item_id GROUP BY 1, 2, 3";
    // The numbers each session holds, kept by migration 13's triggers.
    let kept_numbers = "SELECT session_id, number_key, items FROM number_keys";
    let counted_numbers = "SELECT session_id, number_key, count(*) FROM items WHERE deleted_at IS NULL AND number <> '' GROUP BY 1, 2";
    let differing = |a: &str, b: &str| format!("(SELECT count(*) FROM ({a} EXCEPT {b})) + (SELECT count(*) FROM ({b} EXCEPT {a}))");
    let sql = format!(
        "SELECT {} + {} + {}",
        differing(&kept_years, &counted_years),
        differing(kept_units, counted_units),
        differing(kept_numbers, counted_numbers)
    );
    Ok(conn.query_row(&sql, [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_years_figures_read_its_kept_counts_and_open_work_through_indexes() {
        let db = crate::db::Db::open_in_memory().unwrap();
        let filter = crate::queries::reports::TableQuery { year: 2025, ..Default::default() }.conditions();
        // The filter's year, then a day (today, or the start of a year) and a year for the rest.
        let mut values = filter.values.clone();
        values.extend(["2025-06-16".to_string().into(), "2026-01-01".to_string().into(), 2025.into()]);
        let plan = |sql: &str| db.query_plan(sql, &values).unwrap();
        let categories = plan(&by_category_sql(Source::Kept, &filter.sql()));
        assert!(categories.contains("SEARCH w USING PRIMARY KEY (year=?)"), "{categories}");
        let units = plan(&by_unit_sql(Source::Kept, &filter.sql()));
        assert!(units.contains("SEARCH w USING PRIMARY KEY (year=?)"), "{units}");
        let overdue = plan(&overdue_sql(&filter));
        assert!(!overdue.contains("TEMP B-TREE") && overdue.contains("SEARCH w USING COVERING INDEX pending_steps_year (year=? AND unit_id>?)"), "{overdue}");
        let carried = plan(crate::queries::carried::CARRIED);
        assert!(carried.contains("item_work_b_solved (solved_on=? AND year<?)") && carried.contains("item_work_b_solved (solved_on>?)"), "{carried}");
        let list = plan(&format!("SELECT item_id FROM {} ORDER BY {} LIMIT 200", crate::queries::carried::CARRIED_B, crate::queries::carried::CARRIED_ORDER));
        assert!(list.contains("COVERING INDEX item_work_b_solved (solved_on=? AND year<?)") && list.contains("COVERING INDEX item_work_b_solved (solved_on>?)"), "{list}");
        let repeated = plan(&format!("SELECT count(*) FROM item_work w WHERE {} AND {}", filter.sql(), crate::queries::links::REPEATED));
        assert!(repeated.contains("(year=? AND item_id=?)") && repeated.contains("SCAN item_links"), "from the links: {repeated}");
    }
}
