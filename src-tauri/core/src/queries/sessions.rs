//! 届次: the sittings of the upper bodies that items come from.

use crate::model::LogKind;
use crate::db::Db;
use super::log::{Fields, Logged};
use crate::error::{Error, FieldErrors, Result};
use crate::model::{Kind, Level, Session, SessionInput};
use crate::text::{clean, to_half_width};
use rusqlite::{params, OptionalExtension, Row, Transaction};

const SELECT: &str = "SELECT s.id, s.kind, s.level, s.year, s.name,
        (SELECT count(*) FROM items i WHERE i.session_id = s.id) FROM sessions s";

fn from_row(r: &Row) -> rusqlite::Result<Session> {
    Ok(Session {
        id: r.get(0)?,
        kind: r.get(1)?,
        level: r.get(2)?,
        year: r.get(3)?,
        name: r.get(4)?,
        item_count: r.get(5)?,
    })
}

pub(crate) fn find(tx: &Transaction, id: i64) -> Result<Option<Session>> {
    Ok(tx.query_row(&format!("{SELECT} WHERE s.id = ?1"), [id], from_row).optional()?)
}

struct SessionDraft {
    kind: Kind,
    level: Level,
    year: i32,
    name: String,
}

fn validate(input: &SessionInput) -> Result<SessionDraft> {
    let mut errors = FieldErrors::default();
    let kind = Kind::parse(&input.kind);
    if kind.is_none() {
        errors.add("kind", "请选择类型：建议或提案。");
    }
    let level = Level::parse(&input.level);
    if level.is_none() {
        errors.add("level", "请选择层级：全国、省、州或县。");
    }
    let year = to_half_width(&clean(&input.year)).parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        errors.add("year", "年份应为四位数字，例如 2025。");
    }
    let name = clean(&input.name);
    if name.is_empty() {
        errors.add("name", "请填写届次名称，例如 州十六届人大二次会议。");
    }
    errors.finish()?;
    Ok(SessionDraft { kind: kind.unwrap(), level: level.unwrap(), year: year.unwrap(), name })
}

fn check_unique(tx: &Transaction, draft: &SessionDraft, except: Option<i64>) -> Result<()> {
    let existing: Option<i32> = tx
        .query_row(
            "SELECT year FROM sessions WHERE kind = ?1 AND level = ?2 AND name = ?3 AND id IS NOT ?4",
            params![draft.kind, draft.level, draft.name, except],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(year) => Err(Error::field("name", format!("“{}”已经登记过（{year}年），不能重复添加。", draft.name))),
        None => Ok(()),
    }
}

/// Adds a session in the caller's transaction, checked as the form is, and logs it under
/// `action` (添加, 导入时添加).
pub(crate) fn add(tx: &Transaction, user: &str, input: &SessionInput, action: &str) -> Result<i64> {
    crate::input::check_form(input)?;
    let draft = validate(input)?;
    check_unique(tx, &draft, None)?;
    tx.execute("INSERT INTO sessions (kind, level, year, name) VALUES (?1, ?2, ?3, ?4)", params![draft.kind, draft.level, draft.year, draft.name])?;
    let id = tx.last_insert_rowid();
    log_session(tx, user, action, id, &Vec::new())?;
    Ok(id)
}

fn session_fields(session: &Session) -> Fields {
    vec![
        ("类型", session.kind.to_string()),
        ("层级", session.level.to_string()),
        ("年份", session.year.to_string()),
        ("名称", session.name.clone()),
    ]
}

/// Logs what a write did to a session, inside its transaction: `before` is empty for a new one.
fn log_session(tx: &Transaction, user: &str, action: &str, id: i64, before: &Fields) -> Result<()> {
    let session = find(tx, id)?.ok_or_else(|| Error::NotFound("该届次已不存在。".into()))?;
    Logged { kind: LogKind::Session, action, target: format!("{}年 {}", session.year, session.name), item_id: None }
        .write_diff(tx, user, before, &session_fields(&session))
}

impl Db {
    /// All sessions, newest year first, then from the top level down.
    pub fn list_sessions(&self) -> Result<Vec<Session>> {
        let sql = format!("{SELECT} ORDER BY s.year DESC, {}, s.kind, s.name", super::LEVEL_ORDER);
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn create_session(&mut self, input: &SessionInput) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let id = add(&tx, &self.user, input, "添加")?;
        tx.commit()?;
        Ok(id)
    }

    /// Edits a session. Its kind cannot change once items belong to it, since their
    /// categories and numbering are the kind's.
    pub fn update_session(&mut self, id: i64, input: &SessionInput) -> Result<()> {
        crate::input::check_form(input)?;
        let draft = validate(input)?;
        let tx = self.conn.transaction()?;
        let current = find(&tx, id)?.ok_or_else(|| Error::NotFound("该届次已不存在。".into()))?;
        if current.kind != draft.kind && current.item_count > 0 {
            return Err(Error::field("kind", format!(
                "该届次下已登记 {} 件{}，不能改为{}。", current.item_count, current.kind, draft.kind)));
        }
        check_unique(&tx, &draft, Some(id))?;
        tx.execute(
            "UPDATE sessions SET kind = ?1, level = ?2, year = ?3, name = ?4 WHERE id = ?5",
            params![draft.kind, draft.level, draft.year, draft.name, id],
        )?;
        log_session(&tx, &self.user, "修改", id, &session_fields(&current))?;
        // The year, level or kind of every item of the session may have changed.
        super::work::refresh(&tx, super::work::Scope::All)?;
        tx.commit()?;
        Ok(())
    }
}

/// The years the ledger holds sessions of, in order.
pub(crate) fn years(conn: &rusqlite::Connection) -> Result<Vec<i32>> {
    Ok(conn.prepare("SELECT DISTINCT year FROM sessions ORDER BY year")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}
