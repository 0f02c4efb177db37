//! 办理时限: the per-year deadline template, the working-day calendar (holidays and 调休
//! move every year, so the clerk marks them), and the due date of each step of an item.

use crate::error::{Error, Result};
use crate::workflow::Step;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

chinese_enum! {
    /// The unit of a relative deadline.
    Period { Days = "天", WorkingDays = "工作日", Months = "月" }
}

/// When a step is due: a fixed date of the year, or some time after an earlier step
/// (after its recorded date, or after its own due date while it is not recorded yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Rule {
    Fixed { fixed: NaiveDate },
    After { after: Step, amount: u32, unit: Period },
}

impl Rule {
    /// How a rule reads: 2025年3月25日, or 交办后3月 (as the template editor shows it).
    pub fn describe(rule: Option<&Rule>) -> String {
        match rule {
            None => "无时限".into(),
            Some(Rule::Fixed { fixed }) => crate::text::format_date_cn(*fixed),
            Some(Rule::After { after, amount, unit }) => format!("{after}后{amount}{unit}"),
        }
    }
}

/// The steps that can have a deadline, in the order of the notice. A relative rule may
/// only point to a step before its own, so a template can never go round in a circle.
pub const DEADLINE_STEPS: &[Step] = &[
    Step::Receipt,
    Step::Undertaking,
    Step::Meeting,
    Step::AssistOpinion,
    Step::Draft,
    Step::Review,
    Step::Approval,
    Step::Reply,
    Step::Opinion,
    Step::Filing,
    Step::Lookback,
    Step::Publication,
];

/// A year's template: step → rule. A step without a rule has no deadline.
pub type Template = BTreeMap<Step, Rule>;

fn order(step: Step) -> Option<usize> {
    match step {
        Step::Assign => Some(0),
        other => DEADLINE_STEPS.iter().position(|s| *s == other).map(|p| p + 1),
    }
}

/// Checks one line of a template.
pub fn check_rule(step: Step, rule: &Rule, year: i32) -> Result<()> {
    let Some(position) = order(step).filter(|_| step != Step::Assign) else {
        return Err(Error::field("step", format!("“{step}”没有办理时限。")));
    };
    match rule {
        Rule::Fixed { fixed } if (fixed.year() - year).abs() > 1 => Err(Error::field(
            "rule",
            format!("{step}的时限 {} 与年度 {year} 相差太远，请核对。", crate::text::format_date_cn(*fixed)),
        )),
        Rule::After { after, .. } if order(*after).is_none_or(|p| p >= position) => Err(Error::field(
            "rule",
            format!("{step}的时限只能从它之前的环节算起（交办、签收……），不能从“{after}”算起。"),
        )),
        Rule::After { amount, .. } if *amount == 0 || *amount > 400 => {
            Err(Error::field("rule", "天数或月数应在 1 到 400 之间。"))
        }
        _ => Ok(()),
    }
}

/// What the template editor sends for one step: raw text, checked by [`parse_rule`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleInput {
    /// 固定日期, 相对 or 无.
    pub kind: String,
    pub fixed: String,
    pub after: String,
    pub amount: String,
    pub unit: String,
}

/// Turns the editor's text into a rule (`None`: the step has no deadline).
pub fn parse_rule(input: &RuleInput) -> Result<Option<Rule>> {
    match input.kind.trim() {
        "无" => Ok(None),
        "固定日期" => crate::text::parse_date(&input.fixed)
            .map(|fixed| Some(Rule::Fixed { fixed }))
            .ok_or_else(|| Error::field("fixed", "日期不是有效日期，请写成 2025-03-25。")),
        "相对" => {
            let after = Step::parse(&input.after).ok_or_else(|| Error::field("after", "请选择从哪个环节算起。"))?;
            let amount = crate::text::to_half_width(input.amount.trim())
                .parse::<u32>()
                .map_err(|_| Error::field("amount", "天数或月数应为整数。"))?;
            let unit = Period::parse(&input.unit).ok_or_else(|| Error::field("unit", "请选择天、工作日或月。"))?;
            Ok(Some(Rule::After { after, amount, unit }))
        }
        _ => Err(Error::field("kind", "请选择时限方式：固定日期、相对或无。")),
    }
}

fn on(year: i32, month: u32, day: u32) -> Rule {
    Rule::Fixed { fixed: NaiveDate::from_ymd_opt(year, month, day).expect("a real date in the built-in template") }
}

fn after(step: Step, amount: u32, unit: Period) -> Rule {
    Rule::After { after: step, amount, unit }
}

/// The built-in templates the clerk starts a year from.
pub const BUILT_IN: &[&str] = &["2025年县政府通知", "全国通行（交办后3个月答复）"];

/// A built-in template for `year`. The first is a real county notice of 2025 (its dates
/// moved to the year); steps the notice leaves open get short relative deadlines.
pub fn built_in(name: &str, year: i32) -> Option<Template> {
    let office_steps = [
        (Step::Receipt, after(Step::Assign, 3, Period::WorkingDays)),
        (Step::Review, after(Step::Draft, 5, Period::WorkingDays)),
        (Step::Approval, after(Step::Review, 5, Period::WorkingDays)),
        (Step::Opinion, after(Step::Reply, 10, Period::Days)),
    ];
    let specific = match name {
        "2025年县政府通知" => vec![
            (Step::Undertaking, on(year, 3, 25)),
            (Step::Meeting, on(year, 3, 31)),
            (Step::AssistOpinion, on(year, 4, 7)),
            (Step::Draft, on(year, 4, 18)),
            (Step::Reply, on(year, 5, 26)),
            (Step::Filing, on(year, 6, 6)),
            (Step::Lookback, on(year, 10, 10)),
            (Step::Publication, on(year, 11, 3)),
        ],
        "全国通行（交办后3个月答复）" => vec![
            (Step::Undertaking, after(Step::Assign, 10, Period::WorkingDays)),
            (Step::Meeting, after(Step::Assign, 1, Period::Months)),
            (Step::AssistOpinion, after(Step::Assign, 1, Period::Months)),
            (Step::Draft, after(Step::Assign, 2, Period::Months)),
            (Step::Reply, after(Step::Assign, 3, Period::Months)),
            (Step::Filing, after(Step::Reply, 1, Period::Months)),
            (Step::Lookback, on(year, 10, 10)),
            (Step::Publication, after(Step::Reply, 20, Period::WorkingDays)),
        ],
        _ => return None,
    };
    Some(office_steps.into_iter().chain(specific).collect())
}

/// The working-day calendar: Monday to Friday, except the holidays (休) marked on weekdays,
/// plus the make-up working days (班, 调休) marked on weekends.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    marks: HashMap<NaiveDate, bool>,
}

impl Calendar {
    /// `marks`: (date, is it a working day).
    pub fn new(marks: impl IntoIterator<Item = (NaiveDate, bool)>) -> Calendar {
        Calendar { marks: marks.into_iter().collect() }
    }

    pub fn is_working(&self, day: NaiveDate) -> bool {
        self.marks.get(&day).copied().unwrap_or(!matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
    }

    /// The `n`th working day after `start` (start itself not counted).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = day + Days::new(1);
            if self.is_working(day) {
                left -= 1;
            }
        }
        day
    }
}

/// Adds a period to a date. A month after 1月31日 is the last day of February.
pub fn add(calendar: &Calendar, start: NaiveDate, amount: u32, unit: Period) -> NaiveDate {
    match unit {
        Period::Days => start + Days::new(amount.into()),
        Period::WorkingDays => calendar.add_working_days(start, amount),
        Period::Months => start.checked_add_months(Months::new(amount)).unwrap_or(NaiveDate::MAX),
    }
}

/// 重新办理 is due one month after the 不满意 opinion, whatever the template says.
pub fn redo_due(calendar: &Calendar, opinion_on: NaiveDate) -> NaiveDate {
    add(calendar, opinion_on, 1, Period::Months)
}

/// Computes due dates for one item.
pub struct DueDates<'a> {
    pub template: &'a Template,
    pub calendar: &'a Calendar,
    /// The clerk's own deadlines for this item.
    pub overrides: &'a HashMap<Step, NaiveDate>,
    pub assigned_on: Option<NaiveDate>,
    /// When a step was last recorded, if it was.
    pub recorded: &'a HashMap<Step, NaiveDate>,
}

impl DueDates<'_> {
    /// When `step` is due, if anything says so.
    pub fn due(&self, step: Step) -> Option<NaiveDate> {
        if step == Step::Assign {
            return self.assigned_on;
        }
        if let Some(day) = self.overrides.get(&step) {
            return Some(*day);
        }
        match self.template.get(&step)? {
            Rule::Fixed { fixed } => Some(*fixed),
            Rule::After { after, amount, unit } => {
                let base = self.recorded.get(after).copied().or_else(|| self.due(*after))?;
                Some(add(self.calendar, base, *amount, *unit))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekends_are_skipped_and_marked_days_move_the_rule() {
        let plain = Calendar::default();
        // Friday 2025-03-14 + 1 working day is Monday 2025-03-17.
        assert_eq!(plain.add_working_days(d(2025, 3, 14), 1), d(2025, 3, 17));
        assert_eq!(plain.add_working_days(d(2025, 3, 17), 5), d(2025, 3, 24));
        // 2025 劳动节: 5月1日–5日 off, Sunday 4月27日 a make-up working day (调休).
        let calendar = Calendar::new(
            [(d(2025, 5, 1), false), (d(2025, 5, 2), false), (d(2025, 5, 5), false), (d(2025, 4, 27), true)],
        );
        assert!(calendar.is_working(d(2025, 4, 27)), "调休 Sunday works");
        assert!(!calendar.is_working(d(2025, 5, 2)), "holiday Friday rests");
        // From Friday 4月25日: Sun 27 (调休), Mon 28, Tue 29, Wed 30, then Tue 5月6日.
        assert_eq!(calendar.add_working_days(d(2025, 4, 25), 5), d(2025, 5, 6));
        assert_eq!(calendar.add_working_days(d(2025, 4, 25), 0), d(2025, 4, 25));
    }

    #[test]
    fn a_month_after_the_end_of_a_month_is_the_end_of_the_next() {
        let c = Calendar::default();
        assert_eq!(redo_due(&c, d(2025, 1, 31)), d(2025, 2, 28));
        assert_eq!(redo_due(&c, d(2024, 1, 31)), d(2024, 2, 29), "leap year");
        assert_eq!(redo_due(&c, d(2025, 3, 31)), d(2025, 4, 30));
        assert_eq!(redo_due(&c, d(2025, 12, 15)), d(2026, 1, 15), "across the year");
        assert_eq!(add(&c, d(2025, 3, 17), 3, Period::Months), d(2025, 6, 17));
        assert_eq!(add(&c, d(2025, 3, 17), 10, Period::Days), d(2025, 3, 27));
    }

    #[test]
    fn the_2025_notice_gives_its_own_dates() {
        let template = built_in("2025年县政府通知", 2025).unwrap();
        let none = HashMap::new();
        let due = DueDates { template: &template, calendar: &Calendar::default(), overrides: &none, assigned_on: Some(d(2025, 3, 17)), recorded: &none };
        let expect = [
            (Step::Undertaking, d(2025, 3, 25)), (Step::Meeting, d(2025, 3, 31)), (Step::AssistOpinion, d(2025, 4, 7)),
            (Step::Draft, d(2025, 4, 18)), (Step::Reply, d(2025, 5, 26)), (Step::Filing, d(2025, 6, 6)),
            (Step::Lookback, d(2025, 10, 10)), (Step::Publication, d(2025, 11, 3)),
            (Step::Receipt, d(2025, 3, 20)), // 3 working days after Monday 3月17日
        ];
        for (step, day) in expect {
            assert_eq!(due.due(step), Some(day), "{step}");
        }
        // The opinion form is due before the 备案 date that needs it.
        assert_eq!(due.due(Step::Opinion), Some(d(2025, 6, 5)));
        // 初审 counts from the draft's due date until a draft is recorded, then from the draft.
        assert_eq!(due.due(Step::Review), Some(d(2025, 4, 25)));
        let recorded = HashMap::from([(Step::Draft, d(2025, 4, 10))]);
        let due = DueDates { recorded: &recorded, ..due };
        assert_eq!(due.due(Step::Review), Some(d(2025, 4, 17)));
        assert_eq!(due.due(Step::Approval), Some(d(2025, 4, 24)));
    }

    #[test]
    fn the_national_rule_is_three_months_from_assignment_and_overrides_win() {
        let template = built_in("全国通行（交办后3个月答复）", 2025).unwrap();
        let none = HashMap::new();
        let overrides = HashMap::from([(Step::Reply, d(2025, 4, 30))]);
        let due = DueDates { template: &template, calendar: &Calendar::default(), overrides: &none, assigned_on: Some(d(2025, 3, 17)), recorded: &none };
        assert_eq!(due.due(Step::Reply), Some(d(2025, 6, 17)));
        assert_eq!(due.due(Step::Filing), Some(d(2025, 7, 17)), "relative to the reply's due date");
        let recorded = HashMap::from([(Step::Reply, d(2025, 5, 8))]);
        assert_eq!(DueDates { recorded: &recorded, ..due }.due(Step::Filing), Some(d(2025, 6, 8)), "relative to the real reply");
        let keyed = DueDates { overrides: &overrides, ..due };
        assert_eq!(keyed.due(Step::Reply), Some(d(2025, 4, 30)), "a key item's own deadline");
        // Without an assigned date, relative deadlines are unknown rather than wrong.
        assert_eq!(DueDates { assigned_on: None, ..due }.due(Step::Reply), None);
    }

    #[test]
    fn a_rule_can_only_count_from_an_earlier_step() {
        assert!(check_rule(Step::Reply, &after(Step::Assign, 3, Period::Months), 2025).is_ok());
        assert!(check_rule(Step::Meeting, &after(Step::Reply, 3, Period::Days), 2025).is_err());
        assert!(check_rule(Step::Meeting, &after(Step::Meeting, 3, Period::Days), 2025).is_err());
        assert!(check_rule(Step::Meeting, &on(2031, 3, 1), 2025).is_err());
        assert!(check_rule(Step::Meeting, &after(Step::Assign, 0, Period::Days), 2025).is_err());
        assert!(check_rule(Step::Redo, &on(2025, 3, 1), 2025).is_err());
    }
}
