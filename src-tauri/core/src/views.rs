//! What is computed for a given "today" from the items, their events and the deadline
//! tables: an item's progress and next deadlines, the reminder board, a unit's task list and
//! the overview of the units. Views read; the tables' own modules write.

use crate::db::Db;
use crate::error::{Error, Result};
use crate::model::{BoardSection, CountyRole, Kind, Stream, UnitRole};
use crate::queries::board::{BoardRow, ItemsOf, KeptItem, UnitOnItem};
use crate::queries::work::KeptWork;
use crate::workflow::{Progress, Step};
use chrono::NaiveDate;
use serde::Serialize;

/// A step an item waits for, with its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueStep {
    pub step: Step,
    /// How the step reads on screen (重新办理 says which round).
    pub label: String,
    /// `None` for the office's own steps (初审, 审定).
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// Days from today to the deadline; negative when overdue.
    pub days_left: Option<i64>,
    /// The same in words, as every screen and table says it: 逾期3天, 今天到期, 剩5天, 无时限.
    pub days_text: String,
    /// The item has its own deadline for this step.
    pub overridden: bool,
}

/// An item with its derived progress, as of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkItem {
    pub id: i64,
    pub kind: Kind,
    pub stream: String,
    pub year: i32,
    pub number: String,
    pub title: String,
    pub county_role: CountyRole,
    pub units: Vec<UnitOnItem>,
    pub progress: Progress,
    pub due: Vec<DueStep>,
    /// 办理时限: when the formal reply is (or was) due, whether or not it has been given.
    pub reply_due: Option<NaiveDate>,
}

/// One line of the reminder board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    pub item_id: i64,
    pub number: String,
    pub title: String,
    pub stream: String,
    pub year: i32,
    #[serde(flatten)]
    pub due: DueStep,
    pub snoozed_until: Option<NaiveDate>,
    pub snooze_note: Option<String>,
}

/// How many reminders a part of the board shows at once: a county's board fits in one, and
/// a prefecture far behind its deadlines is never drawn whole.
pub const REMINDER_PAGE: usize = 100;

/// One page of a part of the board, and how many reminders the part holds in all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReminderPage {
    pub total: usize,
    /// The place of the first row in the whole part (0 for the first page).
    pub offset: usize,
    pub page_size: usize,
    pub rows: Vec<Reminder>,
}

/// The reminder board: overdue first, then due today, within 3 and within 7 days, and the
/// snoozed ones, which stay visible with their reason. Each part holds its first page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReminderBoard {
    pub today: Option<NaiveDate>,
    pub overdue: ReminderPage,
    pub due_today: ReminderPage,
    pub within_3: ReminderPage,
    pub within_7: ReminderPage,
    pub snoozed: ReminderPage,
}

impl ReminderBoard {
    /// What the navigation badge counts: everything due within 7 days or overdue, not snoozed.
    pub fn count(&self) -> usize {
        self.overdue.total + self.due_today.total + self.within_3.total + self.within_7.total
    }
}

/// One row of a unit's task list (承办单位任务清单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskRow {
    pub item_id: i64,
    pub stream: String,
    pub year: i32,
    pub number: String,
    pub title: String,
    pub role: UnitRole,
    pub status: String,
    pub next: DueStep,
    pub handler: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitTasks {
    pub unit_id: i64,
    pub unit_name: String,
    pub today: NaiveDate,
    pub rows: Vec<TaskRow>,
    /// The unit's items with nothing left for it to do.
    pub done: usize,
}

fn day_gap(today: NaiveDate, due: NaiveDate) -> i64 {
    (due - today).num_days()
}

impl WorkItem {
    /// An item read from the store, with its steps' days left as of `today`.
    fn as_of(today: NaiveDate, item: KeptItem) -> WorkItem {
        let KeptItem { id, kind, level, year, number, title, county_role, units, work, .. } = item;
        let KeptWork { progress, pending, reply_due, .. } = work;
        let due = pending
            .into_iter()
            .map(|p| {
                let unit_name = p.unit_id.and_then(|u| units.iter().find(|x| x.unit_id == u)).map(|u| u.unit_name.clone());
                due_step(today, p.step, p.label, p.unit_id, unit_name, p.due_on, p.overridden)
            })
            .collect();
        WorkItem { id, kind, stream: Stream { level, kind }.label(), year, number, title, county_role, units, progress, due, reply_due }
    }
}

/// A step an item waits for, with its days left as of `today`.
fn due_step(today: NaiveDate, step: Step, label: String, unit_id: Option<i64>, unit_name: Option<String>, due_on: Option<NaiveDate>, overridden: bool) -> DueStep {
    let days_left = due_on.map(|d| day_gap(today, d));
    DueStep { step, label, unit_id, unit_name, due_on, days_left, days_text: crate::text::days_left_text(days_left), overridden }
}

impl Reminder {
    fn as_of(today: NaiveDate, row: BoardRow) -> Reminder {
        Reminder {
            item_id: row.item_id,
            number: row.number,
            title: row.title,
            stream: Stream { level: row.level, kind: row.kind }.label(),
            year: row.year,
            due: due_step(today, row.step, row.label, row.unit_id, row.unit_name, Some(row.due_on), row.overridden),
            snoozed_until: row.snoozed_until,
            snooze_note: row.snooze_note,
        }
    }
}

impl Db {
    /// The items `which` names (not in the recycle bin), with their kept progress and
    /// deadlines as of `today`, ordered by year and id; and each one's session name and first
    /// proposer.
    pub(crate) fn work_items(&self, today: NaiveDate, which: ItemsOf) -> Result<Vec<(WorkItem, String, String)>> {
        let items = self.kept_items(today, which)?;
        Ok(items.into_iter().map(|mut item| {
            let (session, proposer) = (std::mem::take(&mut item.session_name), std::mem::take(&mut item.lead_proposer));
            (WorkItem::as_of(today, item), session, proposer)
        }).collect())
    }

    /// One item's progress and deadlines as of `today`.
    pub fn item_workflow(&self, item_id: i64, today: NaiveDate) -> Result<WorkItem> {
        self.work_items(today, ItemsOf::One(item_id))?
            .pop()
            .map(|(item, ..)| item)
            .ok_or_else(|| Error::NotFound("这件建议/提案已不存在或在回收站中。".into()))
    }

    /// The reminder board as of `today`: the count of each part and its first page.
    pub fn reminders(&self, today: NaiveDate) -> Result<ReminderBoard> {
        let totals = self.board_totals(today)?;
        let mut pages = BoardSection::ALL.into_iter().zip(totals).map(|(section, total)| {
            // An empty part is not looked for.
            if total == 0 { Ok(ReminderPage { page_size: REMINDER_PAGE, ..Default::default() }) } else { self.reminder_rows(today, section, 0, total) }
        });
        let mut next = || pages.next().expect("five parts");
        Ok(ReminderBoard { today: Some(today), overdue: next()?, due_today: next()?, within_3: next()?, within_7: next()?, snoozed: next()? })
    }

    /// One page of one part of the board as of `today`, from the row at `offset`.
    pub fn reminder_page(&self, today: NaiveDate, section: BoardSection, offset: usize) -> Result<ReminderPage> {
        let total = self.board_totals(today)?[section as usize];
        self.reminder_rows(today, section, offset, total)
    }

    /// How many reminders each part of the board holds as of `today`: every step due within
    /// the week counted by day, then the few snoozed ones moved from their part to 已暂缓.
    fn board_totals(&self, today: NaiveDate) -> Result<[usize; 5]> {
        let (mut totals, snoozed) = self.board_counts(today)?;
        for due_on in snoozed {
            let section = match day_gap(today, due_on) {
                d if d < 0 => BoardSection::Overdue,
                0 => BoardSection::DueToday,
                1..=3 => BoardSection::Within3,
                _ => BoardSection::Within7,
            };
            totals[section as usize] -= 1;
            totals[BoardSection::Snoozed as usize] += 1;
        }
        Ok(totals)
    }

    /// The reminders of a part, a page from `offset`.
    fn reminder_rows(&self, today: NaiveDate, section: BoardSection, offset: usize, total: usize) -> Result<ReminderPage> {
        let rows = self.board_rows(today, section, offset, REMINDER_PAGE)?.into_iter().map(|row| Reminder::as_of(today, row)).collect();
        Ok(ReminderPage { total, offset, page_size: REMINDER_PAGE, rows })
    }

    /// A unit's open items, most urgent first, with the step each waits for from the unit.
    pub fn unit_tasks(&self, unit_id: i64, today: NaiveDate) -> Result<UnitTasks> {
        let unit_name = crate::queries::units::unit_name(&self.conn, unit_id)?.ok_or_else(|| Error::NotFound("该单位已不存在。".into()))?;
        let done = self.unit_items_done(unit_id)?;
        let mut rows = Vec::new();
        for (item, ..) in self.work_items(today, ItemsOf::WaitingForUnit(unit_id))? {
            let Some(on_item) = item.units.iter().find(|u| u.unit_id == unit_id) else { continue };
            // The unit's most pressing step: the earliest deadline, then the order of the notice.
            let next = item.due.iter().filter(|d| d.unit_id == Some(unit_id)).min_by_key(|d| (d.due_on.is_none(), d.due_on));
            if let Some(next) = next {
                rows.push(TaskRow {
                    item_id: item.id,
                    stream: item.stream.clone(),
                    year: item.year,
                    number: item.number.clone(),
                    title: item.title.clone(),
                    role: on_item.role,
                    status: item.progress.status.clone(),
                    next: next.clone(),
                    handler: on_item.handler.clone(),
                    phone: on_item.phone.clone(),
                });
            }
        }
        rows.sort_by_key(|r| (r.next.days_left.is_none(), r.next.days_left, r.year, r.item_id));
        Ok(UnitTasks { unit_id, unit_name, today, rows, done })
    }
}
