//! The benchmark of issue 13: how long each screen's core call takes on a ledger of 1,000,
//! 10,000 and 50,000 items (a decade of a prefecture-level office), beside its goal and the
//! baselines measured in the same run (raw SQLite reading the same rows, raw rust_xlsxwriter
//! and openpyxl writing the same cells).
//!
//! The ledgers are built through the core's own write paths: sessions and units as the
//! clerk adds them, items through the import of a 交办清单 per session, the workflow through
//! `record_steps` (checked and logged like single steps). Ten years, four streams, about six
//! events per item, B items carried into later years and looked back on each October until
//! solved.
//!
//! Run: `cargo run --release -p ledger-bench [-- 1000 10000 50000] [--runs 7]`.

use ledger_core::queries::items::ItemQuery;
use chrono::NaiveDate;
use ledger_core::import::preview::{ImportOptions, Progress};
use ledger_core::model::{AssignmentInput, ItemInput, Kind, ProposerInput, SessionInput, UnitInput};
use ledger_core::queries::log::LogQuery;
use ledger_core::queries::reports::TableQuery;
use ledger_core::stats::SatisfactionDefinition;
use ledger_core::workflow::StepInput;
use ledger_core::workplace::{StartOptions, Workplace};
use ledger_core::Db;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const FIRST_YEAR: i32 = 2016;
const LAST_YEAR: i32 = 2025;
/// The day the screens are measured on: in the middle of the handling season.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST_YEAR, 6, 16).unwrap()
}
const STREAMS: [(&str, &str); 4] = [("建议", "州"), ("提案", "州"), ("建议", "县"), ("提案", "县")];
const UNITS: usize = 40;
const TOPICS: &[&str] = &["农村饮水安全工程", "城区停车难问题", "中小学校舍改造", "乡村道路养护", "基层医疗卫生服务", "棉花产业提质增效", "老旧小区改造", "草原生态保护", "职业教育发展", "冬季供暖保障"];
const PEOPLE: &[&str] = &["王建华", "李秀英", "阿依古丽·吐尔逊", "张志强", "买买提·依明", "刘海燕", "陈国庆", "巴特尔·孟克", "杨丽娟", "赵新民"];

/// A small deterministic generator (xorshift64): every run builds the same ledgers.
struct Dice(u64);
impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

fn unit_name(n: usize) -> String {
    format!("县第{n}承办局")
}

/// A 交办清单 of `count` items as a CSV file, numbered from `first`.
fn list_csv(count: usize, first: usize, assigned_on: &str, dice: &mut Dice) -> Vec<u8> {
    let mut csv = String::from("编号,标题,领衔人,主办单位,协办单位,交办日期\n");
    for n in 0..count {
        let lead = dice.below(UNITS);
        let assist = if dice.chance(40) { unit_name((lead + 1 + dice.below(UNITS - 1)) % UNITS) } else { String::new() };
        csv.push_str(&format!(
            "{},关于加强{}的建议（{}）,{},{},{},{}\n",
            first + n,
            TOPICS[dice.below(TOPICS.len())],
            first + n,
            PEOPLE[dice.below(PEOPLE.len())],
            unit_name(lead),
            assist,
            assigned_on
        ));
    }
    csv.into_bytes()
}

fn step(name: &str, on: NaiveDate, unit: Option<i64>) -> StepInput {
    StepInput { step: name.into(), happened_on: on.to_string(), unit_id: unit, ..Default::default() }
}

/// The workflow of one item as an office of `year` would have it by [`today`]: earlier
/// years handled to the end (a fifth replied B, half of those looked back on), this year
/// part way. Every unit signs; the lead unit sends its 承办情况表 and meets the proposer;
/// each assisting unit gives its opinion.
fn history(year: i32, lead: i64, assists: &[i64], dice: &mut Dice) -> Vec<StepInput> {
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).unwrap();
    let mut steps: Vec<StepInput> = std::iter::once(lead).chain(assists.iter().copied()).map(|u| step("签收", day(3, 20), Some(u))).collect();
    let current = year == LAST_YEAR;
    if current && dice.chance(30) {
        return steps;
    }
    steps.push(step("承办情况表", day(3, 24), Some(lead)));
    steps.push(StepInput { method: "面商".into(), participants: "代表、承办人".into(), ..step("面商", day(3, 28), Some(lead)) });
    steps.extend(assists.iter().map(|u| step("协办意见", day(4, 3), Some(*u))));
    steps.push(step("答复样稿", day(4, 10), Some(lead)));
    steps.push(StepInput { passed: Some(true), ..step("初审", day(4, 14), None) });
    if current && dice.chance(40) {
        return steps;
    }
    steps.push(StepInput { leader: "副县长 刘海英".into(), ..step("审定", day(4, 25), None) });
    let class = match dice.below(10) {
        0 | 1 => "B",
        2 => "C",
        _ => "A",
    };
    steps.push(StepInput { class: class.into(), doc_number: format!("精政函〔{year}〕{}号", dice.below(900) + 1), ..step("正式答复", day(5, 20), Some(lead)) });
    if current && dice.chance(50) {
        return steps;
    }
    let result = if dice.chance(8) { "基本满意" } else { "满意" };
    steps.push(StepInput { channel: "面商".into(), work: "满意".into(), result: result.into(), ..step("征求意见", day(5, 28), None) });
    steps.push(step("备案", day(6, 5), None));
    if class == "B" && !current && dice.chance(50) {
        steps.push(StepInput { progress: "项目已列入计划。".into(), solved_on: if dice.chance(50) { day(11, 1).to_string() } else { String::new() }, ..step("回头看", day(10, 9), None) });
    }
    if !current {
        steps.push(StepInput { mode: "主动公开".into(), ..step("公开", day(11, 20), None) });
    }
    steps
}

/// Builds a ledger of about `size` items in `dir`; returns its file.
fn build(size: usize, dir: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let file = dir.join(ledger_core::db::DB_FILE_NAME);
    let mut db = Db::open(&file).unwrap();
    let mut dice = Dice(0x5EED_BE4C);
    for n in 0..UNITS {
        db.create_unit(&UnitInput { name: unit_name(n), short_name: String::new(), contact: String::new(), phone: String::new() }).unwrap();
    }
    let units: HashMap<String, i64> = db.list_units().unwrap().into_iter().map(|u| (u.name, u.id)).collect();
    let per_session = size / ((LAST_YEAR - FIRST_YEAR + 1) as usize * STREAMS.len());
    // The B items not yet solved: each later year looks back on them in October, and finds
    // about a third solved, as the offices report (a few B items stay open for years).
    let mut unsolved_b: Vec<i64> = Vec::new();
    for year in FIRST_YEAR..=LAST_YEAR {
        for (kind, level) in STREAMS {
            let session_id = db
                .create_session(&SessionInput { kind: kind.into(), level: level.into(), year: year.to_string(), name: format!("{year}年{level}{kind}会议") })
                .unwrap();
            let options = ImportOptions { session_id: Some(session_id), ..Default::default() };
            let list = list_csv(per_session, 1, &format!("{year}-03-17"), &mut dice);
            db.import_items(&list, "交办清单.csv", &options).unwrap();
        }
        let rows = db.list_items(&ItemQuery { year: Some(year), ..Default::default() }).unwrap();
        let mut steps = Vec::new();
        if year < LAST_YEAR {
            let october = NaiveDate::from_ymd_opt(year, 10, 9).unwrap();
            unsolved_b.retain(|&id| {
                let solved = dice.chance(35);
                let solved_on = if solved { NaiveDate::from_ymd_opt(year, 10, 1).unwrap().to_string() } else { String::new() };
                steps.push((id, StepInput { progress: "继续推进。".into(), solved_on, ..step("回头看", october, None) }));
                !solved
            });
        }
        for row in rows {
            let lead = units[row.lead_unit.as_deref().unwrap()];
            let assists: Vec<i64> = row.assist_units.iter().map(|u| units[u]).collect();
            let item_steps = history(year, lead, &assists, &mut dice);
            let replied_b = item_steps.iter().any(|s| s.step == "正式答复" && s.class == "B");
            let solved = item_steps.iter().any(|s| !s.solved_on.is_empty());
            if replied_b && !solved {
                unsolved_b.push(row.id);
            }
            steps.extend(item_steps.into_iter().map(|s| (row.id, s)));
        }
        db.record_steps(&steps).unwrap();
    }
    file
}

/// The median of `runs` timings of `work`.
fn median<T>(runs: usize, mut work: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(work());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The median of `runs` timings of `work` on a fresh copy of the ledger each time (for
/// measurements that write), after `setup` (not timed) prepared the copy.
fn median_on_copy<S, T>(runs: usize, ledger: &Path, mut setup: impl FnMut(&mut Db) -> S, mut work: impl FnMut(&mut Db, S) -> T) -> Duration {
    let copy = ledger.with_file_name("副本.sqlite3");
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            std::fs::copy(ledger, &copy).unwrap();
            // NOTE: the copy is flushed to disk first: otherwise the write measured waits at
            // its commit for the file system to write out the whole copy.
            std::fs::OpenOptions::new().write(true).open(&copy).unwrap().sync_all().unwrap();
            let mut db = Db::open(&copy).unwrap();
            let prepared = setup(&mut db);
            let start = Instant::now();
            std::hint::black_box(work(&mut db, prepared));
            let time = start.elapsed();
            drop(db);
            time
        })
        .collect();
    for end in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{end}", copy.display()));
    }
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The memory of a process that opens the ledger and draws the first screens (the board,
/// the units, the first page of the ledger), as the program does at start: measured in a
/// child process, so the memory this process used to build the ledger is not counted.
fn rss_of_a_fresh_start(ledger: &Path) -> f64 {
    let out = std::process::Command::new(std::env::current_exe().unwrap()).arg("--open-and-measure").arg(ledger).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(f64::NAN)
}

/// The child's part of [`rss_of_a_fresh_start`].
fn open_and_measure(ledger: &Path) {
    let db = Db::open(ledger).unwrap();
    std::hint::black_box((db.reminders(today()).unwrap(), db.unit_overview(today()).unwrap(), db.item_page(&ItemQuery::default(), 0).unwrap()));
    println!("{:.1}", rss_mb());
}

/// A blank form as a 选联工委 sends it: a merged title, the 填报单位 line, eight columns, five
/// blank bordered rows, a line under the table, print settings.
fn upper_form() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("统计表").unwrap();
    let boxed = rust_xlsxwriter::Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin).set_text_wrap();
    sheet.merge_range(0, 0, 0, 7, "2025年州人大代表建议办理情况统计表", &rust_xlsxwriter::Format::new()).unwrap();
    sheet.write_string(1, 0, "填报单位：").unwrap();
    for (c, h) in ["序号", "建议号", "案由", "领衔代表", "主办单位", "办理结果（A/B/C）", "答复日期", "代表意见"].iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, &boxed).unwrap();
        for r in 3..8 {
            sheet.write_blank(r, c as u16, &boxed).unwrap();
        }
    }
    sheet.write_string(8, 0, "填表人：").unwrap();
    sheet.set_landscape().set_repeat_rows(2, 2).unwrap().set_print_area(0, 0, 8, 7).unwrap();
    book.save_to_buffer().unwrap()
}

/// The cells of a workbook's first sheet, as text.
fn cells_of(xlsx: &[u8]) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

/// Raw rust_xlsxwriter writing the same cells, no formats: the floor for the export.
fn raw_xlsx(cells: &[Vec<String>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in cells.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, text).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// openpyxl writing the same cells (its own timing of each write, the median of `runs`, as
/// every other figure), when python3 has it.
fn openpyxl_ms(cells: &[Vec<String>], dir: &Path, runs: usize) -> Option<f64> {
    let data = dir.join("cells.json");
    std::fs::write(&data, serde_json::to_vec(cells).unwrap()).ok()?;
    let script = "import json,statistics,sys,time,openpyxl\ncells=json.load(open(sys.argv[1]))\ntimes=[]\nfor _ in range(int(sys.argv[3])):\n    start=time.perf_counter()\n    wb=openpyxl.Workbook();ws=wb.active\n    for row in cells: ws.append(row)\n    wb.save(sys.argv[2])\n    times.append((time.perf_counter()-start)*1000)\nprint(statistics.median(times))";
    // The system's python3 first: install-deps.sh installs openpyxl there (python3-openpyxl).
    ["/usr/bin/python3", "python3"].iter().find_map(|python| {
        let out = std::process::Command::new(python).args(["-c", script]).arg(&data).arg(dir.join("openpyxl.xlsx")).arg(runs.to_string()).output().ok()?;
        String::from_utf8(out.stdout).ok()?.trim().parse().ok()
    })
}

/// What one size measured: name → milliseconds (or MB for memory).
type Figures = BTreeMap<&'static str, f64>;

fn measure(size: usize, runs: usize, root: &Path) -> Figures {
    let dir = root.join(format!("{size}"));
    let started = Instant::now();
    let ledger = build(size, &dir);
    eprintln!("{size}: ledger built in {:.1} s", started.elapsed().as_secs_f64());
    let mut f = Figures::new();
    let today = today();

    let db = Db::open(&ledger).unwrap();
    let units = db.unit_overview(today).unwrap();
    let busiest = units.iter().max_by_key(|u| u.lead + u.assist).unwrap().unit_id;
    let item = db.list_items(&ItemQuery { year: Some(LAST_YEAR), ..Default::default() }).unwrap()[0].id;
    let all = ItemQuery::default();
    let this_year = ItemQuery { year: Some(LAST_YEAR), kind: Some(Kind::Proposal), ..Default::default() };
    // One word of two characters (looked for item by item) and one of three (through the index).
    let search = ItemQuery { text: "供暖 王建华".into(), ..Default::default() };
    let indexed_search = ItemQuery { text: "冬季供暖 王建华".into(), ..Default::default() };
    let by_proposer = ItemQuery { sort: ledger_core::queries::items::SortKey::Proposer, ..Default::default() };
    let year_table = TableQuery { year: LAST_YEAR, ..Default::default() };
    let definition = SatisfactionDefinition::default();

    f.insert("提醒", ms(median(runs, || db.reminders(today).unwrap())));
    f.insert("单位任务清单", ms(median(runs, || db.unit_tasks(busiest, today).unwrap())));
    f.insert("承办单位总览", ms(median(runs, || db.unit_overview(today).unwrap())));
    f.insert("统计（一年）", ms(median(runs, || db.statistics_view(&year_table, definition, today).unwrap())));
    f.insert("统计（全部年度）", ms(median(runs, || {
        (FIRST_YEAR..=LAST_YEAR).map(|year| db.statistics_view(&TableQuery { year, ..Default::default() }, definition, today).unwrap()).count()
    })));
    f.insert("往年B类件", ms(median(runs, || db.carried_b_items(today, 0).unwrap())));
    f.insert("承办单位考评（一年）", ms(median(runs, || db.evaluation(LAST_YEAR, today).unwrap())));
    let session = db.list_sessions().unwrap().into_iter().find(|s| s.year == LAST_YEAR).unwrap().id;
    f.insert("成批登记结果（一个届次）", ms(median(runs, || db.result_rows(session, today).unwrap())));
    // The ledger screen reads a page (and the count of all the filters find).
    f.insert("台账（全部，第一页）", ms(median(runs, || db.item_page(&all, 0).unwrap())));
    f.insert("台账（全部，末页）", ms(median(runs, || db.item_page(&all, (size - 1) / ledger_core::queries::items::LEDGER_PAGE * ledger_core::queries::items::LEDGER_PAGE).unwrap())));
    f.insert("台账（按领衔人排序）", ms(median(runs, || db.item_page(&by_proposer, 0).unwrap())));
    f.insert("台账（本年筛选）", ms(median(runs, || db.item_page(&this_year, 0).unwrap())));
    f.insert("台账（搜索）", ms(median(runs, || db.item_page(&search, 0).unwrap())));
    f.insert("台账（搜索，词都在三字以上）", ms(median(runs, || db.item_page(&indexed_search, 0).unwrap())));
    f.insert("单件页面", ms(median(runs, || {
        (db.get_item(item).unwrap(), db.item_workflow(item, today).unwrap(), db.reply_drafts(item).unwrap(), db.operation_log(&LogQuery { item_id: Some(item), ..Default::default() }, Some(8)).unwrap())
    })));
    // A page of the log, for a kind (none: all) and words.
    let log_page = |kind: &str, text: &str| {
        let query = LogQuery { kind: kind.into(), text: text.into(), ..Default::default() };
        ms(median(runs, || db.operation_log(&query, Some(500)).unwrap()))
    };
    f.insert("操作日志（一页）", log_page("", ""));
    f.insert("操作日志（搜索）", log_page("", "正式答复"));
    f.insert("操作日志（搜索，两字词）", log_page("", "答复"));
    f.insert("操作日志（搜索，日志中没有的词）", log_page("", "不存在的词"));
    f.insert("操作日志（只选设置类）", log_page("设置", ""));
    f.insert("操作日志（设置类中搜索）", log_page("设置", "状态"));
    f.insert("内存（打开提醒后，MB）", rss_of_a_fresh_start(&ledger));
    // 相似件: as the intake form asks while the title is typed (the index held), the index
    // built again (after the items' words changed), and the proposals of a replay of the
    // years (each year's items from the years before), per item.
    let probe = ledger_core::likeness::Probe { title: "关于加强冬季供暖保障工作的建议".into(), proposers: vec!["王建华".into()], kind: Some(Kind::Suggestion), ..Default::default() };
    f.insert("相似件（登记时输入标题，每次）", ms(median(runs, || db.similar_items(&probe, today).unwrap())));
    let raw_for_index = rusqlite::Connection::open(&ledger).unwrap();
    f.insert("相似件索引（重建一次）", ms(median(runs, || ledger_core::queries::similar::build_index(&raw_for_index, None).unwrap())));
    f.insert("相似件建议（按年重放，每件）", ledger_core::similar::replay_total(&db.replay_proposals().unwrap()).ms_per_suggestion);

    // Baseline: raw SQLite reading the ledger's rows (what 台账（全部） lists).
    let raw = rusqlite::Connection::open(&ledger).unwrap();
    f.insert("基线：SQLite 直接读全部件", ms(median(runs, || {
        let mut stmt = raw.prepare_cached("SELECT i.id, s.year, i.number, i.title, i.county_role, i.assigned_on FROM items i JOIN sessions s ON s.id = i.session_id WHERE i.deleted_at IS NULL").unwrap();
        stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i32>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?, r.get::<_, Option<String>>(5)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect::<Vec<_>>()
    })));

    // The 承办情况表 of the last year (5,000 rows at 50,000 items) against the same cells
    // written raw and by openpyxl.
    let mut db = db;
    let (xlsx, _) = db.undertaking_file(&year_table, &[], today).unwrap();
    f.insert("承办情况表导出", ms(median(runs, || db.undertaking_file(&year_table, &[], today).unwrap())));
    f.insert("其中：读出表中各行", ms(median(runs, || db.undertaking_rows(&year_table, today).unwrap())));
    let cells = cells_of(&xlsx);
    f.insert("承办情况表行数", cells.len() as f64);
    f.insert("基线：rust_xlsxwriter 写同样的单元格", ms(median(runs, || raw_xlsx(&cells))));
    if let Some(time) = openpyxl_ms(&cells, &dir, runs) {
        f.insert("基线：openpyxl 写同样的单元格", time);
    }
    // An upper body's form of eight columns filled with the 州人大 suggestions of the year
    // (250 rows at 10,000 items), moving the line under its table down.
    let form = upper_form();
    let suggestions = TableQuery { year: LAST_YEAR, streams: vec![ledger_core::model::Stream { level: ledger_core::model::Level::Prefecture, kind: Kind::Suggestion }], unit_id: None };
    let fields: Vec<String> = db.form_preview(&form, "上级表格.xlsx", today).unwrap().columns.into_iter().map(|c| c.field).collect();
    f.insert("填入上级表格", ms(median(runs, || db.fill_form(&form, "上级表格.xlsx", &suggestions, &fields, today).unwrap())));
    f.insert("上级表格行数", db.undertaking_rows(&suggestions, today).unwrap().rows.len() as f64);
    drop(db);

    // Start-up: everything before the window appears (open, migrate; the check and the daily
    // backup only begin, in the background), then the first screen's data (the board, which
    // does not wait for the check), then the check's end, which the window asks for after.
    let mut starts: Vec<[Duration; 3]> = (0..runs.min(5))
        .map(|_| {
            let backups = dir.join("备份");
            let _ = std::fs::remove_dir_all(&backups);
            let start = Instant::now();
            let workplace = Workplace::open(StartOptions { data_dir: dir.clone(), default_backups: backups, demo: false, today: Some(today) });
            let opened = start.elapsed();
            std::hint::black_box(workplace.info());
            std::hint::black_box(workplace.read(|db| db.reminders(today)).unwrap());
            let first_screen = start.elapsed();
            workplace.start_checked();
            let checked = start.elapsed();
            // The daily backup that start began, finished before the next start.
            workplace.daily_backup_done();
            [opened, first_screen, checked]
        })
        .collect();
    for (at, name) in ["启动（窗口出现前）", "启动到第一个页面的数据", "启动时的检查做完（后台）"].into_iter().enumerate() {
        starts.sort_by_key(|s| s[at]);
        f.insert(name, ms(starts[starts.len() / 2][at]));
    }

    // Each screen as the window opens it: the calls screens.txt lists for it, one after the
    // other, through the workplace as the commands make them (its lock, its "today").
    let workplace = Workplace::open(StartOptions { data_dir: dir.clone(), default_backups: dir.join("备份"), demo: false, today: Some(today) });
    workplace.start_checked();
    workplace.daily_backup_done();
    let detail = workplace.with(|db| db.get_item(item)).unwrap();
    let probe = ledger_core::likeness::Probe { title: detail.title.clone(), text: detail.full_text.clone(), kind: Some(detail.session.kind), except: Some(item), ..Default::default() };
    let template = workplace.with(|db| db.reply_templates()).unwrap().templates[0].id;
    let at = ScreenIds { item, unit: busiest, session: db_session(&workplace), year: LAST_YEAR, template, probe };
    for (route, calls) in screens() {
        f.insert(route, ms(median(runs, || {
            for command in &calls {
                screen_call(&workplace, command, &at);
            }
        })));
    }
    drop(workplace);

    // Writes, each on a fresh copy (the time of the copy and of opening it not counted): one
    // item, one step, a 1,000-row list previewed and imported.
    let add_session = |db: &mut Db| {
        db.create_session(&SessionInput { kind: "建议".into(), level: "县".into(), year: LAST_YEAR.to_string(), name: "补充交办".into() }).unwrap()
    };
    let mut dice = Dice(7);
    let list = list_csv(1000, 1, &format!("{LAST_YEAR}-05-06"), &mut dice);
    let session_and_unit = |db: &mut Db| (add_session(db), db.list_units().unwrap()[0].id);
    f.insert("新登记一件", ms(median_on_copy(runs.min(5), &ledger, session_and_unit, |db, (session, unit)| {
        // The item as the intake form sends it.
        db.create_item(&ItemInput {
            session_id: Some(session),
            number: "9001".into(),
            title: "关于加强冬季供暖保障的建议".into(),
            county_role: "主办".into(),
            assigned_on: format!("{LAST_YEAR}-05-06"),
            proposers: vec![ProposerInput { name: "王建华".into(), ..Default::default() }],
            assignments: vec![AssignmentInput { unit_id: Some(unit), role: "主办".into(), ..Default::default() }],
            ..Default::default()
        })
        .unwrap()
    })));
    f.insert("登记一个办理环节", ms(median_on_copy(runs.min(5), &ledger, |_| (), |db, ()| {
        db.record_step(item, &step("备案", NaiveDate::from_ymd_opt(LAST_YEAR, 6, 10).unwrap(), None)).ok()
    })));
    f.insert("导入预览 1000 行", ms(median_on_copy(runs.min(5), &ledger, add_session, |db, session| {
        db.preview_import(&list, "清单.csv", &ImportOptions { session_id: Some(session), ..Default::default() }).unwrap()
    })));
    f.insert("导入 1000 行", ms(median_on_copy(runs.min(5), &ledger, add_session, |db, session| {
        let file = ledger_core::import::preview::ImportFile::read(&list, "清单.csv").unwrap();
        db.import_file(&file, &ImportOptions { session_id: Some(session), ..Default::default() }, &Progress::default()).unwrap()
    })));
    f
}

/// Issue 17's measure: the demo ledger replayed year by year, each year's items proposed a
/// category and a 主办 unit from the earlier years alone; prints how often the first
/// proposal, or one of the first three, was the item's own.
fn accuracy() {
    let dir = std::env::temp_dir().join("ledger-bench").join("accuracy");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut db = Db::open(&dir.join(ledger_core::db::DB_FILE_NAME)).unwrap();
    ledger_core::demo::seed(&mut db).unwrap();
    let years = db.replay_proposals().unwrap();
    let share = |part: usize, whole: usize| ledger_core::text::percent(part as u64, whole as u64);
    println!("演示台账按年重放：每年的件只用此前各年的件提出建议");
    println!("| 年度 | 件数 | 此前的件 | 类别 有建议 | 类别 第一项对 | 类别 前三项含 | 主办 有建议 | 主办 第一项对 | 主办 前三项含 | 每件毫秒 |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for y in years.iter().chain(std::iter::once(&ledger_core::similar::replay_total(&years))) {
        let (c, l) = (y.category, y.lead_unit);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} |",
            if y.year == 0 { "合计".to_string() } else { y.year.to_string() },
            y.items, y.earlier_items,
            share(c.proposed, c.asked), share(c.top1, c.asked), share(c.top3, c.asked),
            share(l.proposed, l.asked), share(l.top1, l.asked), share(l.top3, l.asked),
            y.ms_per_suggestion
        );
    }
    let total = ledger_core::similar::replay_total(&years);
    let (c, l) = (total.category, total.lead_unit);
    println!("在有建议的件中：类别第一项对 {}，主办第一项对 {}。", share(c.top1, c.proposed), share(l.top1, l.proposed));
}

/// The commands each screen calls when the window opens it (screens.txt, held to the
/// screens by an end-to-end test), by the screen's route and name ("ledger 台账").
fn screens() -> Vec<(&'static str, Vec<&'static str>)> {
    include_str!("../screens.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let (screen, calls) = line.split_once(':').expect("route name: calls");
            (screen.trim(), calls.split_whitespace().collect())
        })
        .collect()
}

/// What the screens' calls are asked about: an item, a unit, a session, a year.
struct ScreenIds {
    item: i64,
    unit: i64,
    session: i64,
    year: i32,
    /// The reply template a reply opens with (the first).
    template: i64,
    /// What the item's similar items are asked by.
    probe: ledger_core::likeness::Probe,
}

/// This year's first session (the one the result grid opens on).
fn db_session(workplace: &Workplace) -> i64 {
    workplace.with(|db| db.list_sessions()).unwrap().into_iter().find(|s| s.year == LAST_YEAR).expect("a session of the year").id
}

/// One command as its #[tauri::command] makes it (src-tauri/src/commands.rs), with what the
/// screen asks on opening; a command the benchmark cannot make stops it, naming it.
fn screen_call(w: &Workplace, command: &str, at: &ScreenIds) {
    let today = w.today();
    let year = TableQuery { year: at.year, ..Default::default() };
    let done = match command {
        "app_info" => Ok(drop(w.info())),
        // The guide is compiled into the program: nothing is read.
        "user_guide" => Ok(()),
        "list_items" => w.with(|db| db.item_page(&ItemQuery::default(), 0)).map(drop),
        "list_years" => w.with(|db| db.list_years()).map(drop),
        "number_collisions" => w.with(|db| db.number_collisions()).map(drop),
        "list_sessions" => w.with(|db| db.list_sessions()).map(drop),
        "list_categories" => w.with(|db| db.list_categories()).map(drop),
        "list_units" => w.with(|db| db.list_units()).map(drop),
        "get_item" => w.with(|db| db.get_item(at.item)).map(drop),
        "item_links" => w.with(|db| db.links_of(at.item, today)).map(drop),
        "similar_items" => w.with(|db| db.similar_items(&at.probe, today)).map(drop),
        "start_reply" => w.with(|db| db.start_reply(at.item, at.template, None, today)).map(drop),
        "undertaking_columns" => w.with(|db| db.undertaking_columns()).map(drop),
        "item_workflow" => w.with(|db| db.item_workflow(at.item, today)).map(drop),
        "reply_drafts" => w.with(|db| db.reply_drafts(at.item)).map(drop),
        "reply_templates" => w.with(|db| db.reply_templates()).map(drop),
        "operation_log" => w.with(|db| db.operation_log(&LogQuery { item_id: Some(at.item), ..Default::default() }, Some(500))).map(drop),
        "unit_overview" => w.with(|db| db.unit_overview(today)).map(drop),
        "unit_tasks" => w.with(|db| db.unit_tasks(at.unit, today)).map(drop),
        "office_name" => w.with(|db| db.office_name()).map(drop),
        "statistics" => w.with(|db| db.statistics_view(&year, SatisfactionDefinition::default(), today)).map(drop),
        "carried_b_items" => w.with(|db| db.carried_b_items(today, 0)).map(drop),
        "reminders" => w.with(|db| db.reminders(today)).map(drop),
        "year_states" => w.with(|db| db.year_states(today)).map(drop),
        "safety_status" => w.safety_status().map(drop),
        "deadline_template" => w.with(|db| db.deadline_template(at.year)).map(drop),
        "calendar_days" => w.with(|db| db.calendar_days(at.year)).map(drop),
        "result_rows" => w.with(|db| db.result_rows(at.session, today)).map(drop),
        "evaluation" => w.with(|db| db.evaluation(at.year, today)).map(drop),
        other => panic!("screens.txt names {other}, which the benchmark does not make: add it to screen_call"),
    };
    done.unwrap_or_else(|e| panic!("{command}: {e}"));
}

/// Each figure's goal at 50,000 items (issue 13), as the table prints it.
const GOALS: &[(&str, &str)] = &[
    ("启动（窗口出现前）", "≤ 300"),
    ("启动到第一个页面的数据", "≤ 1000"),
    ("启动时的检查做完（后台）", ""),
    ("提醒", "≤ 20"),
    ("单位任务清单", "≤ 20"),
    ("承办单位总览", "≤ 20"),
    ("统计（一年）", "≤ 20"),
    ("统计（全部年度）", "≤ 20"),
    ("往年B类件", "≤ 20"),
    ("承办单位考评（一年）", "≤ 20"),
    ("成批登记结果（一个届次）", "≤ 20"),
    ("台账（全部，第一页）", "≤ 20"),
    ("台账（全部，末页）", "≤ 20"),
    ("台账（按领衔人排序）", "≤ 20"),
    ("台账（本年筛选）", "≤ 20"),
    ("台账（搜索）", "≤ 20"),
    ("台账（搜索，词都在三字以上）", "≤ 20"),
    ("单件页面", "≤ 20"),
    ("相似件（登记时输入标题，每次）", "≤ 20"),
    ("相似件索引（重建一次）", ""),
    ("相似件建议（按年重放，每件）", "≤ 20"),
    ("操作日志（一页）", "≤ 20"),
    ("操作日志（搜索）", "≤ 20"),
    ("操作日志（搜索，两字词）", "≤ 20"),
    ("操作日志（搜索，日志中没有的词）", "≤ 20"),
    ("操作日志（只选设置类）", "≤ 20"),
    ("操作日志（设置类中搜索）", "≤ 20"),
    ("新登记一件", "≤ 5"),
    ("登记一个办理环节", ""),
    ("导入预览 1000 行", "≤ 500"),
    ("导入 1000 行", "≤ 500"),
    ("承办情况表导出", "≤ 1.5×基线"),
    ("其中：读出表中各行", ""),
    ("承办情况表行数", ""),
    ("基线：rust_xlsxwriter 写同样的单元格", ""),
    ("基线：openpyxl 写同样的单元格", "导出快 ≥ 10×"),
    ("填入上级表格", ""),
    ("上级表格行数", ""),
    ("基线：SQLite 直接读全部件", ""),
    ("内存（打开提醒后，MB）", "≤ 150 MB"),
];

fn main() {
    let mut sizes = Vec::new();
    let mut runs = 7;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--open-and-measure" => return open_and_measure(Path::new(&args.next().expect("a ledger"))),
            "--accuracy" => return accuracy(),
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            n => sizes.extend(n.parse::<usize>().ok()),
        }
    }
    if sizes.is_empty() {
        sizes = vec![1_000, 10_000, 50_000];
    }
    let root = std::env::temp_dir().join("ledger-bench");
    let results: Vec<(usize, Figures)> = sizes.iter().map(|&size| (size, measure(size, runs, &root))).collect();

    println!("建议提案办理台账 基准（毫秒，{runs} 次取中位数；{} 为“今天”）", ledger_core::text::format_date_cn(today()));
    print!("| 项目 |");
    for (size, _) in &results {
        print!(" {size} 件 |");
    }
    println!(" 目标（5 万件） |");
    println!("|---|{}---|", "---:|".repeat(results.len()));
    for (name, goal) in GOALS {
        print!("| {name} |");
        for (_, figures) in &results {
            match figures.get(name) {
                Some(v) if name.contains("行数") => print!(" {v:.0} |"),
                Some(v) => print!(" {v:.1} |"),
                None => print!(" — |"),
            }
        }
        println!(" {goal} |");
    }
    println!();
    println!("每个页面打开时的全部调用（screens.txt），依次调用，毫秒：");
    print!("| 页面 |");
    for (size, _) in &results {
        print!(" {size} 件 |");
    }
    println!(" 目标（5 万件） |");
    println!("|---|{}---|", "---:|".repeat(results.len()));
    for (route, calls) in screens() {
        print!("| {route}（{}）|", calls.join("、"));
        for (_, figures) in &results {
            print!(" {:.1} |", figures.get(route).copied().unwrap_or(f64::NAN));
        }
        println!(" ≤ 20 |");
    }
    if let Some(size) = std::fs::metadata("target/release/jianyi-taizhang").ok().map(|m| m.len()) {
        println!("发布版程序大小：{:.1} MB（目标 ≤ 15 MB）", size as f64 / 1_048_576.0);
    }
}
