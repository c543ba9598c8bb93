//! Reading a filled status sheet back: the rows someone filled, as written.

use chrono::NaiveDate;

use super::{FILL_FROM, HEADERS};
use crate::i18n::Text;
use crate::text::fold;
use crate::upload::xlsx::{DateSystem, Row, Value, read_first_sheet};
use crate::upload::{PLAN_ACTIONS_MAX, UploadError, grouped};

/// Filled rows a sheet may have: twice the largest plan's actions.
pub const FILLED_ROWS_MAX: usize = 2 * PLAN_ACTIONS_MAX;

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

fn text(cell: Option<&Value>) -> Option<String> {
    let value = match cell? {
        Value::Text(s) | Value::Error(s) => s.trim().to_owned(),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
    };
    Some(value).filter(|v| !v.is_empty())
}

fn whole(cell: Option<&Value>) -> Option<i64> {
    match cell? {
        Value::Number(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(*f as i64),
        Value::Text(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A date cell: an Excel date number, or a date written as text (ISO or French).
fn date(cell: Option<&Value>, dates: DateSystem) -> Option<Result<NaiveDate, String>> {
    let cell = cell?;
    if let Value::Number(serial) = cell {
        return Some(dates.day(*serial).ok_or_else(|| serial.to_string()));
    }
    let written = text(Some(cell))?;
    Some(
        NaiveDate::parse_from_str(written.get(..10).unwrap_or(&written), "%Y-%m-%d")
            .ok()
            .or_else(|| crate::text::french_date(&written))
            .ok_or(written),
    )
}

fn not_a_status_sheet() -> Text {
    Text::new(
        "Ce fichier n'est pas une feuille d'états de Planaction : téléchargez-la (GET /plans/{id}/status-sheet.xlsx), remplissez ses colonnes « Nouvel état », « Nouvelle note » et « Date d'effet », puis renvoyez-la.",
        "This file is not a Planaction status sheet: download one (GET /plans/{id}/status-sheet.xlsx), fill its \"Nouvel état\", \"Nouvelle note\" and \"Date d'effet\" columns, then send it back.",
    )
}

/// The filled rows of the sheet's first worksheet; rows left blank are not returned.
pub fn read(bytes: &[u8]) -> Result<Vec<SheetRow>, UploadError> {
    let expected: Vec<String> = HEADERS.iter().map(|h| fold(h)).collect();
    let columns = u16::try_from(HEADERS.len()).unwrap_or(u16::MAX);
    let fill = FILL_FROM;
    let mut header_seen = false;
    let mut filled = Vec::new();
    let each = |row: Row, dates: DateSystem| {
        if !header_seen {
            let header: Vec<String> = (0..columns)
                .map(|c| text(row.get(c)).map(|t| fold(&t)).unwrap_or_default())
                .collect();
            if header != expected {
                return Err(UploadError::Unreadable(not_a_status_sheet()));
            }
            header_seen = true;
            return Ok(());
        }
        let status = text(row.get(fill));
        let note = text(row.get(fill + 1));
        let effective_on = date(row.get(fill + 2), dates);
        if status.is_none() && note.is_none() && effective_on.is_none() {
            return Ok(());
        }
        if filled.len() >= FILLED_ROWS_MAX {
            return Err(UploadError::too_large(
                format!(
                    "La feuille compte plus de {} lignes remplies : un plan a au plus {} actions.",
                    grouped(FILLED_ROWS_MAX as u64),
                    grouped(PLAN_ACTIONS_MAX as u64)
                ),
                format!(
                    "The sheet has more than {FILLED_ROWS_MAX} filled rows: a plan has at most {PLAN_ACTIONS_MAX} actions."
                ),
            ));
        }
        filled.push(SheetRow {
            row: row.number,
            action_id: whole(row.get(0)),
            version: whole(row.get(1)).and_then(|v| i32::try_from(v).ok()),
            status,
            note,
            effective_on,
        });
        Ok(())
    };
    read_first_sheet(bytes, columns, each).map_err(|e| match e {
        UploadError::Unreadable(_) if !header_seen => UploadError::Unreadable(not_a_status_sheet()),
        other => other,
    })?;
    if !header_seen {
        return Err(UploadError::Unreadable(not_a_status_sheet()));
    }
    Ok(filled)
}
