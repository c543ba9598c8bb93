//! Authentication happens once per request in a middleware (it needs the database);
//! handlers then take `AuthUser`, which is ready at once, so a missing or bad token is
//! always answered 401 before anything else about the request.

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::AUTHORIZATION;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use futures_util::future::{Ready, ready};

use crate::db::DbConn;
use crate::db::schema::{api_tokens, users};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Text;
use crate::ids::{ApiTokenId, UserId};
use crate::security::jwt::invalid_token;
use crate::security::limiter::client_address;
use crate::security::permissions::{Permission, Role};
use crate::security::token_secret::{self, TokenScope};
use crate::state::{AppState, with_request_conn};
use crate::write::Actor;

#[derive(Debug, Clone)]
enum Authentication {
    User {
        id: UserId,
        role: Role,
        token: Option<TokenGrant>,
    },
    Refused(Text),
    /// A read-only API token on a request that changes something: a 403.
    ReadOnly(Text),
    /// The database could not be asked: a 503, not the caller's fault.
    Unavailable(Text),
}

/// The `X-Request-Id` a client sent, if well-formed: 1 to 128 of `A-Za-z0-9._:-` (a UUID,
/// a trace id…). Anything else is dropped, never stored. Ours is always generated.
pub fn client_request_id(headers: &actix_web::http::header::HeaderMap) -> Option<String> {
    let value = headers.get("x-request-id")?.to_str().ok()?;
    lazy_regex::regex_is_match!(r"^[A-Za-z0-9._:-]{1,128}$", value).then(|| value.to_owned())
}

/// An API token a request came with: which one, and what it may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenGrant {
    pub id: ApiTokenId,
    pub scope: TokenScope,
}

/// The signed-in, active user making the request.
#[derive(Debug, Clone)]
pub struct AuthUser {
    id: UserId,
    role: Role,
    request_id: Option<String>,
    client_request_id: Option<String>,
    /// The API token the request came with (none for a JWT or a web session).
    token: Option<TokenGrant>,
}

impl AuthUser {
    /// The user of a browser session (the web page), checked by `web::session`.
    pub fn signed_in(id: UserId, role: Role, request_id: Option<String>) -> AuthUser {
        AuthUser {
            id,
            role,
            request_id,
            client_request_id: None,
            token: None,
        }
    }

    /// The API token of the request, if it came with one.
    pub fn token(&self) -> Option<TokenGrant> {
        self.token
    }

    pub fn id(&self) -> UserId {
        self.id
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// 403 unless the user's role has `permission`.
    pub fn require(&self, permission: Permission) -> ApiResult<()> {
        if permission.allows(self.role) {
            return Ok(());
        }
        let what = permission.describe();
        Err(ApiError::Forbidden(Text::new(
            format!("Votre rôle ({}) ne permet pas de {}.", self.role.label_fr(), what.fr),
            format!("Your role ({}) does not allow you to {}.", self.role.as_str(), what.en),
        )))
    }

    /// Like `require`, but answers 404 for `entity` `id`: the caller may not even learn it exists.
    pub fn require_or_hide(&self, permission: Permission, entity: crate::error::Entity, id: i64) -> ApiResult<()> {
        self.require(permission).map_err(|_| ApiError::not_found(entity, id))
    }

    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.id),
            role: Some(self.role),
            request_id: self.request_id.clone(),
            client_request_id: self.client_request_id.clone(),
            api_token_id: self.token.map(|t| t.id),
        }
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request_id = req
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(ToString::to_string);
        let client_request_id = client_request_id(req.headers());
        let result = match req.extensions().get::<Authentication>() {
            Some(Authentication::User { id, role, token }) => Ok(AuthUser {
                id: *id,
                role: *role,
                request_id,
                client_request_id,
                token: *token,
            }),
            Some(Authentication::Refused(reason)) => Err(ApiError::Unauthorized(reason.clone())),
            Some(Authentication::ReadOnly(reason)) => Err(ApiError::Forbidden(reason.clone())),
            Some(Authentication::Unavailable(cause)) => Err(ApiError::Unavailable(cause.clone())),
            None => Err(ApiError::Unauthorized(Text::new(
                "Connexion requise : envoyez « Authorization: Bearer <jeton> », obtenu avec POST /api/v1/auth/login.",
                "Sign-in required: send \"Authorization: Bearer <token>\", obtained with POST /api/v1/auth/login.",
            ))),
        };
        ready(result)
    }
}

/// The user a bearer token names and when it was issued, if it is valid (no database needed).
fn token_user(state: &AppState, header: &str) -> Result<(UserId, i64), Authentication> {
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim);
    let claims = match token.map(|t| state.jwt.verify(t)) {
        Some(Ok(claims)) => claims,
        Some(Err(ApiError::Unauthorized(reason))) => return Err(Authentication::Refused(reason)),
        _ => return Err(Authentication::Refused(invalid_reason())),
    };
    claims
        .sub
        .parse::<i64>()
        .map(|id| (UserId(id), claims.iat))
        .map_err(|_| Authentication::Refused(invalid_reason()))
}

/// The account's role, if it still exists, is active and has revoked no token since
/// `issued_at`: read at every request, so a deactivation takes effect at once.
async fn account(conn: &mut DbConn, id: UserId, issued_at: i64) -> Authentication {
    let account = users::table
        .find(id)
        .select((users::role, users::active, users::tokens_revoked_at))
        .first::<(Role, bool, Option<chrono::DateTime<chrono::Utc>>)>(conn)
        .await
        .optional();
    match account {
        // `iat` is in whole seconds: a token of the very second of the revocation passes,
        // so a sign-in right after a new password is not refused.
        Ok(Some((_, true, Some(revoked)))) if issued_at < revoked.timestamp() => Authentication::Refused(Text::new(
            "Ce jeton a été révoqué (mot de passe changé ou compte désactivé depuis) : reconnectez-vous.",
            "This token was revoked (the password changed or the account was deactivated since): sign in again.",
        )),
        Ok(Some((role, true, _))) => Authentication::User { id, role, token: None },
        Ok(Some((_, false, _))) => Authentication::Refused(Text::new(
            "Ce compte est désactivé. Adressez-vous à la coordination du RQDS.",
            "This account is deactivated. Contact the RQDS coordination.",
        )),
        Ok(None) => Authentication::Refused(invalid_reason()),
        Err(error) => Authentication::Unavailable(ApiError::from(error).unavailable_reason()),
    }
}

/// A token's id, scope and last use; its owner, role and whether the owner is active.
type TokenRow = (
    ApiTokenId,
    TokenScope,
    Option<chrono::DateTime<chrono::Utc>>,
    UserId,
    Role,
    bool,
);

fn token_refused() -> Text {
    Text::new(
        "Jeton d'API inconnu, expiré ou révoqué : créez-en un autre (POST /api/v1/me/api-tokens).",
        "API token unknown, expired or revoked: make another one (POST /api/v1/me/api-tokens).",
    )
}

/// The owner of a well-formed API token, with what the token may do: it is known, neither
/// expired nor revoked, and its owner is active. Its last use (time, address) is written at
/// most once a minute, not at every request.
async fn api_token(conn: &mut DbConn, token: &str, address: &str, safe: bool) -> Authentication {
    let now = chrono::Utc::now();
    let found = api_tokens::table
        .inner_join(users::table.on(users::id.eq(api_tokens::user_id)))
        .filter(api_tokens::token_hash.eq(crate::auth::tokens::digest(token)))
        .filter(api_tokens::revoked_at.is_null())
        .filter(api_tokens::expires_at.is_null().or(api_tokens::expires_at.gt(now)))
        .select((
            api_tokens::id,
            api_tokens::scope,
            api_tokens::last_used_at,
            users::id,
            users::role,
            users::active,
        ))
        .first::<TokenRow>(conn)
        .await
        .optional();
    let (token, scope, last_used, id, role) = match found {
        Ok(Some((token, scope, last_used, id, role, true))) => (token, scope, last_used, id, role),
        Ok(Some((.., false))) => {
            return Authentication::Refused(Text::new(
                "Le compte de ce jeton est désactivé : ses jetons ne valent plus.",
                "This token's account is deactivated: its tokens no longer work.",
            ));
        }
        Ok(None) => return Authentication::Refused(token_refused()),
        Err(error) => return Authentication::Unavailable(ApiError::from(error).unavailable_reason()),
    };
    if last_used.is_none_or(|at| now - at >= chrono::Duration::minutes(1)) {
        let used = diesel::update(api_tokens::table.find(token))
            .set((api_tokens::last_used_at.eq(now), api_tokens::last_used_ip.eq(address)))
            .execute(conn)
            .await;
        if let Err(error) = used {
            return Authentication::Unavailable(ApiError::from(error).unavailable_reason());
        }
    }
    if scope == TokenScope::Read && !safe {
        return Authentication::ReadOnly(Text::new(
            "Ce jeton d'API est en lecture seule (portée « read ») : il ne fait que des requêtes GET. Créez un jeton de portée « write » pour modifier.",
            "This API token is read-only (scope \"read\"): it makes GET requests only. Make a token of scope \"write\" to change things.",
        ));
    }
    Authentication::User {
        id,
        role,
        token: Some(TokenGrant { id: token, scope }),
    }
}

fn invalid_reason() -> Text {
    match invalid_token() {
        ApiError::Unauthorized(reason) => reason,
        _ => Text::new("Jeton d'accès invalide.", "Invalid access token."),
    }
}

/// Whether a body may follow the head: a length other than 0, or a chunked body.
pub fn may_have_body(headers: &actix_web::http::header::HeaderMap) -> bool {
    headers.contains_key(actix_web::http::header::TRANSFER_ENCODING)
        || headers
            .get(actix_web::http::header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0")
}

/// A bearer token, read without the database.
enum Credential<'a> {
    ApiToken(&'a str),
    /// The user and when the token was issued.
    Jwt(UserId, i64),
}

/// Middleware (`from_fn`): reads the bearer token, if any, and records who is calling.
pub async fn authentication(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("").to_owned());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(header), Some(state)) = (header, state) else {
        return next.call(req).await;
    };
    let bearer = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim)
        .unwrap_or_default();
    // What the token says before any database: an API token whose checksum holds (a typo
    // costs no query), or a JWT whose signature does.
    let credential = if bearer.starts_with(token_secret::PREFIX) {
        if token_secret::well_formed(bearer) {
            Ok(Credential::ApiToken(bearer))
        } else {
            Err(Authentication::Refused(token_refused()))
        }
    } else {
        token_user(&state, &header).map(|(id, issued_at)| Credential::Jwt(id, issued_at))
    };
    let authentication = match credential {
        Err(refused) => refused,
        Ok(credential) => match state.pooled_conn().await {
            Ok(mut conn) => {
                let authentication = match credential {
                    Credential::ApiToken(token) => {
                        let peer = req.peer_addr().map(|a| a.ip());
                        let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
                        let address = client_address(peer, forwarded, &state.trusted_proxies);
                        let safe = matches!(req.method().as_str(), "GET" | "HEAD" | "OPTIONS");
                        api_token(&mut conn, token, &address, safe).await
                    }
                    Credential::Jwt(id, issued_at) => account(&mut conn, id, issued_at).await,
                };
                if matches!(authentication, Authentication::User { .. }) && !may_have_body(req.headers()) {
                    req.extensions_mut().insert(authentication);
                    // The handler gets this connection back from `AppState::conn`.
                    return with_request_conn(conn, next.call(req)).await;
                }
                // A body is read after this, at the client's pace: the connection goes
                // back to the pool first, or a few slow senders would hold them all.
                authentication
            }
            Err(error) => Authentication::Unavailable(error.unavailable_reason()),
        },
    };
    req.extensions_mut().insert(authentication);
    next.call(req).await
}
