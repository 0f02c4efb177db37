//! Text that every output can hold. Whatever the clerk types or pastes, and whatever a file
//! brings in, ends up in a .docx, an .xlsx, a file name and the screen. Control characters
//! (other than tab and line breaks) make Word refuse a reply and cannot be seen; direction
//! overrides (U+202E …) make a title or a file name read backwards. One rule, applied where
//! text enters the core: forms are refused with a Chinese message naming the field, imports
//! have such characters taken out and reported per row. File names made from titles and
//! unit names are made safe for Windows here too.

use crate::error::{Error, FieldErrors, Result};
use serde::Serialize;

/// Why a character may not stand in a text, or `None` when it may.
fn forbidden(c: char, next: Option<char>, in_name: bool) -> Option<&'static str> {
    match c {
        '\t' | '\n' => None,
        '\r' if next == Some('\n') => None,
        '\u{0}'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' => Some("看不见的控制字符"),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' if in_name => Some("改变文字方向的控制字符"),
        _ => None,
    }
}

/// The first forbidden character of `text` and why, e.g. ("U+0000", "看不见的控制字符").
fn first_forbidden(text: &str, in_name: bool) -> Option<(String, &'static str)> {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(why) = forbidden(c, chars.peek().copied(), in_name) {
            return Some((format!("U+{:04X}", c as u32), why));
        }
    }
    None
}

/// The fields that name or title something: they also refuse direction overrides.
fn is_name(field: &str) -> bool {
    let last = field.rsplit('.').next().unwrap_or(field);
    matches!(last, "title" | "name" | "short_name" | "number" | "unit_name" | "office_name")
}

/// What the clerk calls a field, for the message (the form marks the input itself).
fn label(field: &str) -> &'static str {
    let last = field.rsplit('.').find(|part| part.parse::<usize>().is_err()).unwrap_or(field);
    match last {
        "title" => "标题",
        "number" => "编号",
        "name" => "名称或姓名",
        "short_name" => "简称",
        "full_text" => "正文",
        "note" => "备注",
        "delegation" => "代表团或界别",
        "phone" => "电话",
        "leader" => "分管领导",
        "handler" => "承办人",
        "reason" => "原因",
        "body" => "正文",
        "salutation" => "称呼",
        "opening" => "开头",
        "closing" => "结束语",
        "signer" | "signing_unit" => "落款",
        "doc_number" => "文号",
        "progress" => "进展",
        "opinion" => "意见",
        "participants" => "参加人员",
        _ => "这一栏",
    }
}

/// Checks every text of a form (any input the UI sends), field by field; the error names
/// each field by its path (`proposers.0.name`) and, in words, what is wrong.
pub fn check_form<T: Serialize>(form: &T) -> Result<()> {
    let value = serde_json::to_value(form).map_err(|e| Error::NotFound(format!("表单无法读取：{e}")))?;
    let mut errors = FieldErrors::default();
    walk(&value, String::new(), &mut errors);
    errors.finish()
}

/// Checks one text that is not part of a form (a reason, a name) under the field `field`.
pub fn check_text(field: &str, text: &str) -> Result<()> {
    let mut errors = FieldErrors::default();
    walk(&serde_json::Value::String(text.to_string()), field.to_string(), &mut errors);
    errors.finish()
}

fn walk(value: &serde_json::Value, path: String, errors: &mut FieldErrors) {
    let join = |key: &str| if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
    match value {
        serde_json::Value::String(text) => {
            if let Some((code, why)) = first_forbidden(text, is_name(&path)) {
                errors.add(path.clone(), format!("{}中有{why}（{code}），多半是从别处复制带来的，请删去后再保存。", label(&path)));
            }
        }
        serde_json::Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| walk(v, join(&i.to_string()), errors)),
        serde_json::Value::Object(fields) => fields.iter().for_each(|(k, v)| walk(v, join(k), errors)),
        _ => {}
    }
}

/// `text` without the characters no output can hold, or `None` when it has none (imports
/// report what they took out instead of refusing the row). A lone CR, an old way of
/// breaking a line in a cell, becomes a line break.
pub fn strip_forbidden(text: &str) -> Option<String> {
    // Without a following character a CR counts as forbidden, so this also finds lone CRs.
    if !text.chars().any(|c| forbidden(c, None, true).is_some()) {
        return None;
    }
    let mut kept = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut changed = false;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if c == '\r' && next != Some('\n') {
            kept.push('\n');
            changed = true;
        } else if forbidden(c, next, true).is_some() {
            changed = true;
        } else {
            kept.push(c);
        }
    }
    changed.then_some(kept)
}

/// Takes out of every cell what [`strip_forbidden`] takes out; returns the cells (row,
/// column) it changed, so a list or a returned file can say which.
pub fn strip_cells(rows: &mut [Vec<String>]) -> std::collections::BTreeSet<(usize, usize)> {
    let mut stripped = std::collections::BTreeSet::new();
    for (r, cells) in rows.iter_mut().enumerate() {
        for (c, cell) in cells.iter_mut().enumerate() {
            if let Some(kept) = strip_forbidden(cell) {
                *cell = kept;
                stripped.insert((r, c));
            }
        }
    }
    stripped
}

/// The most characters of a file name before its extension (Windows allows 255 for the
/// whole name; the folders add to the path, so titles are cut well before).
const FILE_NAME_CHARS: usize = 80;

/// A file name Windows accepts and shows as it reads, made from a title or a unit's name:
/// the characters Windows forbids (`\ / : * ? " < > |`) become their full-width look-alikes,
/// control and direction characters go, no trailing dot or space, no reserved device name
/// (CON, NUL, COM1 …), at most 80 characters before the extension (".xlsx"), which is kept.
pub fn safe_file_name(name: &str) -> String {
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext)) if (1..=8).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric()) => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let mut stem: String = stem
        .chars()
        .map(|c| match c {
            '/' | '\\' => '／',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '"' => '＂',
            '<' => '＜',
            '>' => '＞',
            '|' => '｜',
            c => c,
        })
        .filter(|c| !c.is_control() && forbidden(*c, None, true).is_none())
        .take(FILE_NAME_CHARS)
        .collect();
    stem = stem.trim_end_matches(['.', ' ']).trim_start().to_string();
    let device = stem.split('.').next().unwrap_or("").trim().to_ascii_uppercase();
    let reserved = matches!(device.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (device.len() == 4 && (device.starts_with("COM") || device.starts_with("LPT")) && device.as_bytes()[3].is_ascii_digit());
    if stem.is_empty() || reserved {
        stem = format!("文件_{stem}");
    }
    format!("{stem}{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_direction_characters_are_refused_by_field() {
        #[derive(Serialize)]
        struct Person { name: String, note: String }
        #[derive(Serialize)]
        struct Form { title: String, full_text: String, proposers: Vec<Person> }
        let form = Form {
            title: "关于\u{202E}xlsx.exe的建议".into(),
            full_text: "第一段\n第二段\r\n\t第三段".into(),
            proposers: vec![Person { name: "王\u{0}五".into(), note: "电话\r待补".into() }],
        };
        let Err(Error::Invalid(errors)) = check_form(&form) else { panic!("refused") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["proposers.0.name", "proposers.0.note", "title"]);
        assert!(errors[0].message.starts_with("名称或姓名中有看不见的控制字符（U+0000）"), "{}", errors[0].message);
        assert!(errors[2].message.contains("改变文字方向的控制字符（U+202E）"));
        assert!(check_text("note", "备注里可以有\u{202E}方向符").is_ok(), "only names and titles refuse direction marks");
        assert!(check_text("title", "普通的标题（含《》“”、—— 和 emoji 🙂）").is_ok());
    }

    #[test]
    fn imports_strip_what_forms_refuse() {
        assert_eq!(strip_forbidden("精河\u{0}县\u{1B}教育局").as_deref(), Some("精河县教育局"));
        assert_eq!(strip_forbidden("第一行\r\n第二行\t（制表符）"), None);
        assert_eq!(strip_forbidden("\u{202E}局育教").as_deref(), Some("局育教"));
        assert_eq!(strip_forbidden("\u{0}").as_deref(), Some(""));
    }

    #[test]
    fn file_names_are_safe_for_windows() {
        assert_eq!(safe_file_name("县/州 发改委: 任务*清单?.xlsx"), "县／州 发改委： 任务＊清单？.xlsx");
        assert_eq!(safe_file_name("答复\u{202E}xcod.exe.docx"), "答复xcod.exe.docx");
        assert_eq!(safe_file_name("CON.xlsx"), "文件_CON.xlsx");
        assert_eq!(safe_file_name("com1.txt.xlsx"), "文件_com1.txt.xlsx");
        assert_eq!(safe_file_name("标题以点结尾。. . .docx"), "标题以点结尾。.docx");
        assert_eq!(safe_file_name("\u{0}\u{7}.xlsx"), "文件_.xlsx");
        assert_eq!(safe_file_name("关于“三农”的答复（第1版）.docx"), "关于“三农”的答复（第1版）.docx");
        let long = format!("{}.docx", "很".repeat(300));
        assert_eq!(safe_file_name(&long).chars().count(), FILE_NAME_CHARS + 5);
    }
}
