//! Reading a spreadsheet (.xlsx, .xls, or .csv in UTF-8 or GBK) as rows of text, within
//! bounds checked before anything large is allocated. A file from outside may be damaged, or
//! made to harm: none may end the program, fill the memory or keep it busy without end. Each
//! bound that stops a file says in Chinese what was found and what the bound is. The format
//! is told by the file's first bytes, so a list renamed from .xls to .xlsx still reads.

use crate::error::{Error, Result};
use chrono::{Days, NaiveDate};
use std::io::{Cursor, Read};

/// The largest file taken (bytes as stored).
pub const MAX_FILE_BYTES: usize = 30 << 20;
/// The most an .xlsx may unpack to (its parts together).
pub const MAX_UNPACKED_BYTES: u64 = 120 << 20;
/// The most rows of a sheet (title and header rows included).
pub const MAX_ROWS: usize = 20_000;
/// The most columns of a sheet.
pub const MAX_COLUMNS: usize = 100;
/// The most characters in one cell (Excel's own bound).
pub const MAX_CELL_CHARS: usize = 32_767;
/// The most cells an .xls may hold (its reader keeps them all before it hands them over).
const MAX_XLS_CELLS: usize = 1_000_000;

fn too_big(what: String) -> Error {
    Error::field("file", what)
}

/// A sheet as read: its rows of text, and where a cell holds a formula (row, column), since
/// a formula's value is the spreadsheet's reckoning, not what somebody typed.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub rows: Vec<Vec<String>>,
    pub formulas: std::collections::BTreeSet<(usize, usize)>,
}

/// The rows of the first sheet (or of the CSV), every cell as text: whole numbers without
/// ".0", dates as 2025-03-17. Rows keep their places (a blank row stays an empty row).
pub fn read_rows(bytes: &[u8], file_name: &str) -> Result<Vec<Vec<String>>> {
    read_sheets(bytes, file_name, Which::First).map(|mut sheets| sheets.pop().map(|(_, table)| table.rows).unwrap_or_default())
}

/// The sheet named `name` (hidden or not), or the first when `name` is none, read as
/// [`read_rows`] reads it; `None` when the workbook has no such sheet (a CSV has none but
/// the first).
pub fn read_table(bytes: &[u8], file_name: &str, name: Option<&str>) -> Result<Option<Table>> {
    let which = name.map_or(Which::First, Which::Named);
    read_sheets(bytes, file_name, which).map(|mut sheets| sheets.pop().map(|(_, table)| table))
}

/// Every visible worksheet of a workbook, by name, in the workbook's order, read as
/// [`read_rows`] reads a sheet (a CSV is one sheet without a name). The bounds hold for the
/// sheets together: what their cells hold is counted against one budget. Hidden sheets are
/// left out: a clerk hides the sheets she keeps for herself (lookups, old drafts).
pub fn read_workbook(bytes: &[u8], file_name: &str) -> Result<Vec<(String, Table)>> {
    read_sheets(bytes, file_name, Which::Visible)
}

/// Which sheets of a workbook are read.
#[derive(Clone, Copy)]
enum Which<'a> {
    First,
    Named(&'a str),
    Visible,
}

/// The sheets `which` names, each with its name (none, when the workbook has no such sheet).
fn read_sheets(bytes: &[u8], file_name: &str, which: Which) -> Result<Vec<(String, Table)>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_big(format!("“{file_name}”有 {:.1} MB，超过了一次可以读取的 {} MB，没有读取。请只保留需要的工作表，或把它分成几个文件。",
            bytes.len() as f64 / 1048576.0, MAX_FILE_BYTES >> 20)));
    }
    let bad = || Error::field("file", format!("“{file_name}”不是可以读取的 Excel 文件（可能已损坏，或不是 .xlsx/.xls 格式）。请用 Excel 或 WPS 打开后另存为 .xlsx 再选择。"));
    // NOTE: the readers below are other people's code fed with an outsider's file. Whatever
    // the bounds miss (a panic deep inside a reader) still ends as a message, not a crash.
    let read = || -> Result<Vec<(String, Table)>> {
        if bytes.starts_with(b"PK\x03\x04") {
            read_xlsx(bytes, file_name, which).map_err(|e| e.unwrap_or_else(bad))
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            if encrypted(bytes) {
                return Err(Error::field("file", format!("“{file_name}”设置了打开密码，程序读不了。请在 Excel 或 WPS 中打开它，去掉密码另存后再选择。")));
            }
            read_xls(bytes, file_name, which).map_err(|e| e.unwrap_or_else(bad))
        } else if file_name.to_lowercase().ends_with(".csv") {
            if matches!(which, Which::Named(_)) { Ok(Vec::new()) } else { read_csv(bytes, file_name).map(|rows| vec![(String::new(), Table { rows, ..Table::default() })]) }
        } else {
            Err(bad())
        }
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| Err(bad()))
}

/// The names of the sheets `which` names, of a workbook's sheets (name, worksheet, visible).
fn chosen_sheets(sheets: &[calamine::Sheet], which: Which) -> Option<Vec<String>> {
    let worksheets = || sheets.iter().filter(|s| s.typ == calamine::SheetType::WorkSheet);
    Some(match which {
        Which::First => vec![sheets.first()?.name.clone()],
        Which::Named(name) => sheets.iter().filter(|s| s.name == name).map(|s| s.name.clone()).take(1).collect(),
        Which::Visible => worksheets().filter(|s| s.visible == calamine::SheetVisible::Visible).map(|s| s.name.clone()).collect(),
    })
}

/// Whether a compound file is a workbook saved with a password: Excel then wraps the
/// encrypted .xlsx in an `EncryptedPackage` stream (WPS too).
fn encrypted(bytes: &[u8]) -> bool {
    cfb::CompoundFile::open(Cursor::new(bytes)).is_ok_and(|file| file.is_stream("/EncryptedPackage"))
}

/// Rows built from cells as they come, each placed by its row and column after the bounds
/// are checked.
struct Grid {
    table: Table,
    /// The bytes the rows hold so far (texts, and the room of each cell and row).
    held: usize,
    /// The most they may hold: a file's cells may repeat one long text many times over.
    budget: usize,
}

fn cells_too_large(file_name: &str, budget: usize) -> String {
    format!("“{file_name}”的单元格内容展开后超过 {} MB（多半是同一段很长的文字被大量单元格重复引用），不像一份建议提案的表格，没有读取。请用 Excel 或 WPS 打开后只保留需要的内容另存，再选择。",
        budget >> 20)
}

/// What the rows read from a file may hold: 16 MB, and ten times the file's size.
fn grid_budget(file_bytes: usize) -> usize {
    (16 << 20) + 10 * file_bytes
}

impl Grid {
    fn new(file_bytes: usize) -> Grid {
        Grid { table: Table::default(), held: 0, budget: grid_budget(file_bytes) }
    }

    /// The next sheet's rows, counted against what the sheets before held.
    fn next_sheet(&mut self) -> Table {
        std::mem::take(&mut self.table)
    }

    fn put(&mut self, row: usize, column: usize, text: String, file_name: &str) -> Result<()> {
        self.place(row, column, file_name)?;
        check_length(&text, row, column, file_name)?;
        let slot = std::mem::size_of::<String>();
        let new_rows = (row + 1).saturating_sub(self.table.rows.len());
        let new_cells = (column + 1).saturating_sub(self.table.rows.get(row).map_or(0, Vec::len));
        self.held += text.len() + slot * new_cells + std::mem::size_of::<Vec<String>>() * new_rows;
        if self.held > self.budget {
            return Err(too_big(cells_too_large(file_name, self.budget)));
        }
        if self.table.rows.len() <= row {
            self.table.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.table.rows[row];
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
        Ok(())
    }

    /// Marks a cell as a formula's.
    fn formula(&mut self, row: usize, column: usize, file_name: &str) -> Result<()> {
        self.place(row, column, file_name)?;
        self.table.formulas.insert((row, column));
        Ok(())
    }

    fn place(&self, row: usize, column: usize, file_name: &str) -> Result<()> {
        if row >= MAX_ROWS || column >= MAX_COLUMNS {
            return Err(too_big(format!(
                "“{file_name}”第 {} 行第 {} 列还有内容，超出了一次可以读取的范围（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列）。请删去表格以外的内容，或把它分成几个文件。",
                row as u64 + 1, column as u64 + 1)));
        }
        Ok(())
    }
}

fn check_length(text: &str, row: usize, column: usize, file_name: &str) -> Result<()> {
    let chars = text.chars().count();
    if chars > MAX_CELL_CHARS {
        return Err(too_big(format!("“{file_name}”第 {} 行第 {} 列有 {chars} 个字，超过了一个单元格能容纳的 {MAX_CELL_CHARS} 个字。",
            row + 1, column + 1)));
    }
    Ok(())
}

/// An .xlsx, streamed cell by cell (never as a dense range, whose size an outsider sets),
/// after its parts were unpacked once to count what they really hold. `Err(None)`: not a
/// readable workbook.
fn read_xlsx(bytes: &[u8], file_name: &str, which: Which) -> std::result::Result<Vec<(String, Table)>, Option<Error>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| None)?;
    let mut unpacked = 0u64;
    for index in 0..zip.len() {
        let part = zip.by_index(index).map_err(|_| None)?;
        // The reader finds the table as sharedStrings.xml beside the workbook part, whatever
        // the folder, and reads it whatever the letters' case.
        let part_name = part.name().map_err(|_| None)?.replace('\\', "/").to_ascii_lowercase();
        let shared_strings = part_name.ends_with("sharedstrings.xml");
        let styles = part_name.ends_with("styles.xml");
        // The sizes a zip declares may lie; what decompressing yields does not.
        let limit = MAX_UNPACKED_BYTES + 1 - unpacked;
        let mut part = part.take(limit);
        let declared = if shared_strings { declared_unique_count(&mut part) } else { None };
        // The reader keeps every cell format and number format of the style sheet.
        let formats = if styles { count_formats(&mut part) } else { 0 };
        if formats > MAX_FORMATS {
            return Err(Some(too_big(format!(
                "“{file_name}”的样式表有 {formats} 条格式，超过了 Excel 的上限 {MAX_FORMATS} 条，文件可能已损坏或被改动过，没有读取。请用 Excel 或 WPS 打开后另存，再选择。"))));
        }
        std::io::copy(&mut part, &mut std::io::sink()).map_err(|_| None)?;
        let size = limit - part.limit();
        unpacked += size;
        if unpacked > MAX_UNPACKED_BYTES {
            return Err(Some(too_big(format!("“{file_name}”解压后超过 {} MB，不像一份建议提案的表格，没有读取。请用 Excel 或 WPS 打开后只保留需要的工作表另存，再选择。",
                MAX_UNPACKED_BYTES >> 20))));
        }
        if let Some(declared) = declared {
            // The reader reserves room for as many strings as the table declares, before it
            // reads one: a count the part's bytes cannot hold (each string takes at least
            // `<si/>`, 5 bytes) is refused before it can be reserved.
            if declared > MAX_SHARED_STRINGS || declared > size / 5 + 1 {
                return Err(Some(too_big(format!(
                    "“{file_name}”的共享字符串表声明有 {declared} 个字符串，而它只有 {size} 字节，文件可能已损坏或被改动过，没有读取。请用 Excel 或 WPS 打开后另存，再选择。"))));
            }
        }
    }
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| None)?;
    let names = chosen_sheets(book.sheets_metadata(), which).ok_or(None)?;
    let mut grid = Grid::new(bytes.len());
    let mut sheets = Vec::new();
    for name in names {
        let mut cells = book.worksheet_cells_reader(&name).map_err(|_| None)?;
        while let Some(cell) = cells.next_cell_with_formula().map_err(|_| None)? {
            let (row, column) = (cell.pos.0 as usize, cell.pos.1 as usize);
            if cell.formula.is_some() {
                grid.formula(row, column, file_name).map_err(Some)?;
            }
            let text = cell_text(&calamine::Data::from(cell.value));
            if !text.is_empty() {
                grid.put(row, column, text, file_name).map_err(Some)?;
            }
        }
        sheets.push((name, grid.next_sheet()));
    }
    Ok(sheets)
}

/// The most strings a workbook's shared-string table may declare: 24 MB of room the reader
/// reserves at once; a list of 20,000 rows and 100 columns has at most 2,000,000 cells, far
/// fewer distinct texts.
const MAX_SHARED_STRINGS: u64 = 1_000_000;

/// The most cell formats and number formats a style sheet may hold (Excel's own bound on
/// cell formats is 64,000).
const MAX_FORMATS: u64 = 65_536;

/// How many cell formats (`xf`) and number formats (`numFmt`) a style sheet holds, read as
/// a stream (the part may unpack to 120 MB).
fn count_formats(part: impl Read) -> u64 {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let config = reader.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    let (mut count, mut buffer) = (0, Vec::new());
    loop {
        buffer.clear();
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(tag) | Event::Empty(tag)) if matches!(tag.local_name().as_ref(), "xf" | "numFmt") => count += 1,
            Ok(Event::Eof) | Err(_) => return count,
            Ok(_) => {}
        }
    }
}

/// The `uniqueCount` a shared-string table declares, found as the reader finds it: on the
/// first `sst` start tag anywhere in the part, a whole number or nothing.
fn declared_unique_count(part: impl Read) -> Option<u64> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    // As the reader reads it: `<sst …/>` counts as a start tag, wrong end tags and comments pass.
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(tag)) if tag.local_name().as_ref() == "sst" => {
                let count = tag.attributes().with_checks(false).flatten().find(|a| a.key.as_ref() == "uniqueCount")?;
                return count.value.parse::<u64>().ok();
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// An .xls (Excel 97–2003). Its reader builds every sheet as a dense range when it opens the
/// file, so the cell records are first scanned here for how far they reach.
fn read_xls(bytes: &[u8], file_name: &str, which: Which) -> std::result::Result<Vec<(String, Table)>, Option<Error>> {
    let XlsExtent { rows, columns, cells, text_bytes } = xls_extent(bytes).ok_or(None)?;
    if text_bytes > grid_budget(bytes.len()) {
        return Err(Some(too_big(cells_too_large(file_name, grid_budget(bytes.len())))));
    }
    if rows > MAX_ROWS || columns > MAX_COLUMNS || cells > MAX_XLS_CELLS {
        return Err(Some(too_big(format!(
            "“{file_name}”有内容到第 {rows} 行、第 {columns} 列（共 {cells} 个单元格），超出了一次可以读取的范围（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列）。请删去表格以外的内容，或把它分成几个文件。"))));
    }
    use calamine::Reader;
    let mut book = calamine::Xls::new(Cursor::new(bytes)).map_err(|_| None)?;
    let names = chosen_sheets(book.sheets_metadata(), which).ok_or(None)?;
    let mut grid = Grid::new(bytes.len());
    let mut sheets = Vec::new();
    for name in names {
        let range = book.worksheet_range(&name).map_err(|_| None)?;
        let formulas = book.worksheet_formula(&name).map_err(|_| None)?;
        let (top, left) = formulas.start().unwrap_or((0, 0));
        for (row, column, formula) in formulas.used_cells() {
            if !formula.is_empty() {
                grid.formula(top as usize + row, left as usize + column, file_name).map_err(Some)?;
            }
        }
        let (top, left) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let text = cell_text(value);
                if !text.is_empty() {
                    grid.put(top as usize + r, left as usize + c, text, file_name).map_err(Some)?;
                }
            }
        }
        sheets.push((name, grid.next_sheet()));
    }
    Ok(sheets)
}

/// What the reader of an .xls will hold, over all its sheets: the rows and columns its cell
/// records reach, its cells, and the bytes of their texts (each shared string counted as
/// often as cells name it, since the reader copies it for each). The cells a sheet's
/// DIMENSIONS record announces count too, since the reader reserves room for them before it
/// reads a cell. `None` when the file is not a compound file with a workbook stream, or
/// announces an impossible extent (last row before the first), or its sheets overlap beyond
/// reason.
///
/// NOTE: the reader takes each sheet's records from where the workbook's BOUNDSHEET record
/// says the sheet begins, which may be inside another record: so the workbook's own records
/// are read in one pass from the stream's start, and each sheet's in a pass from its start
/// to its end, as the reader will meet them.
struct XlsExtent {
    rows: usize,
    columns: usize,
    cells: usize,
    text_bytes: usize,
}

fn xls_extent(bytes: &[u8]) -> Option<XlsExtent> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let name = ["/Workbook", "/Book"].into_iter().find(|n| file.is_stream(n))?;
    let mut stream = Vec::new();
    file.open_stream(name).ok()?.take(MAX_FILE_BYTES as u64).read_to_end(&mut stream).ok()?;
    let mut sheet_starts = Vec::new();
    // The shared-string table: the record and its CONTINUE records, in the workbook's part
    // (up to its first EOF), as the reader takes it (a later table replaces an earlier).
    let (mut shared, mut table, mut in_workbook) = (Vec::new(), None::<(&[u8], Vec<&[u8]>)>, true);
    for (kind, data) in xls_records(&stream, 0) {
        let data = data?;
        match kind {
            0x0085 => sheet_starts.push(long(data, 0)?),
            0x003C if table.is_some() => table.as_mut()?.1.push(data),
            _ => {
                if let Some((first, rest)) = table.take() {
                    shared = shared_string_chars(first, &rest)?;
                }
                match kind {
                    0x00FC if in_workbook => table = Some((data, Vec::new())),
                    0x000A => in_workbook = false,
                    _ => {}
                }
            }
        }
    }
    if let Some((first, rest)) = table.take() {
        shared = shared_string_chars(first, &rest)?;
    }
    sheet_starts.sort_unstable();
    sheet_starts.dedup();
    let mut extent = XlsExtent { rows: 0, columns: 0, cells: 0, text_bytes: 0 };
    let mut announced = 0usize;
    // Sheets laid out as a writer lays them are read once in all; crafted ones that overlap
    // could make the passes quadratic, so they stop at four times the stream.
    let mut budget = stream.len().saturating_mul(4);
    for start in sheet_starts {
        for (kind, data) in xls_records(&stream, start) {
            let data = data?;
            budget = budget.checked_sub(4 + data.len())?;
            // Cell records: row, column first; MULRK and MULBLANK end with their last column.
            let (last_column, cells, text_chars) = match kind {
                0x000A => break,
                0x0200 => {
                    // DIMENSIONS, as the reader takes it: first row, last row + 1, first and
                    // last column + 1 (u16 fields in a 10-byte record, rows as u32 in BIFF8's 14
                    // or 16).
                    let (first_row, end_row, first_column, end_column) = match data.len() {
                        10 => (word(data, 0)?, word(data, 2)?, word(data, 4)?, word(data, 6)?),
                        14 | 16 => (long(data, 0)?, long(data, 4)?, word(data, 8)?, word(data, 10)?),
                        _ => continue,
                    };
                    let first_column = if first_column > 0xFF || end_column < first_column { 0 } else { first_column };
                    if end_row >= 1 && end_column >= 1 {
                        let announced_rows = (end_row - 1).checked_sub(first_row)? + 1;
                        extent.rows = extent.rows.max(announced_rows.min(usize::MAX / 2));
                        extent.columns = extent.columns.max(end_column - first_column);
                        announced = announced.saturating_add(announced_rows.saturating_mul(end_column - first_column));
                    }
                    continue;
                }
                // LABELSST: a shared string, copied for the cell.
                0x00FD => (word(data, 2), 1, long(data, 6).and_then(|i| shared.get(i).copied()).unwrap_or(0)),
                // LABEL, RSTRING: the text in the record; STRING: a formula's text result.
                0x0204 | 0x00D6 => (word(data, 2), 1, word(data, 6).unwrap_or(0)),
                0x0207 => (None, 0, word(data, 0).unwrap_or(0)),
                0x0006 | 0x0203 | 0x027E | 0x0201 | 0x0205 => (word(data, 2), 1, 0),
                0x00BD | 0x00BE => (data.len().checked_sub(2).and_then(|end| word(data, end)), data.len().saturating_sub(6) / 6, 0),
                _ => continue,
            };
            // Each character at most 3 bytes of UTF-8; each cell the room of one value.
            extent.text_bytes = extent.text_bytes.saturating_add(3 * text_chars + 32 * cells);
            extent.cells = extent.cells.saturating_add(cells);
            if let (Some(row), Some(column)) = (word(data, 0), last_column) {
                extent.rows = extent.rows.max(row + 1);
                extent.columns = extent.columns.max(column + 1);
            }
        }
    }
    extent.cells = extent.cells.max(announced);
    Some(extent)
}

/// The characters of each string of an .xls shared-string table (its SST record and the
/// CONTINUE records after it), walked as the reader reads them: a string's characters may
/// go on in the next CONTINUE record, which then starts with its own flags byte. `None`
/// when the table does not hold together.
fn shared_string_chars(first: &[u8], rest: &[&[u8]]) -> Option<Vec<usize>> {
    let mut pieces = rest.iter().copied();
    let mut data = first.get(8..)?;
    let mut chars = Vec::new();
    loop {
        if data.is_empty() {
            match pieces.next() {
                Some(next) if next.is_empty() => {
                    chars.push(0);
                    continue;
                }
                Some(next) => data = next,
                None => return Some(chars),
            }
        }
        let (count, flags) = (word(data, 0)?, *data.get(2)?);
        data = &data[3..];
        let runs = if flags & 0x8 != 0 { let runs = word(data, 0)?; data = &data[2..]; runs } else { 0 };
        let extra = if flags & 0x4 != 0 { let extra = long(data, 0)?; data = &data[4..]; extra } else { 0 };
        let (mut left, mut wide) = (count, flags & 0x1 != 0);
        loop {
            let width = if wide { 2 } else { 1 };
            let taken = left.min(data.len() / width);
            data = &data[taken * width..];
            left -= taken;
            if left == 0 {
                break;
            }
            let next = pieces.next()?;
            wide = next.first()? & 0x1 != 0;
            data = &next[1..];
        }
        let mut skip = runs * 4 + extra;
        while skip > 0 {
            if data.is_empty() {
                data = pieces.next()?;
                if data.is_empty() {
                    return None;
                }
            }
            let step = skip.min(data.len());
            data = &data[step..];
            skip -= step;
        }
        chars.push(count);
    }
}

fn word(data: &[u8], at: usize) -> Option<usize> {
    data.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize)
}

fn long(data: &[u8], at: usize) -> Option<usize> {
    data.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

/// The records of a BIFF stream from `start`: (kind, data), the data `None` where a record
/// runs past the end (the last item then).
fn xls_records(stream: &[u8], start: usize) -> impl Iterator<Item = (usize, Option<&[u8]>)> {
    let mut at = start;
    std::iter::from_fn(move || {
        let (kind, length) = (word(stream, at)?, word(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + length);
        at = if data.is_some() { at + 4 + length } else { stream.len() };
        Some((kind, data))
    })
}

/// A cell as text: whole numbers without ".0", dates as 2025-03-17; a cell formatted as a
/// date whose number is no date (300000, −5, 0.5) keeps its number, so it is reported.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.into(),
        Data::DateTime(d) => serial_date(d.as_f64()).map_or_else(|| cell_text(&Data::Float(d.as_f64())), |d| d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
    }
}

/// The day Excel counts its date serials from.
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("a day")
}

/// An Excel date serial (days since 1899-12-30) as a date.
pub fn serial_date(serial: f64) -> Option<NaiveDate> {
    (1.0..200_000.0).contains(&serial).then(|| excel_epoch().checked_add_days(Days::new(serial as u64))).flatten()
}

/// A date as Excel's date serial, as a cell with a date format holds it.
pub fn date_serial(date: NaiveDate) -> i64 {
    (date - excel_epoch()).num_days()
}

/// A CSV in UTF-8 (with or without BOM) or, failing that, GBK as Chinese Excel saves it.
fn read_csv(bytes: &[u8], file_name: &str) -> Result<Vec<Vec<String>>> {
    // The CSV reader keeps a whole record before handing it over: a line of millions of
    // commas is refused by counting them first. ',', '"' and line feeds are single bytes in
    // UTF-8 and never part of a GBK character, so the raw bytes are counted.
    let (mut fields, mut line, mut quoted) = (1usize, 1usize, false);
    for &byte in bytes {
        match byte {
            b'"' => quoted = !quoted,
            b',' if !quoted => fields += 1,
            b'\n' if !quoted => {
                fields = 1;
                line += 1;
            }
            _ => {}
        }
        // Ten times the bound: a quote the CSV reader takes as a letter cannot refuse a good
        // line here; the reader's own count below says the exact number.
        if fields > 10 * MAX_COLUMNS {
            return Err(too_big(format!("“{file_name}”第 {line} 行超过 {MAX_COLUMNS} 列，超出了一次可以读取的范围（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列）。请把它分成几个文件。")));
        }
    }
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GBK.decode(bytes);
            if had_errors {
                return Err(Error::field("file", "CSV 文件的编码无法识别（既不是 UTF-8 也不是 GBK）。请用 Excel 另存为 .xlsx 再选择。"));
            }
            text
        }
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(rows.len() as u64 + 1);
            Error::field("file", format!("CSV 文件第 {line} 行的格式有误（多半是引号没有配对）。请用 Excel 或 WPS 打开后另存为 .xlsx 再选择。"))
        })?;
        let row = rows.len();
        if row >= MAX_ROWS || record.len() > MAX_COLUMNS {
            return Err(too_big(format!("“{file_name}”{}，超出了一次可以读取的范围（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列）。请把它分成几个文件。",
                if row >= MAX_ROWS { format!("超过 {MAX_ROWS} 行") } else { format!("第 {} 行有 {} 列", row + 1, record.len()) })));
        }
        for (column, cell) in record.iter().enumerate() {
            check_length(cell, row, column, file_name)?;
        }
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).expect("a fixture")
    }

    #[test]
    fn an_inverted_dimensions_record_is_caught_before_the_reader_reserves_for_it() {
        // In a release build the reader's row count wraps and it asks for 1.37 TB; in a debug
        // build it panics (and the guard catches it), so the scan itself must refuse it.
        assert!(xls_extent(&fixture("hostile/abort_xls_dimensions_inverted_rows.xls")).is_none());
        let extent = xls_extent(&fixture("交办清单-excel97.xls")).expect("a sound .xls");
        let (rows, columns, cells) = (extent.rows, extent.columns, extent.cells);
        assert!(rows >= 4 && rows < 10 && columns == 8 && cells < 100, "{rows} × {columns}, {cells} cells");
        assert!(extent.text_bytes > 100 && extent.text_bytes < 20_000, "{} bytes of text", extent.text_bytes);
    }
}
