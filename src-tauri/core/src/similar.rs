//! 相似件: the items of all years whose title or text is like a given one, ranked, with the
//! reason; and the category and units the most similar items had, proposed at intake and
//! import. Chinese has no spaces, so a text is read as its pairs of neighbouring characters
//! (提高教师待遇 → 提高 高教 教师 师待 待遇) and ranked by BM25 over those pairs: a pair few
//! items share counts much, one most items share (关于, 加强) almost nothing, and a long
//! text does not win by length. The title counts twice as much as the text. No model, no
//! network: the figures can be explained pair by pair.
//!
//! The index is held in memory (about 6 MB at 50,000 items) and asked in well under a
//! millisecond; it is built from the items once and again only when their words change
//! (migration 009 counts such changes), so typing a title asks the same index again and
//! again. See [`Db::similar_items`] and [`Db::suggestions`].

use crate::db::Db;
use crate::error::Result;
use crate::likeness::{Found, Probe, SimilarIndex, SHOWN_FROM};
use crate::model::Kind;
use crate::queries::similar::{build_index, holdings, Holding};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// How many similar items are listed, and how many of them propose the category and units.
const LISTED: usize = 8;

/// A similar item as the clerk sees it: where it is, what became of it, and why it is shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimilarItem {
    pub id: i64,
    pub year: i32,
    pub kind: Kind,
    pub session_name: String,
    pub number: String,
    pub title: String,
    pub proposer_label: String,
    pub lead_unit: Option<String>,
    pub assist_units: Vec<String>,
    pub category: Option<String>,
    /// The formal reply's class (A, B, C), when it was replied.
    pub class: Option<String>,
    /// 0 to 100.
    pub similarity: u32,
    /// The words of the titles both share.
    pub shared_words: Vec<String>,
    pub same_proposer: bool,
    /// The link the clerk made to it (同类, 重复提出), if any.
    pub link: Option<String>,
}

/// One proposal of a field: the category or unit, and how many of the similar items had it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
    pub items: usize,
    /// Its share of the similar items' weight, 0 to 100.
    pub share: u32,
}

/// What the similar items propose for a new item: each list best first (empty: no proposal).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Suggestions {
    pub category: Vec<Choice>,
    pub lead_unit: Vec<Choice>,
    pub assist_units: Vec<Choice>,
    /// How many similar items the proposals come from.
    pub from_items: usize,
}

/// An assisting unit is proposed when items holding this share of the weight had it.
const ASSIST_SHARE: f32 = 0.5;

/// The similar items and what they propose, for the intake form and the item view.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SimilarView {
    pub items: Vec<SimilarItem>,
    pub suggestions: Suggestions,
}

/// Adds up the weight each choice gets from the items, and lists them best first.
fn ranked(votes: impl IntoIterator<Item = ((i64, String), f32)>, total: f32) -> Vec<Choice> {
    let mut sums: Vec<((i64, String), f32, usize)> = Vec::new();
    for (choice, weight) in votes {
        match sums.iter_mut().find(|(c, _, _)| c.0 == choice.0) {
            Some(sum) => {
                sum.1 += weight;
                sum.2 += 1;
            }
            None => sums.push((choice, weight, 1)),
        }
    }
    sums.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.2.cmp(&a.2)));
    sums.into_iter()
        .map(|((id, name), weight, items)| Choice { id, name, items, share: (100.0 * weight / total.max(f32::MIN_POSITIVE)).round() as u32 })
        .collect()
}

/// What `found` proposes for an item of `kind`: the category of its kind's items, the lead
/// unit and the assisting units (those of at least half the weight), each weighed by how
/// similar the item is.
pub fn propose(conn: &Connection, found: &[Found], kind: Option<Kind>) -> Result<Suggestions> {
    let ids: Vec<i64> = found.iter().map(|f| f.id).collect();
    Ok(propose_from(&holdings(conn, &ids)?, found, kind))
}

/// [`propose`] from what the items hold, read already.
fn propose_from(held: &HashMap<i64, Holding>, found: &[Found], kind: Option<Kind>) -> Suggestions {
    let weighed = || found.iter().filter_map(|f| held.get(&f.id).map(|h| (h, f.similarity)));
    let of_kind = || weighed().filter(|(h, _)| kind.is_none_or(|k| h.kind == k));
    let category_total: f32 = of_kind().filter(|(h, _)| h.category.is_some()).map(|(_, w)| w).sum();
    let category = ranked(of_kind().filter_map(|(h, w)| h.category.clone().map(|c| (c, w))), category_total);
    let lead_total: f32 = weighed().filter(|(h, _)| h.lead.is_some()).map(|(_, w)| w).sum();
    let lead_unit = ranked(weighed().filter_map(|(h, w)| h.lead.clone().map(|u| (u, w))), lead_total);
    let lead_id = lead_unit.first().map(|c| c.id);
    let assist_units = ranked(weighed().flat_map(|(h, w)| h.assists.iter().map(move |u| (u.clone(), w))), lead_total)
        .into_iter()
        .filter(|c| Some(c.id) != lead_id && c.share as f32 >= 100.0 * ASSIST_SHARE)
        .collect();
    let from_items = found.iter().filter(|f| held.contains_key(&f.id)).count();
    Suggestions { category, lead_unit, assist_units, from_items }
}

impl Db {
    /// The index of the ledger's items as they are now: the one held, unless the items'
    /// words changed since it was built.
    pub fn similar_index(&self) -> Result<Arc<SimilarIndex>> {
        let changes = crate::queries::similar::word_changes(&self.conn)?;
        if let Some((built_at, index)) = self.similar.borrow().as_ref() {
            if *built_at == changes {
                return Ok(index.clone());
            }
        }
        let index = Arc::new(build_index(&self.conn, None)?);
        *self.similar.borrow_mut() = Some((changes, index.clone()));
        Ok(index)
    }

    /// The items like `probe` (shown from [`SHOWN_FROM`]), read whole, with the links the
    /// clerk made to `probe.except` and their reply classes as of `today`'s work year; and
    /// what they propose.
    pub fn similar_items(&self, probe: &Probe, today: chrono::NaiveDate) -> Result<SimilarView> {
        crate::queries::work::ensure(&self.conn, chrono::Datelike::year(&today))?;
        let index = self.similar_index()?;
        let found = index.find(probe, SHOWN_FROM, LISTED);
        let ids: Vec<i64> = found.iter().map(|f| f.id).collect();
        let mut rows: HashMap<i64, crate::model::ItemRow> = crate::queries::items::rows_by_id(&self.conn, &ids)?.into_iter().map(|r| (r.id, r)).collect();
        let classes = crate::queries::work::reply_classes(&self.conn, &ids)?;
        let links = match probe.except {
            Some(id) => self.links(id)?,
            None => Vec::new(),
        };
        let items = found
            .iter()
            .filter_map(|f| rows.remove(&f.id).map(|row| (f, row)))
            .map(|(f, row)| SimilarItem {
                shared_words: index.shared_words(&probe.title, &row.title),
                similarity: (f.similarity * 100.0).round() as u32,
                same_proposer: f.same_proposer,
                class: classes.get(&row.id).cloned(),
                link: links.iter().find(|l| l.other.id == row.id).map(|l| l.kind.as_str().to_string()),
                id: row.id,
                year: row.year,
                kind: row.kind,
                session_name: row.session_name,
                number: row.number,
                title: row.title,
                proposer_label: row.proposer_label,
                lead_unit: row.lead_unit,
                assist_units: row.assist_units,
                category: row.category,
            })
            .collect();
        Ok(SimilarView { items, suggestions: propose(&self.conn, &found, probe.kind)? })
    }
}


/// What [`SimilarIndex::find`] answers each probe, the probes shared among the computer's
/// cores: a list of 1,000 rows asks the index a thousand questions (0.2 ms each at 50,000
/// items), and the index is only read.
fn find_each(index: &SimilarIndex, probes: &[Probe]) -> Vec<Vec<Found>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let share = probes.len().div_ceil(cores).max(1);
    std::thread::scope(|scope| {
        let parts: Vec<_> = probes.chunks(share).map(|part| scope.spawn(move || part.iter().map(|probe| index.find(probe, SHOWN_FROM, LISTED)).collect::<Vec<_>>())).collect();
        parts.into_iter().flat_map(|part| part.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    })
}

/// How many similar items a row of a list being brought in names.
const NAMED_PER_ROW: usize = 3;

/// What the similar items say of one row of a list being brought in.
pub(crate) struct RowLikeness {
    /// The most similar items, a line each: 2024年 第12号《…》 相似63%.
    pub similar: Vec<String>,
    /// What they propose, for a row that asked (one that leaves its category or units empty).
    pub proposed: Option<Suggestions>,
}

impl Db {
    /// The items most like each row of a list (`probes`, with whether the row asks for
    /// proposals), and what they propose: one index for the whole list, the named items read
    /// at once.
    pub(crate) fn likeness_of_rows(&self, probes: &[(Probe, bool)]) -> Result<Vec<RowLikeness>> {
        let index = self.similar_index()?;
        let found = find_each(&index, &probes.iter().map(|(probe, _)| probe.clone()).collect::<Vec<_>>());
        let unique = |ids: &mut Vec<i64>| {
            ids.sort_unstable();
            ids.dedup();
        };
        let mut named: Vec<i64> = found.iter().flat_map(|f| f.iter().take(NAMED_PER_ROW).map(|x| x.id)).collect();
        unique(&mut named);
        let rows: HashMap<i64, crate::model::ItemRow> = crate::queries::items::rows_by_id(&self.conn, &named)?.into_iter().map(|r| (r.id, r)).collect();
        // What every item a row may be proposed from holds, read at once.
        let mut weighed: Vec<i64> = probes.iter().zip(&found).filter(|((_, asks), _)| *asks).flat_map(|(_, f)| f.iter().map(|x| x.id)).collect();
        unique(&mut weighed);
        let held = holdings(&self.conn, &weighed)?;
        Ok(probes
            .iter()
            .zip(&found)
            .map(|((probe, asks), found)| RowLikeness {
                similar: found
                    .iter()
                    .take(NAMED_PER_ROW)
                    .filter_map(|f| rows.get(&f.id).map(|r| format!("{}年 第{}号《{}》 相似{}%", r.year, r.number, r.title, (f.similarity * 100.0).round())))
                    .collect(),
                proposed: (*asks && !found.is_empty()).then(|| propose_from(&held, found, probe.kind)),
            })
            .collect())
    }
}

/// How often the proposals of one field were right in a replay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Hits {
    /// Items that have the field, so a proposal can be checked.
    pub asked: usize,
    /// Items for which something was proposed.
    pub proposed: usize,
    /// The first proposal was the item's own; one of the first three was.
    pub top1: usize,
    pub top3: usize,
}

impl Hits {
    fn count(&mut self, actual: Option<i64>, choices: &[Choice]) {
        let Some(actual) = actual else { return };
        self.asked += 1;
        self.proposed += usize::from(!choices.is_empty());
        self.top1 += usize::from(choices.first().is_some_and(|c| c.id == actual));
        self.top3 += usize::from(choices.iter().take(3).any(|c| c.id == actual));
    }

    fn add(&mut self, other: Hits) {
        self.asked += other.asked;
        self.proposed += other.proposed;
        self.top1 += other.top1;
        self.top3 += other.top3;
    }
}

/// One year of a replay: its items proposed for from the years before it alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct YearReplay {
    pub year: i32,
    pub items: usize,
    /// How many items of the earlier years the proposals could come from.
    pub earlier_items: usize,
    pub category: Hits,
    pub lead_unit: Hits,
    /// The time of one proposal (finding the similar items and weighing them), in ms.
    pub ms_per_suggestion: f64,
}

/// Replays the ledger year by year as if each year's items were being registered: each is
/// proposed a category and a 主办 unit from the items of the earlier years only, and the
/// proposals are checked against what the item has. The first year has nothing before it.
fn replay(conn: &Connection) -> Result<Vec<YearReplay>> {
    let mut replays = Vec::new();
    for year in crate::queries::sessions::years(conn)?.into_iter().skip(1) {
        let index = build_index(conn, Some(year))?;
        let items = crate::queries::similar::replayed_items(conn, year)?;
        let mut replay = YearReplay { year, items: items.len(), earlier_items: index.len(), ..Default::default() };
        let started = std::time::Instant::now();
        for item in &items {
            let proposed = propose(conn, &index.find(&item.probe, SHOWN_FROM, LISTED), item.probe.kind)?;
            replay.category.count(item.category, &proposed.category);
            replay.lead_unit.count(item.lead, &proposed.lead_unit);
        }
        replay.ms_per_suggestion = started.elapsed().as_secs_f64() * 1000.0 / items.len().max(1) as f64;
        replays.push(replay);
    }
    Ok(replays)
}

/// The years of a replay added up (the time weighed by items).
pub fn replay_total(years: &[YearReplay]) -> YearReplay {
    let mut total = YearReplay::default();
    let mut ms = 0.0;
    for y in years {
        total.items += y.items;
        total.earlier_items = total.earlier_items.max(y.earlier_items);
        total.category.add(y.category);
        total.lead_unit.add(y.lead_unit);
        ms += y.ms_per_suggestion * y.items as f64;
    }
    total.ms_per_suggestion = ms / total.items.max(1) as f64;
    total
}

impl Db {
    /// The replay of the ledger's years (see [`replay`]): how right the proposals would have
    /// been, year by year, and how long each took.
    pub fn replay_proposals(&self) -> Result<Vec<YearReplay>> {
        replay(&self.conn)
    }
}
