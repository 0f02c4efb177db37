//! The 办理情况反馈表 round trip: exported for a unit, filled in by a script with openpyxl (as
//! a unit with Excel would), also re-saved by LibreOffice (as WPS-like software would), and
//! taken back exactly; conflicts, tampered locked cells, added and deleted rows, a foreign
//! file, a second return and cells that cannot be read are each caught. openpyxl, a second
//! reader, also finds the validation, protection and print setup in the file.

use super::*;
use chrono::NaiveDate;
use ledger_core::unit_exchange::{ReturnedFile, TakeBackOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 4, 15).unwrap()
}

/// The day the files come back.
fn back() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 4, 30).unwrap()
}

/// What a unit does with the file in Excel: fills the open cells of the rows whose 编号 is
/// given, with values by header; reverses the order of the rows (a unit sorted them).
const FILL: &str = r#"
import sys, json, datetime, openpyxl
source, target, plan = sys.argv[1], sys.argv[2], json.loads(open(sys.argv[3]).read())
book = openpyxl.load_workbook(source)
ws = book['办理情况反馈表']
header = next(r for r in ws.iter_rows(min_row=1, max_row=15) if any(c.value == '签收日期' for c in r))
col = {c.value: c.column for c in header}
first = header[0].row + 1
rows = [r for r in range(first, ws.max_row + 1) if ws.cell(r, col['件号']).value is not None]
values = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in rows]
if plan.get('reverse'):
    values.reverse()
for r, row in zip(rows, values):
    for c, v in enumerate(row, start=1):
        ws.cell(r, c).value = v
for r in rows:
    number = ws.cell(r, col['编号']).value
    for name, value in plan['cells'].get(number, {}).items():
        if isinstance(value, str) and value.startswith('date:'):
            value = datetime.date.fromisoformat(value[5:])
        ws.cell(r, col[name]).value = value
for r in plan.get('delete', []):
    ws.delete_rows(rows[r])
if plan.get('add'):
    ws.cell(ws.max_row + 1, col['标题']).value = '单位自己加的一行'
book.save(target)
"#;

/// A unit's file filled in as `plan` (JSON) says, saved as `name` in `dir`.
fn filled(dir: &Path, export: &Path, name: &str, plan: serde_json::Value) -> PathBuf {
    let plan_file = dir.join(format!("{name}.json"));
    std::fs::write(&plan_file, plan.to_string()).unwrap();
    let target = dir.join(name);
    python(FILL, &[export, &target, &plan_file]);
    target
}

fn returned(path: &Path) -> ReturnedFile {
    ReturnedFile::read(&std::fs::read(path).unwrap(), &path.file_name().unwrap().to_string_lossy())
}

/// The fixture with three items: 1 led by 县发改委 with 县教育局 assisting, 2 led by 县发改委,
/// 3 led by 县教育局.
pub fn three_items(f: &mut Fixture) -> [i64; 3] {
    let mut first = item_input(f.suggestions_2025, "001", "关于加快实施布久乡孜热村升级改造项目的建议", f.fagai);
    first.assignments.push(AssignmentInput { unit_id: Some(f.jiaoyu), role: "协办".into(), ..Default::default() });
    let first = f.db.create_item(&first).unwrap();
    let second = f.db.create_item(&item_input(f.suggestions_2025, "002", "关于完善新能源汽车充电设施的建议", f.fagai)).unwrap();
    let third = f.db.create_item(&item_input(f.suggestions_2025, "003", "关于建设老年人日间照料中心的建议", f.jiaoyu)).unwrap();
    [first, second, third]
}

/// 县发改委's file, saved in `dir`.
fn export_for(f: &mut Fixture, dir: &Path) -> PathBuf {
    let mut path = None;
    f.db.feedback_file(f.fagai, today(), &mut |(bytes, name)| {
        path = Some(dir.join(name));
        std::fs::write(dir.join(name), bytes)
    }).unwrap();
    path.unwrap()
}

#[test]
fn the_exported_workbook_is_locked_validated_and_printable_as_openpyxl_reads_it() -> TestResult {
    let mut f = fixture();
    three_items(&mut f);
    let dir = tempfile::tempdir()?;
    let export = export_for(&mut f, dir.path());
    assert!(export.file_name().unwrap().to_string_lossy().starts_with("精河县发展和改革委员会办理情况反馈表"));
    let report = python(r#"
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
ws = book['办理情况反馈表']
print('sheets', book.sheetnames, book['反馈表标识'].sheet_state)
print('protected', ws.protection.sheet, 'password', ws.protection.password)
print('landscape', ws.page_setup.orientation, 'paper', ws.page_setup.paperSize, 'fit', ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.fitToHeight)
print('repeat', ws.print_title_rows)
header = next(r for r in ws.iter_rows(min_row=1, max_row=15) if any(c.value == '签收日期' for c in r))
col = {c.value: c.column_letter for c in header}
print('hidden', ws.column_dimensions[col['件号']].hidden)
row = header[0].row + 1
print('locked', ws[col['标题'] + str(row)].protection.locked, 'open', ws[col['签收日期'] + str(row)].protection.locked)
for dv in ws.data_validations.dataValidation:
    print('dv', dv.type, dv.sqref, repr(dv.formula1), dv.promptTitle, dv.errorStyle)
"#, &[&export]);
    assert!(report.contains("sheets ['办理情况反馈表', '反馈表标识'] hidden"), "{report}");
    assert!(report.contains("protected True password None"), "protected without a password: {report}");
    assert!(report.contains("landscape landscape paper 9 fit True 0"), "A4 landscape, one page wide (any number of pages long): {report}");
    assert!(report.contains("repeat $6:$6"), "{report}");
    assert!(report.contains("hidden True"), "{report}");
    assert!(report.contains("locked True open False"), "{report}");
    assert!(report.contains("dv date") && report.contains("'\"A,B,C\"'") && report.contains("'\"满意,基本满意,不满意\"'"), "{report}");
    assert!(report.contains("签收日期 warning"), "an input title on each fill-in column: {report}");
    Ok(())
}

#[test]
fn a_filled_in_file_comes_back_exactly_once_even_sorted_and_resaved() -> TestResult {
    let mut f = fixture();
    let [first, second, _] = three_items(&mut f);
    let dir = tempfile::tempdir()?;
    let export = export_for(&mut f, dir.path());
    let plan = serde_json::json!({
        "reverse": true,
        "cells": {
            "001": { "签收日期": "date:2025-03-18", "面商日期": "4月2日", "面商方式": "走访", "答复日期": "2025.4.18",
                     "答复文号": "精发改函〔2025〕12号", "办理结果": "A", "沟通方式": "面商", "对办理工作的评价": "满意", "对办理结果的评价": "基本满意",
                     "备注": "已与代表当面沟通" },
            "002": { "签收日期": "2025年3月19日" }
        }
    });
    let path = filled(dir.path(), &export, "县发改委反馈.xlsx", plan.clone());
    let check = f.db.check_returned(&[returned(&path)], &TakeBackOptions::default(), back())?;
    assert_eq!(check.preview.problems, [], "{:?}", check.preview.problems);
    assert_eq!(check.preview.steps, 5, "签收 ×2, 面商, 正式答复, 征求意见: {:?}", check.preview.files);
    let rows = &check.preview.files[0].rows;
    assert_eq!(rows.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(), ["002", "001"], "the unit's order, read by the hidden 件号");
    assert!(f.db.get_item(first)?.events.is_empty(), "a check writes nothing");

    f.db.take_back(&[returned(&path)], &TakeBackOptions::default(), back())?;
    let events = f.db.get_item(first)?.events;
    let steps: Vec<(&str, String, &str)> = events.iter().map(|e| (e.step.as_str(), e.happened_on.to_string(), e.source.as_str())).collect();
    assert_eq!(steps, [
        ("签收", "2025-03-18".to_string(), "单位反馈：县发改委反馈.xlsx"),
        ("面商", "2025-04-02".to_string(), "单位反馈：县发改委反馈.xlsx"),
        ("正式答复", "2025-04-18".to_string(), "单位反馈：县发改委反馈.xlsx"),
        ("征求意见", "2025-04-18".to_string(), "单位反馈：县发改委反馈.xlsx"),
    ]);
    assert_eq!(events[0].note, "单位备注：已与代表当面沟通");
    assert_eq!(events[0].unit_name.as_deref(), Some("精河县发展和改革委员会"));
    assert_eq!(f.db.get_item(second)?.events.len(), 1);
    super::work::assert_kept(&f.db, today(), "a file taken back");
    let log = f.db.operation_log(&ledger_core::queries::log::LogQuery { text: "县发改委反馈.xlsx".into(), ..Default::default() }, None)?;
    assert!(log.iter().any(|e| e.action == "收回办理情况反馈表"), "the log names the file: {log:?}");

    // The same file again records nothing; so does the file re-saved by LibreOffice, as .xlsx and as .xls.
    let again = f.db.take_back(&[returned(&path)], &TakeBackOptions::default(), back())?;
    assert_eq!((again.steps, again.already), (0, 5));
    for format in ["xlsx", "xls"] {
        let out = dir.path().join(format);
        let status = Command::new("soffice").args(["--headless", "--convert-to", format, "--outdir"]).arg(&out).arg(&path)
            .env("HOME", dir.path()).status()?;
        assert!(status.success());
        let resaved = out.join(format!("县发改委反馈.{format}"));
        let check = f.db.check_returned(&[returned(&resaved)], &TakeBackOptions::default(), back())?;
        assert_eq!((check.preview.steps, check.preview.already, check.preview.problems.len()), (0, 5, 0), "{format}: {:?}", check.preview.problems);
    }
    assert_eq!(f.db.get_item(first)?.events.len(), 4);
    Ok(())
}

#[test]
fn conflicts_tampering_added_and_deleted_rows_foreign_files_and_bad_cells_are_each_caught() -> TestResult {
    let mut f = fixture();
    let [first, ..] = three_items(&mut f);
    let dir = tempfile::tempdir()?;
    let export = export_for(&mut f, dir.path());
    f.db.record_step(first, &ledger_core::workflow::StepInput { step: "签收".into(), happened_on: "2025-03-18".into(), unit_id: Some(f.fagai), ..Default::default() })?;

    // The unit says it signed on the 20th: a conflict, kept as recorded unless the clerk accepts.
    let plan = serde_json::json!({ "cells": { "001": { "签收日期": "2025-03-20" }, "002": { "签收日期": "下周" } } });
    let path = filled(dir.path(), &export, "冲突.xlsx", plan);
    let check = f.db.check_returned(&[returned(&path)], &TakeBackOptions::default(), back())?;
    let conflict = &check.preview.files[0].rows[0].conflicts[0];
    assert_eq!((conflict.step.as_str(), conflict.recorded.as_str(), conflict.in_file.as_str(), conflict.accepted), ("签收", "2025年3月18日", "2025年3月20日", false));
    let bad = &check.preview.problems[0];
    assert_eq!((bad.row.is_some(), bad.column.as_str()), (true, "签收日期"), "{bad:?}");
    assert!(bad.message.contains("下周"), "{bad:?}");
    assert_eq!(check.preview.steps, 0);
    let accepted = TakeBackOptions { accepted: vec![conflict.key.clone()] };
    f.db.take_back(&[returned(&path)], &accepted, back())?;
    let events = f.db.get_item(first)?.events;
    assert!(events.iter().any(|e| e.voided && e.happened_on.to_string() == "2025-03-18"), "the old entry is kept, marked");
    assert!(events.iter().any(|e| !e.voided && e.happened_on.to_string() == "2025-03-20" && e.source == "单位反馈：冲突.xlsx"));

    // A locked title changed, a row added, a row deleted.
    let plan = serde_json::json!({ "cells": { "001": { "标题": "关于别的事的建议" } }, "add": true, "delete": [1] });
    let path = filled(dir.path(), &export, "改过的.xlsx", plan);
    let problems = f.db.check_returned(&[returned(&path)], &TakeBackOptions::default(), back())?.preview.problems;
    let said: Vec<String> = problems.iter().map(|p| format!("{:?} {} {}", p.row, p.column, p.message)).collect();
    assert!(said.iter().any(|p| p.contains("标题") && p.contains("锁定的内容被改动")), "{said:?}");
    assert!(said.iter().any(|p| p.contains("单位增加")), "{said:?}");
    assert!(said.iter().any(|p| p.contains("第002号") && p.contains("被删除")), "{said:?}");

    // A file of another ledger.
    let mut other = fixture();
    three_items(&mut other);
    let elsewhere = dir.path().join("别处");
    std::fs::create_dir_all(&elsewhere)?;
    let foreign = export_for(&mut other, &elsewhere);
    let problems = f.db.check_returned(&[returned(&foreign)], &TakeBackOptions::default(), back())?.preview.problems;
    assert!(problems[0].message.contains("不是本台账导出的"), "{problems:?}");
    // And a spreadsheet that is no 反馈表 at all.
    let plain = dir.path().join("清单.csv");
    std::fs::write(&plain, "编号,标题\n1,关于甲的建议\n")?;
    let problems = f.db.check_returned(&[returned(&plain)], &TakeBackOptions::default(), back())?.preview.problems;
    assert!(problems[0].message.contains("找不到表的标识"), "{problems:?}");
    // A damaged file among good ones is reported; the good ones still come back.
    let damaged = ReturnedFile::read(b"PK\x03\x04 not a workbook", "坏了.xlsx");
    let good = filled(dir.path(), &export, "好的.xlsx", serde_json::json!({ "cells": { "002": { "签收日期": "2025-03-19" } } }));
    let check = f.db.check_returned(&[damaged, returned(&good)], &TakeBackOptions::default(), back())?;
    assert!(check.preview.problems.iter().any(|p| p.file == "坏了.xlsx" && p.message.contains("没有收回")), "{:?}", check.preview.problems);
    assert_eq!(check.preview.steps, 1);
    Ok(())
}
