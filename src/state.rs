use std::sync::Arc;
use std::time::Duration;

use crate::db::{DbConn, DbPool};
use crate::error::ApiResult;
use crate::security::jwt::JwtKeys;
use crate::security::limiter::SignInLimits;
use crate::security::passwords::Passwords;

pub const DEFAULT_REQUEST_TIMEOUT_SECONDS: u64 = 30;

/// What every handler may reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub jwt: Arc<JwtKeys>,
    pub passwords: Passwords,
    pub sign_in_limits: SignInLimits,
    /// Proxies whose `X-Forwarded-For` is believed (none unless configured).
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// The longest a request may take before it is answered 503: a hung database must
    /// not hold requests without bound (the pool's timeouts cover getting a connection).
    pub request_timeout: Duration,
}

impl AppState {
    pub fn new(pool: DbPool, jwt: JwtKeys) -> AppState {
        AppState {
            pool,
            jwt: Arc::new(jwt),
            passwords: Passwords::default(),
            sign_in_limits: SignInLimits::default(),
            trusted_proxies: Arc::new([]),
            request_timeout: Duration::from_secs(DEFAULT_REQUEST_TIMEOUT_SECONDS),
        }
    }

    /// A pooled connection, within the pool's connect timeout in all: each idle connection
    /// is checked before it is lent, and a hung server would otherwise cost a timeout per
    /// idle connection.
    pub async fn conn(&self) -> ApiResult<DbConn> {
        let limit = self.pool.timeouts().create.unwrap_or(crate::db::DEFAULT_TIMEOUT);
        match tokio::time::timeout(limit, self.pool.get()).await {
            Ok(conn) => Ok(conn?),
            Err(_) => Err(crate::error::ApiError::Unavailable(crate::i18n::Text::new(
                format!("aucune connexion n'a été obtenue en {} s", limit.as_secs()),
                format!("no connection was obtained within {} s", limit.as_secs()),
            ))),
        }
    }
}
