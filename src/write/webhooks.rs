//! What a change tells other systems, queued in the change's own transaction (by `record`,
//! the one write path): one delivery per enabled endpoint subscribed to the change's event
//! (`events::event_of`), carrying the entity as the API returns it. `webhooks` delivers them.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{Value, json};

use super::Change;
use super::events::event_of;
use crate::db::schema::{webhook_deliveries, webhook_endpoints};
use crate::entity::Entity;
use crate::error::ApiResult;

/// Where the entity of a change is read in the API (or its action's list of them).
pub fn link(entity: Entity, id: i64, object: &Value) -> Option<String> {
    let action = object.get("action_id").and_then(Value::as_i64);
    let path = match entity {
        Entity::Plan => format!("plans/{id}"),
        Entity::Orientation => format!("orientations/{id}"),
        Entity::Objective => format!("objectives/{id}"),
        Entity::Action => format!("actions/{id}"),
        Entity::Deadline => format!("deadlines/{id}"),
        Entity::Comment => format!("comments/{id}"),
        Entity::GlossaryEntry => format!("glossary/{id}"),
        Entity::Event => format!("events/{id}"),
        Entity::SavedReport => format!("reports/{id}"),
        Entity::StatusUpdate => format!("actions/{}/status-updates", action?),
        Entity::Assignee => format!("actions/{id}/assignees"),
        _ => return None,
    };
    Some(format!("/api/v1/{path}"))
}

/// The event's body (Standard Webhooks: `type`, `timestamp`, `data`). Pure.
pub fn payload(event: &str, change: &Change, at: chrono::DateTime<chrono::Utc>) -> Value {
    let object = change
        .after
        .clone()
        .or_else(|| change.before.clone())
        .unwrap_or(Value::Null);
    json!({
        "type": event,
        "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": {
            "entity": change.entity.as_str(),
            "id": change.entity_id,
            "plan_id": change.plan_id.map(|p| p.0),
            "links": {"self": link(change.entity, change.entity_id, &object)},
            "object": object,
        }
    })
}

/// Queues the deliveries `change` makes; call it inside the change's transaction.
pub async fn enqueue(conn: &mut AsyncPgConnection, change: &Change) -> ApiResult<()> {
    let Some(event) = event_of(change) else {
        return Ok(());
    };
    let endpoints: Vec<i64> = webhook_endpoints::table
        .filter(webhook_endpoints::enabled.eq(true))
        .filter(webhook_endpoints::event_types.contains(vec![Some(event.clone())]))
        .select(webhook_endpoints::id)
        .load(conn)
        .await?;
    if endpoints.is_empty() {
        return Ok(());
    }
    let body = payload(&event, change, chrono::Utc::now());
    let rows: Vec<_> = endpoints
        .into_iter()
        .map(|endpoint| {
            (
                webhook_deliveries::endpoint_id.eq(endpoint),
                webhook_deliveries::message_id.eq(format!("msg_{}", uuid::Uuid::new_v4().simple())),
                webhook_deliveries::event_type.eq(event.clone()),
                webhook_deliveries::payload.eq(body.clone()),
            )
        })
        .collect();
    diesel::insert_into(webhook_deliveries::table)
        .values(&rows)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PlanId;

    #[test]
    fn an_event_carries_the_entity_as_the_api_returns_it_and_where_to_read_it() {
        let update = json!({"id": 40, "action_id": 7, "previous_status": "in_progress", "new_status": "completed"});
        let change = Change::created(Entity::StatusUpdate, 40, Some(PlanId(1)), &update);
        let at = chrono::DateTime::from_timestamp(1_383_660_000, 0).unwrap_or_default();
        let body = payload("action.status_updated", &change, at);
        assert_eq!(body["type"], "action.status_updated");
        assert_eq!(body["timestamp"], "2013-11-05T14:00:00.000Z");
        assert_eq!(body["data"]["object"]["new_status"], "completed");
        assert_eq!(body["data"]["links"]["self"], "/api/v1/actions/7/status-updates");
        assert_eq!(body["data"]["plan_id"], 1);
        let gone = Change::deleted(Entity::Action, 7, Some(PlanId(1)), &json!({"id": 7}));
        assert_eq!(payload("action.deleted", &gone, at)["data"]["object"]["id"], 7);
    }
}
