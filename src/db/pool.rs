//! The connection pool's manager: diesel-async's, except that a connection used in the
//! last second is lent without a check. Under load every connection is that fresh, and
//! the check (`SELECT 1`, one round trip) was a fifth of a page read's statements. An
//! idle connection is still checked; a server lost within that second costs the request
//! in flight a 503, as it would anyway.

use std::time::Duration;

use deadpool::managed::{Manager, Metrics, RecycleError, RecycleResult};
use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, PoolError, PoolableConnection};

/// A connection used more recently than this is lent unchecked.
const FRESH: Duration = Duration::from_secs(1);

pub struct CheckedWhenIdle(pub AsyncDieselConnectionManager<AsyncPgConnection>);

impl Manager for CheckedWhenIdle {
    type Type = AsyncPgConnection;
    type Error = PoolError;

    async fn create(&self) -> Result<AsyncPgConnection, PoolError> {
        self.0.create().await
    }

    async fn recycle(&self, conn: &mut AsyncPgConnection, metrics: &Metrics) -> RecycleResult<PoolError> {
        if metrics.last_used() < FRESH {
            // What diesel-async's `Fast` method checks: an error or an open transaction left behind.
            if std::thread::panicking() || conn.is_broken() {
                return Err(RecycleError::Message("Broken connection".into()));
            }
            return Ok(());
        }
        self.0.recycle(conn, metrics).await
    }
}
