//! The audit row: who, when, what, before and after, written in the transaction of the
//! change itself.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::Value;

use super::Actor;
use crate::db::schema::audit_log;
use crate::entity::Entity;
use crate::error::ApiResult;
use crate::ids::PlanId;

crate::text_enum! {
    pub enum Operation {
        Create => "create",
        Update => "update",
        Delete => "delete",
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change {
    pub entity: Entity,
    pub entity_id: i64,
    pub operation: Operation,
    pub plan_id: Option<PlanId>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

fn json<T: Serialize>(value: &T) -> Option<Value> {
    serde_json::to_value(value).ok()
}

impl Change {
    pub fn created<T: Serialize>(
        entity: Entity,
        entity_id: impl Into<i64>,
        plan_id: Option<PlanId>,
        after: &T,
    ) -> Change {
        Change {
            entity,
            entity_id: entity_id.into(),
            operation: Operation::Create,
            plan_id,
            before: None,
            after: json(after),
        }
    }

    pub fn updated<T: Serialize>(
        entity: Entity,
        entity_id: impl Into<i64>,
        plan_id: Option<PlanId>,
        before: &T,
        after: &T,
    ) -> Change {
        Change {
            entity,
            entity_id: entity_id.into(),
            operation: Operation::Update,
            plan_id,
            before: json(before),
            after: json(after),
        }
    }

    pub fn deleted<T: Serialize>(
        entity: Entity,
        entity_id: impl Into<i64>,
        plan_id: Option<PlanId>,
        before: &T,
    ) -> Change {
        Change {
            entity,
            entity_id: entity_id.into(),
            operation: Operation::Delete,
            plan_id,
            before: json(before),
            after: None,
        }
    }
}

/// Writes the audit row, and the mail the change makes; call it inside the transaction of
/// the change.
pub async fn record(conn: &mut AsyncPgConnection, actor: &Actor, change: Change) -> ApiResult<()> {
    super::outbox::enqueue(conn, actor, &change).await?;
    super::webhooks::enqueue(conn, &change).await?;
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::user_id.eq(actor.user_id),
            audit_log::request_id.eq(actor.request_id.clone()),
            audit_log::client_request_id.eq(actor.client_request_id.clone()),
            audit_log::api_token_id.eq(actor.api_token_id),
            audit_log::entity.eq(change.entity),
            audit_log::entity_id.eq(change.entity_id),
            audit_log::operation.eq(change.operation),
            audit_log::plan_id.eq(change.plan_id),
            audit_log::before.eq(change.before),
            audit_log::after.eq(change.after),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
