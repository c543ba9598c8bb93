use std::time::Instant;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::extractor::AuthUser;
use super::jwt::ACCESS_TTL_MINUTES;
use super::permissions::Permission;
use super::tokens;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::i18n::Text;
use crate::state::AppState;
use crate::users::model::User;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(me);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "coordination@rqds.example", "password": "une phrase de passe assez longue"}))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "mZ4b0oQv1c3Xn3m2kq0Xj5x8b1HnK3z7QpS2Lr9dFhE"}))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Tokens for API calls: send `Authorization: Bearer <access_token>`; before it expires,
/// exchange `refresh_token` at `/auth/refresh` (each refresh token works once).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    "token_type": "Bearer",
    "expires_in": 900,
    "refresh_token": "mZ4b0oQv1c3Xn3m2kq0Xj5x8b1HnK3z7QpS2Lr9dFhE",
    "user": {"id": 1, "email": "coordination@rqds.example", "display_name": "Coordination", "role": "admin", "region": null, "active": true, "version": 1, "created_at": "2026-11-27T12:00:00Z", "updated_at": "2026-11-27T12:00:00Z"}
}))]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub refresh_token: String,
    pub user: User,
}

fn bad_credentials() -> ApiError {
    ApiError::Unauthorized(Text::new(
        "Courriel ou mot de passe invalide.",
        "Invalid email or password.",
    ))
}

fn tokens_for(state: &AppState, user: User, refresh_token: String) -> ApiResult<TokenResponse> {
    let (access_token, _) = state.jwt.issue(user.id.0, user.role, Utc::now())?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: ACCESS_TTL_MINUTES * 60,
        refresh_token,
        user,
    })
}

/// Sign in. An unknown email and a wrong password get the same answer, in about the
/// same time; after 5 failures for an account (or 20 from an address) in 15 minutes,
/// sign-ins are refused with 429 and `Retry-After`.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses((status = 200, body = TokenResponse))
)]
#[post("/auth/login")]
async fn login(state: web::Data<AppState>, req: HttpRequest, body: Json<LoginRequest>) -> ApiResult<HttpResponse> {
    let LoginRequest { email, password } = body.0;
    let address = req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
    state
        .limiter
        .check(&email, &address, Instant::now())
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let mut conn = state.conn().await?;
    let found = User::by_email(&mut conn, &email).await?;
    let matches = state
        .passwords
        .verify(&password, found.as_ref().map(|(_, hash)| hash.as_str()))
        .await?;
    match found {
        Some((user, _)) if matches && user.active => {
            state.limiter.record_success(&email);
            let refresh_token = tokens::issue(&mut conn, user.id, None).await?;
            Ok(HttpResponse::Ok().json(tokens_for(&state, user, refresh_token)?))
        }
        _ => {
            state.limiter.record_failure(&email, &address, Instant::now());
            Err(bad_credentials())
        }
    }
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
    let (user_id, refresh_token) = tokens::rotate(&mut conn, &body.0.refresh_token).await?;
    let user = User::read(&mut conn, user_id).await?;
    if !user.active {
        tokens::revoke_user(&mut conn, user_id).await?;
        return Err(bad_credentials());
    }
    Ok(HttpResponse::Ok().json(tokens_for(&state, user, refresh_token)?))
}

/// Sign out: the refresh token and every token of the same sign-in stop working.
/// (Access tokens already issued expire by themselves within 15 minutes.)
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses((status = 204, description = "Signed out")))]
#[post("/auth/logout")]
async fn logout(state: web::Data<AppState>, body: Json<RefreshRequest>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    tokens::revoke(&mut conn, &body.0.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user.
#[utoipa::path(tag = "auth", responses((status = 200, body = User)))]
#[get("/me")]
async fn me(user: AuthUser) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadPlans)?;
    Ok(HttpResponse::Ok().json(user.user))
}
