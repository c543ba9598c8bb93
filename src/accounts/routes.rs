use actix_web::{HttpResponse, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{ChangePassword, InvitationBody, ResetRequest, SetPassword};
use super::service;
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, ManageUsers, ReadPlans};
use crate::error::ApiResult;
use crate::etag;
use crate::extract::Json;
use crate::sessions::dto::TokenResponse;
use crate::sessions::service::ClientAddress;
use crate::state::AppState;
use crate::users::model::User;
use crate::write::Versioned;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(invite)
        .service(request_reset)
        .service(set_password)
        .service(change_password);
}

/// Invite someone: their account is created without a password, and they receive by
/// email a link, valid 7 days and once, to choose it. Until then no password opens it,
/// but actions may already be assigned to them.
#[endpoint]
#[utoipa::path(tag = "users", request_body = InvitationBody, responses((status = 201, body = User)))]
#[post("/invitations")]
async fn invite(
    state: web::Data<AppState>,
    user: Authorized<ManageUsers>,
    body: Json<InvitationBody>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let row = service::invite(&mut conn, &user.actor(), body.into_inner()?).await?;
    Ok(etag::created(row.location(), row.version(), &row))
}

/// Forgotten password: a link to choose a new one, valid 1 hour and once, is sent to the
/// address if it is an active account's. The answer is the same whether it is or not;
/// requests are limited as sign-in attempts are (429 with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    request_body = ResetRequest,
    responses((status = 202, description = "If the address is an account's, a link is on its way"))
)]
#[post("/auth/password-reset")]
async fn request_reset(
    state: web::Data<AppState>,
    from: ClientAddress,
    body: Json<ResetRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    service::request_reset(&state, &mut conn, &from, body.into_inner()?).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Choose a password with the token of an invitation or reset link. The link dies; the
/// account's other sessions end; the answer signs it in.
#[utoipa::path(tag = "auth", request_body = SetPassword, responses((status = 200, body = TokenResponse)))]
#[post("/auth/password")]
async fn set_password(state: web::Data<AppState>, body: Json<SetPassword>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(service::set_password(&state, &mut conn, body.into_inner()?).await?))
}

/// Change your password (the current one is required, and counted as a sign-in attempt).
/// Every other session and refresh token of the account ends; the answer holds new ones.
#[endpoint]
#[utoipa::path(tag = "auth", request_body = ChangePassword, responses((status = 200, body = TokenResponse)))]
#[put("/me/password")]
async fn change_password(
    state: web::Data<AppState>,
    user: Authorized<ReadPlans>,
    from: ClientAddress,
    body: Json<ChangePassword>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let tokens = service::change_password(&state, &mut conn, &from, user.id(), body.into_inner()?).await?;
    Ok(HttpResponse::Ok().json(tokens))
}
