//! Reading what people upload (spreadsheets, Word documents, plan texts) within limits
//! that hold while reading: sizes once inflated, rows, columns, cells, text per cell.
//! Nothing a file declares about itself (a sheet's dimension, a count of shared strings,
//! an entry's uncompressed size) is trusted: a 5 KB file can declare terabytes.

/// An uploaded file's bytes (a plan document, a status sheet), for the OpenAPI document:
/// generated clients send a file.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct DocumentBytes(pub Vec<u8>);

pub mod archive;
pub mod xlsx;

use crate::i18n::Text;

/// A part of an archive (a sheet's XML, `word/document.xml`) once inflated.
pub const PART_MAX: u64 = 16 * 1024 * 1024;
/// All the parts read from one archive, once inflated.
pub const INFLATED_MAX: u64 = 40 * 1024 * 1024;
/// Excel's own limits: a row number, a column number, the characters of a cell.
pub const ROWS_MAX: u32 = 1_048_576;
pub const COLUMNS_MAX: u32 = 16_384;
pub const CELL_TEXT_MAX: usize = 32_767;
/// Cells of one sheet, and distinct shared strings of one workbook.
pub const CELLS_MAX: usize = 1_000_000;
pub const SHARED_STRINGS_MAX: usize = 500_000;
/// Actions in one plan (a plan of the RQDS has about 50).
pub const PLAN_ACTIONS_MAX: usize = 5_000;

/// Why an upload was not read.
#[derive(Debug, Clone, PartialEq)]
pub enum UploadError {
    /// Past one of the limits above (413), saying which.
    TooLarge(Text),
    /// Not a file of the expected kind, or damaged (400).
    Unreadable(Text),
}

impl UploadError {
    pub fn too_large(fr: impl Into<String>, en: impl Into<String>) -> Self {
        UploadError::TooLarge(Text::new(fr, en))
    }

    pub fn unreadable(fr: impl Into<String>, en: impl Into<String>) -> Self {
        UploadError::Unreadable(Text::new(fr, en))
    }
}

impl From<UploadError> for crate::error::ApiError {
    fn from(error: UploadError) -> Self {
        match error {
            UploadError::TooLarge(text) => crate::error::ApiError::ContentTooLarge(text),
            UploadError::Unreadable(text) => crate::error::ApiError::BadRequest(text),
        }
    }
}

/// An XML element's attribute, as its value reads.
pub fn attribute(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// French digits grouped as people read them: 1 048 576 (no-break spaces).
pub fn grouped(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// Megabytes, for messages.
pub fn megabytes(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_grouped_the_french_way() {
        assert_eq!(super::grouped(1_048_576u32), "1\u{a0}048\u{a0}576");
        assert_eq!(super::grouped(500u32), "500");
        assert_eq!(super::grouped(5000u32), "5\u{a0}000");
    }
}
