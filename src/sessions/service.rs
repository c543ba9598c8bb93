//! Signing in with a password, under the limits on failures: the API's login and the
//! page's sign-in form both come here, so they count the same failures.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use diesel_async::AsyncPgConnection;
use futures_util::future::{Ready, ready};

use super::attempts;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Text;
use crate::security::limiter::client_address;
use crate::state::AppState;
use crate::users::model::User;

/// The address a request comes from, as the sign-in limits count it: the peer, or the
/// address a trusted proxy forwarded.
pub struct ClientAddress(pub String);

impl FromRequest for ClientAddress {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let forwarded_for = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
        let trusted = req
            .app_data::<web::Data<AppState>>()
            .map(|state| state.trusted_proxies.clone())
            .unwrap_or_default();
        let address = client_address(req.peer_addr().map(|a| a.ip()), forwarded_for, &trusted);
        ready(Ok(ClientAddress(address)))
    }
}

pub fn bad_credentials() -> ApiError {
    ApiError::Unauthorized(Text::new(
        "Courriel ou mot de passe invalide.",
        "Invalid email or password.",
    ))
}

/// The active account these credentials open, under the sign-in limits.
pub async fn check_credentials(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    from: &ClientAddress,
    email: &str,
    password: &str,
) -> ApiResult<User> {
    let address = &from.0;
    let account = attempts::account_key(email);
    let reservation = attempts::reserve(conn, &state.sign_in_limits, &account, address).await?;
    let found = User::by_email(conn, email).await?;
    let matches = state
        .passwords
        .verify(password, found.as_ref().map(|(_, hash)| hash.as_str()))
        .await?;
    match found {
        Some((user, _)) if matches && user.active => {
            attempts::succeeded(conn, reservation, &account, address).await?;
            Ok(user)
        }
        // The reservation stays: it was a failure.
        _ => Err(bad_credentials()),
    }
}
