use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{CreateGlossaryEntry, UpdateGlossaryEntry};
use super::model::GlossaryEntry;
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, EditPlans, ReadPlans};
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
#[endpoint]
#[utoipa::path(tag = "glossary", params(("id" = i64, Path, description = "Plan id")), responses((status = 200, body = [GlossaryEntry])))]
#[get("/plans/{id}/glossary")]
async fn list_glossary(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<PlanId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    write::lookup::plan(&mut conn, *id).await?;
    Ok(HttpResponse::Ok().json(GlossaryEntry::list(&mut conn, *id).await?))
}

/// Add an acronym to the plan's list.
#[endpoint]
#[utoipa::path(
    tag = "glossary",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = CreateGlossaryEntry,
    responses((status = 201, body = GlossaryEntry))
)]
#[post("/plans/{id}/glossary")]
async fn create_glossary_entry(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<PlanId>,
    body: Json<CreateGlossaryEntry>,
) -> ApiResult<HttpResponse> {
    endpoint::create(&state, &user, body.into_inner()?.into_form(*id)?).await
}

/// One acronym.
#[endpoint]
#[utoipa::path(tag = "glossary", params(("id" = i64, Path, description = "Glossary entry id")), responses((status = 200, body = GlossaryEntry)))]
#[get("/glossary/{id}")]
async fn get_glossary_entry(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<GlossaryEntryId>,
) -> ApiResult<HttpResponse> {
    Ok(endpoint::ok(
        &GlossaryEntry::read(&mut *state.conn().await?, *id).await?,
    ))
}

/// Change an acronym or its definition.
#[endpoint]
#[utoipa::path(
    tag = "glossary",
    params(("id" = i64, Path, description = "Glossary entry id")),
    request_body = UpdateGlossaryEntry,
    responses((status = 200, body = GlossaryEntry))
)]
#[patch("/glossary/{id}")]
async fn update_glossary_entry(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<GlossaryEntryId>,
    precondition: Precondition,
    body: Json<UpdateGlossaryEntry>,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    endpoint::update::<GlossaryEntry, _>(&state, &user, *id, expected, body.into_inner()?.into_form()?).await
}

/// Remove an acronym.
#[endpoint]
#[utoipa::path(tag = "glossary", params(("id" = i64, Path, description = "Glossary entry id")), responses((status = 204, description = "Deleted")))]
#[delete("/glossary/{id}")]
async fn delete_glossary_entry(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<GlossaryEntryId>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    endpoint::delete::<GlossaryEntry>(&state, &user, *id, precondition.expected()?).await
}
