//! A LibreOffice text (ODT) → the document the parser reads, as for a Word document: its
//! paragraphs outside tables, the rows of its tables (a cell spanning columns counts for
//! each; a cell covered by the one above says so), each cell's paragraphs with their bold
//! and italic runs (from the document's automatic styles), list items marked as such.
//! Lines count paragraphs and rows from the top; messages name the table and its row.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::ReadError;
use super::document::{Block, Cell, Document, Kind, Paragraph, Run};
use super::parse::LineMessage;
use super::places::Origin;
use crate::upload::archive::Archive;
use crate::upload::attribute;

pub const MEDIA_TYPE: &str = "application/vnd.oasis.opendocument.text";

/// Columns a row may claim by repeating or spanning cells: a plan's table has a dozen.
const SPAN_MAX: usize = 64;

/// An ODT: a zip whose first part, `mimetype`, names the OpenDocument text type (stored as
/// the format asks), or that holds a `content.xml` and no Word part (written by a tool that
/// compressed it).
pub fn looks_like_odt(bytes: &[u8]) -> bool {
    use super::sheet::contains;
    super::docx::looks_like_docx(bytes)
        && (contains(bytes.get(..200).unwrap_or(bytes), MEDIA_TYPE.as_bytes())
            || (contains(bytes, b"content.xml") && !contains(bytes, b"word/document.xml")))
}

fn unreadable(fr: &str, en: &str) -> LineMessage {
    LineMessage::new(
        1,
        format!("document LibreOffice illisible : {fr}"),
        format!("unreadable LibreOffice document: {en}"),
    )
}

pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let mut archive = Archive::open(bytes, "document LibreOffice (.odt)", "LibreOffice document (.odt)")?;
    let xml = archive.text("content.xml")?.ok_or_else(|| {
        ReadError::Document(unreadable(
            "l'archive ne contient pas de « content.xml » ; enregistrez le fichier au format ODT.",
            "the archive holds no \"content.xml\"; save the file as ODT.",
        ))
    })?;
    read_content(&xml).map_err(|e| {
        ReadError::Document(unreadable(
            &format!("XML invalide dans content.xml ({e})."),
            &format!("invalid XML in content.xml ({e})."),
        ))
    })
}

/// A style's bold and italic, from `<style:text-properties>`.
#[derive(Debug, Clone, Copy, Default)]
struct Look {
    bold: bool,
    italic: bool,
}

#[derive(Default)]
struct Walk {
    document: Document,
    line: usize,
    styles: HashMap<String, Look>,
    /// The style being declared.
    declaring: Option<String>,
    tables: usize,
    table_name: String,
    table_row: usize,
    places: Vec<(usize, String, usize)>,
    row: Vec<Cell>,
    /// Rows still covered below a cell spanning rows, by column.
    covered_below: Vec<usize>,
    cell: Option<(Cell, usize)>,
    paragraph: Option<(Paragraph, bool)>,
    /// The styles of the paragraph and of the spans open in it, innermost last.
    looks: Vec<Look>,
    lists: usize,
}

fn number(e: &BytesStart<'_>, name: &str) -> usize {
    attribute(e, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .clamp(1, SPAN_MAX)
}

impl Walk {
    fn look(&self) -> Look {
        self.looks.iter().fold(Look::default(), |a, b| Look {
            bold: a.bold || b.bold,
            italic: a.italic || b.italic,
        })
    }

    fn styled(&self, e: &BytesStart<'_>) -> Look {
        attribute(e, "text:style-name")
            .and_then(|name| self.styles.get(&name).copied())
            .unwrap_or_default()
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        match e.name().as_ref() {
            "style:style" => self.declaring = attribute(e, "style:name"),
            "style:text-properties" => {
                if let Some(name) = self.declaring.clone() {
                    let look = Look {
                        bold: attribute(e, "fo:font-weight").is_some_and(|w| {
                            w == "bold" || w.starts_with('7') || w.starts_with('8') || w.starts_with('9')
                        }),
                        italic: attribute(e, "fo:font-style").is_some_and(|s| s == "italic" || s == "oblique"),
                    };
                    self.styles.insert(name, look);
                }
            }
            "table:table" => {
                self.tables += 1;
                if self.tables == 1 {
                    self.table_name = attribute(e, "table:name").unwrap_or_default();
                    self.table_row = 0;
                    self.covered_below.clear();
                }
            }
            "table:table-cell" if self.tables == 1 => {
                let column = self.row.len();
                let rows = number(e, "table:number-rows-spanned");
                if rows > 1 {
                    if self.covered_below.len() <= column {
                        self.covered_below.resize(column + 1, 0);
                    }
                    self.covered_below[column] = rows - 1;
                }
                let span = number(e, "table:number-columns-spanned").max(number(e, "table:number-columns-repeated"));
                self.cell = Some((Cell::default(), span));
                if empty {
                    self.end_cell();
                }
            }
            "table:covered-table-cell" if self.tables == 1 => {
                // Covered by a cell above spanning rows (merged with it), or by one to the
                // left spanning columns (blank).
                for _ in 0..number(e, "table:number-columns-repeated") {
                    let column = self.row.len();
                    if column >= SPAN_MAX {
                        break;
                    }
                    let mut cell = Cell::default();
                    if let Some(remaining) = self.covered_below.get_mut(column).filter(|r| **r > 0) {
                        cell.merged_above = true;
                        *remaining -= 1;
                    }
                    self.row.push(cell);
                }
            }
            "text:p" | "text:h" => {
                let look = self.styled(e);
                self.looks = vec![look];
                self.paragraph = Some((Paragraph::default(), self.lists > 0));
                if empty {
                    self.end_paragraph();
                }
            }
            "text:span" if !empty => {
                let look = self.styled(e);
                self.looks.push(look);
            }
            "text:list" if !empty => self.lists += 1,
            "text:s" => {
                let spaces = number(e, "text:c");
                self.text(&" ".repeat(spaces));
            }
            "text:tab" | "text:line-break" => self.text(if self.tables == 0 { "\t" } else { " " }),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "style:style" => self.declaring = None,
            "table:table" => self.tables = self.tables.saturating_sub(1),
            "table:table-row" if self.tables == 1 => {
                let row = std::mem::take(&mut self.row);
                self.table_row += 1;
                self.block(Kind::Row(row));
                let (line, table, row) = (self.line, self.table_name.clone(), self.table_row);
                self.places.push((line, table, row));
            }
            "table:table-cell" if self.tables == 1 => self.end_cell(),
            "text:p" | "text:h" => self.end_paragraph(),
            "text:span" if self.looks.len() > 1 => {
                self.looks.pop();
            }
            "text:list" => self.lists = self.lists.saturating_sub(1),
            _ => {}
        }
    }

    fn end_cell(&mut self) {
        if let Some((cell, span)) = self.cell.take() {
            let room = SPAN_MAX.saturating_sub(self.row.len());
            if room > 0 {
                self.row.push(cell);
                self.row
                    .extend(std::iter::repeat_n(Cell::default(), (span - 1).min(room - 1)));
            }
        }
    }

    fn end_paragraph(&mut self) {
        let Some((mut paragraph, listed)) = self.paragraph.take() else {
            return;
        };
        let typed = paragraph.markup();
        // A list item whose bullet is LibreOffice's own gets the `- ` the text form writes.
        if listed && !typed.is_empty() && super::cells::bullet_of(&typed).is_none() {
            paragraph.runs.insert(
                0,
                Run {
                    text: "- ".to_owned(),
                    ..Run::default()
                },
            );
        }
        match self.cell.as_mut() {
            Some((cell, _)) => cell.paragraphs.push(paragraph),
            None if self.tables == 0 => self.block(Kind::Paragraph(paragraph)),
            None => {}
        }
    }

    fn block(&mut self, kind: Kind) {
        self.line += 1;
        if !matches!(&kind, Kind::Paragraph(p) if p.is_blank()) {
            let line = self.line;
            self.document.blocks.push(Block { line, kind });
        }
    }

    fn text(&mut self, text: &str) {
        let look = self.look();
        if let Some((p, _)) = self.paragraph.as_mut() {
            p.push(text, look.bold, look.italic);
        }
    }
}

fn read_content(xml: &str) -> Result<Document, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut walk = Walk::default();
    loop {
        match reader.read_event()? {
            Event::Start(e) => walk.start(&e, false),
            Event::Empty(e) => {
                walk.start(&e, true);
                // An empty cell or paragraph was ended by `start`.
                if !matches!(e.name().as_ref(), "table:table-cell" | "text:p" | "text:h") {
                    walk.end(e.name().as_ref());
                }
            }
            Event::End(e) => walk.end(e.name().as_ref()),
            Event::Text(t) if walk.paragraph.is_some() => walk.text(&t.xml10_content()),
            Event::GeneralRef(r) if walk.paragraph.is_some() => {
                let resolved = match r.resolve_char_ref()? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r)
                        .unwrap_or_default()
                        .to_owned(),
                };
                walk.text(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    walk.document.lines = walk.line;
    walk.document.origin = Origin::Tables(walk.places);
    Ok(walk.document)
}
