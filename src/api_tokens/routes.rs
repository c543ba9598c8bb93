use actix_web::{HttpResponse, delete, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{CreateServiceAccount, CreateToken, CreatedToken};
use super::model::{self, ApiToken};
use planaction_macros::endpoint;

use crate::auth::AuthUser;
use crate::auth::authorized::{Authorized, Hidden, ManageUsers, ReadPlans};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::i18n::Text;
use crate::ids::{ApiTokenId, UserId};
use crate::security::permissions::Permission;
use crate::state::AppState;
use crate::users::model::User;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(my_tokens)
        .service(create_my_token)
        .service(revoke_token)
        .service(account_tokens)
        .service(create_account_token)
        .service(create_service_account);
}

/// A token never makes tokens: one that leaked would otherwise outlive its revocation.
fn signed_in_person(user: &AuthUser) -> ApiResult<()> {
    if user.token().is_none() {
        return Ok(());
    }
    Err(ApiError::Forbidden(Text::new(
        "Un jeton d'API ne crée pas d'autres jetons : connectez-vous (POST /api/v1/auth/login) pour en créer.",
        "An API token does not make other tokens: sign in (POST /api/v1/auth/login) to make one.",
    )))
}

fn created(token: ApiToken, secret: String) -> HttpResponse {
    HttpResponse::Created().json(CreatedToken {
        token: secret,
        api_token: token,
    })
}

/// Your API tokens (never their secrets), with their last use.
#[endpoint]
#[utoipa::path(tag = "tokens", responses((status = 200, body = [ApiToken])))]
#[get("/me/api-tokens")]
async fn my_tokens(state: web::Data<AppState>, user: Authorized<ReadPlans>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(ApiToken::of(&mut conn, user.id()).await?))
}

/// Make an API token for yourself: send it as `Authorization: Bearer pat_…` where a signed-in
/// person's token goes. It does what your role allows (`read`: GET requests only), until
/// `expires_on` (90 days by default, a year at most). Its secret is in this answer only.
/// Made after signing in, not with another token.
#[endpoint]
#[utoipa::path(tag = "tokens", request_body = CreateToken, responses((status = 201, body = CreatedToken)))]
#[post("/me/api-tokens")]
async fn create_my_token(
    state: web::Data<AppState>,
    user: Authorized<ReadPlans>,
    body: Json<CreateToken>,
) -> ApiResult<HttpResponse> {
    signed_in_person(&user)?;
    let form = body.into_inner()?.into_form()?;
    let mut conn = state.conn().await?;
    let owner = User::read(&mut conn, user.id()).await?;
    let (token, secret) = ApiToken::create(&mut conn, &user.actor(), &owner, form).await?;
    Ok(created(token, secret))
}

/// Revoke a token at once: your own, or any (the coordination). A token may revoke itself.
#[endpoint]
#[utoipa::path(tag = "tokens", params(("id" = i64, Path, description = "Token id")), responses((status = 204, description = "Revoked")))]
#[delete("/api-tokens/{id}")]
async fn revoke_token(
    state: web::Data<AppState>,
    user: Authorized<ReadPlans>,
    id: web::Path<ApiTokenId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let any = Permission::ManageUsers.allows(user.role());
    crate::write::revoke::revoke::<ApiToken>(&mut conn, &user.actor(), *id, any).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// An account's tokens (the coordination).
#[endpoint]
#[utoipa::path(tag = "tokens", params(("id" = i64, Path, description = "User id")), responses((status = 200, body = [ApiToken])))]
#[get("/users/{id}/api-tokens")]
async fn account_tokens(
    state: web::Data<AppState>,
    _user: Authorized<Hidden<ManageUsers>>,
    id: web::Path<UserId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    User::read(&mut conn, *id).await?;
    Ok(HttpResponse::Ok().json(ApiToken::of(&mut conn, *id).await?))
}

/// Make a token for a service account (the coordination): `never_expires: true` is the
/// coordination's consent to a token without an end. A person's account: 422 (they make
/// their own).
#[endpoint]
#[utoipa::path(
    tag = "tokens",
    params(("id" = i64, Path, description = "User id of a service account")),
    request_body = CreateToken,
    responses((status = 201, body = CreatedToken))
)]
#[post("/users/{id}/api-tokens")]
async fn create_account_token(
    state: web::Data<AppState>,
    user: Authorized<Hidden<ManageUsers>>,
    id: web::Path<UserId>,
    body: Json<CreateToken>,
) -> ApiResult<HttpResponse> {
    signed_in_person(&user)?;
    let form = body.into_inner()?.into_form()?;
    let mut conn = state.conn().await?;
    let owner = User::read(&mut conn, *id).await?;
    model::only_service_accounts(&owner)?;
    let (token, secret) = ApiToken::create(&mut conn, &user.actor(), &owner, form).await?;
    Ok(created(token, secret))
}

/// Make a service account (the coordination): an account that cannot sign in, for another
/// system; then make its tokens with `POST /users/{id}/api-tokens`. Deactivating it
/// (`PATCH /users/{id}`, `active: false`) stops its tokens at once.
#[endpoint]
#[utoipa::path(tag = "tokens", request_body = CreateServiceAccount, responses((status = 201, body = User)))]
#[post("/service-accounts")]
async fn create_service_account(
    state: web::Data<AppState>,
    user: Authorized<ManageUsers>,
    body: Json<CreateServiceAccount>,
) -> ApiResult<HttpResponse> {
    let (name, role, email) = body.into_inner()?.check()?;
    let mut conn = state.conn().await?;
    let account = model::create_service_account(&mut conn, &user.actor(), name, role, email).await?;
    Ok(crate::etag::created(
        format!("/api/v1/users/{}", account.id),
        account.version,
        &account,
    ))
}
