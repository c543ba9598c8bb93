//! One report, any format: the bytes and how to send them.

use super::model::ProgressReport;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;

crate::text_enum! {
    /// `json` (the default, and the source of the others), `csv` (UTF-8 with BOM, one row
    /// per action), `xlsx` (summary, plan, moved, late), `html` (printable).
    pub enum ReportFormat {
        Json => "json",
        Csv => "csv",
        Xlsx => "xlsx",
        Html => "html",
    }
}

impl ReportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Json => "application/json",
            ReportFormat::Csv => "text/csv; charset=utf-8",
            ReportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ReportFormat::Html => "text/html; charset=utf-8",
        }
    }

    /// From an `Accept` header, when it names one of the formats.
    pub fn from_accept(accept: &str) -> Option<ReportFormat> {
        [
            ReportFormat::Csv,
            ReportFormat::Xlsx,
            ReportFormat::Html,
            ReportFormat::Json,
        ]
        .into_iter()
        .find(|f| accept.contains(f.content_type().split(';').next().unwrap_or("")))
    }
}

pub fn render(report: &ProgressReport, format: ReportFormat, lang: Lang) -> ApiResult<Vec<u8>> {
    let internal = |e: String| ApiError::Internal(anyhow::anyhow!("rendering the report: {e}"));
    match format {
        ReportFormat::Json => serde_json::to_vec_pretty(report).map_err(|e| internal(e.to_string())),
        ReportFormat::Csv => super::csv::render(report, lang).map_err(|e| internal(e.to_string())),
        ReportFormat::Xlsx => super::xlsx::render(report, lang).map_err(|e| internal(e.to_string())),
        ReportFormat::Html => Ok(super::html::render(report, lang).into_bytes()),
    }
}
