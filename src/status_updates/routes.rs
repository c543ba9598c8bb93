use actix_web::{HttpResponse, get, post, web};
use diesel_async::AsyncPgConnection;
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{CreateStatusUpdate, StatusUpdateResult};
use crate::actions::history::{self, StatusUpdate};
use crate::actions::model::{Action, ActionEdit};
use crate::assignees::model::is_assigned;
use crate::auth::{AuthUser, Permission};
use crate::error::{ApiError, ApiResult};
use crate::etag::{IfMatch, Precondition, created};
use crate::extract::Json;
use crate::i18n::Text;
use crate::ids::ActionId;
use crate::state::AppState;
use crate::write::{self, lookup};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_status_updates).service(create_status_update);
}

/// The status history of an action, newest first.
#[utoipa::path(tag = "status updates", params(("id" = i64, Path, description = "Action id")), responses((status = 200, body = [StatusUpdate])))]
#[get("/actions/{id}/status-updates")]
async fn list_status_updates(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<ActionId>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(history::list(&mut conn, *id).await?))
}

/// Record a status update: the action takes the new status (and note, progress) and one
/// history entry is appended. Needs `If-Match` with the action's ETag; the response's
/// ETag is the action's new one. Members may update only the actions assigned to them.
#[utoipa::path(
    tag = "status updates",
    params(("id" = i64, Path, description = "Action id")),
    request_body = CreateStatusUpdate,
    responses((status = 201, body = StatusUpdateResult))
)]
#[post("/actions/{id}/status-updates")]
async fn create_status_update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<ActionId>,
    precondition: Precondition,
    body: Json<CreateStatusUpdate>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::UpdateAssignedStatus)?;
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

/// Whether `user` may record a status update on this action: anyone who may update every
/// action, else only the people it is assigned to. 404 for an action that does not exist.
pub async fn may_update(conn: &mut AsyncPgConnection, user: &AuthUser, id: ActionId) -> ApiResult<bool> {
    if !Permission::UpdateAssignedStatus.allows(user.role()) {
        return Ok(false);
    }
    if Permission::UpdateAnyStatus.allows(user.role()) {
        return Ok(true);
    }
    if is_assigned(conn, id, user.id()).await? {
        return Ok(true);
    }
    lookup::plan_of_action(conn, id).await?;
    Ok(false)
}

/// Records a status update on action `id` read at `expected` (the API and the web page).
pub async fn record(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: ActionId,
    expected: IfMatch,
    edit: ActionEdit,
) -> ApiResult<(Action, StatusUpdate)> {
    user.require(Permission::UpdateAssignedStatus)?;
    if !may_update(conn, user, id).await? {
        return Err(ApiError::Forbidden(Text::new(
            "Cette action ne vous est pas assignée : seules les personnes responsables d'une action en mettent l'état à jour.",
            "This action is not assigned to you: only the people responsible for an action update its status.",
        )));
    }
    let (action, entry) = write::update_returning::<Action, _>(conn, &user.actor(), id, expected, edit).await?;
    let status_update = entry.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a status update wrote no history")))?;
    Ok((action, status_update))
}
