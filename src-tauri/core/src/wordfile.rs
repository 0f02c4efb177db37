//! Reading the text of a Word file a unit sends (its 答复样稿 or 协办意见): every paragraph in
//! order, the paragraphs of tables and text boxes too, so nothing that was text is lost; and
//! the rows of the tables of a 交办清单 an upper body sends as a Word document.
//! A file that is no .docx (damaged, an old .doc, or one with an opening password, which
//! Word stores as an encrypted compound file) and one with no text (empty, a scanned page
//! only) are refused with the reason, before anything is made of them.

use crate::error::{Error, Result};
use quick_xml::events::Event;
use std::io::Read;

/// The largest .docx taken.
const MAX_FILE_BYTES: usize = 30 << 20;
/// The most its text part may unpack to: a letter's is well under 1 MB; this and the
/// paragraphs read from it stay within the 50 MB any file may cost beyond its size.
const MAX_TEXT_BYTES: u64 = 20 << 20;

fn refused(message: String) -> Error {
    Error::field("file", message)
}

/// The paragraphs of a .docx as text, in order, empty ones left out: a tab stays a tab, a
/// line break inside a paragraph a line break.
pub fn paragraphs(bytes: &[u8], name: &str) -> Result<Vec<String>> {
    let xml = document_xml(bytes, name, "答复稿")?;
    let found = read_paragraphs(&xml).ok_or_else(|| damaged(name))?;
    if found.is_empty() {
        return Err(refused(format!("“{name}”中没有文字（可能是空文件，或只有图片、扫描件）。请让单位发来可以编辑的 Word 稿。")));
    }
    Ok(found)
}

/// A 交办清单 kept as a table in a .docx, as rows of text the way a sheet is read: the
/// paragraphs above the first table (its title, the date line) as rows of one cell, then
/// every row of its tables, a cell's paragraphs joined by line breaks. A cell merged across
/// columns keeps its text in the first and leaves the others empty (a title row); one merged
/// down the rows gives its text to each row it covers, as the clerk sees it there (one
/// 主办单位 for several items). A header row Word repeats at the top of each page, or that
/// opens a table continued from another, is read once.
pub fn table_rows(bytes: &[u8], name: &str) -> Result<Vec<Vec<String>>> {
    let xml = document_xml(bytes, name, "交办清单")?;
    let rows = read_table_rows(&xml).map_err(|unread| match unread {
        Unread::Malformed => damaged(name),
        Unread::TooLarge => refused(format!("“{name}”的表格超过 {} 行或 {} 列，不像一份交办清单，没有读取。", crate::sheet::MAX_ROWS, crate::sheet::MAX_COLUMNS)),
    })?;
    if !rows.iter().any(|r| r.len() > 1) {
        return Err(refused(format!("“{name}”中没有表格。交办清单请放在 Word 的表格中，或另存为 .xlsx 后再选择。")));
    }
    Ok(rows)
}

/// Whether a file is a Word document: a .docx (a zip holding `word/document.xml`), or an
/// old .doc (a compound file holding a `WordDocument` stream). A file over the size taken is
/// not looked into (the spreadsheet reader refuses it).
pub fn is_word(bytes: &[u8]) -> bool {
    if bytes.len() > MAX_FILE_BYTES {
        return false;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok_and(|mut zip| zip.by_name("word/document.xml").is_ok());
    }
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        && cfb::CompoundFile::open(std::io::Cursor::new(bytes)).is_ok_and(|file| file.is_stream("/WordDocument"))
}

fn damaged(name: &str) -> Error {
    refused(format!("“{name}”不是可以读取的 Word 文件（.docx），可能已损坏。请在 Word 或 WPS 中打开后另存为 .docx 再读入。"))
}

/// The text part (`word/document.xml`) of a .docx, within the bounds; `what` names what the
/// file should be in the refusals (答复稿, 交办清单).
fn document_xml(bytes: &[u8], name: &str, what: &str) -> Result<String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(refused(format!("“{name}”有 {:.1} MB，不像一份{what}，没有读入。", bytes.len() as f64 / 1048576.0)));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(refused(format!("“{name}”设置了打开密码，或是旧的 .doc 格式，程序读不了。请在 Word 或 WPS 中去掉密码、另存为 .docx 后再读入。")));
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| damaged(name))?;
    let mut xml = Vec::new();
    {
        let part = zip.by_name("word/document.xml").map_err(|_| damaged(name))?;
        part.take(MAX_TEXT_BYTES + 1).read_to_end(&mut xml).map_err(|_| damaged(name))?;
    }
    if xml.len() as u64 > MAX_TEXT_BYTES {
        return Err(refused(format!("“{name}”的正文部分解压后超过 {} MB，不像一份{what}，没有读入。", MAX_TEXT_BYTES >> 20)));
    }
    String::from_utf8(xml).map_err(|_| damaged(name))
}

/// Why the tables of a document were not read.
#[derive(Debug, PartialEq)]
enum Unread {
    /// Not well-formed XML.
    Malformed,
    /// More rows or columns than a sheet may have (sheet.rs): a cell spanning columns adds
    /// empty cells, so the bound is checked as they are added.
    TooLarge,
}

/// The rows [`table_rows`] reads from `word/document.xml`. Tables inside a cell give their
/// text to that cell.
fn read_table_rows(xml: &str) -> std::result::Result<Vec<Vec<String>>, Unread> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut rows: Vec<Vec<String>> = Vec::new();
    // Depth of tables open; the row and cell being read (of the outermost table).
    let mut tables = 0usize;
    let mut tables_seen = 0usize;
    let mut row: Option<Vec<String>> = None;
    let mut row_is_header = false;
    let mut first_row_of_table = false;
    let mut cell: Option<String> = None;
    let mut span = 1usize;
    let mut continued = false;
    let mut paragraph: Option<String> = None;
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|_| Unread::Malformed)? {
            Event::Start(e) => match e.local_name().as_ref() {
                "tbl" => {
                    tables += 1;
                    if tables == 1 {
                        tables_seen += 1;
                        first_row_of_table = true;
                    }
                }
                "tr" if tables == 1 => {
                    row = Some(Vec::new());
                    row_is_header = false;
                }
                "tc" if tables == 1 => {
                    cell = Some(String::new());
                    (span, continued) = (1, false);
                }
                "p" => paragraph = Some(String::new()),
                "t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "gridSpan" if tables == 1 => {
                    span = attribute(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 100);
                }
                "vMerge" if tables == 1 => continued = attribute(&e, "val").is_none_or(|v| v != "restart"),
                "tblHeader" if tables == 1 => row_is_header = attribute(&e, "val").is_none_or(|v| v != "0" && v != "false"),
                "tab" => paragraph.iter_mut().for_each(|p| p.push('\t')),
                "br" | "cr" => paragraph.iter_mut().for_each(|p| p.push('\n')),
                _ => {}
            },
            Event::Text(text) if in_text => {
                if let Some(p) = paragraph.as_mut() {
                    p.push_str(&text.xml10_content());
                }
            }
            Event::GeneralRef(entity) if in_text => {
                if let (Some(c), Some(p)) = (entity_char(&entity).ok_or(Unread::Malformed)?, paragraph.as_mut()) {
                    p.push(c);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    let text = paragraph.take().ok_or(Unread::Malformed)?;
                    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
                    match cell.as_mut() {
                        Some(cell) if !text.is_empty() => {
                            if !cell.is_empty() {
                                cell.push('\n');
                            }
                            cell.push_str(text);
                        }
                        Some(_) => {}
                        // The title and date lines above the first table.
                        None if tables == 0 && tables_seen == 0 && !text.is_empty() => rows.push(vec![text.to_string()]),
                        None => {}
                    }
                }
                "tc" if tables == 1 => {
                    let text = cell.take().ok_or(Unread::Malformed)?;
                    let cells = row.as_mut().ok_or(Unread::Malformed)?;
                    if cells.len() + span > crate::sheet::MAX_COLUMNS {
                        return Err(Unread::TooLarge);
                    }
                    // A cell merged down shows the text of the one it continues.
                    let above = || rows.last().and_then(|r: &Vec<String>| r.get(cells.len())).cloned().unwrap_or_default();
                    let text = if continued { above() } else { text };
                    cells.push(text);
                    cells.extend(std::iter::repeat_n(String::new(), span - 1));
                }
                "tr" if tables == 1 => {
                    let cells = row.take().ok_or(Unread::Malformed)?;
                    if rows.len() >= crate::sheet::MAX_ROWS {
                        return Err(Unread::TooLarge);
                    }
                    let opens_table = std::mem::replace(&mut first_row_of_table, false);
                    // A header repeated on each page, or opening a table that goes on from the
                    // one before: the same as a row read already.
                    let repeated = (row_is_header || opens_table) && rows.contains(&cells);
                    if !repeated {
                        rows.push(cells);
                    }
                }
                "tbl" => tables = tables.checked_sub(1).ok_or(Unread::Malformed)?,
                _ => {}
            },
            Event::Eof => return if tables == 0 { Ok(rows) } else { Err(Unread::Malformed) },
            _ => {}
        }
    }
}

/// The character an entity in a text stands for (`&amp;`, `&#8212;`): `None` when it is
/// malformed, `Some(None)` for one XML does not define (left out).
fn entity_char(entity: &quick_xml::events::BytesRef) -> Option<Option<char>> {
    Some(match entity.resolve_char_ref().ok()? {
        Some(c) => Some(c),
        None => match entity.as_ref() {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        },
    })
}

/// The value of an attribute (`w:val`) of an element, by its local name.
fn attribute(element: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    element.attributes().flatten().find(|a| a.key.local_name().as_ref() == name).map(|a| a.value.to_string())
}

/// The paragraphs of `word/document.xml`; `None` when it is not well-formed XML.
fn read_paragraphs(xml: &str) -> Option<Vec<String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut open: Vec<String> = Vec::new();
    let mut done = Vec::new();
    let mut in_text = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => match e.local_name().as_ref() {
                "p" => open.push(String::new()),
                "t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => {
                let mark = match e.local_name().as_ref() {
                    "tab" => Some('\t'),
                    "br" | "cr" => Some('\n'),
                    _ => None,
                };
                if let (Some(mark), Some(paragraph)) = (mark, open.last_mut()) {
                    paragraph.push(mark);
                }
            }
            Event::Text(text) if in_text => open.last_mut()?.push_str(&text.xml10_content()),
            Event::GeneralRef(entity) if in_text => {
                if let Some(character) = entity_char(&entity)? {
                    open.last_mut()?.push(character);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    let paragraph = open.pop()?;
                    let kept = paragraph.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
                    if !kept.is_empty() {
                        done.push(kept.to_string());
                    }
                }
                _ => {}
            },
            Event::Eof => return open.is_empty().then_some(done),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_tables_tabs_and_entities_are_read_in_order() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>乔次仁代表：</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">您提出的《关于</w:t></w:r><w:r><w:t>孜热村》收悉。</w:t></w:r></w:p>
            <w:p></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>项目</w:t><w:tab/><w:t>资金 &amp; 进度</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:delText>删掉的字</w:delText><w:t>第一行</w:t><w:br/><w:t>第二行 &#8212; 完</w:t></w:r></w:p>
        </w:body></w:document>"#;
        assert_eq!(read_paragraphs(xml).unwrap(), ["乔次仁代表：", "您提出的《关于孜热村》收悉。", "项目\t资金 & 进度", "第一行\n第二行 — 完"]);
        assert_eq!(read_paragraphs("<w:p><w:t>未闭合"), None, "not well-formed");
    }

    #[test]
    fn a_lists_tables_are_read_as_rows_with_merged_cells_and_repeated_headers_once() {
        let row = |cells: &str| format!("<w:tr>{cells}</w:tr>");
        let cell = |text: &str| format!("<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>");
        let header = format!("<w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}{}</w:tr>", cell("编号"), cell("标题"), cell("主办单位"));
        let xml = format!(
            r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>州十六届人大二次会议代表建议交办清单</w:t></w:r></w:p><w:p></w:p>
            <w:tbl>{}{header}{}{}</w:tbl><w:p><w:r><w:t>（续表）</w:t></w:r></w:p>
            <w:tbl>{header}{}</w:tbl></w:body></w:document>"#,
            row(r#"<w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr><w:p><w:r><w:t>交办日期：2025年3月17日</w:t></w:r></w:p></w:tc>"#),
            row(&format!("{}{}{}", cell("1"), cell("关于改善乡村道路的建议"), r#"<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>县发改委</w:t></w:r></w:p></w:tc>"#)),
            row(&format!("{}{}{}", cell("2"), r#"<w:tc><w:p><w:r><w:t>关于增设</w:t></w:r></w:p><w:p><w:r><w:t>公交线路的建议</w:t></w:r></w:p></w:tc>"#, r#"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"#)),
            row(&format!("{}{}{}", cell("3"), cell("关于建设图书馆的建议 &amp; 书屋"), cell("县教育局"))),
        );
        let rows = read_table_rows(&xml).unwrap();
        let expected: Vec<Vec<&str>> = vec![
            vec!["州十六届人大二次会议代表建议交办清单"],
            vec!["交办日期：2025年3月17日", "", ""],
            vec!["编号", "标题", "主办单位"],
            vec!["1", "关于改善乡村道路的建议", "县发改委"],
            vec!["2", "关于增设\n公交线路的建议", "县发改委"],
            vec!["3", "关于建设图书馆的建议 & 书屋", "县教育局"],
        ];
        assert_eq!(rows, expected);
        assert_eq!(read_table_rows("<w:tbl><w:tr>"), Err(Unread::Malformed));
        let wide = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", r#"<w:tc><w:tcPr><w:gridSpan w:val="100"/></w:tcPr></w:tc>"#.repeat(2));
        assert_eq!(read_table_rows(&wide), Err(Unread::TooLarge));
    }

    #[test]
    fn files_that_are_no_reply_are_refused_with_the_reason() {
        let message = |r: Result<Vec<String>>| match r {
            Err(Error::Invalid(e)) => e[0].message.clone(),
            other => panic!("{other:?}"),
        };
        assert!(message(paragraphs(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], "加密.docx")).contains("密码"));
        assert!(message(paragraphs(b"PK\x03\x04 broken", "坏了.docx")).contains("已损坏"));
        assert!(message(paragraphs(b"hello", "文本.docx")).contains("不是可以读取的 Word 文件"));
    }
}
