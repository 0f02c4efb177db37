//! The yearly figures (DOMAIN.md §5): totals and breakdowns, A/B/C on the items that got a
//! formal reply, and the rates the summaries print — each with its numerator, denominator
//! and definition, and shares with two decimals rounded half up.

use crate::db::Db;
use crate::error::Result;
use crate::model::{CountyRole, UnitRole};
use crate::queries::reports::{percent, TableQuery};
use crate::workflow::{Rating, ReplyClass};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
        let table = self.undertaking_rows(query, today)?;
        let work: BTreeMap<i64, crate::queries::workflow::WorkItem> =
            self.work_items_of(today)?.into_iter().map(|w| (w.id, w)).collect();
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
        let collective = self.collective_items()?;
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

        let class_count = |c: ReplyClass| count(&|r| r.class == Some(c));
        let classes = breakdown(vec![
            ("A类".into(), class_count(ReplyClass::A)),
            ("B类".into(), class_count(ReplyClass::B)),
            ("C类".into(), class_count(ReplyClass::C)),
        ]);
        let answering = count(&|r| r.item.county_role != CountyRole::Reference);
        let replied = count(&|r| r.replied_on.is_some());
        let opinions = count(&|r| r.work.is_some());
        let pleased = count(&|r| {
            let verdict = if definition.on_result { r.result } else { r.work };
            matches!(verdict, Some(Rating::Satisfied)) || (!definition.satisfied_only && matches!(verdict, Some(Rating::Basic)))
        });
        let met = count(&|r| work.get(&r.item.id).is_some_and(|w| w.progress.met));
        let lead_items = count(&|r| r.item.county_role == CountyRole::Lead);
        let carried: Vec<&crate::queries::workflow::WorkItem> =
            work.values().filter(|w| w.year < query.year && w.progress.reply.as_ref().is_some_and(|r| r.class == ReplyClass::B)).collect();
        let converted = carried.iter().filter(|w| w.progress.solved_on.is_some_and(|d| chrono::Datelike::year(&d) == query.year)).count() as u64;
        Ok(Statistics {
            total,
            key_items: count(&|r| r.item.is_key),
            completion: rate("办结率", replied, answering, "办结率 = 已正式答复的件数 ÷ 需要答复的件数（主办和协办，不含参考件）"),
            satisfaction: rate("满意率", pleased, opinions, definition.describe()),
            solved: rate("办成率", classes.parts[0].count, classes.total, "办成率（解决率）= A类件数 ÷ 有正式答复并定类的件数"),
            meetings: rate("面商率", met, lead_items, "面商率 = 登记了面商的件数 ÷ 主办件数"),
            redo_rounds: rows.iter().filter_map(|r| work.get(&r.item.id)).map(|w| w.progress.redo_rounds as u64).sum(),
            published: count(&|r| r.publication == Some(crate::workflow::PublicationMode::Active)),
            carried_b: carried.len() as u64,
            b_to_a: rate("B类转化率", converted, carried.len() as u64, "B类转化率 = 往年B类件中本年转为A类的件数 ÷ 往年B类件数"),
            roles,
            proposers,
            categories: breakdown(categories),
            units,
            classes,
        })
    }

    /// Items whose lead proposer is a collective (a party, a 界别, a committee).
    fn collective_items(&self) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare("SELECT item_id FROM proposers WHERE position = 0 AND is_collective = 1")?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}
