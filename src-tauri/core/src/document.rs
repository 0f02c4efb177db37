//! Editable Word documents (.docx, docx-rs) in the party-and-government layout of GB/T
//! 9704-2012: A4, top margin 37 mm, binding margin 28 mm, title in 小标宋, body in 仿宋.
//! The eastAsia font is set on every run, or Word and WPS fall back to their default font
//! for the Chinese text.

use crate::error::{Error, Result};
use crate::stats::{Rate, StatisticsView};
use docx_rs::{AlignmentType, Docx, PageMargin, Paragraph, Run, RunFonts, Table, TableCell, TableRow};

/// A4 in twips (1/1440 inch).
pub const A4_WIDTH: u32 = 11906;
pub const A4_HEIGHT: u32 = 16838;
/// GB/T 9704: top 37 mm, bottom 35 mm, left (binding) 28 mm, right 26 mm, in twips.
pub const MARGINS: (i32, i32, i32, i32) = (2098, 1984, 1588, 1474);

pub const TITLE_FONT: &str = "方正小标宋简体";
pub const BODY_FONT: &str = "仿宋_GB2312";

fn run(text: &str, font: &str, half_points: usize) -> Run {
    Run::new().add_text(text).size(half_points).fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font))
}

fn page() -> Docx {
    let (top, bottom, left, right) = MARGINS;
    Docx::new()
        .page_size(A4_WIDTH, A4_HEIGHT)
        .page_margin(PageMargin::new().top(top).bottom(bottom).left(left).right(right))
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
        rows.push(vec!["合计".into(), b.total.to_string(), crate::queries::reports::percent(b.total, b.total)]);
        rows
    };
    let docx = page()
        .add_paragraph(title(&format!("{year}年{}办理工作总结", view.about)))
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run("（统计部分）", BODY_FONT, 32)))
        .add_paragraph(body(&view.summary))
        .add_paragraph(body("一、主要指标"))
        .add_table(table(&["指标", "比率", "计算", "口径"], [&s.completion, &s.satisfaction, &s.solved, &s.meetings, &s.b_to_a].iter().map(|r| rate_row(r)).collect()))
        .add_paragraph(body("二、按类别"))
        .add_table(table(&["类别", "件数", "占比"], share_rows(&s.categories)))
        .add_paragraph(body("三、办理结果"))
        .add_table(table(&["结果", "件数", "占比"], share_rows(&s.classes)));
    Ok((pack(docx)?, format!("{year}年{}办理工作总结（统计部分）.docx", view.about)))
}
