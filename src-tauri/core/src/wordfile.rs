//! Reading the text of a Word file a unit sends (its 答复样稿 or 协办意见): every paragraph in
//! order, the paragraphs of tables and text boxes too, so nothing that was text is lost.
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
    if bytes.len() > MAX_FILE_BYTES {
        return Err(refused(format!("“{name}”有 {:.1} MB，不像一份答复稿，没有读入。", bytes.len() as f64 / 1048576.0)));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(refused(format!("“{name}”设置了打开密码，或是旧的 .doc 格式，程序读不了。请在 Word 或 WPS 中去掉密码、另存为 .docx 后再读入。")));
    }
    let damaged = || refused(format!("“{name}”不是可以读取的 Word 文件（.docx），可能已损坏。请在 Word 或 WPS 中打开后另存为 .docx 再读入。"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| damaged())?;
    let mut xml = Vec::new();
    {
        let part = zip.by_name("word/document.xml").map_err(|_| damaged())?;
        part.take(MAX_TEXT_BYTES + 1).read_to_end(&mut xml).map_err(|_| damaged())?;
    }
    if xml.len() as u64 > MAX_TEXT_BYTES {
        return Err(refused(format!("“{name}”的正文部分解压后超过 {} MB，不像一份答复稿，没有读入。", MAX_TEXT_BYTES >> 20)));
    }
    let xml = String::from_utf8(xml).map_err(|_| damaged())?;
    let found = read_paragraphs(&xml).ok_or_else(damaged)?;
    if found.is_empty() {
        return Err(refused(format!("“{name}”中没有文字（可能是空文件，或只有图片、扫描件）。请让单位发来可以编辑的 Word 稿。")));
    }
    Ok(found)
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
                let character = match entity.resolve_char_ref().ok()? {
                    Some(c) => c,
                    None => match entity.as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => continue,
                    },
                };
                open.last_mut()?.push(character);
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
