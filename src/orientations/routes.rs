use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{CreateOrientation, UpdateOrientation};
use super::model::Orientation;
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, EditPlans, ReadPlans};
use crate::endpoint;
use crate::error::ApiResult;
use crate::etag::Precondition;
use crate::extract::Json;
use crate::ids::{OrientationId, PlanId};
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_orientations)
        .service(create_orientation)
        .service(get_orientation)
        .service(update_orientation)
        .service(delete_orientation);
}

/// The orientations of a plan, in order.
#[endpoint]
#[utoipa::path(tag = "orientations", params(("id" = i64, Path, description = "Plan id")), responses((status = 200, body = [Orientation])))]
#[get("/plans/{id}/orientations")]
async fn list_orientations(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<PlanId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(Orientation::list(&mut conn, *id).await?))
}

/// Add an orientation to a plan.
#[endpoint]
#[utoipa::path(
    tag = "orientations",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = CreateOrientation,
    responses((status = 201, body = Orientation))
)]
#[post("/plans/{id}/orientations")]
async fn create_orientation(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<PlanId>,
    body: Json<CreateOrientation>,
) -> ApiResult<HttpResponse> {
    endpoint::create(&state, &user, body.into_inner()?.into_form(*id)?).await
}

/// One orientation.
#[endpoint]
#[utoipa::path(tag = "orientations", params(("id" = i64, Path, description = "Orientation id")), responses((status = 200, body = Orientation)))]
#[get("/orientations/{id}")]
async fn get_orientation(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<OrientationId>,
) -> ApiResult<HttpResponse> {
    Ok(endpoint::ok(&Orientation::read(&mut *state.conn().await?, *id).await?))
}

/// Rename or renumber an orientation.
#[endpoint]
#[utoipa::path(
    tag = "orientations",
    params(("id" = i64, Path, description = "Orientation id")),
    request_body = UpdateOrientation,
    responses((status = 200, body = Orientation))
)]
#[patch("/orientations/{id}")]
async fn update_orientation(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<OrientationId>,
    precondition: Precondition,
    body: Json<UpdateOrientation>,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    endpoint::update::<Orientation, _>(&state, &user, *id, expected, body.into_inner()?.into_form()?).await
}

/// Delete an orientation with everything under it; the following ones are renumbered.
#[endpoint]
#[utoipa::path(tag = "orientations", params(("id" = i64, Path, description = "Orientation id")), responses((status = 204, description = "Deleted")))]
#[delete("/orientations/{id}")]
async fn delete_orientation(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<OrientationId>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    endpoint::delete::<Orientation>(&state, &user, *id, precondition.expected()?).await
}
