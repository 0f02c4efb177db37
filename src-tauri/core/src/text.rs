//! How the clerk writes numbers and dates, and the program's wording: clerks type 2025-03-17,
//! 2025.3.17, 2025/3/17 or 2025年3月17日, with full-width digits from a Chinese IME; every form
//! of the same date means the same date, and the program prints 2025年3月17日. The words the
//! tables, documents and screens share (shares as 26.32%, stream titles, days left, the
//! satisfaction cell, the government's name) are written here once.

use crate::model::{CountyRole, Kind, Stream};
use chrono::{Datelike, NaiveDate};

/// Full-width ASCII (ＡＢＣ１２３－) folded to half-width, ideographic space to a space.
pub fn to_half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// How wide a text is in column-width units: a Chinese character takes two, others one.
pub fn text_width(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum()
}

/// Trims a typed value, folding full-width spaces too.
pub fn clean(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}').to_string()
}

/// Parses a date in any of the forms a clerk types. `None` when it is not a real date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = to_half_width(text);
    let parts: Vec<&str> = text
        .trim()
        .trim_end_matches('日')
        .split(['-', '.', '/', '年', '月'])
        .collect();
    let [y, m, d] = parts.as_slice() else { return None };
    let number = |s: &str, max_len: usize| {
        let s = s.trim();
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = (number(y, 4)?, number(m, 2)?, number(d, 2)?);
    if y < 1000 {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// The first date written inside a longer text, as a title row writes it: "（2025年3月17日
/// 交办）", "交办日期：2025.3.17". A year alone ("2025年州人大代表建议") is not a date.
pub fn find_date(text: &str) -> Option<NaiveDate> {
    find_date_span(text).map(|(date, _)| date)
}

/// [`find_date`], with where the date is written: the range of characters (not bytes) of
/// the text, made half-width, that it takes.
pub fn find_date_span(text: &str) -> Option<(NaiveDate, std::ops::Range<usize>)> {
    let chars: Vec<char> = to_half_width(text).chars().collect();
    (0..chars.len()).filter(|&i| chars[i..].iter().take(4).filter(|c| c.is_ascii_digit()).count() == 4 && (i == 0 || !chars[i - 1].is_ascii_digit())).find_map(|start| {
        // The longest piece from here that reads as a date: "2025年3月17日" before "2025年3月1".
        (8..=11).rev().filter(|len| start + len <= chars.len()).find_map(|len| {
            let piece: String = chars[start..start + len].iter().collect();
            let ends_well = chars.get(start + len).is_none_or(|c| !c.is_ascii_digit());
            ends_well.then(|| parse_date(&piece)).flatten().map(|date| (date, start..start + len))
        })
    })
}

/// 2025年3月17日: how every date is printed.
pub fn format_date_cn(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// The number of an item as the upper body wrote it (第214号, ２１４, 214号) reduced to its
/// core (214). `None` when what remains is not a number a body would assign.
pub fn normalize_number(text: &str) -> Option<String> {
    let text: String = to_half_width(text).chars().filter(|c| !c.is_whitespace()).collect();
    let core = text.strip_prefix('第').unwrap_or(&text);
    let core = core.strip_suffix('号').unwrap_or(core);
    let valid = !core.is_empty()
        && core.chars().count() <= 16
        && core.chars().any(|c| c.is_ascii_digit())
        && core.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then(|| core.to_string())
}

/// The key two numbers of one session are compared by: 001, 1, １, 第1号 and 第001号 are
/// the same number. A stored number (already normalized) without its leading zeros; one
/// with letters as it is, in capitals. The same rule as the column `items.number_key`
/// (migration 7), which a test holds them to.
pub fn number_key(number: &str) -> String {
    let core = normalize_number(number).unwrap_or_else(|| clean(number));
    if !core.is_empty() && core.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = core.trim_start_matches('0');
        if trimmed.is_empty() { "0".into() } else { trimmed.into() }
    } else {
        core.to_ascii_uppercase()
    }
}

/// How wide a body pads its numbers, as `numbers` (stored, normalized) show it: the width of
/// the widest written with leading zeros (001 → 3); 0 when none is.
pub fn padded_width<'a>(numbers: impl IntoIterator<Item = &'a str>) -> usize {
    numbers.into_iter().filter(|n| n.len() > 1 && n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())).map(str::len).max().unwrap_or(0)
}

/// A number in the body's own style: padded with zeros to `width` when it is all digits
/// (1 → 001 where the list writes 001, 002 …); anything else as it is.
pub fn pad_number(number: &str, width: usize) -> String {
    if !number.is_empty() && number.len() < width && number.bytes().all(|b| b.is_ascii_digit()) {
        format!("{number:0>width$}")
    } else {
        number.to_string()
    }
}

/// A phone number as offices write it: digits, spaces, hyphens, brackets, a leading +,
/// and 转 for an extension. Empty is allowed (a phone is optional).
pub fn is_valid_phone(text: &str) -> bool {
    let text = to_half_width(text);
    let text = text.trim();
    if text.is_empty() {
        return true;
    }
    let digits = text.chars().filter(|c| c.is_ascii_digit()).count();
    (5..=20).contains(&digits)
        && text.chars().all(|c| c.is_ascii_digit() || " -()+".contains(c) || c == '转')
}

/// A title as stored: trimmed, and without one pair of book-title marks around the whole of
/// it, since every printed form adds its own 《》. Inner marks (《精河县志》) are kept.
pub fn normalize_title(text: &str) -> String {
    let text = clean(text);
    let Some(inner) = text.strip_prefix('《').and_then(|t| t.strip_suffix('》')) else {
        return text;
    };
    // The outer pair goes only if the opening mark is closed by the very last one.
    let mut depth = 0i32;
    for c in inner.chars() {
        depth += match c {
            '《' => 1,
            '》' => -1,
            _ => 0,
        };
        if depth < 0 {
            return text;
        }
    }
    if depth == 0 { clean(inner) } else { text }
}

/// 满意度 in one cell: "满意" when both verdicts agree, else both named.
pub fn satisfaction_text<R: std::fmt::Display + PartialEq>(work: Option<R>, result: Option<R>) -> String {
    match (work, result) {
        (Some(w), Some(r)) if w == r => w.to_string(),
        (Some(w), Some(r)) => format!("工作{w}，结果{r}"),
        _ => String::new(),
    }
}

/// Whether the county answers this item formally (主办); 协办 and 参考 items say so instead.
pub fn role_note(role: CountyRole) -> &'static str {
    match role {
        CountyRole::Lead => "",
        CountyRole::Assist => "本县协办",
        CountyRole::Reference => "参考件",
    }
}

/// The long name of a stream as titles print it: 州人大代表建议, 县政协委员提案.
pub fn stream_title(stream: Stream) -> String {
    let level = stream.level;
    match stream.kind {
        Kind::Suggestion => format!("{level}人大代表建议"),
        Kind::Proposal => format!("{level}政协委员提案"),
    }
}

/// What a table covering `streams` is about, for its title and file name.
pub fn streams_title(streams: &[Stream]) -> String {
    match streams {
        [stream] => stream_title(*stream),
        _ if streams.iter().all(|s| s.kind == Kind::Suggestion) => "人大代表建议".into(),
        _ if streams.iter().all(|s| s.kind == Kind::Proposal) => "政协委员提案".into(),
        _ => "人大代表建议和政协委员提案".into(),
    }
}

/// A share as the yearly reports print it: two decimals, rounded half up (5/19 → 26.32%).
/// Integer arithmetic, so no binary fraction can round the wrong way.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "—".into();
    }
    let hundredths = (part * 20_000 + whole) / (2 * whole);
    format!("{}.{:02}%", hundredths / 100, hundredths % 100)
}

/// How the days left read on paper: 逾期3天, 今天到期, 剩5天.
pub fn days_left_text(days: Option<i64>) -> String {
    match days {
        None => "无时限".into(),
        Some(d) if d < 0 => format!("逾期{}天", -d),
        Some(0) => "今天到期".into(),
        Some(d) => format!("剩{d}天"),
    }
}

/// The government a table is sent in the name of: the office name without 办公室.
pub fn government_of(office: &str) -> &str {
    office.strip_suffix("办公室").filter(|g| !g.is_empty()).unwrap_or(office)
}

/// Whether `short` is a unit's name shortened as offices shorten them: its characters stand
/// in `full` in order, starting where the unit's own name starts (after the place, 精河县 or
/// 州, or at the place's last character: 县发改委 for 精河县发展和改革委员会), and ending in
/// the same kind of unit (局, 委 for 委员会 …): 州发改委 ↔ 州发展和改革委员会, 县人社局 ↔
/// 县人力资源和社会保障局.
pub fn abbreviates(short: &str, full: &str) -> bool {
    const PLACE_ENDS: [char; 6] = ['县', '州', '市', '区', '旗', '盟'];
    let (short, full): (Vec<char>, Vec<char>) = (short.chars().filter(|c| !c.is_whitespace()).collect(), full.chars().filter(|c| !c.is_whitespace()).collect());
    let (Some(&first), Some(&last)) = (short.first(), short.last()) else { return false };
    if short.len() < 3 || short.len() >= full.len() {
        return false;
    }
    let kind_matches = full.ends_with(&[last]) || (last == '委' && full.ends_with(&['委', '员', '会']));
    if !kind_matches {
        return false;
    }
    // Every place the short name's first character may start in the full one.
    (0..full.len()).filter(|&at| full[at] == first && (at == 0 || PLACE_ENDS.contains(&full[at - 1]) || PLACE_ENDS.contains(&first))).any(|start| {
        let mut rest = full[start..].iter();
        short.iter().all(|c| rest.any(|f| f == c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn shares_round_half_up_with_two_decimals() {
        assert_eq!(percent(5, 19), "26.32%");
        assert_eq!(percent(2, 19), "10.53%");
        assert_eq!(percent(10, 16), "62.50%");
        assert_eq!(percent(1, 16), "6.25%");
        assert_eq!(percent(1, 8), "12.50%");
        assert_eq!(percent(1, 3), "33.33%");
        assert_eq!(percent(2, 3), "66.67%");
        assert_eq!(percent(1, 200_000), "0.00%");
        assert_eq!(percent(1, 20_000), "0.01%", "0.005% rounds up");
        assert_eq!(percent(16, 16), "100.00%");
        assert_eq!(percent(0, 0), "—");
    }

    #[test]
    fn every_typed_form_of_a_date_is_the_same_date() {
        for typed in ["2025-03-17", "2025-3-17", "2025.3.17", "2025/03/17", "2025年3月17日",
            "２０２５年３月１７日", " 2025-03-17 ", "2025年03月17"] {
            assert_eq!(parse_date(typed), Some(date(2025, 3, 17)), "{typed}");
        }
    }

    #[test]
    fn one_number_however_it_was_typed() {
        for typed in ["001", "1", "１", "第1号", "第001号", " 0001 "] {
            assert_eq!(number_key(typed), "1", "{typed}");
        }
        assert_eq!(number_key("0"), "0");
        assert_eq!(number_key("010"), "10", "only leading zeros go");
        assert_eq!(number_key("a-012"), "A-012", "a number with letters stays as it is");
    }

    #[test]
    fn a_number_takes_the_bodys_padding() {
        assert_eq!(padded_width(["002", "14", "0015", "A-01"]), 4);
        assert_eq!(padded_width(["2", "14", "0"]), 0, "a lone 0 is not padding");
        assert_eq!(pad_number("1", 3), "001");
        assert_eq!(pad_number("214", 3), "214");
        assert_eq!(pad_number("1234", 3), "1234");
        assert_eq!(pad_number("A-1", 3), "A-1");
        assert_eq!(pad_number("7", 0), "7");
    }

    #[test]
    fn a_date_is_found_inside_a_title_row() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(find_date("精河县2025年州人大代表建议交办清单（2025年3月17日交办）"), d(2025, 3, 17));
        assert_eq!(find_date("交办日期：２０２５.３.５"), d(2025, 3, 5));
        assert_eq!(find_date("交办时间:2025-03-17 印发"), d(2025, 3, 17));
        assert_eq!(find_date("2025年州人大代表建议交办清单"), None, "a year alone");
        assert_eq!(find_date("共295件，联系电话09095321101"), None);
        assert_eq!(find_date("2025年2月30日"), None, "no such day");
    }

    #[test]
    fn impossible_dates_are_refused() {
        for typed in ["2025-02-30", "2025-13-01", "25-3-17", "2025-3", "", "明天", "2025-03-17-1",
            "2025--17", "20250317"] {
            assert_eq!(parse_date(typed), None, "{typed}");
        }
        assert_eq!(parse_date("2024-02-29"), Some(date(2024, 2, 29)));
    }

    #[test]
    fn dates_print_in_chinese() {
        assert_eq!(format_date_cn(date(2025, 3, 17)), "2025年3月17日");
        assert_eq!(format_date_cn(date(2025, 11, 3)), "2025年11月3日");
    }

    #[test]
    fn numbers_keep_their_core() {
        assert_eq!(normalize_number("第214号").as_deref(), Some("214"));
        assert_eq!(normalize_number("２１４").as_deref(), Some("214"));
        assert_eq!(normalize_number(" 0012 ").as_deref(), Some("0012"));
        assert_eq!(normalize_number("A-12").as_deref(), Some("A-12"));
        assert_eq!(normalize_number("第号"), None);
        assert_eq!(normalize_number("二百一十四"), None);
        assert_eq!(normalize_number("ABC"), None);
    }

    #[test]
    fn phones_as_offices_write_them() {
        for ok in ["", "0909-5321234", "13899887766", "(0909) 532 1234", "0909-5321234转8012", "+86 138 9988 7766"] {
            assert!(is_valid_phone(ok), "{ok}");
        }
        for bad in ["1234", "电话", "138-abc-7766"] {
            assert!(!is_valid_phone(bad), "{bad}");
        }
    }

    #[test]
    fn titles_lose_one_outer_pair_of_book_marks() {
        assert_eq!(normalize_title("《关于建设老年人日间照料中心的提案》"), "关于建设老年人日间照料中心的提案");
        assert_eq!(normalize_title("关于《精河县志》编纂的建议"), "关于《精河县志》编纂的建议");
        assert_eq!(normalize_title("《精河县志》与《枸杞》"), "《精河县志》与《枸杞》");
        assert_eq!(normalize_title("《关于《精河县志》编纂的建议》"), "关于《精河县志》编纂的建议");
    }

    #[test]
    fn short_unit_names_are_told_from_other_units() {
        for (short, full) in [
            ("州发改委", "州发展和改革委员会"), ("州卫健委", "州卫生健康委员会"), ("州文旅局", "州文化和旅游局"),
            ("州人社局", "州人力资源和社会保障局"), ("州住建局", "州住房和城乡建设局"), ("州工信局", "州工业和信息化局"),
            ("县人社局", "县人力资源和社会保障局"), ("县发改委", "精河县发展和改革委员会"), ("发改委", "精河县发展和改革委员会"),
        ] {
            assert!(abbreviates(short, full), "{short} ↔ {full}");
        }
        for (short, full) in [
            ("州发改委", "州财政局"), ("县教育局", "州教育局"), ("州人社局", "州人民政府办公室"), ("州发改委", "州发改委"),
            ("局", "州教育局"), ("州住建局", "州住房和城乡建设委员会"), ("河县局", "精河县教育局"),
        ] {
            assert!(!abbreviates(short, full), "{short} is not {full}");
        }
    }
}

/// Why a file could not be read or written, in the clerk's words (the system's own text is
/// English on many PCs and says little to her).
pub fn io_reason(error: &std::io::Error) -> &'static str {
    // Windows's own codes for a file another program holds open (ERROR_SHARING_VIOLATION,
    // ERROR_LOCK_VIOLATION), which std leaves uncategorised.
    #[cfg(windows)]
    if matches!(error.raw_os_error(), Some(32 | 33)) {
        return "文件正被别的程序打开";
    }
    match error.kind() {
        std::io::ErrorKind::NotFound => "文件不存在或已被移走",
        std::io::ErrorKind::PermissionDenied => "没有读写这个文件的权限，或文件正被别的程序打开",
        std::io::ErrorKind::AlreadyExists => "同名文件已经存在",
        _ => "系统无法读写这个文件",
    }

}
