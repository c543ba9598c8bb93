//! A Word document (DOCX) → the plan's text form, so that one parser reads both.
//!
//! Each paragraph outside a table is a line; each table row is a line of its cells
//! separated by tabs (a merged cell counts for the columns it spans). Inside a cell,
//! several paragraphs become `<p>…</p>` each (one value per action, as in the text form),
//! a list paragraph `- …`, bold runs `<b>…</b>` and italic runs `<i>…</i>`. Line numbers
//! of the parser's messages are then the document's paragraphs and table rows, counted
//! from the top.

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

use super::ReadError;
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

/// The text form of a DOCX document, read within the limits of `upload` (16 MB of XML).
pub fn to_text(bytes: &[u8]) -> Result<String, ReadError> {
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

#[derive(Default)]
struct Paragraph {
    markup: String,
    list: bool,
    bold: bool,
    italic: bool,
}

impl Paragraph {
    /// Opens or closes `<b>` and `<i>` so that they match the run about to be written.
    fn style(&mut self, bold: bool, italic: bool) {
        if self.italic && (!italic || self.bold != bold) {
            self.markup.push_str("</i>");
            self.italic = false;
        }
        if self.bold != bold {
            self.markup.push_str(if bold { "<b>" } else { "</b>" });
            self.bold = bold;
        }
        if italic && !self.italic {
            self.markup.push_str("<i>");
            self.italic = true;
        }
    }

    fn text(&mut self, text: &str, bold: bool, italic: bool) {
        if text.is_empty() {
            return;
        }
        self.style(bold, italic);
        for c in text.chars() {
            match c {
                '&' => self.markup.push_str("&amp;"),
                '<' => self.markup.push_str("&lt;"),
                '>' => self.markup.push_str("&gt;"),
                '\t' | '\r' | '\n' => self.markup.push(' '),
                c => self.markup.push(c),
            }
        }
    }

    fn finish(mut self) -> (String, bool) {
        self.style(false, false);
        (self.markup.trim().to_owned(), self.list)
    }
}

#[derive(Default)]
struct Cell {
    paragraphs: Vec<(String, bool)>,
    span: usize,
}

impl Cell {
    /// One paragraph is the cell's text; several are one `<p>` each, empty ones kept as
    /// placeholders (an action with no échéancier), as in the text form. A cell of empty
    /// paragraphs is empty.
    fn markup(self) -> String {
        if self.paragraphs.iter().all(|(text, _)| text.is_empty()) {
            return String::new();
        }
        let items: Vec<String> = self
            .paragraphs
            .into_iter()
            .map(|(text, list)| {
                if list && !text.is_empty() && !starts_with_bullet(&text) {
                    format!("- {text}")
                } else {
                    text
                }
            })
            .collect();
        match items.as_slice() {
            [one] => one.clone(),
            _ => items
                .iter()
                .map(|p| format!("<p>{p}</p>"))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

fn starts_with_bullet(text: &str) -> bool {
    super::cells::bullet_of(text).is_some()
}

/// Where the reader is: runs' styles, and the table being read.
#[derive(Default)]
struct Walk {
    lines: Vec<String>,
    /// Nested tables: only the outermost one makes rows; inner ones are text of its cell.
    tables: usize,
    row: Vec<String>,
    cell: Option<Cell>,
    paragraph: Option<Paragraph>,
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
            "w:tc" if self.tables == 1 => {
                self.cell = Some(Cell {
                    span: 1,
                    ..Cell::default()
                })
            }
            "w:gridSpan" => {
                if let Some(cell) = self.cell.as_mut() {
                    cell.span = attribute(e, "w:val")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 64);
                }
            }
            "w:p" => self.paragraph = Some(Paragraph::default()),
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
                self.lines.push(row.join("\t"));
            }
            "w:tc" if self.tables == 1 => {
                if let Some(cell) = self.cell.take() {
                    let span = cell.span;
                    self.row.push(cell.markup());
                    self.row.extend(std::iter::repeat_n(String::new(), span - 1));
                }
            }
            "w:p" => {
                if let Some(paragraph) = self.paragraph.take() {
                    let (text, list) = paragraph.finish();
                    match self.cell.as_mut() {
                        Some(cell) => cell.paragraphs.push((text, list)),
                        // A paragraph outside the table is a line; inside a nested table it
                        // has no cell of its own and is lost with it: none of the plan's is.
                        None if self.tables == 0 => self.lines.push(text),
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

    fn mark_list(&mut self) {
        if let Some(p) = self.paragraph.as_mut() {
            p.list = true;
        }
    }

    fn text(&mut self, text: &str) {
        let (bold, italic) = (self.bold, self.italic);
        if let Some(p) = self.paragraph.as_mut() {
            p.text(text, bold, italic);
        }
    }

    /// A tab or a line break: a tab outside tables (an acronym and its definition), a
    /// space in a cell, where a tab would start another column.
    fn separator(&mut self) {
        let tab_kept = self.tables == 0;
        let (bold, italic) = (self.bold, self.italic);
        if let Some(p) = self.paragraph.as_mut() {
            if tab_kept {
                p.style(bold, italic);
                p.markup.push('\t');
            } else {
                p.text(" ", bold, italic);
            }
        }
    }
}

fn read_document(xml: &str) -> Result<String, quick_xml::Error> {
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
    let mut text = walk.lines.join("\n");
    text.push('\n');
    Ok(text)
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

    #[test]
    fn paragraphs_and_rows_become_lines() -> Result<(), quick_xml::Error> {
        let xml = body(&format!(
            "{}{}<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"4\"/></w:tcPr>{}</w:tc></w:tr><w:tr>{}{}{}{}</w:tr></w:tbl>",
            p("PLAN D&apos;ACTION 2013-2014"),
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"2000\"/></w:tabs></w:pPr><w:r><w:t>MESS</w:t></w:r><w:r><w:tab/><w:t>Ministère</w:t></w:r></w:p>",
            p("ORIENTATION 1 : X"),
            cell(&["Objectif &amp; but"]),
            cell(&["A", "B"]),
            cell(&["Automne 2013", "", "Hiver 2014"]),
            cell(&["", ""]),
        ));
        assert_eq!(
            read_document(&xml)?,
            "PLAN D'ACTION 2013-2014\nMESS\tMinistère\nORIENTATION 1 : X\t\t\t\nObjectif &amp; but\t<p>A</p> <p>B</p>\t<p>Automne 2013</p> <p></p> <p>Hiver 2014</p>\t\n"
        );
        Ok(())
    }

    #[test]
    fn bold_italic_and_lists_are_kept_as_markup() -> Result<(), quick_xml::Error> {
        let xml = body(
            "<w:tbl><w:tr><w:tc>\
             <w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>\
               <w:r><w:rPr><w:b/></w:rPr><w:t>Tenue </w:t></w:r><w:r><w:rPr><w:b/><w:i/></w:rPr><w:t>de l'AGA</w:t></w:r></w:p>\
             <w:p><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:rPr><w:b w:val=\"0\"/></w:rPr><w:t>Autre &lt;x&gt;</w:t></w:r></w:p>\
             </w:tc></w:tr></w:tbl>",
        );
        assert_eq!(
            read_document(&xml)?,
            "<p>- <b>Tenue <i>de l'AGA</i></b></p> <p>- Autre &lt;x&gt;</p>\n"
        );
        Ok(())
    }

    #[test]
    fn what_is_not_a_docx_is_refused_by_name() {
        let Err(ReadError::Document(e)) = to_text(b"PK\x03\x04 not really") else {
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
