use actix_web::{HttpResponse, delete, put, web};
use utoipa_actix_web::service_config::ServiceConfig;

use planaction_macros::endpoint;

use crate::actions::model::Action;
use crate::auth::AuthUser;
use crate::auth::authorized::{Authorized, ReadPlans};
use crate::error::ApiResult;
use crate::ids::ActionId;
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(follow_action).service(unfollow_action);
}

/// 204 once `user` follows the action (or no longer does); 404 for no action.
async fn set(state: &AppState, user: &AuthUser, id: ActionId, following: bool) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Action::read(&mut conn, id).await?;
    if following {
        super::follow(&mut conn, id, user.id()).await?;
    } else {
        super::unfollow(&mut conn, id, user.id()).await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Follow an action: its status updates, comments and échéancier changes are sent to you
/// (as your notification preferences say). Following it again changes nothing.
#[endpoint]
#[utoipa::path(
    tag = "actions",
    params(("id" = i64, Path, description = "Action id")),
    responses((status = 204, description = "You follow the action"))
)]
#[put("/actions/{id}/follow")]
async fn follow_action(
    state: web::Data<AppState>,
    user: Authorized<ReadPlans>,
    id: web::Path<ActionId>,
) -> ApiResult<HttpResponse> {
    set(&state, &user, *id, true).await
}

/// Stop following an action (assignees are still told of what they are assigned).
#[endpoint]
#[utoipa::path(
    tag = "actions",
    params(("id" = i64, Path, description = "Action id")),
    responses((status = 204, description = "You no longer follow the action"))
)]
#[delete("/actions/{id}/follow")]
async fn unfollow_action(
    state: web::Data<AppState>,
    user: Authorized<ReadPlans>,
    id: web::Path<ActionId>,
) -> ApiResult<HttpResponse> {
    set(&state, &user, *id, false).await
}
