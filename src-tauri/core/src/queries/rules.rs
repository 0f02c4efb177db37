//! Reading the deadline tables (a year's rules, the working-day calendar) as the deadline
//! computations take them. It sits below both the deadline settings, which write these
//! tables, and the kept progress, which every such write refreshes. The closed years are
//! read here too: they decide which steps are still due.

use crate::deadlines::{self, Calendar, Rule, Template, BUILT_IN};
use crate::error::Result;
use crate::workflow::Step;
use chrono::NaiveDate;
use rusqlite::Connection;

/// The template used for a year nobody has set up yet.
pub const DEFAULT_TEMPLATE: &str = BUILT_IN[0];

pub(crate) fn load_template(conn: &Connection, year: i32) -> Result<Option<Template>> {
    let mut stmt = conn.prepare("SELECT step, rule FROM deadline_rules WHERE year = ?1")?;
    let rows: Vec<(String, String)> = stmt.query_map([year], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut template = Template::new();
    for (step, rule) in rows {
        if let (Some(step), Ok(rule)) = (Step::parse(&step), serde_json::from_str::<Option<Rule>>(&rule)) {
            // A stored null means the clerk removed the deadline of that step on purpose.
            if let Some(rule) = rule {
                template.insert(step, rule);
            }
        }
    }
    Ok(Some(template))
}

/// The deadlines of `year`'s items as of the work of `work_year`: the year's own template;
/// for the work year and later ones nobody has set up yet, the default template; for an
/// earlier year that never had one (a ledger of past years taken in afterwards), none: that
/// year's items were not handled by this year's dates.
pub(crate) fn template_or_default(conn: &Connection, year: i32, work_year: i32) -> Result<Template> {
    Ok(load_template(conn, year)?.unwrap_or_else(|| {
        if year < work_year { Template::new() } else { deadlines::built_in(DEFAULT_TEMPLATE, year).expect("the default template exists") }
    }))
}

/// What the clerk edits for a year: its own template, or the default one to start from.
pub(crate) fn template_to_edit(conn: &Connection, year: i32) -> Result<Template> {
    template_or_default(conn, year, year)
}

/// The years the clerk has closed (办理工作结束; written by queries/years.rs).
pub(crate) fn load_closed_years(conn: &Connection) -> Result<std::collections::HashSet<i32>> {
    let mut stmt = conn.prepare_cached("SELECT year FROM closed_years")?;
    let years = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(years)
}

pub(crate) fn load_calendar(conn: &Connection) -> Result<Calendar> {
    let mut stmt = conn.prepare("SELECT day, kind FROM calendar_days")?;
    let marks = stmt
        .query_map([], |r| Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, String>(1)? == "班")))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Calendar::new(marks))
}

