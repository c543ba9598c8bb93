use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{EventBody, UpdateEvent};
use super::model::PlanEvent;
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, EditPlans, ReadPlans};
use crate::endpoint;
use crate::error::ApiResult;
use crate::etag::Precondition;
use crate::extract::Json;
use crate::ids::{EventId, PlanId};
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_events)
        .service(create_event)
        .service(get_event)
        .service(update_event)
        .service(delete_event);
}

/// The dated events of a plan, by date.
#[endpoint]
#[utoipa::path(tag = "deadlines", params(("id" = i64, Path, description = "Plan id")), responses((status = 200, body = [PlanEvent])))]
#[get("/plans/{id}/events")]
async fn list_events(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<PlanId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(PlanEvent::list(&mut conn, *id).await?))
}

/// Date an event of the plan: deadlines that name it ("AGA 2013") resolve to its date.
#[endpoint]
#[utoipa::path(
    tag = "deadlines",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = EventBody,
    responses((status = 201, body = PlanEvent))
)]
#[post("/plans/{id}/events")]
async fn create_event(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<PlanId>,
    body: Json<EventBody>,
) -> ApiResult<HttpResponse> {
    endpoint::create(&state, &user, body.into_inner()?.into_form(*id)?).await
}

/// One event.
#[endpoint]
#[utoipa::path(tag = "deadlines", params(("id" = i64, Path, description = "Event id")), responses((status = 200, body = PlanEvent)))]
#[get("/events/{id}")]
async fn get_event(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<EventId>,
) -> ApiResult<HttpResponse> {
    Ok(endpoint::ok(&PlanEvent::read(&mut *state.conn().await?, *id).await?))
}

/// Rename or re-date an event; the plan's deadlines are read again.
#[endpoint]
#[utoipa::path(
    tag = "deadlines",
    params(("id" = i64, Path, description = "Event id")),
    request_body = UpdateEvent,
    responses((status = 200, body = PlanEvent))
)]
#[patch("/events/{id}")]
async fn update_event(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<EventId>,
    precondition: Precondition,
    body: Json<UpdateEvent>,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    endpoint::update::<PlanEvent, _>(&state, &user, *id, expected, body.into_inner()?.into_form()?).await
}

/// Remove an event; deadlines naming it are events without a date again.
#[endpoint]
#[utoipa::path(tag = "deadlines", params(("id" = i64, Path, description = "Event id")), responses((status = 204, description = "Deleted")))]
#[delete("/events/{id}")]
async fn delete_event(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<EventId>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    endpoint::delete::<PlanEvent>(&state, &user, *id, precondition.expected()?).await
}
