//! The yearly figures (DOMAIN.md §5): totals and breakdowns, A/B/C on the items that got a
//! formal reply, and the rates the summaries print — each with its numerator, denominator
//! and definition, and shares with two decimals rounded half up.

use crate::db::Db;
use crate::error::Result;
use crate::queries::reports::TableQuery;
use crate::queries::figures::{self, Source};
use crate::queries::work;
use crate::text::percent;
use crate::workflow::Rating;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

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
    /// Largest first (the tables and charts).
    pub categories: Breakdown,
    /// In the category list's own order, 未分类 last (the summary).
    pub categories_listed: Breakdown,
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
    /// 多年提、反复提的问题: the items the clerk linked as 重复提出 to another item.
    pub repeated: u64,
}


impl Db {
    /// The figures of a year (streams and unit as in the tables), as of `today`: read from
    /// the counts kept per year (queries/figures.rs), or for one unit counted from its items'
    /// kept progress, so a year costs the same whatever the number of years before it.
    pub fn statistics(&self, query: &TableQuery, definition: SatisfactionDefinition, today: NaiveDate) -> Result<Statistics> {
        work::ensure(&self.conn, today.year())?;
        let filter = query.conditions();
        let source = Source::for_unit(query.unit_id);
        let mut n = [0u64; 23];
        let mut by_category: Vec<(Option<i64>, u64)> = Vec::new();
        for (category, counts) in figures::by_category(&self.conn, source, &filter.sql(), &filter.values)? {
            by_category.push((category, counts[0]));
            for (total, count) in n.iter_mut().zip(counts) {
                *total += count;
            }
        }
        let [total, lead, assist, reference, key_items, personal, joint, collective, a, b, c, answering, replied, opinions,
            work_satisfied, work_basic, work_unsatisfied, result_satisfied, result_basic, result_unsatisfied, met, redo_rounds, published] = n;
        let [satisfied, basic, unsatisfied] =
            if definition.on_result { [result_satisfied, result_basic, result_unsatisfied] } else { [work_satisfied, work_basic, work_unsatisfied] };
        let pleased = if definition.satisfied_only { satisfied } else { satisfied + basic };

        // Largest first, as the reports list them; equal counts in the categories' own order,
        // 未分类 last. Categories of the same name (one per kind) are counted together.
        // The categories in the list's order (their items are counted above, not here).
        let list = crate::queries::categories::names_in_order(&self.conn)?;
        let mut categories: Vec<(String, u64, usize)> = Vec::new();
        for (id, count) in by_category {
            let (name, place) = match list.iter().position(|(c, _)| Some(*c) == id) {
                Some(place) => (list[place].1.clone(), place),
                None => ("未分类".to_string(), usize::MAX),
            };
            match categories.iter_mut().find(|(n, _, _)| *n == name) {
                Some(line) => (line.1, line.2) = (line.1 + count, line.2.min(place)),
                None => categories.push((name, count, place)),
            }
        }
        // The list's own order (未分类 last), for the summary.
        let mut listed = categories.clone();
        listed.sort_by_key(|(_, _, place)| *place);
        let categories_listed = breakdown(listed.into_iter().map(|(name, count, _)| (name, count)).collect());
        categories.sort_by_key(|(_, count, place)| (std::cmp::Reverse(*count), *place));
        let categories = categories.into_iter().map(|(name, count, _)| (name, count)).collect();

        // Each unit's items and replies, and its items with a step of it overdue, from the
        // year's pending steps (a unit's pending step is always one of its assignments).
        let overdue = figures::overdue_by_unit(&self.conn, &filter, today)?;
        let names = self.unit_names()?;
        let mut units: Vec<UnitFigures> = figures::by_unit(&self.conn, source, &filter.sql(), &filter.values)?
            .into_iter()
            .map(|(unit, lead, assist, replied)| UnitFigures {
                unit_name: names.get(&unit).cloned().unwrap_or_default(),
                lead,
                assist,
                replied,
                overdue: overdue.get(&unit).copied().unwrap_or(0),
            })
            .collect();
        units.sort_by(|x, y| (y.lead + y.assist).cmp(&(x.lead + x.assist)).then_with(|| x.unit_name.cmp(&y.unit_name)));

        // The B items of earlier years not solved before this one, and those of them found
        // solved in it, from the kept progress: those still followed and those solved since,
        // through the index by day solved (the long solved ones are not read).
        let (carried, converted) = crate::queries::carried::counts(&self.conn, query.year)?;
        let repeated = crate::queries::links::repeated_count(&self.conn, &filter)?;
        let classes = breakdown(vec![("A类".into(), a), ("B类".into(), b), ("C类".into(), c)]);
        Ok(Statistics {
            repeated,
            total,
            key_items,
            completion: rate("办结率", replied, answering, "办结率 = 已正式答复的件数 ÷ 需要答复的件数（主办和协办，不含参考件）"),
            satisfaction: rate("满意率", pleased, opinions, definition.describe()),
            solved: rate("办成率", a, classes.total, "办成率（解决率）= A类件数 ÷ 有正式答复并定类的件数"),
            meetings: rate("面商率", met, lead, "面商率 = 登记了面商的件数 ÷ 主办件数"),
            redo_rounds,
            published,
            carried_b: carried,
            b_to_a: rate("B类转化率", converted, carried, "B类转化率 = 往年B类件中本年转为A类的件数 ÷ 往年B类件数"),
            roles: breakdown(vec![("主办".into(), lead), ("协办".into(), assist), ("参考".into(), reference)]),
            proposers: breakdown(vec![("个人".into(), personal), ("联名".into(), joint), ("集体".into(), collective)]),
            categories: breakdown(categories),
            categories_listed,
            units,
            classes,
            opinions: breakdown(vec![(Rating::Satisfied.to_string(), satisfied), (Rating::Basic.to_string(), basic), (Rating::Unsatisfied.to_string(), unsatisfied)]),
        })
    }
}

/// The statistics paragraph of the yearly 办理工作总结, in the order and style of the published
/// reports, with the figures filled in, and the note that follows it with the definition of
/// each rate the paragraph gives. A figure that is zero or not recorded gets no sentence.
/// `government` is who handled the items (e.g. 县人民政府), `about` what they were (e.g.
/// 州人大代表建议).
pub fn summary_draft(stats: &Statistics, year: i32, government: &str, about: &str) -> (String, String) {
    let noun = match (about.contains("建议"), about.contains("提案")) {
        (true, true) => "建议和提案",
        (false, true) => "提案",
        _ => "建议",
    };
    let who = if noun == "提案" { "委员" } else if noun == "建议" { "代表" } else { "代表委员" };
    let counted = |parts: &[Share]| parts.iter().filter(|p| p.count > 0).map(|p| format!("{}{}件", p.label, p.count)).collect::<Vec<_>>();
    let mut text = format!("{year}年，{government}共承办{about}{}件", stats.total);
    let roles = counted(&stats.roles.parts);
    if roles.len() > 1 {
        text += &format!("，其中{}", roles.join("、"));
    }
    text += "。";
    if stats.key_items > 0 {
        text += &format!("确定重点{noun}{}件，由县领导领衔督办。", stats.key_items);
    }
    if stats.repeated > 0 {
        text += &format!("涉及{who}多年提、反复提的问题{}件。", stats.repeated);
    }
    // In the list's order, 其它 (and 未分类) last, as the reports list them.
    let mut listed: Vec<&Share> = stats.categories_listed.parts.iter().filter(|p| p.count > 0).collect();
    listed.sort_by_key(|p| matches!(p.label.as_str(), "其它" | "其他" | "未分类"));
    let categories: Vec<String> = listed.iter().map(|p| format!("{}类{}件、占{}", p.label, p.count, p.percent)).collect();
    if !categories.is_empty() {
        text += &format!("按类别分，{}。", categories.join("，"));
    }
    let mut defined: Vec<&str> = Vec::new();
    let c = &stats.completion;
    if c.numerator > 0 {
        if c.numerator == c.denominator {
            text += &format!("所有{noun}均已答复，办结率{}。", trim_percent(&c.percent));
        } else {
            text += &format!("已答复{}件，办结率{}。", c.numerator, c.percent);
        }
        defined.push(&c.definition);
    }
    if stats.classes.total > 0 {
        let words = ["已经解决或采纳的A类", "正在解决或列入计划逐步解决的B类", "因客观条件限制暂时难以解决的C类"];
        let parts: Vec<String> = stats.classes.parts.iter().zip(words).filter(|(p, _)| p.count > 0).map(|(p, w)| format!("{w}{}件、占{}", p.count, p.percent)).collect();
        text += &format!("在已答复并定类的{}件中，{}。", stats.classes.total, parts.join("；"));
        if stats.solved.numerator > 0 {
            text += &format!("办成率{}。", trim_percent(&stats.solved.percent));
            defined.push(&stats.solved.definition);
        }
    }
    let s = &stats.satisfaction;
    if s.denominator > 0 {
        let verdicts = counted(&stats.opinions.parts);
        text += &format!("收回征求意见表{}件，其中{}，{who}满意率{}。", s.denominator, verdicts.join("、"), trim_percent(&s.percent));
        defined.push(&s.definition);
    }
    if stats.meetings.numerator > 0 {
        text += &format!("承办单位与{who}面商{}件，面商率{}。", stats.meetings.numerator, trim_percent(&stats.meetings.percent));
        defined.push(&stats.meetings.definition);
    }
    if stats.redo_rounds > 0 {
        text += &format!("因{who}不满意重新办理{}次。", stats.redo_rounds);
    }
    if stats.published > 0 {
        text += &format!("主动公开答复{}件。", stats.published);
    }
    if stats.carried_b > 0 {
        text += &format!("往年B类{noun}{}件继续跟踪落实", stats.carried_b);
        if stats.b_to_a.numerator > 0 {
            text += &format!("，本年转为A类{}件，转化率{}", stats.b_to_a.numerator, stats.b_to_a.percent);
            defined.push(&stats.b_to_a.definition);
        }
        text += "。";
    }
    let note = if defined.is_empty() { String::new() } else { format!("注：{}。", defined.join("；")) };
    (text, note)
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
    /// The note under the summary: the definition of each rate it gives.
    pub summary_note: String,
}

impl Db {
    /// The statistics screen's content for a query.
    pub fn statistics_view(&self, query: &TableQuery, definition: SatisfactionDefinition, today: NaiveDate) -> Result<StatisticsView> {
        let statistics = self.statistics(query, definition, today)?;
        let about = crate::text::streams_title(&self.streams_of(query)?);
        let office = self.office_name()?;
        let (summary, summary_note) = summary_draft(&statistics, query.year, crate::text::government_of(&office), &about);
        Ok(StatisticsView { about, basis: if definition.on_result { "按办理结果" } else { "按办理工作" }, statistics, summary, summary_note })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(list: &[(&str, u64)]) -> Breakdown {
        breakdown(list.iter().map(|(l, n)| (l.to_string(), *n)).collect())
    }

    /// Figures as a summary reports them; the rest zero.
    fn figures(total: u64, roles: &[(&str, u64)], categories: &[(&str, u64)], classes: [u64; 3], opinions: [u64; 3], replied: u64) -> Statistics {
        let classed: u64 = classes.iter().sum();
        let (pleased, returned) = (opinions[0] + opinions[1], opinions.iter().sum());
        let answering = total - roles.iter().find(|(l, _)| *l == "参考").map_or(0, |(_, n)| *n);
        Statistics {
            total,
            roles: parts(roles),
            proposers: parts(&[("个人", total)]),
            key_items: 0,
            repeated: 0,
            categories: parts(categories),
            categories_listed: parts(categories),
            units: Vec::new(),
            classes: parts(&[("A类", classes[0]), ("B类", classes[1]), ("C类", classes[2])]),
            opinions: parts(&[("满意", opinions[0]), ("基本满意", opinions[1]), ("不满意", opinions[2])]),
            completion: rate("办结率", replied, answering, "办结率 = 已正式答复的件数 ÷ 需要答复的件数"),
            satisfaction: rate("满意率", pleased, returned, SatisfactionDefinition { on_result: true, satisfied_only: false }.describe()),
            solved: rate("办成率", classes[0], classed, "办成率 = A类件数 ÷ 有正式答复并定类的件数"),
            meetings: rate("面商率", 0, roles[0].1, "面商率 = 登记了面商的件数 ÷ 主办件数"),
            redo_rounds: 0,
            published: 0,
            carried_b: 0,
            b_to_a: rate("B类转化率", 0, 0, ""),
        }
    }

    #[test]
    fn the_draft_carries_every_figure_of_the_provincial_report_and_no_zero_sentence() {
        // 19 national CPPCC proposals: 主办 10, 会办 6, 意见和建议 3; of the 16 answered A 10
        // (62.5%), B 5 (31.25%), C 1 (6.25%); 工交邮电 5 of 19 (26.32%).
        let stats = figures(19, &[("主办", 10), ("协办", 6), ("参考", 3)],
            &[("工交邮电", 5), ("文体宣传", 4), ("医疗卫生", 3), ("农业水利", 3), ("科学技术", 2), ("资源环境", 2)], [10, 5, 1], [0, 0, 0], 16);
        let (text, note) = summary_draft(&stats, 2024, "省人民政府", "全国政协委员提案");
        for figure in ["共承办全国政协委员提案19件", "主办10件、协办6件、参考3件", "工交邮电类5件、占26.32%", "所有提案均已答复，办结率100%",
            "在已答复并定类的16件中", "A类10件、占62.50%", "B类5件、占31.25%", "C类1件、占6.25%", "办成率62.50%"] {
            assert!(text.contains(figure), "{figure}: {text}");
        }
        assert!(!text.contains("面商") && !text.contains("征求意见表") && !text.contains("（"), "no zero sentence, no definition inside: {text}");
        assert!(note.starts_with("注：办结率 =") && note.contains("办成率 ="), "{note}");
        let category = text.find("工交邮电").unwrap();
        assert!(category < text.find("文体宣传").unwrap() && text.find("科学技术").unwrap() < text.find("资源环境").unwrap(), "in the list's order");
    }

    #[test]
    fn the_draft_carries_the_prefectures_solved_and_satisfaction_counts() {
        // 295 suggestions: 275 solved (93.2%); 满意 265, 基本满意 30, 满意率 100%.
        let stats = figures(295, &[("主办", 295)], &[("其它", 15), ("工交财贸", 280)], [275, 20, 0], [265, 30, 0], 295);
        let (text, note) = summary_draft(&stats, 2023, "州人民政府", "州人大代表建议");
        for figure in ["共承办州人大代表建议295件。", "A类275件", "B类20件", "办成率93.22%", "收回征求意见表295件，其中满意265件、基本满意30件，代表满意率100%"] {
            assert!(text.contains(figure), "{figure}: {text}");
        }
        assert!(!text.contains("C类") && !text.contains("不满意") && !text.contains("其中主办"), "{text}");
        assert!(text.find("工交财贸").unwrap() < text.find("其它").unwrap(), "其它 last: {text}");
        assert!(note.contains("满意率 =（满意＋基本满意）÷ 收回征求意见表的件数，按办理结果的评价计"), "{note}");
    }
}
