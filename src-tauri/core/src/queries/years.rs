//! The `closed_years` table: the years whose handling the clerk has closed (办理工作结束).
//! A closed year's unfinished steps stop reminding and stop counting as overdue; they stay
//! on each item as not recorded. Its B items still go on to each later year's 回头看 until
//! solved. Closing deletes nothing; re-opening is possible; both are logged.

use crate::model::LogKind;
use crate::db::{now_stamp, Db};
use crate::error::{Error, Result};
use super::log::{change, Logged};
use super::work::{self, Scope};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// A year of the ledger as the 年度 settings show it: how much work it still holds, and
/// whether (and when, by whom) it was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearState {
    pub year: i32,
    /// Items of the year (not in the recycle bin).
    pub items: i64,
    /// Items still waiting for a step (a closed year's B items waiting for a 回头看).
    pub open: i64,
    /// Items the county leads that have no formal reply.
    pub unanswered: i64,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
}

/// Each year with its items (kept counts), its open items (the index of those alone) and the
/// items it leads still unanswered (migration 13's index of those alone), and whether it was
/// closed: as quick at the tenth year as at the first. (The open items are read through their
/// own index by name: without statistics SQLite would walk the index ordered by year, every
/// item of every year, to save sorting a few open ones.)
const YEAR_STATES: &str = "SELECT y.year, ifnull(f.items, 0), ifnull(o.open, 0), ifnull(u.unanswered, 0), c.closed_at, c.closed_by
     FROM (SELECT DISTINCT year FROM sessions) y
     LEFT JOIN (SELECT year, sum(items) AS items FROM year_figures GROUP BY year) f ON f.year = y.year
     LEFT JOIN (SELECT year, count(*) AS open FROM item_work INDEXED BY item_work_open WHERE open = 1 GROUP BY year) o ON o.year = y.year
     LEFT JOIN (SELECT year, count(*) AS unanswered FROM item_work WHERE county_role = '主办' AND replied_on IS NULL GROUP BY year) u ON u.year = y.year
     LEFT JOIN closed_years c ON c.year = y.year
     ORDER BY y.year DESC";

impl Db {
    /// Every year that has a session, newest first, with its work as of `today`.
    pub fn year_states(&self, today: NaiveDate) -> Result<Vec<YearState>> {
        work::ensure(&self.conn, today.year())?;
        let mut stmt = self.conn.prepare(YEAR_STATES)?;
        let rows = stmt.query_map([], |r| {
            Ok(YearState { year: r.get(0)?, items: r.get(1)?, open: r.get(2)?, unanswered: r.get(3)?, closed_at: r.get(4)?, closed_by: r.get(5)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Closes a year's handling (办理工作结束) as of `today`: its steps not recorded stop
    /// reminding and counting as overdue, except a B item's 回头看 of a later year.
    pub fn close_year(&mut self, year: i32, today: NaiveDate) -> Result<()> {
        self.set_year_closed(year, today, true)
    }

    /// Opens a closed year again: its unrecorded steps remind and count again.
    pub fn reopen_year(&mut self, year: i32, today: NaiveDate) -> Result<()> {
        self.set_year_closed(year, today, false)
    }

    fn set_year_closed(&mut self, year: i32, today: NaiveDate, closing: bool) -> Result<()> {
        work::ensure(&self.conn, today.year())?;
        let tx = self.conn.transaction()?;
        let has_session: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM sessions WHERE year = ?1)", [year], |r| r.get(0))?;
        if !has_session {
            return Err(Error::field("year", format!("台账中没有{year}年的届次。")));
        }
        let closed: Option<String> = tx.query_row("SELECT closed_at FROM closed_years WHERE year = ?1", [year], |r| r.get(0)).optional()?;
        match (closing, closed) {
            (true, Some(at)) => return Err(Error::field("year", format!("{year}年的办理工作已于{at}结束。"))),
            (false, None) => return Err(Error::field("year", format!("{year}年的办理工作没有结束，无需重新打开。"))),
            (true, None) => {
                tx.execute("INSERT INTO closed_years (year, closed_at, closed_by) VALUES (?1, ?2, ?3)", params![year, now_stamp(), self.user])?;
            }
            (false, Some(_)) => {
                tx.execute("DELETE FROM closed_years WHERE year = ?1", [year])?;
            }
        }
        // What closing leaves unrecorded (or re-opening brings back), said in the log.
        let (open, unanswered): (i64, i64) = tx.query_row(
            "SELECT ifnull(sum(open), 0), ifnull(sum(county_role = '主办' AND replied_on IS NULL), 0) FROM item_work WHERE year = ?1",
            [year],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let ids: Vec<i64> = tx
            .prepare("SELECT i.id FROM items i JOIN sessions s ON s.id = i.session_id WHERE s.year = ?1 AND i.deleted_at IS NULL")?
            .query_map([year], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        work::refresh(&tx, Scope::Items(&ids))?;
        let (before, after) = if closing { ("办理中", "已结束") } else { ("已结束", "办理中") };
        let action = if closing { "结束年度办理工作" } else { "重新打开年度" };
        let waiting = if closing { format!("{open} 件（其中未正式答复 {unanswered} 件），不再提醒") } else { String::new() };
        let mut changes = vec![change("状态", before, after)];
        if closing {
            changes.push(change("尚有待办环节的件", "", &waiting));
        }
        Logged { kind: LogKind::Year, action, target: format!("{year}年"), item_id: None }.write(&tx, &self.user, &changes)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The year states counted from every item, as they were read before migration 13.
    const COUNTED: &str = "SELECT y.year, count(w.item_id), ifnull(sum(w.open), 0), ifnull(sum(w.county_role = '主办' AND w.replied_on IS NULL), 0), c.closed_at, c.closed_by
         FROM (SELECT DISTINCT year FROM sessions) y LEFT JOIN item_work w ON w.year = y.year LEFT JOIN closed_years c ON c.year = y.year
         GROUP BY y.year ORDER BY y.year DESC";

    fn read(db: &Db, sql: &str) -> Vec<(i32, i64, i64, i64, Option<String>)> {
        let mut stmt = db.conn.prepare(sql).unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    }

    #[test]
    fn the_year_states_read_the_open_work_and_say_what_a_count_of_every_item_says() {
        let mut db = Db::open_in_memory().unwrap();
        crate::demo::seed(&mut db).unwrap();
        let today = crate::text::parse_date(crate::demo::DEMO_TODAY).unwrap();
        db.year_states(today).unwrap();
        assert_eq!(read(&db, YEAR_STATES), read(&db, COUNTED));
        let items = db.list_items(&crate::queries::items::ItemQuery::default()).unwrap();
        db.delete_item(items[0].id).unwrap();
        let year = today.year() - 1;
        if db.year_states(today).unwrap().iter().any(|y| y.year == year) {
            db.close_year(year, today).unwrap();
        }
        assert_eq!(read(&db, YEAR_STATES), read(&db, COUNTED));
        let plan = db.query_plan(YEAR_STATES, &[]).unwrap();
        assert!(plan.contains("item_work_open") && plan.contains("item_work_unreplied") && plan.contains("year_figures"), "{plan}");
        assert!(!plan.lines().any(|l| l.contains("SCAN item_work") && !l.contains("INDEX")), "no item read whole: {plan}");
    }
}
