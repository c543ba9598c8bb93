//! Refresh tokens: opaque, random, stored as SHA-256, rotated at each use.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::schema::{account_tokens, refresh_tokens, web_sessions};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Text;
use crate::ids::UserId;

pub const REFRESH_TTL_DAYS: i64 = 30;

pub(crate) fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn refused() -> ApiError {
    ApiError::Unauthorized(Text::new(
        "Jeton de renouvellement invalide, expiré ou déjà utilisé : reconnectez-vous.",
        "Refresh token invalid, expired or already used: sign in again.",
    ))
}

/// A new token in `family` (a new family for a sign-in).
pub async fn issue(conn: &mut AsyncPgConnection, user_id: UserId, family: Option<Uuid>) -> ApiResult<String> {
    let token = new_token();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family_id.eq(family.unwrap_or_else(Uuid::new_v4)),
            refresh_tokens::token_hash.eq(digest(&token)),
            refresh_tokens::expires_at.eq(Utc::now() + Duration::days(REFRESH_TTL_DAYS)),
        ))
        .execute(conn)
        .await?;
    Ok(token)
}

enum Rotation {
    Rotated { user_id: UserId, token: String },
    Refused,
}

/// Exchanges a token for a new one of the same family. A token used a second time
/// means it leaked: the whole family is revoked (the thief and the owner both sign in again).
pub async fn rotate(conn: &mut AsyncPgConnection, token: &str) -> ApiResult<(UserId, String)> {
    let hash = digest(token);
    let rotation = conn
        .transaction(async |conn| {
            type Row = (
                i64,
                UserId,
                Uuid,
                chrono::DateTime<Utc>,
                Option<chrono::DateTime<Utc>>,
                Option<chrono::DateTime<Utc>>,
            );
            let row: Option<Row> = refresh_tokens::table
                .filter(refresh_tokens::token_hash.eq(&hash))
                .select((
                    refresh_tokens::id,
                    refresh_tokens::user_id,
                    refresh_tokens::family_id,
                    refresh_tokens::expires_at,
                    refresh_tokens::used_at,
                    refresh_tokens::revoked_at,
                ))
                .for_update()
                .first(conn)
                .await
                .optional()?;
            let Some((id, user_id, family, expires_at, used_at, revoked_at)) = row else {
                return Ok::<_, ApiError>(Rotation::Refused);
            };
            if used_at.is_some() || revoked_at.is_some() {
                revoke_family(conn, family).await?;
                return Ok(Rotation::Refused);
            }
            if expires_at <= Utc::now() {
                return Ok(Rotation::Refused);
            }
            diesel::update(refresh_tokens::table.find(id))
                .set(refresh_tokens::used_at.eq(Utc::now()))
                .execute(conn)
                .await?;
            let token = issue(conn, user_id, Some(family)).await?;
            Ok(Rotation::Rotated { user_id, token })
        })
        .await?;
    match rotation {
        Rotation::Rotated { user_id, token } => Ok((user_id, token)),
        Rotation::Refused => Err(refused()),
    }
}

async fn revoke_family(conn: &mut AsyncPgConnection, family: Uuid) -> ApiResult<()> {
    diesel::update(refresh_tokens::table.filter(refresh_tokens::family_id.eq(family)))
        .filter(refresh_tokens::revoked_at.is_null())
        .set(refresh_tokens::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    Ok(())
}

/// Sign-out: revokes the token's family. Unknown tokens are ignored (sign-out is idempotent).
pub async fn revoke(conn: &mut AsyncPgConnection, token: &str) -> ApiResult<()> {
    let family: Option<Uuid> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(digest(token)))
        .select(refresh_tokens::family_id)
        .first(conn)
        .await
        .optional()?;
    if let Some(family) = family {
        revoke_family(conn, family).await?;
    }
    Ok(())
}

/// Every refresh token and browser session of a user (the account deactivated, or its
/// password changed).
pub async fn revoke_user(conn: &mut AsyncPgConnection, user_id: UserId) -> ApiResult<()> {
    diesel::update(refresh_tokens::table.filter(refresh_tokens::user_id.eq(user_id)))
        .filter(refresh_tokens::revoked_at.is_null())
        .set(refresh_tokens::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    // Its invitation and reset links die, and its browser sign-ins end too.
    diesel::update(account_tokens::table.filter(account_tokens::user_id.eq(user_id)))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::revoked_at.is_null())
        .set(account_tokens::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    diesel::delete(web_sessions::table.filter(web_sessions::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(digest(&a).len(), 64);
        assert_ne!(digest(&a), a);
    }
}
