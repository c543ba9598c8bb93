//! Single-use links (invitation, password reset). The row is written with the change that
//! asks for it; its token is drawn only when its mail is sent (`draw`), and only its
//! SHA-256 is stored: nothing in the database opens an account. A link works once, before
//! it expires, while its account is active and it was not revoked (`auth::tokens::revoke_user`
//! revokes an account's links with its sessions).

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::auth::tokens::{digest, new_token};
use crate::db::schema::{account_tokens, users};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Text;
use crate::ids::UserId;

crate::text_enum! {
    /// What a link is for.
    pub enum Purpose {
        Invitation => "invitation",
        PasswordReset => "password_reset",
    }
}

impl Purpose {
    /// How long a link works once sent: a week to accept an invitation, an hour to reset.
    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::Invitation => Duration::days(7),
            Purpose::PasswordReset => Duration::hours(1),
        }
    }
}

/// A new link for `user`, to be drawn when its mail is sent; returns its id.
pub async fn create(conn: &mut AsyncPgConnection, user: UserId, purpose: Purpose) -> ApiResult<i64> {
    Ok(diesel::insert_into(account_tokens::table)
        .values((account_tokens::user_id.eq(user), account_tokens::purpose.eq(purpose)))
        .returning(account_tokens::id)
        .get_result(conn)
        .await?)
}

/// A link being sent: the token in the mail, and until when it works.
pub struct Drawn {
    pub token: String,
    pub purpose: Purpose,
    pub expires_at: DateTime<Utc>,
}

/// Draws the token of link `id` as its mail goes out (a new one at each try: only the one
/// that reached its recipient was ever known); none when the link may no longer be used.
pub async fn draw(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<Option<Drawn>> {
    type Row = (Purpose, Option<DateTime<Utc>>, Option<DateTime<Utc>>);
    let row: Option<Row> = account_tokens::table
        .find(id)
        .select((
            account_tokens::purpose,
            account_tokens::used_at,
            account_tokens::revoked_at,
        ))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some((purpose, None, None)) = row else {
        return Ok(None);
    };
    let token = new_token();
    let expires_at = Utc::now() + purpose.lifetime();
    diesel::update(account_tokens::table.find(id))
        .set((
            account_tokens::token_hash.eq(digest(&token)),
            account_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(Some(Drawn {
        token,
        purpose,
        expires_at,
    }))
}

fn refused() -> ApiError {
    ApiError::BadRequest(Text::new(
        "Ce lien n'est pas valide : il a expiré, a déjà servi ou a été remplacé. Demandez-en un nouveau (« Mot de passe oublié » ou à la coordination).",
        "This link is not valid: it expired, was already used or was replaced. Ask for a new one (\"Forgot password\" or the coordination).",
    ))
}

/// Uses the link whose token is `token`, once: returns its account and what it was for.
/// Its other links of the same purpose die with it.
pub async fn consume(conn: &mut AsyncPgConnection, token: &str) -> ApiResult<(UserId, Purpose)> {
    let row: Option<(i64, UserId, Purpose, Option<DateTime<Utc>>)> = account_tokens::table
        .filter(account_tokens::token_hash.eq(digest(token)))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::revoked_at.is_null())
        .select((
            account_tokens::id,
            account_tokens::user_id,
            account_tokens::purpose,
            account_tokens::expires_at,
        ))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some((id, user, purpose, Some(expires_at))) = row else {
        return Err(refused());
    };
    let active: bool = users::table.find(user).select(users::active).first(conn).await?;
    if !active {
        return Err(refused());
    }
    if expires_at <= Utc::now() {
        return Err(refused());
    }
    diesel::update(account_tokens::table.find(id))
        .set(account_tokens::used_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    diesel::update(account_tokens::table.filter(account_tokens::user_id.eq(user)))
        .filter(account_tokens::purpose.eq(purpose))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::revoked_at.is_null())
        .set(account_tokens::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    Ok((user, purpose))
}
