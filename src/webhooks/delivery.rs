//! Sending what the write path queued: one delivery per transaction, its row locked `FOR
//! UPDATE SKIP LOCKED` (several instances take different rows), signed with the endpoint's
//! secrets, to the addresses its name resolves to once they are checked, no redirection
//! followed, within short timeouts and a bounded read of the answer. A failure is retried
//! after 5 s, 5 min, 30 min, 2 h, 5 h and 10 h, then the delivery is failed (kept, and sent
//! again on demand); an endpoint failing for `DISABLE_AFTER_DAYS` is turned off.

use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use super::address::{check_url, resolve};
use super::model::Webhook;
use super::signature;
use crate::db::DbPool;
use crate::db::schema::{webhook_attempts, webhook_deliveries, webhook_endpoints};
use crate::error::ApiResult;
use crate::ids::WebhookId;
use crate::security::permissions::Role;
use crate::write::outbox::{self, NoticeKind, WebhookNotice};

/// Waits before each new try; then the delivery is failed.
pub const RETRY_SECONDS: [i64; 6] = [5, 300, 1_800, 7_200, 18_000, 36_000];
/// An endpoint that fails this long is turned off.
pub const DISABLE_AFTER_DAYS: i64 = 5;
/// What is kept of an answer, and the most that is read of it.
const EXCERPT_CHARS: usize = 1_000;
const READ_BYTES: usize = 64 * 1024;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub delivered: usize,
    pub retried: usize,
    pub failed: usize,
}

/// The answer of one attempt, or why there was none.
type Answer = Result<(u16, String), String>;

/// Makes ring the process's TLS provider (the one lettre uses), which reqwest needs before
/// any client is built, ours or a test's; idempotent.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// TLS with the ring provider and the Mozilla roots (webpki-roots): no system store needed.
/// Built once; each delivery's client takes a copy.
static TLS: std::sync::LazyLock<Result<rustls::ClientConfig, String>> = std::sync::LazyLock::new(|| {
    install_tls_provider();
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    Ok(
        rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
});

/// Posts `body` to `url`, connecting only to the addresses checked.
async fn post(url: &str, allow_private: bool, headers: &[(&str, String)], body: String) -> Answer {
    let url = check_url(url, allow_private).map_err(|why| why.en)?;
    let addresses = resolve(&url, allow_private).await.map_err(|why| why.en)?;
    let host = url.host_str().unwrap_or_default().to_owned();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(std::time::Duration::from_secs(5))
        .timeout(std::time::Duration::from_secs(10))
        .resolve_to_addrs(&host, &addresses)
        .use_preconfigured_tls(TLS.clone()?)
        .user_agent("Planaction-Webhooks/1")
        .build()
        .map_err(|e| e.to_string())?;
    let mut request = client.post(url).header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let mut response = request.body(body).send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let mut read = Vec::new();
    while read.len() < READ_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => read.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) => return Err(format!("HTTP {status}, answer cut: {e}")),
        }
    }
    Ok((
        status,
        String::from_utf8_lossy(&read).chars().take(EXCERPT_CHARS).collect(),
    ))
}

#[derive(Queryable)]
struct Due {
    id: i64,
    endpoint_id: WebhookId,
    message_id: String,
    payload: serde_json::Value,
    attempts: i32,
}

enum Outcome {
    Delivered,
    Retried,
    Failed,
}

/// Sends what is due, at most `limit` deliveries.
pub async fn deliver_due(pool: &DbPool, allow_private: bool, limit: usize) -> ApiResult<Delivered> {
    let mut done = Delivered::default();
    let mut conn = crate::state::connection(pool).await?;
    for _ in 0..limit {
        match conn
            .transaction(async |conn| deliver_one(conn, allow_private).await)
            .await?
        {
            None => break,
            Some(Outcome::Delivered) => done.delivered += 1,
            Some(Outcome::Retried) => done.retried += 1,
            Some(Outcome::Failed) => done.failed += 1,
        }
    }
    Ok(done)
}

async fn deliver_one(conn: &mut AsyncPgConnection, allow_private: bool) -> ApiResult<Option<Outcome>> {
    let enabled = webhook_endpoints::table
        .filter(webhook_endpoints::enabled.eq(true))
        .select(webhook_endpoints::id);
    let due: Option<Due> = webhook_deliveries::table
        .filter(webhook_deliveries::state.eq("waiting"))
        .filter(webhook_deliveries::next_attempt_at.le(Utc::now()))
        .filter(webhook_deliveries::endpoint_id.eq_any(enabled))
        .order(webhook_deliveries::id)
        .select((
            webhook_deliveries::id,
            webhook_deliveries::endpoint_id,
            webhook_deliveries::message_id,
            webhook_deliveries::payload,
            webhook_deliveries::attempts,
        ))
        .for_update()
        .skip_locked()
        .first(conn)
        .await
        .optional()?;
    let Some(due) = due else { return Ok(None) };
    let endpoint = Webhook::read(conn, due.endpoint_id).await?;
    let body = due.payload.to_string();
    let timestamp = Utc::now().timestamp();
    let secrets: Vec<&str> = endpoint.secrets.iter().map(String::as_str).collect();
    let headers = [
        ("webhook-id", due.message_id.clone()),
        ("webhook-timestamp", timestamp.to_string()),
        (
            "webhook-signature",
            signature::header(&secrets, &due.message_id, timestamp, &body),
        ),
    ];
    let started = Instant::now();
    let answer = post(&endpoint.url, allow_private, &headers, body).await;
    let duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    let (status, excerpt, error) = match &answer {
        Ok((status, excerpt)) => (Some(i32::from(*status)), Some(excerpt.clone()), None),
        Err(why) => (None, None, Some(why.clone())),
    };
    diesel::insert_into(webhook_attempts::table)
        .values((
            webhook_attempts::delivery_id.eq(due.id),
            webhook_attempts::status_code.eq(status),
            webhook_attempts::response_excerpt.eq(excerpt),
            webhook_attempts::error.eq(&error),
            webhook_attempts::duration_ms.eq(duration_ms),
        ))
        .execute(conn)
        .await?;
    let attempts = due.attempts + 1;
    let row = webhook_deliveries::table.find(due.id);
    let endpoint_row = webhook_endpoints::table.find(due.endpoint_id);
    if matches!(answer, Ok((200..=299, _))) {
        diesel::update(row)
            .set((
                webhook_deliveries::state.eq("delivered"),
                webhook_deliveries::attempts.eq(attempts),
                webhook_deliveries::delivered_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        diesel::update(endpoint_row.filter(webhook_endpoints::failing_since.is_not_null()))
            .set(webhook_endpoints::failing_since.eq(None::<chrono::DateTime<Utc>>))
            .execute(conn)
            .await?;
        return Ok(Some(Outcome::Delivered));
    }
    let wait = usize::try_from(due.attempts).ok().and_then(|i| RETRY_SECONDS.get(i));
    let (state, next, outcome) = match wait {
        Some(seconds) => ("waiting", Utc::now() + Duration::seconds(*seconds), Outcome::Retried),
        None => ("failed", Utc::now(), Outcome::Failed),
    };
    tracing::warn!(
        delivery = due.id,
        attempts,
        status,
        error,
        state,
        "webhook not delivered"
    );
    diesel::update(row)
        .set((
            webhook_deliveries::state.eq(state),
            webhook_deliveries::attempts.eq(attempts),
            webhook_deliveries::next_attempt_at.eq(next),
        ))
        .execute(conn)
        .await?;
    let since = endpoint.failing_since.unwrap_or_else(Utc::now);
    if Utc::now() - since >= Duration::days(DISABLE_AFTER_DAYS) {
        diesel::update(endpoint_row)
            .set((
                webhook_endpoints::enabled.eq(false),
                webhook_endpoints::disabled_reason.eq(format!(
                    "désactivé après {DISABLE_AFTER_DAYS} jours d'échecs (disabled after {DISABLE_AFTER_DAYS} days of failures)"
                )),
            ))
            .execute(conn)
            .await?;
        tracing::warn!(webhook = %due.endpoint_id, "webhook endpoint disabled after days of failures");
        // The coordination is told, once per time it is turned off.
        let key = format!("webhook disabled {} {}", due.endpoint_id, since.timestamp());
        for person in outbox::active_with(conn, &[Role::Admin]).await? {
            let notice = WebhookNotice {
                webhook: due.endpoint_id,
            };
            outbox::queue(
                conn,
                NoticeKind::WebhookDisabled,
                person,
                &notice,
                Some(&format!("{key} {person}")),
            )
            .await?;
        }
    } else if endpoint.failing_since.is_none() {
        diesel::update(endpoint_row)
            .set(webhook_endpoints::failing_since.eq(Some(since)))
            .execute(conn)
            .await?;
    }
    Ok(Some(outcome))
}

/// Delivers what is due every `every`, for as long as the service runs.
pub fn spawn(pool: DbPool, allow_private: bool, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match deliver_due(&pool, allow_private, 100).await {
                Ok(done) if done != Delivered::default() => tracing::info!(?done, "webhooks delivered"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "webhook delivery pass failed"),
            }
        }
    });
}
