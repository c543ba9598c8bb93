//! The first worksheet of an XLSX workbook, streamed row by row from its XML with
//! quick-xml. calamine is not used on uploads: it allocates the declared dimension
//! (rows × columns) and the declared count of shared strings before anything can be
//! checked. Here every limit holds while reading.

use std::io::BufRead;

use chrono::NaiveDate;
use quick_xml::Reader;
use quick_xml::events::Event;

use super::archive::{Archive, damaged};
use super::{CELL_TEXT_MAX, CELLS_MAX, COLUMNS_MAX, ROWS_MAX, SHARED_STRINGS_MAX, UploadError, attribute, grouped};

/// A cell's value as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
    /// `#N/A`, `#REF!`…
    Error(String),
}

/// A row that holds something in the columns asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The number Excel shows (1-based).
    pub number: u32,
    /// Cells by 0-based column, in order; empty cells are absent.
    pub cells: Vec<(u16, Value)>,
}

impl Row {
    pub fn get(&self, column: u16) -> Option<&Value> {
        self.cells.iter().find(|(c, _)| *c == column).map(|(_, v)| v)
    }
}

/// How dates are counted in the workbook (Excel for Mac once counted from 1904).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DateSystem {
    pub from_1904: bool,
}

impl DateSystem {
    /// The day of an Excel date number, if it is one of the days Excel can show
    /// (1 January 1900 to 31 December 9999).
    pub fn day(self, serial: f64) -> Option<NaiveDate> {
        if !(1.0..2_958_466.0).contains(&serial) {
            return None;
        }
        let days = serial.floor() as i64;
        // Excel counts 29 February 1900, which did not exist: from 1 March 1900 on, day 0
        // is 30 December 1899.
        let (base, days) = if self.from_1904 {
            (NaiveDate::from_ymd_opt(1904, 1, 1)?, days)
        } else if days >= 61 {
            (NaiveDate::from_ymd_opt(1899, 12, 30)?, days)
        } else {
            (NaiveDate::from_ymd_opt(1899, 12, 31)?, days)
        };
        base.checked_add_signed(chrono::Duration::days(days))
    }
}

fn xml<R: BufRead>(reader: R) -> Reader<R> {
    let mut reader = Reader::from_reader(reader);
    reader.config_mut().trim_text(false);
    reader
}

/// `_x000D_` and the like: how OOXML writes a character XML cannot hold. Decoded, so that
/// the text rules see (and refuse) a control character rather than its spelling.
pub fn unescape_ooxml(text: &str) -> String {
    if !text.contains("_x") {
        return text.to_owned();
    }
    let re = lazy_regex::regex!(r"_x([0-9A-Fa-f]{4})_");
    re.replace_all(text, |c: &regex::Captures<'_>| {
        u32::from_str_radix(&c[1], 16)
            .ok()
            .and_then(char::from_u32)
            .map_or_else(|| c[0].to_owned(), String::from)
    })
    .into_owned()
}

fn too_long_cell(where_fr: &str, where_en: &str) -> UploadError {
    UploadError::too_large(
        format!(
            "{where_fr} contient plus de {} caractères, la limite d'Excel pour une cellule.",
            grouped(CELL_TEXT_MAX as u64)
        ),
        format!(
            "{where_en} holds more than {} characters, Excel's limit for a cell.",
            CELL_TEXT_MAX
        ),
    )
}

/// Appends text to a cell's value, within the limit of a cell.
fn append(value: &mut String, text: &str, where_fr: &str, where_en: &str) -> Result<(), UploadError> {
    if value.len() + text.len() > CELL_TEXT_MAX * 4 || value.chars().count() + text.chars().count() > CELL_TEXT_MAX {
        return Err(too_long_cell(where_fr, where_en));
    }
    value.push_str(text);
    Ok(())
}

fn xml_error(part: &str) -> impl Fn(quick_xml::Error) -> UploadError + '_ {
    move |_| damaged(part)
}

/// The workbook's shared strings, in order, each read to the end of its `<si>`.
fn shared_strings(reader: &mut dyn BufRead) -> Result<Vec<String>, UploadError> {
    const PART: &str = "xl/sharedStrings.xml";
    let mut xml = xml(reader);
    let mut buf = Vec::new();
    let mut strings = Vec::new();
    let (mut current, mut in_text, mut in_phonetic) = (None::<String>, false, false);
    loop {
        match xml.read_event_into(&mut buf).map_err(xml_error(PART))? {
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => current = Some(String::new()),
                "t" => in_text = true,
                "rPh" => in_phonetic = true,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "si" => {
                    if strings.len() >= SHARED_STRINGS_MAX {
                        return Err(UploadError::too_large(
                            format!(
                                "Le classeur compte plus de {} textes distincts.",
                                grouped(SHARED_STRINGS_MAX as u64)
                            ),
                            format!("The workbook holds more than {SHARED_STRINGS_MAX} distinct texts."),
                        ));
                    }
                    strings.push(unescape_ooxml(&current.take().unwrap_or_default()));
                }
                "t" => in_text = false,
                "rPh" => in_phonetic = false,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => strings.push(String::new()),
            Event::Text(t) if in_text && !in_phonetic => {
                if let Some(value) = current.as_mut() {
                    append(
                        value,
                        &t.xml10_content(),
                        "Un texte du classeur",
                        "A text of the workbook",
                    )?;
                }
            }
            Event::GeneralRef(r) if in_text && !in_phonetic => {
                if let Some(value) = current.as_mut() {
                    append(
                        value,
                        &reference(&r).ok_or_else(|| damaged(PART))?,
                        "Un texte du classeur",
                        "A text of the workbook",
                    )?;
                }
            }
            Event::Eof => return Ok(strings),
            _ => {}
        }
        buf.clear();
    }
}

/// The character an entity or character reference (`&amp;`, `&#233;`) stands for.
fn reference(r: &quick_xml::events::BytesRef<'_>) -> Option<String> {
    match r.resolve_char_ref().ok()? {
        Some(c) => Some(c.to_string()),
        None => quick_xml::escape::resolve_predefined_entity(r).map(str::to_owned),
    }
}

/// `B12` → (column 1, row 12), each within Excel's limits.
fn cell_reference(reference: &str) -> Option<(u32, u32)> {
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let column = reference[..letters]
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1));
    let row = reference[letters..].parse::<u32>().ok()?;
    Some((column - 1, row))
}

fn beyond_excel(row: u32, column: u32) -> Option<UploadError> {
    if row == 0 || row > ROWS_MAX {
        return Some(UploadError::too_large(
            format!(
                "La feuille a une ligne {row} : Excel en compte au plus {}.",
                grouped(ROWS_MAX)
            ),
            format!("The sheet has a row {row}: Excel has at most {ROWS_MAX}."),
        ));
    }
    if column >= COLUMNS_MAX {
        return Some(UploadError::too_large(
            format!(
                "La feuille a une colonne n° {} : Excel en compte au plus {}.",
                column + 1,
                grouped(COLUMNS_MAX)
            ),
            format!(
                "The sheet has a column number {}: Excel has at most {COLUMNS_MAX}.",
                column + 1
            ),
        ));
    }
    None
}

/// The cell being read.
#[derive(Default)]
struct OpenCell {
    column: u32,
    kind: Option<String>,
    text: String,
    in_value: bool,
}

impl OpenCell {
    fn value(self, strings: &[String]) -> Result<Option<Value>, UploadError> {
        let text = self.text;
        if text.is_empty() {
            return Ok(None);
        }
        Ok(Some(match self.kind.as_deref() {
            Some("s") => {
                let index: usize = text.trim().parse().map_err(|_| damaged("xl/sharedStrings.xml"))?;
                Value::Text(
                    strings
                        .get(index)
                        .cloned()
                        .ok_or_else(|| damaged("xl/sharedStrings.xml"))?,
                )
            }
            Some("str" | "inlineStr" | "d") => Value::Text(unescape_ooxml(&text)),
            Some("b") => Value::Bool(text.trim() == "1"),
            Some("e") => Value::Error(text),
            _ => match text.trim().parse::<f64>() {
                Ok(n) => Value::Number(n),
                Err(_) => Value::Text(text),
            },
        }))
    }
}

/// Counts one more cell (a merge counts as one), past `CELLS_MAX` an error.
fn count_cell(cells: &mut usize) -> Result<(), UploadError> {
    *cells += 1;
    if *cells > CELLS_MAX {
        return Err(UploadError::too_large(
            format!("La feuille compte plus de {} cellules.", grouped(CELLS_MAX as u64)),
            format!("The sheet holds more than {CELLS_MAX} cells."),
        ));
    }
    Ok(())
}

/// A rectangle of merged cells (0-based columns, rows as Excel numbers them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub first_column: u32,
    pub last_row: u32,
    pub last_column: u32,
}

impl Merge {
    /// `A3:B5`, as `<mergeCell ref>` writes it.
    fn parse(range: &str) -> Option<Merge> {
        let (from, to) = range.split_once(':')?;
        let (first_column, first_row) = cell_reference(from)?;
        let (last_column, last_row) = cell_reference(to)?;
        (first_row <= last_row && first_column <= last_column).then_some(Merge {
            first_row,
            first_column,
            last_row,
            last_column,
        })
    }

    /// Whether the cell is in the rectangle and not its top-left cell (the one holding the value).
    pub fn continues(&self, row: u32, column: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row)
            && (self.first_column..=self.last_column).contains(&column)
            && (row, column) != (self.first_row, self.first_column)
    }
}

/// What is known of the sheet once its rows are read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// The name on its tab.
    pub name: String,
    pub dates: DateSystem,
    pub merges: Vec<Merge>,
}

/// The name on a column's header: `A`, `AB`.
pub fn column_name(column: u32) -> String {
    let mut n = column + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rest = (n - 1) % 26;
        name.push(b'A' + u8::try_from(rest).unwrap_or(0));
        n = (n - 1) / 26;
    }
    name.iter().rev().map(|b| char::from(*b)).collect()
}

/// Where the first sheet's XML is, from the workbook's list of sheets and relationships.
fn first_sheet_part(archive: &mut Archive<'_>) -> Result<(String, String, DateSystem), UploadError> {
    let workbook = archive.text("xl/workbook.xml")?.ok_or_else(|| {
        UploadError::unreadable(
            "Ce fichier n'est pas un classeur Excel (.xlsx) : il n'a pas de « xl/workbook.xml ».",
            "This file is not an Excel workbook (.xlsx): it has no \"xl/workbook.xml\".",
        )
    })?;
    let dates = DateSystem {
        from_1904: lazy_regex::regex_is_match!(r#"date1904="(1|true)""#, &workbook),
    };
    let sheet_tag = lazy_regex::regex_find!(r#"<(?:\w+:)?sheet\b[^>]*>"#, &workbook).unwrap_or_default();
    let relation = lazy_regex::regex_captures!(r#"\br:id="([^"]+)""#, sheet_tag).map(|(_, id)| id.to_owned());
    let name = lazy_regex::regex_captures!(r#"\bname="([^"]*)""#, sheet_tag)
        .map(|(_, name)| quick_xml::escape::unescape(name).map_or_else(|_| name.to_owned(), |n| n.into_owned()))
        .unwrap_or_else(|| "Feuil1".to_owned());
    let rels = archive.text("xl/_rels/workbook.xml.rels")?.unwrap_or_default();
    let target = relation.and_then(|id| {
        rels.split("<Relationship")
            .find(|r| r.contains(&format!("Id=\"{id}\"")))
            .and_then(|r| lazy_regex::regex_captures!(r#"Target="([^"]+)""#, r))
            .map(|(_, target)| target.to_owned())
    });
    let part = match target {
        Some(absolute) if absolute.starts_with('/') => absolute.trim_start_matches('/').to_owned(),
        Some(relative) => format!("xl/{relative}"),
        None => "xl/worksheets/sheet1.xml".to_owned(),
    };
    Ok((part, name, dates))
}

/// Streams the first sheet's rows to `each` (rows with nothing in the first `columns`
/// columns are skipped); `each` may stop the reading with an error of its own.
pub fn read_first_sheet(
    bytes: &[u8],
    columns: u16,
    each: impl FnMut(Row, DateSystem) -> Result<(), UploadError>,
) -> Result<(), UploadError> {
    stream_first_sheet(bytes, columns, each).map(|_| ())
}

/// `read_first_sheet`, and then the sheet's name and merged cells.
pub fn stream_first_sheet(
    bytes: &[u8],
    columns: u16,
    mut each: impl FnMut(Row, DateSystem) -> Result<(), UploadError>,
) -> Result<Sheet, UploadError> {
    let mut archive = Archive::open(bytes, "classeur Excel (.xlsx)", "Excel workbook (.xlsx)")?;
    let (part, name, dates) = first_sheet_part(&mut archive)?;
    let mut merges = Vec::new();
    let strings = archive
        .with_part("xl/sharedStrings.xml", shared_strings)?
        .unwrap_or_default();
    let read = archive.with_part(&part, |reader| {
        let mut xml = xml(reader);
        let mut buf = Vec::new();
        let mut cells = 0usize;
        let mut row: Option<Row> = None;
        let mut last_row = 0u32;
        let mut cell: Option<OpenCell> = None;
        let mut next_column = 0u32;
        loop {
            let event = xml.read_event_into(&mut buf).map_err(xml_error(&part))?;
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    match e.local_name().as_ref() {
                        "row" => {
                            let number = match attribute(e, "r") {
                                Some(r) => r.parse().map_err(|_| damaged(&part))?,
                                None => last_row + 1,
                            };
                            if let Some(error) = beyond_excel(number, 0) {
                                return Err(error);
                            }
                            last_row = number;
                            next_column = 0;
                            row = (!empty).then(|| Row {
                                number,
                                cells: Vec::new(),
                            });
                        }
                        "c" => {
                            count_cell(&mut cells)?;
                            let column = match attribute(e, "r") {
                                Some(r) => {
                                    let (column, number) = cell_reference(&r).ok_or_else(|| damaged(&part))?;
                                    if let Some(error) = beyond_excel(number, column) {
                                        return Err(error);
                                    }
                                    column
                                }
                                None => next_column,
                            };
                            if let Some(error) = beyond_excel(last_row.max(1), column) {
                                return Err(error);
                            }
                            next_column = column + 1;
                            cell = (!empty).then(|| OpenCell {
                                column,
                                kind: attribute(e, "t"),
                                ..OpenCell::default()
                            });
                        }
                        "v" | "t" => {
                            if let Some(open) = cell.as_mut() {
                                open.in_value = true;
                            }
                        }
                        "mergeCell" => {
                            // Counted with the cells: a sheet of merges alone is bounded too.
                            count_cell(&mut cells)?;
                            merges.extend(attribute(e, "ref").as_deref().and_then(Merge::parse));
                        }
                        _ => {}
                    }
                }
                Event::Text(t) => {
                    if let Some(open) = cell.as_mut().filter(|c| c.in_value) {
                        append(&mut open.text, &t.xml10_content(), "Une cellule", "A cell")?;
                    }
                }
                Event::GeneralRef(r) => {
                    if let Some(open) = cell.as_mut().filter(|c| c.in_value) {
                        append(
                            &mut open.text,
                            &reference(&r).ok_or_else(|| damaged(&part))?,
                            "Une cellule",
                            "A cell",
                        )?;
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "v" | "t" => {
                        if let Some(open) = cell.as_mut() {
                            open.in_value = false;
                        }
                    }
                    "c" => {
                        if let (Some(open), Some(row)) = (cell.take(), row.as_mut()) {
                            let column = open.column;
                            if column < u32::from(columns)
                                && let Some(value) = open.value(&strings)?
                            {
                                row.cells.push((u16::try_from(column).unwrap_or(u16::MAX), value));
                            }
                        }
                    }
                    "row" => {
                        if let Some(row) = row.take().filter(|r| !r.cells.is_empty()) {
                            each(row, dates)?;
                        }
                    }
                    _ => {}
                },
                Event::Eof => return Ok(()),
                _ => {}
            }
            buf.clear();
        }
    })?;
    read.ok_or_else(|| {
        UploadError::unreadable(
            format!("Le classeur n'a pas de feuille « {part} »."),
            format!("The workbook has no sheet \"{part}\"."),
        )
    })?;
    Ok(Sheet { name, dates, merges })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_are_read_within_excel() {
        assert_eq!(cell_reference("A1"), Some((0, 1)));
        assert_eq!(cell_reference("L2"), Some((11, 2)));
        assert_eq!(cell_reference("XFD1048576"), Some((16_383, 1_048_576)));
        assert!(beyond_excel(1_048_576, 16_383).is_none());
        assert!(beyond_excel(1_048_577, 0).is_some());
        assert!(beyond_excel(1, 16_384).is_some());
        assert_eq!(cell_reference("1A"), None);
    }

    #[test]
    fn excel_date_numbers_are_days_within_what_excel_shows() {
        let excel = DateSystem::default();
        assert_eq!(excel.day(41_578.0), NaiveDate::from_ymd_opt(2013, 10, 31));
        assert_eq!(excel.day(1.0), NaiveDate::from_ymd_opt(1900, 1, 1));
        assert_eq!(excel.day(61.0), NaiveDate::from_ymd_opt(1900, 3, 1));
        assert_eq!(excel.day(-1e300), None);
        assert_eq!(excel.day(f64::NAN), None);
        assert_eq!(excel.day(1e300), None);
        let mac = DateSystem { from_1904: true };
        assert_eq!(mac.day(40_116.0), NaiveDate::from_ymd_opt(2013, 10, 31));
    }

    #[test]
    fn ooxml_escapes_are_decoded() {
        assert_eq!(unescape_ooxml("a_x000D_b"), "a\rb");
        assert_eq!(unescape_ooxml("a_x0000_b"), "a\0b");
        assert_eq!(unescape_ooxml("_xZZZZ_"), "_xZZZZ_");
    }
}
