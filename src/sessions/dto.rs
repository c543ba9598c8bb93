use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::security::jwt::{ACCESS_TTL_MINUTES, JwtKeys};
use crate::users::model::User;

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

impl TokenResponse {
    /// A new access token for `user`, with the refresh token just issued.
    pub fn new(jwt: &JwtKeys, user: User, refresh_token: String) -> ApiResult<TokenResponse> {
        let (access_token, _) = jwt.issue(user.id.0, user.role, Utc::now())?;
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: ACCESS_TTL_MINUTES * 60,
            refresh_token,
            user,
        })
    }
}
