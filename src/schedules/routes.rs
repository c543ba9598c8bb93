use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{ScheduleBody, UpdateSchedule};
use super::model::ReportSchedule;
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, SaveReports};
use crate::endpoint;
use crate::error::ApiResult;
use crate::etag::Precondition;
use crate::extract::Json;
use crate::ids::{PlanId, ReportScheduleId};
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_plan_schedule)
        .service(create_schedule)
        .service(get_schedule)
        .service(update_schedule)
        .service(delete_schedule);
}

/// The plan's monthly report schedule (404 when it has none).
#[endpoint]
#[utoipa::path(tag = "reports", params(("id" = i64, Path, description = "Plan id")), responses((status = 200, body = ReportSchedule)))]
#[get("/plans/{id}/report-schedule")]
async fn get_plan_schedule(
    state: web::Data<AppState>,
    _user: Authorized<SaveReports>,
    id: web::Path<PlanId>,
) -> ApiResult<HttpResponse> {
    Ok(endpoint::ok(
        &ReportSchedule::for_plan(&mut *state.conn().await?, *id).await?,
    ))
}

/// Send the plan's report every month: on `day_of_month`, the previous month's report is
/// saved (as `POST /plans/{id}/reports` does) and the coordination and the board are asked
/// to sign it off; once signed off, its PDF and Excel files go to the recipients, with its
/// fingerprint. Nothing is sent twice for one month. 409 when the plan has a schedule.
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = ScheduleBody,
    responses((status = 201, body = ReportSchedule))
)]
#[post("/plans/{id}/report-schedule")]
async fn create_schedule(
    state: web::Data<AppState>,
    user: Authorized<SaveReports>,
    id: web::Path<PlanId>,
    body: Json<ScheduleBody>,
) -> ApiResult<HttpResponse> {
    endpoint::create(&state, &user, body.into_inner()?.into_form(*id)?).await
}

/// One monthly report schedule.
#[endpoint]
#[utoipa::path(tag = "reports", params(("id" = i64, Path, description = "Schedule id")), responses((status = 200, body = ReportSchedule)))]
#[get("/report-schedules/{id}")]
async fn get_schedule(
    state: web::Data<AppState>,
    _user: Authorized<SaveReports>,
    id: web::Path<ReportScheduleId>,
) -> ApiResult<HttpResponse> {
    Ok(endpoint::ok(
        &ReportSchedule::read(&mut *state.conn().await?, *id).await?,
    ))
}

/// Change the day, the recipients or the language; from the next report on.
#[endpoint]
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Schedule id")),
    request_body = UpdateSchedule,
    responses((status = 200, body = ReportSchedule))
)]
#[patch("/report-schedules/{id}")]
async fn update_schedule(
    state: web::Data<AppState>,
    user: Authorized<SaveReports>,
    id: web::Path<ReportScheduleId>,
    precondition: Precondition,
    body: Json<UpdateSchedule>,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    endpoint::update::<ReportSchedule, _>(&state, &user, *id, expected, body.into_inner()?.into_form()?).await
}

/// Stop sending the report: messages already queued for a signed-off report to an address
/// no longer listed are not sent.
#[endpoint]
#[utoipa::path(tag = "reports", params(("id" = i64, Path, description = "Schedule id")), responses((status = 204, description = "Deleted")))]
#[delete("/report-schedules/{id}")]
async fn delete_schedule(
    state: web::Data<AppState>,
    user: Authorized<SaveReports>,
    id: web::Path<ReportScheduleId>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    endpoint::delete::<ReportSchedule>(&state, &user, *id, precondition.expected()?).await
}
