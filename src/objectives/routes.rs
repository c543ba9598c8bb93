use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{CreateObjective, UpdateObjective};
use super::model::Objective;
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, EditPlans, ReadPlans};
use crate::endpoint;
use crate::error::ApiResult;
use crate::etag::Precondition;
use crate::extract::Json;
use crate::ids::{ObjectiveId, OrientationId};
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_objectives)
        .service(create_objective)
        .service(get_objective)
        .service(update_objective)
        .service(delete_objective);
}

/// The objectives of an orientation, in order.
#[endpoint]
#[utoipa::path(tag = "objectives", params(("id" = i64, Path, description = "Orientation id")), responses((status = 200, body = [Objective])))]
#[get("/orientations/{id}/objectives")]
async fn list_objectives(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<OrientationId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(Objective::list(&mut conn, *id).await?))
}

/// Add an objective to an orientation.
#[endpoint]
#[utoipa::path(
    tag = "objectives",
    params(("id" = i64, Path, description = "Orientation id")),
    request_body = CreateObjective,
    responses((status = 201, body = Objective))
)]
#[post("/orientations/{id}/objectives")]
async fn create_objective(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<OrientationId>,
    body: Json<CreateObjective>,
) -> ApiResult<HttpResponse> {
    endpoint::create(&state, &user, body.into_inner()?.into_form(*id)?).await
}

/// One objective.
#[endpoint]
#[utoipa::path(tag = "objectives", params(("id" = i64, Path, description = "Objective id")), responses((status = 200, body = Objective)))]
#[get("/objectives/{id}")]
async fn get_objective(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<ObjectiveId>,
) -> ApiResult<HttpResponse> {
    Ok(endpoint::ok(&Objective::read(&mut *state.conn().await?, *id).await?))
}

/// Rename an objective, reorder it, or move it to another orientation of the same plan.
#[endpoint]
#[utoipa::path(
    tag = "objectives",
    params(("id" = i64, Path, description = "Objective id")),
    request_body = UpdateObjective,
    responses((status = 200, body = Objective))
)]
#[patch("/objectives/{id}")]
async fn update_objective(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<ObjectiveId>,
    precondition: Precondition,
    body: Json<UpdateObjective>,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    endpoint::update::<Objective, _>(&state, &user, *id, expected, body.into_inner()?.into_form()?).await
}

/// Delete an objective with its actions and deadlines.
#[endpoint]
#[utoipa::path(tag = "objectives", params(("id" = i64, Path, description = "Objective id")), responses((status = 204, description = "Deleted")))]
#[delete("/objectives/{id}")]
async fn delete_objective(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<ObjectiveId>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    endpoint::delete::<Objective>(&state, &user, *id, precondition.expected()?).await
}
