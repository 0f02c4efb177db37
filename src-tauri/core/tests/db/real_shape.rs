//! A prefecture's lists in the shape they really come in, at their real size: this year's
//! 交办清单 of 295 suggestions (a merged title, the date in a title row, synonym headers, numbers
//! stored as numbers and as text, a 附议人数 column, six units by short and by full name), and
//! last year's ledger of 120 items with its results in words and in letters. Every figure the
//! ledger gives afterwards is held against a count of the files made here.

use super::*;
use chrono::NaiveDate;
use ledger_core::import::preview::ImportOptions;
use ledger_core::queries::reports::TableQuery;
use ledger_core::stats::{Breakdown, SatisfactionDefinition};
use ledger_core::model::BoardSection;
use rust_xlsxwriter::{Format, Workbook};

const UNITS: [(&str, &str); 6] = [
    ("州发改委", "州发展和改革委员会"), ("州卫健委", "州卫生健康委员会"), ("州文旅局", "州文化和旅游局"),
    ("州人社局", "州人力资源和社会保障局"), ("州住建局", "州住房和城乡建设局"), ("州工信局", "州工业和信息化局"),
];
const CATEGORIES: [&str; 5] = ["工交财贸", "科教文卫", "农林水牧", "社会建设", "劳动人事"];

/// This year's list and what it holds: (file, co-signers in all, rows with co-signers).
fn list_2025() -> (Vec<u8>, i64, usize) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.merge_range(0, 0, 0, 8, "州十六届人大二次会议代表建议交办清单", &Format::new()).unwrap();
    sheet.write_string(1, 0, "（2025年3月17日交办）").unwrap();
    for (c, h) in ["序号", "建议号", "案由", "领衔代表", "附议人数", "代表团", "主办单位", "会办单位", "类别"].iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let (mut cosigners, mut joint) = (0, 0);
    for i in 1..=295u32 {
        let r = i + 2;
        let (short, full) = UNITS[i as usize % 6];
        sheet.write_number(r, 0, i as f64).unwrap();
        // Excel keeps a typed 001 as text only where the cell was text: half the list lost its zeros.
        if i % 2 == 1 { sheet.write_number(r, 1, i as f64).unwrap() } else { sheet.write_string(r, 1, format!("{i:03}")).unwrap() };
        sheet.write_string(r, 2, format!("关于推进第{i}项民生工程建设的建议")).unwrap();
        sheet.write_string(r, 3, format!("代表{i}")).unwrap();
        let others = (i * 7 % 12) as i64;
        if others > 0 {
            if i % 2 == 0 { sheet.write_number(r, 4, others as f64).unwrap() } else { sheet.write_string(r, 4, others.to_string()).unwrap() };
            cosigners += others;
            joint += 1;
        }
        sheet.write_string(r, 5, "精河县代表团").unwrap();
        sheet.write_string(r, 6, if i % 5 == 0 { short } else { full }).unwrap();
        if i % 4 == 0 {
            let (assist_short, _) = UNITS[(i as usize + 1) % 6];
            sheet.write_string(r, 7, assist_short).unwrap();
        }
        sheet.write_string(r, 8, CATEGORIES[i as usize % 5]).unwrap();
    }
    (book.save_to_buffer().unwrap(), cosigners, joint)
}

/// What last year's ledger says, counted as it is written.
#[derive(Debug, Default, PartialEq)]
struct Counted {
    classes: [u64; 3],
    satisfied: u64,
    basic: u64,
    unsatisfied: u64,
    met: u64,
    published: u64,
    replied: u64,
}

fn ledger_2024() -> (Vec<u8>, Counted) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.merge_range(0, 0, 0, 9, "2024年州人大代表建议办理情况台账", &Format::new()).unwrap();
    for (c, h) in ["建议号", "标题", "领衔人", "主办单位", "交办日期", "面商时间", "办复日期", "答复函号", "办理结果（A/B/C）", "代表满意度", "公开属性"].iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let words = [["A", "已经解决", "A类（已解决）"], ["B", "列入计划", "正在解决"], ["C", "留作参考", "解释说明"]];
    let ratings = ["满意", "满意", "基本满意", "满意", "不满意"];
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut counted = Counted::default();
    for i in 1..=120u32 {
        let r = i + 1;
        let (_, full) = UNITS[i as usize % 6];
        sheet.write_string(r, 0, format!("{i:03}")).unwrap();
        sheet.write_string(r, 1, format!("关于改善第{i}个社区服务设施的建议")).unwrap();
        sheet.write_string(r, 2, format!("代表{}", 300 + i)).unwrap();
        sheet.write_string(r, 3, full).unwrap();
        sheet.write_string(r, 4, "2024-03-15").unwrap();
        if i % 3 == 0 {
            sheet.write_string(r, 5, "2024.4.2").unwrap();
            counted.met += 1;
        }
        if i % 10 == 0 {
            continue; // not answered yet when the ledger was saved
        }
        counted.replied += 1;
        // Reply dates as real date cells (45432 is 2024-05-20), a few as text.
        if i % 2 == 0 { sheet.write_number_with_format(r, 6, 45432.0, &date).unwrap() } else { sheet.write_string(r, 6, "2024年5月20日").unwrap() };
        sheet.write_string(r, 7, format!("州政函〔2024〕{i}号")).unwrap();
        let class = (i as usize * 5) % 7 % 3;
        counted.classes[class] += 1;
        sheet.write_string(r, 8, words[class][i as usize % 3]).unwrap();
        let rating = ratings[i as usize % 5];
        match rating {
            "满意" => counted.satisfied += 1,
            "基本满意" => counted.basic += 1,
            _ => counted.unsatisfied += 1,
        }
        sheet.write_string(r, 9, rating).unwrap();
        let public = i % 4 != 0;
        counted.published += public as u64;
        sheet.write_string(r, 10, if public { "主动公开" } else { "不予公开" }).unwrap();
    }
    (book.save_to_buffer().unwrap(), counted)
}

fn shares(breakdown: &Breakdown) -> Vec<(String, u64)> {
    breakdown.parts.iter().map(|p| (p.label.clone(), p.count)).collect()
}

#[test]
fn a_prefectures_lists_come_in_whole_and_every_figure_is_the_files() -> TestResult {
    let mut f = fixture();
    let today = NaiveDate::from_ymd_opt(2025, 10, 5).unwrap();
    let units_before = f.db.list_units()?.len();

    // Last year first: its results, then the year closed.
    let (ledger, counted) = ledger_2024();
    let options = ImportOptions { session_id: Some(f.suggestions_2024), create_units: true, ..Default::default() };
    let preview = f.db.preview_import(&ledger, "2024年建议台账.xlsx", &options)?;
    assert_eq!(preview.problems.iter().filter(|p| p.blocks).collect::<Vec<_>>(), Vec::<&ledger_core::import::preview::Problem>::new());
    let words: Vec<(&str, &str)> = preview.outcome_words.iter().map(|w| (w.word.as_str(), w.class.as_str())).collect();
    assert_eq!(words.len(), 5, "{words:?}");
    assert!(words.contains(&("列入计划", "B")) && words.contains(&("解释说明", "C")) && words.contains(&("已经解决", "A")), "{words:?}");
    let done = f.db.import_items(&ledger, "2024年建议台账.xlsx", &options)?;
    assert_eq!(done.writable(), 120);
    let steps_recorded = done.result_steps;

    let year_2024 = TableQuery { year: 2024, ..Default::default() };
    let figures = f.db.statistics(&year_2024, SatisfactionDefinition::default(), today)?;
    assert_eq!(figures.total, 120);
    assert_eq!(shares(&figures.classes).iter().map(|(_, n)| *n).collect::<Vec<_>>(), counted.classes, "A/B/C as the file says");
    assert_eq!((figures.completion.numerator, figures.completion.denominator), (counted.replied, 120));
    assert_eq!(shares(&figures.opinions), [("满意".to_string(), counted.satisfied), ("基本满意".to_string(), counted.basic), ("不满意".to_string(), counted.unsatisfied)]);
    assert_eq!((figures.satisfaction.numerator, figures.satisfaction.denominator), (counted.satisfied + counted.basic, counted.replied));
    assert_eq!((figures.meetings.numerator, figures.published), (counted.met, counted.published));
    f.db.close_year(2024, today)?;

    // This year's list.
    let (list, cosigners, joint) = list_2025();
    let options = ImportOptions { session_id: Some(f.suggestions_2025), create_units: true, ..Default::default() };
    let preview = f.db.preview_import(&list, "交办清单.xlsx", &options)?;
    assert_eq!(preview.rows.len(), 295, "every row read");
    assert_eq!(preview.default_date, "2025-03-17", "the date of the title row");
    assert_eq!(preview.unit_matches.iter().filter(|m| m.in_directory && m.accepted).count(), 6, "each short name is taken for its unit: {:?}", preview.unit_matches);
    assert_eq!(preview.problems.iter().filter(|p| p.blocks).count(), 0, "{:?}", &preview.problems[..preview.problems.len().min(5)]);
    let done = f.db.import_items(&list, "交办清单.xlsx", &options)?;
    assert_eq!(done.writable(), 295, "every row written");

    let items = f.db.list_items(&ledger_core::queries::items::ItemQuery { year: Some(2025), ..Default::default() })?;
    assert_eq!(items.len(), 295);
    assert!(items.iter().all(|i| i.number.len() == 3), "one style of numbers, the list's: 001 … 295");
    let figures = f.db.statistics(&TableQuery { year: 2025, ..Default::default() }, SatisfactionDefinition::default(), today)?;
    assert_eq!(shares(&figures.proposers), [("个人".to_string(), 295 - joint as u64), ("联名".to_string(), joint as u64), ("集体".to_string(), 0)]);
    let signers: i64 = items.iter().map(|i| f.db.get_item(i.id).map(|d| d.signers_total.unwrap_or(1) - 1)).sum::<Result<i64, _>>()?;
    assert_eq!(signers, cosigners, "every co-signer counted, none made a person");
    let units = f.db.list_units()?;
    assert_eq!(units.len(), units_before + 6, "six units, not twelve: {:?}", units.iter().map(|u| (&u.name, &u.short_name)).collect::<Vec<_>>());
    for (short, full) in UNITS {
        assert!(units.iter().any(|u| u.name == full && u.short_name == short), "{full} has its short name {short}");
    }

    // The board: this year's work, and last year's B items due for 回头看.
    let mut rows_2024 = 0;
    for section in BoardSection::ALL {
        let mut offset = 0;
        loop {
            let page = f.db.reminder_page(today, section, offset)?;
            for r in &page.rows {
                assert!(r.year == 2025 || r.due.step.as_str() == "回头看", "{} {} {}", r.year, r.number, r.due.label);
                rows_2024 += (r.year == 2024) as usize;
            }
            offset += page.rows.len();
            if page.rows.is_empty() || offset >= page.total {
                break;
            }
        }
    }
    assert_eq!(rows_2024 as u64, counted.classes[1], "each B item of 2024 is looked back on");
    println!(
        "real-shaped lists: 2025 list {} rows read, {} written, {} co-signers on {} rows (个人/联名/集体 {:?}), units {} → {}; \
         2024 ledger 120 rows, {} steps recorded, A/B/C {:?} (file {:?}), 满意/基本满意/不满意 {:?}, 面商 {}, 公开 {}, board rows of 2024 {}",
        preview.rows.len(), done.writable(), cosigners, joint, shares(&figures.proposers), units_before, units.len(), steps_recorded,
        shares(&f.db.statistics(&year_2024, SatisfactionDefinition::default(), today)?.classes), counted.classes,
        (counted.satisfied, counted.basic, counted.unsatisfied), counted.met, counted.published, rows_2024,
    );
    Ok(())
}
