use actix_web::http::header::{ACCEPT, CONTENT_DISPOSITION};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::build::build;
use super::diff::{ReportDiff, diff};
use super::dto::{DownloadParams, ReportParams, SaveReport, SignOffRequest};
use super::load::load;
use super::model::ProgressReport;
use super::render::{ReportFile, ReportFormat, render};
use super::saved::{SavedReport, default_period};
use crate::auth::{AuthUser, Permission};
use crate::endpoint;
use crate::error::ApiResult;
use crate::etag::{Precondition, created};
use crate::extract::Json;
use crate::i18n::Text;
use crate::ids::{PlanId, SavedReportId};
use crate::state::AppState;
use crate::write::Versioned;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(progress_report)
        .service(save_report)
        .service(list_saved_reports)
        .service(get_saved_report)
        .service(download_saved_report)
        .service(sign_off_report)
        .service(diff_saved_reports);
}

fn accepted(req: &HttpRequest) -> Option<ReportFormat> {
    req.headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .and_then(ReportFormat::from_accept)
}

/// The monthly progress report: summary, what moved in the period, late actions, what
/// is coming up, and the plan table, with the statuses as they stood at `as_of` (from the
/// recorded history, not today's values).
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Plan id"), ReportParams),
    responses(
        (status = 200, description = "The report", content(
            (ProgressReport = "application/json"),
            (String = "text/csv", example = "\u{feff}Orientation,Objectif,Action,Organisation responsable,Échéancier,État d'avancement,Note,Progression,Dernier changement\n"),
            (ReportFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/html"),
            (ReportFile = "application/pdf")
        ))
    )
)]
#[get("/plans/{id}/reports/progress")]
async fn progress_report(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<PlanId>,
    params: web::Query<ReportParams>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::ProduceReports)?;
    let mut conn = state.conn().await?;
    let period = params.period(default_period(&mut conn, *id, crate::clock::today()).await?)?;
    let lang = params.lang.unwrap_or_default();
    let report = build(&load(&mut conn, *id, &period).await?, period, lang);
    let format = params.format.or_else(|| accepted(&req)).unwrap_or(ReportFormat::Json);
    let bytes = render(&report, format, lang)?;
    let filename = format!("rapport-{}.{}", period.to.format("%Y-%m"), format.as_str());
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\"")))
        .body(bytes))
}

/// Freeze the report of a period for a meeting: its JSON snapshot, SHA-256 fingerprint and
/// every format, downloadable later byte for byte.
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = SaveReport,
    responses((status = 201, body = SavedReport))
)]
#[post("/plans/{id}/reports")]
async fn save_report(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<PlanId>,
    body: Json<SaveReport>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::ProduceReports)?;
    let mut conn = state.conn().await?;
    let saved = SavedReport::save(&mut conn, &user.actor(), *id, body.into_inner()?).await?;
    Ok(created(saved.location(), saved.version, &saved))
}

/// The saved reports of a plan, latest period first.
#[utoipa::path(tag = "reports", params(("id" = i64, Path, description = "Plan id")), responses((status = 200, body = [SavedReport])))]
#[get("/plans/{id}/reports")]
async fn list_saved_reports(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<PlanId>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadReports)?;
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(SavedReport::list(&mut conn, *id).await?))
}

/// One saved report: period, fingerprint, sign-off.
#[utoipa::path(tag = "reports", params(("id" = i64, Path, description = "Saved report id")), responses((status = 200, body = SavedReport)))]
#[get("/reports/{id}")]
async fn get_saved_report(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SavedReportId>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadReports)?;
    Ok(endpoint::ok(&SavedReport::read(&mut *state.conn().await?, *id).await?))
}

/// Download a saved report, byte-identical to the day it was made (or signed off).
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Saved report id"), DownloadParams),
    responses((status = 200, description = "The file", content(
        (ProgressReport = "application/json"),
        (String = "text/csv"),
        (ReportFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/html"),
        (ReportFile = "application/pdf")
    )))
)]
#[get("/reports/{id}/download")]
async fn download_saved_report(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SavedReportId>,
    params: web::Query<DownloadParams>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadReports)?;
    let requested = params.format.as_deref().unwrap_or("json");
    let format = match requested {
        "snapshot" => None,
        other => Some(ReportFormat::parse(other).ok_or_else(|| {
            crate::error::ApiError::invalid(
                "format",
                "unknown_value",
                Text::new(
                    format!("Format « {other} » inconnu : {}, ou snapshot.", ReportFormat::names()),
                    format!("Unknown format \"{other}\": {}, or snapshot.", ReportFormat::names()),
                ),
            )
        })?),
    };
    let mut conn = state.conn().await?;
    let saved = SavedReport::read(&mut conn, *id).await?;
    let bytes = SavedReport::file(&mut conn, *id, format).await?;
    let (content_type, extension) = match format {
        Some(format) => (format.content_type(), format.as_str()),
        None => ("application/json", "snapshot.json"),
    };
    let filename = format!("rapport-{}-{}.{extension}", saved.period_to.format("%Y-%m"), saved.id);
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .insert_header(("X-Report-Fingerprint", saved.fingerprint))
        .body(bytes))
}

/// Sign a saved report off for the board ("validé par le CA le …"): the sign-off is
/// printed in every format and the report never changes again.
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Saved report id")),
    request_body = SignOffRequest,
    responses((status = 200, body = SavedReport))
)]
#[post("/reports/{id}/sign-off")]
async fn sign_off_report(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SavedReportId>,
    precondition: Precondition,
    body: Json<SignOffRequest>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::SignOffReports)?;
    let expected = precondition.expected()?;
    endpoint::update::<SavedReport, _>(&state, &user, *id, expected, body.into_inner()?.into_form()?).await
}

/// What changed between two saved reports of a plan: statuses, notes, deadlines that
/// slipped, actions added or removed.
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
    user: AuthUser,
    path: web::Path<(PlanId, SavedReportId, SavedReportId)>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadReports)?;
    let (plan, a, b) = path.into_inner();
    let mut conn = state.conn().await?;
    let before = SavedReport::snapshot(&mut conn, plan, a).await?;
    let after = SavedReport::snapshot(&mut conn, plan, b).await?;
    Ok(HttpResponse::Ok().json(diff(a.0, &before, b.0, &after)))
}
