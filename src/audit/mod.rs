//! The audit trail: every mutation writes who, when, what, before and after, in the
//! transaction of the change itself.

pub mod routes;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

pub use routes::routes;

use crate::db::schema::audit_log;
use crate::error::{ApiError, ApiResult};

/// Who makes a change: a signed-in user, or the system (CLI, demo loading).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn system() -> Actor {
        Actor::default()
    }
}

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
    pub entity: &'static str,
    pub entity_id: i64,
    pub operation: Operation,
    pub plan_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

fn json<T: Serialize>(value: &T) -> Option<Value> {
    serde_json::to_value(value).ok()
}

impl Change {
    pub fn created<T: Serialize>(entity: &'static str, entity_id: i64, plan_id: Option<i64>, after: &T) -> Change {
        Change {
            entity,
            entity_id,
            operation: Operation::Create,
            plan_id,
            before: None,
            after: json(after),
        }
    }

    pub fn updated<T: Serialize>(
        entity: &'static str,
        entity_id: i64,
        plan_id: Option<i64>,
        before: &T,
        after: &T,
    ) -> Change {
        Change {
            entity,
            entity_id,
            operation: Operation::Update,
            plan_id,
            before: json(before),
            after: json(after),
        }
    }

    pub fn deleted<T: Serialize>(entity: &'static str, entity_id: i64, plan_id: Option<i64>, before: &T) -> Change {
        Change {
            entity,
            entity_id,
            operation: Operation::Delete,
            plan_id,
            before: json(before),
            after: None,
        }
    }
}

/// Writes the audit row; call it inside the transaction of the change.
pub async fn record(conn: &mut AsyncPgConnection, actor: &Actor, change: Change) -> ApiResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::user_id.eq(actor.user_id),
            audit_log::request_id.eq(actor.request_id.clone()),
            audit_log::entity.eq(change.entity),
            audit_log::entity_id.eq(change.entity_id),
            audit_log::operation.eq(change.operation),
            audit_log::plan_id.eq(change.plan_id),
            audit_log::before.eq(change.before),
            audit_log::after.eq(change.after),
        ))
        .execute(conn)
        .await
        .map_err(ApiError::from)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = audit_log, check_for_backend(diesel::pg::Pg))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// Null for changes made by the system (CLI import, demo loading).
    pub user_id: Option<i64>,
    #[schema(example = "action")]
    pub entity: String,
    pub entity_id: i64,
    pub operation: Operation,
    pub plan_id: Option<i64>,
    #[schema(value_type = Option<Object>, example = json!({"status": "in_progress", "version": 1}))]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>, example = json!({"status": "completed", "version": 2}))]
    pub after: Option<Value>,
    pub request_id: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub user_id: Option<i64>,
    pub plan_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: i64,
    pub offset: i64,
}

fn filtered(query: &AuditQuery) -> audit_log::BoxedQuery<'static, diesel::pg::Pg> {
    let mut boxed = audit_log::table.into_boxed();
    if let Some(entity) = &query.entity {
        boxed = boxed.filter(audit_log::entity.eq(entity.clone()));
    }
    if let Some(entity_id) = query.entity_id {
        boxed = boxed.filter(audit_log::entity_id.eq(entity_id));
    }
    if let Some(user_id) = query.user_id {
        boxed = boxed.filter(audit_log::user_id.eq(user_id));
    }
    if let Some(plan_id) = query.plan_id {
        boxed = boxed.filter(audit_log::plan_id.eq(plan_id));
    }
    if let Some(from) = query.from {
        boxed = boxed.filter(audit_log::at.ge(from));
    }
    if let Some(to) = query.to {
        boxed = boxed.filter(audit_log::at.lt(to));
    }
    boxed
}

/// Newest first, one page, with the number of matching entries.
pub async fn search(conn: &mut AsyncPgConnection, query: &AuditQuery) -> ApiResult<(Vec<AuditEntry>, i64)> {
    let total = filtered(query).count().get_result(conn).await?;
    let items = filtered(query)
        .select(AuditEntry::as_select())
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(query.limit)
        .offset(query.offset)
        .load(conn)
        .await?;
    Ok((items, total))
}
