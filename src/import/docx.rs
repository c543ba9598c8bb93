//! A Word document (DOCX) → the document the parser reads: its paragraphs outside tables,
//! the rows of its tables (a cell spanning columns counts for each; a cell merged with the
//! one above says so), each cell's paragraphs, their runs bold or italic. The parser's line
//! numbers are the document's paragraphs and table rows, counted from the top.

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

use super::ReadError;
use super::document::{Block, Cell, Document, Kind, Paragraph, Run};
use super::parse::LineMessage;
use crate::upload::archive::Archive;
use crate::upload::attribute;

/// What `POST /plans/import` reads as a Word document.
pub const MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A DOCX file is a zip archive: it starts with a zip's local header.
pub fn looks_like_docx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn unreadable(fr: &str, en: &str) -> LineMessage {
    LineMessage::new(
        1,
        format!("document Word illisible : {fr}"),
        format!("unreadable Word document: {en}"),
    )
}

/// A DOCX document, read within the limits of `upload` (16 MB of XML).
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let mut archive = Archive::open(bytes, "document Word (.docx)", "Word document (.docx)")?;
    let xml = archive.text("word/document.xml")?.ok_or_else(|| {
        ReadError::Document(unreadable(
            "l'archive ne contient pas de « word/document.xml » ; enregistrez le fichier au format Word (.docx).",
            "the archive holds no \"word/document.xml\"; save the file as a Word document (.docx).",
        ))
    })?;
    read_document(&xml).map_err(|e| {
        ReadError::Document(unreadable(
            &format!("XML invalide dans word/document.xml ({e})."),
            &format!("invalid XML in word/document.xml ({e})."),
        ))
    })
}

/// The paragraph being read, and whether Word numbers it as a list item.
#[derive(Default)]
struct Reading {
    paragraph: Paragraph,
    list: bool,
}

impl Reading {
    /// A list paragraph whose bullet is Word's own, not typed, gets the `- ` the text form
    /// writes, so that both are read as one action each.
    fn finish(mut self) -> Paragraph {
        let typed = self.paragraph.markup();
        if self.list && !typed.is_empty() && super::cells::bullet_of(&typed).is_none() {
            self.paragraph.runs.insert(
                0,
                Run {
                    text: "- ".to_owned(),
                    ..Run::default()
                },
            );
        }
        self.paragraph
    }
}

/// Where the reader is: runs' styles, and the table being read.
#[derive(Default)]
struct Walk {
    document: Document,
    /// Paragraphs outside tables and table rows read so far: the line messages name.
    line: usize,
    /// Nested tables: only the outermost one makes rows; inner ones are text of its cell.
    tables: usize,
    row: Vec<Cell>,
    cell: Option<(Cell, usize)>,
    paragraph: Option<Reading>,
    in_run: bool,
    in_run_properties: bool,
    in_text: bool,
    bold: bool,
    italic: bool,
}

fn is_on(e: &BytesStart<'_>) -> bool {
    // <w:b/> is on; <w:b w:val="0"/> (or "false", "none") turns it off.
    match e.try_get_attribute("w:val") {
        Ok(Some(value)) => !matches!(
            value.normalized_value(quick_xml::XmlVersion::Implicit1_0).as_deref(),
            Ok("0" | "false" | "off" | "none")
        ),
        _ => true,
    }
}

impl Walk {
    fn start(&mut self, e: &BytesStart<'_>) {
        match e.name().as_ref() {
            "w:tbl" => self.tables += 1,
            "w:tc" if self.tables == 1 => self.cell = Some((Cell::default(), 1)),
            "w:gridSpan" => {
                if let Some((_, span)) = self.cell.as_mut() {
                    *span = attribute(e, "w:val")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 64);
                }
            }
            // <w:vMerge/> continues the cell above; <w:vMerge w:val="restart"/> starts one.
            "w:vMerge" if self.tables == 1 => {
                if let Some((cell, _)) = self.cell.as_mut() {
                    cell.merged_above = attribute(e, "w:val").is_none_or(|v| v == "continue");
                }
            }
            "w:p" => self.paragraph = Some(Reading::default()),
            "w:numPr" => self.mark_list(),
            "w:pStyle" if attribute(e, "w:val").is_some_and(|style| style.to_lowercase().contains("list")) => {
                self.mark_list();
            }
            "w:r" => (self.in_run, self.bold, self.italic) = (true, false, false),
            "w:rPr" => self.in_run_properties = true,
            "w:b" if self.in_run_properties => self.bold = is_on(e),
            "w:i" if self.in_run_properties => self.italic = is_on(e),
            "w:t" => self.in_text = true,
            // Outside a run, <w:tab> is a tab stop of the paragraph's style, not a character.
            "w:tab" | "w:br" | "w:cr" if self.in_run && !self.in_run_properties => self.separator(),
            "w:noBreakHyphen" => self.text("-"),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "w:tbl" => self.tables = self.tables.saturating_sub(1),
            "w:tr" if self.tables == 1 => {
                let row = std::mem::take(&mut self.row);
                self.block(Kind::Row(row));
            }
            "w:tc" if self.tables == 1 => {
                if let Some((cell, span)) = self.cell.take() {
                    self.row.push(cell);
                    self.row.extend(std::iter::repeat_n(Cell::default(), span - 1));
                }
            }
            "w:p" => {
                if let Some(reading) = self.paragraph.take() {
                    let paragraph = reading.finish();
                    match self.cell.as_mut() {
                        Some((cell, _)) => cell.paragraphs.push(paragraph),
                        // Inside a nested table a paragraph has no cell of its own and is
                        // lost with it: none of the plan's is.
                        None if self.tables == 0 => self.block(Kind::Paragraph(paragraph)),
                        None => {}
                    }
                }
            }
            "w:r" => self.in_run = false,
            "w:rPr" => self.in_run_properties = false,
            "w:t" => self.in_text = false,
            _ => {}
        }
    }

    /// Counts the block; an empty paragraph is counted and not kept.
    fn block(&mut self, kind: Kind) {
        self.line += 1;
        if !matches!(&kind, Kind::Paragraph(p) if p.is_blank()) {
            let line = self.line;
            self.document.blocks.push(Block { line, kind });
        }
    }

    fn mark_list(&mut self) {
        if let Some(p) = self.paragraph.as_mut() {
            p.list = true;
        }
    }

    fn text(&mut self, text: &str) {
        let (bold, italic) = (self.bold, self.italic);
        if let Some(p) = self.paragraph.as_mut() {
            p.paragraph.push(text, bold, italic);
        }
    }

    /// A tab or a line break: a tab outside tables (an acronym and its definition), a
    /// space in a cell, where a tab means nothing.
    fn separator(&mut self) {
        self.text(if self.tables == 0 { "\t" } else { " " });
    }
}

fn read_document(xml: &str) -> Result<Document, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut walk = Walk::default();
    loop {
        match reader.read_event()? {
            Event::Start(e) => walk.start(&e),
            Event::Empty(e) => {
                walk.start(&e);
                walk.end(e.name().as_ref());
            }
            Event::End(e) => walk.end(e.name().as_ref()),
            Event::Text(t) if walk.in_text => walk.text(&t.xml10_content()),
            Event::GeneralRef(r) if walk.in_text => {
                let resolved = match r.resolve_char_ref()? {
                    Some(c) => c.to_string(),
                    None => resolve_predefined_entity(&r).unwrap_or_default().to_owned(),
                };
                walk.text(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    walk.document.lines = walk.line;
    Ok(walk.document)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{inner}</w:body></w:document>"#
        )
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    fn cell(paragraphs: &[&str]) -> String {
        let inner: String = paragraphs.iter().map(|t| p(t)).collect();
        format!("<w:tc>{inner}</w:tc>")
    }

    /// Each block as text: a paragraph as its markup, a row as its cells' paragraphs, `|`
    /// between cells and `/` between paragraphs, `^` for a cell merged with the one above.
    fn shown(document: &Document) -> Vec<String> {
        document
            .blocks
            .iter()
            .map(|block| match &block.kind {
                Kind::Paragraph(p) => format!("{} {}", block.line, p.markup()),
                Kind::Row(cells) => {
                    let cells: Vec<String> = cells
                        .iter()
                        .map(|c| {
                            let texts: Vec<String> = c.paragraphs.iter().map(Paragraph::markup).collect();
                            format!("{}{}", if c.merged_above { "^" } else { "" }, texts.join("/"))
                        })
                        .collect();
                    format!("{} {}", block.line, cells.join("|"))
                }
            })
            .collect()
    }

    #[test]
    fn paragraphs_and_rows_are_blocks() -> Result<(), quick_xml::Error> {
        let xml = body(&format!(
            "{}<w:p/>{}<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"4\"/></w:tcPr>{}</w:tc></w:tr><w:tr>{}{}{}{}</w:tr></w:tbl>{}",
            p("PLAN D&apos;ACTION 2013-2014"),
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"2000\"/></w:tabs></w:pPr><w:r><w:t>MESS</w:t></w:r><w:r><w:tab/><w:t>Ministère</w:t></w:r></w:p>",
            p("ORIENTATION 1 : X"),
            cell(&["Objectif &amp; but"]),
            cell(&["A", "B"]),
            cell(&["Automne 2013", "", "Hiver 2014"]),
            cell(&["", ""]),
            p("CRÉ : Conférence régionale des élus"),
        ));
        let document = read_document(&xml)?;
        assert_eq!(
            shown(&document),
            [
                "1 PLAN D'ACTION 2013-2014",
                "3 MESS\tMinistère",
                "4 ORIENTATION 1 : X|||",
                "5 Objectif & but|A/B|Automne 2013//Hiver 2014|/",
                "6 CRÉ : Conférence régionale des élus",
            ]
        );
        assert_eq!(document.lines, 6);
        Ok(())
    }

    #[test]
    fn bold_italic_lists_and_merges_are_read() -> Result<(), quick_xml::Error> {
        let xml = body(
            "<w:tbl><w:tr><w:tc>\
             <w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>\
               <w:r><w:rPr><w:b/></w:rPr><w:t>Tenue </w:t></w:r><w:r><w:rPr><w:b/><w:i/></w:rPr><w:t>de l'AGA</w:t></w:r></w:p>\
             <w:p><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:rPr><w:b w:val=\"0\"/></w:rPr><w:t>Autre &lt;x&gt;</w:t></w:r></w:p>\
             </w:tc><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>Mai 2014</w:t></w:r></w:p></w:tc></w:tr>\
             <w:tr><w:tc><w:p/></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>",
        );
        let document = read_document(&xml)?;
        assert_eq!(shown(&document), ["1 - Tenue *de l'AGA*/- Autre <x>|Mai 2014", "2 |^"]);
        let Kind::Row(cells) = &document.blocks[0].kind else {
            panic!("a row")
        };
        let runs = &cells[0].paragraphs[0].runs;
        assert_eq!(
            runs.iter()
                .map(|r| (r.text.as_str(), r.bold, r.italic))
                .collect::<Vec<_>>(),
            [("- ", false, false), ("Tenue ", true, false), ("de l'AGA", true, true)]
        );
        Ok(())
    }

    #[test]
    fn what_is_not_a_docx_is_refused_by_name() {
        let Err(ReadError::Document(e)) = read(b"PK\x03\x04 not really") else {
            panic!("refused")
        };
        assert!(
            e.message.en.contains("not a valid Word document (.docx)"),
            "{}",
            e.message.en
        );
        assert!(looks_like_docx(b"PK\x03\x04rest"));
        assert!(!looks_like_docx(b"PLAN D'ACTION"));
    }
}
