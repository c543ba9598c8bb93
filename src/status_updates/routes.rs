use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{CreateStatusUpdate, StatusUpdateResult};
use super::service::record;
use planaction_macros::endpoint;

use crate::actions::history::{self, StatusUpdate};
use crate::auth::authorized::{Authorized, ReadPlans, UpdateAssignedStatus};
use crate::error::ApiResult;
use crate::etag::{Precondition, created};
use crate::extract::Json;
use crate::ids::ActionId;
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_status_updates).service(create_status_update);
}

/// The status history of an action, newest first.
#[endpoint]
#[utoipa::path(tag = "status updates", params(("id" = i64, Path, description = "Action id")), responses((status = 200, body = [StatusUpdate])))]
#[get("/actions/{id}/status-updates")]
async fn list_status_updates(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<ActionId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(history::list(&mut conn, *id).await?))
}

/// Record a status update: the action takes the new status (and note, progress) and one
/// history entry is appended. Needs `If-Match` with the action's ETag; the response's
/// ETag is the action's new one. Members may update only the actions assigned to them.
#[endpoint]
#[utoipa::path(
    tag = "status updates",
    params(("id" = i64, Path, description = "Action id")),
    request_body = CreateStatusUpdate,
    responses((status = 201, body = StatusUpdateResult))
)]
#[post("/actions/{id}/status-updates")]
async fn create_status_update(
    state: web::Data<AppState>,
    user: Authorized<UpdateAssignedStatus>,
    id: web::Path<ActionId>,
    precondition: Precondition,
    body: Json<CreateStatusUpdate>,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    let edit = body.into_inner()?.into_edit()?;
    let mut conn = state.conn().await?;
    let (action, status_update) = record(&mut conn, &user, *id, expected, edit).await?;
    Ok(created(
        format!("/api/v1/actions/{id}/status-updates"),
        action.version,
        &StatusUpdateResult { action, status_update },
    ))
}
