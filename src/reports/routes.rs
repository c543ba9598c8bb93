use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::diff::{ReportDiff, diff};
use super::dto::{CsvParams, ReportParams, SaveReport, SignOffRequest};
use super::model::ProgressReport;
use super::render::ReportFormat;
use super::saved::SavedReport;
use super::service;
use crate::endpoint::FileBytes;
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, ProduceReports, ReadReports, SaveReports, SignOffReports};
use crate::endpoint;
use crate::error::ApiResult;
use crate::etag::{Precondition, created};
use crate::extract::Json;
use crate::ids::{PlanId, SavedReportId};
use crate::state::AppState;
use crate::write::Versioned;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(progress_report)
        .service(progress_report_csv)
        .service(progress_report_xlsx)
        .service(progress_report_html)
        .service(progress_report_pdf)
        .service(save_report)
        .service(list_saved_reports)
        .service(get_saved_report)
        .service(saved_report_snapshot)
        .service(saved_report_json)
        .service(saved_report_csv)
        .service(saved_report_xlsx)
        .service(saved_report_html)
        .service(saved_report_pdf)
        .service(sign_off_report)
        .service(diff_saved_reports);
}

/// The monthly progress report: summary, what moved in the period, late actions, what
/// is coming up, and the plan table, with the statuses as they stood at `as_of` (from the
/// recorded history, not today's values). The same report as a file: `progress.csv`,
/// `progress.xlsx`, `progress.html`, `progress.pdf`.
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Plan id"), ReportParams),
    responses((status = 200, description = "The report", body = ProgressReport))
)]
#[get("/plans/{id}/reports/progress")]
async fn progress_report(
    state: web::Data<AppState>,
    user: Authorized<ProduceReports>,
    id: web::Path<PlanId>,
    params: web::Query<ReportParams>,
) -> ApiResult<HttpResponse> {
    Ok(service::progress_file(&state, &user, *id, &params, ReportFormat::Json)
        .await?
        .into_response())
}

/// The monthly progress report as a spreadsheet for Excel in French (UTF-8 with BOM, one
/// row per action).
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Plan id"), ReportParams),
    responses((status = 200, description = "The report", content(
        (String = "text/csv", example = "\u{feff}Orientation,Objectif,Action,Organisation responsable,Échéancier,État d'avancement,Note,Progression,Dernier changement\n")
    )))
)]
#[get("/plans/{id}/reports/progress.csv")]
async fn progress_report_csv(
    state: web::Data<AppState>,
    user: Authorized<ProduceReports>,
    id: web::Path<PlanId>,
    params: web::Query<ReportParams>,
) -> ApiResult<HttpResponse> {
    Ok(service::progress_file(&state, &user, *id, &params, ReportFormat::Csv)
        .await?
        .into_response())
}

/// The monthly progress report as an Excel workbook: Sommaire, Plan, Mouvements, Retards.
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Plan id"), ReportParams),
    responses((status = 200, description = "The report", content(
        (FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )))
)]
#[get("/plans/{id}/reports/progress.xlsx")]
async fn progress_report_xlsx(
    state: web::Data<AppState>,
    user: Authorized<ProduceReports>,
    id: web::Path<PlanId>,
    params: web::Query<ReportParams>,
) -> ApiResult<HttpResponse> {
    Ok(service::progress_file(&state, &user, *id, &params, ReportFormat::Xlsx)
        .await?
        .into_response())
}

/// The monthly progress report as a printable page.
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Plan id"), ReportParams),
    responses((status = 200, description = "The report", content((String = "text/html"))))
)]
#[get("/plans/{id}/reports/progress.html")]
async fn progress_report_html(
    state: web::Data<AppState>,
    user: Authorized<ProduceReports>,
    id: web::Path<PlanId>,
    params: web::Query<ReportParams>,
) -> ApiResult<HttpResponse> {
    Ok(service::progress_file(&state, &user, *id, &params, ReportFormat::Html)
        .await?
        .into_response())
}

/// The monthly progress report as a PDF on letter paper, laid out like the plan document.
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Plan id"), ReportParams),
    responses((status = 200, description = "The report", content((FileBytes = "application/pdf"))))
)]
#[get("/plans/{id}/reports/progress.pdf")]
async fn progress_report_pdf(
    state: web::Data<AppState>,
    user: Authorized<ProduceReports>,
    id: web::Path<PlanId>,
    params: web::Query<ReportParams>,
) -> ApiResult<HttpResponse> {
    Ok(service::progress_file(&state, &user, *id, &params, ReportFormat::Pdf)
        .await?
        .into_response())
}

/// Freeze the report of a period for a meeting: its JSON snapshot, SHA-256 fingerprint and
/// every format, downloadable later byte for byte.
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = SaveReport,
    responses((status = 201, body = SavedReport))
)]
#[post("/plans/{id}/reports")]
async fn save_report(
    state: web::Data<AppState>,
    user: Authorized<SaveReports>,
    id: web::Path<PlanId>,
    body: Json<SaveReport>,
) -> ApiResult<HttpResponse> {
    let saved = service::save(&state, &user, *id, body.into_inner()?).await?;
    Ok(created(saved.location(), saved.version, &saved))
}

/// The saved reports of a plan, latest period first.
#[endpoint]
#[utoipa::path(tag = "reports", params(("id" = i64, Path, description = "Plan id")), responses((status = 200, body = [SavedReport])))]
#[get("/plans/{id}/reports")]
async fn list_saved_reports(
    state: web::Data<AppState>,
    _user: Authorized<ReadReports>,
    id: web::Path<PlanId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(SavedReport::list(&mut conn, *id).await?))
}

/// One saved report: period, fingerprint, sign-off.
#[endpoint]
#[utoipa::path(tag = "reports", params(("id" = i64, Path, description = "Saved report id")), responses((status = 200, body = SavedReport)))]
#[get("/reports/{id}")]
async fn get_saved_report(
    state: web::Data<AppState>,
    _user: Authorized<ReadReports>,
    id: web::Path<SavedReportId>,
) -> ApiResult<HttpResponse> {
    Ok(endpoint::ok(&SavedReport::read(&mut *state.conn().await?, *id).await?))
}

/// The exact JSON whose SHA-256 is the report's fingerprint.
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Saved report id")),
    responses((status = 200, description = "The file", content((ProgressReport = "application/json"))))
)]
#[get("/reports/{id}/snapshot.json")]
async fn saved_report_snapshot(
    state: web::Data<AppState>,
    user: Authorized<ReadReports>,
    id: web::Path<SavedReportId>,
) -> ApiResult<HttpResponse> {
    Ok(service::saved_file(&state, &user, *id, None, None)
        .await?
        .into_response())
}

/// The saved report in JSON, with its certification (and sign-off, once given).
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Saved report id")),
    responses((status = 200, description = "The file", content((ProgressReport = "application/json"))))
)]
#[get("/reports/{id}/report.json")]
async fn saved_report_json(
    state: web::Data<AppState>,
    user: Authorized<ReadReports>,
    id: web::Path<SavedReportId>,
) -> ApiResult<HttpResponse> {
    Ok(service::saved_file(&state, &user, *id, Some(ReportFormat::Json), None)
        .await?
        .into_response())
}

/// The saved report as CSV, byte-identical to the day it was made (or signed off); with
/// `separator=semicolon`, the same fields for Excel in a French locale.
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Saved report id"), CsvParams),
    responses((status = 200, description = "The file", content((String = "text/csv"))))
)]
#[get("/reports/{id}/report.csv")]
async fn saved_report_csv(
    state: web::Data<AppState>,
    user: Authorized<ReadReports>,
    id: web::Path<SavedReportId>,
    params: web::Query<CsvParams>,
) -> ApiResult<HttpResponse> {
    Ok(
        service::saved_file(&state, &user, *id, Some(ReportFormat::Csv), params.separator)
            .await?
            .into_response(),
    )
}

/// The saved report as an Excel workbook, byte-identical to the day it was made (or signed off).
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Saved report id")),
    responses((status = 200, description = "The file", content((FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))))
)]
#[get("/reports/{id}/report.xlsx")]
async fn saved_report_xlsx(
    state: web::Data<AppState>,
    user: Authorized<ReadReports>,
    id: web::Path<SavedReportId>,
) -> ApiResult<HttpResponse> {
    Ok(service::saved_file(&state, &user, *id, Some(ReportFormat::Xlsx), None)
        .await?
        .into_response())
}

/// The saved report as a printable page, byte-identical to the day it was made (or signed off).
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Saved report id")),
    responses((status = 200, description = "The file", content((String = "text/html"))))
)]
#[get("/reports/{id}/report.html")]
async fn saved_report_html(
    state: web::Data<AppState>,
    user: Authorized<ReadReports>,
    id: web::Path<SavedReportId>,
) -> ApiResult<HttpResponse> {
    Ok(service::saved_file(&state, &user, *id, Some(ReportFormat::Html), None)
        .await?
        .into_response())
}

/// The saved report as a PDF, byte-identical to the day it was made (or signed off).
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Saved report id")),
    responses((status = 200, description = "The file", content((FileBytes = "application/pdf"))))
)]
#[get("/reports/{id}/report.pdf")]
async fn saved_report_pdf(
    state: web::Data<AppState>,
    user: Authorized<ReadReports>,
    id: web::Path<SavedReportId>,
) -> ApiResult<HttpResponse> {
    Ok(service::saved_file(&state, &user, *id, Some(ReportFormat::Pdf), None)
        .await?
        .into_response())
}

/// Sign a saved report off for the board ("validé par le CA le …"): the sign-off is
/// printed in every format and the report never changes again.
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Saved report id")),
    request_body = SignOffRequest,
    responses((status = 200, body = SavedReport))
)]
#[post("/reports/{id}/sign-off")]
async fn sign_off_report(
    state: web::Data<AppState>,
    user: Authorized<SignOffReports>,
    id: web::Path<SavedReportId>,
    precondition: Precondition,
    body: Json<SignOffRequest>,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    let form = body.into_inner()?.into_form()?;
    let saved = service::sign_off(&state, &user, *id, expected, form).await?;
    Ok(endpoint::ok(&saved))
}

/// What changed between two saved reports of a plan: statuses, notes, deadlines that
/// slipped, actions added or removed.
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(
        ("id" = i64, Path, description = "Plan id"),
        ("a" = i64, Path, description = "The earlier saved report"),
        ("b" = i64, Path, description = "The later saved report")
    ),
    responses((status = 200, body = ReportDiff))
)]
#[get("/plans/{id}/reports/{a}/diff/{b}")]
async fn diff_saved_reports(
    state: web::Data<AppState>,
    _user: Authorized<ReadReports>,
    path: web::Path<(PlanId, SavedReportId, SavedReportId)>,
) -> ApiResult<HttpResponse> {
    let (plan, a, b) = path.into_inner();
    let mut conn = state.conn().await?;
    let before = SavedReport::snapshot(&mut conn, plan, a).await?;
    let after = SavedReport::snapshot(&mut conn, plan, b).await?;
    Ok(HttpResponse::Ok().json(diff(a.0, &before, b.0, &after)))
}
