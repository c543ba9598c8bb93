//! `GET /plans/{id}/tree`: the whole plan in one response, from eight queries (plan,
//! orientations, objectives, actions, deadlines, their periods, acronyms, the plan's last
//! deletion) whatever its size.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::Plan;
use crate::actions::model::{Action, ActionRow};
use crate::db::schema::{actions, audit_log, deadlines, objectives, orientations};
use crate::deadlines::model::{Deadline, DeadlineRow};
use crate::error::ApiResult;
use crate::glossary::model::GlossaryEntry;
use crate::ids::{ActionId, ObjectiveId, OrientationId, PlanId};
use crate::objectives::model::Objective;
use crate::orientations::model::Orientation;

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanTree {
    #[serde(flatten)]
    pub plan: Plan,
    /// Latest change anywhere in the plan ("Mise à jour").
    pub last_updated_at: DateTime<Utc>,
    pub orientations: Vec<OrientationNode>,
    /// Liste des sigles et acronymes.
    pub glossary: Vec<GlossaryEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrientationNode {
    #[serde(flatten)]
    pub orientation: Orientation,
    pub objectives: Vec<ObjectiveNode>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ObjectiveNode {
    #[serde(flatten)]
    pub objective: Objective,
    /// Échéancier of the objective itself (only when it has no action, as in the seed).
    pub deadlines: Vec<Deadline>,
    pub actions: Vec<ActionNode>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActionNode {
    #[serde(flatten)]
    pub action: Action,
    pub deadlines: Vec<Deadline>,
}

/// The rows of one plan, as loaded.
pub struct PlanRows {
    pub plan: Plan,
    pub last_updated_at: DateTime<Utc>,
    pub orientations: Vec<Orientation>,
    pub objectives: Vec<Objective>,
    pub actions: Vec<Action>,
    pub deadlines: Vec<Deadline>,
    pub glossary: Vec<GlossaryEntry>,
}

/// A plan with its orientations and objectives, in document order (no actions).
pub struct Outline {
    pub plan: Plan,
    pub last_updated_at: DateTime<Utc>,
    pub orientations: Vec<Orientation>,
    pub objectives: Vec<Objective>,
}

pub async fn load_outline(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<Outline> {
    let (plan, last_updated_at) = Plan::read_with_last_change(conn, plan_id).await?;
    let (orientations, objectives) = load_structure(conn, plan_id).await?;
    Ok(Outline {
        plan,
        last_updated_at,
        orientations,
        objectives,
    })
}

/// The plan's orientations and objectives, in document order.
async fn load_structure(
    conn: &mut AsyncPgConnection,
    plan_id: PlanId,
) -> ApiResult<(Vec<Orientation>, Vec<Objective>)> {
    let orientations = orientations::table
        .filter(orientations::plan_id.eq(plan_id))
        .order(orientations::position)
        .select(Orientation::as_select())
        .load(conn)
        .await?;
    let objectives = objectives::table
        .inner_join(orientations::table)
        .filter(orientations::plan_id.eq(plan_id))
        .order((orientations::position, objectives::position))
        .select(Objective::as_select())
        .load(conn)
        .await?;
    Ok((orientations, objectives))
}

/// Every row of the plan. "Mise à jour" is taken from the rows themselves and the plan's
/// last deletion, rather than from `plan_last_changed_at()`, which would read them all again
/// (17 ms of the 10,000-action plan's tree).
pub async fn load_rows(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<PlanRows> {
    let plan = Plan::read(conn, plan_id).await?;
    let (orientations, objectives) = load_structure(conn, plan_id).await?;
    let actions: Vec<Action> = actions::table
        .inner_join(objectives::table.inner_join(orientations::table))
        .filter(orientations::plan_id.eq(plan_id))
        .order((orientations::position, objectives::position, actions::position))
        .select(ActionRow::as_select())
        .load(conn)
        .await?
        .into_iter()
        .map(Action::from)
        .collect();
    let action_ids: Vec<ActionId> = actions.iter().map(|a| a.id).collect();
    let objective_ids: Vec<ObjectiveId> = objectives.iter().map(|o| o.id).collect();
    let deadlines = deadlines::table
        .filter(
            deadlines::action_id
                .eq_any(action_ids)
                .or(deadlines::objective_id.eq_any(objective_ids)),
        )
        .order(deadlines::position)
        .select(DeadlineRow::as_select())
        .load(conn)
        .await?;
    let deadlines = crate::deadlines::understanding::with_periods(conn, deadlines).await?;
    let glossary = GlossaryEntry::list(conn, plan_id).await?;
    let last_deletion: Option<DateTime<Utc>> = audit_log::table
        .filter(audit_log::plan_id.eq(plan_id).and(audit_log::operation.eq("delete")))
        .select(diesel::dsl::max(audit_log::at))
        .get_result(conn)
        .await?;
    let mut rows = PlanRows {
        last_updated_at: plan.updated_at,
        plan,
        orientations,
        objectives,
        actions,
        deadlines,
        glossary,
    };
    rows.last_updated_at = last_change(&rows, last_deletion);
    Ok(rows)
}

/// The latest change anywhere in the plan: what `plan_last_changed_at()` computes in SQL.
fn last_change(rows: &PlanRows, last_deletion: Option<DateTime<Utc>>) -> DateTime<Utc> {
    rows.orientations
        .iter()
        .map(|o| o.updated_at)
        .chain(rows.objectives.iter().map(|o| o.updated_at))
        .chain(rows.actions.iter().map(|a| a.updated_at))
        .chain(rows.deadlines.iter().map(|d| d.updated_at))
        .chain(rows.glossary.iter().map(|g| g.updated_at))
        .chain(last_deletion)
        .fold(rows.plan.updated_at, DateTime::max)
}

pub async fn load_tree(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<PlanTree> {
    Ok(assemble(load_rows(conn, plan_id).await?))
}

/// Nests the rows; each list keeps the order it was loaded in (by position).
pub fn assemble(rows: PlanRows) -> PlanTree {
    let PlanRows {
        plan,
        last_updated_at,
        orientations,
        objectives,
        actions,
        deadlines,
        glossary,
    } = rows;
    let mut action_deadlines: HashMap<ActionId, Vec<Deadline>> = HashMap::new();
    let mut objective_deadlines: HashMap<ObjectiveId, Vec<Deadline>> = HashMap::new();
    for deadline in deadlines {
        match (deadline.action_id, deadline.objective_id) {
            (Some(action), _) => action_deadlines.entry(action).or_default().push(deadline),
            (None, Some(objective)) => objective_deadlines.entry(objective).or_default().push(deadline),
            (None, None) => {}
        }
    }
    let mut objective_actions: HashMap<ObjectiveId, Vec<ActionNode>> = HashMap::new();
    for action in actions {
        let deadlines = action_deadlines.remove(&action.id).unwrap_or_default();
        objective_actions
            .entry(action.objective_id)
            .or_default()
            .push(ActionNode { action, deadlines });
    }
    let mut orientation_objectives: HashMap<OrientationId, Vec<ObjectiveNode>> = HashMap::new();
    for objective in objectives {
        let node = ObjectiveNode {
            deadlines: objective_deadlines.remove(&objective.id).unwrap_or_default(),
            actions: objective_actions.remove(&objective.id).unwrap_or_default(),
            objective,
        };
        orientation_objectives
            .entry(node.objective.orientation_id)
            .or_default()
            .push(node);
    }
    let orientations = orientations
        .into_iter()
        .map(|orientation| OrientationNode {
            objectives: orientation_objectives.remove(&orientation.id).unwrap_or_default(),
            orientation,
        })
        .collect();
    PlanTree {
        plan,
        last_updated_at,
        orientations,
        glossary,
    }
}
