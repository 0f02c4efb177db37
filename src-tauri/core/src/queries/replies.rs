//! Reply templates and drafts (答复样稿) in the database. A draft is never overwritten:
//! each save is a new version of its thread (the lead unit's reply, or one assisting
//! unit's opinion), so the clerk can go back to any earlier one. The version that went out
//! is the one the live 正式答复 step names.

use crate::model::LogKind;
use crate::db::{now_stamp, Db};
use crate::error::{Error, Result};
use crate::model::{CountyRole, UnitRole};
use crate::reply::{self, LetterFacts, LetterLines, ReplyContent, ReplyContentInput, ReplyPurpose, ReplyTemplate, TemplateInput, TemplateList, TemplateParts};
use crate::workflow::{CheckedStep, StepRecord};
use chrono::NaiveDate;
use super::log::{item_target, Fields, Logged};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// One saved version of a draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftVersion {
    pub id: i64,
    pub item_id: i64,
    pub purpose: ReplyPurpose,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    /// 1, 2, 3 … within the thread.
    pub version: i64,
    pub template_id: Option<i64>,
    pub content: ReplyContent,
    /// What changed in this version, in the clerk's words.
    pub note: String,
    pub saved_at: String,
    /// The live 正式答复 step names this version: it is the one that went out.
    pub is_final: bool,
    /// The letter's lines as the print view sets them.
    pub lines: LetterLines,
}

/// What the draft editor saves.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DraftInput {
    pub purpose: String,
    pub unit_id: Option<i64>,
    pub template_id: Option<i64>,
    pub content: ReplyContentInput,
    pub note: String,
}

const SELECT_TEMPLATES: &str =
    "SELECT id, name, kind, purpose, title, salutation, opening, body, closing, cc, updated_at FROM reply_templates";

fn template_from(r: &Row) -> rusqlite::Result<ReplyTemplate> {
    Ok(ReplyTemplate {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        purpose: r.get::<_, String>(3).map(|p| ReplyPurpose::parse(&p).unwrap_or(ReplyPurpose::Lead))?,
        parts: TemplateParts {
            title: r.get(4)?,
            salutation: r.get(5)?,
            opening: r.get(6)?,
            body: r.get(7)?,
            closing: r.get(8)?,
            cc: r.get(9)?,
        },
        updated_at: r.get(10)?,
    })
}

const SELECT_DRAFTS: &str = "SELECT d.id, d.item_id, d.purpose, d.unit_id, u.name, d.version, d.template_id, d.content, d.note, d.saved_at
     FROM reply_drafts d LEFT JOIN units u ON u.id = d.unit_id";

fn draft_from(r: &Row) -> rusqlite::Result<DraftVersion> {
    let content: String = r.get(7)?;
    let content: ReplyContent = serde_json::from_str(&content)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(DraftVersion {
        id: r.get(0)?,
        item_id: r.get(1)?,
        purpose: r.get::<_, String>(2).map(|p| ReplyPurpose::parse(&p).unwrap_or(ReplyPurpose::Lead))?,
        unit_id: r.get(3)?,
        unit_name: r.get(4)?,
        version: r.get(5)?,
        template_id: r.get(6)?,
        lines: content.lines(),
        content,
        note: r.get(8)?,
        saved_at: r.get(9)?,
        is_final: false,
    })
}

fn find_template(conn: &Connection, id: i64) -> Result<ReplyTemplate> {
    conn.query_row(&format!("{SELECT_TEMPLATES} WHERE id = ?1"), [id], template_from).optional()?.ok_or_else(no_template)
}

/// A template's fields as the operation log shows them.
fn template_fields(conn: &Connection, id: i64) -> Result<Fields> {
    let template = find_template(conn, id)?;
    let mut fields: Fields = vec![("名称", template.name), ("用于", template.kind.to_string()), ("类型", template.purpose.to_string())];
    fields.extend(template.parts.named_owned());
    Ok(fields)
}

fn no_template() -> Error {
    Error::NotFound("这个答复模板已不存在，请刷新。".into())
}

impl Db {
    /// Every reply template (by kind and purpose) and the placeholders there are.
    pub fn reply_templates(&self) -> Result<TemplateList> {
        let mut stmt = self.conn.prepare(&format!("{SELECT_TEMPLATES} ORDER BY kind, purpose, id"))?;
        let templates = stmt.query_map([], template_from)?.collect::<rusqlite::Result<_>>()?;
        Ok(TemplateList { templates, placeholders: reply::PLACEHOLDERS })
    }

    /// Saves a template (a new one when `id` is `None`); returns its id. Unknown
    /// placeholders are refused, part by part.
    pub fn save_reply_template(&mut self, id: Option<i64>, input: &TemplateInput) -> Result<i64> {
        crate::input::check_form(input)?;
        let (name, kind, purpose, parts) = reply::check_template(input)?;
        let tx = self.conn.transaction()?;
        let before = match id {
            Some(id) => template_fields(&tx, id)?,
            None => Vec::new(),
        };
        let taken: Option<i64> = tx
            .query_row("SELECT id FROM reply_templates WHERE name = ?1 AND id IS NOT ?2", params![name, id], |r| r.get(0))
            .optional()?;
        if taken.is_some() {
            return Err(Error::field("name", format!("已经有名为“{name}”的模板，请换一个名称。")));
        }
        let stamp = now_stamp();
        let id = match id {
            Some(id) => {
                let changed = tx.execute(
                    "UPDATE reply_templates SET name = ?1, kind = ?2, purpose = ?3, title = ?4, salutation = ?5, opening = ?6,
                        body = ?7, closing = ?8, cc = ?9, updated_at = ?10 WHERE id = ?11",
                    params![name, kind, purpose.as_str(), parts.title, parts.salutation, parts.opening, parts.body, parts.closing, parts.cc, stamp, id],
                )?;
                if changed == 0 {
                    return Err(no_template());
                }
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO reply_templates (name, kind, purpose, title, salutation, opening, body, closing, cc, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![name, kind, purpose.as_str(), parts.title, parts.salutation, parts.opening, parts.body, parts.closing, parts.cc, stamp],
                )?;
                tx.last_insert_rowid()
            }
        };
        let logged = Logged { kind: LogKind::Template, action: if before.is_empty() { "新建" } else { "修改" }, target: format!("模板“{name}”"), item_id: None };
        logged.write_diff(&tx, &self.user, &before, &template_fields(&tx, id)?)?;
        tx.commit()?;
        Ok(id)
    }

    /// The first draft of a letter: the template filled from the item, as of `today`.
    /// The writing unit is `unit_id`, or by default the lead unit (主办答复) or the first
    /// assisting unit (协办意见).
    pub fn start_reply(&self, item_id: i64, template_id: i64, unit_id: Option<i64>, today: NaiveDate) -> Result<ReplyContent> {
        let template = find_template(&self.conn, template_id)?;
        let item = self.get_item(item_id)?;
        if template.kind != item.session.kind {
            return Err(Error::field("template_id", format!("模板“{}”是{}用的，这件是{}。", template.name, template.kind, item.session.kind)));
        }
        let lead = item.assignments.iter().find(|a| a.role == UnitRole::Lead);
        let writer = match (unit_id, template.purpose) {
            (Some(id), _) => item.assignments.iter().find(|a| a.unit_id == id),
            (None, ReplyPurpose::Lead) => lead,
            (None, ReplyPurpose::Assist) => item.assignments.iter().find(|a| a.role == UnitRole::Assist).or(lead),
        };
        let Some(writer) = writer else {
            return Err(Error::field("unit_id", "这件还没有交办给承办单位，请先在“编辑”中填写承办单位。"));
        };
        let progress = self.item_workflow(item_id, today).map(|w| w.progress).ok();
        let same_class: Vec<String> = self
            .links_of(item_id, today)?
            .into_iter()
            .filter(|l| l.kind == crate::model::LinkKind::SameClass)
            .map(|l| {
                let place = if l.other.session_name == item.session.name { String::new() } else { format!("{}年{}", l.other.year, l.other.session_name) };
                format!("{place}第{}号{}《{}》", l.other.number, l.other.kind, l.other.title)
            })
            .collect();
        reply::start_letter(&template, &LetterFacts {
            kind: item.session.kind,
            session_name: &item.session.name,
            year: item.session.year,
            number: &item.number,
            title: &item.title,
            proposers: &item.proposers,
            signers_total: item.signers_total,
            proposer_label: &item.proposer_label,
            writer: &writer.unit_name,
            lead_unit: lead.map_or("", |a| a.unit_name.as_str()),
            contact: &writer.handler,
            phone: &writer.phone,
            date: today,
            class: progress.as_ref().and_then(|p| p.class),
            publication: progress.as_ref().and_then(|p| p.publication),
            same_class: same_class.join("、"),
        })
    }

    /// Saves the editor's draft as the next version of its thread; returns the version.
    pub fn save_reply(&mut self, item_id: i64, input: &DraftInput) -> Result<DraftVersion> {
        crate::input::check_form(input)?;
        let purpose = ReplyPurpose::parse(&input.purpose).ok_or_else(|| Error::field("purpose", "请选择主办答复或协办意见。"))?;
        let content = reply::check_content(&input.content)?;
        let tx = self.conn.transaction()?;
        let state: Option<(bool, CountyRole)> = tx
            .query_row("SELECT deleted_at IS NOT NULL, county_role FROM items WHERE id = ?1", [item_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match state {
            None => return Err(Error::NotFound("这件建议/提案已不存在。".into())),
            Some((true, _)) => return Err(Error::NotFound("这件在回收站中，请先恢复再写答复。".into())),
            Some((false, CountyRole::Reference)) => return Err(Error::field("purpose", "参考件无需答复。")),
            Some(_) => {}
        }
        if let Some(unit) = input.unit_id {
            let on_item: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM assignments WHERE item_id = ?1 AND unit_id = ?2)",
                params![item_id, unit],
                |r| r.get(0),
            )?;
            if !on_item {
                return Err(Error::field("unit_id", "所选单位不是这件的承办单位。"));
            }
        }
        let version: i64 = tx.query_row(
            "SELECT ifnull(max(version), 0) + 1 FROM reply_drafts WHERE item_id = ?1 AND purpose = ?2 AND unit_id IS ?3",
            params![item_id, purpose.as_str(), input.unit_id],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO reply_drafts (item_id, purpose, unit_id, version, template_id, content, note, saved_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![item_id, purpose.as_str(), input.unit_id, version, input.template_id,
                serde_json::to_string(&content).expect("a letter serialises"), crate::text::clean(&input.note), now_stamp()],
        )?;
        let id = tx.last_insert_rowid();
        let thread = match input.unit_id {
            Some(unit) if purpose == ReplyPurpose::Assist => format!("{purpose}（{}）", tx.query_row("SELECT name FROM units WHERE id = ?1", [unit], |r| r.get::<_, String>(0))?),
            _ => purpose.to_string(),
        };
        let logged = Logged { kind: LogKind::Reply, action: "保存答复稿", target: item_target(&tx, item_id)?, item_id: Some(item_id) };
        let saved = vec![("版本", format!("{thread}第{version}版")), ("标题", content.title.clone()), ("说明", crate::text::clean(&input.note))];
        logged.write_diff(&tx, &self.user, &Vec::new(), &saved)?;
        tx.commit()?;
        self.reply_draft(id)
    }

    /// Every saved version of an item's drafts: by thread, newest version first.
    pub fn reply_drafts(&self, item_id: i64) -> Result<Vec<DraftVersion>> {
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT_DRAFTS} WHERE d.item_id = ?1 ORDER BY d.purpose = '协办意见', u.name, d.version DESC"
        ))?;
        let mut drafts: Vec<DraftVersion> = stmt.query_map([item_id], draft_from)?.collect::<rusqlite::Result<_>>()?;
        let sent = self.sent_drafts(item_id)?;
        drafts.iter_mut().for_each(|d| d.is_final = sent.contains(&d.id));
        Ok(drafts)
    }

    /// One saved version.
    pub fn reply_draft(&self, id: i64) -> Result<DraftVersion> {
        let mut draft = self
            .conn
            .query_row(&format!("{SELECT_DRAFTS} WHERE d.id = ?1"), [id], draft_from)
            .optional()?
            .ok_or_else(|| Error::NotFound("这一版答复稿已不存在。".into()))?;
        draft.is_final = self.sent_drafts(draft.item_id)?.contains(&id);
        Ok(draft)
    }

    /// The drafts the item's live 正式答复 steps name.
    fn sent_drafts(&self, item_id: i64) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare("SELECT details FROM events WHERE item_id = ?1 AND step = '正式答复' AND voided = 0")?;
        let details: Vec<String> = stmt.query_map([item_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(details
            .iter()
            .filter_map(|d| match serde_json::from_str(d) {
                Ok(StepRecord::Reply { draft_id, .. }) => draft_id,
                _ => None,
            })
            .collect())
    }

    /// A 正式答复 may name the draft that went out: it must be a 主办答复 of the same item,
    /// and a class marked on the draft must agree with the step's.
    pub(crate) fn check_reply_draft(&self, item_id: i64, step: &CheckedStep) -> Result<()> {
        let StepRecord::Reply { draft_id: Some(id), class, .. } = &step.record else { return Ok(()) };
        let draft = self.reply_draft(*id).map_err(|_| Error::field("draft_id", "所选的答复稿已不存在。"))?;
        if draft.item_id != item_id || draft.purpose != ReplyPurpose::Lead {
            return Err(Error::field("draft_id", "所选的答复稿不是这件的主办答复。"));
        }
        match draft.content.class {
            Some(marked) if marked != *class => Err(Error::field(
                "class",
                format!("办理结果与所选答复稿（第{}版）标注的{marked}类不一致，请核对。", draft.version),
            )),
            _ => Ok(()),
        }
    }
}
