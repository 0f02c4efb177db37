//! Which session each row goes to. A list from an upper body belongs to the one session the
//! clerk chooses; her own ledger of several years and streams says it row by row: a 届次
//! cell (州十六届人大二次会议) names the session, a 类型 cell (州人大建议, 政协) its stream,
//! and the sheet its year (2023年, in its name, its title or its dates). A session the ledger
//! does not have yet is proposed, and added with the import when the clerk agrees.

use super::columns::squeeze;
use super::preview::NewSession;
use crate::model::{stream_words, Kind, Level, Session, Stream};
use crate::text::clean;

/// The sessions rows go to: the clerk's choice for the whole file, or each row's own.
pub(super) struct Routing<'a> {
    known: &'a [Session],
    chosen: Option<&'a Session>,
    /// Sessions the ledger lacks, proposed by rows, in the order of their stand-in ids
    /// (-1, -2 …).
    pub proposed: Vec<NewSession>,
}

impl<'a> Routing<'a> {
    pub fn new(known: &'a [Session], chosen: Option<&'a Session>) -> Routing<'a> {
        Routing { known, chosen, proposed: Vec::new() }
    }

    /// Whether the clerk chose one session for the whole file.
    pub fn chosen(&self) -> Option<&'a Session> {
        self.chosen
    }

    /// The session of a row from its 类型 and 届次 cells and its sheet's year, or why it
    /// cannot be told. A session named by its 届次 is the ledger's of that name; without
    /// one, the ledger's only session of the stream and year. A session the ledger lacks is
    /// proposed (and counted), standing in under a negative id.
    pub fn route(&mut self, stream: &str, session_name: &str, year: Option<i32>) -> Result<Session, String> {
        if let Some(chosen) = self.chosen {
            return Ok(chosen.clone());
        }
        let named = clean(session_name);
        if let Some(session) = self.known.iter().find(|s| !named.is_empty() && squeeze(&s.name) == squeeze(&named)) {
            return Ok(session.clone());
        }
        if named.is_empty() && clean(stream).is_empty() {
            return Err("这一行没有写类型和届次，看不出属于哪个届次。请在上方选择整份文件的届次，或在文件中补上“类型”或“届次”。".into());
        }
        let (level, kind) = stream_words(stream).unwrap_or_default();
        let (Some(level), Some(kind)) = (level.or_else(|| level_in(&named)), kind.or_else(|| kind_in(&named))) else {
            return Err(format!("看不出这一行是哪一级的建议还是提案（类型“{}”，届次“{named}”）。请在类型中写明，如“州人大建议”“县政协提案”。", clean(stream)));
        };
        let Some(year) = year else {
            return Err("看不出这一行是哪一年的：工作表名称、标题和交办日期中都没有年份。请在上方选择届次。".into());
        };
        let stream = Stream { level, kind };
        if named.is_empty() {
            let same: Vec<&Session> = self.known.iter().filter(|s| s.kind == kind && s.level == level && s.year == year).collect();
            match same.as_slice() {
                [one] => return Ok((*one).clone()),
                [] => {}
                _ => return Err(format!("{year}年有几个{}的届次，这一行没有写是哪一个。请在文件中写明“届次”，或在上方选择届次。", stream.label())),
            }
        }
        let name = if named.is_empty() { format!("{year}年{}", stream.label()) } else { named };
        let at = match self.proposed.iter().position(|p| p.name == name && p.kind == kind && p.level == level && p.year == year) {
            Some(at) => at,
            None => {
                self.proposed.push(NewSession { kind, level, year, name: name.clone(), rows: 0 });
                self.proposed.len() - 1
            }
        };
        self.proposed[at].rows += 1;
        Ok(Session { id: -(at as i64 + 1), kind, level, year, name, item_count: 0 })
    }
}

/// The level a session's name says: 全国, 省 (自治区), 州 (市), 县 (区).
fn level_in(name: &str) -> Option<Level> {
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["全国"]) {
        Some(Level::National)
    } else if has(&["省", "自治区"]) {
        Some(Level::Province)
    } else if has(&["州", "市"]) {
        Some(Level::Prefecture)
    } else if has(&["县", "区"]) {
        Some(Level::County)
    } else {
        None
    }
}

/// The kind a session's name says: 人大 (代表) for 建议, 政协 (委员) for 提案.
fn kind_in(name: &str) -> Option<Kind> {
    if name.contains("人大") || name.contains("代表") {
        Some(Kind::Suggestion)
    } else if name.contains("政协") || name.contains("委员") {
        Some(Kind::Proposal)
    } else {
        None
    }
}

/// The year a sheet holds: the one its name says (2023年, 2023), else the one its title rows
/// say, else the year most of its 交办日期 fall in.
pub(super) fn sheet_year(name: &str, title_rows: &[Vec<String>], dates: impl Iterator<Item = chrono::NaiveDate>) -> Option<i32> {
    let written = |text: &str| -> Option<i32> {
        let chars: Vec<char> = crate::text::to_half_width(text).chars().collect();
        (0..chars.len().saturating_sub(3)).find_map(|i| {
            let digits: String = chars[i..i + 4].iter().collect();
            let alone = (i == 0 || !chars[i - 1].is_ascii_digit()) && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
            digits.parse::<i32>().ok().filter(|y| alone && (2000..=2100).contains(y))
        })
    };
    let mut counted: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
    for date in dates {
        *counted.entry(chrono::Datelike::year(&date)).or_default() += 1;
    }
    let most = counted.into_iter().max_by_key(|(year, count)| (*count, *year)).map(|(year, _)| year);
    written(name).or_else(|| title_rows.iter().flatten().find_map(|cell| written(cell))).or(most)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: i64, kind: Kind, level: Level, year: i32, name: &str) -> Session {
        Session { id, kind, level, year, name: name.into(), item_count: 0 }
    }

    #[test]
    fn a_row_goes_to_the_session_its_cells_and_sheet_say_or_one_is_proposed() {
        let known = [
            session(1, Kind::Suggestion, Level::Prefecture, 2024, "州十六届人大一次会议"),
            session(2, Kind::Proposal, Level::Prefecture, 2024, "州政协十三届三次会议"),
            session(3, Kind::Proposal, Level::Prefecture, 2023, "州政协十三届二次会议"),
            session(4, Kind::Proposal, Level::Prefecture, 2023, "州政协十三届一次会议（补）"),
        ];
        let mut routing = Routing::new(&known, None);
        assert_eq!(routing.route("", "州十六届人大一次会议 ", Some(2024)).map(|s| s.id), Ok(1));
        assert_eq!(routing.route("州政协提案", "", Some(2024)).map(|s| s.id), Ok(2));
        assert!(routing.route("州政协提案", "", Some(2023)).unwrap_err().contains("有几个州政协提案的届次"));
        let new = routing.route("州人大建议", "州十五届人大五次会议", Some(2021)).unwrap();
        assert_eq!((new.id, new.kind, new.level, new.year), (-1, Kind::Suggestion, Level::Prefecture, 2021));
        assert_eq!(routing.route("人大", "州十五届人大五次会议", Some(2021)).map(|s| s.id), Ok(-1), "one proposal, counted twice");
        assert_eq!(routing.route("县政协提案", "", Some(2022)).map(|s| (s.id, s.name)), Ok((-2, "2022年县政协提案".to_string())));
        assert_eq!(routing.proposed.iter().map(|p| p.rows).collect::<Vec<_>>(), [2, 1]);
        assert!(routing.route("", "", Some(2024)).unwrap_err().contains("没有写类型和届次"));
        assert!(routing.route("州政协", "", None).unwrap_err().contains("哪一年"));
        assert!(routing.route("城乡建设", "", Some(2024)).unwrap_err().contains("哪一级"));
        let mut chosen = Routing::new(&known, Some(&known[2]));
        assert_eq!(chosen.route("州人大建议", "", Some(2024)).map(|s| s.id), Ok(3), "the clerk's choice stands");
    }

    #[test]
    fn a_sheets_year_comes_from_its_name_its_title_or_its_dates() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(sheet_year("2023年", &[], std::iter::empty()), Some(2023));
        assert_eq!(sheet_year("Sheet1", &[vec!["2022年州人大代表建议办理台账".into()]], std::iter::empty()), Some(2022));
        assert_eq!(sheet_year("台账", &[], [day(2021, 3, 1), day(2021, 4, 1), day(2022, 1, 5)].into_iter()), Some(2021));
        assert_eq!(sheet_year("第12345号", &[], std::iter::empty()), None);
    }
}
