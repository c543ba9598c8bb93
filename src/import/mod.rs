//! Importing a plan document in the table format of the RQDS plans
//! (`data/plan-action-2013-2014.txt`): a pure parse, then one all-or-nothing transaction.

pub mod cells;
pub mod document;
pub mod docx;
pub mod numbering;
pub mod odt;
pub mod parse;
pub mod places;
pub mod routes;
pub mod rows;
pub mod sheet;
pub mod text_form;

pub use routes::routes;

use parse::{LineMessage, ParsedPlan};

/// Why a document's bytes could not be read as a plan.
#[derive(Debug)]
pub enum ReadError {
    /// Text that is not UTF-8; the offset of the first bad byte.
    NotUtf8(usize),
    /// A problem in the document, by line (for a Word document, by paragraph or table row).
    Document(LineMessage),
    /// Past a limit of `upload` (inflated size, actions in a plan…): 413.
    TooLarge(crate::i18n::Text),
}

impl From<crate::upload::UploadError> for ReadError {
    fn from(error: crate::upload::UploadError) -> Self {
        match error {
            crate::upload::UploadError::TooLarge(text) => ReadError::TooLarge(text),
            crate::upload::UploadError::Unreadable(text) => ReadError::Document(LineMessage::new(1, text.fr, text.en)),
        }
    }
}

/// The plan in a document, recognized by its content: an Excel workbook (XLSX), a
/// LibreOffice text (ODT), a Word document (DOCX), or the text form (UTF-8, with or without
/// a byte order mark). Messages name the place as the file's program shows it.
pub fn read(bytes: &[u8]) -> Result<ParsedPlan, ReadError> {
    let document = if sheet::looks_like_xlsx(bytes) {
        sheet::read(bytes)?
    } else if odt::looks_like_odt(bytes) {
        odt::read(bytes)?
    } else if docx::looks_like_docx(bytes) {
        docx::read(bytes)?
    } else {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.valid_up_to()))?;
        text_form::read(text).map_err(ReadError::Document)?
    };
    let origin = &document.origin;
    let mut plan = parse::parse_document(&document).map_err(|e| ReadError::Document(origin.relabel(e)))?;
    plan.warnings = plan.warnings.into_iter().map(|w| origin.relabel(w)).collect();
    Ok(plan)
}

/// Used when the document does not name its organization (the RQDS plans do not).
pub const DEFAULT_ORGANIZATION: &str = "Réseau québécois de développement social";

/// The real 2013–2014 plan, the demo data of `serve --demo`.
pub const SEED_PLAN: &str = include_str!("../../data/plan-action-2013-2014.txt");
