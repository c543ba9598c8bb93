//! An Excel workbook (XLSX) → the document the parser reads: the first sheet's rows, one per
//! Excel row and numbered as Excel numbers them; a cell merged with the one above it says so
//! (an objective written once beside its actions); line breaks in a cell are its
//! paragraphs. Read by streaming its XML within `upload`'s limits (never calamine on an
//! upload: it allocates what the file declares).

use super::ReadError;
use super::document::{Block, Cell, Document, Kind, Paragraph};
use super::places::Origin;
use crate::columns::{ColumnKind, header_row};
use crate::upload::xlsx::{DateSystem, Row, Sheet, Value, stream_first_sheet};

pub const MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Columns read: a plan's table has a dozen at most.
const COLUMNS: u16 = 64;

/// An XLSX (a zip holding `xl/workbook.xml`).
pub fn looks_like_xlsx(bytes: &[u8]) -> bool {
    super::docx::looks_like_docx(bytes) && contains(bytes, b"xl/workbook.xml")
}

pub(super) fn contains(bytes: &[u8], needle: &[u8]) -> bool {
    // A zip's central directory names its parts in plain bytes.
    bytes.windows(needle.len()).any(|w| w == needle)
}

pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let mut rows: Vec<Row> = Vec::new();
    let sheet = stream_first_sheet(bytes, COLUMNS, |row, _| {
        rows.push(row);
        Ok(())
    })?;
    Ok(document(&rows, &sheet))
}

/// The rows as blocks: an empty cell where a row has none, numbers in the échéancier column
/// read as the days Excel shows.
fn document(rows: &[Row], sheet: &Sheet) -> Document {
    let deadline_column = rows.iter().find_map(|row| {
        let texts = texts(row, None, sheet.dates);
        header_row(&texts)?.iter().position(|c| c.kind == ColumnKind::Deadlines)
    });
    let blocks = rows
        .iter()
        .map(|row| {
            let cells = texts(row, deadline_column, sheet.dates)
                .into_iter()
                .enumerate()
                .map(|(i, text)| {
                    let column = u32::try_from(i).unwrap_or(u32::MAX);
                    let above = sheet
                        .merges
                        .iter()
                        .any(|m| m.first_row < row.number && m.continues(row.number, column));
                    let mut cell = Cell::of(paragraphs(&text));
                    cell.merged_above = above;
                    cell
                })
                .collect();
            Block {
                line: row.number as usize,
                kind: Kind::Row(cells),
            }
        })
        .collect();
    Document {
        blocks,
        lines: rows.last().map_or(0, |r| r.number as usize),
        cut: None,
        origin: Origin::Sheet(sheet.name.clone()),
    }
}

/// Each cell's text, from column A to the row's last written one.
fn texts(row: &Row, deadline_column: Option<usize>, dates: DateSystem) -> Vec<String> {
    let width = row.cells.iter().map(|(c, _)| usize::from(*c) + 1).max().unwrap_or(0);
    (0..width)
        .map(|i| {
            let column = u16::try_from(i).unwrap_or(u16::MAX);
            row.get(column)
                .map(|value| text(value, deadline_column == Some(i), dates))
                .unwrap_or_default()
        })
        .collect()
}

fn text(value: &Value, deadline: bool, dates: DateSystem) -> String {
    match value {
        Value::Text(text) => text.clone(),
        Value::Number(n) if deadline => match dates.day(*n) {
            Some(day) => crate::text::render_date(day),
            None => number(*n),
        },
        Value::Number(n) => number(*n),
        Value::Bool(b) => if *b { "VRAI" } else { "FAUX" }.to_owned(),
        Value::Error(e) => e.clone(),
    }
}

/// 16 → « 16 », 2.5 → « 2,5 », as a French reader writes it.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string().replace('.', ",")
    }
}

/// A cell's lines; an empty line among others stays, a placeholder as an empty `<p>` is in
/// the text form (an action with no échéancier).
fn paragraphs(text: &str) -> Vec<Paragraph> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.split('\n')
        .map(|line| {
            let mut paragraph = Paragraph::default();
            paragraph.push(line.trim_end_matches('\r'), false, false);
            paragraph
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::xlsx::Merge;

    fn row(number: u32, cells: &[(u16, Value)]) -> Row {
        Row {
            number,
            cells: cells.to_vec(),
        }
    }

    fn t(text: &str) -> Value {
        Value::Text(text.to_owned())
    }

    #[test]
    fn rows_become_blocks_with_merges_and_dates() {
        let rows = [
            row(1, &[(0, t("PLAN D'ACTION 2024-2025"))]),
            row(
                3,
                &[
                    (0, t("Objectif")),
                    (1, t("Actions")),
                    (2, t("Échéance")),
                    (3, t("Budget")),
                ],
            ),
            row(
                4,
                &[
                    (0, t("Soutenir")),
                    (1, t("- A\n- B")),
                    (2, Value::Number(45580.0)),
                    (3, Value::Number(2500.5)),
                ],
            ),
            row(5, &[(1, t("- C")), (2, Value::Number(45580.0))]),
        ];
        let sheet = Sheet {
            name: "Plan".into(),
            dates: DateSystem::default(),
            merges: vec![Merge {
                first_row: 4,
                first_column: 0,
                last_row: 5,
                last_column: 0,
            }],
        };
        let document = document(&rows, &sheet);
        assert_eq!(document.lines, 5);
        assert_eq!(document.origin, Origin::Sheet("Plan".into()));
        let Kind::Row(cells) = &document.blocks[2].kind else {
            panic!("a row")
        };
        assert_eq!(cells[1].paragraphs.len(), 2);
        assert_eq!(cells[2].markup(), "15 octobre 2024");
        assert_eq!(cells[3].markup(), "2500,5");
        let Kind::Row(next) = &document.blocks[3].kind else {
            panic!("a row")
        };
        assert!(next[0].merged_above && next[0].is_blank());
        assert!(!next[1].merged_above);
        assert_eq!(document.blocks[3].line, 5);
    }
}
