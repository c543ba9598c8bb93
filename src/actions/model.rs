use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::progress::Progress;
use super::status::ActionStatus;
use crate::audit::{self, Actor, Change};
use crate::db::schema::{actions, deadline_periods, deadlines, objectives, orientations};
use crate::db::{like_contains, search_fold_nullable};
use crate::deadlines::parser::DeadlineKind;
use crate::error::{ApiError, ApiResult, Entity, OrNotFound};
use crate::etag::IfMatch;
use crate::i18n::Text;
use crate::objectives::model::Objective;
use crate::positions::{self, Siblings};
use crate::status_updates::model::{StatusUpdate, append};

/// When a change of an action goes into its status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum History {
    /// When the status, note or progress changed (a PATCH).
    IfProgressed,
    /// Always, citing the decision if any (a status update).
    Always { decision: Option<String> },
}

/// The columns of an action, as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = actions, check_for_backend(diesel::pg::Pg))]
pub struct ActionRow {
    pub id: i64,
    pub objective_id: i64,
    pub position: i32,
    pub title: String,
    pub responsible_organization: Option<String>,
    pub status: ActionStatus,
    pub progress_note: Option<String>,
    pub progress_done: Option<i32>,
    pub progress_target: Option<i32>,
    pub progress_unit: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Action {
    pub id: i64,
    pub objective_id: i64,
    /// 1-based order within the objective.
    pub position: i32,
    /// Plain text; `*emphasis*` marks the italic titles of the document.
    #[schema(example = "Mise à jour annuelle du document *Tour du Québec*")]
    pub title: String,
    #[schema(example = "Communagir")]
    pub responsible_organization: Option<String>,
    pub status: ActionStatus,
    /// What the document says beside the status ("6 régions visitées").
    #[schema(example = "6 régions visitées")]
    pub progress_note: Option<String>,
    /// Measurable progress, when there is a target.
    pub progress: Option<Progress>,
    /// Bumped by every change; sent as the ETag.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ActionRow> for Action {
    fn from(row: ActionRow) -> Action {
        Action {
            id: row.id,
            objective_id: row.objective_id,
            position: row.position,
            title: row.title,
            responsible_organization: row.responsible_organization,
            status: row.status,
            progress_note: row.progress_note,
            progress: Progress::from_columns(row.progress_done, row.progress_target, row.progress_unit),
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = actions)]
pub struct ActionInsertForm {
    pub objective_id: i64,
    pub position: i32,
    pub title: String,
    pub responsible_organization: Option<String>,
    pub status: ActionStatus,
    pub progress_note: Option<String>,
    pub progress_done: Option<i32>,
    pub progress_target: Option<i32>,
    pub progress_unit: Option<String>,
}

/// What a PATCH or a status update may change; `None` keeps the current value.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = actions)]
pub struct ActionUpdateForm {
    pub title: Option<String>,
    pub responsible_organization: Option<Option<String>>,
    pub status: Option<ActionStatus>,
    pub progress_note: Option<Option<String>>,
    pub progress_done: Option<Option<i32>>,
    pub progress_target: Option<Option<i32>>,
    pub progress_unit: Option<Option<String>>,
}

impl ActionUpdateForm {
    pub fn set_progress(&mut self, progress: Option<&Progress>) {
        let (done, target, unit) = Progress::columns(progress);
        self.progress_done = Some(done);
        self.progress_target = Some(target);
        self.progress_unit = Some(unit);
    }
}

/// Filters of `GET /actions`; all optional and combined with AND.
#[derive(Debug, Clone)]
pub struct ActionQuery {
    pub plan_id: Option<i64>,
    pub orientation_id: Option<i64>,
    pub objective_id: Option<i64>,
    pub statuses: Vec<ActionStatus>,
    pub text: Option<String>,
    /// A deadline period ends on or before this day.
    pub due_before: Option<NaiveDate>,
    /// A deadline period ends on or after this day.
    pub due_after: Option<NaiveDate>,
    /// A deadline period ends between `as_of` and `as_of` + this many days.
    pub due_within_days: Option<i32>,
    /// Late at `as_of`: a deadline ended before it and the action is neither completed nor cancelled.
    pub late: bool,
    pub as_of: NaiveDate,
    /// Has a deadline of this kind.
    pub kind: Option<DeadlineKind>,
    pub limit: i64,
    pub offset: i64,
}

type ActionJoin =
    diesel::dsl::InnerJoin<actions::table, diesel::dsl::InnerJoin<objectives::table, orientations::table>>;

fn filtered(query: &ActionQuery) -> diesel::dsl::IntoBoxed<'static, ActionJoin, Pg> {
    let mut boxed = actions::table
        .inner_join(objectives::table.inner_join(orientations::table))
        .into_boxed();
    if let Some(plan_id) = query.plan_id {
        boxed = boxed.filter(orientations::plan_id.eq(plan_id));
    }
    if let Some(orientation_id) = query.orientation_id {
        boxed = boxed.filter(objectives::orientation_id.eq(orientation_id));
    }
    if let Some(objective_id) = query.objective_id {
        boxed = boxed.filter(actions::objective_id.eq(objective_id));
    }
    if !query.statuses.is_empty() {
        boxed = boxed.filter(actions::status.eq_any(query.statuses.clone()));
    }
    if query.due_before.is_some() || query.due_after.is_some() || query.due_within_days.is_some() {
        // One and the same period must meet every bound.
        let mut due = deadline_periods::table
            .inner_join(deadlines::table)
            .select(deadlines::action_id)
            .into_boxed();
        if let Some(day) = query.due_before {
            due = due.filter(deadline_periods::ends_on.le(day));
        }
        if let Some(day) = query.due_after {
            due = due.filter(deadline_periods::ends_on.ge(day));
        }
        if let Some(days) = query.due_within_days {
            let until = query.as_of + chrono::Duration::days(i64::from(days));
            due = due.filter(deadline_periods::ends_on.between(query.as_of, until));
        }
        boxed = boxed.filter(actions::id.nullable().eq_any(due));
    }
    if query.late {
        boxed = boxed
            .filter(actions::status.ne_all([ActionStatus::Completed, ActionStatus::Cancelled]))
            .filter(
                actions::id.nullable().eq_any(
                    deadlines::table
                        .filter(deadlines::ends_on.lt(query.as_of))
                        .select(deadlines::action_id),
                ),
            );
    }
    if let Some(kind) = query.kind {
        boxed = boxed.filter(
            actions::id.nullable().eq_any(
                deadlines::table
                    .filter(deadlines::kind.eq(kind))
                    .select(deadlines::action_id),
            ),
        );
    }
    if let Some(text) = &query.text {
        // Both sides go through search_fold (lower + unaccent): "realise" finds "Réalisé".
        let pattern = search_fold_nullable(Some(like_contains(text)));
        boxed = boxed.filter(
            search_fold_nullable(actions::title.nullable())
                .like(pattern.clone())
                .or(search_fold_nullable(actions::progress_note).like(pattern)),
        );
    }
    boxed
}

impl Action {
    pub async fn read(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<Action> {
        actions::table
            .find(id)
            .select(ActionRow::as_select())
            .first(conn)
            .await
            .map(Action::from)
            .or_not_found(Entity::Action, id)
    }

    /// Locks the siblings' parent, then the row, and checks its version.
    pub async fn lock(conn: &mut AsyncPgConnection, id: i64, expected: IfMatch) -> ApiResult<Action> {
        let current = Action::read(conn, id).await?;
        positions::lock_parent(conn, Siblings::Actions, current.objective_id).await?;
        let current: Action = actions::table
            .find(id)
            .select(ActionRow::as_select())
            .for_update()
            .first(conn)
            .await
            .map(Action::from)
            .or_not_found(Entity::Action, id)?;
        expected.check(current.version)?;
        Ok(current)
    }

    /// The plan an action belongs to.
    pub async fn plan_id(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<i64> {
        actions::table
            .inner_join(objectives::table.inner_join(orientations::table))
            .filter(actions::id.eq(id))
            .select(orientations::plan_id)
            .first(conn)
            .await
            .or_not_found(Entity::Action, id)
    }

    pub async fn list(conn: &mut AsyncPgConnection, objective_id: i64) -> ApiResult<Vec<Action>> {
        Objective::read(conn, objective_id).await?;
        let rows: Vec<ActionRow> = actions::table
            .filter(actions::objective_id.eq(objective_id))
            .order(actions::position)
            .select(ActionRow::as_select())
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(Action::from).collect())
    }

    /// One page of matching actions in plan order, and how many match in all.
    pub async fn search(conn: &mut AsyncPgConnection, query: &ActionQuery) -> ApiResult<(Vec<Action>, i64)> {
        let total = filtered(query).count().get_result(conn).await?;
        let rows: Vec<ActionRow> = filtered(query)
            .select(ActionRow::as_select())
            .order((
                orientations::plan_id,
                orientations::position,
                objectives::position,
                actions::position,
            ))
            .limit(query.limit)
            .offset(query.offset)
            .load(conn)
            .await?;
        Ok((rows.into_iter().map(Action::from).collect(), total))
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        mut form: ActionInsertForm,
        position: Option<i32>,
    ) -> ApiResult<Action> {
        conn.transaction(async |conn| {
            form.position = positions::prepare_insert(conn, Siblings::Actions, form.objective_id, position).await?;
            let created = Action::from(
                diesel::insert_into(actions::table)
                    .values(&form)
                    .returning(ActionRow::as_returning())
                    .get_result(conn)
                    .await?,
            );
            let plan_id = Objective::plan_id(conn, form.objective_id).await?;
            audit::record(
                conn,
                actor,
                Change::created("action", created.id, Some(plan_id), &created),
            )
            .await?;
            append(conn, actor, plan_id, None, &created, None).await?;
            Ok::<_, ApiError>(created)
        })
        .await
    }

    /// Applies a change to a locked action (see `lock`): fields, and a move up/down or to
    /// another objective of the same plan. Writes the audit row, and a status history row
    /// when the status, note or progress changed, or always for a status update.
    pub async fn apply(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        before: &Action,
        form: &ActionUpdateForm,
        place: (Option<i64>, Option<i32>),
        history: History,
    ) -> ApiResult<(Action, Option<StatusUpdate>)> {
        let (objective_id, position) = place;
        let id = before.id;
        let plan_id = Objective::plan_id(conn, before.objective_id).await?;
        let target = objective_id.unwrap_or(before.objective_id);
        if target != before.objective_id {
            let to_plan = Objective::plan_id(conn, target)
                .await
                .map_err(|_| unknown_objective(target))?;
            if plan_id != to_plan {
                return Err(other_plan(target));
            }
        }
        let from = (before.objective_id, before.position);
        let position = positions::relocate(conn, Siblings::Actions, id, from, target, position).await?;
        let after = Action::from(
            diesel::update(actions::table.find(id))
                .set((form, actions::objective_id.eq(target), actions::position.eq(position)))
                .returning(ActionRow::as_returning())
                .get_result(conn)
                .await?,
        );
        if after.version != before.version {
            audit::record(
                conn,
                actor,
                Change::updated("action", id, Some(plan_id), before, &after),
            )
            .await?;
        }
        let progressed = (&after.status, &after.progress_note, &after.progress)
            != (&before.status, &before.progress_note, &before.progress);
        let entry = match history {
            History::IfProgressed if !progressed => None,
            History::IfProgressed => Some(append(conn, actor, plan_id, Some(before), &after, None).await?),
            History::Always { decision } => Some(append(conn, actor, plan_id, Some(before), &after, decision).await?),
        };
        Ok((after, entry))
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        id: i64,
        expected: IfMatch,
        form: ActionUpdateForm,
        objective_id: Option<i64>,
        position: Option<i32>,
    ) -> ApiResult<Action> {
        conn.transaction(async |conn| {
            let before = Action::lock(conn, id, expected).await?;
            let (after, _) = Action::apply(
                conn,
                actor,
                &before,
                &form,
                (objective_id, position),
                History::IfProgressed,
            )
            .await?;
            Ok::<_, ApiError>(after)
        })
        .await
    }

    pub async fn delete(conn: &mut AsyncPgConnection, actor: &Actor, id: i64, expected: IfMatch) -> ApiResult<()> {
        conn.transaction(async |conn| {
            let before = Action::lock(conn, id, expected).await?;
            let plan_id = Objective::plan_id(conn, before.objective_id).await?;
            positions::remove(conn, Siblings::Actions, id, (before.objective_id, before.position)).await?;
            audit::record(conn, actor, Change::deleted("action", id, Some(plan_id), &before)).await
        })
        .await
    }
}

fn unknown_objective(id: i64) -> ApiError {
    ApiError::invalid(
        "objective_id",
        "unknown_reference",
        Text::new(
            format!("L'objectif {id} n'existe pas."),
            format!("Objective {id} does not exist."),
        ),
    )
}

fn other_plan(id: i64) -> ApiError {
    ApiError::invalid(
        "objective_id",
        "other_plan",
        Text::new(
            format!("L'objectif {id} appartient à un autre plan : une action ne peut changer de plan."),
            format!("Objective {id} belongs to another plan: an action cannot change plans."),
        ),
    )
}
