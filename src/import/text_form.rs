//! The plan's text form → a document: a line with a tab is a table row of cells separated
//! by tabs, any other line a paragraph. Cells and paragraphs may hold the light HTML the
//! plans were exported with: `<p>` (one value per action), `<li>` and `<br>` (paragraphs),
//! `<b>`/`<strong>` (bold), `<i>`/`<em>` (italic); other tags count as spaces.

use lazy_regex::{Lazy, Regex, lazy_regex};

use super::document::{Block, Cell, Cut, Document, Kind, Paragraph};
use super::parse::LineMessage;

static TAG: Lazy<Regex> = lazy_regex!(r"<[^>]*>");
static TAG_NAME: Lazy<Regex> = lazy_regex!(r"^<\s*(/)?\s*([a-zA-Z]+)");

pub fn read(text: &str) -> Result<Document, LineMessage> {
    let mut document = Document::default();
    let mut last_row = None;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.contains('\0') {
            return Err(LineMessage::new(
                line,
                "cette ligne contient un caractère nul (U+0000), qu'aucun texte du plan ne peut contenir.",
                "this line holds a NUL character (U+0000), which no text of the plan can hold.",
            ));
        }
        if raw.trim().is_empty() {
            continue;
        }
        let kind = if raw.contains('\t') {
            last_row = Some((line, raw));
            Kind::Row(raw.split('\t').map(cell).collect())
        } else {
            last_row = None;
            Kind::Paragraph(paragraph(raw))
        };
        document.blocks.push(Block { line, kind });
    }
    document.lines = text.lines().count();
    if !text.ends_with('\n') {
        document.cut = last_row.map(|(line, row)| cut(line, row));
    }
    Ok(document)
}

fn cut(line: usize, row: &str) -> Cut {
    let lower = row.to_lowercase();
    let cell: Vec<char> = row.rsplit('\t').next().unwrap_or(row).trim().chars().collect();
    Cut {
        line,
        columns: row.split('\t').count(),
        open_paragraph: lower.matches("<p>").count() + lower.matches("<p ").count() > lower.matches("</p>").count(),
        tail: match cell.len() {
            0..=60 => cell.iter().collect(),
            n => format!("…{}", cell[n - 60..].iter().collect::<String>()),
        },
    }
}

/// A line outside the table: one paragraph, whatever its tags.
fn paragraph(html: &str) -> Paragraph {
    let mut joined = Paragraph::default();
    for p in cell(html).paragraphs {
        joined.push(" ", false, false);
        for run in p.runs {
            joined.push(&run.text, run.bold, run.italic);
        }
    }
    joined
}

/// A cell's HTML → its paragraphs. A `<p>` is a paragraph even when empty (a placeholder:
/// an action with no échéancier); text outside any `<p>` makes paragraphs at `<li>`,
/// `<br>` and `<div>`, the blank ones dropped.
pub fn cell(html: &str) -> Cell {
    let mut paragraphs = Vec::new();
    let mut current = Paragraph::default();
    let (mut in_p, mut bold, mut italic) = (false, false, false);
    let mut flush = |current: &mut Paragraph, keep_blank: bool| {
        let done = std::mem::take(current);
        if keep_blank || !done.is_blank() {
            paragraphs.push(done);
        }
    };
    let mut rest = html;
    while !rest.is_empty() {
        let Some(tag) = TAG.find(rest) else {
            current.push(&decode_entities(rest), bold, italic);
            break;
        };
        current.push(&decode_entities(&rest[..tag.start()]), bold, italic);
        rest = &rest[tag.end()..];
        let Some(caps) = TAG_NAME.captures(tag.as_str()) else {
            current.push(" ", bold, italic);
            continue;
        };
        let closing = caps.get(1).is_some();
        match caps.get(2).map(|m| m.as_str().to_lowercase()).as_deref() {
            Some("b" | "strong") => bold = !closing,
            Some("i" | "em") => italic = !closing,
            Some("p") => {
                flush(&mut current, in_p);
                in_p = !closing;
            }
            Some("li" | "br" | "div") => flush(&mut current, in_p),
            _ => current.push(" ", bold, italic),
        }
    }
    flush(&mut current, in_p);
    Cell::of(paragraphs)
}

fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(cell: &Cell) -> Vec<String> {
        cell.paragraphs.iter().map(Paragraph::markup).collect()
    }

    #[test]
    fn paragraphs_are_kept_empty_and_lists_are_split() {
        let c = cell("<p>Automne 2013</p> <p></p> <p>Hiver - Printemps 2014</p>");
        assert_eq!(texts(&c), ["Automne 2013", "", "Hiver - Printemps 2014"]);
        let c = cell("<ul><li>– Planification</li><li>– Offre d'outils</li></ul>");
        assert_eq!(texts(&c), ["– Planification", "– Offre d'outils"]);
        let c = cell("* Dépôt des outils<br>* Capsules vidéo");
        assert_eq!(texts(&c), ["* Dépôt des outils", "* Capsules vidéo"]);
    }

    #[test]
    fn bold_italic_and_entities_are_read() {
        let c = cell("<strong>- Gala</strong> - le <i>Tour du Québec</i> R&amp;D");
        assert_eq!(texts(&c), ["- Gala - le *Tour du Québec* R&D"]);
        assert!(c.paragraphs[0].runs[0].bold);
        assert!(!c.paragraphs[0].runs[1].bold);
    }

    #[test]
    fn rows_paragraphs_and_a_cut_end() -> Result<(), LineMessage> {
        let document = read("PLAN\n\nObjectif\t- <p>Act")?;
        assert_eq!(document.blocks.len(), 2);
        assert!(matches!(&document.blocks[0].kind, Kind::Paragraph(p) if p.markup() == "PLAN"));
        assert!(matches!(&document.blocks[1].kind, Kind::Row(cells) if cells.len() == 2));
        let cut = document.cut.ok_or_else(|| LineMessage::new(0, "", "no cut"))?;
        assert_eq!((cut.line, cut.columns, cut.open_paragraph), (3, 2, true));
        assert_eq!(read("PLAN\nObjectif\t-\n")?.cut, None);
        assert_eq!(read("a\u{0}\n").map(|_| 0).unwrap_or_else(|e| e.line), 1);
        Ok(())
    }
}
