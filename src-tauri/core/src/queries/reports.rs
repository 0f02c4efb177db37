//! The rows of the tables the office sends upward: the 承办情况表 (one row per item) and the
//! summary of returned 征求意见表. They join the ledger with what the workflow recorded.

use super::Conditions;
use crate::db::Db;
use rusqlite::types::Value;
use crate::error::{Error, Result};
use crate::model::{ItemRow, Kind, Stream};
use crate::views::WorkItem;
use crate::workflow::{Channel, PublicationMode, Rating, ReplyClass};
use crate::ItemQuery;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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

/// The rows of a table and what its title needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableRows {
    pub year: i32,
    /// The streams covered; all streams present when the query named none.
    pub streams: Vec<Stream>,
    pub unit_name: Option<String>,
    pub rows: Vec<UndertakingRow>,
}

impl Db {
    /// The 承办情况表 rows for a query, in the ledger's order, as of `today`.
    pub fn undertaking_rows(&self, query: &TableQuery, today: NaiveDate) -> Result<TableRows> {
        self.undertaking_rows_from(query, &self.work_by_item(query.year, today)?)
    }

    /// The progress of a year's items as of `today`, by item id, read once for a whole table.
    pub(crate) fn work_by_item(&self, year: i32, today: NaiveDate) -> Result<HashMap<i64, WorkItem>> {
        Ok(self.work_items_of_year(year, today)?.into_iter().map(|w| (w.id, w)).collect())
    }

    /// The 承办情况表 rows for a query from progress already computed.
    pub(crate) fn undertaking_rows_from(&self, query: &TableQuery, work: &HashMap<i64, WorkItem>) -> Result<TableRows> {
        let wanted = &query.streams;
        let items = self.list_items(&ItemQuery { year: Some(query.year), unit_id: query.unit_id, ..Default::default() })?;
        let items: Vec<ItemRow> = items.into_iter().filter(|i| wanted.is_empty() || wanted.contains(&i.stream())).collect();
        let notes: HashMap<i64, (String, String, String, String)> = {
            let mut stmt = self.conn.prepare(
                "SELECT i.id, i.note, coalesce(a.leader, ''), coalesce(a.handler, ''), coalesce(a.phone, '') FROM items i
                 JOIN sessions s ON s.id = i.session_id LEFT JOIN assignments a ON a.item_id = i.id AND a.role = '主办'
                 WHERE s.year = ?1",
            )?;
            let rows = stmt
                .query_map([query.year], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))))?
                .collect::<rusqlite::Result<_>>()?;
            rows
        };
        let mut streams: Vec<Stream> = if wanted.is_empty() { items.iter().map(ItemRow::stream).collect() } else { wanted.clone() };
        streams.sort();
        streams.dedup();
        let unit_name = match query.unit_id {
            Some(id) => Some(self.list_units()?.into_iter().find(|u| u.id == id).map(|u| u.name).ok_or_else(|| Error::NotFound("该单位已不存在。".into()))?),
            None => None,
        };
        let rows = items
            .into_iter()
            .map(|item| {
                let w = work.get(&item.id);
                let (note, leader, handler, phone) = notes.get(&item.id).cloned().unwrap_or_default();
                let progress = w.map(|w| &w.progress);
                UndertakingRow {
                    reply_due: w.and_then(|w| w.reply_due),
                    replied_on: progress.and_then(|p| p.reply.as_ref()).map(|r| r.replied_on),
                    doc_number: progress.and_then(|p| p.reply.as_ref()).map(|r| r.doc_number.clone()).unwrap_or_default(),
                    class: progress.and_then(|p| p.class),
                    channel: progress.and_then(|p| p.opinion.as_ref()).map(|o| o.channel),
                    work: progress.and_then(|p| p.opinion.as_ref()).map(|o| o.work),
                    result: progress.and_then(|p| p.opinion.as_ref()).map(|o| o.result),
                    opinion_on: progress.and_then(|p| p.opinion.as_ref()).map(|o| o.returned_on),
                    comments: progress.and_then(|p| p.opinion.as_ref()).map(|o| o.comments.clone()).unwrap_or_default(),
                    publication: progress.and_then(|p| p.publication),
                    note,
                    leader,
                    handler,
                    phone,
                    item,
                }
            })
            .collect();
        Ok(TableRows { year: query.year, streams, unit_name, rows })
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
        let work = self.item_workflow(item_id, today)?;
        let query = TableQuery { year: work.year, ..Default::default() };
        let rows = self.undertaking_rows_from(&query, &HashMap::from([(item_id, work)]))?;
        rows.rows.iter().find(|r| r.item.id == item_id).map(OpinionForm::of).ok_or_else(|| Error::NotFound("这件建议/提案已不存在。".into()))
    }
}
