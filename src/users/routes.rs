use actix_web::{HttpResponse, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{CreateUser, UpdateUser};
use super::model::User;
use planaction_macros::endpoint;

use crate::auth::Permission;
use crate::auth::authorized::{Authorized, Hidden, ManageUsers};
use crate::endpoint;
use crate::entity::Entity;
use crate::error::ApiResult;
use crate::etag::Precondition;
use crate::extract::Json;
use crate::ids::UserId;
use crate::security::permissions;
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user);
}

/// Every account.
#[endpoint]
#[utoipa::path(tag = "users", responses((status = 200, body = [User])))]
#[get("/users")]
async fn list_users(state: web::Data<AppState>, _user: Authorized<ManageUsers>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(User::list(&mut conn).await?))
}

/// Create an account (the password is hashed with argon2id; it is never shown again).
#[endpoint]
#[utoipa::path(tag = "users", request_body = CreateUser, responses((status = 201, body = User)))]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    user: Authorized<ManageUsers>,
    body: Json<CreateUser>,
) -> ApiResult<HttpResponse> {
    endpoint::create(&state, &user, body.into_inner()?.into_form(&state.passwords).await?).await
}

/// One account.
#[endpoint]
#[utoipa::path(tag = "users", params(("id" = i64, Path, description = "User id")), responses((status = 200, body = User)))]
#[get("/users/{id}")]
async fn get_user(
    state: web::Data<AppState>,
    user: Authorized<Hidden<ManageUsers>>,
    id: web::Path<UserId>,
) -> ApiResult<HttpResponse> {
    user.require_or_hide(Permission::ManageUsers, Entity::User, id.0)?;
    Ok(endpoint::ok(&User::read(&mut *state.conn().await?, *id).await?))
}

/// Change an account: name, role, region, password, or deactivate it (`active: false`),
/// which stops its tokens at once.
#[endpoint]
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    request_body = UpdateUser,
    responses((status = 200, body = User))
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    user: Authorized<Hidden<ManageUsers>>,
    id: web::Path<UserId>,
    precondition: Precondition,
    body: Json<UpdateUser>,
) -> ApiResult<HttpResponse> {
    user.require_or_hide(Permission::ManageUsers, Entity::User, id.0)?;
    let expected = precondition.expected()?;
    let change = body.into_inner()?;
    if *id == user.id() {
        permissions::keep_own_access(user.role(), change.role, change.active)?;
    }
    if change.password.is_some() {
        let mut conn = state.conn().await?;
        if User::read(&mut conn, *id).await?.service_account {
            return Err(crate::error::ApiError::invalid(
                "password",
                crate::error::ErrorCode::Invalid,
                crate::i18n::Text::new(
                    "Un compte de service ne se connecte pas : il appelle l'API avec des jetons (POST /api/v1/users/{id}/api-tokens).",
                    "A service account does not sign in: it calls the API with tokens (POST /api/v1/users/{id}/api-tokens).",
                ),
            ));
        }
    }
    let form = change.into_form(&state.passwords).await?;
    endpoint::update::<User, _>(&state, &user, *id, expected, form).await
}
