//! The rows of the tables the office sends upward: the 承办情况表 (one row per item) and the
//! summary of returned 征求意见表. They join the ledger with what the workflow recorded.

use crate::queries::items::ItemQuery;
use super::{day_at, items, Conditions};
use crate::db::Db;
use rusqlite::types::Value;
use crate::error::{Error, Result};
use crate::model::{ItemRow, Kind, Stream};
use crate::queries::work;
use crate::workflow::{Channel, PublicationMode, Rating, ReplyClass};
use chrono::Datelike;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which items a table covers: a year, one or more streams, optionally one unit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TableQuery {
    pub year: i32,
    /// Empty means all.
    pub streams: Vec<Stream>,
    pub unit_id: Option<i64>,
}

impl TableQuery {
    /// The items the query covers, as conditions on their kept work `w` (which holds every
    /// item outside the recycle bin, with its year and session).
    pub(crate) fn conditions(&self) -> Conditions {
        let mut conditions = Conditions::new("1");
        conditions.add("w.year = ?", [self.year.into()]);
        if !self.streams.is_empty() {
            let one = vec!["(level = ? AND kind = ?)"; self.streams.len()].join(" OR ");
            let values = self.streams.iter().flat_map(|s| [s.level.as_str().to_string().into(), s.kind.as_str().to_string().into()]);
            conditions.add(&format!("w.session_id IN (SELECT id FROM sessions WHERE {one})"), values.collect::<Vec<Value>>());
        }
        if let Some(unit) = self.unit_id {
            conditions.add("EXISTS (SELECT 1 FROM assignments x WHERE x.item_id = w.item_id AND x.unit_id = ?)", [unit.into()]);
        }
        conditions
    }
}

/// One row of the 承办情况表.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UndertakingRow {
    pub item: ItemRow,
    pub leader: String,
    pub handler: String,
    pub phone: String,
    pub reply_due: Option<NaiveDate>,
    pub replied_on: Option<NaiveDate>,
    pub doc_number: String,
    pub class: Option<ReplyClass>,
    pub channel: Option<Channel>,
    pub work: Option<Rating>,
    pub result: Option<Rating>,
    pub opinion_on: Option<NaiveDate>,
    pub comments: String,
    pub publication: Option<PublicationMode>,
    pub note: String,
}

/// What a table's title needs, known before its rows are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableHead {
    pub year: i32,
    /// The streams covered; all streams present when the query named none.
    pub streams: Vec<Stream>,
    pub unit_name: Option<String>,
}

/// The rows of a table and what its title needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableRows {
    #[serde(flatten)]
    pub head: TableHead,
    pub rows: Vec<UndertakingRow>,
}

impl Db {
    /// The 承办情况表 rows for a query, in the ledger's order, as of `today`: the ledger's
    /// columns, and the reply, opinion and publication from the kept progress. One read in
    /// that order: the year's sessions, their items through `items_ledger`, and each item's
    /// kept work and lead unit by key.
    pub fn undertaking_rows(&self, query: &TableQuery, today: NaiveDate) -> Result<TableRows> {
        let head = self.table_head(query, today)?;
        let mut rows = Vec::new();
        self.each_undertaking_row(query, today, |row| {
            rows.push(row);
            Ok(())
        })?;
        Ok(TableRows { head, rows })
    }

    /// What the title of a table of `query` says (the streams from the kept counts, brought
    /// up to date for `today` first).
    pub(crate) fn table_head(&self, query: &TableQuery, today: NaiveDate) -> Result<TableHead> {
        work::ensure(&self.conn, today.year())?;
        let unit_name = match query.unit_id {
            Some(id) => Some(super::units::unit_name(&self.conn, id)?.ok_or_else(|| Error::NotFound("该单位已不存在。".into()))?),
            None => None,
        };
        Ok(TableHead { year: query.year, streams: self.streams_of(query)?, unit_name })
    }

    /// Hands `each` the 承办情况表 rows of `query` one by one as they are read (see
    /// [`Db::undertaking_rows`]); stops at the first error `each` returns.
    pub(crate) fn each_undertaking_row(&self, query: &TableQuery, today: NaiveDate, mut each: impl FnMut(UndertakingRow) -> Result<()>) -> Result<()> {
        work::ensure(&self.conn, today.year())?;
        let mut filter = items::filter(&ItemQuery { year: Some(query.year), unit_id: query.unit_id, ..Default::default() });
        if !query.streams.is_empty() {
            let one = vec!["(s.level = ? AND s.kind = ?)"; query.streams.len()].join(" OR ");
            let values = query.streams.iter().flat_map(|s| [s.level.as_str().to_string().into(), s.kind.as_str().to_string().into()]);
            filter.add(&format!("({one})"), values.collect::<Vec<Value>>());
        }
        let sql = format!(
            "SELECT {}, w.reply_due, w.replied_on, ifnull(w.doc_number, ''), w.class, w.opinion_channel,
                w.work_rating, w.result_rating, w.opinion_on, ifnull(w.opinion_comments, ''),
                w.publication, i.note, ifnull(lead.leader, ''), ifnull(lead.handler, ''), ifnull(lead.phone, '')
             {} LEFT JOIN item_work w ON w.item_id = i.id LEFT JOIN assignments lead ON lead.item_id = i.id AND lead.role = '主办'
             WHERE {} ORDER BY {}",
            items::row_columns(),
            items::LEDGER_FROM,
            filter.sql(),
            items::order_by(crate::queries::items::SortKey::Default, false)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n = items::ROW_COLUMNS;
        let rows = stmt.query_map(rusqlite::params_from_iter(&filter.values), |r| {
            Ok(UndertakingRow {
                item: items::row_from(r)?,
                reply_due: day_at(r, n)?,
                replied_on: day_at(r, n + 1)?,
                doc_number: r.get(n + 2)?,
                class: r.get(n + 3)?,
                channel: r.get(n + 4)?,
                work: r.get(n + 5)?,
                result: r.get(n + 6)?,
                opinion_on: day_at(r, n + 7)?,
                comments: r.get(n + 8)?,
                publication: r.get(n + 9)?,
                note: r.get(n + 10)?,
                leader: r.get(n + 11)?,
                handler: r.get(n + 12)?,
                phone: r.get(n + 13)?,
            })
        })?;
        for row in rows {
            each(row?)?;
        }
        Ok(())
    }

    /// The streams a table query covers: those it names, or those its items belong to.
    pub(crate) fn streams_of(&self, query: &TableQuery) -> Result<Vec<Stream>> {
        let mut streams = if query.streams.is_empty() {
            let filter = query.conditions();
            // From the kept counts (a few rows) unless the query is one unit's.
            let table = super::figures::Source::for_unit(query.unit_id).table();
            let sql = format!("SELECT DISTINCT s.level, s.kind FROM {table} w JOIN sessions s ON s.id = w.session_id WHERE {}", filter.sql());
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(&filter.values), |r| Ok(Stream { level: r.get(0)?, kind: r.get(1)? }))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        } else {
            query.streams.clone()
        };
        streams.sort();
        streams.dedup();
        Ok(streams)
    }
}

/// Tick boxes for a printed form: □满意　　□基本满意　　□不满意.
fn boxes<T: std::fmt::Display>(options: &[T]) -> String {
    options.iter().map(|o| format!("□{o}")).collect::<Vec<_>>().join("　　")
}

/// What one printed 征求意见表 says about its item: the same words on the form in the
/// workbook and on the form the print view prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpinionForm {
    pub item_id: i64,
    /// 2025年州人大代表建议办理情况征求意见表
    pub heading: String,
    /// 建议号 or 提案号.
    pub number_label: &'static str,
    pub number: String,
    pub title: String,
    /// 代　　表 or 委　　员.
    pub proposer_label: &'static str,
    pub proposers: String,
    pub lead_unit: String,
    /// The formal reply's date in Chinese, empty while there is none.
    pub replied_on: String,
    /// 代表签名 or 委员签名.
    pub signature_label: &'static str,
    /// □面商　　□电话　　□书面　　□未联系
    pub channel_boxes: String,
    /// □满意　　□基本满意　　□不满意
    pub rating_boxes: String,
    /// The line under the form.
    pub return_note: &'static str,
}

impl OpinionForm {
    pub fn of(row: &UndertakingRow) -> OpinionForm {
        let item = &row.item;
        let suggestion = item.kind == Kind::Suggestion;
        OpinionForm {
            item_id: item.id,
            heading: format!("{}年{}办理情况征求意见表", item.year, crate::text::stream_title(item.stream())),
            number_label: if suggestion { "建议号" } else { "提案号" },
            number: item.number.clone(),
            title: item.title.clone(),
            proposer_label: if suggestion { "代　　表" } else { "委　　员" },
            proposers: item.proposer_label.clone(),
            lead_unit: item.lead_unit.clone().unwrap_or_default(),
            replied_on: row.replied_on.map(crate::text::format_date_cn).unwrap_or_default(),
            signature_label: if suggestion { "代表签名" } else { "委员签名" },
            channel_boxes: boxes(Channel::ALL),
            rating_boxes: boxes(Rating::ALL),
            return_note: "请于收到答复后15日内填写并寄回。",
        }
    }
}

impl Db {
    /// The 征求意见表 of one item, to print and send with its reply.
    pub fn opinion_form(&self, item_id: i64, today: NaiveDate) -> Result<OpinionForm> {
        let year = self.item_workflow(item_id, today)?.year;
        let rows = self.undertaking_rows(&TableQuery { year, ..Default::default() }, today)?;
        rows.rows.iter().find(|r| r.item.id == item_id).map(OpinionForm::of).ok_or_else(|| Error::NotFound("这件建议/提案已不存在。".into()))
    }
}
