//! The results an earlier year's ledger holds (答复日期, 文号, 办理结果, 满意度, 面商, 公开),
//! read as the clerk wrote them and turned into the workflow steps they record (补录, dated
//! as the file says). Ledgers write the class as a letter or in words (已经解决, 列入计划,
//! 留作参考 …): a word is proposed a class here and the clerk confirms it in the preview. A
//! 回头看情况 cell holds dated words ("2024年7月17日回头看：已解决"): each becomes a 回头看 of
//! that day, and one whose words say solved the B item's conversion to A; the clerk confirms
//! what each phrase means in the preview too.

use crate::sheet::serial_date;
use crate::text::{clean, parse_date, to_half_width};
use crate::workflow::{Channel, MeetingMethod, PublicationMode, Rating, ReplyClass, StepInput};
use chrono::NaiveDate;

/// The words ledgers use for each class, looked for in this order (a word of C or B may
/// contain 解决 too: 暂难解决, 正在解决).
const CLASS_WORDS: &[(ReplyClass, &[&str])] = &[
    (ReplyClass::C, &["难以解决", "暂难", "解释说明", "留作参考", "作为参考", "参考", "条件限制", "不予采纳"]),
    (ReplyClass::B, &["正在", "列入", "逐步", "计划", "规划"]),
    (ReplyClass::A, &["解决", "采纳", "落实", "办结"]),
];

/// A class in the words of its definition, as a 办理结果 column in words is filled.
pub fn class_in_words(class: ReplyClass) -> &'static str {
    match class {
        ReplyClass::A => "所提问题已解决或基本解决",
        ReplyClass::B => "已制定措施正在解决或列入计划逐步解决",
        ReplyClass::C => "因客观条件限制或政策原因暂时难以解决",
    }
}

/// The class a 办理结果 cell names by its letter: A, A类, Ａ类, b, "B类（正在解决）".
pub fn class_by_letter(text: &str) -> Option<ReplyClass> {
    let text = to_half_width(text).trim().to_uppercase();
    let mut chars = text.chars();
    let letter = chars.next()?;
    // A letter alone or before 类 or a bracket, not the start of a word (ABC 三类).
    let alone = match chars.next() {
        None => true,
        Some(next) => next == '类' || !next.is_ascii_alphanumeric() && !('\u{4e00}'..='\u{9fff}').contains(&next),
    };
    if alone { ReplyClass::parse(&letter.to_string()) } else { None }
}

/// The class proposed for a 办理结果 written in words, if the words say one.
pub fn proposed_class(word: &str) -> Option<ReplyClass> {
    CLASS_WORDS.iter().find(|(_, words)| words.iter().any(|w| word.contains(w))).map(|(class, _)| *class)
}

/// A 办理结果 cell as the step form takes it: A, B or C for any way of writing the letter,
/// else the text as typed, so the form's check names what is wrong.
pub fn class_for_form(text: &str) -> String {
    class_by_letter(text).map_or_else(|| text.to_string(), |c| c.as_str().to_string())
}

/// A rating cell as the step form takes it: 满意, 基本满意 or 不满意 for any way ledgers write
/// them, else the text as typed, so the form's check names what is wrong.
pub fn rating_for_form(text: &str) -> String {
    rating_of(text).map_or_else(|| text.to_string(), |r| r.as_str().to_string())
}

/// A rating as ledgers write it: 满意, 非常满意, 基本满意, 比较满意, 不满意.
pub fn rating_of(text: &str) -> Option<Rating> {
    let text = clean(text);
    if text.is_empty() {
        None
    } else if text.contains("不满意") {
        Some(Rating::Unsatisfied)
    } else if text.contains("基本") || text.contains("比较") || text.starts_with('较') {
        Some(Rating::Basic)
    } else if text.contains("满意") {
        Some(Rating::Satisfied)
    } else {
        None
    }
}

/// A 是否公开 cell: 是 / 公开 / 主动公开, 依申请公开, 否 / 不公开; with the reason a
/// withheld or on-request reply must carry (what the ledger said).
pub fn publication_of(text: &str) -> Option<(PublicationMode, String)> {
    let text = clean(text);
    let noted = || format!("原台账记为“{text}”");
    match text.as_str() {
        t if t.contains("依申请") => Some((PublicationMode::OnRequest, noted())),
        "否" | "×" => Some((PublicationMode::Withheld, noted())),
        t if t.contains('不') && t.contains("公开") => Some((PublicationMode::Withheld, noted())),
        "是" | "√" => Some((PublicationMode::Active, String::new())),
        t if t.contains("公开") => Some((PublicationMode::Active, String::new())),
        _ => None,
    }
}

/// A date cell: a date, text in any common form, or the serial number Excel keeps for a
/// date typed in a cell not formatted as one.
pub fn date_in(cell: &str) -> Option<NaiveDate> {
    let cell = clean(cell);
    match cell.parse::<f64>() {
        Ok(serial) if cell.chars().all(|c| c.is_ascii_digit() || c == '.') => serial_date(serial),
        _ => parse_date(&cell),
    }
}

/// A date cell as [`date_in`] reads it, or a day of `year` written without its year
/// (4月18日, 4.18), as a unit writes the dates of this year's work.
pub fn date_in_year(cell: &str, year: i32) -> Option<NaiveDate> {
    let text = to_half_width(&clean(cell));
    let parts: Vec<&str> = text.trim_end_matches('日').split(['月', '.', '-', '/']).collect();
    match parts.as_slice() {
        // NOTE: looked for first, since 4.18 would also read as a (meaningless) serial number.
        [m, d] if m.len() <= 2 && d.len() <= 2 => NaiveDate::from_ymd_opt(year, m.trim().parse().ok()?, d.trim().parse().ok()?),
        _ => date_in(cell),
    }
}

/// The result cells of one row, as written.
#[derive(Debug, Clone, Default)]
pub struct ResultCells {
    pub reply_date: String,
    pub doc_number: String,
    pub outcome: String,
    pub satisfaction: String,
    pub work: String,
    pub result: String,
    pub channel: String,
    pub meeting_date: String,
    pub meeting_method: String,
    pub publication: String,
    pub lookback: String,
}

/// A result the row cannot record, by the column it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultProblem {
    pub column: &'static str,
    pub message: String,
    /// The row cannot be imported as it is (a class without a reply date); otherwise the
    /// result is left out and said.
    pub blocks: bool,
}

impl ResultCells {
    pub fn is_empty(&self) -> bool {
        [&self.reply_date, &self.doc_number, &self.outcome, &self.satisfaction, &self.work, &self.result, &self.meeting_date, &self.meeting_method, &self.publication, &self.lookback]
            .iter()
            .all(|c| clean(c).is_empty())
    }

    /// The steps these cells record, as step forms (checked by the workflow like typed ones),
    /// with `class` the one the 办理结果 stands for (by letter or by the clerk's choice) and
    /// `lead_unit` the unit that met the proposer and replied, and `solved` what a 回头看's
    /// phrase means (the clerk's word, else [`says_solved`]). In the order they happened:
    /// 面商, 正式答复, 征求意见 (on the reply's day), 公开, the 回头看 of later days.
    ///
    /// A 面商方式 without a 面商日期 (many ledgers keep only how they met) is recorded on the
    /// reply's day, the latest it can have been, with a note that says its day is not known:
    /// the item counts as met (面商率), and the 督考 judges the meeting by that day.
    pub fn steps(&self, class: Option<ReplyClass>, lead_unit: Option<i64>, mut solved: impl FnMut(&str) -> bool) -> (Vec<StepInput>, Vec<ResultProblem>) {
        let mut steps = Vec::new();
        let mut problems = Vec::new();
        let mut left_out = |column: &'static str, message: String| problems.push(ResultProblem { column, message, blocks: false });
        let date = |column: &'static str, text: &str| -> Result<Option<NaiveDate>, ResultProblem> {
            match clean(text) {
                t if t.is_empty() => Ok(None),
                t => date_in(&t).map(Some).ok_or(ResultProblem { column, message: format!("“{t}”不是日期，请写成 2024-05-20 或 2024年5月20日。"), blocks: true }),
            }
        };
        let (meeting_on, reply_on) = match (date("面商日期", &self.meeting_date), date("答复日期", &self.reply_date)) {
            (Ok(m), Ok(r)) => (m, r),
            (m, r) => {
                problems.extend(m.err().into_iter().chain(r.err()));
                return (steps, problems);
            }
        };
        let method = clean(&self.meeting_method);
        let met = meeting_on.is_some() || !method.is_empty();
        match (meeting_on, reply_on) {
            (Some(day), _) => {
                let method = if method.is_empty() { MeetingMethod::Meeting.as_str().to_string() } else { method.clone() };
                steps.push(StepInput { step: "面商".into(), happened_on: day.to_string(), unit_id: lead_unit, method, ..Default::default() });
            }
            (None, Some(replied)) if !method.is_empty() => steps.push(StepInput {
                step: "面商".into(),
                happened_on: replied.to_string(),
                unit_id: lead_unit,
                method: method.clone(),
                note: UNDATED_MEETING.into(),
                ..Default::default()
            }),
            (None, None) if !method.is_empty() => left_out("面商方式", "有面商方式而没有面商日期和答复日期，面商不补录。".into()),
            (None, _) => {}
        }
        let outcome = clean(&self.outcome);
        let Some(reply_on) = reply_on else {
            if !outcome.is_empty() {
                problems.push(ResultProblem { column: "答复日期", message: format!("有办理结果“{outcome}”而没有答复日期，请补上答复日期。"), blocks: true });
            } else if !(clean(&self.satisfaction).is_empty() && clean(&self.work).is_empty() && clean(&self.result).is_empty()) {
                left_out("满意度", "没有答复日期，满意度不补录。".into());
            }
            return (steps, problems);
        };
        let Some(class) = class else {
            let message = if outcome.is_empty() { "有答复日期而没有办理结果（A、B、C类），正式答复不补录。".to_string() } else { format!("办理结果“{outcome}”对应哪一类，请在预览上方选择。") };
            problems.push(ResultProblem { column: "办理结果", message, blocks: !outcome.is_empty() });
            return (steps, problems);
        };
        let on = reply_on.to_string();
        steps.push(StepInput { step: "正式答复".into(), happened_on: on.clone(), unit_id: lead_unit, class: class.as_str().into(), doc_number: clean(&self.doc_number), ..Default::default() });

        // One 满意度 column stands for both ratings; either rating column stands in for the other.
        let one = rating_of(&self.satisfaction);
        let work = rating_of(&self.work).or(one).or(rating_of(&self.result));
        let result = rating_of(&self.result).or(one).or(work);
        for (column, text) in [("满意度", &self.satisfaction), ("对办理工作的评价", &self.work), ("对办理结果的评价", &self.result)] {
            if !clean(text).is_empty() && rating_of(text).is_none() {
                left_out(column, format!("“{}”不是满意、基本满意或不满意，未补录。", clean(text)));
            }
        }
        if let (Some(work), Some(result)) = (work, result) {
            // NOTE: a ledger rarely says how the opinion was asked; the form came back in
            // writing unless a 沟通方式 (or the 面商's way) says otherwise.
            let channel = match clean(&self.channel) {
                t if t.is_empty() => channel_of_meeting(&method, met),
                t => Channel::parse(&t).or_else(|| MeetingMethod::parse(&t).map(|m| channel_of_meeting(m.as_str(), true))).unwrap_or(Channel::Written),
            };
            steps.push(StepInput { step: "征求意见".into(), happened_on: on.clone(), channel: channel.as_str().into(), work: work.as_str().into(), result: result.as_str().into(), ..Default::default() });
        }
        match clean(&self.publication) {
            t if t.is_empty() => {}
            t => match publication_of(&t) {
                Some((mode, reason)) => steps.push(StepInput { step: "公开".into(), happened_on: on, mode: mode.as_str().into(), reason, ..Default::default() }),
                None => left_out("是否公开", format!("“{t}”不是是、否、主动公开、依申请公开或不公开，未补录。")),
            },
        }
        match lookback_entries(&self.lookback) {
            Ok(entries) if entries.is_empty() => {}
            Ok(_) if class != ReplyClass::B => left_out("回头看情况", format!("这件是{class}类，只有B类件才回头看，这一格未补录。")),
            Ok(entries) => {
                for (day, phrase) in entries {
                    let solved_on = if solved(&phrase) { day.to_string() } else { String::new() };
                    steps.push(StepInput { step: "回头看".into(), happened_on: day.to_string(), unit_id: lead_unit, progress: phrase, solved_on, ..Default::default() });
                }
            }
            Err(message) => left_out("回头看情况", message),
        }
        (steps, problems)
    }
}

/// The note an undated 面商 carries.
pub const UNDATED_MEETING: &str = "面商日期不详：原台账只记了面商方式，按答复日期登记（面商不晚于答复）。";

/// The 回头看 a ledger's cell records: each piece (split at ；, 。 and line breaks) with the
/// date written in it, and its words without the date and the word 回头看 ("2024年7月17日
/// 回头看：已解决" → 2024-07-17, 已解决). A piece without a date goes with the one before;
/// the first without one makes the cell unreadable (said, not recorded).
pub fn lookback_entries(cell: &str) -> Result<Vec<(NaiveDate, String)>, String> {
    let mut entries: Vec<(NaiveDate, String)> = Vec::new();
    for piece in cell.split(['；', ';', '。', '\n']).map(clean).filter(|p| !p.is_empty()) {
        match crate::text::find_date(&piece) {
            Some(day) => entries.push((day, lookback_phrase(&piece))),
            None => match entries.last_mut() {
                Some((_, words)) => {
                    words.push('；');
                    words.push_str(&piece);
                }
                None => return Err(format!("“{}”没有写回头看的日期（如 2024年7月17日），未补录。", clean(cell))),
            },
        }
    }
    Ok(entries)
}

/// A 回头看 piece's words: the date and the word 回头看 taken out, with the marks around them.
fn lookback_phrase(piece: &str) -> String {
    let chars: Vec<char> = to_half_width(piece).chars().collect();
    let kept: String = match crate::text::find_date_span(piece) {
        Some((_, span)) => chars[..span.start].iter().chain(&chars[span.end..]).collect(),
        None => chars.into_iter().collect(),
    };
    let marks = |c: char| c.is_whitespace() || "：:，,、（）()".contains(c);
    kept.replace("回头看", "").trim_matches(marks).to_string()
}

/// Whether a 回头看's words say the matter is solved (已解决, 已办结, 已落实, 已完成): a
/// phrase that still plans or waits (正在, 尚未, 未) is not.
pub fn says_solved(phrase: &str) -> bool {
    let pending = ["正在", "尚未", "未解决", "未完成", "未落实", "推进", "计划"];
    let solved = ["已解决", "已经解决", "已办结", "已落实", "已完成", "已建成", "解决"];
    !pending.iter().any(|w| phrase.contains(w)) && solved.iter().any(|w| phrase.contains(w))
}

fn channel_of_meeting(method: &str, met: bool) -> Channel {
    match MeetingMethod::parse(method) {
        Some(MeetingMethod::Phone) => Channel::Phone,
        Some(MeetingMethod::Written) => Channel::Written,
        Some(_) => Channel::Meeting,
        None if met => Channel::Meeting,
        None => Channel::Written,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_by_letter_and_by_the_words_ledgers_use() {
        for (text, class) in [("A", ReplyClass::A), ("Ｂ类", ReplyClass::B), (" c ", ReplyClass::C), ("a类", ReplyClass::A), ("B类（正在解决）", ReplyClass::B), ("C（留作参考）", ReplyClass::C)] {
            assert_eq!(class_by_letter(text), Some(class), "{text}");
        }
        assert_eq!(class_by_letter("已解决"), None);
        for class in [ReplyClass::A, ReplyClass::B, ReplyClass::C] {
            assert_eq!(proposed_class(class_in_words(class)), Some(class), "the words written are read back as the class");
        }
        assert_eq!(class_by_letter("AB"), None);
        for (word, class) in [
            ("已经解决", ReplyClass::A), ("已采纳", ReplyClass::A), ("基本解决", ReplyClass::A),
            ("正在解决", ReplyClass::B), ("列入计划", ReplyClass::B), ("列入计划逐步解决", ReplyClass::B),
            ("解释说明", ReplyClass::C), ("留作参考", ReplyClass::C), ("暂时难以解决", ReplyClass::C),
        ] {
            assert_eq!(proposed_class(word), Some(class), "{word}");
        }
        assert_eq!(proposed_class("见附件"), None);
    }

    #[test]
    fn ratings_and_publication_as_written() {
        assert_eq!(rating_of("非常满意"), Some(Rating::Satisfied));
        assert_eq!(rating_of("比较满意"), Some(Rating::Basic));
        assert_eq!(rating_of("基本满意"), Some(Rating::Basic));
        assert_eq!(rating_of("不满意"), Some(Rating::Unsatisfied));
        assert_eq!(rating_of("一般"), None);
        assert_eq!(publication_of("是"), Some((PublicationMode::Active, String::new())));
        assert_eq!(publication_of("否").map(|p| p.0), Some(PublicationMode::Withheld));
        assert!(publication_of("否").unwrap().1.contains("否"), "a withheld reply carries its reason");
        assert_eq!(publication_of("不予公开").map(|p| p.0), Some(PublicationMode::Withheld));
        assert_eq!(publication_of("已主动公开").map(|p| p.0), Some(PublicationMode::Active));
        assert_eq!(date_in("45432"), NaiveDate::from_ymd_opt(2024, 5, 20));
        assert_eq!(date_in("2024.5.20"), NaiveDate::from_ymd_opt(2024, 5, 20));
        assert_eq!(date_in_year("4月18日", 2025), NaiveDate::from_ymd_opt(2025, 4, 18));
        assert_eq!(date_in_year("4.18", 2025), NaiveDate::from_ymd_opt(2025, 4, 18));
        assert_eq!(date_in_year("2024年5月20日", 2025), NaiveDate::from_ymd_opt(2024, 5, 20));
        assert_eq!(date_in_year("4月31日", 2025), None);
    }

    #[test]
    fn a_row_of_results_becomes_the_steps_it_records() {
        let cells = ResultCells {
            meeting_date: "2024-03-28".into(),
            meeting_method: "电话".into(),
            reply_date: "2024年5月20日".into(),
            doc_number: "精政函〔2024〕8号".into(),
            outcome: "列入计划".into(),
            satisfaction: "基本满意".into(),
            publication: "否".into(),
            ..Default::default()
        };
        let (steps, problems) = cells.steps(Some(ReplyClass::B), Some(7), says_solved);
        assert_eq!(problems, []);
        let summary: Vec<(&str, &str)> = steps.iter().map(|s| (s.step.as_str(), s.happened_on.as_str())).collect();
        assert_eq!(summary, [("面商", "2024-03-28"), ("正式答复", "2024-05-20"), ("征求意见", "2024-05-20"), ("公开", "2024-05-20")]);
        assert_eq!((steps[0].method.as_str(), steps[0].unit_id), ("电话", Some(7)));
        assert_eq!((steps[1].class.as_str(), steps[1].doc_number.as_str()), ("B", "精政函〔2024〕8号"));
        assert_eq!((steps[2].channel.as_str(), steps[2].work.as_str(), steps[2].result.as_str()), ("电话", "基本满意", "基本满意"));
        assert_eq!(steps[3].mode, "不公开");

        let no_date = ResultCells { outcome: "A".into(), ..Default::default() };
        let (steps, problems) = no_date.steps(Some(ReplyClass::A), None, says_solved);
        assert!(steps.is_empty() && problems[0].blocks && problems[0].column == "答复日期", "{problems:?}");
        let unknown_word = ResultCells { reply_date: "2024-05-20".into(), outcome: "见附件".into(), ..Default::default() };
        let (_, problems) = unknown_word.steps(None, None, says_solved);
        assert!(problems[0].blocks && problems[0].message.contains("见附件"), "{problems:?}");
        let bad_rating = ResultCells { reply_date: "2024-05-20".into(), outcome: "A".into(), satisfaction: "一般".into(), ..Default::default() };
        let (steps, problems) = bad_rating.steps(Some(ReplyClass::A), None, says_solved);
        assert_eq!(steps.len(), 1, "the reply is kept, the rating left out");
        assert!(!problems[0].blocks && problems[0].column == "满意度");
    }

    #[test]
    fn a_meeting_without_its_day_is_recorded_on_the_replys_day_and_said_so() {
        let cells = ResultCells { meeting_method: "走访".into(), reply_date: "2024-05-20".into(), outcome: "A".into(), ..Default::default() };
        let (steps, problems) = cells.steps(Some(ReplyClass::A), Some(7), says_solved);
        assert_eq!(problems, []);
        assert_eq!((steps[0].step.as_str(), steps[0].happened_on.as_str(), steps[0].method.as_str()), ("面商", "2024-05-20", "走访"));
        assert_eq!(steps[0].note, UNDATED_MEETING);
        let neither = ResultCells { meeting_method: "走访".into(), ..Default::default() };
        let (steps, problems) = neither.steps(None, None, says_solved);
        assert!(steps.is_empty() && !problems[0].blocks && problems[0].message.contains("没有面商日期和答复日期"), "{problems:?}");
    }

    #[test]
    fn a_lookback_cell_gives_each_dated_lookback_and_says_which_found_it_solved() {
        assert_eq!(
            lookback_entries("2024年3月5日回头看：资金已列入预算；2025年7月17日回头看：已解决").unwrap(),
            [(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap(), "资金已列入预算".to_string()), (NaiveDate::from_ymd_opt(2025, 7, 17).unwrap(), "已解决".to_string())]
        );
        assert_eq!(lookback_entries("2024.7.17 已办结。道路已通车").unwrap(), [(NaiveDate::from_ymd_opt(2024, 7, 17).unwrap(), "已办结；道路已通车".to_string())]);
        assert!(lookback_entries("今年回头看：已解决").unwrap_err().contains("没有写回头看的日期"));
        assert_eq!(lookback_entries("  ").unwrap(), []);
        for (phrase, solved) in [("已解决", true), ("已办结", true), ("项目已落实", true), ("正在推进", false), ("尚未解决", false), ("资金已列入预算", false)] {
            assert_eq!(says_solved(phrase), solved, "{phrase}");
        }
        let cells = ResultCells { reply_date: "2023-05-20".into(), outcome: "B".into(), lookback: "2024年3月5日回头看：正在推进；2024年9月1日回头看：已解决".into(), ..Default::default() };
        let (steps, problems) = cells.steps(Some(ReplyClass::B), Some(7), says_solved);
        assert_eq!(problems, []);
        let lookbacks: Vec<(&str, &str, &str)> = steps.iter().filter(|s| s.step == "回头看").map(|s| (s.happened_on.as_str(), s.progress.as_str(), s.solved_on.as_str())).collect();
        assert_eq!(lookbacks, [("2024-03-05", "正在推进", ""), ("2024-09-01", "已解决", "2024-09-01")]);
        let (steps, problems) = cells.steps(Some(ReplyClass::B), Some(7), |_| false);
        assert!(problems.is_empty() && steps.iter().all(|s| s.solved_on.is_empty()), "the clerk's word stands");
        let a = ResultCells { outcome: "A".into(), ..cells };
        let (steps, problems) = a.steps(Some(ReplyClass::A), Some(7), says_solved);
        assert!(steps.iter().all(|s| s.step != "回头看") && problems[0].column == "回头看情况" && !problems[0].blocks, "{problems:?}");
    }
}
