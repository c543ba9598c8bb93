//! What a change tells people, queued in the change's own transaction (by `record`, the one
//! write path): the change and its mail are stored together or not at all. The message
//! itself is written when it is sent (`notifications`), for what its recipient may then read.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Actor, Change, Operation};
use crate::db::schema::mail_outbox;
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ActionId, UserId};

crate::text_enum! {
    /// The kinds of mail the service sends.
    pub enum NoticeKind {
        Assigned => "assigned",
        Unassigned => "unassigned",
    }
}

/// What one message tells its recipient, by reference: the action, who made the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub action_id: ActionId,
    /// Who made the change; none for the system.
    pub by: Option<UserId>,
}

fn user_of(value: Option<&Value>) -> Option<UserId> {
    value?.get("user_id")?.as_i64().map(UserId)
}

/// The messages a change makes, each with its recipient. Pure: what the change says, and
/// who made it (nobody is told of their own doing).
pub fn notices(change: &Change, actor: &Actor) -> Vec<(UserId, NoticeKind, Notice)> {
    let kind = match (change.entity, change.operation) {
        (Entity::Assignee, Operation::Create) => NoticeKind::Assigned,
        (Entity::Assignee, Operation::Delete) => NoticeKind::Unassigned,
        _ => return Vec::new(),
    };
    let Some(recipient) = user_of(change.after.as_ref().or(change.before.as_ref())) else {
        return Vec::new();
    };
    if actor.user_id == Some(recipient) {
        return Vec::new();
    }
    let notice = Notice {
        action_id: ActionId(change.entity_id),
        by: actor.user_id,
    };
    vec![(recipient, kind, notice)]
}

/// Queues what `change` tells people; call it inside the change's transaction.
pub async fn enqueue(conn: &mut AsyncPgConnection, actor: &Actor, change: &Change) -> ApiResult<()> {
    let rows = notices(change, actor)
        .into_iter()
        .map(|(recipient, kind, notice)| {
            let payload = serde_json::to_value(notice).map_err(|e| ApiError::Internal(e.into()))?;
            Ok((
                mail_outbox::kind.eq(kind),
                mail_outbox::recipient_id.eq(recipient),
                mail_outbox::payload.eq(payload),
            ))
        })
        .collect::<ApiResult<Vec<_>>>()?;
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
    fn an_assignment_tells_the_assignee_unless_they_made_it() {
        let board = Actor {
            user_id: Some(UserId(1)),
            ..Actor::default()
        };
        let made = Change::created(Entity::Assignee, 7, Some(PlanId(1)), &assignment(5));
        let told = notices(&made, &board);
        assert_eq!(
            told,
            [(
                UserId(5),
                NoticeKind::Assigned,
                Notice {
                    action_id: ActionId(7),
                    by: Some(UserId(1))
                }
            )]
        );
        let undone = Change::deleted(Entity::Assignee, 7, Some(PlanId(1)), &assignment(5));
        assert_eq!(notices(&undone, &board)[0].1, NoticeKind::Unassigned);
        let own = Actor {
            user_id: Some(UserId(5)),
            ..Actor::default()
        };
        assert!(notices(&made, &own).is_empty());
        let other = Change::created(Entity::Comment, 3, Some(PlanId(1)), &assignment(5));
        assert!(notices(&other, &board).is_empty());
    }
}
