//! The operation log on real files: each kind of change writes exactly one entry with the
//! right old and new values, a failed change writes none, and the log cannot be altered.

use super::*;
use ledger_core::deadlines::RuleInput;
use ledger_core::queries::log::{Change, LogEntry, LogQuery};
use ledger_core::queries::snoozes::SnoozeInput;
use ledger_core::workflow::StepInput;

fn log(db: &Db) -> Vec<LogEntry> {
    db.operation_log(&LogQuery::default(), None).unwrap()
}

/// Runs a change and returns the one entry it wrote.
fn one_entry<T: std::fmt::Debug>(db: &mut Db, change: impl FnOnce(&mut Db) -> ledger_core::Result<T>) -> LogEntry {
    let before = log(db).len();
    change(db).expect("the change succeeds");
    let after = log(db);
    assert_eq!(after.len(), before + 1, "exactly one entry: {:#?}", &after[..after.len() - before]);
    after.into_iter().next().unwrap()
}

/// Runs a failing change and checks that it wrote nothing.
fn no_entry<T: std::fmt::Debug>(db: &mut Db, change: impl FnOnce(&mut Db) -> ledger_core::Result<T>) {
    let before = log(db).len();
    assert!(change(db).is_err(), "the change must fail");
    assert_eq!(log(db).len(), before, "a failed change writes no entry");
}

fn changed(entry: &LogEntry, field: &str) -> (String, String) {
    let c: &Change = entry.changes.iter().find(|c| c.field == field).unwrap_or_else(|| panic!("no change of {field}: {entry:#?}"));
    (c.old.clone(), c.new.clone())
}

fn pair(old: &str, new: &str) -> (String, String) {
    (old.to_string(), new.to_string())
}

#[test]
fn items_are_logged_created_edited_deleted_and_restored() -> TestResult {
    let mut f = fixture();
    let input = item_input(f.suggestions_2025, "214", "关于加快实施布久乡孜热村升级改造项目的建议", f.fagai);
    let created = one_entry(&mut f.db, |db| db.create_item(&input));
    let id = created.item_id.expect("the entry names the item");
    assert_eq!((created.kind.as_str(), created.action.as_str()), ("建议提案", "登记"));
    assert_eq!(created.target, "州十六届人大二次会议第214号建议《关于加快实施布久乡孜热村升级改造项目的建议》");
    assert_eq!(created.user, ledger_core::db::current_user());
    assert_eq!(changed(&created, "标题"), pair("", "关于加快实施布久乡孜热村升级改造项目的建议"));
    assert_eq!(changed(&created, "承办单位"), pair("", "主办：精河县发展和改革委员会"));
    assert!(!created.changes.iter().any(|c| c.field == "督办领导"), "empty fields are not listed as changes");

    let mut edited = input.clone();
    edited.title = "关于加快实施巴宜区布久乡孜热村升级改造项目的建议".into();
    edited.assignments.push(AssignmentInput { unit_id: Some(f.jiaoyu), role: "协办".into(), ..Default::default() });
    let update = one_entry(&mut f.db, |db| db.update_item(id, &edited));
    assert_eq!(update.action, "修改");
    assert_eq!(update.changes.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(), ["标题", "承办单位"], "only what changed");
    assert_eq!(changed(&update, "承办单位"), pair("主办：精河县发展和改革委员会", "主办：精河县发展和改革委员会；协办：精河县教育局"));

    let before = log(&f.db).len();
    f.db.update_item(id, &edited)?;
    assert_eq!(log(&f.db).len(), before, "saving without a change writes nothing");

    let deleted = one_entry(&mut f.db, |db| db.delete_item(id));
    assert_eq!((deleted.action.as_str(), changed(&deleted, "状态")), ("移入回收站", pair("在台账中", "在回收站中")));
    let restored = one_entry(&mut f.db, |db| db.restore_item(id));
    assert_eq!(changed(&restored, "状态"), pair("在回收站中", "在台账中"));

    // Failed changes: a missing title, a number used twice, an unknown item.
    no_entry(&mut f.db, |db| db.create_item(&item_input(f.suggestions_2025, "215", " ", f.fagai)));
    no_entry(&mut f.db, |db| db.create_item(&item_input(f.suggestions_2025, "214", "关于完善新能源汽车充电设施的建议", f.fagai)));
    no_entry(&mut f.db, |db| db.update_item(9999, &edited));

    // The item's own history, newest first.
    let history = f.db.operation_log(&LogQuery { item_id: Some(id), ..Default::default() }, None)?;
    assert_eq!(history.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["从回收站恢复", "移入回收站", "修改", "登记"]);
    Ok(())
}

#[test]
fn units_categories_sessions_and_settings_are_logged() -> TestResult {
    let mut f = fixture();
    let unit = one_entry(&mut f.db, |db| db.create_unit(&UnitInput { name: "精河县民政局".into(), short_name: "县民政局".into(), ..Default::default() }));
    assert_eq!((unit.kind.as_str(), unit.target.as_str(), changed(&unit, "简称")), ("承办单位", "精河县民政局", pair("", "县民政局")));
    let renamed = one_entry(&mut f.db, |db| db.update_unit(f.fagai, &UnitInput { name: "精河县发展和改革委员会".into(), short_name: "县发改委".into(), phone: "0909-5321101".into(), ..Default::default() }));
    assert_eq!(renamed.changes, vec![Change { field: "电话".into(), old: String::new(), new: "0909-5321101".into() }]);
    let retired = one_entry(&mut f.db, |db| db.set_unit_active(f.yuanqu, false));
    assert_eq!((retired.action.as_str(), changed(&retired, "状态")), ("停用", pair("启用", "停用")));
    no_entry(&mut f.db, |db| db.create_unit(&UnitInput { name: "精河县教育局".into(), ..Default::default() }));
    no_entry(&mut f.db, |db| db.set_unit_active(9999, false));

    let category = f.db.list_categories()?.into_iter().find(|c| c.name == "其它").unwrap();
    let renamed = one_entry(&mut f.db, |db| db.rename_category(category.id, "其他"));
    assert_eq!((renamed.target.as_str(), changed(&renamed, "名称")), ("建议类别“其他”", pair("其它", "其他")));
    no_entry(&mut f.db, |db| db.rename_category(category.id, "科教文卫"));

    let session = one_entry(&mut f.db, |db| db.update_session(f.suggestions_2024, &SessionInput {
        kind: "建议".into(), level: "州".into(), year: "2024".into(), name: "州十六届人大第一次会议".into(),
    }));
    assert_eq!(changed(&session, "名称"), pair("州十六届人大一次会议", "州十六届人大第一次会议"));

    let office = one_entry(&mut f.db, |db| db.set_office_name("精河县人民政府办公室"));
    assert_eq!((office.kind.as_str(), changed(&office, "本单位名称")), ("设置", pair("", "精河县人民政府办公室")));
    no_entry(&mut f.db, |db| db.set_office_name(" "));
    Ok(())
}

#[test]
fn workflow_deadlines_reminders_and_replies_are_logged() -> TestResult {
    let mut f = fixture();
    let id = f.db.create_item(&item_input(f.suggestions_2025, "214", "关于加快实施布久乡孜热村升级改造项目的建议", f.fagai))?;
    let step = |step: &str, on: &str| StepInput { step: step.into(), happened_on: on.into(), unit_id: Some(f.fagai), ..Default::default() };
    let receipt = one_entry(&mut f.db, |db| db.record_step(id, &step("签收", "2025-03-18")));
    assert_eq!((receipt.kind.as_str(), receipt.action.as_str(), receipt.item_id), ("办理过程", "登记办理环节", Some(id)));
    assert_eq!(changed(&receipt, "日期"), pair("", "2025年3月18日"));
    let event = f.db.get_item(id)?.events[0].id;
    let corrected = one_entry(&mut f.db, |db| db.correct_step(event, &step("签收", "2025-03-19")));
    assert_eq!((corrected.action.as_str(), changed(&corrected, "日期")), ("更正办理记录", pair("2025年3月18日", "2025年3月19日")));
    let live = f.db.get_item(id)?.events.iter().find(|e| !e.voided).unwrap().id;
    let undone = one_entry(&mut f.db, |db| db.undo_step(live, "误登"));
    assert_eq!(changed(&undone, "状态"), pair("有效", "已撤销：误登"));
    no_entry(&mut f.db, |db| db.record_step(id, &step("签收", "2025-03-01")));
    no_entry(&mut f.db, |db| db.undo_step(live, "再撤一次"));

    let own = one_entry(&mut f.db, |db| db.set_deadline_override(id, "正式答复", "2025-04-30", "重点件"));
    assert_eq!(changed(&own, "本件时限"), pair("按年度模板", "2025年4月30日"));
    let rule = one_entry(&mut f.db, |db| db.set_deadline_rule_from(2025, "答复样稿", &RuleInput { kind: "固定日期".into(), fixed: "2025-04-20".into(), ..Default::default() }));
    assert_eq!((rule.target.as_str(), changed(&rule, "答复样稿")), ("2025年办理时限模板", pair("2025年4月18日", "2025年4月20日")));
    let national = one_entry(&mut f.db, |db| db.apply_built_in_template(2025, ledger_core::deadlines::BUILT_IN[1]));
    assert_eq!(changed(&national, "正式答复"), pair("2025年5月26日", "交办后3月"));
    let holiday = one_entry(&mut f.db, |db| db.mark_day("2025-10-08", "休", "国庆"));
    assert_eq!(changed(&holiday, "2025年10月8日"), pair("按周末计算", "放假（国庆）"));
    no_entry(&mut f.db, |db| db.mark_day("2025-10-32", "休", ""));

    let today = chrono::NaiveDate::from_ymd_opt(2025, 3, 24).unwrap();
    let snooze = SnoozeInput { item_id: id, step: "签收".into(), unit_id: Some(f.fagai), until: "2025-03-28".into(), note: "单位已电话说明".into() };
    let snoozed = one_entry(&mut f.db, |db| db.snooze(&snooze, today));
    assert_eq!((snoozed.kind.as_str(), changed(&snoozed, "原因")), ("提醒", pair("", "单位已电话说明")));
    no_entry(&mut f.db, |db| db.snooze(&SnoozeInput { note: String::new(), ..snooze }, today));

    let template = f.db.reply_templates()?.templates[0].clone();
    let letter = f.db.start_reply(id, template.id, None, today)?;
    let content = ledger_core::reply::ReplyContentInput {
        title: letter.title.clone(), salutation: letter.salutation, signer: letter.signer, date: "2025-04-18".into(), publication: "主动公开".into(), ..Default::default()
    };
    let draft = ledger_core::queries::replies::DraftInput { purpose: "主办答复".into(), unit_id: Some(f.fagai), content, note: "初稿".into(), ..Default::default() };
    let saved = one_entry(&mut f.db, |db| db.save_reply(id, &draft));
    assert_eq!((saved.kind.as_str(), changed(&saved, "版本"), changed(&saved, "说明")), ("答复样稿", pair("", "主办答复第1版"), pair("", "初稿")));
    let input = ledger_core::reply::TemplateInput { name: template.name.clone(), kind: "建议".into(), purpose: "主办答复".into(),
        parts: ledger_core::reply::TemplateParts { cc: "县人大常委会办公室、县政协办公室".into(), ..template.parts.clone() } };
    let edited = one_entry(&mut f.db, |db| db.save_reply_template(Some(template.id), &input));
    assert_eq!(edited.changes, vec![Change { field: "抄送".into(), old: "县人大常委会办公室".into(), new: "县人大常委会办公室、县政协办公室".into() }]);
    Ok(())
}

#[test]
fn the_log_is_append_only() -> TestResult {
    let mut f = fixture();
    f.db.set_office_name("精河县人民政府办公室")?;
    drop(f.db);
    let raw = rusqlite::Connection::open(f._dir.path().join(ledger_core::db::DB_FILE_NAME))?;
    let update = raw.execute("UPDATE operation_log SET user = '别人'", []);
    assert!(update.unwrap_err().to_string().contains("操作日志只能追加"));
    let delete = raw.execute("DELETE FROM operation_log", []);
    assert!(delete.unwrap_err().to_string().contains("操作日志只能追加"));
    let count: i64 = raw.query_row("SELECT count(*) FROM operation_log", [], |r| r.get(0))?;
    assert_eq!(count, 7, "three sessions, three units and the office name, unchanged");
    Ok(())
}

#[test]
fn the_log_is_filtered_and_exported() -> TestResult {
    let mut f = fixture();
    let id = f.db.create_item(&item_input(f.suggestions_2025, "214", "关于加快实施布久乡孜热村升级改造项目的建议", f.fagai))?;
    f.db.set_office_name("精河县人民政府办公室")?;
    let units = f.db.operation_log(&LogQuery { kind: "承办单位".into(), ..Default::default() }, None)?;
    assert_eq!(units.len(), 3);
    let found = f.db.operation_log(&LogQuery { text: "孜热村".into(), ..Default::default() }, None)?;
    assert_eq!(found.iter().map(|e| e.item_id).collect::<Vec<_>>(), [Some(id)]);
    let today = chrono::Local::now().date_naive();
    let all_of_today = f.db.operation_log(&LogQuery { from: today.to_string(), to: today.to_string(), ..Default::default() }, None)?;
    assert_eq!(all_of_today.len(), 8, "three sessions, three units, the item and the office name");
    assert!(f.db.operation_log(&LogQuery { to: "2000-01-01".into(), ..Default::default() }, None)?.is_empty());

    use calamine::{Reader, Xlsx};
    let (bytes, name) = f.db.log_file(&LogQuery::default(), chrono::NaiveDate::from_ymd_opt(2025, 4, 18).unwrap())?;
    assert_eq!(name, "操作日志（2025-04-18）.xlsx");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))?;
    let sheet = book.worksheet_range("操作日志")?;
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(cell(0, 0), "建议提案办理台账操作日志");
    assert_eq!((0..7).map(|c| cell(2, c)).collect::<Vec<_>>(), ["序号", "时间", "用户", "类别", "操作", "对象", "改动（原值 → 新值）"]);
    assert_eq!((cell(3, 3), cell(3, 4)), ("设置".into(), "修改".into()), "newest first");
    assert_eq!(cell(3, 6), "本单位名称：（空） → 精河县人民政府办公室");
    Ok(())
}

#[test]
fn the_log_is_searched_through_its_index_word_by_word() -> TestResult {
    let mut f = fixture();
    let id = f.db.create_item(&item_input(f.suggestions_2025, "214", "关于加快实施布久乡孜热村升级改造项目的建议", f.fagai))?;
    // Every trigram of 正式答复 but not the word: the index finds the entry, the check drops it.
    f.db.set_office_name("正式答X式答复 \"JH\\")?;
    let texts = |text: &str| -> Vec<String> {
        f.db.operation_log(&LogQuery { text: text.into(), ..Default::default() }, None).unwrap().into_iter().map(|e| e.target).collect()
    };
    assert!(texts("正式答复").is_empty(), "trigrams apart are not the word");
    assert_eq!(texts("式答复").len(), 1, "a word of three");
    assert_eq!(texts("孜热").len(), 1, "a word of two");
    assert_eq!(texts("孜热 升级改造").len(), 1, "every word");
    assert!(texts("孜热 正式答").is_empty(), "every word, each in the entry");
    assert_eq!(texts("\"jh\\"), ["本单位名称"], "a quote, a backslash, either case, in a value");
    assert!(texts("孜").len() == 1 && texts("县").len() > 1, "a word of one character, entry by entry");
    let of_the_item = f.db.operation_log(&LogQuery { item_id: Some(id), text: "214".into(), ..Default::default() }, None)?;
    assert_eq!(of_the_item.len(), 1, "one item's entries, searched");
    assert!(texts("不存在的词").is_empty());
    let of_kind = |kind: &str, text: &str| f.db.operation_log(&LogQuery { kind: kind.into(), text: text.into(), ..Default::default() }, None).unwrap().len();
    assert_eq!((of_kind("设置", "jh"), of_kind("承办单位", "jh"), of_kind("建议提案", "孜热"), of_kind("设置", "")), (1, 0, 1, 1), "a kind with words, and alone");
    Ok(())
}

#[test]
fn an_import_logs_each_item_and_unit_and_itself_or_nothing_at_all() -> TestResult {
    let mut f = fixture();
    let options = ledger_core::import::preview::ImportOptions { session_id: Some(f.suggestions_2025), create_units: true, ..Default::default() };
    let broken = "标题,编号,领衔人,主办单位,交办日期\n关于A的建议,1,美志高,县教育局,2025-03-17\n关于B的建议,2,乔次仁,精河县林草局,2025-02-30\n";
    no_entry(&mut f.db, |db| db.import_items(broken.as_bytes(), "清单.csv", &options));
    let before = log(&f.db).len();
    f.db.import_items(broken.replace("2025-02-30", "2025-03-18").as_bytes(), "清单.csv", &options)?;
    let written = &log(&f.db)[..log(&f.db).len() - before];
    let actions: Vec<(&str, &str)> = written.iter().rev().map(|e| (e.kind.as_str(), e.action.as_str())).collect();
    assert_eq!(actions, [("建议提案", "导入登记"), ("承办单位", "导入时添加"), ("建议提案", "导入登记"), ("导入", "导入交办清单")]);
    assert_eq!(changed(&written[0], "新登记"), pair("", "2 件"));
    assert_eq!(written[0].target, "清单.csv");
    Ok(())
}
