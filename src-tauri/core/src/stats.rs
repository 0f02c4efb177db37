//! The yearly figures (DOMAIN.md §5): totals and breakdowns, A/B/C on the items that got a
//! formal reply, and the rates the summaries print — each with its numerator, denominator
//! and definition, and shares with two decimals rounded half up.

use crate::db::Db;
use crate::error::Result;
use crate::model::{CountyRole, UnitRole};
use crate::queries::reports::TableQuery;
use crate::text::percent;
use crate::workflow::{Rating, ReplyClass};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Which 满意率 the clerk reports: on the work or on the result, and whether 基本满意 counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SatisfactionDefinition {
    pub on_result: bool,
    pub satisfied_only: bool,
}

impl SatisfactionDefinition {
    pub fn describe(self) -> String {
        format!(
            "满意率 =（{}）÷ 收回征求意见表的件数，按{}的评价计",
            if self.satisfied_only { "满意" } else { "满意＋基本满意" },
            if self.on_result { "办理结果" } else { "办理工作" }
        )
    }
}

/// A rate with how it was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rate {
    pub name: &'static str,
    pub numerator: u64,
    pub denominator: u64,
    pub percent: String,
    pub definition: String,
}

fn rate(name: &'static str, numerator: u64, denominator: u64, definition: impl Into<String>) -> Rate {
    Rate { name, numerator, denominator, percent: percent(numerator, denominator), definition: definition.into() }
}

/// One part of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    pub label: String,
    pub count: u64,
    pub percent: String,
}

/// A breakdown whose parts add up to its total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    pub total: u64,
    pub parts: Vec<Share>,
}

fn breakdown(counts: Vec<(String, u64)>) -> Breakdown {
    let total = counts.iter().map(|(_, c)| c).sum();
    Breakdown { total, parts: counts.into_iter().map(|(label, count)| Share { percent: percent(count, total), label, count }).collect() }
}

/// A unit's line: items led and assisted, replied, overdue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitFigures {
    pub unit_name: String,
    pub lead: u64,
    pub assist: u64,
    pub replied: u64,
    pub overdue: u64,
}

/// Everything the statistics screen and the summary draft need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statistics {
    pub total: u64,
    pub roles: Breakdown,
    pub proposers: Breakdown,
    pub key_items: u64,
    pub categories: Breakdown,
    pub units: Vec<UnitFigures>,
    /// A/B/C on the items that got a formal reply.
    pub classes: Breakdown,
    /// 满意 / 基本满意 / 不满意 on the returned opinions, on the chosen basis.
    pub opinions: Breakdown,
    pub completion: Rate,
    pub satisfaction: Rate,
    pub solved: Rate,
    pub meetings: Rate,
    pub redo_rounds: u64,
    pub published: u64,
    pub carried_b: u64,
    pub b_to_a: Rate,
}

impl Db {
    /// The figures of a year (streams and unit as in the tables), as of `today`.
    pub fn statistics(&self, query: &TableQuery, definition: SatisfactionDefinition, today: NaiveDate) -> Result<Statistics> {
        Ok(self.statistics_and_table(query, definition, today)?.0)
    }

    /// The figures and the table rows they were counted from, the progress computed once.
    fn statistics_and_table(&self, query: &TableQuery, definition: SatisfactionDefinition, today: NaiveDate) -> Result<(Statistics, crate::queries::reports::TableRows)> {
        let work = self.work_by_item(query.year, today)?;
        let table = self.undertaking_rows_from(query, &work)?;
        let rows = &table.rows;
        let total = rows.len() as u64;
        let count = |f: &dyn Fn(&crate::queries::reports::UndertakingRow) -> bool| rows.iter().filter(|r| f(r)).count() as u64;

        let roles = breakdown(vec![
            ("主办".into(), count(&|r| r.item.county_role == CountyRole::Lead)),
            ("协办".into(), count(&|r| r.item.county_role == CountyRole::Assist)),
            ("参考".into(), count(&|r| r.item.county_role == CountyRole::Reference)),
        ]);
        let signers = |r: &crate::queries::reports::UndertakingRow| {
            let label = &r.item.proposer_label;
            if label.contains('等') { 2 } else { 1 }
        };
        let collective = self.collective_items(query.year)?;
        let proposers = breakdown(vec![
            ("个人".into(), count(&|r| !collective.contains(&r.item.id) && signers(r) == 1)),
            ("联名".into(), count(&|r| !collective.contains(&r.item.id) && signers(r) > 1)),
            ("集体".into(), count(&|r| collective.contains(&r.item.id))),
        ]);
        let mut categories: Vec<(String, u64)> = Vec::new();
        for r in rows {
            let name = r.item.category.clone().unwrap_or_else(|| "未分类".into());
            match categories.iter_mut().find(|(n, _)| *n == name) {
                Some((_, c)) => *c += 1,
                None => categories.push((name, 1)),
            }
        }
        // Largest first, as the reports list them; equal counts keep the list's order.
        categories.sort_by(|a, b| b.1.cmp(&a.1));

        let mut units: Vec<UnitFigures> = Vec::new();
        for r in rows {
            let Some(w) = work.get(&r.item.id) else { continue };
            for u in &w.units {
                let line = match units.iter_mut().position(|x| x.unit_name == u.unit_name) {
                    Some(i) => &mut units[i],
                    None => {
                        units.push(UnitFigures { unit_name: u.unit_name.clone(), lead: 0, assist: 0, replied: 0, overdue: 0 });
                        units.last_mut().unwrap()
                    }
                };
                match u.role {
                    UnitRole::Lead => line.lead += 1,
                    UnitRole::Assist => line.assist += 1,
                }
                if u.role == UnitRole::Lead && r.replied_on.is_some() {
                    line.replied += 1;
                }
                if w.due.iter().any(|d| d.unit_id == Some(u.unit_id) && d.days_left.is_some_and(|x| x < 0)) {
                    line.overdue += 1;
                }
            }
        }
        units.sort_by(|a, b| (b.lead + b.assist).cmp(&(a.lead + a.assist)).then(a.unit_name.cmp(&b.unit_name)));

        // 参考 items need no reply; one recorded anyway stays out of the bases, as in the reports.
        let class_count = |c: ReplyClass| count(&|r| r.class == Some(c) && r.item.county_role != CountyRole::Reference);
        let classes = breakdown(vec![
            ("A类".into(), class_count(ReplyClass::A)),
            ("B类".into(), class_count(ReplyClass::B)),
            ("C类".into(), class_count(ReplyClass::C)),
        ]);
        let answering = count(&|r| r.item.county_role != CountyRole::Reference);
        let replied = count(&|r| r.replied_on.is_some() && r.item.county_role != CountyRole::Reference);
        let opinions = count(&|r| r.work.is_some());
        let verdict_of = |r: &crate::queries::reports::UndertakingRow| if definition.on_result { r.result } else { r.work };
        let verdicts = breakdown(
            [Rating::Satisfied, Rating::Basic, Rating::Unsatisfied]
                .into_iter()
                .map(|v| (v.to_string(), rows.iter().filter(|r| verdict_of(r) == Some(v)).count() as u64))
                .collect(),
        );
        let pleased = count(&|r| {
            let verdict = if definition.on_result { r.result } else { r.work };
            matches!(verdict, Some(Rating::Satisfied)) || (!definition.satisfied_only && matches!(verdict, Some(Rating::Basic)))
        });
        let met = count(&|r| work.get(&r.item.id).is_some_and(|w| w.progress.met));
        let lead_items = count(&|r| r.item.county_role == CountyRole::Lead);
        // The B items of earlier years, and those of them found solved this year, from the kept progress.
        let (carried, converted): (u64, u64) = self.conn.query_row(
            "SELECT count(*), ifnull(sum(substr(w.solved_on, 1, 4) = ?1), 0) FROM item_work w
             JOIN items i ON i.id = w.item_id JOIN sessions s ON s.id = i.session_id
             WHERE s.year < ?2 AND w.reply_class = 'B'",
            rusqlite::params![query.year.to_string(), query.year],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let statistics = Statistics {
            total,
            key_items: count(&|r| r.item.is_key),
            completion: rate("办结率", replied, answering, "办结率 = 已正式答复的件数 ÷ 需要答复的件数（主办和协办，不含参考件）"),
            satisfaction: rate("满意率", pleased, opinions, definition.describe()),
            solved: rate("办成率", classes.parts[0].count, classes.total, "办成率（解决率）= A类件数 ÷ 有正式答复并定类的件数"),
            meetings: rate("面商率", met, lead_items, "面商率 = 登记了面商的件数 ÷ 主办件数"),
            redo_rounds: rows.iter().filter_map(|r| work.get(&r.item.id)).map(|w| w.progress.redo_rounds as u64).sum(),
            published: count(&|r| r.publication == Some(crate::workflow::PublicationMode::Active)),
            carried_b: carried,
            b_to_a: rate("B类转化率", converted, carried, "B类转化率 = 往年B类件中本年转为A类的件数 ÷ 往年B类件数"),
            roles,
            proposers,
            categories: breakdown(categories),
            units,
            classes,
            opinions: verdicts,
        };
        Ok((statistics, table))
    }

    /// Items whose lead proposer is a collective (a party, a 界别, a committee).
    fn collective_items(&self, year: i32) -> Result<std::collections::HashSet<i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT p.item_id FROM proposers p JOIN items i ON i.id = p.item_id JOIN sessions s ON s.id = i.session_id
             WHERE s.year = ?1 AND p.position = 0 AND p.is_collective = 1",
        )?;
        let ids = stmt.query_map([year], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}

/// The statistics paragraph of the yearly 办理工作总结, in the style of the published reports,
/// with the figures filled in. `government` is who handled the items (e.g. 县人民政府),
/// `about` what they were (e.g. 州人大代表建议).
pub fn summary_draft(stats: &Statistics, year: i32, government: &str, about: &str) -> String {
    let noun = match (about.contains("建议"), about.contains("提案")) {
        (true, true) => "建议和提案",
        (false, true) => "提案",
        _ => "建议",
    };
    let who = if noun == "提案" { "委员" } else if noun == "建议" { "代表" } else { "代表委员" };
    let mut text = format!("{year}年，{government}共承办{about}{}件", stats.total);
    let roles: Vec<String> = stats.roles.parts.iter().filter(|p| p.count > 0).map(|p| format!("{}{}件", p.label, p.count)).collect();
    if roles.len() > 1 {
        text += &format!("，其中{}", roles.join("、"));
    }
    text += "。";
    if stats.key_items > 0 {
        text += &format!("确定重点{noun}{}件，由县领导领衔督办。", stats.key_items);
    }
    let categories: Vec<&Share> = stats.categories.parts.iter().filter(|p| p.count > 0).collect();
    if !categories.is_empty() {
        let parts: Vec<String> = categories.iter().map(|p| format!("{}类{}件、占{}", p.label, p.count, p.percent)).collect();
        text += &format!("涉及{}个类别，其中{}。", categories.len(), parts.join("，"));
    }
    let c = &stats.completion;
    if c.denominator > 0 {
        if c.numerator == c.denominator {
            text += &format!("所有{noun}均已答复，办结率{}。", trim_percent(&c.percent));
        } else {
            text += &format!("已答复{}件，办结率{}。", c.numerator, c.percent);
        }
    }
    if stats.classes.total > 0 {
        let [a, b, cc] = [&stats.classes.parts[0], &stats.classes.parts[1], &stats.classes.parts[2]];
        text += &format!(
            "在已答复的{}件中，已经解决或采纳的A类{}件、占{}；正在解决或列入计划逐步解决的B类{}件、占{}；因客观条件限制暂时难以解决的C类{}件、占{}。",
            stats.classes.total, a.count, a.percent, b.count, b.percent, cc.count, cc.percent
        );
    }
    let s = &stats.satisfaction;
    if s.denominator > 0 {
        text += &format!("收回征求意见表{}件，{who}满意率{}（{}）。", s.denominator, trim_percent(&s.percent), s.definition);
    }
    if stats.meetings.denominator > 0 {
        text += &format!("承办单位与{who}面商{}件，面商率{}。", stats.meetings.numerator, trim_percent(&stats.meetings.percent));
    }
    if stats.redo_rounds > 0 {
        text += &format!("因{who}不满意重新办理{}次。", stats.redo_rounds);
    }
    if stats.carried_b > 0 {
        text += &format!("往年B类{noun}{}件继续跟踪落实，本年转为A类{}件，转化率{}。", stats.carried_b, stats.b_to_a.numerator, stats.b_to_a.percent);
    }
    text
}

/// "100.00%" reads as "100%" in prose, as the reports write it.
fn trim_percent(p: &str) -> String {
    if p == "100.00%" { "100%".into() } else { p.to_string() }
}

/// What the statistics screen shows: the figures and the summary draft made from them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatisticsView {
    pub about: String,
    /// On what the opinions were counted: 办理工作 or 办理结果.
    pub basis: &'static str,
    pub statistics: Statistics,
    pub summary: String,
}

impl Db {
    /// The statistics screen's content for a query.
    pub fn statistics_view(&self, query: &TableQuery, definition: SatisfactionDefinition, today: NaiveDate) -> Result<StatisticsView> {
        let (statistics, table) = self.statistics_and_table(query, definition, today)?;
        let about = crate::text::streams_title(&table.streams);
        let office = self.office_name()?;
        let summary = summary_draft(&statistics, query.year, crate::text::government_of(&office), &about);
        Ok(StatisticsView { about, basis: if definition.on_result { "按办理结果" } else { "按办理工作" }, statistics, summary })
    }
}

/// A B item of an earlier year, as the 回头看 list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarriedItem {
    pub item_id: i64,
    pub year: i32,
    pub stream: String,
    pub number: String,
    pub title: String,
    pub lead_unit: Option<String>,
    pub replied_on: Option<NaiveDate>,
    pub doc_number: String,
    /// Every 回头看 so far: its date and the progress (the evidence when solved).
    pub lookbacks: Vec<(NaiveDate, String)>,
    /// When this year's 回头看 is due, while it is owed.
    pub due_on: Option<NaiveDate>,
    /// Set once a 回头看 recorded the item solved (it became A).
    pub solved_on: Option<NaiveDate>,
}

impl Db {
    /// The items of earlier years replied as B: every one still followed, then those found
    /// solved since the start of last year (older solved ones are history, in the ledger).
    pub fn carried_b_items(&self, today: NaiveDate) -> Result<Vec<CarriedItem>> {
        let this_year = chrono::Datelike::year(&today);
        let since = NaiveDate::from_ymd_opt(this_year - 1, 1, 1).unwrap_or(today);
        let carried = "s.year < ?1 AND i.id IN (SELECT item_id FROM item_work WHERE reply_class = 'B' AND (solved_on IS NULL OR solved_on >= ?2))";
        let work = self.work_items(today, carried, &[this_year.into(), since.to_string().into()])?;
        let mut lookbacks: HashMap<i64, Vec<(NaiveDate, String)>> = HashMap::new();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT e.item_id, e.happened_on, e.details FROM events e JOIN items i ON i.id = e.item_id JOIN sessions s ON s.id = i.session_id
             WHERE e.step = '回头看' AND e.voided = 0 AND {carried} ORDER BY e.happened_on, e.id"
        ))?;
        let rows = stmt.query_map(rusqlite::params![this_year, since], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, NaiveDate>(1)?, r.get::<_, String>(2)?)))?;
        for row in rows {
            let (item, day, details) = row?;
            if let Ok(crate::workflow::StepRecord::Lookback { progress, .. }) = serde_json::from_str(&details) {
                lookbacks.entry(item).or_default().push((day, progress));
            }
        }
        let mut result = Vec::new();
        for w in work {
            let Some(reply) = w.progress.reply.as_ref() else { continue };
            result.push(CarriedItem {
                item_id: w.id,
                year: w.year,
                stream: w.stream.clone(),
                number: w.number.clone(),
                title: w.title.clone(),
                lead_unit: w.units.iter().find(|u| u.role == UnitRole::Lead).map(|u| u.unit_name.clone()),
                replied_on: Some(reply.replied_on),
                doc_number: reply.doc_number.clone(),
                lookbacks: lookbacks.remove(&w.id).unwrap_or_default(),
                due_on: w.due.iter().find(|d| d.step == crate::workflow::Step::Lookback).and_then(|d| d.due_on),
                solved_on: w.progress.solved_on,
            });
        }
        result.sort_by_key(|c| (c.solved_on.is_some(), c.year, c.item_id));
        Ok(result)
    }
}
