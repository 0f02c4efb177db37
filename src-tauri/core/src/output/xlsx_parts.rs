//! The parts of an .xlsx package as the form filler edits them (filled_form.rs): the
//! package unpacked within the bounds and written back with only the changed parts replaced,
//! its relationships (which part is the workbook, which the styles, which each sheet), the
//! cell formats of the styles, and the XML helpers the edits share.

use crate::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Write};

/// The most an .xlsx form may unpack to, as for every workbook read.
const MAX_UNPACKED: u64 = crate::sheet::MAX_UNPACKED_BYTES;

pub(super) fn malformed(what: &str) -> Error {
    Error::field("file", format!("表格文件的结构不完整（{what}），程序无法在其中填写。请用 Excel 或 WPS 打开后另存为 .xlsx 再选择。"))
}

/// The parts of an .xlsx package, unpacked once within the bounds.
pub(super) struct Package {
    bytes: Vec<u8>,
    names: Vec<String>,
}

impl Package {
    pub(super) fn open(bytes: &[u8]) -> Result<Package> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| malformed("不是 .xlsx 压缩包"))?;
        let names = (0..zip.len())
            .map(|i| zip.by_index_raw(i).ok().and_then(|f| f.name().ok().map(|n| n.to_string())).ok_or_else(|| malformed("压缩包中的文件名")))
            .collect::<Result<_>>()?;
        Ok(Package { bytes: bytes.to_vec(), names })
    }

    /// A part's text, or none when the package has no such part.
    pub(super) fn part(&self, name: &str) -> Result<Option<String>> {
        let mut zip = zip::ZipArchive::new(Cursor::new(&self.bytes)).map_err(|_| malformed("不是 .xlsx 压缩包"))?;
        let Ok(file) = zip.by_name(name) else { return Ok(None) };
        let mut text = String::new();
        file.take(MAX_UNPACKED + 1).read_to_string(&mut text).map_err(|_| malformed(name))?;
        if text.len() as u64 > MAX_UNPACKED {
            return Err(malformed(name));
        }
        Ok(Some(text))
    }

    /// The package with the parts in `changed` replaced (deflated) and `dropped` left out;
    /// every other part copied as it was stored.
    pub(super) fn rewritten(&self, changed: &BTreeMap<String, String>, dropped: &BTreeSet<String>) -> Result<Vec<u8>> {
        let mut zip = zip::ZipArchive::new(Cursor::new(&self.bytes)).map_err(|_| malformed("不是 .xlsx 压缩包"))?;
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(self.bytes.len() + (64 << 10))));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let failed = |_| malformed("写出压缩包");
        for (index, name) in self.names.iter().enumerate() {
            if dropped.contains(name) {
                continue;
            }
            match changed.get(name) {
                Some(text) => {
                    out.start_file(name.as_str(), options).map_err(failed)?;
                    out.write_all(text.as_bytes())?;
                }
                None => out.raw_copy_file(zip.by_index_raw(index).map_err(failed)?).map_err(failed)?,
            }
        }
        Ok(out.finish().map_err(failed)?.into_inner())
    }
}

/// The value of attribute `name` of an element (unescaped), by its local name.
pub(super) fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    element.attributes().flatten().find(|a| a.key.local_name().as_ref() == name).and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// The element again with attribute `name` set to `value` (added when missing), the others as
/// they were.
pub(super) fn with_attribute(element: &BytesStart, name: &str, value: &str) -> BytesStart<'static> {
    let mut new = BytesStart::new(element.name().as_ref().to_string());
    let mut set = false;
    for a in element.attributes().flatten() {
        if a.key.as_ref() == name {
            new.push_attribute((name, value));
            set = true;
        } else {
            new.push_attribute(a);
        }
    }
    if !set {
        new.push_attribute((name, value));
    }
    new
}

/// A reader of a piece of a part (what comes before or after a sheet's rows), whose end tags
/// need not match start tags within the piece.
pub(super) fn fragment_reader(xml: &str) -> quick_xml::Reader<&[u8]> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    reader.config_mut().allow_unmatched_ends = true;
    reader
}

/// Resolves a relationship's target against the folder of the part that names it.
fn resolve(folder: &str, target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_string();
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            piece => parts.push(piece),
        }
    }
    parts.join("/")
}

/// The relationships of a part: id → (type, target resolved).
pub(super) fn relationships(package: &Package, part: &str) -> Result<BTreeMap<String, (String, String)>> {
    let (folder, file) = part.rsplit_once('/').unwrap_or(("", part));
    let Some(xml) = package.part(&format!("{folder}{}_rels/{file}.rels", if folder.is_empty() { "" } else { "/" }))? else { return Ok(BTreeMap::new()) };
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut found = BTreeMap::new();
    loop {
        match reader.read_event().map_err(|_| malformed("关系表"))? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(kind), Some(target)) = (attribute(&e, "Id"), attribute(&e, "Type"), attribute(&e, "Target")) {
                    found.insert(id, (kind, resolve(folder, &target)));
                }
            }
            Event::Eof => return Ok(found),
            _ => {}
        }
    }
}

/// Where the workbook part is, and where each sheet's part is, by sheet name.
pub(super) fn workbook_parts(package: &Package) -> Result<(String, BTreeMap<String, String>)> {
    let workbook = relationships(package, "")?
        .into_values()
        .find(|(kind, _)| kind.ends_with("/officeDocument"))
        .map(|(_, target)| target)
        .ok_or_else(|| malformed("找不到工作簿"))?;
    let xml = package.part(&workbook)?.ok_or_else(|| malformed("找不到工作簿"))?;
    let targets = relationships(package, &workbook)?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut sheets = BTreeMap::new();
    loop {
        match reader.read_event().map_err(|_| malformed("工作簿"))? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                let id = e.attributes().flatten().find(|a| a.key.local_name().as_ref() == "id").and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()));
                if let (Some(name), Some((_, target))) = (attribute(&e, "name"), id.and_then(|id| targets.get(&id))) {
                    sheets.insert(name, target.clone());
                }
            }
            Event::Eof => return Ok((workbook, sheets)),
            _ => {}
        }
    }
}

/// The styles a form's cells refer to: each cell format's number format and border, and
/// which number formats show dates.
pub(super) struct Styles {
    pub(super) xml: String,
    /// (numFmtId, borderId) of each cellXfs entry, by index.
    pub(super) formats: Vec<(u32, u32)>,
    custom: BTreeMap<u32, String>,
}

impl Styles {
    pub(super) fn read(xml: String) -> Result<Styles> {
        let mut reader = quick_xml::Reader::from_str(&xml);
        let (mut formats, mut custom) = (Vec::new(), BTreeMap::new());
        let (mut in_cell_xfs, mut depth) = (false, 0);
        loop {
            let event = reader.read_event().map_err(|_| malformed("样式"))?;
            match &event {
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.local_name();
                    if name.as_ref() == "numFmt" {
                        if let (Some(id), Some(code)) = (attribute(e, "numFmtId").and_then(|i| i.parse().ok()), attribute(e, "formatCode")) {
                            custom.insert(id, code);
                        }
                    } else if name.as_ref() == "cellXfs" {
                        in_cell_xfs = matches!(event, Event::Start(_));
                        depth = 0;
                    } else if in_cell_xfs && depth == 0 && name.as_ref() == "xf" {
                        let number = |n: &str| attribute(e, n).and_then(|v| v.parse().ok()).unwrap_or(0);
                        formats.push((number("numFmtId"), number("borderId")));
                    }
                    if in_cell_xfs && matches!(event, Event::Start(_)) && name.as_ref() != "cellXfs" {
                        depth += 1;
                    }
                }
                Event::End(e) => {
                    if e.local_name().as_ref() == "cellXfs" {
                        in_cell_xfs = false;
                    } else if in_cell_xfs {
                        depth -= 1;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(Styles { xml, formats, custom })
    }

    /// Whether cell format `index` shows a date: Excel's built-in date formats, or a format
    /// of its own with a year, month or day outside quotes and brackets.
    pub(super) fn is_date(&self, index: Option<u32>) -> bool {
        let Some(&(number_format, _)) = index.and_then(|i| self.formats.get(i as usize)) else { return false };
        match number_format {
            14..=22 | 27..=36 | 45..=47 | 50..=58 => true,
            id => self.custom.get(&id).is_some_and(|code| {
                // The letters outside quotes and brackets: a year or a day, or a month (m)
                // without hours or seconds (where m is minutes).
                let (mut quoted, mut bracket, mut letters) = (false, false, String::new());
                for c in code.chars() {
                    match c {
                        '"' => quoted = !quoted,
                        '[' if !quoted => bracket = true,
                        ']' if !quoted => bracket = false,
                        c if !quoted && !bracket && c.is_ascii_alphabetic() => letters.push(c.to_ascii_lowercase()),
                        _ => {}
                    }
                }
                letters.contains(['y', 'd']) || letters.contains('m') && !letters.contains(['h', 's'])
            }),
        }
    }

    /// The index of a new cell format with only the border of format `index` (none: no
    /// border), wrapping text and centred vertically, added to the styles.
    pub(super) fn border_only(&mut self, index: Option<u32>) -> Result<u32> {
        let border = index.and_then(|i| self.formats.get(i as usize)).map_or(0, |&(_, border)| border);
        let at = self.xml.find("</cellXfs>").ok_or_else(|| malformed("样式中没有单元格格式"))?;
        let xf = format!(r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="{border}" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>"#);
        self.xml.insert_str(at, &xf);
        self.formats.push((0, border));
        let count = self.formats.len();
        // The count the element declares, set to what it now holds.
        if let Some(start) = self.xml.find("<cellXfs") {
            let end = start + self.xml[start..].find('>').ok_or_else(|| malformed("样式"))?;
            let tag = &self.xml[start..end];
            let new_tag = match tag.find("count=\"") {
                Some(c) => {
                    let value_end = tag[c + 7..].find('"').map(|e| c + 7 + e).ok_or_else(|| malformed("样式"))?;
                    format!("{}count=\"{count}\"{}", &tag[..c], &tag[value_end + 1..])
                }
                None => format!("{tag} count=\"{count}\""),
            };
            self.xml.replace_range(start..end, &new_tag);
        }
        Ok(count as u32 - 1)
    }
}

/// An XML text written again event by event: `edit` is handed each event and pushes what
/// takes its place (the event, a changed one, more than one, or nothing). `what` names the
/// part in the message when it is not well-formed.
pub(super) fn rewrite<'a>(
    mut reader: quick_xml::Reader<&'a [u8]>,
    what: &str,
    mut edit: impl FnMut(Event<'a>, &mut Vec<Event<'a>>) -> Result<()>,
) -> Result<String> {
    let mut writer = quick_xml::Writer::new(Vec::new());
    let mut written = Vec::new();
    loop {
        let event = reader.read_event().map_err(|_| malformed(what))?;
        if matches!(event, Event::Eof) {
            break;
        }
        edit(event, &mut written)?;
        for event in written.drain(..) {
            writer.write_event(event).map_err(|_| malformed(what))?;
        }
    }
    String::from_utf8(writer.into_inner()).map_err(|_| malformed(what))
}

/// `element` in place of `event` (a start tag or an empty element), of the same kind.
pub(super) fn same_kind<'a>(event: &Event, element: BytesStart<'a>) -> Event<'a> {
    if matches!(event, Event::Start(_)) { Event::Start(element) } else { Event::Empty(element) }
}

/// An XML part without the empty elements `leave_out` picks.
pub(super) fn without_elements(xml: &str, leave_out: impl Fn(&BytesStart) -> bool) -> Result<String> {
    rewrite(quick_xml::Reader::from_str(xml), "关系表", |event, out| {
        if !matches!(&event, Event::Empty(e) if leave_out(e)) {
            out.push(event);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_are_told_from_others() {
        let styles = Styles::read(r#"<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="0.00&quot;m&quot;"/></numFmts><cellXfs count="4"><xf numFmtId="0" borderId="0"/><xf numFmtId="14" borderId="1"/><xf numFmtId="164" borderId="1"><alignment wrapText="1"/></xf><xf numFmtId="165" borderId="2"/></cellXfs></styleSheet>"#.into()).unwrap();
        assert_eq!(styles.formats, [(0, 0), (14, 1), (164, 1), (165, 2)]);
        assert_eq!([None, Some(0), Some(1), Some(2), Some(3), Some(9)].map(|s| styles.is_date(s)), [false, false, true, true, false, false]);
    }
}
