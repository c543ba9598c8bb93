use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::actions::model::{Action, ActionUpdateForm, History};
use crate::actions::progress::Progress;
use crate::actions::status::ActionStatus;
use crate::audit::{self, Actor, Change};
use crate::auth::{AuthUser, Permission};
use crate::db::schema::{action_assignees, status_updates};
use crate::error::{ApiError, ApiResult};
use crate::etag::IfMatch;
use crate::i18n::Text;
use crate::validation::Validator;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = status_updates, check_for_backend(diesel::pg::Pg))]
pub struct StatusUpdateRow {
    pub id: i64,
    pub action_id: i64,
    pub author_id: Option<i64>,
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
    pub id: i64,
    pub action_id: i64,
    /// Null for the états read from an imported plan document.
    pub author_id: Option<i64>,
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "status": "in_progress",
    "note": "7 régions visitées",
    "progress": {"done": 7, "target": 16, "unit": "régions"},
    "decision": "Résolution CA-2013-11-04"
}))]
pub struct CreateStatusUpdate {
    pub status: ActionStatus,
    /// Becomes the action's progress note; absent keeps the current note.
    pub note: Option<String>,
    /// Becomes the action's measurable progress; absent keeps the current one.
    pub progress: Option<Progress>,
    /// The board meeting or resolution that approved the change (up to 500 characters).
    pub decision: Option<String>,
}

/// The new state of the action and the history entry that records it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusUpdateResult {
    pub action: Action,
    pub status_update: StatusUpdate,
}

/// Appends the history row for a change from `before` (none for a new action) to `after`.
pub async fn append(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    plan_id: i64,
    before: Option<&Action>,
    after: &Action,
    decision: Option<String>,
) -> ApiResult<StatusUpdate> {
    let (done, target, unit) = Progress::columns(after.progress.as_ref());
    let row = diesel::insert_into(status_updates::table)
        .values((
            status_updates::action_id.eq(after.id),
            status_updates::author_id.eq(actor.user_id),
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
    audit::record(
        conn,
        actor,
        Change::created("status_update", update.id, Some(plan_id), &update),
    )
    .await?;
    Ok(update)
}

pub async fn list(conn: &mut AsyncPgConnection, action_id: i64) -> ApiResult<Vec<StatusUpdate>> {
    Action::read(conn, action_id).await?;
    let rows: Vec<StatusUpdateRow> = status_updates::table
        .filter(status_updates::action_id.eq(action_id))
        .order((status_updates::created_at.desc(), status_updates::id.desc()))
        .select(StatusUpdateRow::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(StatusUpdate::from).collect())
}

pub async fn is_assigned(conn: &mut AsyncPgConnection, action_id: i64, user_id: i64) -> ApiResult<bool> {
    let found: i64 = action_assignees::table
        .filter(action_assignees::action_id.eq(action_id))
        .filter(action_assignees::user_id.eq(user_id))
        .count()
        .get_result(conn)
        .await?;
    Ok(found > 0)
}

impl CreateStatusUpdate {
    fn into_form(self) -> ApiResult<(ActionUpdateForm, Option<String>)> {
        let mut v = Validator::new();
        let mut form = ActionUpdateForm {
            status: Some(self.status),
            ..Default::default()
        };
        if let Some(note) = self.note {
            form.progress_note = Some(v.optional_text("note", Some(&note), crate::actions::dto::NOTE_MAX));
        }
        if let Some(progress) = self.progress {
            form.set_progress(Some(&progress.validate(&mut v, "progress")));
        }
        let decision = v.optional_text("decision", self.decision.as_deref(), 500);
        v.finish()?;
        Ok((form, decision))
    }
}

/// Records a status update: the action changes and one history row is appended, in one
/// transaction, only if the action is still at `expected`. Members may do it only on
/// actions they are assigned to.
pub async fn create(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    action_id: i64,
    expected: IfMatch,
    body: CreateStatusUpdate,
) -> ApiResult<StatusUpdateResult> {
    let (form, decision) = body.into_form()?;
    let actor = user.actor();
    conn.transaction(async |conn| {
        let before = Action::lock(conn, action_id, expected).await?;
        if !Permission::UpdateAnyStatus.allows(user.role()) && !is_assigned(conn, action_id, user.id()).await? {
            return Err(ApiError::Forbidden(Text::new(
                "Cette action ne vous est pas assignée : seules les personnes responsables d'une action en mettent l'état à jour.",
                "This action is not assigned to you: only the people responsible for an action update its status.",
            )));
        }
        let (action, entry) = Action::apply(conn, &actor, &before, &form, (None, None), History::Always { decision }).await?;
        let status_update = entry.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a status update wrote no history")))?;
        Ok::<_, ApiError>(StatusUpdateResult { action, status_update })
    })
    .await
}
