//! Recording a status update, and who may: the API, the page and the status sheet all
//! come here, so the rule and its message are written once.

use std::collections::HashSet;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::actions::history::StatusUpdate;
use crate::actions::model::{Action, ActionEdit};
use crate::assignees::model::is_assigned;
use crate::auth::{AuthUser, Permission};
use crate::db::schema::action_assignees;
use crate::error::{ApiError, ApiResult};
use crate::etag::IfMatch;
use crate::ids::ActionId;
pub use crate::security::permissions::not_assigned;
use crate::write::{self, lookup};

/// The actions `user` may update: every one, or those assigned to them.
pub enum Updatable {
    Every,
    Assigned(HashSet<i64>),
}

impl Updatable {
    pub fn contains(&self, action: i64) -> bool {
        match self {
            Updatable::Every => true,
            Updatable::Assigned(ids) => ids.contains(&action),
        }
    }
}

pub async fn updatable(conn: &mut AsyncPgConnection, user: &AuthUser) -> ApiResult<Updatable> {
    if Permission::UpdateAnyStatus.allows(user.role()) {
        return Ok(Updatable::Every);
    }
    if !Permission::UpdateAssignedStatus.allows(user.role()) {
        return Ok(Updatable::Assigned(HashSet::new()));
    }
    let ids = action_assignees::table
        .filter(action_assignees::user_id.eq(user.id()))
        .select(action_assignees::action_id)
        .load::<i64>(conn)
        .await?;
    Ok(Updatable::Assigned(ids.into_iter().collect()))
}

/// Whether `user` may record a status update on this action: anyone who may update every
/// action, else only the people it is assigned to. 404 for an action that does not exist.
pub async fn may_update(conn: &mut AsyncPgConnection, user: &AuthUser, id: ActionId) -> ApiResult<bool> {
    if !Permission::UpdateAssignedStatus.allows(user.role()) {
        return Ok(false);
    }
    if Permission::UpdateAnyStatus.allows(user.role()) {
        return Ok(true);
    }
    if is_assigned(conn, id, user.id()).await? {
        return Ok(true);
    }
    lookup::plan_of_action(conn, id).await?;
    Ok(false)
}

/// Records a status update on action `id` read at `expected`.
pub async fn record(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: ActionId,
    expected: IfMatch,
    edit: ActionEdit,
) -> ApiResult<(Action, StatusUpdate)> {
    user.require(Permission::UpdateAssignedStatus)?;
    if !may_update(conn, user, id).await? {
        return Err(ApiError::Forbidden(not_assigned(None)));
    }
    let (action, entry) = write::update_returning::<Action, _>(conn, &user.actor(), id, expected, edit).await?;
    let status_update = entry.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a status update wrote no history")))?;
    Ok((action, status_update))
}
