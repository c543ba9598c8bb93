//! Where a row sits in its plan: the plan lookups every change needs for its audit row,
//! answered from the schema alone so that no resource module depends on another's.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{actions, objectives, orientations, plans};
use crate::entity::Entity;
use crate::error::{ApiResult, OrNotFound};
use crate::ids::{ActionId, ObjectiveId, OrientationId, PlanId};

/// 404 unless the plan exists.
pub async fn plan(conn: &mut AsyncPgConnection, id: PlanId) -> ApiResult<PlanId> {
    plans::table
        .find(id)
        .select(plans::id)
        .first(conn)
        .await
        .or_not_found(Entity::Plan, id.0)
}

/// The plan's state (draft, adopted, closed), for what it allows.
pub async fn plan_state(conn: &mut AsyncPgConnection, id: PlanId) -> ApiResult<crate::lifecycle::PlanState> {
    plans::table
        .find(id)
        .select(plans::state)
        .first(conn)
        .await
        .or_not_found(Entity::Plan, id.0)
}

pub async fn plan_of_orientation(conn: &mut AsyncPgConnection, id: OrientationId) -> ApiResult<PlanId> {
    orientations::table
        .find(id)
        .select(orientations::plan_id)
        .first(conn)
        .await
        .or_not_found(Entity::Orientation, id.0)
}

pub async fn plan_of_objective(conn: &mut AsyncPgConnection, id: ObjectiveId) -> ApiResult<PlanId> {
    objectives::table
        .inner_join(orientations::table)
        .filter(objectives::id.eq(id))
        .select(orientations::plan_id)
        .first(conn)
        .await
        .or_not_found(Entity::Objective, id.0)
}

pub async fn plan_of_action(conn: &mut AsyncPgConnection, id: ActionId) -> ApiResult<PlanId> {
    actions::table
        .inner_join(objectives::table.inner_join(orientations::table))
        .filter(actions::id.eq(id))
        .select(orientations::plan_id)
        .first(conn)
        .await
        .or_not_found(Entity::Action, id.0)
}
