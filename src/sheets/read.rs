//! Reading a filled status sheet back: the rows someone filled, as written.

use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx};
use chrono::NaiveDate;

use super::{FILL_FROM, HEADERS};
use crate::i18n::Text;
use crate::text::fold;

/// A filled row, as written in the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    /// The row number Excel shows (the header is row 1).
    pub row: u32,
    pub action_id: Option<i64>,
    pub version: Option<i32>,
    pub status: Option<String>,
    pub note: Option<String>,
    pub effective_on: Option<Result<NaiveDate, String>>,
}

fn text(cell: Option<&Data>) -> Option<String> {
    let value = match cell? {
        Data::String(s) | Data::DateTimeIso(s) => s.trim().to_owned(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    };
    Some(value).filter(|v| !v.is_empty())
}

fn whole(cell: Option<&Data>) -> Option<i64> {
    match cell? {
        Data::Int(i) => Some(*i),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(*f as i64),
        Data::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn date(cell: Option<&Data>) -> Option<Result<NaiveDate, String>> {
    let cell = cell?;
    if cell.is_empty() {
        return None;
    }
    if let Some(day) = cell.as_date() {
        return Some(Ok(day));
    }
    let written = text(Some(cell))?;
    Some(crate::text::french_date(&written).ok_or(written))
}

fn not_a_status_sheet() -> Text {
    Text::new(
        "Ce fichier n'est pas une feuille d'états de Planaction : téléchargez-la (GET /plans/{id}/status-sheet.xlsx), remplissez ses colonnes « Nouvel état », « Nouvelle note » et « Date d'effet », puis renvoyez-la.",
        "This file is not a Planaction status sheet: download one (GET /plans/{id}/status-sheet.xlsx), fill its \"Nouvel état\", \"Nouvelle note\" and \"Date d'effet\" columns, then send it back.",
    )
}

/// The filled rows of the sheet's first worksheet; rows left blank are not returned.
pub fn read(bytes: &[u8]) -> Result<Vec<SheetRow>, Text> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| not_a_status_sheet())?;
    let range = workbook
        .worksheet_range_at(0)
        .and_then(Result::ok)
        .ok_or_else(not_a_status_sheet)?;
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|cells| cells.iter().map(|c| fold(&c.to_string())).collect())
        .unwrap_or_default();
    let expected: Vec<String> = HEADERS.iter().map(|h| fold(h)).collect();
    if header.len() < expected.len() || header[..expected.len()] != expected[..] {
        return Err(not_a_status_sheet());
    }
    let start = range.start().map_or(0, |(row, _)| row);
    let fill = usize::from(FILL_FROM);
    let mut filled = Vec::new();
    for (offset, cells) in rows.enumerate() {
        let row = start + 2 + u32::try_from(offset).unwrap_or(u32::MAX - 2);
        let status = text(cells.get(fill));
        let note = text(cells.get(fill + 1));
        let effective_on = date(cells.get(fill + 2));
        if status.is_none() && note.is_none() && effective_on.is_none() {
            continue;
        }
        filled.push(SheetRow {
            row,
            action_id: whole(cells.first()),
            version: whole(cells.get(1)).and_then(|v| i32::try_from(v).ok()),
            status,
            note,
            effective_on,
        });
    }
    Ok(filled)
}
