//! A mutation fuzzer for the doors through which an outsider's file reaches the ledger: the
//! importer (.xlsx, .xls, .csv in UTF-8 and GBK), the take-back of returned 反馈表, the
//! reader of units' Word drafts, and the check of a file to restore. It starts from seeds
//! (the reproducers in tests/fixtures/hostile/, lists made here in the shapes clerks send, a
//! 反馈表 exported by the run's own ledger, a Word draft, a small ledger) and mutates them:
//! an .xlsx or .docx is unpacked and the XML inside is mutated (cell references, numbers,
//! repeated rows, cut tags) before it is packed again; other files are mutated byte by byte.
//! The oracle: no panic escapes, no abort (that would end the process: the test runs the
//! fuzzer as a child to see it), every answer is `Ok` or a Chinese message, and no input
//! costs more memory than 20 times its size and 50 MB. Panics that a guard caught are
//! counted too, as findings. Deterministic for a seed.

use ledger_core::demo::Dice as Rng;
use ledger_core::import::preview::ImportOptions;
use ledger_core::Db;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Which door a seed goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Import,
    TakeBack,
    Word,
    Restore,
    /// An upper body's blank form, previewed and filled (填入上级发来的表格).
    UpperForm,
}

/// The most memory one input may cost: 20 times its size and 50 MB, and never above 200 MB.
pub fn memory_bound(size: usize) -> u64 {
    (20 * size as u64 + (50 << 20)).min(200 << 20)
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
    /// The input that cost the most memory beyond what the process held before it (MB).
    pub costliest: (String, u64),
    /// Inputs that cost more than [`memory_bound`] allows, with their cost in MB.
    pub over_bound: Vec<(String, u64)>,
    /// Inputs per door.
    pub by_door: std::collections::BTreeMap<String, u64>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} inputs: {} read, {} refused with a message; {} panics escaped, {} caught by the guard; slowest {:.0} ms ({}); peak memory {} MB; costliest input {} MB ({}); {} over the memory bound",
            self.inputs, self.accepted, self.refused, self.escaped.len(), self.caught, self.slowest.as_secs_f64() * 1000.0, self.slowest_input, self.peak_mb,
            self.costliest.1, self.costliest.0, self.over_bound.len())?;
        let doors: Vec<String> = self.by_door.iter().map(|(door, n)| format!("{door} {n}")).collect();
        write!(f, "\n  inputs per door: {}", doors.join(", "))?;
        for (input, mb) in &self.over_bound {
            write!(f, "\n  over the bound: {input}: {mb} MB")?;
        }
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
    seeds.push(Seed { name: "单位来稿.docx".into(), bytes: word_draft(), target: Target::Word });
    seeds.push(Seed { name: "交办清单.docx".into(), bytes: word_list(), target: Target::Import });
    seeds.push(Seed { name: "上级表格.xlsx".into(), bytes: upper_form(), target: Target::UpperForm });
    seeds
}

/// A unit's reply draft as Word saves it, in its smallest whole form.
fn word_draft() -> Vec<u8> {
    let paragraphs = ["B", "关于州十六届人大二次会议第214号建议的答复", "乔次仁代表：", "您提出的《关于加快实施布久乡孜热村升级改造项目的建议》收悉。现答复如下：",
        "一、已将孜热村道路硬化列入2025年计划。", "感谢您对发展改革工作的关心和支持。", "精河县发展和改革委员会", "2025年4月20日", "联系人：李娜　联系电话：0909-5321101"];
    let body: String = paragraphs.iter().map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t><w:tab/></w:r></w:p>")).collect();
    docx(&format!("{body}<w:tbl><w:tr><w:tc><w:p><w:r><w:t>资金：120 万元</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"))
}

/// A 交办清单 as a Word table: the title above it, a merged title row, the header repeated
/// on each page, a 主办单位 merged down two rows.
fn word_list() -> Vec<u8> {
    let cell = |text: &str| format!("<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>");
    let header = format!("<w:tr><w:trPr><w:tblHeader/></w:trPr>{}</w:tr>", HEADER.map(cell).concat());
    let rows: String = list_rows()
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let cells: Vec<String> = row.iter().enumerate().map(|(c, text)| match (c, r % 2) {
                (5, 0) => format!("<w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"),
                (5, _) => "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>".to_string(),
                _ => cell(text),
            }).collect();
            format!("<w:tr>{}</w:tr>", cells.concat())
        })
        .collect();
    let title = format!("<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"{}\"/></w:tcPr><w:p><w:r><w:t>（共12件）</w:t></w:r></w:p></w:tc></w:tr>", HEADER.len());
    docx(&format!("<w:p><w:r><w:t>2025年州人大代表建议交办清单</w:t></w:r></w:p><w:tbl>{title}{header}{rows}</w:tbl>"))
}

/// A .docx, in its smallest whole form, whose body is `body` (WordprocessingML).
fn docx(body: &str) -> Vec<u8> {
    let document = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).expect("a part");
    zip.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>").expect("a part");
    zip.start_file("word/document.xml", options).expect("a part");
    zip.write_all(document.as_bytes()).expect("a part");
    zip.finish().expect("the file").into_inner()
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

/// A blank form as an upper body sends it: a merged title, a 填报单位 line, the header, two
/// blank bordered rows with a date format and merges, a line under the table, print settings.
fn upper_form() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("统计表").unwrap();
    let plain = rust_xlsxwriter::Format::new();
    let boxed = rust_xlsxwriter::Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin);
    sheet.merge_range(0, 0, 0, 6, "2025年州人大代表建议办理情况统计表", &plain).unwrap();
    sheet.write_string(1, 0, "填报单位：").unwrap();
    sheet.write_string(1, 4, "填报日期：    年  月  日").unwrap();
    for (c, h) in ["序号", "建议号", "案由", "领衔代表", "主办单位", "办理结果（A/B/C）", "答复日期"].iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, &boxed).unwrap();
    }
    for r in 3..5 {
        sheet.merge_range(r, 2, r, 3, "", &boxed).unwrap();
        sheet.write_blank(r, 6, &boxed.clone().set_num_format("yyyy-mm-dd")).unwrap();
    }
    sheet.write_formula(5, 0, "=COUNTA(B4:B5)").unwrap();
    sheet.write_string(5, 1, "填表人：").unwrap();
    sheet.set_landscape().set_repeat_rows(2, 2).unwrap().set_print_area(0, 0, 5, 6).unwrap();
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
    let sheets: Vec<usize> = (0..parts.len()).filter(|&i| ["worksheets/", "sharedStrings", "document.xml"].iter().any(|p| parts[i].0.contains(p))).collect();
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

/// The run's ledger: a session, units, items and a 反馈表 it exported, so returned files meet
/// a ledger that knows them; and the start of a reply a Word draft fills.
struct Doors {
    db: Db,
    session: i64,
    reply_start: ledger_core::reply::ReplyContent,
    scratch: PathBuf,
}

/// The day the run's 反馈表 was made, and the day it comes back.
fn made_on() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 4, 15).expect("a date")
}

impl Doors {
    /// The ledger, and the 反馈表 seeds it exported (as sent, and filled in by the unit).
    fn new() -> (Doors, Vec<Seed>) {
        use ledger_core::model::{AssignmentInput, ItemInput, ProposerInput, SessionInput, UnitInput};
        let mut db = Db::open_in_memory().expect("a ledger in memory");
        let session = db.create_session(&SessionInput { kind: "建议".into(), level: "州".into(), year: "2025".into(), name: "州十六届人大二次会议".into() }).expect("a session");
        let lead = db.create_unit(&UnitInput { name: "精河县发展和改革委员会".into(), short_name: "州发改委".into(), ..Default::default() }).expect("a unit");
        let assist = db.create_unit(&UnitInput { name: "精河县教育局".into(), ..Default::default() }).expect("a unit");
        let mut first = None;
        for n in 1..=6 {
            let mut assignments = vec![AssignmentInput { unit_id: Some(lead), role: "主办".into(), ..Default::default() }];
            if n % 2 == 0 {
                assignments.push(AssignmentInput { unit_id: Some(assist), role: "协办".into(), ..Default::default() });
            }
            let id = db.create_item(&ItemInput {
                session_id: Some(session), number: format!("{n:03}"), title: format!("关于第{n}项民生工程的建议"), county_role: "主办".into(),
                assigned_on: "2025-03-17".into(), proposers: vec![ProposerInput { name: format!("代表{n}"), ..Default::default() }], assignments, ..Default::default()
            }).expect("an item");
            first.get_or_insert(id);
        }
        let mut seeds = Vec::new();
        for unit in [lead, assist] {
            db.feedback_file(unit, made_on(), &mut |(bytes, name)| {
                seeds.push(Seed { name: name.clone(), bytes: bytes.clone(), target: Target::TakeBack });
                Ok(())
            }).expect("a 反馈表");
        }
        let template = db.reply_templates().expect("templates").templates.into_iter().find(|t| t.name == "建议主办答复").expect("a template").id;
        let reply_start = db.start_reply(first.expect("an item"), template, Some(lead), made_on()).expect("a reply's start");
        let scratch = std::env::temp_dir().join(format!("ledger-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&scratch).expect("a scratch folder");
        (Doors { db, session, reply_start, scratch }, seeds)
    }

    /// Sends one input through its door. `Ok(true)`: read or accepted; `Ok(false)`: refused
    /// with a message; `Err`: a panic escaped.
    fn try_input(&mut self, target: Target, name: &str, bytes: &[u8]) -> Result<bool, ()> {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match target {
            Target::Import => {
                let options = ImportOptions { session_id: Some(self.session), create_units: true, ..Default::default() };
                self.db.preview_import(bytes, name, &options).is_ok()
            }
            Target::TakeBack => {
                let file = ledger_core::unit_exchange::ReturnedFile::read(bytes, name);
                let back = made_on() + chrono::Days::new(14);
                let preview = self.db.check_returned(&[file], &Default::default(), back).expect("a preview").preview;
                preview.problems.is_empty()
            }
            Target::Word => match ledger_core::wordfile::paragraphs(bytes, name) {
                Ok(paragraphs) => {
                    let letter = ledger_core::reply::letter_from_paragraphs(&paragraphs, &self.reply_start);
                    let _ = ledger_core::input::check_form(&letter);
                    true
                }
                Err(_) => false,
            },
            Target::UpperForm => match self.db.form_preview(bytes, name, made_on()) {
                Ok(preview) => {
                    let fields: Vec<String> = preview.columns.into_iter().map(|c| c.field).collect();
                    let query = ledger_core::queries::reports::TableQuery { year: 2025, ..Default::default() };
                    self.db.fill_form(bytes, name, &query, &fields, made_on()).is_ok()
                }
                Err(_) => false,
            },
            Target::Restore => {
                let file = self.scratch.join("待检查.sqlite3");
                std::fs::write(&file, bytes).expect("scratch file");
                ledger_core::backup::inspect(&file).is_ok()
            }
        }));
        outcome.map_err(|_| ())
    }
}

/// Sends one file through its door (by its name: .sqlite3 to the restore check, anything
/// else to the importer) and says what came back.
pub fn check_one(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let bytes = std::fs::read(path).expect("the file");
    let target = if name.ends_with(".sqlite3") {
        Target::Restore
    } else if name.ends_with(".docx") {
        Target::Word
    } else if name.contains("反馈表") {
        Target::TakeBack
    } else if name.contains("上级表格") {
        Target::UpperForm
    } else {
        Target::Import
    };
    let report = run(&[Seed { name, bytes, target }], 1, 1, None, None);
    format!("{report}")
}

/// The process's peak resident memory in MB (Linux; 0 elsewhere).
pub fn peak_mb() -> u64 {
    memory_kb("VmHWM:") / 1024
}

/// A line of /proc/self/status in kB (0 where there is none).
fn memory_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .unwrap_or(0)
}

/// Starts measuring one input: what the allocator kept goes back to the system, and the peak
/// is set back to what the process holds now, which is returned (bytes). Linux only.
fn start_measuring() -> u64 {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only hands free memory of the allocator back to the system.
    unsafe {
        libc::malloc_trim(0);
    }
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    memory_kb("VmRSS:") * 1024
}

/// Runs until `count` inputs were tried or `until` has passed, whichever comes first. With
/// `keep`, each input is written there before it is tried, so an input that ends the
/// process (an abort cannot be caught) is left on disk.
pub fn run(seeds: &[Seed], seed: u64, count: u64, until: Option<Instant>, keep: Option<&Path>) -> Report {
    count_panics();
    let mut rng = Rng::new(seed);
    let (mut doors, exported) = Doors::new();
    let seeds: Vec<Seed> = exported.into_iter().chain(seeds.iter().cloned()).collect();
    let mut report = Report { peak_mb: peak_mb(), ..Report::default() };
    // The seeds themselves first, unchanged (the given ones before the exported, taken from
    // the end): the reproducers stay regression cases.
    let mut queue: Vec<(String, Vec<u8>, Target)> = seeds.iter().map(|s| (s.name.clone(), s.bytes.clone(), s.target)).collect();
    while report.inputs < count && until.is_none_or(|t| Instant::now() < t) {
        let (name, bytes, target) = queue.pop().unwrap_or_else(|| {
            let seed = rng.pick(&seeds).clone();
            let other = &rng.pick(&seeds).bytes.clone();
            let bytes = match (seed.target, seed.name.ends_with(".xlsx") || seed.name.ends_with(".docx")) {
                (Target::Restore, _) => mutate_ledger(&mut rng, &seed.bytes, other),
                (_, true) => mutate_xlsx(&mut rng, &seed.bytes, other),
                (_, false) => mutate_bytes(&mut rng, &seed.bytes, other),
            };
            (seed.name, bytes, seed.target)
        });
        if let Some(keep) = keep {
            std::fs::write(keep.join(format!("当前输入-{name}")), &bytes).expect("the input kept");
        }
        let panics_before = PANICS.load(Ordering::SeqCst);
        let held = start_measuring();
        let started = Instant::now();
        let outcome = doors.try_input(target, &name, &bytes);
        let took = started.elapsed();
        let cost = (memory_kb("VmHWM:") * 1024).saturating_sub(held);
        report.peak_mb = report.peak_mb.max(peak_mb());
        report.inputs += 1;
        *report.by_door.entry(format!("{target:?}")).or_default() += 1;
        match outcome {
            Ok(true) => report.accepted += 1,
            Ok(false) => report.refused += 1,
            Err(()) => report.escaped.push((name.clone(), bytes.clone())),
        }
        if outcome.is_ok() {
            report.caught += PANICS.load(Ordering::SeqCst) - panics_before;
        }
        let said = format!("{name}，{} 字节", bytes.len());
        if took > report.slowest {
            report.slowest = took;
            report.slowest_input = said.clone();
        }
        if cost >> 20 > report.costliest.1 {
            report.costliest = (said.clone(), cost >> 20);
        }
        if cost > memory_bound(bytes.len()) {
            if let Some(keep) = keep {
                std::fs::write(keep.join(format!("超出内存-{}-{name}", report.over_bound.len())), &bytes).expect("the input kept");
            }
            report.over_bound.push((said, cost >> 20));
        }
    }
    let _ = std::fs::remove_dir_all(&doors.scratch);
    report.panic_places = PLACES.lock().unwrap_or_else(|p| p.into_inner()).clone();
    report
}

/// The largest lists the importer takes: 20,000 rows filling nearly the 30 MB a file may
/// have, as CSV and as .xlsx. Returns, per file, its size, whether it was read, the time
/// its preview took, and the memory it cost beyond what the process held (bytes).
pub fn largest_inputs() -> Vec<(String, usize, bool, Duration, u64)> {
    let rows = ledger_core::sheet::MAX_ROWS - 2;
    // Each row its own 正文, as a real list has (one text repeated in every row would pack
    // into a file far smaller than what it unpacks to).
    let words = ["进一步", "加强", "农村", "饮水", "安全", "保障", "工作", "建议", "完善", "基础设施", "提高", "群众", "生活", "水平", "推进", "乡村振兴",
        "落实", "资金", "项目", "建设", "管理", "机制", "服务", "教育", "医疗", "养老", "交通", "道路", "硬化", "改造", "环境", "治理"];
    let mut dice = Rng::new(7);
    let texts: Vec<String> = (0..rows).map(|_| (0..200).map(|_| *dice.pick(&words)).collect::<Vec<_>>().join("")).collect();
    let mut csv = String::from("编号,标题,领衔人,主办单位,正文\n");
    for (n, text) in texts.iter().enumerate() {
        let n = n + 1;
        csv += &format!("{n},关于第{n}项民生工程的建议,美志高,精河县发展和改革委员会,{text}\n");
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["编号", "标题", "领衔人", "主办单位", "正文"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("a header");
    }
    for (r, text) in (1..).zip(&texts) {
        sheet.write_number(r, 0, r as f64).expect("a cell");
        sheet.write_string(r, 1, format!("关于第{r}项民生工程的建议")).expect("a cell");
        sheet.write_string(r, 2, "美志高").expect("a cell");
        sheet.write_string(r, 3, "精河县发展和改革委员会").expect("a cell");
        sheet.write_string(r, 4, text).expect("a cell");
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
            let held = start_measuring();
            let started = Instant::now();
            let read = db.preview_import(&bytes, name, &options).map(|p| p.rows.len() == rows).unwrap_or(false);
            let cost = (memory_kb("VmHWM:") * 1024).saturating_sub(held);
            (name.to_string(), bytes.len(), read, started.elapsed(), cost)
        })
        .collect()
}
