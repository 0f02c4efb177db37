//! Reply drafts in the real window: a reply written from the template, saved twice, the
//! first version opened again, exported as .docx, linked to the 正式答复 step, and printed:
//! by the real WebKitGTK view into a PDF, by Chromium (the engine of the clerk's WebView2)
//! from the same page, and the .docx by LibreOffice. The printed pages are measured: A4,
//! the GB/T 9704 margins within 1 mm, 22 lines of 28 characters on a full page.

use crate::harness::*;
use std::path::Path;

/// A line of a printed page as pdftotext -bbox-layout finds it, in points from the top left.
#[derive(Debug)]
struct Line {
    x_min: f64,
    y_min: f64,
    y_max: f64,
    text: String,
}

struct Page {
    width: f64,
    height: f64,
    lines: Vec<Line>,
}

fn attribute(tag: &str, name: &str) -> f64 {
    let start = tag.find(&format!("{name}=\"")).map(|i| i + name.len() + 2).unwrap_or(0);
    tag[start..].split('"').next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
}

/// Every page of a PDF with its lines of text and their boxes.
fn layout(pdf: &Path) -> Result<Vec<Page>, Box<dyn std::error::Error>> {
    let output = std::process::Command::new("pdftotext").arg("-bbox-layout").arg(pdf).arg("-").output()?;
    let html = String::from_utf8(output.stdout)?;
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let head = &page[..page.find('>').unwrap_or(0)];
        let lines = page
            .split("<line ")
            .skip(1)
            .map(|line| {
                let head = &line[..line.find('>').unwrap_or(0)];
                let text: String = line
                    .split("<word ")
                    .skip(1)
                    .filter_map(|w| w.split_once('>').map(|(_, rest)| rest.split("</word>").next().unwrap_or_default().to_string()))
                    .collect();
                Line { x_min: attribute(head, "xMin"), y_min: attribute(head, "yMin"), y_max: attribute(head, "yMax"), text }
            })
            .collect();
        pages.push(Page { width: attribute(head, "width"), height: attribute(head, "height"), lines });
    }
    Ok(pages)
}

const MM: f64 = 72.0 / 25.4;

/// Where the ink of a page's text block lies, in mm from the top left: (left, top, right,
/// bottom), above the page number (from 265 mm down). Measured on the rendered page rather
/// than on pdftotext's boxes, which take the whole height of the font's bounding box.
fn ink(pdf: &Path, page: usize) -> Result<(f64, f64, f64, f64), Box<dyn std::error::Error>> {
    const DPI: f64 = 144.0;
    let output = std::process::Command::new("pdftoppm")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-r", &DPI.to_string(), "-gray"])
        .arg(pdf)
        .output()?;
    let pgm = output.stdout;
    // "P5 <width> <height> 255" and one byte a pixel.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).to_string());
    }
    let (width, height): (usize, usize) = (fields[1].parse()?, fields[2].parse()?);
    let pixels = &pgm[at + 1..];
    let px_per_mm = DPI / 25.4;
    let limit = (265.0 * px_per_mm) as usize;
    let (mut left, mut top, mut right, mut bottom) = (width, height, 0, 0);
    for y in 0..limit.min(height) {
        for x in 0..width {
            if pixels[y * width + x] < 128 {
                (left, top, right, bottom) = (left.min(x), top.min(y), right.max(x), bottom.max(y));
            }
        }
    }
    let mm = |px: usize| px as f64 / px_per_mm;
    Ok((mm(left), mm(top), mm(right + 1), mm(bottom + 1)))
}

/// Checks a full page of the letter's body (nothing but body text): A4, the text block
/// where GB/T 9704 puts it (binding margin 28 mm, right 26 mm, within 1 mm; the first line's
/// glyphs inside the first 28.9 pt line under the 37 mm top margin; nothing under 262 mm),
/// 22 lines, 28 characters on a full line, and the page number under the block. Returns
/// what it measured, for the report.
fn check_full_page(pdf: &Path, pages: &[Page], number: usize, what: &str) -> Result<String, Box<dyn std::error::Error>> {
    let page = &pages[number - 1];
    assert!((page.width - 210.0 * MM).abs() < 1.0 && (page.height - 297.0 * MM).abs() < 1.0, "{what}: A4 portrait, got {} × {}", page.width, page.height);
    let is_number = |l: &Line| l.text.starts_with('—');
    let body: Vec<&Line> = page.lines.iter().filter(|l| !is_number(l) && !l.text.trim().is_empty()).collect();
    let mut rows: Vec<f64> = body.iter().map(|l| (l.y_min + l.y_max) / 2.0).collect();
    rows.sort_by(f64::total_cmp);
    rows.dedup_by(|a, b| (*a - *b).abs() < 3.0);
    assert_eq!(rows.len(), 22, "{what}: 22 lines on a full page: {body:#?}");
    let longest = body.iter().map(|l| l.text.chars().filter(|c| !c.is_whitespace()).count()).max().unwrap_or(0);
    assert_eq!(longest, 28, "{what}: 28 characters on a full line");
    let page_number: Vec<String> = page.lines.iter().filter(|l| is_number(l)).map(|l| l.text.replace(' ', "")).collect();
    assert_eq!(page_number, [format!("—{number}—")], "{what}: the page number");
    let (left, top, right, bottom) = ink(pdf, number)?;
    let right = 210.0 - right;
    assert!((left - 28.0).abs() <= 1.0, "{what}: binding margin 28 mm, ink from {left:.2} mm");
    assert!((right - 26.0).abs() <= 1.0, "{what}: right margin 26 mm, ink to {right:.2} mm from the edge");
    let pitch = 28.9 / MM;
    assert!(top >= 37.0 && top <= 37.0 + pitch, "{what}: the text block starts at 37 mm, first ink at {top:.2} mm");
    assert!(bottom <= 262.0 + 1.0, "{what}: the text block ends at 262 mm, last ink at {bottom:.2} mm");
    Ok(format!("{what}: 22 lines, 28 characters, ink left {left:.2} mm, right {right:.2} mm, top {top:.2} mm, bottom {bottom:.2} mm, page number {page_number:?}"))
}

/// Checks the page a WebKitGTK print has: A4 portrait, the text beginning at the binding
/// margin. NOTE: WebKitGTK scales what it prints (lines 30.4 pt apart instead of 28.9), so
/// the 22-line grid is measured where the clerk prints: Chromium (WebView2) and the .docx.
fn check_frame(page: &Page, what: &str) -> Result<String, Box<dyn std::error::Error>> {
    assert!((page.width - 210.0 * MM).abs() < 1.0 && (page.height - 297.0 * MM).abs() < 1.0, "{what}: A4 portrait");
    let left = page.lines.iter().map(|l| l.x_min).fold(f64::INFINITY, f64::min) / MM;
    assert!((left - 28.0).abs() <= 1.0, "{what}: binding margin 28 mm, got {left:.2} mm");
    let mut rows: Vec<f64> = page.lines.iter().map(|l| l.y_min).collect();
    rows.sort_by(f64::total_cmp);
    let pitch = rows.windows(2).map(|w| w[1] - w[0]).fold(f64::INFINITY, f64::min);
    Ok(format!("{what}: A4, left margin {left:.2} mm, {} lines {pitch:.2} pt apart", page.lines.len()))
}

/// The measures of the reply: three long paragraphs without punctuation inside, so every
/// full line holds exactly 28 characters, and enough of them for three pages.
fn long_body() -> String {
    let sentence = "县住房和城乡建设局会同布久乡人民政府对孜热村道路供水供暖和绿化管网进行了全面摸底";
    ["一、", "二、", "三、"].iter().map(|n| format!("{n}{}。", sentence.repeat(12))).collect::<Vec<_>>().join("\n")
}

/// What a clerk does when pasting from Word: the text lands in the field at once.
async fn paste(app: &App, testid: &str, text: &str) -> TestResult {
    let field = app.find(testid).await?;
    app.client
        .execute("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::to_value(&field)?, serde_json::Value::String(text.into())])
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_writes_a_reply_keeps_versions_prints_and_exports_it() -> TestResult {
    let (dir, _) = crate::workflow::prepared()?;
    let app = App::on(dir.path()).await?;
    open_reply(&app, "孜热村").await?;

    // The template fills the letter from the item.
    let title = "关于州十六届人大二次会议第214号建议的答复";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.value("reply-title").await? != title && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.value("reply-title").await?, title);
    assert_eq!(app.value("reply-salutation").await?, "乔次仁代表：");
    assert_eq!(app.value("reply-opening").await?, "您提出的《关于加快实施布久乡孜热村升级改造项目的建议》收悉。现答复如下：");
    assert_eq!(app.value("reply-signer").await?, "精河县发展和改革委员会");
    assert_eq!(app.value("reply-date").await?, "2025年4月15日");
    assert_eq!((app.value("reply-contact").await?, app.value("reply-phone").await?), ("李娜".into(), "0909-5321101".into()));
    assert_eq!(app.value("reply-cc").await?, "县人大常委会办公室");
    app.wait_text("reply-version", |t| t == "新稿，尚未保存").await?;

    // First version: the measures pasted, the class chosen, typed by hand where a clerk types.
    paste(&app, "reply-body", &long_body()).await?;
    app.choose("reply-class", "A类（已解决或采纳）").await?;
    app.type_into("reply-note", "初稿").await?;
    app.screenshot("reply-editor").await?;
    app.click("reply-save").await?;
    app.wait_text("reply-version", |t| t.starts_with("主办答复 第1版")).await?;

    // A wrong date is named in Chinese and what was typed stays.
    app.type_into("reply-body", "一、已完成孜热村主干道路硬化。").await?;
    app.type_into("reply-date", "4月20日").await?;
    app.click("reply-save").await?;
    app.wait_text("reply-errors", |t| t.contains("日期不是有效日期")).await?;
    assert_eq!(app.value("reply-body").await?, "一、已完成孜热村主干道路硬化。");
    app.type_into("reply-date", "2025-04-20").await?;
    app.type_into("reply-note", "按初审意见压缩").await?;
    app.click("reply-save").await?;
    app.wait_text("reply-version", |t| t.starts_with("主办答复 第2版")).await?;
    assert_eq!(app.find_all("reply-version-row").await?.len(), 2);

    // The first version opens again as it was saved.
    app.click("open-version-1").await?;
    app.wait_text("reply-version", |t| t.starts_with("主办答复 第1版")).await?;
    assert_eq!(app.value("reply-body").await?, long_body());
    assert_eq!(app.value("reply-date").await?, "2025年4月15日");

    // The .docx of the first version, read back and rendered by LibreOffice.
    app.click("reply-export").await?;
    let docx = app.saved(|path| path.ends_with(".docx")).await?;
    assert!(docx.ends_with(&format!("{title}（第1版）.docx")), "{docx}");
    let pages = crate::exports::render_with_libreoffice(&docx, "reply-docx")?;
    assert!(pages >= 3, "three long paragraphs take three pages: {pages}");
    let word_pdf = screenshot_dir().join("libreoffice/reply-docx.pdf");
    let word = layout(&word_pdf)?;
    let word_page = check_full_page(&word_pdf, &word, 2, "LibreOffice (.docx)")?;
    assert!(word[0].lines.iter().any(|l| l.text == "A"), "the class mark on page 1");

    // The print view, printed by the real window and by Chromium.
    app.click("reply-preview").await?;
    app.on_screen("reply-print").await?;
    let fonts = app.text("font-notice").await?;
    assert!(fonts.contains("标题：") && fonts.contains("正文："), "{fonts}");
    app.screenshot("reply-print-view").await?;
    app.click("print-reply").await?;
    let printed = app.wait_text("toast", |t| t.starts_with("已打印到：")).await?;
    let webkit_pdf = printed.trim_start_matches("已打印到：").to_string();
    let webkit = layout(Path::new(&webkit_pdf))?;
    std::fs::copy(&webkit_pdf, screenshot_dir().join("reply-webkit.pdf"))?;
    std::process::Command::new("pdftoppm").args(["-png", "-r", "60"]).arg(&webkit_pdf).arg(screenshot_dir().join("reply-webkit")).status()?;
    assert!(webkit.len() >= 3, "the real window printed every page: {}", webkit.len());
    // NOTE: Cairo's PDF maps some glyphs of Noto CJK back to radicals (人 as ⼈), so the real
    // window's print is checked by layout and digits, Chromium's print by its words.
    assert!(webkit[0].lines.iter().any(|l| l.text.contains("214")), "the title on the WebKitGTK print");
    let webkit_page = check_frame(&webkit[1], "WebKitGTK (the real window)")?;

    let chromium = print_to_pdf(&app, "reply-chromium").await?;
    let chromium_pages = layout(&chromium.pdf)?;
    let first_page: String = chromium_pages[0].lines.iter().map(|l| l.text.as_str()).collect();
    assert!(first_page.contains(title), "the title: {first_page}");
    assert!(chromium_pages[0].lines.iter().any(|l| l.text == "A"), "the class mark on page 1");
    let chromium_page = check_full_page(&chromium.pdf, &chromium_pages, 2, "Chromium (WebView2's engine)")?;
    println!("{word_page}\n{webkit_page}\n{chromium_page}");

    // The 正式答复 names the version that went out; the editor marks it.
    app.click("back-to-editor").await?;
    app.on_screen("reply").await?;
    app.click("back-to-item").await?;
    app.on_screen("item").await?;
    app.choose("step-kind", "正式答复").await?;
    app.type_into("step-date", "2025-04-25").await?;
    app.choose("step-class", "A类（已解决或采纳）").await?;
    let (options, proposed) = options(&app, "step-draft_id").await?;
    assert!(proposed.starts_with("第2版（"), "the newest version is proposed: {proposed}");
    let first = options.iter().find(|o| o.starts_with("第1版（")).ok_or("the first version is offered")?;
    app.choose("step-draft_id", first).await?;
    app.click("step-save").await?;
    app.wait_text("timeline", |t| t.contains("A类，附答复稿")).await?;
    app.click("open-reply").await?;
    app.on_screen("reply").await?;
    app.wait_text("reply-versions", |t| t.contains("第1版正式答复")).await?;
    app.close().await
}

/// A drop-down's options and the one chosen, as the clerk sees them.
async fn options(app: &App, testid: &str) -> Result<(Vec<String>, String), Box<dyn std::error::Error>> {
    let select = app.find(testid).await?;
    let value = app.client
        .execute("const s = arguments[0]; return [[...s.options].map((o) => o.text), s.options[s.selectedIndex].text];", vec![serde_json::to_value(&select)?])
        .await?;
    Ok(serde_json::from_value(value)?)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_prints_an_items_opinion_form_and_edits_a_template() -> TestResult {
    let (dir, id) = crate::workflow::prepared()?;
    let app = App::on(dir.path()).await?;
    app.client.execute(&format!("location.hash = '#/item/{id}'"), vec![]).await?;
    app.on_screen("item").await?;
    app.click("open-opinion-form").await?;
    app.on_screen("opinion-print").await?;
    app.click("print-opinion").await?;
    let printed = app.wait_text("toast", |t| t.starts_with("已打印到：")).await?;
    let pages = layout(Path::new(printed.trim_start_matches("已打印到：")))?;
    assert_eq!(pages.len(), 1, "one form, one page");
    assert!((pages[0].width - 210.0 * MM).abs() < 1.0 && pages[0].width < pages[0].height, "A4 portrait");
    assert!(pages[0].lines.iter().any(|l| l.text.contains("214")));
    let chromium = print_to_pdf(&app, "opinion-form-chromium").await?;
    assert_eq!((chromium.pages, chromium.landscape), (1, false));
    let text = chromium.text;
    for part in ["2025年州人大代表建议办理情况征求意见表", "建议号", "214", "关于加快实施布久乡孜热村升级改造项目的建议", "□满意", "代表签名"] {
        assert!(text.contains(part), "{part} in {text}");
    }
    app.screenshot("opinion-form").await?;

    // A template with an unknown placeholder is refused, naming the part; fixed, it saves.
    app.go("settings").await?;
    app.click("go-templates").await?;
    app.on_screen("templates").await?;
    app.type_into("template-closing", "感谢您对{分管领域}工作的关心和支持。").await?;
    app.click("template-save").await?;
    let error = app.wait_text("template-errors", |t| t.contains("占位符")).await?;
    assert!(error.starts_with("结束语中的占位符“{分管领域}”不认识"), "{error}");
    assert_eq!(app.value("template-closing").await?, "感谢您对{分管领域}工作的关心和支持。", "what was typed stays");
    app.type_into("template-closing", "感谢您对我县{承办单位}工作的关心和支持。").await?;
    app.click("template-save").await?;
    app.wait_text("toast", |t| t == "模板已保存。").await?;
    app.wait_text("template-form", |t| t.starts_with("编辑：建议主办答复")).await?;
    assert_eq!(app.find_all("template-form").await?.len(), 1, "the screen is shown once after saving");
    app.screenshot("reply-templates").await?;
    app.client.execute(&format!("location.hash = '#/reply/{id}'"), vec![]).await?;
    app.on_screen("reply").await?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !app.value("reply-closing").await?.starts_with("感谢您对我县") && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.value("reply-closing").await?, "感谢您对我县精河县发展和改革委员会工作的关心和支持。");
    app.close().await
}
