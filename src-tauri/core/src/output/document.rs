//! Editable Word documents (.docx, docx-rs) in the party-and-government layout of GB/T
//! 9704-2012: A4, top margin 37 mm, binding margin 28 mm, title in 小标宋, body in 仿宋.
//! The eastAsia font is set on every run, or Word and WPS fall back to their default font
//! for the Chinese text.

use crate::error::{Error, Result};
use crate::queries::replies::DraftVersion;
use crate::reply::{ReplyPurpose, DATE_OFFSET};
use crate::stats::{Rate, StatisticsView};
use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run,
    RunFonts, SpecialIndentType, Table, TableCell, TableRow,
};

/// A4 in twips (1/1440 inch).
pub const A4_WIDTH: u32 = 11906;
pub const A4_HEIGHT: u32 = 16838;
/// GB/T 9704: top 37 mm, bottom 35 mm, left (binding) 28 mm, right 26 mm, in twips.
pub const MARGINS: (i32, i32, i32, i32) = (2098, 1984, 1588, 1474);
/// The page number's line starts 7 mm under the text block: its foot is 23 mm above the
/// page's lower edge.
const FOOTER_DISTANCE: i32 = 1304;

pub const TITLE_FONT: &str = "方正小标宋简体";
pub const BODY_FONT: &str = "仿宋_GB2312";
/// The class mark (A/B/C) at the top right of a reply's first page.
pub const MARK_FONT: &str = "黑体";
pub const PAGE_NUMBER_FONT: &str = "宋体";

/// A reply's grid: 22 lines of 28 characters in the 156 × 225 mm text block. The line
/// pitch is 28.9 pt (22 × 28.9 = 635.8 pt fits in 225 mm = 637.8 pt, 23 lines would not).
/// The print view (ui/pages/official.css) uses the same figures.
pub const LINE_PITCH: i32 = 578;
/// 三号 is 16 pt; −0.25 pt of spacing makes each character advance 15.75 pt, so 28 fit in
/// 156 mm (441 pt = 155.6 mm) and a 29th does not.
pub const CHAR_SPACING: i32 = -5;
/// One character's advance in twips (15.75 pt).
const CHAR: f64 = 315.0;

fn fonts(font: &str) -> RunFonts {
    RunFonts::new().east_asia(font).ascii(font).hi_ansi(font)
}

/// A run of text. Forms refuse control characters, but a ledger may hold them from before
/// that rule (an older import); Word refuses a document with any, so they go here too.
fn run(text: &str, font: &str, half_points: usize) -> Run {
    let text = crate::input::strip_forbidden(text).unwrap_or_else(|| text.to_string());
    Run::new().add_text(text).size(half_points).fonts(fonts(font))
}

fn page() -> Docx {
    let (top, bottom, left, right) = MARGINS;
    Docx::new()
        .page_size(A4_WIDTH, A4_HEIGHT)
        .page_margin(PageMargin::new().top(top).bottom(bottom).left(left).right(right).footer(FOOTER_DISTANCE))
}

/// 二号 title (22 pt), centred.
fn title(text: &str) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).add_run(run(text, TITLE_FONT, 44))
}

/// 三号 body paragraph (16 pt) with a two-character first-line indent.
fn body(text: &str) -> Paragraph {
    Paragraph::new().indent(None, Some(docx_rs::SpecialIndentType::FirstLine(640)), None, None).add_run(run(text, BODY_FONT, 32))
}

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(run(text, BODY_FONT, 24)))
}

fn table(header: &[&str], rows: Vec<Vec<String>>) -> Table {
    let mut all = vec![TableRow::new(header.iter().map(|h| cell(h)).collect())];
    all.extend(rows.into_iter().map(|r| TableRow::new(r.iter().map(|c| cell(c)).collect())));
    Table::new(all)
}

fn pack(docx: Docx) -> Result<Vec<u8>> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut buffer).map_err(|e| Error::Docx(e.to_string()))?;
    Ok(buffer.into_inner())
}

/// The statistics part of the yearly 办理工作总结: the drafted paragraph and the tables
/// behind it, as an editable .docx. Returns bytes and the default file name.
pub fn summary_document(view: &StatisticsView, year: i32) -> Result<(Vec<u8>, String)> {
    let s = &view.statistics;
    let rate_row = |r: &Rate| vec![r.name.to_string(), r.percent.clone(), format!("{} ÷ {}", r.numerator, r.denominator), r.definition.clone()];
    let share_rows = |b: &crate::stats::Breakdown| {
        let mut rows: Vec<Vec<String>> = b.parts.iter().map(|p| vec![p.label.clone(), p.count.to_string(), p.percent.clone()]).collect();
        rows.push(vec!["合计".into(), b.total.to_string(), crate::text::percent(b.total, b.total)]);
        rows
    };
    let docx = page()
        .add_paragraph(title(&format!("{year}年{}办理工作总结", view.about)))
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run("（统计部分）", BODY_FONT, 32)))
        .add_paragraph(body(&view.summary))
        .add_paragraph(body(&view.summary_note))
        .add_paragraph(body("一、主要指标"))
        .add_table(table(&["指标", "比率", "计算", "口径"], [&s.completion, &s.satisfaction, &s.solved, &s.meetings, &s.b_to_a].iter().map(|r| rate_row(r)).collect()))
        .add_paragraph(body("二、按类别"))
        .add_table(table(&["类别", "件数", "占比"], share_rows(&s.categories)))
        .add_paragraph(body("三、办理结果"))
        .add_table(table(&["结果", "件数", "占比"], share_rows(&s.classes)));
    Ok((pack(docx)?, format!("{year}年{}办理工作总结（统计部分）.docx", view.about)))
}

/// A length of `n` characters of the reply's grid, in twips.
fn chars(n: f64) -> i32 {
    (n * CHAR).round() as i32
}

/// One line of a reply's grid (exact line pitch, no space around), in 三号 仿宋.
fn letter_line(text: &str) -> Paragraph {
    grid(Paragraph::new().add_run(run(text, BODY_FONT, 32).character_spacing(CHAR_SPACING)))
}

/// NOTE: widow and orphan control is off, as in the usual 公文 templates: it would move a
/// paragraph's last line to the next page and leave a page with 21 lines.
fn grid(paragraph: Paragraph) -> Paragraph {
    paragraph
        .line_spacing(LineSpacing::new().line(LINE_PITCH).line_rule(LineSpacingType::Exact).before(0).after(0))
        .widow_control(false)
}

/// "— 1 —" in 4号 宋体, one character in from the outer edge: right on odd pages, left on
/// even ones (GB/T 9704 7.5).
fn page_number(odd: bool) -> Footer {
    let text = |t: &str| run(t, PAGE_NUMBER_FONT, 28);
    let number = Run::new()
        .size(28)
        .fonts(fonts(PAGE_NUMBER_FONT))
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE {}))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    let line = Paragraph::new().add_run(text("— ")).add_run(number).add_run(text(" —"));
    let line = if odd {
        line.align(AlignmentType::Right).indent(None, None, Some(280), None)
    } else {
        line.align(AlignmentType::Left).indent(Some(280), None, None, None)
    };
    Footer::new().add_paragraph(line)
}

/// A reply draft as an editable Word document in the layout of GB/T 9704: the class at the
/// top right of the first page, the title, the salutation, the paragraphs with a two-
/// character indent, the signing unit centred over the date, the notes, 抄送, and page
/// numbers. Returns bytes and the default file name.
pub fn reply_document(draft: &DraftVersion) -> Result<(Vec<u8>, String)> {
    let letter = &draft.content;
    let lines = &draft.lines;
    let mut docx = page();
    if let Some(class) = letter.class {
        docx = docx.add_paragraph(grid(Paragraph::new().align(AlignmentType::Right).add_run(run(class.as_str(), MARK_FONT, 32))));
    }
    docx = docx
        .add_paragraph(grid(Paragraph::new().align(AlignmentType::Center).add_run(run(&letter.title, TITLE_FONT, 44))))
        .add_paragraph(letter_line(""))
        .add_paragraph(letter_line(&letter.salutation).align(AlignmentType::Both));
    for paragraph in &lines.paragraphs {
        docx = docx.add_paragraph(
            letter_line(paragraph).align(AlignmentType::Both).indent(None, Some(SpecialIndentType::FirstLine(chars(2.0))), None, None),
        );
    }
    docx = docx
        .add_paragraph(letter_line(""))
        .add_paragraph(letter_line(""))
        .add_paragraph(letter_line(&letter.signer).align(AlignmentType::Right).indent(None, None, Some(chars(lines.signer_offset)), None))
        .add_paragraph(letter_line(&lines.date).align(AlignmentType::Right).indent(None, None, Some(chars(DATE_OFFSET)), None))
        .add_paragraph(letter_line(lines.publication_note).indent(Some(chars(2.0)), None, None, None));
    if let Some(contact) = &lines.contact_note {
        docx = docx.add_paragraph(letter_line(contact).indent(Some(chars(2.0)), None, None, None));
    }
    if let Some(cc) = &lines.cc_line {
        docx = docx
            .add_paragraph(letter_line(""))
            .add_paragraph(grid(Paragraph::new().add_run(run(cc, BODY_FONT, 28))).indent(Some(280), None, Some(280), None));
    }
    docx = docx.footer(page_number(true)).even_footer(page_number(false));
    let whose = match (draft.purpose, &draft.unit_name) {
        (ReplyPurpose::Assist, Some(unit)) => format!("{unit}，"),
        _ => String::new(),
    };
    Ok((pack(docx)?, format!("{}（{whose}第{}版）.docx", letter.title, draft.version)))
}
