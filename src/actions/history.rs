//! The status history of actions: one row per change of status, note or progress, and
//! one per status update. Reports are built from it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::Action;
use crate::db::schema::status_updates;
use crate::entity::Entity;
use crate::error::ApiResult;
use crate::ids::{ActionId, StatusUpdateId, UserId};
use crate::progress::{ActionStatus, Progress};
use crate::write::{Change, Context, lookup};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = status_updates, check_for_backend(diesel::pg::Pg))]
pub struct StatusUpdateRow {
    pub id: StatusUpdateId,
    pub action_id: ActionId,
    pub author_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub previous_status: Option<ActionStatus>,
    pub new_status: ActionStatus,
    pub note: Option<String>,
    pub progress_done: Option<i32>,
    pub progress_target: Option<i32>,
    pub progress_unit: Option<String>,
    pub decision: Option<String>,
}

/// One entry of an action's status history.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StatusUpdate {
    #[schema(value_type = i64)]
    pub id: StatusUpdateId,
    #[schema(value_type = i64)]
    pub action_id: ActionId,
    /// Null for the états read from an imported plan document.
    #[schema(value_type = Option<i64>)]
    pub author_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    /// Null for the first entry of an action.
    pub previous_status: Option<ActionStatus>,
    pub new_status: ActionStatus,
    #[schema(example = "7 régions visitées")]
    pub note: Option<String>,
    pub progress: Option<Progress>,
    /// The board meeting or resolution that approved the change.
    #[schema(example = "Résolution CA-2013-11-04")]
    pub decision: Option<String>,
}

impl From<StatusUpdateRow> for StatusUpdate {
    fn from(row: StatusUpdateRow) -> StatusUpdate {
        StatusUpdate {
            id: row.id,
            action_id: row.action_id,
            author_id: row.author_id,
            created_at: row.created_at,
            previous_status: row.previous_status,
            new_status: row.new_status,
            note: row.note,
            progress: Progress::from_columns(row.progress_done, row.progress_target, row.progress_unit),
            decision: row.decision,
        }
    }
}

/// Appends the history row for a change from `before` (none for a new action) to `after`.
pub async fn append(
    conn: &mut AsyncPgConnection,
    ctx: Context<'_>,
    before: Option<&Action>,
    after: &Action,
    decision: Option<String>,
) -> ApiResult<StatusUpdate> {
    let (done, target, unit) = Progress::columns(after.progress.as_ref());
    let row = diesel::insert_into(status_updates::table)
        .values((
            status_updates::action_id.eq(after.id),
            status_updates::author_id.eq(ctx.actor.user_id),
            status_updates::previous_status.eq(before.map(|b| b.status)),
            status_updates::new_status.eq(after.status),
            status_updates::note.eq(after.progress_note.clone()),
            status_updates::progress_done.eq(done),
            status_updates::progress_target.eq(target),
            status_updates::progress_unit.eq(unit),
            status_updates::decision.eq(decision),
        ))
        .returning(StatusUpdateRow::as_returning())
        .get_result(conn)
        .await?;
    let update = StatusUpdate::from(row);
    ctx.record(
        conn,
        Change::created(Entity::StatusUpdate, update.id, ctx.plan_id, &update),
    )
    .await?;
    Ok(update)
}

/// Newest first.
pub async fn list(conn: &mut AsyncPgConnection, action_id: ActionId) -> ApiResult<Vec<StatusUpdate>> {
    lookup::plan_of_action(conn, action_id).await?;
    let rows: Vec<StatusUpdateRow> = status_updates::table
        .filter(status_updates::action_id.eq(action_id))
        .order((status_updates::created_at.desc(), status_updates::id.desc()))
        .select(StatusUpdateRow::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(StatusUpdate::from).collect())
}
