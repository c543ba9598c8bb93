//! What a change tells people, queued in the change's own transaction (by `record`, the one
//! write path): the change and its mail are stored together or not at all. The message
//! itself is written when it is sent (`notifications`), for what its recipient may then read.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Actor, Change, Operation};
use crate::db::schema::{action_assignees, mail_outbox};
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ActionId, StatusUpdateId, UserId};

crate::text_enum! {
    /// The kinds of mail the service sends.
    pub enum NoticeKind {
        Assigned => "assigned",
        Unassigned => "unassigned",
        StatusUpdated => "status_updated",
        Invitation => "invitation",
        PasswordReset => "password_reset",
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
            mail_outbox::recipient_id.eq(recipient),
            mail_outbox::payload.eq(payload),
            mail_outbox::dedup_key.eq(dedup_key),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted == 1)
}

/// Who is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    One(UserId),
    AssigneesOf(ActionId),
}

fn id_in(value: Option<&Value>, field: &str) -> Option<i64> {
    value?.get(field)?.as_i64()
}

/// What a change tells, and to whom. Pure: what the change says, and who made it.
pub fn notice_of(change: &Change, actor: &Actor) -> Option<(Audience, NoticeKind, Notice)> {
    let by = actor.user_id;
    match (change.entity, change.operation) {
        (Entity::Assignee, Operation::Create | Operation::Delete) => {
            let kind = match change.operation {
                Operation::Create => NoticeKind::Assigned,
                _ => NoticeKind::Unassigned,
            };
            let user = UserId(id_in(change.after.as_ref().or(change.before.as_ref()), "user_id")?);
            let notice = Notice {
                action_id: ActionId(change.entity_id),
                by,
                status_update: None,
            };
            Some((Audience::One(user), kind, notice))
        }
        // The first entry of an action is its creation, not news.
        (Entity::StatusUpdate, Operation::Create) => {
            let after = change.after.as_ref()?;
            after.get("previous_status").filter(|p| !p.is_null())?;
            let notice = Notice {
                action_id: ActionId(id_in(Some(after), "action_id")?),
                by,
                status_update: Some(StatusUpdateId(change.entity_id)),
            };
            Some((
                Audience::AssigneesOf(notice.action_id),
                NoticeKind::StatusUpdated,
                notice,
            ))
        }
        _ => None,
    }
}

/// Queues what `change` tells people; call it inside the change's transaction. Nobody is
/// told of their own doing.
pub async fn enqueue(conn: &mut AsyncPgConnection, actor: &Actor, change: &Change) -> ApiResult<()> {
    let Some((audience, kind, notice)) = notice_of(change, actor) else {
        return Ok(());
    };
    let recipients: Vec<UserId> = match audience {
        Audience::One(user) => vec![user],
        Audience::AssigneesOf(action) => {
            action_assignees::table
                .filter(action_assignees::action_id.eq(action))
                .select(action_assignees::user_id)
                .load(conn)
                .await?
        }
    };
    let payload = serde_json::to_value(&notice).map_err(|e| ApiError::Internal(e.into()))?;
    let rows: Vec<_> = recipients
        .into_iter()
        .filter(|r| actor.user_id != Some(*r))
        .map(|recipient| {
            (
                mail_outbox::kind.eq(kind),
                mail_outbox::recipient_id.eq(recipient),
                mail_outbox::payload.eq(payload.clone()),
            )
        })
        .collect();
    if !rows.is_empty() {
        diesel::insert_into(mail_outbox::table)
            .values(&rows)
            .execute(conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PlanId;

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
            (Audience::AssigneesOf(ActionId(7)), NoticeKind::StatusUpdated)
        );
        assert_eq!(notice.status_update, Some(StatusUpdateId(40)));
        let first = serde_json::json!({"action_id": 7, "previous_status": null, "new_status": "not_started"});
        let created = Change::created(Entity::StatusUpdate, 41, Some(PlanId(1)), &first);
        assert!(notice_of(&created, &board).is_none());
        let other = Change::created(Entity::Comment, 3, Some(PlanId(1)), &assignment(5));
        assert!(notice_of(&other, &board).is_none());
    }
}
