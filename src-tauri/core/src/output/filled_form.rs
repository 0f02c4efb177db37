//! The upper body's own blank form, filled in (填入上级发来的表格). rust_xlsxwriter writes new
//! files only, so the form's package is edited where the rows go and left as it is elsewhere:
//! every part is copied byte for byte (compressed as it came) except the filled sheet, the
//! workbook part when rows under the table move down (its print area), and the styles when a
//! new cell needs a style the form lacks. Title rows, merged cells, fonts, borders, column
//! widths, print setup and the other sheets stay the body's own.
//!
//! New rows take the style and height of the form's first data row, cell by cell, and its
//! merges across columns; a column that row has no style for takes the header cell's
//! borders. Rows under the table (填表人, 审核人 …) move down when the items need more rows
//! than the form left blank, with their merges, page breaks, conditional formats and the
//! print area; formulas that point at them follow, and the workbook recalculates on opening.

use super::xlsx_parts::{attribute, fragment_reader, malformed, relationships, rewrite, same_kind, with_attribute, without_elements, workbook_parts, Package, Styles};
use crate::error::{Error, Result};
use crate::text::format_date_cn;
use chrono::NaiveDate;
use quick_xml::events::{BytesStart, BytesText, Event};
use std::collections::{BTreeMap, BTreeSet};

/// A value for one cell of a new row.
#[derive(Debug, Clone, PartialEq)]
pub enum FormValue {
    Text(String),
    Number(f64),
    /// Written as a date where the form's cell has a date format, else as 2025年3月17日.
    Date(NaiveDate),
}

/// What to write into one sheet of the form. Rows and columns count from 0.
#[derive(Debug, Clone, Default)]
pub struct FormFill {
    pub sheet: String,
    /// The header's last row: its cells lend their borders to columns without a data style.
    pub header_row: u32,
    /// The first row of the table's body, where the first item goes.
    pub first_row: u32,
    /// The first row under the table's blank rows with words in it (填表人 …), if any: it and
    /// the rows below move down when the items need more rows than the form left blank.
    pub footer_row: Option<u32>,
    /// The columns written, in the order of each row's values.
    pub columns: Vec<u32>,
    pub rows: Vec<Vec<FormValue>>,
    /// Text for single cells outside the table (填报单位, 填报日期), by row and column.
    pub cells: Vec<(u32, u32, String)>,
}

/// Excel's last column (XFD), from 0: a cell beyond it is not a worksheet's.
const LAST_COLUMN: u32 = 16_383;

/// A column's letters: 0 → A, 27 → AB (a column past Excel's last never comes here: the
/// sheet's reading refuses it).
pub fn column_letters(column: u32) -> String {
    rust_xlsxwriter::column_number_to_name(column.min(LAST_COLUMN) as u16)
}

/// A cell reference's column and row, from 0 (B5 → 1, 4); `$` marks are allowed.
fn cell_position(reference: &str) -> Option<(u32, u32)> {
    let reference = reference.replace('$', "");
    let split = reference.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = reference.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let column = u32::from(rust_xlsxwriter::column_name_to_number(letters));
    let row: u32 = digits.parse().ok()?;
    (row >= 1 && column <= LAST_COLUMN).then_some((column, row - 1))
}

/// How rows under the table move: every row from `from` (1-based) down by `by`; a range
/// that ends on the row just above (the table's last blank row) grows with it.
#[derive(Clone, Copy)]
struct Shift {
    from: u32,
    by: u32,
}

impl Shift {
    fn row(&self, row: u32, range_end: bool) -> u32 {
        if self.by > 0 && (row >= self.from || (range_end && row + 1 == self.from)) { row + self.by } else { row }
    }

    /// A text of references (a formula, an sqref, a defined name's areas) with the rows
    /// moved. Only references to this sheet move: those without a sheet when `own` is true,
    /// and those qualified with `sheet`.
    fn text(&self, text: &str, sheet: &str, own: bool) -> String {
        if self.by == 0 {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 8);
        let mut i = 0;
        let mut qualifier: Option<String> = None;
        let mut after_colon = false;
        // Copies the word at `i` (a name, or a sheet's before '!', which qualifies the
        // references after it); returns where it ends.
        let copy_word = |i: usize, out: &mut String, qualifier: &mut Option<String>| -> usize {
            let mut end = i + 1;
            while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_' || chars[end] == '.') {
                end += 1;
            }
            let word: String = chars[i..end].iter().collect();
            if chars.get(end) == Some(&'!') {
                *qualifier = Some(word.clone());
            }
            *out += &word;
            end
        };
        while i < chars.len() {
            let c = chars[i];
            // A quoted sheet name ('一 表'!A1), or a text in a formula ("A1" is not a reference).
            if c == '\'' || c == '"' {
                let end = chars[i + 1..].iter().position(|&d| d == c).map_or(chars.len(), |p| i + 1 + p);
                let piece: String = chars[i..=end.min(chars.len() - 1)].iter().collect();
                out += &piece;
                if c == '\'' && chars.get(end + 1) == Some(&'!') {
                    qualifier = Some(piece.trim_matches('\'').replace("''", "'"));
                }
                i = end + 1;
                continue;
            }
            let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == '.');
            if starts_word && (c == '$' || c.is_ascii_uppercase()) {
                let mut j = i + usize::from(c == '$');
                let letters_start = j;
                while j < chars.len() && chars[j].is_ascii_uppercase() {
                    j += 1;
                }
                let letters = j - letters_start;
                let mut k = j + usize::from(chars.get(j) == Some(&'$'));
                let digits_start = k;
                while k < chars.len() && chars[k].is_ascii_digit() {
                    k += 1;
                }
                let ends_word = k >= chars.len() || !(chars[k].is_alphanumeric() || chars[k] == '_' || chars[k] == '(');
                if (1..=3).contains(&letters) && k > digits_start && ends_word {
                    let ours = match &qualifier {
                        Some(name) => name == sheet,
                        None => own,
                    };
                    let row: u32 = chars[digits_start..k].iter().collect::<String>().parse().unwrap_or(0);
                    let moved = if ours { self.row(row, after_colon) } else { row };
                    out.extend(&chars[i..digits_start]);
                    out += &moved.to_string();
                    after_colon = chars.get(k) == Some(&':');
                    if !after_colon {
                        qualifier = None;
                    }
                    i = k;
                    continue;
                }
                // A sheet name without quotes (Sheet1!A1) or a name: copied whole.
                i = copy_word(i, &mut out, &mut qualifier);
                continue;
            }
            if !c.is_alphanumeric() && c != '_' && c != '!' && c != ':' && c != '$' {
                if c == ',' || c == ' ' || c == '(' || c == ')' {
                    qualifier = None;
                }
                after_colon = false;
            }
            if c.is_alphanumeric() && !c.is_ascii_uppercase() {
                // A word of other letters (a Chinese sheet name before '!', say): copied whole.
                i = copy_word(i, &mut out, &mut qualifier);
                continue;
            }
            out.push(c);
            i += 1;
        }
        out
    }
}

/// One `<c>` of a row as it stands in the sheet: its column, style, whether it holds a
/// value or a formula, and its XML.
#[derive(Debug, Clone)]
struct CellXml {
    column: u32,
    style: Option<u32>,
    filled: bool,
    xml: String,
}

/// One `<row>`: its number (from 1), its own attributes and its cells.
#[derive(Debug, Clone)]
struct RowXml {
    number: u32,
    start: BytesStart<'static>,
    cells: Vec<CellXml>,
}

/// A sheet part cut into what comes before its rows, the rows, and what comes after.
struct SheetXml {
    head: String,
    rows: Vec<RowXml>,
    tail: String,
    protected: bool,
}

impl SheetXml {
    fn read(xml: &str) -> Result<SheetXml> {
        let bad = || malformed("工作表");
        let mut reader = quick_xml::Reader::from_str(xml);
        let (mut head_end, mut tail_start) = (None, None);
        let mut rows = Vec::new();
        let mut protected = false;
        let mut row: Option<RowXml> = None;
        let mut cell: Option<(CellXml, usize)> = None;
        let mut next_row = 1u32;
        let mut next_column = 0u32;
        loop {
            let before = reader.buffer_position() as usize;
            let event = reader.read_event().map_err(|_| bad())?;
            let after = reader.buffer_position() as usize;
            match &event {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "sheetData" => {
                        head_end = Some(before);
                        if matches!(event, Event::Empty(_)) {
                            tail_start = Some(after);
                        }
                    }
                    "row" if head_end.is_some() && tail_start.is_none() => {
                        let number = attribute(e, "r").and_then(|r| r.parse().ok()).unwrap_or(next_row);
                        next_row = number + 1;
                        next_column = 0;
                        let built = RowXml { number, start: e.clone().into_owned(), cells: Vec::new() };
                        if matches!(event, Event::Empty(_)) {
                            rows.push(built);
                        } else {
                            row = Some(built);
                        }
                    }
                    "c" if row.is_some() => {
                        let column = attribute(e, "r").and_then(|r| cell_position(&r)).map_or(next_column, |(c, _)| c);
                        if column > LAST_COLUMN {
                            return Err(bad());
                        }
                        next_column = column + 1;
                        let style = attribute(e, "s").and_then(|s| s.parse().ok());
                        let built = CellXml { column, style, filled: false, xml: String::new() };
                        if matches!(event, Event::Empty(_)) {
                            row.as_mut().ok_or_else(bad)?.cells.push(CellXml { xml: xml[before..after].to_string(), ..built });
                        } else {
                            cell = Some((built, before));
                        }
                    }
                    "v" | "is" | "f" => {
                        if let Some((c, _)) = cell.as_mut() {
                            c.filled = true;
                        }
                    }
                    "sheetProtection" => {
                        protected = attribute(e, "sheet").is_some_and(|v| v == "1" || v == "true");
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "c" => {
                        let (mut c, start) = cell.take().ok_or_else(bad)?;
                        c.xml = xml[start..after].to_string();
                        row.as_mut().ok_or_else(bad)?.cells.push(c);
                    }
                    "row" => rows.push(row.take().ok_or_else(bad)?),
                    "sheetData" => tail_start = Some(after),
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        // The tail starts after </sheetData> (or after <sheetData/>), which is written anew.
        let (Some(head_end), Some(tail_start)) = (head_end, tail_start) else { return Err(bad()) };
        Ok(SheetXml { head: xml[..head_end].to_string(), rows, tail: xml[tail_start..].to_string(), protected })
    }
}

/// Whether a sheet of the form is protected (工作表保护): the program then fills nothing.
pub fn sheet_protected(form: &[u8], sheet: &str) -> Result<bool> {
    let package = Package::open(form)?;
    let (_, sheets) = workbook_parts(&package)?;
    let part = sheets.get(sheet).ok_or_else(|| malformed("找不到工作表"))?;
    let xml = package.part(part)?.ok_or_else(|| malformed("找不到工作表"))?;
    Ok(SheetXml::read(&xml)?.protected)
}

/// Text fit for XML: the five marks escaped, control characters XML cannot hold left out.
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out += "&amp;",
            '<' => out += "&lt;",
            '>' => out += "&gt;",
            '"' => out += "&quot;",
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A cell with a value, styled `style`.
fn value_cell(column: u32, row: u32, style: Option<u32>, value: &FormValue, styles: &Styles) -> String {
    let at = format!("{}{}", column_letters(column), row);
    let s = style.map(|s| format!(" s=\"{s}\"")).unwrap_or_default();
    let text = |t: &str| format!(r#"<c r="{at}"{s} t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#, xml_text(t));
    match value {
        FormValue::Text(t) if t.is_empty() => format!(r#"<c r="{at}"{s}/>"#),
        FormValue::Text(t) => text(t),
        FormValue::Number(n) => format!(r#"<c r="{at}"{s}><v>{n}</v></c>"#),
        FormValue::Date(d) if styles.is_date(style) => format!(r#"<c r="{at}"{s}><v>{}</v></c>"#, crate::sheet::date_serial(*d)),
        FormValue::Date(d) => text(&format_date_cn(*d)),
    }
}

/// The text of a formula or of a defined name's areas, its rows moved ([`Shift::text`]).
fn moved_text(text: &BytesText, shift: Shift, sheet: &str, own: bool) -> Result<Event<'static>> {
    let references = quick_xml::escape::unescape(text.as_ref()).map_err(|_| malformed("公式"))?;
    Ok(Event::Text(BytesText::from_escaped(xml_text(&shift.text(&references, sheet, own)))))
}

/// A cell of a row that stays, with its row number (and formulas' rows) moved.
fn moved_cell(cell: &CellXml, row: u32, shift: Shift, sheet: &str) -> Result<String> {
    let mut in_formula = false;
    rewrite(quick_xml::Reader::from_str(&cell.xml), "单元格", |event, out| {
        out.push(match &event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "c" => {
                same_kind(&event, with_attribute(e, "r", &format!("{}{}", column_letters(cell.column), row)))
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "f" => {
                in_formula = matches!(event, Event::Start(_));
                let moved = match attribute(e, "ref") {
                    Some(area) => with_attribute(e, "ref", &shift.text(&area, sheet, true)),
                    None => e.clone().into_owned(),
                };
                same_kind(&event, moved)
            }
            Event::Text(t) if in_formula => moved_text(t, shift, sheet, true)?,
            Event::End(e) if e.local_name().as_ref() == "f" => {
                in_formula = false;
                event.clone()
            }
            _ => event.clone(),
        });
        Ok(())
    })
}

/// A row's start tag with its number set and its column span left for Excel to work out.
fn row_start(start: &BytesStart, number: u32) -> String {
    let mut tag = format!("<row r=\"{number}\"");
    for a in start.attributes().flatten() {
        let key = a.key.as_ref();
        if key != "r" && key != "spans" {
            tag += &format!(" {}=\"{}\"", key, a.value);
        }
    }
    tag + ">"
}

/// Elements after the rows (merges, conditional formats, validations, links, page breaks) and
/// before them (the selection), with their rows moved.
fn moved_elements(xml: &str, shift: Shift, sheet: &str) -> Result<String> {
    if shift.by == 0 {
        return Ok(xml.to_string());
    }
    rewrite(fragment_reader(xml), "工作表", |event, out| {
        out.push(match &event {
            Event::Start(e) | Event::Empty(e) => {
                let mut moved = e.clone().into_owned();
                for name in ["ref", "sqref"] {
                    if let Some(area) = attribute(&moved, name) {
                        moved = with_attribute(&moved, name, &shift.text(&area, sheet, true));
                    }
                }
                if moved.local_name().as_ref() == "brk" {
                    if let Some(id) = attribute(&moved, "id").and_then(|i| i.parse::<u32>().ok()) {
                        moved = with_attribute(&moved, "id", &shift.row(id, true).to_string());
                    }
                }
                same_kind(&event, moved)
            }
            _ => event.clone(),
        });
        Ok(())
    })
}

/// The workbook part with the sheet's defined names (print area …) moved, and told to
/// recalculate when it opens.
fn moved_workbook(xml: &str, shift: Shift, sheet: &str) -> Result<String> {
    let mut in_name = false;
    let mut calculation = false;
    rewrite(quick_xml::Reader::from_str(xml), "工作簿", |event, out| {
        match &event {
            Event::Start(e) if e.local_name().as_ref() == "definedName" => in_name = true,
            Event::End(e) if e.local_name().as_ref() == "definedName" => in_name = false,
            Event::Text(t) if in_name => {
                out.push(moved_text(t, shift, sheet, false)?);
                return Ok(());
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "calcPr" => {
                calculation = true;
                out.push(same_kind(&event, with_attribute(e, "fullCalcOnLoad", "1")));
                return Ok(());
            }
            Event::End(e) if e.local_name().as_ref() == "workbook" && !calculation => {
                out.push(Event::Empty(BytesStart::new("calcPr").with_attributes([("fullCalcOnLoad", "1")])));
            }
            _ => {}
        }
        out.push(event);
        Ok(())
    })
}

/// The form with the rows and cells of `fill` written in: the bytes of the new .xlsx.
pub fn fill_form(form: &[u8], fill: &FormFill) -> Result<Vec<u8>> {
    let package = Package::open(form)?;
    let (workbook_part, sheets) = workbook_parts(&package)?;
    let sheet_part = sheets.get(&fill.sheet).ok_or_else(|| malformed("找不到工作表"))?.clone();
    let sheet_xml = package.part(&sheet_part)?.ok_or_else(|| malformed("找不到工作表"))?;
    let styles_part = relationships(&package, &workbook_part)?.into_values().find(|(kind, _)| kind.ends_with("/styles")).map(|(_, t)| t);
    let mut styles = Styles::read(match &styles_part {
        Some(part) => package.part(part)?.unwrap_or_default(),
        None => String::new(),
    })?;
    let styles_before = styles.formats.len();
    let sheet = SheetXml::read(&sheet_xml)?;
    if sheet.protected {
        return Err(Error::field("file", format!("工作表“{}”设置了保护，程序不能在其中填写。请在 Excel 或 WPS 中撤销工作表保护后再选择。", fill.sheet)));
    }

    // Rows from 1, as the sheet counts them.
    let (first, header) = (fill.first_row + 1, fill.header_row + 1);
    let count = fill.rows.len() as u32;
    let by_number: BTreeMap<u32, &RowXml> = sheet.rows.iter().map(|r| (r.number, r)).collect();
    let template = by_number.get(&first).copied();
    let header_cells = by_number.get(&header).map(|r| &r.cells);
    // The rows under the table (填表人 …), from the first the caller found with words in it.
    let footer = fill.footer_row.map(|r| r + 1);
    let blank_rows = footer.map_or(u32::MAX, |f| f.saturating_sub(first));
    let shift = Shift { from: footer.unwrap_or(u32::MAX), by: count.saturating_sub(blank_rows) };

    // The cells of an item's row, by column: the first blank row's cells and the columns
    // written, each with that row's style, else the header cell's border.
    let mut row_columns: BTreeSet<u32> = fill.columns.iter().copied().collect();
    match template {
        Some(t) => row_columns.extend(t.cells.iter().map(|c| c.column)),
        None => row_columns.extend(header_cells.into_iter().flatten().map(|c| c.column)),
    }
    let mut column_styles: BTreeMap<u32, Option<u32>> = BTreeMap::new();
    for &column in &row_columns {
        let own = template.and_then(|t| t.cells.iter().find(|c| c.column == column)).and_then(|c| c.style);
        let style = match own {
            Some(style) => style,
            None => styles.border_only(header_cells.and_then(|cells| cells.iter().find(|c| c.column == column)).and_then(|c| c.style))?,
        };
        column_styles.insert(column, Some(style));
    }

    // Single cells (填报单位 …), by row number and column; they are in rows the form has.
    let mut single: BTreeMap<(u32, u32), &str> = BTreeMap::new();
    for (row, column, text) in &fill.cells {
        single.insert((row + 1, *column), text.as_str());
    }
    let kept_row = |row: &RowXml, number: u32| -> Result<String> {
        let mut cells: Vec<(u32, String)> = Vec::new();
        for cell in &row.cells {
            let xml = if number == row.number && shift.by == 0 { cell.xml.clone() } else { moved_cell(cell, number, shift, &fill.sheet)? };
            cells.push((cell.column, xml));
        }
        for (&(_, column), text) in single.range((row.number, 0)..=(row.number, u32::MAX)) {
            let style = row.cells.iter().find(|c| c.column == column).and_then(|c| c.style);
            let written = value_cell(column, number, style, &FormValue::Text(text.to_string()), &styles);
            match cells.iter_mut().find(|(c, _)| *c == column) {
                Some(slot) => slot.1 = written,
                None => cells.push((column, written)),
            }
        }
        cells.sort_by_key(|(c, _)| *c);
        Ok(row_start(&row.start, number) + &cells.into_iter().map(|(_, xml)| xml).collect::<String>() + "</row>")
    };
    let item_row = |index: usize, values: &[FormValue]| -> String {
        let number = first + index as u32;
        let mut xml = template.map_or_else(|| format!("<row r=\"{number}\">"), |t| row_start(&t.start, number));
        let blank = FormValue::Text(String::new());
        for (column, style) in &column_styles {
            let value = fill.columns.iter().position(|c| c == column).and_then(|i| values.get(i)).unwrap_or(&blank);
            xml += &value_cell(*column, number, *style, value, &styles);
        }
        xml + "</row>"
    };

    // The form's rows above the table, the items' rows (in place of as many blank rows),
    // then the form's other rows, moved down when the items need more rows than it left.
    let mut rows_xml = String::with_capacity(sheet_xml.len() + fill.rows.len() * 400);
    rows_xml += "<sheetData>";
    let mut items = fill.rows.iter().enumerate().peekable();
    let (mut last_row, mut last_column) = (first + count.max(1) - 1, fill.columns.iter().copied().max().unwrap_or(0));
    for row in &sheet.rows {
        let number = shift.row(row.number, false);
        while let Some((index, values)) = items.next_if(|(index, _)| first + (*index as u32) < number) {
            rows_xml += &item_row(index, values);
        }
        // A blank row of the table the items take.
        if (first..first + count).contains(&row.number) && footer.is_none_or(|f| row.number < f) {
            continue;
        }
        rows_xml += &kept_row(row, number)?;
        last_row = last_row.max(number);
        last_column = last_column.max(row.cells.iter().map(|c| c.column).max().unwrap_or(0));
    }
    for (index, values) in items {
        rows_xml += &item_row(index, values);
    }
    rows_xml += "</sheetData>";

    // Merges across columns in the first data row, made for every new row too.
    let existing = merges(&sheet.tail)?;
    let mut new_merges: Vec<String> = Vec::new();
    for area in &existing {
        let Some((a, b)) = area.split_once(':') else { continue };
        let (Some((c1, r1)), Some((c2, r2))) = (cell_position(a), cell_position(b)) else { continue };
        if r1 + 1 == first && r2 + 1 == first && c2 > c1 {
            for number in first + 1..first + count {
                let area = format!("{}{number}:{}{number}", column_letters(c1), column_letters(c2));
                if !existing.contains(&area) {
                    new_merges.push(area);
                }
            }
        }
    }
    let tail = add_merges(&moved_elements(&sheet.tail, shift, &fill.sheet)?, &new_merges);
    let head = set_dimension(&moved_elements(&sheet.head, shift, &fill.sheet)?, &format!("A1:{}{last_row}", column_letters(last_column)))?;

    let mut changed = BTreeMap::new();
    changed.insert(sheet_part.clone(), format!("{head}{rows_xml}{tail}"));
    if let (Some(part), true) = (&styles_part, styles.formats.len() != styles_before) {
        changed.insert(part.clone(), styles.xml.clone());
    }
    let mut dropped = BTreeSet::new();
    if shift.by > 0 {
        let workbook = package.part(&workbook_part)?.ok_or_else(|| malformed("找不到工作簿"))?;
        changed.insert(workbook_part.clone(), moved_workbook(&workbook, shift, &fill.sheet)?);
        // The list of formula cells Excel keeps no longer fits: left out, Excel makes it again.
        if let Some((_, chain)) = relationships(&package, &workbook_part)?.into_values().find(|(kind, _)| kind.ends_with("/calcChain")) {
            let (folder, file) = workbook_part.rsplit_once('/').unwrap_or(("", workbook_part.as_str()));
            let rels = format!("{folder}/_rels/{file}.rels");
            if let Some(xml) = package.part(&rels)? {
                changed.insert(rels, without_elements(&xml, |e| attribute(e, "Type").is_some_and(|t| t.ends_with("/calcChain")))?);
            }
            if let Some(xml) = package.part("[Content_Types].xml")? {
                let name = format!("/{chain}");
                changed.insert("[Content_Types].xml".into(), without_elements(&xml, |e| attribute(e, "PartName").as_deref() == Some(name.as_str()))?);
            }
            dropped.insert(chain);
        }
    }
    package.rewritten(&changed, &dropped)
}

/// The areas of a sheet's merged cells (A1:H1 …), read from the part after its rows.
fn merges(tail: &str) -> Result<BTreeSet<String>> {
    let mut reader = fragment_reader(tail);
    let mut found = BTreeSet::new();
    loop {
        match reader.read_event().map_err(|_| malformed("合并单元格"))? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "mergeCell" => found.extend(attribute(&e, "ref")),
            Event::Eof => return Ok(found),
            _ => {}
        }
    }
}

/// The part after the rows with merges added to its `<mergeCells>` (there is one: the areas
/// copy a merge of the first data row) and its count set.
fn add_merges(tail: &str, areas: &[String]) -> String {
    let (Some(end), false) = (tail.find("</mergeCells>"), areas.is_empty()) else { return tail.to_string() };
    let added: String = areas.iter().map(|a| format!("<mergeCell ref=\"{a}\"/>")).collect();
    let mut out = format!("{}{added}{}", &tail[..end], &tail[end..]);
    let count = out.matches("<mergeCell ").count();
    if let Some(start) = out.find("<mergeCells") {
        let close = start + out[start..].find('>').unwrap_or(0);
        out.replace_range(start..close, &format!("<mergeCells count=\"{count}\""));
    }
    out
}

/// The part before the rows with its `<dimension>` set to `area`.
fn set_dimension(head: &str, area: &str) -> Result<String> {
    rewrite(fragment_reader(head), "工作表", |event, out| {
        out.push(match &event {
            Event::Empty(e) if e.local_name().as_ref() == "dimension" => Event::Empty(with_attribute(e, "ref", area)),
            _ => event,
        });
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_cells_are_named_as_excel_names_them() {
        assert_eq!([0, 25, 26, 27, 701, 702].map(column_letters), ["A", "Z", "AA", "AB", "ZZ", "AAA"]);
        assert_eq!(cell_position("B5"), Some((1, 4)));
        assert_eq!(cell_position("$AB$12"), Some((27, 11)));
        assert_eq!(cell_position("5B"), None);
        assert_eq!((cell_position("XFD1"), cell_position("XFE1")), (Some((16_383, 0)), None), "Excel's last column, and past it");
    }

    #[test]
    fn rows_under_the_table_move_and_a_range_ending_on_its_last_blank_row_grows() {
        // The table's blank rows are 4–8; 填表人 stands on row 9; three more rows are needed.
        let shift = Shift { from: 9, by: 3 };
        assert_eq!(shift.text("A9:H9", "表1", true), "A12:H12");
        assert_eq!(shift.text("SUM(E4:E8)+$F$9", "表1", true), "SUM(E4:E11)+$F$12");
        assert_eq!(shift.text("'表1'!$A$1:$H$9", "表1", false), "'表1'!$A$1:$H$12");
        assert_eq!(shift.text("表1!$A$1:$H$9,'其他'!A9", "表1", false), "表1!$A$1:$H$12,'其他'!A9");
        assert_eq!(shift.text("其他!A9+A9", "表1", true), "其他!A9+A12", "another sheet's rows stay");
        assert_eq!(shift.text("\"A9\"&LOG10(A9)", "表1", true), "\"A9\"&LOG10(A12)", "a text and a function name are not references");
        assert_eq!(shift.text("A3:H3", "表1", true), "A3:H3", "rows above stay");
        assert_eq!(Shift { from: 9, by: 0 }.text("A9", "表1", true), "A9");
    }

}
