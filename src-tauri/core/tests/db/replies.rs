//! Reply drafts on real files: the templates the migration seeds, filling them from an item,
//! saving versions, linking the one that went out to the 正式答复 step, and the .docx.

use super::*;
use chrono::NaiveDate;
use ledger_core::model::ProposerInput;
use ledger_core::queries::replies::DraftInput;
use ledger_core::reply::{ReplyContent, ReplyContentInput, ReplyPurpose, TemplateInput, TemplateParts};
use ledger_core::workflow::StepInput;
use std::io::Read;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 4, 18).unwrap()
}

/// 214 of the 州 session: led by 县发改委 (handler 李娜), 县教育局 assisting; two proposers.
pub fn item(f: &mut Fixture) -> i64 {
    let mut input = item_input(f.suggestions_2025, "214", "关于加快实施巴宜区布久乡孜热村升级改造项目的建议", f.fagai);
    input.proposers.push(ProposerInput { name: "图尔荪·艾尔肯".into(), ..Default::default() });
    input.assignments[0].handler = "李娜".into();
    input.assignments[0].phone = "0909-5321101".into();
    input.assignments.push(AssignmentInput { unit_id: Some(f.jiaoyu), role: "协办".into(), handler: "马晓燕".into(), ..Default::default() });
    f.db.create_item(&input).unwrap()
}

pub fn template_id(f: &Fixture, name: &str) -> i64 {
    f.db.reply_templates().unwrap().templates.iter().find(|t| t.name == name).unwrap().id
}

/// The editor's form for a letter, as the UI sends it back.
pub fn typed(letter: &ReplyContent, body: &str) -> ReplyContentInput {
    ReplyContentInput {
        class: letter.class.map(|c| c.to_string()).unwrap_or_default(),
        title: letter.title.clone(),
        salutation: letter.salutation.clone(),
        opening: letter.opening.clone(),
        body: body.into(),
        closing: letter.closing.clone(),
        signer: letter.signer.clone(),
        date: letter.date.to_string(),
        contact: letter.contact.clone(),
        phone: letter.phone.clone(),
        cc: letter.cc.clone(),
        publication: letter.publication.to_string(),
    }
}

fn lead_reply(template_id: i64, content: ReplyContentInput, unit: i64, note: &str) -> DraftInput {
    DraftInput { purpose: "主办答复".into(), unit_id: Some(unit), template_id: Some(template_id), content, note: note.into() }
}

#[test]
fn the_migration_seeds_four_templates_and_each_fills_from_the_item() -> TestResult {
    let mut f = fixture();
    let id = item(&mut f);
    let list = f.db.reply_templates()?;
    let kinds: Vec<(String, String)> = list.templates.iter().map(|t| (t.kind.to_string(), t.purpose.to_string())).collect();
    assert_eq!(kinds, [("建议", "主办答复"), ("建议", "协办意见"), ("提案", "主办答复"), ("提案", "协办意见")]
        .map(|(k, p)| (k.to_string(), p.to_string())));
    assert_eq!(list.placeholders.len(), 17, "{{同类件}} is the 17th");

    let reply = f.db.start_reply(id, template_id(&f, "建议主办答复"), None, today())?;
    assert_eq!(reply.title, "关于州十六届人大二次会议第214号建议的答复");
    assert_eq!(reply.salutation, "乔次仁等2位代表：");
    assert_eq!(reply.opening, "您提出的《关于加快实施巴宜区布久乡孜热村升级改造项目的建议》收悉。现答复如下：");
    assert_eq!(reply.closing, "感谢您对精河县发展和改革委员会工作的关心和支持。");
    assert_eq!((reply.signer.as_str(), reply.contact.as_str(), reply.phone.as_str()), ("精河县发展和改革委员会", "李娜", "0909-5321101"));
    assert_eq!((reply.date, reply.cc.as_str(), reply.class), (today(), "县人大常委会办公室", None));

    let opinion = f.db.start_reply(id, template_id(&f, "建议协办意见"), None, today())?;
    assert_eq!(opinion.salutation, "精河县发展和改革委员会：", "an assisting unit writes to the lead unit");
    assert_eq!(opinion.signer, "精河县教育局");
    assert_eq!(opinion.opening, "乔次仁、图尔荪·艾尔肯代表提出的《关于加快实施巴宜区布久乡孜热村升级改造项目的建议》收悉。经研究，现将我单位协办意见函告如下：");

    let wrong_kind = f.db.start_reply(id, template_id(&f, "提案主办答复"), None, today());
    assert_eq!(invalid_fields(wrong_kind), ["template_id"]);
    Ok(())
}

#[test]
fn a_template_with_an_unknown_placeholder_is_refused_and_nothing_changes() -> TestResult {
    let mut f = fixture();
    let id = template_id(&f, "建议主办答复");
    let before = f.db.reply_templates()?;
    let wrong = TemplateInput {
        name: "建议主办答复".into(),
        kind: "建议".into(),
        purpose: "主办答复".into(),
        parts: TemplateParts { title: "关于{届次}第{建议号}号建议的答复".into(), salutation: "{称呼：".into(), ..Default::default() },
    };
    let message = message_for(f.db.save_reply_template(Some(id), &wrong), "title");
    assert!(message.contains("占位符“{建议号}”不认识") && message.contains("{编号}"), "{message}");
    assert_eq!(invalid_fields(f.db.save_reply_template(Some(id), &wrong)), ["title", "salutation"]);
    assert_eq!(f.db.reply_templates()?, before, "a refused template changes nothing");

    // Saved right, a template is what later drafts start from; a name is used once.
    let good = TemplateInput {
        parts: TemplateParts { title: "关于{领衔人}代表所提建议的答复".into(), salutation: "{全体称呼}：".into(), ..before.templates[0].parts.clone() },
        ..wrong
    };
    f.db.save_reply_template(Some(id), &good)?;
    let item = item(&mut f);
    let letter = f.db.start_reply(item, id, None, today())?;
    assert_eq!((letter.title.as_str(), letter.salutation.as_str()), ("关于乔次仁代表所提建议的答复", "乔次仁、图尔荪·艾尔肯代表："));
    assert_eq!(invalid_fields(f.db.save_reply_template(None, &TemplateInput { name: "建议协办意见".into(), ..good })), ["name"]);
    Ok(())
}

#[test]
fn each_save_is_a_version_and_the_one_sent_is_linked_to_the_reply() -> TestResult {
    let mut f = fixture();
    let id = item(&mut f);
    let template = template_id(&f, "建议主办答复");
    let letter = f.db.start_reply(id, template, None, today())?;
    let first = f.db.save_reply(id, &lead_reply(template, typed(&letter, "一、基本情况。\n二、下一步工作。"), f.fagai, "初稿"))?;
    let mut changed = typed(&letter, "一、基本情况（已核实）。\n二、下一步工作。\n三、资金安排。");
    changed.class = "A".into();
    let second = f.db.save_reply(id, &lead_reply(template, changed, f.fagai, "按初审意见修改"))?;
    assert_eq!((first.version, second.version), (1, 2));
    let opinion = f.db.save_reply(id, &DraftInput {
        purpose: "协办意见".into(),
        unit_id: Some(f.jiaoyu),
        content: typed(&letter, "同意主办单位意见。"),
        ..Default::default()
    })?;
    assert_eq!((opinion.version, opinion.purpose), (1, ReplyPurpose::Assist), "each thread counts its own versions");

    let all = f.db.reply_drafts(id)?;
    assert_eq!(all.iter().map(|d| (d.purpose, d.version)).collect::<Vec<_>>(),
        [(ReplyPurpose::Lead, 2), (ReplyPurpose::Lead, 1), (ReplyPurpose::Assist, 1)]);
    let reopened = f.db.reply_draft(first.id)?;
    assert_eq!(reopened.content.body, "一、基本情况。\n二、下一步工作。", "an earlier version is kept as it was");
    assert_eq!(reopened.note, "初稿");
    assert!(all.iter().all(|d| !d.is_final));

    // The 正式答复 names the version that went out; its class must agree with the draft's.
    let reply = |class: &str, draft: Option<i64>| StepInput {
        step: "正式答复".into(), happened_on: "2025-05-20".into(), class: class.into(), draft_id: draft, ..Default::default()
    };
    assert_eq!(invalid_fields(f.db.record_step(id, &reply("B", Some(second.id)))), ["class"]);
    assert_eq!(invalid_fields(f.db.record_step(id, &reply("A", Some(opinion.id)))), ["draft_id"]);
    let event = f.db.record_step(id, &reply("A", Some(second.id)))?;
    let finals: Vec<i64> = f.db.reply_drafts(id)?.iter().filter(|d| d.is_final).map(|d| d.version).collect();
    assert_eq!(finals, [2]);
    assert!(f.db.get_item(id)?.events.iter().any(|e| e.summary == "A类，附答复稿"));

    // Correcting the reply to name the first version moves the mark.
    f.db.correct_step(event, &reply("A", Some(first.id)))?;
    assert!(f.db.reply_draft(first.id)?.is_final && !f.db.reply_draft(second.id)?.is_final);
    Ok(())
}

#[test]
fn a_wrong_draft_is_refused_and_writes_nothing() -> TestResult {
    let mut f = fixture();
    let id = item(&mut f);
    let template = template_id(&f, "建议主办答复");
    let letter = f.db.start_reply(id, template, None, today())?;
    let mut wrong = typed(&letter, "正文");
    wrong.date = "4月18日".into();
    wrong.phone = "无".into();
    assert_eq!(invalid_fields(f.db.save_reply(id, &lead_reply(template, wrong, f.fagai, ""))), ["date", "phone"]);
    let stranger = lead_reply(template, typed(&letter, "正文"), f.yuanqu, "");
    assert_eq!(invalid_fields(f.db.save_reply(id, &stranger)), ["unit_id"]);
    assert!(f.db.reply_drafts(id)?.is_empty());

    let mut reference = item_input(f.suggestions_2025, "215", "关于完善新能源汽车充电设施的建议", f.fagai);
    reference.county_role = "参考".into();
    reference.assignments.clear();
    let reference = f.db.create_item(&reference)?;
    assert_eq!(invalid_fields(f.db.save_reply(reference, &lead_reply(template, typed(&letter, ""), f.fagai, ""))), ["purpose"]);
    Ok(())
}

#[test]
fn the_docx_has_the_official_page_fonts_class_mark_and_page_numbers() -> TestResult {
    let mut f = fixture();
    let id = item(&mut f);
    let template = template_id(&f, "建议主办答复");
    let letter = f.db.start_reply(id, template, None, today())?;
    let mut content = typed(&letter, "一、基本情况。\n二、下一步工作。");
    content.class = "B".into();
    let draft = f.db.save_reply(id, &lead_reply(template, content, f.fagai, ""))?;
    let (bytes, name) = f.db.reply_file(draft.id)?;
    assert_eq!(name, "关于州十六届人大二次会议第214号建议的答复（第1版）.docx");

    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")?.read_to_string(&mut xml)?;
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    for margin in [r#"w:top="2098""#, r#"w:bottom="1984""#, r#"w:left="1588""#, r#"w:right="1474""#] {
        assert!(xml.contains(margin), "GB/T 9704 margins: {margin}");
    }
    assert!(xml.contains(r#"w:eastAsia="方正小标宋简体""#) && xml.contains(r#"w:eastAsia="仿宋_GB2312""#), "eastAsia fonts");
    assert!(xml.contains(r#"w:line="578" w:lineRule="exact""#), "the 22-line grid");
    // The class mark is the first paragraph: right-aligned, before the title.
    let mark = xml.find(r#"<w:t xml:space="preserve">B</w:t>"#).expect("the class mark");
    let title = xml.find("关于州十六届人大二次会议第214号建议的答复").expect("the title");
    assert!(mark < title);
    let first_paragraph = &xml[xml.find("<w:p>").or_else(|| xml.find("<w:p ")).unwrap()..mark];
    assert!(first_paragraph.contains(r#"<w:jc w:val="right" />"#), "at the top right: {first_paragraph}");
    assert!(xml.contains(r#"w:eastAsia="黑体""#));
    for text in ["乔次仁等2位代表：", "一、基本情况。", "二、下一步工作。", "精河县发展和改革委员会", "2025年4月18日", "（此件公开发布）",
        "（联系人：李娜，联系电话：0909-5321101）", "抄送：县人大常委会办公室。"] {
        assert!(xml.contains(text), "{text}");
    }
    let mut footers = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i)?;
        if part.name()?.starts_with("word/footer") {
            part.read_to_string(&mut footers)?;
        }
    }
    assert_eq!(footers.matches("PAGE").count(), 2, "odd and even page numbers");
    assert!(footers.contains("— ") && footers.contains(r#"w:eastAsia="宋体""#));
    Ok(())
}

/// A unit's draft as Word writes it: the class mark, title, salutation, opening, measures
/// (one in a table), closing, signer, date, 公开 note, contact and 抄送.
pub fn unit_draft() -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
    let p = |text: &str| Paragraph::new().add_run(Run::new().add_text(text));
    let mut doc = Docx::new();
    for text in ["B", "关于州十六届人大二次会议第214号建议的答复", "乔次仁代表：", "您提出的《关于加快实施巴宜区布久乡孜热村升级改造项目的建议》收悉。现答复如下：",
        "一、已将孜热村道路硬化列入2025年计划。", "二、资金由县财政统筹安排。"] {
        doc = doc.add_paragraph(p(text));
    }
    doc = doc.add_table(Table::new(vec![TableRow::new(vec![TableCell::new().add_paragraph(p("项目：村道 3.2 公里")), TableCell::new().add_paragraph(p("资金：120 万元"))])]));
    for text in ["感谢您对发展改革工作的关心和支持。", "精河县发展和改革委员会", "2025年4月20日", "（此件依申请公开）", "联系人：李娜　联系电话：0909-5321101", "抄送：县人大常委会办公室、县政府办公室。"] {
        doc = doc.add_paragraph(p(text));
    }
    let mut bytes = Vec::new();
    doc.build().pack(std::io::Cursor::new(&mut bytes)).unwrap();
    bytes
}

#[test]
fn a_units_word_draft_becomes_the_next_version_with_its_parts_recognised() -> TestResult {
    let mut f = fixture();
    let id = item(&mut f);
    let template = template_id(&f, "建议主办答复");
    let draft = f.db.draft_from_word(id, template, Some(f.fagai), &unit_draft(), "孜热村答复（发改委）.docx", today())?;
    let c = &draft.content;
    assert_eq!((draft.version, draft.note.as_str()), (1, "单位来稿：孜热村答复（发改委）.docx"));
    assert_eq!(c.class.map(|c| c.to_string()).as_deref(), Some("B"));
    assert_eq!(c.title, "关于州十六届人大二次会议第214号建议的答复");
    assert_eq!(c.salutation, "乔次仁代表：");
    assert!(c.opening.ends_with("收悉。现答复如下："));
    assert_eq!(c.body, "一、已将孜热村道路硬化列入2025年计划。\n二、资金由县财政统筹安排。\n项目：村道 3.2 公里\n资金：120 万元", "every measure, the table's too");
    assert_eq!(c.closing, "感谢您对发展改革工作的关心和支持。");
    assert_eq!((c.signer.as_str(), c.date.to_string().as_str()), ("精河县发展和改革委员会", "2025-04-20"));
    assert_eq!(c.publication.to_string(), "依申请公开");
    assert_eq!((c.contact.as_str(), c.phone.as_str()), ("李娜", "0909-5321101"));
    assert_eq!(c.cc, "县人大常委会办公室、县政府办公室");
    // Ready to link as the formal reply.
    f.db.record_step(id, &StepInput { step: "正式答复".into(), happened_on: "2025-04-22".into(), class: "B".into(), draft_id: Some(draft.id), unit_id: Some(f.fagai), ..Default::default() })?;
    assert!(f.db.reply_draft(draft.id)?.is_final);

    // A file that is no reply changes nothing: empty (or images only), damaged, with a password.
    let mut empty = Vec::new();
    docx_rs::Docx::new().build().pack(std::io::Cursor::new(&mut empty)).unwrap();
    for (bytes, name, said) in [(empty, "空白.docx", "没有文字"), (b"PK\x03\x04xx".to_vec(), "坏了.docx", "已损坏"), (vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], "加密.docx", "密码")] {
        let message = message_for(f.db.draft_from_word(id, template, Some(f.fagai), &bytes, name, today()), "file");
        assert!(message.contains(said), "{name}: {message}");
    }
    assert_eq!(f.db.reply_drafts(id)?.len(), 1, "nothing saved");
    Ok(())
}
