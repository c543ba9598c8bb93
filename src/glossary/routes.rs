use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::{CreateGlossaryEntry, GlossaryEntry, UpdateGlossaryEntry};
use crate::auth::{AuthUser, Permission};
use crate::error::ApiResult;
use crate::etag::{Precondition, created, ok};
use crate::extract::Json;
use crate::plans::model::Plan;
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_glossary)
        .service(create_glossary_entry)
        .service(get_glossary_entry)
        .service(update_glossary_entry)
        .service(delete_glossary_entry);
}

/// The plan's acronyms, alphabetically.
#[utoipa::path(tag = "glossary", params(("id" = i64, Path, description = "Plan id")), responses((status = 200, body = [GlossaryEntry])))]
#[get("/plans/{id}/glossary")]
async fn list_glossary(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    Plan::read(&mut conn, *id).await?;
    Ok(HttpResponse::Ok().json(GlossaryEntry::list(&mut conn, *id).await?))
}

/// Add an acronym to the plan's list.
#[utoipa::path(
    tag = "glossary",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = CreateGlossaryEntry,
    responses((status = 201, body = GlossaryEntry))
)]
#[post("/plans/{id}/glossary")]
async fn create_glossary_entry(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: Json<CreateGlossaryEntry>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::EditPlans)?;
    let form = body.0.into_form(*id)?;
    let mut conn = state.conn().await?;
    let entry = GlossaryEntry::create(&mut conn, &user.actor(), &form).await?;
    Ok(created(format!("/api/v1/glossary/{}", entry.id), entry.version, &entry))
}

/// One acronym.
#[utoipa::path(tag = "glossary", params(("id" = i64, Path, description = "Glossary entry id")), responses((status = 200, body = GlossaryEntry)))]
#[get("/glossary/{id}")]
async fn get_glossary_entry(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    let entry = GlossaryEntry::read(&mut conn, *id).await?;
    Ok(ok(entry.version, &entry))
}

/// Change an acronym or its definition.
#[utoipa::path(
    tag = "glossary",
    params(("id" = i64, Path, description = "Glossary entry id")),
    request_body = UpdateGlossaryEntry,
    responses((status = 200, body = GlossaryEntry))
)]
#[patch("/glossary/{id}")]
async fn update_glossary_entry(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    precondition: Precondition,
    body: Json<UpdateGlossaryEntry>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::EditPlans)?;
    let expected = precondition.expected()?;
    let form = body.0.into_form()?;
    let mut conn = state.conn().await?;
    let entry = GlossaryEntry::update(&mut conn, &user.actor(), *id, expected, &form).await?;
    Ok(ok(entry.version, &entry))
}

/// Remove an acronym.
#[utoipa::path(tag = "glossary", params(("id" = i64, Path, description = "Glossary entry id")), responses((status = 204, description = "Deleted")))]
#[delete("/glossary/{id}")]
async fn delete_glossary_entry(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    user.require(Permission::EditPlans)?;
    let expected = precondition.expected()?;
    let mut conn = state.conn().await?;
    GlossaryEntry::delete(&mut conn, &user.actor(), *id, expected).await?;
    Ok(HttpResponse::NoContent().finish())
}
