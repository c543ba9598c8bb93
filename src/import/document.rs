//! What a plan document is made of, whichever form it came in (a Word document, or the
//! text form with its light HTML): paragraphs, and table rows of cells; a cell holds
//! paragraphs, a paragraph runs of text, each bold or italic or not. The parser reads only
//! this, so that a Word paragraph can never be taken for a table row.

use crate::text::squash;

/// A document's blocks, from the top, each with the line (text form) or the paragraph or
/// row (Word, counted from the top) the parser's messages name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// Lines (text form), or paragraphs and rows (Word), empty ones included.
    pub lines: usize,
    /// The text form stopped inside a row with no line end after it: it may have been cut.
    pub cut: Option<Cut>,
    /// What the line numbers count, for messages.
    pub origin: super::places::Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub line: usize,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A paragraph outside any table.
    Paragraph(Paragraph),
    /// A row of a table; a merged cell counts for the columns it spans.
    Row(Vec<Cell>),
}

/// The last row of a text that stops with no line end: what shows whether it is whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    pub line: usize,
    pub columns: usize,
    /// A `<p>` opened and not closed.
    pub open_paragraph: bool,
    /// The end of its last cell, as written.
    pub tail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paragraph {
    pub runs: Vec<Run>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub paragraphs: Vec<Paragraph>,
    /// A Word cell merged with the one above it (`<w:vMerge/>`): the same cell, continued.
    pub merged_above: bool,
}

impl Paragraph {
    /// Adds text in a style, joined to the last run when it has the same one.
    pub fn push(&mut self, text: &str, bold: bool, italic: bool) {
        if text.is_empty() {
            return;
        }
        match self.runs.last_mut() {
            Some(last) if last.bold == bold && last.italic == italic => last.text.push_str(text),
            _ => self.runs.push(Run {
                text: text.to_owned(),
                bold,
                italic,
            }),
        }
    }

    pub fn is_blank(&self) -> bool {
        self.runs.iter().all(|r| r.text.trim().is_empty())
    }

    /// Each character with whether it is bold; italic runs are wrapped in `*`, the API's
    /// light markup.
    pub fn styled_chars(&self) -> Vec<(char, bool)> {
        let mut chars = Vec::new();
        for run in &self.runs {
            let star = run.italic && !run.text.trim().is_empty();
            if star {
                chars.push(('*', run.bold));
            }
            chars.extend(run.text.chars().map(|c| (c, run.bold)));
            if star {
                chars.push(('*', run.bold));
            }
        }
        chars
    }

    /// The text with the API's light markup (`*italic*`), whitespace collapsed; a tab (an
    /// acronym and its definition, outside tables) is kept.
    pub fn markup(&self) -> String {
        let text: String = self.styled_chars().into_iter().map(|(c, _)| c).collect();
        let pieces: Vec<String> = text.split('\t').map(squash).collect();
        pieces.join("\t").trim().to_owned()
    }
}

impl Cell {
    pub fn of(paragraphs: Vec<Paragraph>) -> Self {
        Cell {
            paragraphs,
            merged_above: false,
        }
    }

    /// The whole cell as one text, its paragraphs joined by spaces.
    pub fn markup(&self) -> String {
        let parts: Vec<String> = self.paragraphs.iter().map(Paragraph::markup).collect();
        squash(&parts.join(" "))
    }

    pub fn is_blank(&self) -> bool {
        self.paragraphs.iter().all(Paragraph::is_blank)
    }
}

impl Block {
    /// The text of a block that holds one text only: a paragraph, or a row of which only
    /// the first cell is written (a heading spanning the table, as Word documents have).
    pub fn lone_text(&self) -> Option<String> {
        match &self.kind {
            Kind::Paragraph(p) => Some(p.markup()),
            Kind::Row(cells) => {
                let (first, rest) = cells.split_first()?;
                rest.iter().all(Cell::is_blank).then(|| first.markup())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Paragraph {
        fn plain(text: &str) -> Self {
            let mut paragraph = Paragraph::default();
            paragraph.push(text, false, false);
            paragraph
        }
    }

    #[test]
    fn runs_of_one_style_are_one_and_italics_are_starred() {
        let mut p = Paragraph::default();
        p.push("Mise à jour du ", false, false);
        p.push("Tour ", false, true);
        p.push("du Québec", false, true);
        p.push("  ", false, false);
        assert_eq!(p.runs.len(), 3);
        assert_eq!(p.markup(), "Mise à jour du *Tour du Québec*");
        assert_eq!(
            Paragraph::plain("MESS\t Ministère  de l'Emploi").markup(),
            "MESS\tMinistère de l'Emploi"
        );
        assert!(Paragraph::plain(" \u{a0}").is_blank());
    }

    #[test]
    fn a_row_spanning_the_table_is_a_lone_text() {
        let heading = Block {
            line: 3,
            kind: Kind::Row(vec![
                Cell::of(vec![Paragraph::plain("ORIENTATION 1 : X")]),
                Cell::default(),
            ]),
        };
        assert_eq!(heading.lone_text().as_deref(), Some("ORIENTATION 1 : X"));
        let row = Block {
            line: 4,
            kind: Kind::Row(vec![Cell::default(), Cell::of(vec![Paragraph::plain("- A")])]),
        };
        assert_eq!(row.lone_text(), None);
    }
}
