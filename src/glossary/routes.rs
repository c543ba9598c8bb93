use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{CreateGlossaryEntry, UpdateGlossaryEntry};
use super::model::GlossaryEntry;
use crate::auth::{AuthUser, Permission};
use crate::endpoint;
use crate::error::ApiResult;
use crate::etag::Precondition;
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
    endpoint::create(&state, &user, body.into_inner()?.into_form(*id)?).await
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
    Ok(endpoint::ok(
        &GlossaryEntry::read(&mut *state.conn().await?, *id).await?,
    ))
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
    endpoint::update::<GlossaryEntry, _>(&state, &user, *id, expected, body.into_inner()?.into_form()?).await
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
    endpoint::delete::<GlossaryEntry>(&state, &user, *id, precondition.expected()?).await
}
