use crate::db::{DbConn, DbPool};
use crate::error::ApiResult;

/// What every handler may reach: the database pool.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
}

impl AppState {
    pub async fn conn(&self) -> ApiResult<DbConn> {
        Ok(self.pool.get().await?)
    }
}
