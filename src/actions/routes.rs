use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{ActionListParams, ActionPage, CreateAction, UpdateAction};
use super::model::Action;
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, EditPlans, ReadPlans};
use crate::endpoint;
use crate::error::ApiResult;
use crate::etag::Precondition;
use crate::extract::Json;
use crate::ids::{ActionId, ObjectiveId};
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(search_actions)
        .service(list_actions)
        .service(create_action)
        .service(get_action)
        .service(update_action)
        .service(delete_action)
        .service(super::lineage::action_lineage);
}

/// Find actions across plans: by plan, orientation, objective, status, and text
/// (case- and accent-insensitive), one page at a time, in plan order.
#[endpoint]
#[utoipa::path(tag = "actions", params(ActionListParams), responses((status = 200, body = ActionPage)))]
#[get("/actions")]
async fn search_actions(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    params: web::Query<ActionListParams>,
) -> ApiResult<HttpResponse> {
    let query = params.into_inner().into_query()?;
    let mut conn = state.conn().await?;
    let (items, total) = Action::search(&mut conn, &query).await?;
    Ok(HttpResponse::Ok().json(ActionPage {
        items,
        total,
        limit: query.limit,
        offset: query.offset,
    }))
}

/// The actions of an objective, in order.
#[endpoint]
#[utoipa::path(tag = "actions", params(("id" = i64, Path, description = "Objective id")), responses((status = 200, body = [Action])))]
#[get("/objectives/{id}/actions")]
async fn list_actions(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<ObjectiveId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(Action::list(&mut conn, *id).await?))
}

/// Add an action to an objective (its first status history entry is written too).
#[endpoint]
#[utoipa::path(
    tag = "actions",
    params(("id" = i64, Path, description = "Objective id")),
    request_body = CreateAction,
    responses((status = 201, body = Action))
)]
#[post("/objectives/{id}/actions")]
async fn create_action(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<ObjectiveId>,
    body: Json<CreateAction>,
) -> ApiResult<HttpResponse> {
    endpoint::create(&state, &user, body.into_inner()?.into_form(*id)?).await
}

/// One action.
#[endpoint]
#[utoipa::path(tag = "actions", params(("id" = i64, Path, description = "Action id")), responses((status = 200, body = Action)))]
#[get("/actions/{id}")]
async fn get_action(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<ActionId>,
) -> ApiResult<HttpResponse> {
    Ok(endpoint::ok(&Action::read(&mut *state.conn().await?, *id).await?))
}

/// Change an action: title, responsible organization, status, note and progress (which
/// go into its status history, as a status update would), or its place (up/down, or to
/// another objective of the same plan).
#[endpoint]
#[utoipa::path(
    tag = "actions",
    params(("id" = i64, Path, description = "Action id")),
    request_body = UpdateAction,
    responses((status = 200, body = Action))
)]
#[patch("/actions/{id}")]
async fn update_action(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<ActionId>,
    precondition: Precondition,
    body: Json<UpdateAction>,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    endpoint::update::<Action, _>(&state, &user, *id, expected, body.into_inner()?.into_form()?).await
}

/// Delete an action with its deadlines, history and comments (the audit trail keeps them).
#[endpoint]
#[utoipa::path(tag = "actions", params(("id" = i64, Path, description = "Action id")), responses((status = 204, description = "Deleted")))]
#[delete("/actions/{id}")]
async fn delete_action(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<ActionId>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    endpoint::delete::<Action>(&state, &user, *id, precondition.expected()?).await
}
