//! Validation of the intake form. It is pure: the caller loads what the form refers to
//! (the session, the category, the units) and gets back either a clean draft to store or
//! every wrong field at once, each with a Chinese reason, so the clerk fixes all in one go.

use crate::error::{FieldErrors, Result};
use crate::model::{Category, CountyRole, ItemInput, Session, Unit, UnitRole};
use crate::text::{clean, is_valid_phone, normalize_number, normalize_title, parse_date};
use chrono::{Datelike, NaiveDate};

pub const MAX_TITLE_CHARS: usize = 200;
/// A unit's or a person's name, and a 文号.
pub const MAX_NAME_CHARS: usize = 60;
/// A 备注, of an item or of a step: what one spreadsheet cell holds, as a list or a
/// returned 反馈表 brings it.
pub const MAX_NOTE_CHARS: usize = 32_767;
pub const MAX_SIGNERS: i64 = 999;

/// Why a text is too long for its field (`what` names it), or `None`: the same bounds hold
/// whether the text comes from a form, a list, a returned 反馈表 or a restore.
pub fn too_long(what: &str, text: &str, most: usize) -> Option<String> {
    let length = text.trim().chars().count();
    (length > most).then(|| format!("{what}有 {length} 字，最多 {most} 字。"))
}

/// What the form refers to, as found in the database.
pub struct ItemContext<'a> {
    pub session: Option<&'a Session>,
    pub category: Option<&'a Category>,
    /// Units named by the form's assignments that exist.
    pub units: &'a [Unit],
    /// Units already on the item before this edit (they may stay even if retired since).
    pub units_before: &'a [i64],
}

/// A validated item, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemDraft {
    pub session_id: i64,
    pub number: String,
    pub title: String,
    pub full_text: String,
    pub category_id: Option<i64>,
    pub county_role: CountyRole,
    pub is_key: bool,
    pub supervising_leader: String,
    pub assigned_on: Option<NaiveDate>,
    pub signers_total: Option<i64>,
    pub note: String,
    pub proposers: Vec<ProposerDraft>,
    pub assignments: Vec<AssignmentDraft>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProposerDraft {
    pub name: String,
    pub is_collective: bool,
    pub delegation: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentDraft {
    pub unit_id: i64,
    pub role: UnitRole,
    pub leader: String,
    pub handler: String,
    pub phone: String,
}

/// Checks every field of the intake form.
pub fn item(input: &ItemInput, ctx: &ItemContext) -> Result<ItemDraft> {
    let mut errors = FieldErrors::default();
    let mut fail = |field: String, message: String| errors.add(field, message);

    if ctx.session.is_none() {
        fail("session_id".into(), "请选择届次。".into());
    }
    let noun = ctx.session.map_or("建议/提案", |s| s.kind.as_str());

    let number = normalize_number(&input.number);
    if clean(&input.number).is_empty() {
        fail("number".into(), format!("请填写{noun}号。"));
    } else if number.is_none() {
        fail("number".into(), "编号只能由数字、字母和短横线组成，例如 214 或 第214号。".into());
    }

    let title = normalize_title(&input.title);
    if title.is_empty() {
        fail("title".into(), "请填写标题（案由）。".into());
    } else if title.chars().count() > MAX_TITLE_CHARS {
        fail("title".into(), format!("标题太长（{} 字），最多 {MAX_TITLE_CHARS} 字。", title.chars().count()));
    }

    if let (Some(session), Some(category)) = (ctx.session, ctx.category) {
        if category.kind != session.kind {
            fail("category_id".into(), format!("类别“{}”属于{}，请选择{}的类别。", category.name, category.kind, session.kind));
        }
    } else if input.category_id.is_some() && ctx.category.is_none() {
        fail("category_id".into(), "所选类别已不存在，请重新选择。".into());
    }

    let county_role = CountyRole::parse(&input.county_role);
    if county_role.is_none() {
        fail("county_role".into(), "请选择本县的办理角色：主办、协办或参考。".into());
    }

    let assigned_on = match clean(&input.assigned_on) {
        typed if typed.is_empty() => None,
        typed => match parse_date(&typed) {
            None => {
                fail("assigned_on".into(), "交办日期不是有效日期，请写成 2025-03-17 或 2025年3月17日。".into());
                None
            }
            Some(date) => {
                if let Some(session) = ctx.session {
                    if (date.year() - session.year).abs() > 1 {
                        fail("assigned_on".into(), format!(
                            "交办日期是{}年，与届次年份 {} 年相差太远，请核对。", date.year(), session.year));
                    }
                }
                Some(date)
            }
        },
    };

    let mut proposers = Vec::new();
    let mut first_row_reported = false;
    for (i, p) in input.proposers.iter().enumerate() {
        let name = clean(&p.name);
        let (delegation, phone) = (clean(&p.delegation), clean(&p.phone));
        if name.is_empty() {
            if !delegation.is_empty() || !phone.is_empty() {
                first_row_reported |= i == 0;
                fail(format!("proposers.{i}.name"), "请填写这位提出人的姓名，或删除这一行。".into());
            }
            continue;
        }
        if name.chars().count() > MAX_NAME_CHARS {
            fail(format!("proposers.{i}.name"), format!("姓名或名称最多 {MAX_NAME_CHARS} 字。"));
        }
        if !is_valid_phone(&phone) {
            fail(format!("proposers.{i}.phone"), "电话号码格式不对，只能有数字、空格、短横线和括号。".into());
        }
        proposers.push(ProposerDraft { name, is_collective: p.is_collective, delegation, phone });
    }
    if proposers.is_empty() && !first_row_reported {
        let who = ctx.session.map_or("代表或委员", |s| s.kind.proposer_title());
        fail("proposers.0.name".into(), format!("请填写领衔{who}（或集体提出的单位、界别）。"));
    }

    let signers_total = match clean(&input.signers_total) {
        typed if typed.is_empty() => None,
        typed => match crate::text::to_half_width(&typed).parse::<i64>() {
            Ok(n) if n >= proposers.len() as i64 && n <= MAX_SIGNERS => Some(n),
            Ok(n) if n < proposers.len() as i64 => {
                fail("signers_total".into(), format!("联名总人数（{n}）少于已填写的提出人数（{}）。", proposers.len()));
                None
            }
            _ => {
                fail("signers_total".into(), format!("联名总人数应为 1 到 {MAX_SIGNERS} 的整数，不填则按已填写的人数计。"));
                None
            }
        },
    };

    let mut assignments: Vec<AssignmentDraft> = Vec::new();
    for (i, a) in input.assignments.iter().enumerate() {
        let Some(unit_id) = a.unit_id else {
            fail(format!("assignments.{i}.unit_id"), "请选择承办单位，或删除这一行。".into());
            continue;
        };
        let Some(role) = UnitRole::parse(&a.role) else {
            fail(format!("assignments.{i}.role"), "请选择主办或协办。".into());
            continue;
        };
        match ctx.units.iter().find(|u| u.id == unit_id) {
            None => fail(format!("assignments.{i}.unit_id"), "所选单位已不存在，请重新选择。".into()),
            Some(unit) if !unit.active && !ctx.units_before.contains(&unit_id) => fail(
                format!("assignments.{i}.unit_id"),
                format!("“{}”已停用，不能再交办新的件；如需使用，请先在承办单位中启用。", unit.name)),
            Some(unit) if assignments.iter().any(|d| d.unit_id == unit_id) => fail(
                format!("assignments.{i}.unit_id"), format!("“{}”重复了，同一单位只能出现一次。", unit.name)),
            Some(_) => {}
        }
        let phone = clean(&a.phone);
        if !is_valid_phone(&phone) {
            fail(format!("assignments.{i}.phone"), "电话号码格式不对，只能有数字、空格、短横线和括号。".into());
        }
        assignments.push(AssignmentDraft {
            unit_id,
            role,
            leader: clean(&a.leader),
            handler: clean(&a.handler),
            phone,
        });
    }
    let leads = assignments.iter().filter(|a| a.role == UnitRole::Lead).count();
    match county_role {
        Some(CountyRole::Lead) if leads != 1 => fail("assignments".into(), if leads == 0 {
            "本县主办的件必须指定一个主办单位。".into()
        } else {
            format!("本县主办的件只能有一个主办单位，现在有 {leads} 个；其余请改为协办。")
        }),
        Some(CountyRole::Assist | CountyRole::Reference) if leads > 1 => fail(
            "assignments".into(),
            format!("一件只能有一个县内主办（牵头）单位，现在有 {leads} 个；其余请改为协办。")),
        _ => {}
    }

    if let Some(message) = too_long("备注", &input.note, MAX_NOTE_CHARS) {
        errors.add("note", message);
    }
    errors.finish()?;
    Ok(ItemDraft {
        session_id: ctx.session.map(|s| s.id).unwrap_or_default(),
        number: number.unwrap_or_default(),
        title,
        full_text: input.full_text.trim_end().to_string(),
        category_id: ctx.category.map(|c| c.id),
        county_role: county_role.unwrap_or(CountyRole::Lead),
        is_key: input.is_key,
        supervising_leader: clean(&input.supervising_leader),
        assigned_on,
        signers_total,
        note: input.note.trim().to_string(),
        proposers,
        assignments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::model::{Kind, Level, ProposerInput};

    fn session(kind: Kind) -> Session {
        Session { id: 1, kind, level: Level::Prefecture, year: 2025, name: "州十六届人大二次会议".into(), item_count: 0 }
    }

    fn input() -> ItemInput {
        ItemInput {
            session_id: Some(1),
            number: "214".into(),
            title: "关于A的建议".into(),
            county_role: "参考".into(),
            proposers: vec![ProposerInput { name: "乔次仁".into(), ..Default::default() }],
            ..Default::default()
        }
    }

    fn fields(result: Result<ItemDraft>) -> Vec<String> {
        match result {
            Err(Error::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected errors, got {other:?}"),
        }
    }

    #[test]
    fn a_category_must_belong_to_the_sessions_kind() {
        let s = session(Kind::Suggestion);
        let c = Category { id: 7, kind: Kind::Proposal, name: "医疗卫生".into(), sort_order: 3, active: true, item_count: 0 };
        let ctx = ItemContext { session: Some(&s), category: Some(&c), units: &[], units_before: &[] };
        assert_eq!(fields(item(&ItemInput { category_id: Some(7), ..input() }, &ctx)), ["category_id"]);
    }

    #[test]
    fn a_missing_session_names_the_field_and_the_words_stay_generic() {
        let ctx = ItemContext { session: None, category: None, units: &[], units_before: &[] };
        let result = item(&ItemInput { session_id: None, number: String::new(), ..input() }, &ctx);
        let Err(Error::Invalid(errors)) = result else { panic!() };
        assert_eq!(errors[0].field, "session_id");
        assert_eq!(errors[1].message, "请填写建议/提案号。");
    }

    #[test]
    fn a_clean_form_becomes_a_draft_with_cleaned_values() {
        let s = session(Kind::Proposal);
        let ctx = ItemContext { session: Some(&s), category: None, units: &[], units_before: &[] };
        let draft = item(&ItemInput { number: " 第０２１号 ".into(), title: "《关于B的提案》 ".into(), signers_total: "３".into(), ..input() }, &ctx)
            .expect("valid");
        assert_eq!((draft.number.as_str(), draft.title.as_str(), draft.signers_total), ("021", "关于B的提案", Some(3)));
        assert_eq!(draft.county_role, CountyRole::Reference);
        assert!(draft.assignments.is_empty());
    }
}
