use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::db::{DbConn, DbPool};
use crate::error::ApiResult;
use crate::security::jwt::JwtKeys;
use crate::security::limiter::SignInLimits;
use crate::security::passwords::Passwords;

pub const DEFAULT_REQUEST_TIMEOUT_SECONDS: u64 = 30;
pub const DEFAULT_WRITE_TIMEOUT_SECONDS: u64 = 10;

tokio::task_local! {
    /// The connection authentication checked the account on, lent to the request's first
    /// `AppState::conn`: one pool checkout per request instead of two. Whatever the
    /// handler does not take goes back to the pool when the request ends.
    static REQUEST_CONN: RefCell<Option<DbConn>>;
}

/// Runs `request` with `conn` as its connection (see `REQUEST_CONN`).
pub async fn with_request_conn<F: Future>(conn: DbConn, request: F) -> F::Output {
    REQUEST_CONN.scope(RefCell::new(Some(conn)), request).await
}

/// CPU work (parsing a document, writing megabytes of JSON or a Word file) run off the
/// server's threads, which keep answering ordinary requests meanwhile.
pub async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| crate::error::ApiError::Internal(e.into()))
}

/// A turn at building a large answer; its freed memory goes back to the system once no
/// large answer has been built for a while (`memory::spawn_trimmer`).
pub struct HeavyTurn {
    /// Given back after `drop` below has run: the end is noted first, so the trimmer
    /// never sees a large answer neither under way nor ended.
    _permit: OwnedSemaphorePermit,
}

impl Drop for HeavyTurn {
    fn drop(&mut self) {
        crate::memory::heavy_work_ended();
    }
}

fn heavy_turns() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

/// What every handler may reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub jwt: Arc<JwtKeys>,
    pub passwords: Passwords,
    pub sign_in_limits: SignInLimits,
    /// Proxies whose `X-Forwarded-For` is believed (none unless configured).
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// Large answers (the plan tree, report files) built at once, one per core: more wait
    /// their turn, so memory stays bounded whatever the concurrency (ten XLSX reports of
    /// the 10,000-action plan at once took 600 MB) at no loss of throughput.
    pub heavy_work: Arc<Semaphore>,
    /// The longest a request may take before it is answered 503: a hung database must
    /// not hold requests without bound (the pool's timeouts cover getting a connection).
    pub request_timeout: Duration,
    /// The longest an answer waits on a client that reads nothing (`server::WriteDeadline`):
    /// past it the connection closes and the answer's memory is freed.
    pub write_timeout: Duration,
    /// Where mail goes; none without `SMTP_URL` (nothing is sent).
    pub mailer: Option<crate::mail::Mailer>,
    /// The address people reach the service at (`PUBLIC_URL`, no trailing slash): the links
    /// of calendar feeds, as of mail.
    pub public_url: Arc<str>,
    /// Webhooks may go to private networks, over plain `http` too
    /// (`WEBHOOK_ALLOW_PRIVATE_NETWORKS`: tests, intranets).
    pub webhooks_allow_private: bool,
}

impl AppState {
    pub fn new(pool: DbPool, jwt: JwtKeys) -> AppState {
        AppState {
            pool,
            jwt: Arc::new(jwt),
            passwords: Passwords::default(),
            sign_in_limits: SignInLimits::default(),
            trusted_proxies: Arc::new([]),
            heavy_work: Arc::new(Semaphore::new(heavy_turns())),
            request_timeout: Duration::from_secs(DEFAULT_REQUEST_TIMEOUT_SECONDS),
            write_timeout: Duration::from_secs(DEFAULT_WRITE_TIMEOUT_SECONDS),
            mailer: None,
            public_url: Arc::from("http://127.0.0.1:8080"),
            webhooks_allow_private: false,
        }
    }

    /// A turn to build a large answer (see `heavy_work`), held until dropped. The request's
    /// connection goes back to the pool first: a request waiting its turn holds none.
    pub async fn heavy_turn(&self) -> ApiResult<HeavyTurn> {
        drop(REQUEST_CONN.try_with(|slot| slot.borrow_mut().take()));
        let permit = self
            .heavy_work
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| crate::error::ApiError::Internal(e.into()))?;
        Ok(HeavyTurn { _permit: permit })
    }

    /// Whether a large answer is being built now.
    pub fn heavy_work_under_way(&self) -> bool {
        self.heavy_work.available_permits() < heavy_turns()
    }

    /// A pooled connection: the one authentication used for this request when there is
    /// one (`with_request_conn`), else one from the pool.
    pub async fn conn(&self) -> ApiResult<DbConn> {
        match REQUEST_CONN.try_with(|slot| slot.borrow_mut().take()) {
            Ok(Some(conn)) => Ok(conn),
            _ => self.pooled_conn().await,
        }
    }

    /// How long opening or checking a connection may take (the pool's create timeout).
    pub fn connect_timeout(&self) -> Duration {
        self.pool.timeouts().create.unwrap_or(crate::db::DEFAULT_TIMEOUT)
    }

    /// A connection from the pool, within the pool's connect timeout in all: each idle
    /// connection is checked before it is lent, and a hung server would otherwise cost a
    /// timeout per idle connection.
    pub async fn pooled_conn(&self) -> ApiResult<DbConn> {
        let limit = self.connect_timeout();
        match tokio::time::timeout(limit, self.pool.get()).await {
            Ok(conn) => Ok(conn?),
            Err(_) => Err(crate::error::ApiError::Unavailable(crate::i18n::Text::new(
                format!("aucune connexion n'a été obtenue en {} s", limit.as_secs()),
                format!("no connection was obtained within {} s", limit.as_secs()),
            ))),
        }
    }
}

/// A connection from the pool for work outside a request (the delivery loops).
pub async fn connection(pool: &DbPool) -> ApiResult<DbConn> {
    pool.get()
        .await
        .map_err(|e| crate::error::ApiError::Internal(anyhow::anyhow!("{e}")))
}
