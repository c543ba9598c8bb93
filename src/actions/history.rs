//! The status history of actions: one row per change of status, note or progress, and
//! one per status update. Reports are built from it.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::Action;
use crate::db::schema::{plans, status_updates};
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::i18n::Text;
use crate::ids::{ActionId, StatusUpdateId, UserId};
use crate::progress::{ActionStatus, Progress};
use crate::text::render_date;
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
    pub effective_on: NaiveDate,
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
    /// When the change took effect (a Québec day); `created_at` is when it was recorded.
    pub effective_on: NaiveDate,
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
            effective_on: row.effective_on,
        }
    }
}

/// Appends the history row for a change from `before` (none for a new action) to `after`,
/// taking effect on `effective_on` (today in Québec when absent).
pub async fn append(
    conn: &mut AsyncPgConnection,
    ctx: Context<'_>,
    before: Option<&Action>,
    after: &Action,
    decision: Option<String>,
    effective_on: Option<NaiveDate>,
) -> ApiResult<StatusUpdate> {
    let effective_on = match effective_on {
        Some(day) => check_effective_on(conn, ctx, after, day).await?,
        None => crate::clock::today(),
    };
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
            status_updates::effective_on.eq(effective_on),
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

/// An effective date must be a day that has come, within the plan, and not before the
/// action's last recorded change: its history stays one sequence.
async fn check_effective_on(
    conn: &mut AsyncPgConnection,
    ctx: Context<'_>,
    action: &Action,
    day: NaiveDate,
) -> ApiResult<NaiveDate> {
    let today = crate::clock::today();
    // The write path has looked the plan up already.
    let plan_id = match ctx.plan_id {
        Some(plan_id) => plan_id,
        None => lookup::plan_of_action(conn, action.id).await?,
    };
    let plan_start: NaiveDate = plans::table
        .find(plan_id)
        .select(plans::period_start)
        .first(conn)
        .await?;
    let last: Option<NaiveDate> = status_updates::table
        .filter(status_updates::action_id.eq(action.id))
        .select(diesel::dsl::max(status_updates::effective_on))
        .first(conn)
        .await?;
    let invalid = |fr: String, en: String| {
        Err(ApiError::invalid(
            "effective_on",
            ErrorCode::OutOfRange,
            Text::new(fr, en),
        ))
    };
    if day > today {
        return invalid(
            format!(
                "La date d'effet ({}) est dans le futur : inscrivez ce qui a eu lieu.",
                render_date(day)
            ),
            format!("The effective date ({day}) is in the future: record what has happened."),
        );
    }
    if day < plan_start {
        return invalid(
            format!(
                "La date d'effet ({}) précède le début du plan ({}).",
                render_date(day),
                render_date(plan_start)
            ),
            format!("The effective date ({day}) is before the plan starts ({plan_start})."),
        );
    }
    if let Some(last) = last.filter(|last| day < *last) {
        return invalid(
            format!(
                "La date d'effet ({}) précède le dernier changement de l'action ({}) : son historique se lit dans l'ordre.",
                render_date(day),
                render_date(last)
            ),
            format!(
                "The effective date ({day}) is before the action's last change ({last}): its history reads in order."
            ),
        );
    }
    Ok(day)
}

/// Newest first.
pub async fn list(conn: &mut AsyncPgConnection, action_id: ActionId) -> ApiResult<Vec<StatusUpdate>> {
    lookup::plan_of_action(conn, action_id).await?;
    let rows: Vec<StatusUpdateRow> = status_updates::table
        .filter(status_updates::action_id.eq(action_id))
        .order((
            status_updates::effective_on.desc(),
            status_updates::created_at.desc(),
            status_updates::id.desc(),
        ))
        .select(StatusUpdateRow::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(StatusUpdate::from).collect())
}
