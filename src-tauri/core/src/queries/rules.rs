//! Reading the deadline tables (a year's rules, the working-day calendar) as the deadline
//! computations take them. It sits below both the deadline settings, which write these
//! tables, and the kept progress, which every such write refreshes.

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

pub(crate) fn template_or_default(conn: &Connection, year: i32) -> Result<Template> {
    Ok(load_template(conn, year)?.unwrap_or_else(|| deadlines::built_in(DEFAULT_TEMPLATE, year).expect("the default template exists")))
}

pub(crate) fn load_calendar(conn: &Connection) -> Result<Calendar> {
    let mut stmt = conn.prepare("SELECT day, kind FROM calendar_days")?;
    let marks = stmt
        .query_map([], |r| Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, String>(1)? == "班")))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Calendar::new(marks))
}

