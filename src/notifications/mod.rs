//! Delivering the mail the write path queued (`write::outbox`): one message per transaction,
//! its row locked with `FOR UPDATE SKIP LOCKED` so that several instances on one database
//! each take different rows; a message is written when it is sent, for what its recipient
//! may then read, and a server that is down or refuses delays it (retries with backoff),
//! never loses it.

pub mod compose;
pub mod digest;
mod failures;
pub mod meetings;
pub mod monthly;
pub mod reminders;

use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};

use crate::db::DbPool;
use crate::db::schema::mail_outbox;
use crate::error::ApiResult;
use crate::mail::{Mailer, SendError};
use crate::preferences::MailFrequency;
use crate::write::outbox::{Addressee, MailState, NoticeKind};

/// Waits before each new try: a minute, five, half an hour, two hours, six; then given up.
const BACKOFF_MINUTES: [i64; 5] = [1, 5, 30, 120, 360];

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    /// Kept for its recipient's digest.
    pub held: usize,
    pub retried: usize,
    pub given_up: usize,
    pub dropped: usize,
}

#[derive(Queryable)]
struct Due {
    id: i64,
    kind: NoticeKind,
    recipient_id: Option<crate::ids::UserId>,
    recipient_address: Option<String>,
    payload: serde_json::Value,
    attempts: i32,
}

impl Due {
    fn addressee(&self) -> Option<Addressee> {
        match (self.recipient_id, &self.recipient_address) {
            (Some(user), _) => Some(Addressee::User(user)),
            (None, Some(address)) => Some(Addressee::Address(address.clone())),
            (None, None) => None,
        }
    }
}

enum Outcome {
    Sent,
    Held,
    Retried,
    GivenUp,
    Dropped,
}

/// Sends what is due, at most `limit` messages; returns what happened to each.
pub async fn deliver_due(pool: &DbPool, mailer: &Mailer, limit: usize) -> ApiResult<Delivered> {
    let mut done = Delivered::default();
    let mut conn = crate::state::connection(pool).await?;
    for _ in 0..limit {
        let outcome = conn.transaction(async |conn| deliver_one(conn, mailer).await).await?;
        match outcome {
            None => break,
            Some(Outcome::Sent) => done.sent += 1,
            Some(Outcome::Held) => done.held += 1,
            Some(Outcome::Retried) => done.retried += 1,
            Some(Outcome::GivenUp) => done.given_up += 1,
            Some(Outcome::Dropped) => done.dropped += 1,
        }
    }
    Ok(done)
}

/// The next due message, locked for this transaction (others skip it), sent and marked.
async fn deliver_one(conn: &mut diesel_async::AsyncPgConnection, mailer: &Mailer) -> ApiResult<Option<Outcome>> {
    let due: Option<Due> = mail_outbox::table
        .filter(mail_outbox::state.eq(MailState::Waiting))
        .filter(mail_outbox::next_attempt_at.le(Utc::now()))
        .order(mail_outbox::id)
        .select((
            mail_outbox::id,
            mail_outbox::kind,
            mail_outbox::recipient_id,
            mail_outbox::recipient_address,
            mail_outbox::payload,
            mail_outbox::attempts,
        ))
        .for_update()
        .skip_locked()
        .first(conn)
        .await
        .optional()?;
    let Some(due) = due else {
        return Ok(None);
    };
    let row = mail_outbox::table.find(due.id);
    let Some(addressee) = due.addressee() else {
        return Err(anyhow::anyhow!("message {} has no recipient", due.id).into());
    };
    // What its recipient chose now: a digest holds it, "never" drops it (an address that
    // is no account's chose nothing).
    let frequency = match due.recipient_id {
        Some(user) => crate::preferences::frequency_of(conn, user, due.kind).await?,
        None => MailFrequency::Immediate,
    };
    let held = match frequency {
        MailFrequency::Immediate => None,
        MailFrequency::Daily | MailFrequency::Weekly if due.kind.is_digestible() => {
            Some((MailState::Held, Outcome::Held))
        }
        MailFrequency::Daily | MailFrequency::Weekly => None,
        MailFrequency::Never => Some((MailState::Dropped, Outcome::Dropped)),
    };
    if let Some((state, outcome)) = held {
        diesel::update(row)
            .set(mail_outbox::state.eq(state))
            .execute(conn)
            .await?;
        return Ok(Some(outcome));
    }
    // An address refused for good is not tried again (the coordination was told).
    if let Some(why) = failures::refused(conn, due.recipient_id).await? {
        diesel::update(row)
            .set((
                mail_outbox::state.eq(MailState::GivenUp),
                mail_outbox::last_error.eq(why),
            ))
            .execute(conn)
            .await?;
        return Ok(Some(Outcome::GivenUp));
    }
    // Its one-click link, drawn now and kept hashed (a new one at each try); an address
    // that is no account's has no preferences to change.
    let unsubscribe = (due.kind.is_chosen() && due.recipient_id.is_some()).then(crate::auth::tokens::new_token);
    let composed = compose::compose(conn, mailer, due.kind, &addressee, due.payload, unsubscribe.as_deref()).await?;
    let Some(mail) = composed else {
        diesel::update(row)
            .set(mail_outbox::state.eq(MailState::Dropped))
            .execute(conn)
            .await?;
        return Ok(Some(Outcome::Dropped));
    };
    if let Some(token) = &unsubscribe {
        diesel::update(row)
            .set(mail_outbox::unsubscribe_hash.eq(crate::auth::tokens::digest(token)))
            .execute(conn)
            .await?;
    }
    let attempts = due.attempts + 1;
    let outcome = match mailer.send(&mail).await {
        Ok(()) => {
            diesel::update(row)
                .set((
                    mail_outbox::state.eq(MailState::Sent),
                    mail_outbox::attempts.eq(attempts),
                    mail_outbox::sent_at.eq(Utc::now()),
                    mail_outbox::last_error.eq(None::<String>),
                ))
                .execute(conn)
                .await?;
            Outcome::Sent
        }
        Err(error) => {
            let wait = usize::try_from(due.attempts).ok().and_then(|i| BACKOFF_MINUTES.get(i));
            let (state, next, outcome) = match (&error, wait) {
                (SendError::Temporary(_), Some(minutes)) => (
                    MailState::Waiting,
                    Utc::now() + Duration::minutes(*minutes),
                    Outcome::Retried,
                ),
                _ => (MailState::GivenUp, Utc::now(), Outcome::GivenUp),
            };
            tracing::warn!(message = due.id, attempts, %error, state = state.as_str(), "mail not sent");
            diesel::update(row)
                .set((
                    mail_outbox::state.eq(state),
                    mail_outbox::attempts.eq(attempts),
                    mail_outbox::next_attempt_at.eq(next),
                    mail_outbox::last_error.eq(error.to_string()),
                ))
                .execute(conn)
                .await?;
            if let (SendError::Permanent(reason), Some(user)) = (&error, due.recipient_id) {
                failures::refuse(conn, user, reason).await?;
            }
            if matches!(outcome, Outcome::GivenUp) {
                failures::tell_coordination(conn, due.id, due.kind, due.recipient_id).await?;
            }
            outcome
        }
    };
    Ok(Some(outcome))
}

/// What one pass does as of `as_of` (now, or a day given to `notifications run --as-of`):
/// the reminders, monthly reports and digests due are queued (the count returned), then
/// every message due is delivered.
pub async fn run_pass(
    pool: &DbPool,
    mailer: &Mailer,
    as_of: chrono::DateTime<Utc>,
    limit: usize,
) -> ApiResult<(usize, Delivered)> {
    let digests = {
        let mut conn = crate::state::connection(pool).await?;
        let day = crate::clock::local_day(as_of);
        let reminders = reminders::queue_due(&mut conn, day).await? + meetings::queue_due(&mut conn, day).await?;
        let reports = monthly::save_due(&mut conn, day).await?;
        reminders + reports + digest::queue_due(&mut conn, as_of).await?
    };
    // What was held becomes due; a digest just queued goes out in this same pass.
    Ok((digests, deliver_due(pool, mailer, limit).await?))
}

/// The instant a pass `--as-of` a day stands for: that day at 8 h, Québec time (after
/// its digests are due).
pub fn as_of_day(day: chrono::NaiveDate) -> chrono::DateTime<Utc> {
    digest::sent_at(day) + Duration::hours(1)
}

/// Delivers what is due every `every`, for as long as the service runs.
pub fn spawn_delivery(pool: DbPool, mailer: Mailer, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match run_pass(&pool, &mailer, Utc::now(), 100).await {
                Ok((digests, done)) if digests > 0 || done != Delivered::default() => {
                    tracing::info!(digests, ?done, "mail delivered")
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "mail delivery pass failed"),
            }
        }
    });
}
