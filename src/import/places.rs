//! Where a message's line is, said the way the file's own program shows it: a sheet's cell
//! (« Feuille « Plan », cellule B12 »), a LibreOffice table's row (« Tableau « Tableau1 »,
//! rangée 4 »); lines of a text and blocks of a Word document keep « Ligne N ».

use super::parse::LineMessage;
use crate::i18n::Text;
use crate::upload::xlsx::column_name;

/// What a document's line numbers count.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Origin {
    /// Lines of a text, or paragraphs and rows of a Word document.
    #[default]
    Lines,
    /// Rows of a spreadsheet, numbered as it numbers them, on the sheet of this name.
    Sheet(String),
    /// Paragraphs and rows of an OpenDocument text; for each row's line, its table's name
    /// and its number in that table.
    Tables(Vec<(usize, String, usize)>),
}

impl Origin {
    fn place(&self, line: usize, column: Option<usize>) -> Option<Text> {
        match self {
            Origin::Lines => None,
            Origin::Sheet(name) => Some(match column.and_then(|c| u32::try_from(c).ok()) {
                Some(c) => {
                    let cell = format!("{}{line}", column_name(c));
                    Text::new(
                        format!("Feuille « {name} », cellule {cell}"),
                        format!("Sheet \"{name}\", cell {cell}"),
                    )
                }
                None => Text::new(
                    format!("Feuille « {name} », ligne {line}"),
                    format!("Sheet \"{name}\", row {line}"),
                ),
            }),
            Origin::Tables(rows) => {
                let (_, table, row) = rows.iter().find(|(at, _, _)| *at == line)?;
                Some(Text::new(
                    format!("Tableau « {table} », rangée {row}"),
                    format!("Table \"{table}\", row {row}"),
                ))
            }
        }
    }

    /// The message with its place instead of « Ligne N ».
    pub fn relabel(&self, mut message: LineMessage) -> LineMessage {
        let Some(place) = self.place(message.line, message.column) else {
            return message;
        };
        let line = message.line;
        let text = &mut message.message;
        if let Some(rest) = text.fr.strip_prefix(&format!("Ligne {line} : ")) {
            text.fr = format!("{} : {rest}", place.fr);
        }
        if let Some(rest) = text.en.strip_prefix(&format!("Line {line}: ")) {
            text.en = format!("{}: {rest}", place.en);
        }
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_cell_or_the_table_row() {
        let message = || LineMessage::new(12, "trop long.", "too long.");
        let sheet = Origin::Sheet("Plan 2024".into());
        assert_eq!(
            sheet.relabel(message().in_column(Some(1))).message.fr,
            "Feuille « Plan 2024 », cellule B12 : trop long."
        );
        assert_eq!(
            sheet.relabel(message()).message.en,
            "Sheet \"Plan 2024\", row 12: too long."
        );
        let tables = Origin::Tables(vec![(12, "Tableau1".into(), 4)]);
        assert_eq!(
            tables.relabel(message()).message.fr,
            "Tableau « Tableau1 », rangée 4 : trop long."
        );
        assert_eq!(Origin::Lines.relabel(message()).message.fr, "Ligne 12 : trop long.");
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(27), "AB");
    }
}
