//! What changed between two saved reports: statuses, notes, deadlines that slipped,
//! actions added or removed. Pure: it compares the two frozen snapshots.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{ProgressReport, TableAction};
use crate::progress::ActionStatus;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReportDiff {
    pub from_report: i64,
    pub to_report: i64,
    pub status_changes: Vec<StatusChange>,
    pub note_changes: Vec<NoteChange>,
    pub slipped_deadlines: Vec<Slip>,
    pub added: Vec<ActionRef>,
    pub removed: Vec<ActionRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ActionRef {
    pub action_id: i64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StatusChange {
    pub action_id: i64,
    pub title: String,
    pub before: ActionStatus,
    pub after: ActionStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct NoteChange {
    pub action_id: i64,
    pub title: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A deadline pushed later (or rewritten): what it read before and after.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Slip {
    pub action_id: i64,
    pub title: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
    pub due_before: Option<NaiveDate>,
    pub due_after: Option<NaiveDate>,
}

fn actions(report: &ProgressReport) -> BTreeMap<i64, &TableAction> {
    report
        .table
        .iter()
        .flat_map(|o| o.objectives.iter())
        .flat_map(|b| b.actions.iter())
        .map(|a| (a.action_id, a))
        .collect()
}

pub fn diff(from_report: i64, a: &ProgressReport, to_report: i64, b: &ProgressReport) -> ReportDiff {
    let (before, after) = (actions(a), actions(b));
    let reference = |x: &TableAction| ActionRef {
        action_id: x.action_id,
        title: x.title.clone(),
    };
    let mut result = ReportDiff {
        from_report,
        to_report,
        status_changes: Vec::new(),
        note_changes: Vec::new(),
        slipped_deadlines: Vec::new(),
        added: after
            .iter()
            .filter(|(id, _)| !before.contains_key(id))
            .map(|(_, x)| reference(x))
            .collect(),
        removed: before
            .iter()
            .filter(|(id, _)| !after.contains_key(id))
            .map(|(_, x)| reference(x))
            .collect(),
    };
    for (id, old) in &before {
        let Some(new) = after.get(id) else { continue };
        if old.status != new.status {
            result.status_changes.push(StatusChange {
                action_id: *id,
                title: new.title.clone(),
                before: old.status,
                after: new.status,
            });
        }
        if old.note != new.note {
            result.note_changes.push(NoteChange {
                action_id: *id,
                title: new.title.clone(),
                before: old.note.clone(),
                after: new.note.clone(),
            });
        }
        let later = matches!((old.due_on, new.due_on), (Some(x), Some(y)) if y > x);
        if later || old.deadlines != new.deadlines {
            result.slipped_deadlines.push(Slip {
                action_id: *id,
                title: new.title.clone(),
                before: old.deadlines.clone(),
                after: new.deadlines.clone(),
                due_before: old.due_on,
                due_after: new.due_on,
            });
        }
    }
    result
}
