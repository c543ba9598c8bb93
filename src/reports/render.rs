//! One report, any format: the bytes and how to send them.

use super::model::ProgressReport;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;

crate::text_enum! {
    /// `json` (the default, and the source of the others), `csv` (UTF-8 with BOM, one row
    /// per action), `xlsx` (summary, plan, moved, late), `html` (printable), `pdf` (letter paper).
    pub enum ReportFormat {
        Json => "json",
        Csv => "csv",
        Xlsx => "xlsx",
        Html => "html",
        Pdf => "pdf",
    }
}

impl ReportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Json => "application/json",
            ReportFormat::Csv => "text/csv; charset=utf-8",
            ReportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ReportFormat::Html => "text/html; charset=utf-8",
            ReportFormat::Pdf => "application/pdf",
        }
    }

    /// "json, csv, xlsx, html, pdf"
    pub fn names() -> String {
        ReportFormat::ALL
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `render` on a blocking thread: an XLSX or a PDF of a large plan takes a good part of a
/// second, which must not hold an async worker.
pub async fn render_blocking(
    report: ProgressReport,
    formats: Vec<ReportFormat>,
    lang: Lang,
) -> ApiResult<Vec<(ReportFormat, Vec<u8>)>> {
    tokio::task::spawn_blocking(move || {
        formats
            .into_iter()
            .map(|format| Ok((format, render(&report, format, lang)?)))
            .collect()
    })
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("rendering the report: {e}")))?
}

/// One format, on a blocking thread.
pub async fn render_one_blocking(report: ProgressReport, format: ReportFormat, lang: Lang) -> ApiResult<Vec<u8>> {
    let mut files = render_blocking(report, vec![format], lang).await?;
    files
        .pop()
        .map(|(_, bytes)| bytes)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("rendering {format:?} gave no file")))
}

pub fn render(report: &ProgressReport, format: ReportFormat, lang: Lang) -> ApiResult<Vec<u8>> {
    let internal = |e: String| ApiError::Internal(anyhow::anyhow!("rendering the report: {e}"));
    match format {
        ReportFormat::Json => serde_json::to_vec_pretty(report).map_err(|e| internal(e.to_string())),
        ReportFormat::Csv => super::csv::render(report, lang).map_err(|e| internal(e.to_string())),
        ReportFormat::Xlsx => super::xlsx::render(report, lang).map_err(|e| internal(e.to_string())),
        ReportFormat::Html => Ok(super::html::render(report, lang).into_bytes()),
        ReportFormat::Pdf => super::pdf::render(report, lang).map_err(internal),
    }
}
