//! The `evaluation_weights` table: the weights of a year's 督考 rules as the clerk set them
//! (evaluation.rs reckons the scores). A year without rows has the defaults.

use crate::error::Result;
use rusqlite::{params, Connection, Transaction};

/// The weights set for `year`, by rule name (empty: the defaults stand).
pub(crate) fn of_year(conn: &Connection, year: i32) -> Result<Vec<(String, f64)>> {
    let mut stmt = conn.prepare("SELECT rule, weight FROM evaluation_weights WHERE year = ?1")?;
    let weights = stmt.query_map([year], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(weights)
}

/// Writes `year`'s weights, each rule by name, in the caller's transaction.
pub(crate) fn write(tx: &Transaction, year: i32, weights: &[(&str, f64)]) -> Result<()> {
    for (rule, weight) in weights {
        tx.execute(
            "INSERT INTO evaluation_weights (year, rule, weight) VALUES (?1, ?2, ?3) ON CONFLICT (year, rule) DO UPDATE SET weight = excluded.weight",
            params![year, rule, weight],
        )?;
    }
    Ok(())
}
