//! A mutation fuzzer for the two doors through which an outsider's file reaches the ledger:
//! the importer (.xlsx, .xls, .csv in UTF-8 and GBK) and the check of a file to restore.
//! It starts from seeds (the reproducers in tests/fixtures/hostile/, lists made here in the
//! shapes clerks send, a small ledger) and mutates them: an .xlsx is unpacked and the XML
//! inside is mutated (cell references, numbers, repeated rows, cut tags) before it is packed
//! again; other files are mutated byte by byte. The oracle: no panic escapes, no abort (that
//! would end this process), and every answer is `Ok` or a Chinese message. Panics that the
//! importer's own guard caught are counted too, as findings. Deterministic for a seed.

use ledger_core::demo::Dice as Rng;
use ledger_core::import::ImportOptions;
use ledger_core::Db;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Which door a seed goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Import,
    Restore,
}

/// A file to start mutating from.
#[derive(Debug, Clone)]
pub struct Seed {
    pub name: String,
    pub bytes: Vec<u8>,
    pub target: Target,
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Report {
    pub inputs: u64,
    pub accepted: u64,
    pub refused: u64,
    /// Panics that escaped the code under test (the oracle's failures), with their input.
    pub escaped: Vec<(String, Vec<u8>)>,
    /// Panics caught inside by the importer's guard (each became a message).
    pub caught: u64,
    /// Where the panics happened (file:line), with how often.
    pub panic_places: std::collections::BTreeMap<String, u64>,
    pub slowest: Duration,
    pub slowest_input: String,
    /// The process's peak resident memory (VmHWM), in MB.
    pub peak_mb: u64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} inputs: {} read, {} refused with a message; {} panics escaped, {} caught by the guard; slowest {:.0} ms ({}); peak memory {} MB",
            self.inputs, self.accepted, self.refused, self.escaped.len(), self.caught, self.slowest.as_secs_f64() * 1000.0, self.slowest_input, self.peak_mb)?;
        for (place, count) in &self.panic_places {
            write!(f, "\n  panic at {place}: {count}")?;
        }
        Ok(())
    }
}

static PANICS: AtomicU64 = AtomicU64::new(0);
static PLACES: std::sync::Mutex<std::collections::BTreeMap<String, u64>> = std::sync::Mutex::new(std::collections::BTreeMap::new());

/// Counts every panic (caught or not) by its place, and keeps the default report quiet.
fn count_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        let place = info.location().map(|l| format!("{}:{}", l.file().rsplit("/src/").next().unwrap_or(l.file()), l.line())).unwrap_or_default();
        *PLACES.lock().unwrap_or_else(|p| p.into_inner()).entry(place).or_default() += 1;
    })));
}

/// The reproducers and fixtures of the repository (tests/fixtures/), and lists made here.
pub fn seeds() -> Vec<Seed> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut seeds = Vec::new();
    let hostile = std::fs::read_dir(fixtures.join("hostile")).expect("tests/fixtures/hostile");
    let mut files: Vec<PathBuf> = hostile.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.push(fixtures.join("交办清单-excel97.xls"));
    files.push(fixtures.join("schema-v1.sqlite3"));
    files.sort();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let target = match path.extension().and_then(|e| e.to_str()) {
            Some("xlsx" | "xls" | "csv") => Target::Import,
            Some("sqlite3") => Target::Restore,
            _ => continue,
        };
        seeds.push(Seed { name, bytes: std::fs::read(&path).expect("a seed"), target });
    }
    let csv = list_csv();
    let gbk = encoding_rs::GBK.encode(&csv).0.into_owned();
    seeds.push(Seed { name: "清单-utf8.csv".into(), bytes: csv.into_bytes(), target: Target::Import });
    seeds.push(Seed { name: "清单-gbk.csv".into(), bytes: gbk, target: Target::Import });
    seeds.push(Seed { name: "清单.xlsx".into(), bytes: list_xlsx(), target: Target::Import });
    seeds.push(Seed { name: "往年台账.csv".into(), bytes: ledger_with_results().into_bytes(), target: Target::Import });
    seeds
}

/// An earlier year's ledger with its results (dates, classes in letters and words, ratings,
/// 面商, publication), which the importer records as workflow steps.
fn ledger_with_results() -> String {
    let mut text = String::from("2024年州人大代表建议办理台账\n建议号,案由,领衔代表,主办单位,协办单位,面商日期,面商方式,答复日期,答复文号,办理结果,满意度,是否公开\n");
    let outcomes = ["A", "已经解决", "列入计划", "B类（正在解决）", "留作参考", "见附件"];
    for n in 1..=12 {
        text += &format!("{n:03},关于第{n}项民生工程的建议,代表{n},州发展和改革委员会,,2024-04-0{},走访,2024.5.{},州政函〔2024〕{n}号,{},{},{}\n",
            n % 9 + 1, n + 10, outcomes[n % 6], ["满意", "基本满意", "不满意", "一般"][n % 4], ["是", "否", "依申请公开", "不予公开"][n % 4]);
    }
    text
}

const HEADER: [&str; 9] = ["序号", "建议号", "案由", "领衔代表", "附议人", "主办单位", "会办单位", "类别", "交办日期"];

fn list_rows() -> Vec<[String; 9]> {
    (1..=12)
        .map(|n| [n.to_string(), format!("{n:03}"), format!("关于第{n}项民生工程的建议"), format!("代表{n}等{}人", n % 5 + 1),
            "张宝成、吕方方".into(), "州发改委".into(), "精河县教育局".into(), "城乡建设".into(), "2025-03-17".into()])
        .collect()
}

fn list_csv() -> String {
    let mut text = format!("2025年州人大代表建议交办清单\n{}\n", HEADER.join(","));
    for row in list_rows() {
        text += &(row.join(",") + "\n");
    }
    text
}

/// A list in the shape bodies send: a merged title row, numbers as numbers and as text.
fn list_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    sheet.merge_range(0, 0, 0, 8, "2025年州人大代表建议交办清单", &plain).unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in list_rows().iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let at = (r as u32 + 2, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if c == 0 || r % 2 == 0 => sheet.write_number(at.0, at.1, n).unwrap(),
                _ => sheet.write_string(at.0, at.1, cell).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

const INTERESTING_TEXT: &[&str] = &[
    "\0", "\"", ",", "\r", "\n", "\u{202E}", "等7人", "第001号", "XFD1048576", "ZZZZZZZZ2", "99999999999999999999",
    "-1", "1e308", "NaN", "<c r=\"A1\"><v>1</v></c>", "]]>", "&#0;", "&amp;", "A0", "",
];
const CELL_REFS: &[&str] = &["A1", "XFD1048576", "ZZZZZZZZ2", "A0", "AAAA99999999", "", "1A", "IV65536", "CV20001", "A4294967296"];
const NUMBERS: &[&str] = &["0", "-1", "1e308", "45000", "2958466", "NaN", "9999999999999999", "0.5", "abc"];

/// Byte-level mutations: flips, interesting bytes and strings, cut and repeated ranges, and
/// pieces of another seed spliced in.
pub fn mutate_bytes(rng: &mut Rng, bytes: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(7) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] = *rng.pick(&[0u8, 0xFF, 0x7F, 0x80, b'"', b',', b'\n']);
            }
            2 => {
                let text = rng.pick(INTERESTING_TEXT).as_bytes();
                out.splice(at..at, text.iter().copied());
            }
            3 => {
                let end = (at + rng.below(64)).min(out.len());
                out.drain(at..end);
            }
            4 => {
                let end = (at + rng.below(256)).min(out.len());
                let piece = out[at..end].to_vec();
                for _ in 0..rng.below(50) {
                    out.splice(at..at, piece.iter().copied());
                }
            }
            5 if !other.is_empty() => {
                let from = rng.below(other.len());
                let end = (from + rng.below(512)).min(other.len());
                out.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                let end = (at + rng.below(8)).min(out.len());
                for b in &mut out[at..end] {
                    *b = rng.next() as u8;
                }
            }
        }
    }
    out
}

/// Replaces the text of one `name="…"` attribute or `<tag>…</tag>` element, chosen at random.
fn replace_one(rng: &mut Rng, text: &mut String, open: &str, close: &str, with: &str) -> bool {
    let starts: Vec<usize> = text.match_indices(open).map(|(i, _)| i + open.len()).collect();
    if starts.is_empty() {
        return false;
    }
    let start = *rng.pick(&starts);
    let Some(len) = text[start..].find(close) else { return false };
    text.replace_range(start..start + len, with);
    true
}

/// An .xlsx unpacked, one part's XML mutated (cell references, values, repeated rows, cuts,
/// or its bytes), and packed again. Falls back to byte mutations for what is not a zip.
pub fn mutate_xlsx(rng: &mut Rng, bytes: &[u8], other: &[u8]) -> Vec<u8> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return mutate_bytes(rng, bytes, other) };
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else { return mutate_bytes(rng, bytes, other) };
        let mut data = Vec::new();
        let Ok(name) = part.name().map(|n| n.into_owned()) else { return mutate_bytes(rng, bytes, other) };
        if part.read_to_end(&mut data).is_err() {
            return mutate_bytes(rng, bytes, other);
        }
        parts.push((name, data));
    }
    let sheets: Vec<usize> = (0..parts.len()).filter(|&i| parts[i].0.contains("worksheets/") || parts[i].0.contains("sharedStrings")).collect();
    let chosen = if sheets.is_empty() || rng.below(5) == 0 { rng.below(parts.len()) } else { *rng.pick(&sheets) };
    let data = &mut parts[chosen].1;
    let kind = rng.below(6);
    let mutated = match String::from_utf8(data.clone()) {
        Ok(mut xml) if kind < 5 => {
            let done = match kind {
                0 => {
                    let with = *rng.pick(CELL_REFS);
                    replace_one(rng, &mut xml, " r=\"", "\"", with)
                }
                1 => {
                    let with = *rng.pick(NUMBERS);
                    replace_one(rng, &mut xml, "<v>", "</v>", with)
                }
                2 => {
                    let with = "长".repeat(rng.below(40_000));
                    replace_one(rng, &mut xml, "<t>", "</t>", &with)
                }
                3 => match (xml.find("<row"), xml.find("</row>")) {
                    (Some(start), Some(end)) if start < end => {
                        let row = xml[start..end + 6].to_string();
                        let times = rng.below(3000);
                        xml.insert_str(end + 6, &row.repeat(times));
                        true
                    }
                    _ => false,
                },
                _ => {
                    let at = rng.below(xml.len());
                    let end = (at + rng.below(200)).min(xml.len());
                    let cut = xml.is_char_boundary(at) && xml.is_char_boundary(end);
                    if cut {
                        xml.replace_range(at..end, "");
                    }
                    cut
                }
            };
            done.then(|| xml.into_bytes())
        }
        _ => None,
    };
    *data = mutated.unwrap_or_else(|| mutate_bytes(rng, data, other));
    let mut packed = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in &parts {
        if packed.start_file(name.as_str(), options).is_err() || packed.write_all(data).is_err() {
            return mutate_bytes(rng, bytes, other);
        }
    }
    packed.finish().map(|c| c.into_inner()).unwrap_or_else(|_| mutate_bytes(rng, bytes, other))
}

/// A ledger file mutated where it hurts most: the header (page size, page count, schema
/// version, encoding) or any byte of any page.
fn mutate_ledger(rng: &mut Rng, bytes: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if out.len() >= 100 && rng.below(2) == 0 {
        let field = *rng.pick(&[16usize, 18, 19, 20, 28, 32, 44, 48, 56, 60, 96]);
        for b in &mut out[field..field + 4] {
            *b = rng.next() as u8;
        }
        out
    } else {
        mutate_bytes(rng, &out, other)
    }
}

/// Sends one input through its door. `Ok(true)`: read or accepted; `Ok(false)`: refused
/// with a message; `Err`: a panic escaped.
fn try_input(target: Target, name: &str, bytes: &[u8], db: &mut Db, session: i64, scratch: &Path) -> Result<bool, ()> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match target {
        Target::Import => {
            let options = ImportOptions { session_id: Some(session), create_units: true, ..Default::default() };
            db.preview_import(bytes, name, &options).is_ok()
        }
        Target::Restore => {
            let file = scratch.join("待检查.sqlite3");
            std::fs::write(&file, bytes).expect("scratch file");
            ledger_core::backup::inspect(&file).is_ok()
        }
    }));
    outcome.map_err(|_| ())
}

/// Sends one file through its door (by its name: .sqlite3 to the restore check, anything
/// else to the importer) and says what came back.
pub fn check_one(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let bytes = std::fs::read(path).expect("the file");
    let target = if name.ends_with(".sqlite3") { Target::Restore } else { Target::Import };
    let report = run(&[Seed { name, bytes, target }], 1, 1, None, None);
    format!("{report}")
}

/// The process's peak resident memory in MB (Linux; 0 elsewhere).
pub fn peak_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .map_or(0, |kb| kb / 1024)
}

/// Runs until `count` inputs were tried or `until` has passed, whichever comes first. With
/// `keep`, each input is written there before it is tried, so an input that ends the
/// process (an abort cannot be caught) is left on disk.
pub fn run(seeds: &[Seed], seed: u64, count: u64, until: Option<Instant>, keep: Option<&Path>) -> Report {
    count_panics();
    let mut rng = Rng::new(seed);
    let mut db = Db::open_in_memory().expect("a ledger in memory");
    let session = db
        .create_session(&ledger_core::model::SessionInput { kind: "建议".into(), level: "州".into(), year: "2025".into(), name: "州十六届人大二次会议".into() })
        .expect("a session");
    db.create_unit(&ledger_core::model::UnitInput { name: "精河县发展和改革委员会".into(), short_name: "州发改委".into(), ..Default::default() }).expect("a unit");
    let scratch = std::env::temp_dir().join(format!("ledger-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a scratch folder");
    let mut report = Report::default();
    // The seeds themselves first, unchanged: the reproducers stay regression cases.
    let mut queue: Vec<(String, Vec<u8>, Target)> = seeds.iter().map(|s| (s.name.clone(), s.bytes.clone(), s.target)).collect();
    while report.inputs < count && until.is_none_or(|t| Instant::now() < t) {
        let (name, bytes, target) = queue.pop().unwrap_or_else(|| {
            let seed = rng.pick(seeds).clone();
            let other = &rng.pick(seeds).bytes.clone();
            let bytes = match (seed.target, seed.name.ends_with(".xlsx")) {
                (Target::Restore, _) => mutate_ledger(&mut rng, &seed.bytes, other),
                (Target::Import, true) => mutate_xlsx(&mut rng, &seed.bytes, other),
                (Target::Import, false) => mutate_bytes(&mut rng, &seed.bytes, other),
            };
            (seed.name, bytes, seed.target)
        });
        if let Some(keep) = keep {
            std::fs::write(keep.join(format!("当前输入-{name}")), &bytes).expect("the input kept");
        }
        let panics_before = PANICS.load(Ordering::SeqCst);
        let started = Instant::now();
        let outcome = try_input(target, &name, &bytes, &mut db, session, &scratch);
        let took = started.elapsed();
        report.inputs += 1;
        match outcome {
            Ok(true) => report.accepted += 1,
            Ok(false) => report.refused += 1,
            Err(()) => report.escaped.push((name.clone(), bytes.clone())),
        }
        if outcome.is_ok() {
            report.caught += PANICS.load(Ordering::SeqCst) - panics_before;
        }
        if took > report.slowest {
            report.slowest = took;
            report.slowest_input = format!("{name}，{} 字节", bytes.len());
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    report.panic_places = PLACES.lock().unwrap_or_else(|p| p.into_inner()).clone();
    report.peak_mb = peak_mb();
    report
}

/// The largest lists the importer takes: 20,000 rows filling nearly the 30 MB a file may
/// have, as CSV and as .xlsx. Returns, per file, its size, whether it was read, the time
/// its preview took, and the process's peak memory after it.
pub fn largest_inputs() -> Vec<(String, usize, bool, Duration, u64)> {
    let rows = ledger_core::sheet::MAX_ROWS - 2;
    let filler = "关于进一步加强农村饮水安全保障工作的建议，".repeat(20);
    let mut csv = String::from("编号,标题,领衔人,主办单位,正文\n");
    for n in 1..=rows {
        csv += &format!("{n},关于第{n}项民生工程的建议,美志高,精河县发展和改革委员会,{filler}\n");
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["编号", "标题", "领衔人", "主办单位", "正文"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("a header");
    }
    for r in 1..=rows as u32 {
        sheet.write_number(r, 0, r as f64).expect("a cell");
        sheet.write_string(r, 1, format!("关于第{r}项民生工程的建议")).expect("a cell");
        sheet.write_string(r, 2, "美志高").expect("a cell");
        sheet.write_string(r, 3, "精河县发展和改革委员会").expect("a cell");
        sheet.write_string(r, 4, &filler).expect("a cell");
    }
    let xlsx = book.save_to_buffer().expect("the workbook");
    let mut db = Db::open_in_memory().expect("a ledger in memory");
    let session = db
        .create_session(&ledger_core::model::SessionInput { kind: "建议".into(), level: "州".into(), year: "2025".into(), name: "州十六届人大二次会议".into() })
        .expect("a session");
    let options = ImportOptions { session_id: Some(session), create_units: true, ..Default::default() };
    [("最大的清单.csv", csv.into_bytes()), ("最大的清单.xlsx", xlsx)]
        .into_iter()
        .map(|(name, bytes)| {
            let started = Instant::now();
            let read = db.preview_import(&bytes, name, &options).map(|p| p.rows.len() == rows).unwrap_or(false);
            (name.to_string(), bytes.len(), read, started.elapsed(), peak_mb())
        })
        .collect()
}
