//! Browser sessions: a random token in an `HttpOnly`, `SameSite=Lax` cookie (`Secure` over
//! TLS), its SHA-256 in `web_sessions`, and a CSRF token that every form of the session
//! carries. A deactivated account's sessions end with its tokens (`auth::tokens::revoke_user`).

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::future::LocalBoxFuture;

use super::error::{WebError, WebResult};
use crate::auth::AuthUser;
use crate::auth::tokens::{digest, new_token};
use crate::db::schema::{users, web_sessions};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Lang, Text};
use crate::ids::UserId;
use crate::security::permissions::Role;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "planaction_session";
pub const LANG_COOKIE: &str = "planaction_lang";
/// Before sign-in there is no session: the sign-in form's CSRF token is a cookie of its own
/// that the form repeats (double submit).
pub const SIGN_IN_COOKIE: &str = "planaction_sign_in";
/// How long a browser stays signed in.
pub const SESSION_HOURS: i64 = 12;

/// The page's language: French, unless the visitor chose English with the switch (a cookie).
/// The browser's own language is not followed: the network works in French.
pub fn lang_of(req: &HttpRequest) -> Lang {
    req.cookie(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .unwrap_or_default()
}

/// A cookie of ours: never readable by scripts, not sent by other sites' forms, only over
/// TLS when the page is served over TLS (directly or behind a proxy that says so).
pub fn cookie(
    req: &HttpRequest,
    name: &'static str,
    value: String,
    max_age: Option<time::Duration>,
) -> Cookie<'static> {
    let mut cookie = Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(req.connection_info().scheme() == "https")
        .finish();
    if let Some(age) = max_age {
        cookie.set_max_age(age);
    }
    cookie
}

/// The same cookie, expired: the browser forgets it.
pub fn removal(req: &HttpRequest, name: &'static str) -> Cookie<'static> {
    let mut cookie = cookie(req, name, String::new(), Some(time::Duration::ZERO));
    cookie.make_removal();
    cookie
}

/// Opens a session for `user_id`: the cookie's token (only its digest is stored).
pub async fn open(conn: &mut AsyncPgConnection, user_id: UserId) -> ApiResult<String> {
    let token = new_token();
    diesel::delete(web_sessions::table.filter(web_sessions::expires_at.lt(Utc::now())))
        .execute(conn)
        .await?;
    diesel::insert_into(web_sessions::table)
        .values((
            web_sessions::token_hash.eq(digest(&token)),
            web_sessions::user_id.eq(user_id),
            web_sessions::csrf_token.eq(new_token()),
            web_sessions::expires_at.eq(Utc::now() + Duration::hours(SESSION_HOURS)),
        ))
        .execute(conn)
        .await?;
    Ok(token)
}

/// Ends the session of this cookie token, if any.
pub async fn close(conn: &mut AsyncPgConnection, token: &str) -> ApiResult<()> {
    diesel::delete(web_sessions::table.filter(web_sessions::token_hash.eq(digest(token))))
        .execute(conn)
        .await?;
    Ok(())
}

/// Equal strings, compared in a time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn forged() -> ApiError {
    ApiError::Forbidden(Text::new(
        "Ce formulaire a expiré ou ne vient pas de Planaction. Rechargez la page et recommencez.",
        "This form has expired or does not come from Planaction. Reload the page and try again.",
    ))
}

/// The signed-in visitor of a page.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub user: AuthUser,
    pub name: String,
    pub csrf: String,
    pub lang: Lang,
}

impl Visitor {
    pub fn role(&self) -> Role {
        self.user.role()
    }

    /// A form of this session (CSRF token) sent by someone allowed to do what it does.
    pub fn submitted(&self, csrf: &str, permission: crate::auth::Permission) -> WebResult<()> {
        self.check_form(csrf)?;
        Ok(self.user.require(permission)?)
    }

    /// Refuses a form that does not carry this session's CSRF token.
    pub fn check_form(&self, sent: &str) -> WebResult<()> {
        if same_secret(sent, &self.csrf) {
            Ok(())
        } else {
            Err(WebError::from(forged()))
        }
    }
}

async fn find(req: &HttpRequest) -> WebResult<Visitor> {
    let lang = lang_of(req);
    let next = if req.method() == actix_web::http::Method::GET {
        req.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned()
    } else {
        "/".to_owned()
    };
    let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
        return Err(WebError::SignIn { next });
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| WebError::from(ApiError::Internal(anyhow::anyhow!("no state"))))?;
    let mut conn = state.conn().await?;
    let found = web_sessions::table
        .inner_join(users::table)
        .filter(web_sessions::token_hash.eq(digest(&token)))
        .filter(web_sessions::expires_at.gt(Utc::now()))
        .filter(users::active.eq(true))
        .select((users::id, users::role, users::display_name, web_sessions::csrf_token))
        .first::<(UserId, Role, String, String)>(&mut conn)
        .await
        .optional()
        .map_err(ApiError::from)?;
    let Some((id, role, name, csrf)) = found else {
        return Err(WebError::SignIn { next });
    };
    let request_id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(ToString::to_string);
    Ok(Visitor {
        user: AuthUser::signed_in(id, role, request_id),
        name,
        csrf,
        lang,
    })
}

impl FromRequest for Visitor {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, WebResult<Visitor>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { find(&req).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", "a"));
    }
}
