use std::sync::Arc;

use crate::db::{DbConn, DbPool};
use crate::error::ApiResult;
use crate::security::jwt::JwtKeys;
use crate::security::limiter::SignInLimiter;
use crate::security::passwords::Passwords;

/// What every handler may reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub jwt: Arc<JwtKeys>,
    pub passwords: Passwords,
    pub limiter: Arc<SignInLimiter>,
}

impl AppState {
    pub fn new(pool: DbPool, jwt: JwtKeys) -> AppState {
        AppState {
            pool,
            jwt: Arc::new(jwt),
            passwords: Passwords::default(),
            limiter: Arc::new(SignInLimiter::default()),
        }
    }

    pub async fn conn(&self) -> ApiResult<DbConn> {
        Ok(self.pool.get().await?)
    }
}
