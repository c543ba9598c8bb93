use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{LoginRequest, RefreshRequest, TokenResponse};
use super::service::{ClientAddress, bad_credentials, check_credentials};
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, ReadPlans};
use crate::auth::tokens;
use crate::error::ApiResult;
use crate::extract::Json;
use crate::state::AppState;
use crate::users::model::User;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(me);
}

/// Sign in. An unknown email and a wrong password get the same answer, in about the
/// same time. After 5 failures for an account from one address (or 20 from an address)
/// in 15 minutes, that address is refused with 429 and `Retry-After`; past 10 failures
/// for an account from anywhere, its attempts are spaced out (1 s, doubling, up to 60 s).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses((status = 200, body = TokenResponse))
)]
#[post("/auth/login")]
async fn login(state: web::Data<AppState>, from: ClientAddress, body: Json<LoginRequest>) -> ApiResult<HttpResponse> {
    let LoginRequest { email, password } = body.into_inner()?;
    let mut conn = state.conn().await?;
    let user = check_credentials(&state, &mut conn, &from, &email, &password).await?;
    let refresh_token = tokens::issue(&mut conn, user.id, None).await?;
    Ok(HttpResponse::Ok().json(TokenResponse::new(&state.jwt, user, refresh_token)?))
}

/// Exchange a refresh token for new tokens. Each refresh token works once: presenting
/// one again revokes every token of that sign-in.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse))
)]
#[post("/auth/refresh")]
async fn refresh(state: web::Data<AppState>, body: Json<RefreshRequest>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let (user_id, refresh_token) = tokens::rotate(&mut conn, &body.into_inner()?.refresh_token).await?;
    let user = User::read(&mut conn, user_id).await?;
    if !user.active {
        tokens::revoke_user(&mut conn, user_id).await?;
        return Err(bad_credentials());
    }
    Ok(HttpResponse::Ok().json(TokenResponse::new(&state.jwt, user, refresh_token)?))
}

/// Sign out: the refresh token and every token of the same sign-in stop working.
/// (Access tokens already issued expire by themselves within 15 minutes.)
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses((status = 204, description = "Signed out")))]
#[post("/auth/logout")]
async fn logout(state: web::Data<AppState>, body: Json<RefreshRequest>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    tokens::revoke(&mut conn, &body.into_inner()?.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user.
#[endpoint]
#[utoipa::path(tag = "auth", responses((status = 200, body = User)))]
#[get("/me")]
async fn me(state: web::Data<AppState>, user: Authorized<ReadPlans>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(User::read(&mut conn, user.id()).await?))
}
