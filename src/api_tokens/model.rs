use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::TokenForm;
use super::expiry::{self, Maker};
use crate::db::schema::{api_tokens, users};
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Text;
use crate::ids::{ApiTokenId, UserId};
use crate::security::passwords::NOT_CHOSEN;
use crate::security::permissions::Role;
use crate::security::token_secret::{self, TokenScope};
use crate::users::model::User;
use crate::write::{Actor, Change, record};

/// A token as lists show it: never its secret.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg))]
pub struct ApiToken {
    #[schema(value_type = i64)]
    pub id: ApiTokenId,
    /// Its owner: what the token may do is what this account's role allows.
    #[schema(value_type = i64)]
    pub user_id: UserId,
    pub name: String,
    pub scope: TokenScope,
    /// Its first characters, to recognize it (`pat_4gFfC3`).
    pub prefix: String,
    /// None: it never expires (a service account's, with the coordination's consent).
    pub expires_at: Option<DateTime<Utc>>,
    #[schema(value_type = Option<i64>)]
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    /// Its last use (kept at most once a minute), and from which address.
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_ip: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    /// An account's tokens, newest first (revoked and expired ones too, for the record).
    pub async fn of(conn: &mut AsyncPgConnection, owner: UserId) -> ApiResult<Vec<ApiToken>> {
        Ok(api_tokens::table
            .filter(api_tokens::user_id.eq(owner))
            .order(api_tokens::id.desc())
            .select(ApiToken::as_select())
            .load(conn)
            .await?)
    }

    /// Makes a token for `owner`; returns it with its secret, shown once. Its row and its
    /// audit row are written together.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        owner: &User,
        form: TokenForm,
    ) -> ApiResult<(ApiToken, String)> {
        let maker = Maker {
            for_service_account: owner.service_account,
            by_coordination: actor.role == Some(Role::Admin),
        };
        let last_day = expiry::last_day(form.asked, maker, crate::clock::today())?;
        let secret = token_secret::generate();
        let token = conn
            .transaction(async |conn| {
                let token: ApiToken = diesel::insert_into(api_tokens::table)
                    .values((
                        api_tokens::user_id.eq(owner.id),
                        api_tokens::name.eq(&form.name),
                        api_tokens::scope.eq(form.scope),
                        api_tokens::token_hash.eq(crate::auth::tokens::digest(&secret)),
                        api_tokens::prefix.eq(token_secret::shown_prefix(&secret)),
                        // It works until the end of its last day, Québec time.
                        api_tokens::expires_at
                            .eq(last_day.map(|d| crate::clock::start_of_day(d.succ_opt().unwrap_or(d)))),
                        api_tokens::created_by.eq(actor.user_id),
                    ))
                    .returning(ApiToken::as_returning())
                    .get_result(conn)
                    .await?;
                record(conn, actor, Change::created(Entity::ApiToken, token.id, None, &token)).await?;
                Ok::<_, ApiError>(token)
            })
            .await?;
        Ok((token, secret))
    }
}

// Revoked by its owner, or by the coordination (anyone else: 404).
crate::revocable!(ApiToken, ApiTokenId, api_tokens, ApiToken);

/// Makes a service account: it cannot sign in (no password is ever chosen for it, and no
/// invitation or reset link is sent to it), only its tokens call the API.
pub async fn create_service_account(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    name: String,
    role: Role,
    email: String,
) -> ApiResult<User> {
    conn.transaction(async |conn| {
        let user: User = diesel::insert_into(users::table)
            .values((
                users::email.eq(&email),
                users::display_name.eq(&name),
                users::role.eq(role),
                users::password_hash.eq(NOT_CHOSEN),
                users::service_account.eq(true),
            ))
            .returning(User::as_returning())
            .get_result(conn)
            .await?;
        record(conn, actor, Change::created(Entity::User, user.id, None, &user)).await?;
        Ok::<_, ApiError>(user)
    })
    .await
}

/// 422 unless `user` is a service account: a person makes their own tokens.
pub fn only_service_accounts(user: &User) -> ApiResult<()> {
    if user.service_account {
        return Ok(());
    }
    Err(ApiError::invalid(
        "id",
        crate::error::ErrorCode::Invalid,
        Text::new(
            "Ce compte est celui d'une personne : elle crée ses jetons elle-même (POST /api/v1/me/api-tokens). La coordination crée ceux des comptes de service.",
            "This account is a person's: they make their own tokens (POST /api/v1/me/api-tokens). The coordination makes those of service accounts.",
        ),
    ))
}
