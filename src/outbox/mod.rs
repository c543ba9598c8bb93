//! The coordination's view of the mail: what was sent, what waits (and why), what was given
//! up after its last try or refused by the address; and sending a message again.

mod routes;

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::sql_types::Text as SqlText;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{mail_outbox, users};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Text;
use crate::ids::UserId;
use crate::write::outbox::{MailState, NoticeKind};

pub use routes::routes;

/// One message of the outbox, without what it says (written when it is sent).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = mail_outbox, check_for_backend(diesel::pg::Pg))]
#[schema(example = json!({
    "id": 42, "kind": "assigned", "recipient_id": 3, "recipient_name": "Déléguée de l'Estrie",
    "recipient_email": "estrie@rqds.example", "state": "given_up", "attempts": 6,
    "last_error": "permanent error (550): 5.1.1 mailbox unavailable", "created_at": "2013-11-04T14:00:00Z",
    "next_attempt_at": "2013-11-04T20:36:00Z", "sent_at": null
}))]
pub struct OutboxEntry {
    pub id: i64,
    pub kind: NoticeKind,
    /// None for an address that is no account (a report schedule's).
    #[schema(value_type = Option<i64>)]
    pub recipient_id: Option<UserId>,
    #[diesel(select_expression = users::display_name.nullable())]
    pub recipient_name: Option<String>,
    /// The account's address, or the address the message goes to.
    #[diesel(select_expression = sql::<SqlText>("COALESCE(users.email, mail_outbox.recipient_address)"))]
    #[diesel(select_expression_type = SqlLiteral<SqlText>)]
    pub recipient_email: String,
    pub state: MailState,
    pub attempts: i32,
    /// Why the last try failed (the SMTP server's answer).
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// The newest messages first, of one state or all.
pub async fn list(conn: &mut AsyncPgConnection, state: Option<MailState>, limit: i64) -> ApiResult<Vec<OutboxEntry>> {
    let mut query = mail_outbox::table
        .left_join(users::table)
        .select(OutboxEntry::as_select())
        .into_boxed();
    if let Some(state) = state {
        query = query.filter(mail_outbox::state.eq(state));
    }
    Ok(query.order(mail_outbox::id.desc()).limit(limit).load(conn).await?)
}

async fn read(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<OutboxEntry> {
    mail_outbox::table
        .left_join(users::table)
        .filter(mail_outbox::id.eq(id))
        .select(OutboxEntry::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| {
            ApiError::Missing(Text::new(
                format!("Le courriel {id} n'est pas dans la boîte d'envoi."),
                format!("Message {id} is not in the outbox."),
            ))
        })
}

/// Sends a message again on the next pass, from its first try: one given up, dropped or
/// sent. An address refused before is tried again (the coordination says it works now).
pub async fn resend(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<OutboxEntry> {
    conn.transaction(async |conn| {
        let entry = read(conn, id).await?;
        if matches!(entry.state, MailState::Waiting | MailState::Held) {
            return Err(ApiError::Conflict(Text::new(
                "Ce courriel attend déjà son envoi : il partira au prochain passage.",
                "This message is already waiting to be sent: it goes on the next pass.",
            )));
        }
        diesel::update(mail_outbox::table.find(id))
            .set((
                mail_outbox::state.eq(MailState::Waiting),
                mail_outbox::attempts.eq(0),
                mail_outbox::next_attempt_at.eq(Utc::now()),
                mail_outbox::last_error.eq(None::<String>),
            ))
            .execute(conn)
            .await?;
        if let Some(user) = entry.recipient_id {
            diesel::update(users::table.find(user))
                .set((
                    users::mail_refused_at.eq(None::<DateTime<Utc>>),
                    users::mail_refused_reason.eq(None::<String>),
                ))
                .execute(conn)
                .await?;
        }
        read(conn, id).await
    })
    .await
}
