//! What a change tells other systems: the audit's changes of the plan's data, named
//! `{thing}.{created|updated|deleted}`, and a few by what they mean
//! (`action.status_updated`, `report.signed_off`, `plan.adopted`…). Accounts, tokens and
//! other secrets are never told. Pure.

use serde_json::Value;

use super::{Change, Operation};
use crate::entity::Entity;

/// What the API calls each kind of thing in an event's name; none for what is never told.
fn thing(entity: Entity) -> Option<&'static str> {
    Some(match entity {
        Entity::Plan => "plan",
        Entity::Orientation => "orientation",
        Entity::Objective => "objective",
        Entity::Action => "action",
        Entity::Deadline => "deadline",
        Entity::Comment => "comment",
        Entity::GlossaryEntry => "glossary_entry",
        Entity::Event => "event",
        Entity::StatusUpdate | Entity::Assignee | Entity::SavedReport => return None,
        Entity::User | Entity::ApiToken | Entity::CalendarFeed | Entity::ReportSchedule | Entity::Webhook => {
            return None;
        }
    })
}

/// Every event an endpoint may subscribe to, in a stable order.
pub fn all() -> Vec<String> {
    let mut types = Vec::new();
    for entity in Entity::ALL {
        if let Some(thing) = thing(*entity) {
            for op in ["created", "updated", "deleted"] {
                types.push(format!("{thing}.{op}"));
            }
        }
    }
    types.extend(
        [
            "action.status_updated",
            "action.assigned",
            "action.unassigned",
            "plan.adopted",
            "plan.closed",
            "report.saved",
            "report.signed_off",
        ]
        .map(str::to_owned),
    );
    types
}

fn field<'a>(value: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    value?.get(name).filter(|v| !v.is_null())
}

/// The event a change is, if any.
pub fn event_of(change: &Change) -> Option<String> {
    let after = change.after.as_ref();
    let before = change.before.as_ref();
    let op = match change.operation {
        Operation::Create => "created",
        Operation::Update => "updated",
        Operation::Delete => "deleted",
    };
    match (change.entity, change.operation) {
        // An action's first history entry is its creation, told as `action.created`.
        (Entity::StatusUpdate, Operation::Create) => {
            field(after, "previous_status").map(|_| "action.status_updated".to_owned())
        }
        (Entity::Assignee, Operation::Create) => Some("action.assigned".to_owned()),
        (Entity::Assignee, Operation::Delete) => Some("action.unassigned".to_owned()),
        (Entity::SavedReport, Operation::Create) => Some("report.saved".to_owned()),
        (Entity::SavedReport, Operation::Update) => (field(after, "signed_off_by").is_some()
            && field(before, "signed_off_by").is_none())
        .then(|| "report.signed_off".to_owned()),
        (Entity::Plan, Operation::Update) if field(after, "state") != field(before, "state") => {
            match field(after, "state").and_then(Value::as_str) {
                Some("adopted") => Some("plan.adopted".to_owned()),
                Some("closed") => Some("plan.closed".to_owned()),
                _ => Some("plan.updated".to_owned()),
            }
        }
        (entity, _) => thing(entity).map(|thing| format!("{thing}.{op}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PlanId;
    use serde_json::json;

    #[test]
    fn changes_are_named_by_what_they_mean() {
        let plan = Some(PlanId(1));
        let update = |previous: Value| json!({"action_id": 5, "previous_status": previous, "new_status": "completed"});
        let first = Change::created(Entity::StatusUpdate, 1, plan, &update(Value::Null));
        assert_eq!(event_of(&first), None);
        let moved = Change::created(Entity::StatusUpdate, 2, plan, &update(json!("in_progress")));
        assert_eq!(event_of(&moved).as_deref(), Some("action.status_updated"));
        let report = |signed: Value| json!({"id": 3, "signed_off_by": signed});
        let signed = Change::updated(Entity::SavedReport, 3, plan, &report(Value::Null), &report(json!(2)));
        assert_eq!(event_of(&signed).as_deref(), Some("report.signed_off"));
        let saved = Change::created(Entity::SavedReport, 3, plan, &report(Value::Null));
        assert_eq!(event_of(&saved).as_deref(), Some("report.saved"));
        let state = |s: &str| json!({"id": 1, "state": s, "title": "P"});
        let adopted = Change::updated(Entity::Plan, 1, plan, &state("draft"), &state("adopted"));
        assert_eq!(event_of(&adopted).as_deref(), Some("plan.adopted"));
        let renamed = Change::updated(Entity::Plan, 1, plan, &state("adopted"), &state("adopted"));
        assert_eq!(event_of(&renamed).as_deref(), Some("plan.updated"));
        let gone = Change::deleted(Entity::Action, 5, plan, &json!({"id": 5}));
        assert_eq!(event_of(&gone).as_deref(), Some("action.deleted"));
        let account = Change::created(Entity::User, 9, None, &json!({"id": 9}));
        assert_eq!(event_of(&account), None);
        let every = all();
        for name in [
            "action.created",
            "action.status_updated",
            "report.signed_off",
            "plan.closed",
        ] {
            assert!(every.contains(&name.to_owned()), "{name}");
        }
        assert!(
            !every
                .iter()
                .any(|t| t.starts_with("user.") || t.starts_with("api_token."))
        );
    }
}
