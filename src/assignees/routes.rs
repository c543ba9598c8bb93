use actix_web::{HttpResponse, delete, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::AddAssignee;
use super::model::{Assignee, Assignment, list};
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, EditPlans, ReadPlans};
use crate::error::ApiResult;
use crate::extract::Json;
use crate::ids::{ActionId, UserId};
use crate::state::AppState;
use crate::write;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_assignees)
        .service(add_assignee)
        .service(remove_assignee);
}

/// Who is responsible for reporting on an action.
#[endpoint]
#[utoipa::path(tag = "actions", params(("id" = i64, Path, description = "Action id")), responses((status = 200, body = [Assignee])))]
#[get("/actions/{id}/assignees")]
async fn list_assignees(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<ActionId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(list(&mut conn, *id).await?))
}

/// Assign an action to someone: they may then update its status.
#[endpoint]
#[utoipa::path(
    tag = "actions",
    params(("id" = i64, Path, description = "Action id")),
    request_body = AddAssignee,
    responses((status = 201, body = [Assignee], description = "The action's assignees now"))
)]
#[post("/actions/{id}/assignees")]
async fn add_assignee(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<ActionId>,
    body: Json<AddAssignee>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let assignment = Assignment {
        action_id: *id,
        user_id: body.into_inner()?.user_id,
    };
    write::link(&mut conn, &user.actor(), &assignment).await?;
    Ok(HttpResponse::Created().json(list(&mut conn, *id).await?))
}

/// Remove someone from an action's assignees.
#[endpoint]
#[utoipa::path(
    tag = "actions",
    params(("id" = i64, Path, description = "Action id"), ("user_id" = i64, Path, description = "User id")),
    responses((status = 204, description = "Removed"))
)]
#[delete("/actions/{id}/assignees/{user_id}")]
async fn remove_assignee(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    path: web::Path<(ActionId, UserId)>,
) -> ApiResult<HttpResponse> {
    let (action_id, user_id) = path.into_inner();
    let mut conn = state.conn().await?;
    write::unlink(&mut conn, &user.actor(), &Assignment { action_id, user_id }).await?;
    Ok(HttpResponse::NoContent().finish())
}
