use actix_web::http::header::LOCATION;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::{CreateDeadline, Deadline, Owner, UpdateDeadline};
use crate::auth::{AuthUser, Permission};
use crate::error::ApiResult;
use crate::etag::{Precondition, created, ok};
use crate::extract::Json;
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_action_deadlines)
        .service(create_action_deadline)
        .service(list_objective_deadlines)
        .service(create_objective_deadline)
        .service(get_deadline)
        .service(update_deadline)
        .service(delete_deadline);
}

async fn create(state: &AppState, user: &AuthUser, owner: Owner, body: CreateDeadline) -> ApiResult<HttpResponse> {
    user.require(Permission::EditPlans)?;
    let (label, position) = body.validate()?;
    let mut conn = state.conn().await?;
    let new = Deadline::create(&mut conn, &user.actor(), owner, label, position).await?;
    let builder = HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/deadlines/{}", new.id)))
        .take();
    Ok(created(builder, new.version, &new))
}

async fn list(state: &AppState, user: &AuthUser, owner: Owner) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(Deadline::list(&mut conn, owner).await?))
}

/// The échéancier of an action, in order.
#[utoipa::path(tag = "deadlines", params(("id" = i64, Path, description = "Action id")), responses((status = 200, body = [Deadline])))]
#[get("/actions/{id}/deadlines")]
async fn list_action_deadlines(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    list(&state, &user, Owner::Action(*id)).await
}

/// Add a deadline to an action.
#[utoipa::path(
    tag = "deadlines",
    params(("id" = i64, Path, description = "Action id")),
    request_body = CreateDeadline,
    responses((status = 201, body = Deadline))
)]
#[post("/actions/{id}/deadlines")]
async fn create_action_deadline(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: Json<CreateDeadline>,
) -> ApiResult<HttpResponse> {
    create(&state, &user, Owner::Action(*id), body.0).await
}

/// The échéancier of an objective that has no action of its own, in order.
#[utoipa::path(tag = "deadlines", params(("id" = i64, Path, description = "Objective id")), responses((status = 200, body = [Deadline])))]
#[get("/objectives/{id}/deadlines")]
async fn list_objective_deadlines(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    list(&state, &user, Owner::Objective(*id)).await
}

/// Add a deadline to an objective (for objectives without actions).
#[utoipa::path(
    tag = "deadlines",
    params(("id" = i64, Path, description = "Objective id")),
    request_body = CreateDeadline,
    responses((status = 201, body = Deadline))
)]
#[post("/objectives/{id}/deadlines")]
async fn create_objective_deadline(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: Json<CreateDeadline>,
) -> ApiResult<HttpResponse> {
    create(&state, &user, Owner::Objective(*id), body.0).await
}

/// One deadline.
#[utoipa::path(tag = "deadlines", params(("id" = i64, Path, description = "Deadline id")), responses((status = 200, body = Deadline)))]
#[get("/deadlines/{id}")]
async fn get_deadline(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    let deadline = Deadline::read(&mut conn, *id).await?;
    Ok(ok(deadline.version, &deadline))
}

/// Rewrite a deadline's label or reorder it.
#[utoipa::path(
    tag = "deadlines",
    params(("id" = i64, Path, description = "Deadline id")),
    request_body = UpdateDeadline,
    responses((status = 200, body = Deadline))
)]
#[patch("/deadlines/{id}")]
async fn update_deadline(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    precondition: Precondition,
    body: Json<UpdateDeadline>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::EditPlans)?;
    let expected = precondition.expected()?;
    let (label, position) = body.0.validate()?;
    let mut conn = state.conn().await?;
    let deadline = Deadline::update(&mut conn, &user.actor(), *id, expected, label, position).await?;
    Ok(ok(deadline.version, &deadline))
}

/// Delete a deadline.
#[utoipa::path(tag = "deadlines", params(("id" = i64, Path, description = "Deadline id")), responses((status = 204, description = "Deleted")))]
#[delete("/deadlines/{id}")]
async fn delete_deadline(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    user.require(Permission::EditPlans)?;
    let expected = precondition.expected()?;
    let mut conn = state.conn().await?;
    Deadline::delete(&mut conn, &user.actor(), *id, expected).await?;
    Ok(HttpResponse::NoContent().finish())
}
