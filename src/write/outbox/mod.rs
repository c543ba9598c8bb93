//! What a change tells people, queued in the change's own transaction (by `record`, the one
//! write path): the change and its mail are stored together or not at all. The message
//! itself is written when it is sent (`notifications`), for what its recipient may then read.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Actor, Change, Operation};
use crate::db::schema::{action_assignees, action_followers, mail_outbox, users};
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ActionId, CommentId, PlanId, StatusUpdateId, UserId};
use crate::security::permissions::Role;

mod reports;

pub use reports::{ReportNotice, report_notice};

crate::text_enum! {
    /// The kinds of mail the service sends.
    pub enum NoticeKind {
        Assigned => "assigned",
        Unassigned => "unassigned",
        StatusUpdated => "status_updated",
        Commented => "commented",
        DeadlineChanged => "deadline_changed",
        DeadlineReminder => "deadline_reminder",
        MeetingReminder => "meeting_reminder",
        Invitation => "invitation",
        PasswordReset => "password_reset",
        Digest => "digest",
        MailGivenUp => "mail_given_up",
        EffectiveDated => "effective_dated",
        ReportReady => "report_ready",
        ReportSigned => "report_signed",
        WebhookDisabled => "webhook_disabled",
    }
}

impl NoticeKind {
    /// The kinds each person chooses how to receive (at once, in a digest, never); an
    /// invitation or a reset link is always sent at once.
    pub const CHOSEN: &'static [NoticeKind] = &[
        NoticeKind::Assigned,
        NoticeKind::Unassigned,
        NoticeKind::StatusUpdated,
        NoticeKind::Commented,
        NoticeKind::DeadlineChanged,
        NoticeKind::DeadlineReminder,
        NoticeKind::MeetingReminder,
        NoticeKind::MailGivenUp,
        NoticeKind::EffectiveDated,
        NoticeKind::ReportReady,
        NoticeKind::ReportSigned,
        NoticeKind::WebhookDisabled,
    ];

    /// What people call it, in a preference list or an unsubscribe page.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let (fr, en) = match self {
            NoticeKind::Assigned => ("Une action m'est assignée", "An action is assigned to me"),
            NoticeKind::Unassigned => ("Une action m'est retirée", "An action is unassigned from me"),
            NoticeKind::StatusUpdated => (
                "État mis à jour (actions assignées ou suivies)",
                "Status updated (actions assigned or followed)",
            ),
            NoticeKind::Commented => (
                "Commentaire (actions assignées ou suivies)",
                "Comment (actions assigned or followed)",
            ),
            NoticeKind::DeadlineChanged => (
                "Échéancier modifié (actions assignées ou suivies)",
                "Deadline changed (actions assigned or followed)",
            ),
            NoticeKind::DeadlineReminder => ("Rappel avant la fin d'un échéancier", "Reminder before a deadline ends"),
            NoticeKind::MeetingReminder => ("Rappel avant une réunion du CA", "Reminder before a board meeting"),
            NoticeKind::Invitation => ("Invitation", "Invitation"),
            NoticeKind::PasswordReset => ("Nouveau mot de passe", "New password"),
            NoticeKind::Digest => ("Résumé", "Digest"),
            NoticeKind::MailGivenUp => ("Courriel non remis (coordination)", "Mail not delivered (coordination)"),
            NoticeKind::EffectiveDated => (
                "Mise à jour datée d'avant (coordination)",
                "Backdated update (coordination)",
            ),
            NoticeKind::ReportReady => (
                "Rapport mensuel à valider (coordination et CA)",
                "Monthly report to sign off (coordination and board)",
            ),
            NoticeKind::ReportSigned => (
                "Rapport mensuel validé, en pièces jointes",
                "Signed-off monthly report, attached",
            ),
            NoticeKind::WebhookDisabled => ("Webhook désactivé (coordination)", "Webhook turned off (coordination)"),
        };
        lang.pick(fr, en)
    }

    /// Whether a digest can tell it (a sentence about an action); a CA-meeting list or a
    /// message given up goes at once even to someone who chose a digest.
    pub fn is_digestible(self) -> bool {
        self.is_chosen()
            && !matches!(
                self,
                NoticeKind::MeetingReminder
                    | NoticeKind::MailGivenUp
                    | NoticeKind::ReportReady
                    | NoticeKind::ReportSigned
            )
    }

    pub fn is_chosen(self) -> bool {
        Self::CHOSEN.contains(&self)
    }
}

crate::text_enum! {
    /// Where a queued message is: to send (at its next attempt), sent, given up after its
    /// last try (kept for the coordination), or dropped (its recipient may no longer read
    /// what it tells of).
    pub enum MailState {
        Waiting => "waiting",
        Sent => "sent",
        GivenUp => "given_up",
        Dropped => "dropped",
        /// Kept for its recipient's daily or weekly digest.
        Held => "held",
        /// Told in the digest `digest_id`.
        Digested => "digested",
    }
}

/// What one message tells its recipient, by reference: the action, who made the change,
/// the status update it tells of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub action_id: ActionId,
    /// Who made the change; none for the system.
    pub by: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_update: Option<StatusUpdateId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<CommentId>,
    /// An échéancier's label before and after its change (none when created or deleted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<(Option<String>, Option<String>)>,
    /// A reminder before an échéancier ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<ReminderNotice>,
}

/// A webhook endpoint turned off after days of failures, told to the coordination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookNotice {
    pub webhook: crate::ids::WebhookId,
}

/// A message given up, told to the coordination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenUpNotice {
    pub message: i64,
}

/// A reminder before a CA meeting: the meeting, the previous one (or the plan's start),
/// and the recipient's actions not updated since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingNotice {
    pub event: crate::ids::EventId,
    pub since: chrono::NaiveDate,
    pub actions: Vec<ActionId>,
}

/// What a reminder is about: the label, the end of its period, and the day it was due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderNotice {
    pub label: String,
    pub ends_on: chrono::NaiveDate,
    pub as_of: chrono::NaiveDate,
}

impl Notice {
    pub fn of(action_id: ActionId, by: Option<UserId>) -> Notice {
        Notice {
            action_id,
            by,
            status_update: None,
            comment: None,
            deadline: None,
            reminder: None,
        }
    }
}

/// An invitation or password-reset message: the link it carries (`accounts::links`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkNotice {
    pub link: i64,
}

/// Queues one message for `recipient`. A message with a `dedup_key` (a reminder, a digest)
/// is queued once whatever the number of passes or instances: `false` when it already was.
pub async fn queue(
    conn: &mut AsyncPgConnection,
    kind: NoticeKind,
    recipient: UserId,
    payload: &impl Serialize,
    dedup_key: Option<&str>,
) -> ApiResult<bool> {
    let payload = serde_json::to_value(payload).map_err(|e| ApiError::Internal(e.into()))?;
    let inserted = diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::kind.eq(kind),
            mail_outbox::recipient_id.eq(Some(recipient)),
            mail_outbox::payload.eq(payload),
            mail_outbox::dedup_key.eq(dedup_key),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted == 1)
}

/// Who is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    One(UserId),
    /// Its assignees and its followers.
    WatchersOf(ActionId),
    /// Every active account of the coordination.
    Coordination,
    /// Every active account that may sign a report off (the coordination and the board).
    Signers,
    /// The recipients the plan's report schedule names, once each for the month `month`.
    ReportRecipients {
        plan: PlanId,
        month: String,
    },
}

/// Where one message goes: an account, or an address that is no account (a report
/// schedule's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addressee {
    User(UserId),
    Address(String),
}

fn id_in(value: Option<&Value>, field: &str) -> Option<i64> {
    value?.get(field)?.as_i64()
}

/// What a change tells, and to whom. Pure: what the change says, and who made it.
pub fn notice_of(change: &Change, actor: &Actor) -> Option<(Audience, NoticeKind, Notice)> {
    let by = actor.user_id;
    let after = change.after.as_ref();
    let either = after.or(change.before.as_ref());
    match (change.entity, change.operation) {
        (Entity::Assignee, Operation::Create | Operation::Delete) => {
            let kind = match change.operation {
                Operation::Create => NoticeKind::Assigned,
                _ => NoticeKind::Unassigned,
            };
            let user = UserId(id_in(either, "user_id")?);
            Some((Audience::One(user), kind, Notice::of(ActionId(change.entity_id), by)))
        }
        // The first entry of an action is its creation, not news.
        (Entity::StatusUpdate, Operation::Create) => {
            after?.get("previous_status").filter(|p| !p.is_null())?;
            let notice = Notice {
                status_update: Some(StatusUpdateId(change.entity_id)),
                ..Notice::of(ActionId(id_in(after, "action_id")?), by)
            };
            Some((
                Audience::WatchersOf(notice.action_id),
                NoticeKind::StatusUpdated,
                notice,
            ))
        }
        (Entity::Comment, Operation::Create) => {
            let notice = Notice {
                comment: Some(CommentId(change.entity_id)),
                ..Notice::of(ActionId(id_in(after, "action_id")?), by)
            };
            Some((Audience::WatchersOf(notice.action_id), NoticeKind::Commented, notice))
        }
        // An action's échéancier (not an objective's) changed.
        (Entity::Deadline, _) => {
            let label = |v: Option<&Value>| v?.get("label")?.as_str().map(str::to_owned);
            let (before, after_label) = (label(change.before.as_ref()), label(after));
            if change.operation == Operation::Update && before == after_label {
                return None;
            }
            let notice = Notice {
                deadline: Some((before, after_label)),
                ..Notice::of(ActionId(id_in(either, "action_id")?), by)
            };
            Some((
                Audience::WatchersOf(notice.action_id),
                NoticeKind::DeadlineChanged,
                notice,
            ))
        }
        _ => None,
    }
}

/// An action's assignees and followers, each once.
pub async fn watchers(conn: &mut AsyncPgConnection, action: ActionId) -> ApiResult<Vec<UserId>> {
    let mut people: Vec<UserId> = action_assignees::table
        .filter(action_assignees::action_id.eq(action))
        .select(action_assignees::user_id)
        .load(conn)
        .await?;
    people.extend(
        action_followers::table
            .filter(action_followers::action_id.eq(action))
            .select(action_followers::user_id)
            .load::<UserId>(conn)
            .await?,
    );
    people.sort();
    people.dedup();
    Ok(people)
}

/// A status update that takes effect before the day it was recorded tells the coordination
/// (the report of a month already given may change). Pure.
pub fn backdated(change: &Change, actor: &Actor) -> Option<(Audience, NoticeKind, Notice)> {
    let (Entity::StatusUpdate, Operation::Create) = (change.entity, change.operation) else {
        return None;
    };
    let after = change.after.as_ref()?;
    after.get("previous_status").filter(|p| !p.is_null())?;
    let effective: chrono::NaiveDate = after.get("effective_on")?.as_str()?.parse().ok()?;
    let recorded: chrono::DateTime<chrono::Utc> = after.get("created_at")?.as_str()?.parse().ok()?;
    if effective >= crate::clock::local_day(recorded) {
        return None;
    }
    let notice = Notice {
        status_update: Some(StatusUpdateId(change.entity_id)),
        ..Notice::of(ActionId(id_in(Some(after), "action_id")?), actor.user_id)
    };
    Some((Audience::Coordination, NoticeKind::EffectiveDated, notice))
}

/// Queues what `change` tells people; call it inside the change's transaction. Nobody is
/// told of their own doing.
pub async fn enqueue(conn: &mut AsyncPgConnection, actor: &Actor, change: &Change) -> ApiResult<()> {
    for (audience, kind, notice) in notice_of(change, actor).into_iter().chain(backdated(change, actor)) {
        tell(conn, actor, audience, kind, &notice).await?;
    }
    if let Some((audience, kind, notice)) = report_notice(change) {
        tell(conn, actor, audience, kind, &notice).await?;
    }
    Ok(())
}

async fn tell(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    audience: Audience,
    kind: NoticeKind,
    notice: &impl Serialize,
) -> ApiResult<()> {
    let (recipients, month) = match audience {
        Audience::One(user) => (vec![Addressee::User(user)], None),
        Audience::WatchersOf(action) => (users_of(watchers(conn, action).await?), None),
        Audience::Coordination => (users_of(active_with(conn, &[Role::Admin]).await?), None),
        Audience::Signers => (users_of(active_with(conn, &[Role::Admin, Role::Board]).await?), None),
        Audience::ReportRecipients { plan, month } => (reports::recipients(conn, plan).await?, Some(month)),
    };
    let payload = serde_json::to_value(notice).map_err(|e| ApiError::Internal(e.into()))?;
    let rows: Vec<_> = recipients
        .into_iter()
        .filter(|r| actor.user_id.is_none_or(|me| *r != Addressee::User(me)))
        .map(|recipient| {
            // A month's report reaches each of its recipients once, whatever is signed off.
            let key = month.as_ref().map(|month| match &recipient {
                Addressee::User(user) => format!("{month} user {user}"),
                Addressee::Address(address) => format!("{month} address {}", address.to_lowercase()),
            });
            let (user, address) = match recipient {
                Addressee::User(user) => (Some(user), None),
                Addressee::Address(address) => (None, Some(address)),
            };
            (
                mail_outbox::kind.eq(kind),
                mail_outbox::recipient_id.eq(user),
                mail_outbox::recipient_address.eq(address),
                mail_outbox::payload.eq(payload.clone()),
                mail_outbox::dedup_key.eq(key),
            )
        })
        .collect();
    if !rows.is_empty() {
        diesel::insert_into(mail_outbox::table)
            .values(&rows)
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
    }
    Ok(())
}

fn users_of(users: Vec<UserId>) -> Vec<Addressee> {
    users.into_iter().map(Addressee::User).collect()
}

/// The active accounts of these roles.
pub async fn active_with(conn: &mut AsyncPgConnection, roles: &[Role]) -> ApiResult<Vec<UserId>> {
    Ok(users::table
        .filter(users::role.eq_any(roles))
        .filter(users::active.eq(true))
        .order(users::id)
        .select(users::id)
        .load(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assignment(user: i64) -> serde_json::Value {
        serde_json::json!({"action_id": 7, "user_id": user})
    }

    #[test]
    fn an_assignment_tells_the_assignee_and_a_status_update_the_assignees() {
        let board = Actor {
            user_id: Some(UserId(1)),
            ..Actor::default()
        };
        let made = Change::created(Entity::Assignee, 7, Some(PlanId(1)), &assignment(5));
        let (audience, kind, notice) = notice_of(&made, &board).unwrap_or_else(|| panic!("a notice"));
        assert_eq!((audience, kind), (Audience::One(UserId(5)), NoticeKind::Assigned));
        assert_eq!(notice.by, Some(UserId(1)));
        let undone = Change::deleted(Entity::Assignee, 7, Some(PlanId(1)), &assignment(5));
        assert_eq!(notice_of(&undone, &board).map(|n| n.1), Some(NoticeKind::Unassigned));
        let update = serde_json::json!({"action_id": 7, "previous_status": "in_progress", "new_status": "completed"});
        let updated = Change::created(Entity::StatusUpdate, 40, Some(PlanId(1)), &update);
        let (audience, kind, notice) = notice_of(&updated, &board).unwrap_or_else(|| panic!("a notice"));
        assert_eq!(
            (audience, kind),
            (Audience::WatchersOf(ActionId(7)), NoticeKind::StatusUpdated)
        );
        assert_eq!(notice.status_update, Some(StatusUpdateId(40)));
        let first = serde_json::json!({"action_id": 7, "previous_status": null, "new_status": "not_started"});
        let created = Change::created(Entity::StatusUpdate, 41, Some(PlanId(1)), &first);
        assert!(notice_of(&created, &board).is_none());
        let comment = Change::created(Entity::Comment, 3, Some(PlanId(1)), &assignment(5));
        assert_eq!(
            notice_of(&comment, &board).map(|n| (n.0, n.1)),
            Some((Audience::WatchersOf(ActionId(7)), NoticeKind::Commented))
        );
        let other = Change::created(Entity::Orientation, 3, Some(PlanId(1)), &assignment(5));
        assert!(notice_of(&other, &board).is_none());
        // An échéancier: its label moved, or nothing worth telling.
        let label = |l: &str| serde_json::json!({"action_id": 7, "label": l});
        let moved = Change::updated(
            Entity::Deadline,
            9,
            Some(PlanId(1)),
            &label("Automne 2013"),
            &label("Hiver 2014"),
        );
        let (_, kind, notice) = notice_of(&moved, &board).unwrap_or_else(|| panic!("a notice"));
        assert_eq!(kind, NoticeKind::DeadlineChanged);
        assert_eq!(
            notice.deadline,
            Some((Some("Automne 2013".into()), Some("Hiver 2014".into())))
        );
        let same = Change::updated(
            Entity::Deadline,
            9,
            Some(PlanId(1)),
            &label("Automne 2013"),
            &label("Automne 2013"),
        );
        assert!(notice_of(&same, &board).is_none());
        let of_an_objective = serde_json::json!({"action_id": null, "objective_id": 2, "label": "Hiver 2014"});
        let objective = Change::created(Entity::Deadline, 10, Some(PlanId(1)), &of_an_objective);
        assert!(notice_of(&objective, &board).is_none());
    }
}
