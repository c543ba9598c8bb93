use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{CreateGlossaryEntry, UpdateGlossaryEntry};
use super::model::GlossaryEntry;
use crate::auth::{AuthUser, Permission};
use crate::error::ApiResult;
use crate::etag::{Precondition, created, ok};
use crate::extract::Json;
use crate::ids::{GlossaryEntryId, PlanId};
use crate::state::AppState;
use crate::write;

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
async fn list_glossary(state: web::Data<AppState>, user: AuthUser, id: web::Path<PlanId>) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    write::lookup::plan(&mut conn, *id).await?;
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
    id: web::Path<PlanId>,
    body: Json<CreateGlossaryEntry>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::EditPlans)?;
    let form = body.0.into_form(*id)?;
    let mut conn = state.conn().await?;
    let entry = write::create(&mut conn, &user.actor(), form).await?;
    Ok(created(format!("/api/v1/glossary/{}", entry.id), entry.version, &entry))
}

/// One acronym.
#[utoipa::path(tag = "glossary", params(("id" = i64, Path, description = "Glossary entry id")), responses((status = 200, body = GlossaryEntry)))]
#[get("/glossary/{id}")]
async fn get_glossary_entry(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<GlossaryEntryId>,
) -> ApiResult<HttpResponse> {
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
    id: web::Path<GlossaryEntryId>,
    precondition: Precondition,
    body: Json<UpdateGlossaryEntry>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::EditPlans)?;
    let expected = precondition.expected()?;
    let form = body.0.into_form()?;
    let mut conn = state.conn().await?;
    let entry: GlossaryEntry = write::update(&mut conn, &user.actor(), *id, expected, form).await?;
    Ok(ok(entry.version, &entry))
}

/// Remove an acronym.
#[utoipa::path(tag = "glossary", params(("id" = i64, Path, description = "Glossary entry id")), responses((status = 204, description = "Deleted")))]
#[delete("/glossary/{id}")]
async fn delete_glossary_entry(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<GlossaryEntryId>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    user.require(Permission::EditPlans)?;
    let expected = precondition.expected()?;
    let mut conn = state.conn().await?;
    write::delete::<GlossaryEntry>(&mut conn, &user.actor(), *id, expected).await?;
    Ok(HttpResponse::NoContent().finish())
}
