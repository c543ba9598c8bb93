//! Reading the audit trail (it is written by `write`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::db::schema::audit_log;
use crate::error::ApiResult;
use crate::write::Operation;

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
    #[schema(value_type = Option<std::collections::HashMap<String, Value>>, example = json!({"status": "in_progress", "version": 1}))]
    pub before: Option<Value>,
    #[schema(value_type = Option<std::collections::HashMap<String, Value>>, example = json!({"status": "completed", "version": 2}))]
    pub after: Option<Value>,
    /// Ours: the `X-Request-Id` of the response, found in the service's log lines.
    pub request_id: Option<String>,
    /// The `X-Request-Id` the client sent, if it was well-formed (1 to 128 of `A-Za-z0-9._:-`).
    pub client_request_id: Option<String>,
    /// The API token the change was made with (`GET /api/v1/me/api-tokens` lists one's own).
    pub api_token_id: Option<i64>,
}

#[derive(Debug, Default, Clone)]
pub struct AuditQuery {
    pub entity: Option<crate::entity::Entity>,
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
        boxed = boxed.filter(audit_log::entity.eq(*entity));
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
