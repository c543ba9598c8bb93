//! Statuses through a spreadsheet: the actions of a plan as an XLSX to fill in Excel or
//! LibreOffice (`export`), read back (`read`) and compared with the plan as it is now
//! (`review`): changes, conflicts with what changed since the download, refused rows.
//! Applying records every change as a status update, in one transaction, or nothing.

pub mod export;
pub mod read;
pub mod review;
pub mod routes;

/// What the upload accepts as a spreadsheet.
pub const MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The sheet's columns, in order; the last three are for people to fill.
pub const HEADERS: [&str; 12] = [
    "id",
    "version",
    "Orientation",
    "Objectif",
    "Action",
    "Échéancier",
    "État actuel",
    "Note actuelle",
    "Progression",
    "Nouvel état",
    "Nouvelle note",
    "Date d'effet",
];

/// Index of the first column to fill ("Nouvel état").
pub const FILL_FROM: u16 = 9;
