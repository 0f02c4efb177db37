//! How alike two texts are: each item's title and text as pairs of neighbouring characters,
//! and BM25 over them (similar.rs says why). Pure and in memory: the store hands it the
//! items one by one (queries/similar.rs), and it is asked without the ledger.

use crate::model::Kind;
use crate::text::to_half_width;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// BM25's two constants, at their usual values: how soon a repeated pair stops counting
/// more, and how much a text's length is allowed for.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// How much more a pair of the title counts than a pair of the text.
const TITLE_WEIGHT: f32 = 2.0;
/// A same-proposer item ranks this much higher (a proposer raising a matter again).
const SAME_PROPOSER: f32 = 1.25;
/// Items less similar than this (to the probe's score against itself) are not shown.
pub const SHOWN_FROM: f32 = 0.3;
/// At most this much of the text is read for a probe: the opening says what the matter is.
const PROBE_TEXT: usize = 300;
/// The words of a title's frame, taken off before its pairs are read.
const FRAME_START: &[&str] = &["关于进一步", "关于"];
const FRAME_END: &[&str] = &["方面的建议", "方面的提案", "问题的建议", "问题的提案", "的建议", "的提案", "建议", "提案"];

/// The core of a title: 关于提高教师待遇的建议 → 提高教师待遇.
pub fn title_core(title: &str) -> String {
    let title = to_half_width(title.trim());
    let mut core = title.as_str();
    if let Some(rest) = FRAME_START.iter().find_map(|start| core.strip_prefix(start)) {
        core = rest;
    }
    // A number in brackets after the title (（214）) is not part of the matter.
    let core = core.trim_end_matches(|c: char| c.is_ascii_digit() || "()（）".contains(c));
    FRAME_END.iter().find_map(|end| core.strip_suffix(end)).unwrap_or(core).to_string()
}

/// A character that belongs to a word (Chinese, letters, digits); anything else breaks pairs.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The pairs of neighbouring word characters of `text`, each as one number.
fn pairs(text: &str) -> Vec<u64> {
    let chars: Vec<char> = to_half_width(text).to_lowercase().chars().collect();
    chars.windows(2).filter(|w| is_word_char(w[0]) && is_word_char(w[1])).map(|w| (w[0] as u64) << 32 | w[1] as u64).collect()
}

/// The first `limit` characters of a text.
fn opening(text: &str, limit: usize) -> &str {
    text.char_indices().nth(limit).map_or(text, |(at, _)| &text[..at])
}

/// Hashes a pair (two characters in one number) with SplitMix64's finisher. Building the
/// index at 50,000 items looks up a million pairs, and the standard hasher (SipHash, made to
/// withstand keys chosen to collide, which titles are not) took most of that time.
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, pair: u64) {
        self.0 = pair;
    }

    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// How much a pair found `count` times counts in an item `length` pairs long, fields of
/// `average` length (BM25's term without the pair's rarity).
fn saturation(count: f32, length: u32, average: f32) -> f32 {
    count * (K1 + 1.0) / (count + K1 * (1.0 - B + B * length as f32 / average))
}

/// One field of the index (the titles, or the texts): for each pair, the items that have it
/// and how much it counts in each (how often, until [`Field::finish`] weighs that by the
/// item's length, once, instead of for every question); and each item's length in pairs.
#[derive(Default)]
struct Field {
    postings: HashMap<u64, Vec<(u32, f32)>, BuildHasherDefault<PairHasher>>,
    lengths: Vec<u32>,
    average: f32,
}

impl Field {
    fn add(&mut self, doc: u32, mut pairs: Vec<u64>) {
        self.lengths.push(pairs.len() as u32);
        pairs.sort_unstable();
        for run in pairs.chunk_by(|a, b| a == b) {
            self.postings.entry(run[0]).or_default().push((doc, run.len() as f32));
        }
    }

    /// A pair in more than half of the items (关于, 加强 in most ledgers) counts for almost
    /// nothing (its rarity is below ln 2) and would be read for every item: it is not asked.
    fn worth_asking(&self, pair: u64) -> bool {
        let n = self.lengths.len();
        n < 20 || self.postings.get(&pair).is_some_and(|p| p.len() * 2 <= n)
    }

    fn finish(&mut self) {
        let total: u64 = self.lengths.iter().map(|l| *l as u64).sum();
        self.average = (total as f32 / self.lengths.len().max(1) as f32).max(1.0);
        let (lengths, average) = (&self.lengths, self.average);
        for posting in self.postings.values_mut() {
            for (doc, count) in posting {
                *count = saturation(*count, lengths[*doc as usize], average);
            }
        }
    }

    /// How rare a pair is: BM25's inverse document frequency (never below zero).
    fn rarity(&self, pair: u64) -> f32 {
        let n = self.lengths.len() as f32;
        let df = self.postings.get(&pair).map_or(0, |p| p.len()) as f32;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// Adds `weight` × the BM25 score of `probe` to each item's score.
    fn score(&self, probe: &Pairs, weight: f32, scores: &mut [f32]) {
        for pair in probe.keys().filter(|p| self.worth_asking(**p)) {
            let Some(posting) = self.postings.get(pair) else { continue };
            let weight = weight * self.rarity(*pair);
            for &(doc, weighed) in posting {
                scores[doc as usize] += weight * weighed;
            }
        }
    }

    /// The probe's score against an item made of the probe itself (over the pairs asked,
    /// and those no item has).
    fn own_score(&self, probe: &Pairs, length: u32) -> f32 {
        probe
            .iter()
            .filter(|(pair, _)| !self.postings.contains_key(pair) || self.worth_asking(**pair))
            .map(|(pair, count)| self.rarity(*pair) * saturation(*count as f32, length, self.average))
            .sum()
    }
}

/// A probe's pairs and how often each occurs, in the order of the pairs: the scores are
/// summed in that order, so one question always gets the same figures to the last bit
/// (a hash map's order changes from one map to the next, and with it the sums' rounding).
type Pairs = BTreeMap<u64, u16>;

/// What the index holds of an item besides its words.
struct Doc {
    id: i64,
    year: i32,
    lead_proposer: String,
}

/// The words of the items: empty at first, the items added with [`SimilarIndex::add`], then
/// readied for asking with [`SimilarIndex::finish`].
#[derive(Default)]
pub struct SimilarIndex {
    docs: Vec<Doc>,
    titles: Field,
    texts: Field,
}

/// What an item is compared by: a title, maybe a text and proposers; the item itself (when
/// it is in the ledger) is left out, and `before_year` keeps to earlier years.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Probe {
    pub title: String,
    pub text: String,
    pub proposers: Vec<String>,
    /// The kind of the item (建议 or 提案): a category is proposed from items of its kind.
    pub kind: Option<Kind>,
    pub except: Option<i64>,
    pub before_year: Option<i32>,
}

/// One similar item found by the index, before it is read from the ledger.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    pub id: i64,
    /// The score over the probe's score against itself, 0 to 1.
    pub similarity: f32,
    pub same_proposer: bool,
}

impl SimilarIndex {
    /// Adds an item: its id, year, title, text and first proposer.
    pub fn add(&mut self, id: i64, year: i32, title: &str, text: &str, lead_proposer: String) {
        let doc = self.docs.len() as u32;
        self.titles.add(doc, pairs(&title_core(title)));
        self.texts.add(doc, pairs(text));
        self.docs.push(Doc { id, year, lead_proposer });
    }

    /// Readies the index for asking, once every item is added.
    pub fn finish(mut self) -> SimilarIndex {
        self.titles.finish();
        self.texts.finish();
        self
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The items most like `probe`, most similar first, at least `from` similar; at most `limit`.
    pub fn find(&self, probe: &Probe, from: f32, limit: usize) -> Vec<Found> {
        let count = |pairs: &[u64]| {
            let mut counts = Pairs::new();
            for pair in pairs {
                *counts.entry(*pair).or_default() += 1;
            }
            counts
        };
        let title_pairs = pairs(&title_core(&probe.title));
        let all_pairs: Vec<u64> = title_pairs.iter().copied().chain(pairs(opening(&probe.text, PROBE_TEXT))).collect();
        if title_pairs.is_empty() || self.docs.is_empty() || limit == 0 {
            return Vec::new();
        }
        // Titles are compared with the title; texts with the title and the text's opening.
        let title_counts = count(&title_pairs);
        let mut scores = vec![0f32; self.docs.len()];
        self.titles.score(&title_counts, TITLE_WEIGHT, &mut scores);
        self.texts.score(&count(&all_pairs), 1.0, &mut scores);
        // 100% is an item whose title is the probe's: what the text adds counts beyond it.
        let own = TITLE_WEIGHT * self.titles.own_score(&title_counts, title_pairs.len() as u32);
        if own <= 0.0 {
            return Vec::new(); // a title of words nearly every item has
        }
        let proposers: Vec<&str> = probe.proposers.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
        let most_similar_first = |a: &Found, b: &Found| b.similarity.total_cmp(&a.similarity).then(b.id.cmp(&a.id));
        // The best `limit` so far, most similar first, the items asked newest first (the docs
        // are in the order of their ids). A title of a common topic is like thousands of
        // items: one that cannot pass the last of the best even with the same proposer (on
        // the same similarity the newer item goes first) is left before its record is read.
        let mut found: Vec<Found> = Vec::with_capacity(limit + 1);
        for (doc, &score) in scores.iter().enumerate().rev() {
            let bound = score * SAME_PROPOSER / own;
            if score <= 0.0 || bound < from || (found.len() == limit && bound.min(1.0) <= found[limit - 1].similarity) {
                continue;
            }
            let d = &self.docs[doc];
            if Some(d.id) == probe.except || probe.before_year.is_some_and(|y| d.year >= y) {
                continue;
            }
            let same_proposer = !d.lead_proposer.is_empty() && proposers.contains(&d.lead_proposer.as_str());
            let score = if same_proposer { score * SAME_PROPOSER } else { score };
            let similarity = (score / own).min(1.0);
            if similarity < from {
                continue;
            }
            let candidate = Found { id: d.id, similarity, same_proposer };
            let at = found.partition_point(|f| most_similar_first(f, &candidate).is_lt());
            if at < limit {
                found.insert(at, candidate);
                found.truncate(limit);
            }
        }
        found
    }

    /// The words two titles share, longest first: runs of two characters or more, leaving
    /// out runs whose every pair is in more than a quarter of the items (加强, 建设).
    pub fn shared_words(&self, a: &str, b: &str) -> Vec<String> {
        let common = self.docs.len() as f32 * 0.25;
        common_runs(&title_core(a), &title_core(b))
            .into_iter()
            .filter(|word| self.docs.len() < 8 || pairs(word).iter().any(|p| (self.titles.postings.get(p).map_or(0, |p| p.len()) as f32) <= common))
            .collect()
    }
}

/// The runs of two or more characters `a` and `b` share, longest first, each character used
/// once (at most five runs).
fn common_runs(a: &str, b: &str) -> Vec<String> {
    let mut a: Vec<Option<char>> = a.chars().map(|c| is_word_char(c).then_some(c)).collect();
    let mut b: Vec<Option<char>> = b.chars().map(|c| is_word_char(c).then_some(c)).collect();
    let mut runs = Vec::new();
    while runs.len() < 5 {
        // The longest common run (dynamic programming over the two short titles).
        let (mut best, mut end_a, mut end_b) = (0, 0, 0);
        let mut previous = vec![0usize; b.len() + 1];
        for i in 1..=a.len() {
            let mut row = vec![0usize; b.len() + 1];
            for j in 1..=b.len() {
                if a[i - 1].is_some() && a[i - 1] == b[j - 1] {
                    row[j] = previous[j - 1] + 1;
                    if row[j] > best {
                        (best, end_a, end_b) = (row[j], i, j);
                    }
                }
            }
            previous = row;
        }
        if best < 2 {
            break;
        }
        runs.push(a[end_a - best..end_a].iter().flatten().collect());
        a[end_a - best..end_a].fill(None);
        b[end_b - best..end_b].fill(None);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_read_without_its_frame() {
        assert_eq!(title_core("关于提高教师待遇的建议"), "提高教师待遇");
        assert_eq!(title_core("关于进一步加强农村公路养护方面的提案"), "加强农村公路养护");
        assert_eq!(title_core("关于加强冬季供暖保障的建议（214）"), "加强冬季供暖保障");
        assert_eq!(title_core("城区停车难"), "城区停车难");
    }

    #[test]
    fn pairs_do_not_cross_punctuation() {
        assert_eq!(pairs("供水、供暖").len(), 2);
        assert_eq!(pairs("ＡＢ"), pairs("ab"));
    }

    #[test]
    fn shared_runs_are_found_longest_first_each_character_once() {
        assert_eq!(common_runs("提高教师待遇", "进一步提高乡村教师待遇"), ["教师待遇", "提高"]);
        assert!(common_runs("农村公路养护", "教师待遇").is_empty());
    }
}
