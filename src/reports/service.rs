//! The report operations the API, the page and the scheduled job share: build a period's
//! report, render it as a file, save it with its files, sign it off, read a saved file.
//! They answer files, not HTTP responses; `ReportDownload::into_response` is the one
//! place a file becomes one.

use actix_web::HttpResponse;
use actix_web::http::header::{CONTENT_DISPOSITION, HeaderName, HeaderValue};

use super::build::{ReportPeriod, build};
use super::dto::{CsvSeparator, ReportParams, SaveReport, SignOffForm};
use super::load::load;
use super::model::ProgressReport;
use super::render::{ReportFormat, render_one_blocking};
use super::saved::{SavedReport, plan_end};
use crate::auth::{AuthUser, Permission};
use crate::error::{ApiError, ApiResult};
use crate::etag::IfMatch;
use crate::i18n::Lang;
use crate::ids::{PlanId, SavedReportId};
use crate::state::AppState;
use crate::write;

/// A report file to send: shown in the browser (a preview) or downloaded (a saved report,
/// with its fingerprint).
pub struct ReportDownload {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub filename: String,
    pub inline: bool,
    pub fingerprint: Option<String>,
}

impl ReportDownload {
    pub fn into_response(self) -> HttpResponse {
        let disposition = if self.inline { "inline" } else { "attachment" };
        let mut response = HttpResponse::Ok()
            .content_type(self.content_type)
            .insert_header((
                CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"{}\"", self.filename),
            ))
            .body(self.bytes);
        if let Some(fingerprint) = self.fingerprint.and_then(|f| HeaderValue::from_str(&f).ok()) {
            response
                .headers_mut()
                .insert(HeaderName::from_static("x-report-fingerprint"), fingerprint);
        }
        response
    }
}

/// A CSV file with the separator asked for (`,` as rendered, or `;`); other formats as they are.
fn separated(format: ReportFormat, separator: Option<CsvSeparator>, bytes: Vec<u8>) -> ApiResult<Vec<u8>> {
    if format != ReportFormat::Csv || separator != Some(CsvSeparator::Semicolon) {
        return Ok(bytes);
    }
    super::csv::with_semicolons(&bytes).map_err(|e| ApiError::Internal(anyhow::anyhow!("CSV with semicolons: {e}")))
}

/// The report of the period asked for (by default the last month that ended).
pub async fn progress(
    state: &AppState,
    user: &AuthUser,
    id: PlanId,
    params: &ReportParams,
) -> ApiResult<(ProgressReport, ReportPeriod, Lang)> {
    user.require(Permission::ProduceReports)?;
    let mut conn = state.conn().await?;
    let period = params.period(ReportPeriod::default_for(
        plan_end(&mut conn, id).await?,
        crate::clock::today(),
    ))?;
    let lang = params.lang.unwrap_or_default();
    Ok((build(&load(&mut conn, id, &period).await?, period, lang), period, lang))
}

/// Builds the report of the period asked for and renders it in `format`, on a heavy turn.
pub async fn progress_file(
    state: &AppState,
    user: &AuthUser,
    id: PlanId,
    params: &ReportParams,
    format: ReportFormat,
) -> ApiResult<ReportDownload> {
    let _turn = state.heavy_turn().await?;
    let (report, period, lang) = progress(state, user, id, params).await?;
    let bytes = separated(
        format,
        params.separator,
        render_one_blocking(report, format, lang).await?,
    )?;
    Ok(ReportDownload {
        bytes,
        content_type: format.content_type(),
        filename: format!("rapport-{}.{}", period.to.format("%Y-%m"), format.as_str()),
        inline: true,
        fingerprint: None,
    })
}

/// Freezes the report of a period and renders every format of it.
pub async fn save(state: &AppState, user: &AuthUser, plan: PlanId, body: SaveReport) -> ApiResult<SavedReport> {
    user.require(Permission::SaveReports)?;
    let mut conn = state.conn().await?;
    let saved = SavedReport::save(&mut conn, &user.actor(), plan, body).await?;
    drop(conn);
    SavedReport::render_files(state, saved.id).await?;
    Ok(saved)
}

/// Signs a saved report off (read at `expected`) and renders its files again with it.
pub async fn sign_off(
    state: &AppState,
    user: &AuthUser,
    id: SavedReportId,
    expected: IfMatch,
    form: SignOffForm,
) -> ApiResult<SavedReport> {
    user.require(Permission::SignOffReports)?;
    let mut conn = state.conn().await?;
    let (saved, ()) = write::update_returning::<SavedReport, _>(&mut conn, &user.actor(), id, expected, form).await?;
    drop(conn);
    SavedReport::render_files(state, saved.id).await?;
    Ok(saved)
}

/// The stored bytes of a saved report in `format` (`None`: its snapshot).
pub async fn saved_file(
    state: &AppState,
    user: &AuthUser,
    id: SavedReportId,
    format: Option<ReportFormat>,
    separator: Option<CsvSeparator>,
) -> ApiResult<ReportDownload> {
    user.require(Permission::ReadReports)?;
    let mut conn = state.conn().await?;
    let saved = SavedReport::read(&mut conn, id).await?;
    let mut bytes = SavedReport::file(&mut conn, id, format).await?;
    if let Some(format) = format {
        bytes = separated(format, separator, bytes)?;
    }
    let (content_type, extension) = match format {
        Some(format) => (format.content_type(), format.as_str()),
        None => ("application/json", "snapshot.json"),
    };
    Ok(ReportDownload {
        bytes,
        content_type,
        filename: format!("rapport-{}-{}.{extension}", saved.period_to.format("%Y-%m"), saved.id),
        inline: false,
        fingerprint: Some(saved.fingerprint),
    })
}
