//! 督考: a yearly score for each unit, from a formula the clerk reads and edits. Each rule
//! counts something the ledger records (a 签收 on time, a reply on time, a 满意, an overdue
//! step …) and gives it a weight; the score is the sum of the points, so a unit sees why it
//! has its score, and every figure lists the items behind it. The weights are kept per year
//! (the defaults, written from the county notice's demands, until the clerk changes one),
//! so last year's scores do not change when this year's rules do.

use crate::model::LogKind;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::model::{CountyRole, UnitRole};
use crate::queries::log::{change, Logged};
use crate::queries::evaluation_weights;
use crate::queries::work;
use crate::text::clean;
use crate::workflow::{Rating, ReplyClass, Step};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

chinese_enum! {
    /// A rule of the evaluation.
    Rule {
        Receipt = "签收及时",
        Meeting = "面商及时",
        Reply = "按时答复",
        WorkRating = "办理工作满意",
        ResultRating = "办理结果满意",
        AShare = "A类占比",
        Overdue = "逾期环节",
        DraftReturned = "答复样稿退回",
        Redo = "重新办理",
        Unsatisfied = "不满意",
    }
}

impl Rule {
    /// The default weight, from the county notice's demands: what it asks most (a reply on
    /// time, a problem solved) weighs most; a deduction is a negative weight.
    pub fn default_weight(self) -> f64 {
        match self {
            Rule::Receipt => 1.0,
            Rule::Meeting => 2.0,
            Rule::Reply => 3.0,
            Rule::WorkRating | Rule::ResultRating => 2.0,
            Rule::AShare => 10.0,
            Rule::Overdue => -2.0,
            Rule::DraftReturned => -1.0,
            Rule::Redo => -3.0,
            Rule::Unsatisfied => -3.0,
        }
    }

    /// What one point of the rule counts, in the clerk's words.
    pub fn counts(self) -> &'static str {
        match self {
            Rule::Receipt => "每件在时限内签收",
            Rule::Meeting => "每件主办件在时限内面商",
            Rule::Reply => "每件主办件在办理时限内正式答复",
            Rule::WorkRating => "对办理工作评价满意的每件计1，基本满意计0.5",
            Rule::ResultRating => "对办理结果评价满意的每件计1，基本满意计0.5",
            Rule::AShare => "A类件占本单位定类主办件的比例（0至1）",
            Rule::Overdue => "每个逾期的环节（逾期后才登记的、至今未登记的）",
            Rule::DraftReturned => "答复样稿每被退回修改一次",
            Rule::Redo => "每一次重新办理",
            Rule::Unsatisfied => "每一项不满意的评价",
        }
    }
}

/// A rule with the year's weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleLine {
    pub rule: Rule,
    pub counts: &'static str,
    pub weight: f64,
}

/// An item behind a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRef {
    pub item_id: i64,
    pub number: String,
    pub title: String,
}

/// One rule's part of a unit's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulePoints {
    pub rule: Rule,
    /// What the rule counted (a share for A类占比).
    pub count: f64,
    pub points: f64,
    /// The items behind the figure (their ids, found in [`Evaluation::items`]), by number.
    pub items: Vec<i64>,
}

/// A unit's score and its place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitScore {
    pub rank: usize,
    pub unit_id: i64,
    pub unit_name: String,
    pub items: usize,
    pub score: f64,
    pub points: Vec<RulePoints>,
}

/// The year's evaluation: the rules and the ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub year: i32,
    pub today: NaiveDate,
    /// The clerk has set this year's weights (else the defaults stand).
    pub set: bool,
    pub rules: Vec<RuleLine>,
    pub units: Vec<UnitScore>,
    /// The items the figures refer to, each once, by id: a year of a prefecture has 5,000
    /// items behind 30,000 figures, and the window gets each title once.
    pub items: Vec<ItemRef>,
}

impl Evaluation {
    /// An item the figures refer to.
    pub fn item(&self, id: i64) -> Option<&ItemRef> {
        self.items.binary_search_by_key(&id, |i| i.item_id).ok().map(|at| &self.items[at])
    }
}

/// The rows of `rows` (in item order) that belong to `item`, taken from the front.
fn take_item<'a, T>(rows: &mut &'a [T], item: i64, item_of: impl Fn(&T) -> i64) -> &'a [T] {
    while rows.first().is_some_and(|r| item_of(r) < item) {
        *rows = &rows[1..];
    }
    let count = rows.iter().take_while(|r| item_of(r) == item).count();
    let (mine, rest) = rows.split_at(count);
    *rows = rest;
    mine
}

/// Rounds to two decimals, as every figure is shown.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl Db {
    /// The weights of `year`'s evaluation, and whether the clerk has set them.
    fn evaluation_weights(&self, year: i32) -> Result<(HashMap<Rule, f64>, bool)> {
        let set: HashMap<Rule, f64> = evaluation_weights::of_year(&self.conn, year)?
            .into_iter()
            .filter_map(|(rule, weight)| Rule::parse(&rule).map(|rule| (rule, weight)))
            .collect();
        let kept = !set.is_empty();
        Ok((Rule::ALL.iter().map(|r| (*r, set.get(r).copied().unwrap_or(r.default_weight()))).collect(), kept))
    }

    /// Sets one weight of `year`; the year's first change writes all its weights, so the
    /// defaults can never shift its scores afterwards. Logged.
    pub fn set_evaluation_weight(&mut self, year: i32, rule: Rule, typed: &str) -> Result<()> {
        let weight: f64 = crate::text::to_half_width(&clean(typed)).parse().ok().filter(|w: &f64| w.is_finite() && w.abs() <= 1000.0)
            .ok_or_else(|| Error::field("weight", "分值请填写数字（可以是负数表示扣分、可以有小数），绝对值不超过 1000。"))?;
        let (weights, _) = self.evaluation_weights(year)?;
        let before = weights[&rule];
        let tx = self.conn.transaction()?;
        let all: Vec<(&str, f64)> = Rule::ALL.iter().map(|r| (r.as_str(), if *r == rule { weight } else { weights[r] })).collect();
        evaluation_weights::write(&tx, year, &all)?;
        Logged { kind: LogKind::Setting, action: "修改考评分值", target: format!("{year}年承办单位考评"), item_id: None }
            .write(&tx, &self.user, &[change(rule.as_str(), before.to_string(), weight.to_string())])?;
        tx.commit()?;
        Ok(())
    }

    /// The units' scores for `year` as of `today`, best first (equal scores by name).
    pub fn evaluation(&self, year: i32, today: NaiveDate) -> Result<Evaluation> {
        work::ensure(&self.conn, today.year())?;
        let (weights, set) = self.evaluation_weights(year)?;
        // The year's items with what their kept progress says of them (the deadlines of the
        // units' own steps too), and their units with the days they first recorded those
        // steps: two reads in item order, the workflow not computed again.
        let kept = work::year_facts(&self.conn, year)?;
        let assigned = work::year_units(&self.conn, year)?;
        let names = self.unit_names()?;

        // Per unit, per rule (in the order of Rule::ALL): what was counted and on which items
        // (their places in `kept`).
        let mut tally: HashMap<i64, [(f64, Vec<usize>); 10]> = HashMap::new();
        let mut classed: HashMap<i64, (f64, f64)> = HashMap::new();
        let mut unit_items: HashMap<i64, usize> = HashMap::new();
        let mut units_left = assigned.as_slice();
        for (place, k) in kept.iter().enumerate() {
            for &(_, unit, role, received_on, assisted_on) in take_item(&mut units_left, k.item, |a| a.0) {
                *unit_items.entry(unit).or_default() += 1;
                let lines = tally.entry(unit).or_default();
                let mut add = |rule: Rule, amount: f64| {
                    if amount != 0.0 {
                        let line = &mut lines[rule as usize];
                        line.0 += amount;
                        // An item's rules are counted together, so it is the last if listed.
                        if line.1.last() != Some(&place) {
                            line.1.push(place);
                        }
                    }
                };
                let leads = role == UnitRole::Lead && k.county_role == CountyRole::Lead;
                let first = |step: Step| match step {
                    Step::Receipt => received_on,
                    Step::Meeting => k.met_on,
                    _ => assisted_on,
                };
                let on_time = |done: Option<NaiveDate>, due: Option<NaiveDate>| match (done, due) {
                    (Some(done), Some(due)) => Some(done <= due),
                    (Some(_), None) => Some(true),
                    (None, _) => None,
                };
                // The unit's own steps: on time, late, or not recorded when they were due.
                let own_steps = [(Step::Receipt, Some(Rule::Receipt)), if leads { (Step::Meeting, Some(Rule::Meeting)) } else { (Step::AssistOpinion, None) }];
                for (step, rule) in own_steps {
                    let due = k.dues.of(step);
                    match on_time(first(step), due) {
                        Some(true) => { if let Some(rule) = rule { add(rule, 1.0) } }
                        Some(false) => add(Rule::Overdue, 1.0),
                        None if due.is_some_and(|d| d < today) => add(Rule::Overdue, 1.0),
                        None => {}
                    }
                }
                if !leads {
                    continue;
                }
                match (k.replied_on, k.reply_due) {
                    (Some(on), due) if due.is_none_or(|d| on <= d) => add(Rule::Reply, 1.0),
                    (Some(_), _) => add(Rule::Overdue, 1.0),
                    (None, Some(due)) if due < today => add(Rule::Overdue, 1.0),
                    _ => {}
                }
                if let Some((work, result)) = k.opinion {
                    let worth = |r: Rating| match r { Rating::Satisfied => 1.0, Rating::Basic => 0.5, Rating::Unsatisfied => 0.0 };
                    add(Rule::WorkRating, worth(work));
                    add(Rule::ResultRating, worth(result));
                    add(Rule::Unsatisfied, [work, result].iter().filter(|r| **r == Rating::Unsatisfied).count() as f64);
                }
                add(Rule::DraftReturned, k.draft_returns as f64);
                add(Rule::Redo, k.redo_rounds as f64);
                if let Some(class) = k.reply_class {
                    let line = classed.entry(unit).or_default();
                    line.1 += 1.0;
                    if class == ReplyClass::A {
                        line.0 += 1.0;
                        lines[Rule::AShare as usize].1.push(place);
                    }
                }
            }
        }
        // Each list is in the order of the items' numbers (on equal numbers, of their ids):
        // the items are ranked once, the lists sorted by rank.
        let mut by_number: Vec<usize> = (0..kept.len()).collect();
        by_number.sort_by(|a, b| kept[*a].number.cmp(&kept[*b].number));
        let mut rank = vec![0; kept.len()];
        for (r, place) in by_number.into_iter().enumerate() {
            rank[place] = r;
        }
        let mut referred = vec![false; kept.len()];
        let mut units: Vec<UnitScore> = unit_items
            .iter()
            .map(|(unit, count)| {
                let mut lines = tally.remove(unit).unwrap_or_default();
                let points: Vec<RulePoints> = Rule::ALL
                    .iter()
                    .map(|rule| {
                        let (mut counted, ids) = std::mem::take(&mut lines[*rule as usize]);
                        if *rule == Rule::AShare {
                            counted = classed.get(unit).map_or(0.0, |(a, all)| if *all > 0.0 { a / all } else { 0.0 });
                        }
                        let mut places = ids;
                        places.sort_unstable_by_key(|place| rank[*place]);
                        let items = places.into_iter().map(|place| { referred[place] = true; kept[place].item }).collect();
                        RulePoints { rule: *rule, count: round2(counted), points: round2(counted * weights[rule]), items }
                    })
                    .collect();
                let score = round2(points.iter().map(|p| p.points).sum());
                UnitScore { rank: 0, unit_id: *unit, unit_name: names.get(unit).cloned().unwrap_or_default(), items: *count, score, points }
            })
            .collect();
        units.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.unit_name.cmp(&b.unit_name)));
        for i in 0..units.len() {
            // Equal scores share a place (1, 2, 2, 4).
            units[i].rank = if i > 0 && units[i].score == units[i - 1].score { units[i - 1].rank } else { i + 1 };
        }
        let rules = Rule::ALL.iter().map(|r| RuleLine { rule: *r, counts: r.counts(), weight: weights[r] }).collect();
        let items = kept
            .into_iter()
            .zip(referred)
            .filter_map(|(k, referred)| referred.then_some(ItemRef { item_id: k.item, number: k.number, title: k.title }))
            .collect();
        Ok(Evaluation { year, today, set, rules, units, items })
    }
}
