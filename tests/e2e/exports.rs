//! The tables sent upward, exported from the real window on the demo ledger and read back by
//! a second reader (openpyxl); LibreOffice renders them to PDF pages for a person to look at.

use crate::harness::*;

/// Every row of the first (or named) sheet, cells joined by tabs, as openpyxl reads it.
pub fn read_xlsx(path: &str, sheet: Option<&str>) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let script = "import sys, openpyxl\nbook = openpyxl.load_workbook(sys.argv[1])\nws = book[sys.argv[2]] if len(sys.argv) > 2 else book.active\nprint('SHEETS:' + '|'.join(book.sheetnames))\nfor row in ws.iter_rows(values_only=True):\n    print('\\t'.join('' if v is None else str(v) for v in row))";
    let mut command = std::process::Command::new("/usr/bin/python3");
    command.args(["-c", script, path]);
    if let Some(sheet) = sheet {
        command.arg(sheet);
    }
    let output = command.output()?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned().into());
    }
    Ok(String::from_utf8(output.stdout)?.lines().map(str::to_string).collect())
}

/// Renders a workbook to PDF with LibreOffice and to PNG pages next to the screenshots;
/// returns the number of pages.
pub fn render_with_libreoffice(path: &str, name: &str) -> Result<usize, Box<dyn std::error::Error>> {
    let out = screenshot_dir().join("libreoffice");
    std::fs::create_dir_all(&out)?;
    let profile = tempfile::tempdir()?;
    let status = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()?;
    let stem = std::path::Path::new(path).file_stem().unwrap().to_string_lossy().to_string();
    let pdf = out.join(format!("{stem}.pdf"));
    if !status.success() || !pdf.exists() {
        return Err("LibreOffice did not convert the workbook".into());
    }
    let renamed = out.join(format!("{name}.pdf"));
    std::fs::rename(&pdf, &renamed)?;
    std::process::Command::new("pdftoppm").args(["-png", "-r", "60"]).arg(&renamed).arg(out.join(name)).status()?;
    let info = String::from_utf8(std::process::Command::new("pdfinfo").arg(&renamed).output()?.stdout)?;
    Ok(info.lines().find_map(|l| l.strip_prefix("Pages:")).map(|p| p.trim().parse().unwrap_or(0)).unwrap_or(0))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_exports_the_undertaking_table_and_the_opinion_forms() -> TestResult {
    let app = App::demo().await?;
    app.go("ledger").await?;
    app.click("go-export").await?;
    app.on_screen("export").await?;
    app.click("column-备注").await?;
    app.click("export-undertaking").await?;
    let path = app.saved(|_| true).await?;
    assert!(path.ends_with("2025年人大代表建议和政协委员提案承办情况表.xlsx"), "{path}");
    let lines = read_xlsx(&path, None)?;
    assert_eq!(lines[0], "SHEETS:承办情况表");
    assert!(lines[1].starts_with("县人民政府2025年人大代表建议和政协委员提案承办情况表"), "{}", lines[1]);
    assert!(lines[2].starts_with("填报单位：县人民政府办公室") && lines[2].contains("填报日期：2025年4月15日"), "{}", lines[2]);
    assert!(lines[3].starts_with("序号\t编号\t标题\t领衔人\t类别\t是否重点\t主办单位\t协办单位"), "{}", lines[3]);
    assert!(!lines[3].contains("备注"), "the column switched off is left out");
    assert_eq!(lines.len() - 4, 36 + 45 + 25 + 43, "every 2025 item of the four streams");
    assert!(lines[4].starts_with("1\t103\t关于林芝县乡学校配备多媒体一体机电脑专业维修人员的建议\t美志高\t科教文卫\t"), "{}", lines[4]);
    let pages = render_with_libreoffice(&path, "undertaking")?;
    assert!(pages >= 2, "149 rows take more than one A4 page: {pages}");
    let second = pdf_page_text(&screenshot_dir().join("libreoffice/undertaking.pdf"), 2)?;
    assert!(second.contains("序号") && second.contains("标题"), "the header is repeated on page 2: {second}");

    // The choice of columns is remembered.
    app.go("ledger").await?;
    app.click("go-export").await?;
    app.on_screen("export").await?;
    assert_eq!(app.find("column-备注").await?.prop("checked").await?.as_deref(), Some("false"));
    assert_eq!(app.find("column-答复文号").await?.prop("checked").await?.as_deref(), Some("true"));

    app.click("export-opinions").await?;
    let path = app.saved(|path| path.contains("征求意见表")).await?;
    let forms = read_xlsx(&path, Some("征求意见表"))?;
    assert_eq!(forms[0], "SHEETS:征求意见表|意见汇总");
    let blocks = forms.iter().filter(|l| l.starts_with("2025年")).count();
    assert_eq!(blocks, 13 + 11 + 25 + 43, "one form per 2025 item the county leads");
    let pages = render_with_libreoffice(&path, "opinions")?;
    assert_eq!(pages, blocks + 1, "one page per form, and the summary");
    app.close().await
}

/// The text of one page of a PDF (pdftotext).
fn pdf_page_text(pdf: &std::path::Path, page: usize) -> Result<String, Box<dyn std::error::Error>> {
    let output = std::process::Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()?;
    Ok(String::from_utf8(output.stdout)?)
}

/// Goes from 登记 to the import screen as the clerk does, chooses the demo's 2025 county
/// proposals and opens the list the stand-in dialog hands over, for its preview.
async fn preview_for_county_proposals(app: &App) -> TestResult {
    app.go("intake").await?;
    app.click("go-import").await?;
    app.on_screen("import").await?;
    app.choose("import-session", "2025年 政协精河县十一届五次会议（县政协提案）").await?;
    app.click("import-choose").await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_imports_a_list_after_fixing_its_mapping() -> TestResult {
    let app = App::demo().await?;
    // A GBK CSV as Chinese Excel saves it: the title column is headed 议题, which is not a
    // known name, and one row names a unit the directory does not know.
    let text = "提案号,议题,第一提案人,附议人,承办单位,会办单位,交办日期\n\
                301,关于加强公共图书馆建设的提案,热娜·艾力,,县文体广旅局,县教育局,2025-03-20\n\
                302,关于规范校外培训机构的提案,王建华,李燕芹,县教育局,,2025-03-20\n\
                303,关于建设口袋公园的提案,马如国,,县园林绿化中心,,2025-03-20\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(App::file_to_open(&app.data_dir), &gbk)?;
    preview_for_county_proposals(&app).await?;
    let problems = app.wait_text("import-problems", |t| t.contains("问题")).await?;
    assert!(problems.contains("没有找到“标题”列"), "{problems}");
    assert!(problems.contains("第 4 行「主办单位」：单位“县园林绿化中心”不在承办单位名录中"), "{problems}");
    assert_eq!(app.find("import-run").await?.prop("disabled").await?.as_deref(), Some("true"));
    app.screenshot("import-preview").await?;
    assert!(!app.text("import-result").await?.contains("null"), "no stray text under the preview");

    app.choose("map-1", "标题").await?;
    app.wait_text("import-problems", |t| !t.contains("没有找到“标题”列")).await?;
    app.click("import-create-units").await?;
    app.wait_text("import-ok", |t| t.contains("没有发现问题")).await?;
    let rows = app.text("import-rows").await?;
    assert!(rows.contains("2\t新增\t301\t关于加强公共图书馆建设的提案\t热娜·艾力\t\t精河县文体广旅局") || rows.contains("2\t新增\t301\t关于加强公共图书馆建设的提案\t热娜·艾力\t\t县文体广旅局"), "{rows}");
    app.click("import-run").await?;
    app.on_screen("ledger").await?;
    app.wait_text("toast", |t| t.contains("新增 3 件")).await?;
    app.type_into("filter-text", "口袋公园").await?;
    app.wait_text("item-count", |t| t == "共 1 件").await?;
    assert!(app.text("item-row").await?.contains("县园林绿化中心"));
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_dated_only_in_its_title_gets_that_date_or_the_clerks() -> TestResult {
    let app = App::demo().await?;
    // The 交办日期 is written once, in the title line above the header.
    let text = "精河县2025年县政协提案交办清单（2025年3月17日交办）\n\
                提案号,标题,第一提案人,承办单位\n\
                311,关于加强公共图书馆建设的提案,热娜·艾力,县教育局\n\
                312,关于规范校外培训机构的提案,王建华,县教育局\n";
    std::fs::write(App::file_to_open(&app.data_dir), text.as_bytes())?;
    preview_for_county_proposals(&app).await?;
    app.wait_text("import-default-date", |t| t == "没写交办日期的行按2025年3月17日登记（清单标题中的日期）。").await?;
    let rows = app.text("import-rows").await?;
    assert_eq!(rows.matches("2025年3月17日").count(), 2, "{rows}");

    // The clerk knows the list came on the 20th: every row follows, and so will the deadlines.
    app.type_into("import-date", "2025-03-20").await?;
    app.find("import-date").await?.send_keys("\u{E004}").await?; // Tab: the field is done
    app.wait_text("import-default-date", |t| t == "没写交办日期的行按2025年3月20日登记。").await?;
    let rows = app.text("import-rows").await?;
    assert_eq!((rows.matches("2025年3月20日").count(), rows.matches("2025年3月17日").count()), (2, 0), "{rows}");
    app.click("import-run").await?;
    app.on_screen("ledger").await?;
    app.wait_text("toast", |t| t.contains("新增 2 件")).await?;
    app.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn proposers_are_read_from_the_list_as_a_clerk_reads_them() -> TestResult {
    let app = App::demo().await?;
    let text = "提案号,标题,第一提案人,附议人,附议人数,承办单位,交办日期\n\
                321,关于建设社区食堂的提案,张宝成、吕方方,,,县教育局,2025-03-20\n\
                322,关于保护湿地的提案,妇联界和王爱新,,,县教育局,2025-03-20\n\
                323,关于增设公交线路的提案,马如国,6,,县教育局,2025-03-20\n\
                324,关于改善农村厕所的提案,田鸿,,5,县教育局,2025-03-20\n";
    std::fs::write(App::file_to_open(&app.data_dir), text.as_bytes())?;
    preview_for_county_proposals(&app).await?;
    app.wait_text("import-ok", |t| t.contains("没有发现问题")).await?;
    let rows = app.text("import-rows").await?;
    for label in ["张宝成等2人", "妇联界等2人", "马如国等7人", "田鸿等6人"] {
        assert!(rows.contains(label), "{label}: {rows}");
    }
    assert!(!rows.contains("\t6\t"), "the count is not a co-signer: {rows}");
    app.click("import-run").await?;
    app.on_screen("ledger").await?;
    app.wait_text("toast", |t| t.contains("新增 4 件")).await?;
    app.type_into("filter-text", "增设公交线路").await?;
    app.wait_text("item-count", |t| t == "共 1 件").await?;
    assert!(app.text("item-row").await?.contains("马如国等7人"));
    app.close().await
}

/// A 州人大 选联工委's blank form, made with openpyxl as a body makes it in Excel: a merged
/// title, the 填报单位 line, a header in its own order, two blank bordered rows (答复日期 with a
/// date format), a line under the table, A4 landscape with the header repeated, and notes on a
/// second sheet.
const BODY_FORM: &str = r#"
import sys, openpyxl
from openpyxl.styles import Border, Side, Font, Alignment
from openpyxl.worksheet.pagebreak import Break
book = openpyxl.Workbook()
ws = book.active
ws.title = '统计表'
ws.merge_cells('A1:G1')
ws['A1'] = '精河县2025年州人大代表建议办理情况统计表'
ws['A1'].font = Font(name='方正小标宋简体', size=18)
ws['A1'].alignment = Alignment(horizontal='center')
ws.merge_cells('A2:G2')
ws['A2'] = '填报单位：'
thin = Side(style='thin')
box = Border(left=thin, right=thin, top=thin, bottom=thin)
for c, (name, width) in enumerate([('建议号', 8), ('案由', 40), ('领衔代表', 10), ('主办单位', 22), ('办理结果（A/B/C）', 10), ('答复日期', 14), ('代表意见', 12)], start=1):
    cell = ws.cell(row=3, column=c, value=name)
    cell.font = Font(name='黑体', bold=True)
    cell.border = box
    ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = width
for r in (4, 5):
    for c in range(1, 8):
        cell = ws.cell(row=r, column=c)
        cell.border = box
        cell.font = Font(name='仿宋_GB2312', size=11)
        if c == 6:
            cell.number_format = 'yyyy"年"m"月"d"日"'
    ws.row_dimensions[r].height = 28
ws.merge_cells('A6:G6')
ws['A6'] = '填表人：          审核人：'
ws.page_setup.orientation = 'landscape'
ws.page_setup.paperSize = ws.PAPERSIZE_A4
ws.page_margins.left = 0.4
ws.print_title_rows = '$3:$3'
ws.print_area = 'A1:G6'
notes = book.create_sheet('填表说明')
notes['A1'] = '办理结果填A、B、C。'
book.save(sys.argv[1])
"#;

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_fills_the_form_the_upper_body_sent() -> TestResult {
    let app = App::demo().await?;
    let form = app.data_dir.join("上级表格.xlsx");
    let made = std::process::Command::new("/usr/bin/python3").args(["-c", BODY_FORM]).arg(&form).status()?;
    assert!(made.success(), "openpyxl made the form");
    app.go("ledger").await?;
    app.click("go-export").await?;
    app.on_screen("export").await?;
    for stream in ["州提案", "县建议", "县提案"] {
        app.click(&format!("export-stream-{stream}")).await?;
    }
    app.click("choose-upper-form").await?;
    let found = app.wait_text("upper-found", |t| !t.is_empty()).await?;
    assert!(found.contains("工作表“统计表”第 3 行是表头，表中留了 2 行空行"), "{found}");
    assert_eq!(app.text("upper-unfilled").await?, "每一列都会填写。");
    // The clerk leaves 代表意见 blank: the opinions are not in yet.
    app.choose("upper-field-6", "（不填）").await?;
    assert_eq!(app.text("upper-unfilled").await?, "留空不填的列：G 列“代表意见”。");
    app.screenshot("upper-form").await?;
    app.click("fill-upper-form").await?;
    let path = app.saved(|_| true).await?;
    assert!(path.ends_with("上级表格（已填）.xlsx"), "{path}");

    let lines = read_xlsx(&path, None)?;
    assert_eq!(lines[0], "SHEETS:统计表|填表说明");
    assert!(lines[1].starts_with("精河县2025年州人大代表建议办理情况统计表"), "{}", lines[1]);
    assert!(lines[2].starts_with("填报单位：县人民政府办公室"), "{}", lines[2]);
    assert!(lines[3].starts_with("建议号\t案由\t领衔代表\t主办单位\t办理结果（A/B/C）\t答复日期\t代表意见"), "{}", lines[3]);
    let items: Vec<&String> = lines[4..].iter().take_while(|l| !l.starts_with("填表人")).collect();
    assert_eq!(items.len(), 36, "the demo's 2025 州人大 suggestions");
    assert!(items[0].starts_with("103\t关于林芝县乡学校配备多媒体一体机电脑专业维修人员的建议\t美志高\t"), "{}", items[0]);
    assert!(items.iter().all(|l| l.split('\t').nth(6).unwrap_or_default().is_empty()), "代表意见 left blank");
    assert_eq!(lines[4 + 36], "填表人：          审核人：\t\t\t\t\t\t", "the line under the table, moved down");

    // LibreOffice prints it with the form's own page setup: A4 landscape, the header again on page 2.
    let pages = render_with_libreoffice(&path, "upper-form")?;
    let pdf = screenshot_dir().join("libreoffice/upper-form.pdf");
    let info = String::from_utf8(std::process::Command::new("pdfinfo").arg(&pdf).output()?.stdout)?;
    let size: Vec<f64> = info.lines().find_map(|l| l.strip_prefix("Page size:")).unwrap_or_default().split_whitespace().filter_map(|w| w.parse().ok()).collect();
    assert!(size.len() == 2 && (size[0] - 842.0).abs() < 1.0 && (size[1] - 595.0).abs() < 1.0, "A4 landscape: {info}");
    assert!(pages >= 2, "36 rows of 28 points take more than one landscape page: {pages}");
    let second = pdf_page_text(&pdf, 2)?;
    assert!(second.contains("案由") && second.contains("主办单位"), "the header repeated on page 2: {second}");
    app.close().await
}
