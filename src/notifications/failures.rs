//! When mail fails for good: an address refused (SMTP 5xx) gets no more mail until the
//! coordination sends a message to it again; each message given up is told to the
//! coordination (never a message about a message, which could loop).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::users;
use crate::error::ApiResult;
use crate::ids::UserId;
use crate::security::permissions::Role;
use crate::write::outbox::{self, GivenUpNotice, NoticeKind};

/// Why mail to `user` is not tried: their address was refused, when and how.
pub async fn refused(conn: &mut AsyncPgConnection, user: Option<UserId>) -> ApiResult<Option<String>> {
    // An address that is no account's is tried each time (a schedule's: its list is the
    // coordination's to change).
    let Some(user) = user else { return Ok(None) };
    let (at, reason): (Option<DateTime<Utc>>, Option<String>) = users::table
        .find(user)
        .select((users::mail_refused_at, users::mail_refused_reason))
        .first(conn)
        .await?;
    Ok(at.map(|at| {
        format!(
            "adresse refusée le {} (address refused): {}",
            crate::clock::local(at).format("%Y-%m-%d %H:%M"),
            reason.unwrap_or_default()
        )
    }))
}

pub async fn refuse(conn: &mut AsyncPgConnection, user: UserId, reason: &str) -> ApiResult<()> {
    diesel::update(users::table.find(user))
        .set((
            users::mail_refused_at.eq(Utc::now()),
            users::mail_refused_reason.eq(reason),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Queues, for every active account of the coordination but its recipient, that message
/// `message` was given up.
pub async fn tell_coordination(
    conn: &mut AsyncPgConnection,
    message: i64,
    kind: NoticeKind,
    recipient: Option<UserId>,
) -> ApiResult<()> {
    if kind == NoticeKind::MailGivenUp {
        return Ok(());
    }
    let coordination: Vec<UserId> = users::table
        .filter(users::role.eq(Role::Admin))
        .filter(users::active.eq(true))
        .select(users::id)
        .load::<UserId>(conn)
        .await?
        .into_iter()
        .filter(|person| Some(*person) != recipient)
        .collect();
    for person in coordination {
        outbox::queue(conn, NoticeKind::MailGivenUp, person, &GivenUpNotice { message }, None).await?;
    }
    Ok(())
}
