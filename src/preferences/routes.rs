use actix_web::{HttpResponse, get, post, put, web};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{ChoosePreferences, Preferences, RoleDefaults, Unsubscribed, check_kinds};
use super::model::{self, MailFrequency};
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, ManageUsers, ReadPlans};
use crate::db::schema::users;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::i18n::Text;
use crate::ids::UserId;
use crate::security::permissions::Role;
use crate::state::AppState;
use crate::validation::Validator;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(my_preferences)
        .service(choose_preferences)
        .service(role_defaults)
        .service(set_role_defaults)
        .service(unsubscribe);
}

async fn read(conn: &mut diesel_async::AsyncPgConnection, user: UserId) -> ApiResult<Preferences> {
    let (language, reminder_days) = model::personal(conn, user).await?;
    Ok(Preferences {
        language,
        reminder_days,
        frequencies: model::frequencies(conn, user).await?,
    })
}

/// What you receive by email, and how: each kind at once, in a daily or weekly digest,
/// or never (a kind you did not choose follows your role's default); your mail's language;
/// how many days before an échéancier ends you are reminded.
#[endpoint]
#[utoipa::path(tag = "notifications", responses((status = 200, body = Preferences)))]
#[get("/me/notifications")]
async fn my_preferences(state: web::Data<AppState>, user: Authorized<ReadPlans>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(read(&mut conn, user.id()).await?))
}

/// Choose what you receive (all at once: a kind not named follows your role's default).
#[endpoint]
#[utoipa::path(
    tag = "notifications",
    request_body = ChoosePreferences,
    responses((status = 200, body = Preferences))
)]
#[put("/me/notifications")]
async fn choose_preferences(
    state: web::Data<AppState>,
    user: Authorized<ReadPlans>,
    body: Json<ChoosePreferences>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner()?;
    let mut v = Validator::new();
    let days = v.whole("reminder_days", body.reminder_days);
    v.finish()?;
    check_kinds(&body.frequencies)?;
    let mut conn = state.conn().await?;
    let id = user.id();
    conn.transaction(async |conn| {
        diesel::update(users::table.find(id))
            .set((users::language.eq(body.language.code()), users::reminder_days.eq(days)))
            .execute(conn)
            .await?;
        model::choose(conn, id, &body.frequencies).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(read(&mut conn, id).await?))
}

/// What each kind of mail does for a role's people who chose nothing.
#[endpoint]
#[utoipa::path(
    tag = "notifications",
    params(("role" = Role, Path, description = "admin, board, member or observer")),
    responses((status = 200, body = RoleDefaults))
)]
#[get("/notification-defaults/{role}")]
async fn role_defaults(
    state: web::Data<AppState>,
    _user: Authorized<ManageUsers>,
    role: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let role = parse_role(&role)?;
    let mut conn = state.conn().await?;
    let frequencies = model::role_defaults(&mut conn, role).await?;
    Ok(HttpResponse::Ok().json(RoleDefaults { frequencies }))
}

/// Set a role's defaults (a kind not named is sent at once).
#[endpoint]
#[utoipa::path(
    tag = "notifications",
    params(("role" = Role, Path, description = "admin, board, member or observer")),
    request_body = RoleDefaults,
    responses((status = 200, body = RoleDefaults))
)]
#[put("/notification-defaults/{role}")]
async fn set_role_defaults(
    state: web::Data<AppState>,
    _user: Authorized<ManageUsers>,
    role: web::Path<String>,
    body: Json<RoleDefaults>,
) -> ApiResult<HttpResponse> {
    let role = parse_role(&role)?;
    let body = body.into_inner()?;
    check_kinds(&body.frequencies)?;
    let mut conn = state.conn().await?;
    conn.transaction(async |conn| model::set_role_defaults(conn, role, &body.frequencies).await)
        .await?;
    let frequencies = model::role_defaults(&mut conn, role).await?;
    Ok(HttpResponse::Ok().json(RoleDefaults { frequencies }))
}

fn parse_role(role: &str) -> ApiResult<Role> {
    Role::parse(role).ok_or_else(|| {
        ApiError::Missing(Text::new(
            format!("« {role} » n'est pas un rôle : admin, board, member ou observer."),
            format!("\"{role}\" is not a role: admin, board, member or observer."),
        ))
    })
}

/// One-click unsubscribe (RFC 8058), the `List-Unsubscribe` link of a message: that kind
/// of mail stops for its recipient, without signing in. Whatever the body (mail clients
/// send `List-Unsubscribe=One-Click`); no redirection.
#[utoipa::path(
    tag = "notifications",
    params(("token" = String, Path, description = "The token of the message's link")),
    responses((status = 200, body = Unsubscribed))
)]
#[post("/unsubscribe/{token}")]
async fn unsubscribe(state: web::Data<AppState>, token: web::Path<String>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    match model::unsubscribe(&mut conn, &token).await? {
        Some(kind) => Ok(HttpResponse::Ok().json(Unsubscribed {
            kind,
            frequency: MailFrequency::Never,
        })),
        None => Err(unknown_link()),
    }
}

/// A link that is no sent message's.
pub fn unknown_link() -> ApiError {
    ApiError::Missing(Text::new(
        "Ce lien de désabonnement ne correspond à aucun message envoyé.",
        "This unsubscribe link is no sent message's.",
    ))
}
