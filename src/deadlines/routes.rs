use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use utoipa::IntoParams;

use super::calendar::{CalendarEntry, calendar};
use super::dto::{CreateDeadline, UpdateDeadline};
use super::model::{Deadline, Owner};
use super::reading::parser::{self, ParsedDeadline, PlanContext};
use super::understanding;
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, EditPlans, ReadPlans};
use crate::auth::{AuthUser, Permission};
use crate::endpoint;
use crate::error::{ApiResult, ErrorCode};
use crate::etag::Precondition;
use crate::extract::Json;
use crate::ids::{ActionId, DeadlineId, ObjectiveId, PlanId};
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    // Before `/deadlines/{id}`, which would take "parse" for an id.
    cfg.service(parse_deadline)
        .service(plan_calendar)
        .service(list_action_deadlines)
        .service(create_action_deadline)
        .service(list_objective_deadlines)
        .service(create_objective_deadline)
        .service(get_deadline)
        .service(update_deadline)
        .service(delete_deadline);
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ParseParams {
    /// The label to read, as written.
    #[param(example = "Aut.13 - Hiver 14")]
    pub label: String,
    /// The plan whose period (and events) the label is read in; when absent, the fiscal
    /// year (July to June) that contains today.
    pub plan_id: Option<i64>,
}

/// Preview how a label will be understood before saving it.
#[endpoint]
#[utoipa::path(tag = "deadlines", params(ParseParams), responses((status = 200, body = ParsedDeadline, example = json!({
    "kind": "range",
    "periods": [{"start": "2013-09-22", "end": "2014-03-20"}],
    "frequency": null,
    "qualifier": null,
    "rendering": "de l'automne 2013 à l'hiver 2014",
    "outside_plan": false
}))))]
#[get("/deadlines/parse")]
async fn parse_deadline(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    params: web::Query<ParseParams>,
) -> ApiResult<HttpResponse> {
    let context = match params.plan_id {
        Some(plan_id) => {
            let mut conn = state.conn().await?;
            understanding::plan_context(&mut conn, crate::ids::PlanId(plan_id)).await?
        }
        None => fiscal_year_of(crate::clock::today()),
    };
    Ok(HttpResponse::Ok().json(parser::parse(&params.label, &context)))
}

/// July to June around `day`.
fn fiscal_year_of(day: NaiveDate) -> PlanContext {
    let first = if day.month() >= 7 { day.year() } else { day.year() - 1 };
    let start = NaiveDate::from_ymd_opt(first, 7, 1).unwrap_or(day);
    let end = NaiveDate::from_ymd_opt(first + 1, 6, 30).unwrap_or(day);
    PlanContext {
        start,
        end,
        events: Vec::new(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarParams {
    /// First day of the window (default: the plan's start).
    pub since: Option<NaiveDate>,
    /// Last day of the window (default: the plan's end).
    pub until: Option<NaiveDate>,
}

/// The deadlines of a plan that fall in a window (a period overlapping it), in order.
#[endpoint]
#[utoipa::path(
    tag = "deadlines",
    params(("id" = i64, Path, description = "Plan id"), CalendarParams),
    responses((status = 200, body = [CalendarEntry]))
)]
#[get("/plans/{id}/calendar")]
async fn plan_calendar(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<PlanId>,
    params: web::Query<CalendarParams>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let plan = understanding::plan_context(&mut conn, *id).await?;
    let from = params.since.unwrap_or(plan.start);
    let to = params.until.unwrap_or(plan.end);
    if to < from {
        return Err(crate::error::ApiError::invalid(
            "to",
            ErrorCode::BeforeStart,
            crate::i18n::Text::new(
                format!("La fin de la fenêtre ({to}) précède son début ({from})."),
                format!("The end of the window ({to}) comes before its start ({from})."),
            ),
        ));
    }
    Ok(HttpResponse::Ok().json(calendar(&mut conn, *id, from, to).await?))
}

async fn create(
    state: &AppState,
    user: &AuthUser,
    owner: Owner,
    body: Json<CreateDeadline>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::EditPlans)?;
    endpoint::create(state, user, body.into_inner()?.into_form(owner)?).await
}

async fn list(state: &AppState, user: &AuthUser, owner: Owner) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(Deadline::list(&mut conn, owner).await?))
}

/// The échéancier of an action, in order.
#[endpoint]
#[utoipa::path(tag = "deadlines", params(("id" = i64, Path, description = "Action id")), responses((status = 200, body = [Deadline])))]
#[get("/actions/{id}/deadlines")]
async fn list_action_deadlines(
    state: web::Data<AppState>,
    user: Authorized<ReadPlans>,
    id: web::Path<ActionId>,
) -> ApiResult<HttpResponse> {
    list(&state, &user, Owner::Action(*id)).await
}

/// Add a deadline to an action.
#[endpoint]
#[utoipa::path(
    tag = "deadlines",
    params(("id" = i64, Path, description = "Action id")),
    request_body = CreateDeadline,
    responses((status = 201, body = Deadline))
)]
#[post("/actions/{id}/deadlines")]
async fn create_action_deadline(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<ActionId>,
    body: Json<CreateDeadline>,
) -> ApiResult<HttpResponse> {
    create(&state, &user, Owner::Action(*id), body).await
}

/// The échéancier of an objective that has no action of its own, in order.
#[endpoint]
#[utoipa::path(tag = "deadlines", params(("id" = i64, Path, description = "Objective id")), responses((status = 200, body = [Deadline])))]
#[get("/objectives/{id}/deadlines")]
async fn list_objective_deadlines(
    state: web::Data<AppState>,
    user: Authorized<ReadPlans>,
    id: web::Path<ObjectiveId>,
) -> ApiResult<HttpResponse> {
    list(&state, &user, Owner::Objective(*id)).await
}

/// Add a deadline to an objective (for objectives without actions).
#[endpoint]
#[utoipa::path(
    tag = "deadlines",
    params(("id" = i64, Path, description = "Objective id")),
    request_body = CreateDeadline,
    responses((status = 201, body = Deadline))
)]
#[post("/objectives/{id}/deadlines")]
async fn create_objective_deadline(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<ObjectiveId>,
    body: Json<CreateDeadline>,
) -> ApiResult<HttpResponse> {
    create(&state, &user, Owner::Objective(*id), body).await
}

/// One deadline.
#[endpoint]
#[utoipa::path(tag = "deadlines", params(("id" = i64, Path, description = "Deadline id")), responses((status = 200, body = Deadline)))]
#[get("/deadlines/{id}")]
async fn get_deadline(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<DeadlineId>,
) -> ApiResult<HttpResponse> {
    Ok(endpoint::ok(&Deadline::read(&mut *state.conn().await?, *id).await?))
}

/// Rewrite a deadline's label or reorder it.
#[endpoint]
#[utoipa::path(
    tag = "deadlines",
    params(("id" = i64, Path, description = "Deadline id")),
    request_body = UpdateDeadline,
    responses((status = 200, body = Deadline))
)]
#[patch("/deadlines/{id}")]
async fn update_deadline(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<DeadlineId>,
    precondition: Precondition,
    body: Json<UpdateDeadline>,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    endpoint::update::<Deadline, _>(&state, &user, *id, expected, body.into_inner()?.into_form()?).await
}

/// Delete a deadline.
#[endpoint]
#[utoipa::path(tag = "deadlines", params(("id" = i64, Path, description = "Deadline id")), responses((status = 204, description = "Deleted")))]
#[delete("/deadlines/{id}")]
async fn delete_deadline(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<DeadlineId>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    endpoint::delete::<Deadline>(&state, &user, *id, precondition.expected()?).await
}
