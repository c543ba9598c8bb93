use actix_web::http::header::LOCATION;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{CreateOrientation, UpdateOrientation};
use super::model::Orientation;
use crate::error::ApiResult;
use crate::extract::Json;
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_orientations)
        .service(create_orientation)
        .service(get_orientation)
        .service(update_orientation)
        .service(delete_orientation);
}

/// The orientations of a plan, in order.
#[utoipa::path(tag = "orientations", params(("id" = i64, Path, description = "Plan id")), responses((status = 200, body = [Orientation])))]
#[get("/plans/{id}/orientations")]
async fn list_orientations(state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(Orientation::list(&mut conn, *id).await?))
}

/// Add an orientation to a plan.
#[utoipa::path(
    tag = "orientations",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = CreateOrientation,
    responses((status = 201, body = Orientation))
)]
#[post("/plans/{id}/orientations")]
async fn create_orientation(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<CreateOrientation>,
) -> ApiResult<HttpResponse> {
    let (title, position) = body.0.validate()?;
    let mut conn = state.conn().await?;
    let created = Orientation::create(&mut conn, *id, title, position).await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/orientations/{}", created.id)))
        .json(created))
}

/// One orientation.
#[utoipa::path(tag = "orientations", params(("id" = i64, Path, description = "Orientation id")), responses((status = 200, body = Orientation)))]
#[get("/orientations/{id}")]
async fn get_orientation(state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(Orientation::read(&mut conn, *id).await?))
}

/// Rename or renumber an orientation.
#[utoipa::path(
    tag = "orientations",
    params(("id" = i64, Path, description = "Orientation id")),
    request_body = UpdateOrientation,
    responses((status = 200, body = Orientation))
)]
#[patch("/orientations/{id}")]
async fn update_orientation(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<UpdateOrientation>,
) -> ApiResult<HttpResponse> {
    let (title, position) = body.0.validate()?;
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(Orientation::update(&mut conn, *id, title, position).await?))
}

/// Delete an orientation with everything under it; the following ones are renumbered.
#[utoipa::path(tag = "orientations", params(("id" = i64, Path, description = "Orientation id")), responses((status = 204, description = "Deleted")))]
#[delete("/orientations/{id}")]
async fn delete_orientation(state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Orientation::delete(&mut conn, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
