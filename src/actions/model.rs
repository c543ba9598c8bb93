use chrono::{DateTime, NaiveDate, Utc};
use diesel::WindowExpressionMethods;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::history::{self, StatusUpdate};
use crate::columns::NamedField;
use crate::db::Reused;
use crate::db::json::JsonList;
use crate::db::schema::{action_assignees, actions, deadline_periods, deadlines, objectives, orientations};
use crate::db::{like_contains, search_fold_nullable};
use crate::deadlines::reading::parser::DeadlineKind;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::i18n::Text;
use crate::ids::{ActionId, ObjectiveId, OrientationId, PlanId};
use crate::lifecycle::ChangeKind;
use crate::positions::{self, Place, Siblings};
use crate::progress::{ActionStatus, Progress};
use crate::write::{Context, Edit, Insert, Versioned, lookup};

/// When a change of an action goes into its status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum History {
    /// When the status, note or progress changed (a PATCH).
    IfProgressed,
    /// Always, citing the decision if any (a status update), on its effective date if given.
    Always {
        decision: Option<String>,
        effective_on: Option<chrono::NaiveDate>,
    },
}

/// The columns of an action, as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = actions, check_for_backend(diesel::pg::Pg))]
pub struct ActionRow {
    pub id: ActionId,
    pub objective_id: ObjectiveId,
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
    pub continues_action_id: Option<ActionId>,
    pub indicators: Option<String>,
    pub target: Option<String>,
    pub partners: Option<String>,
    pub other_fields: JsonList<NamedField>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Action {
    #[schema(value_type = i64)]
    pub id: ActionId,
    #[schema(value_type = i64)]
    pub objective_id: ObjectiveId,
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
    /// Indicateurs, résultats attendus: what shows the action is done.
    #[schema(example = "Nombre de régions rencontrées")]
    pub indicators: Option<String>,
    /// Cible, as written (« 16 régions rencontrées » also sets `progress`'s target on import).
    #[schema(example = "16 régions rencontrées")]
    pub target: Option<String>,
    #[schema(example = "Communagir, Centraide")]
    pub partners: Option<String>,
    /// The plan's other columns for this action (moyens, budget…), by their header.
    pub other_fields: Vec<NamedField>,
    /// The action of an earlier year's plan that this one continues (`GET /actions/{id}/lineage`).
    #[schema(value_type = Option<i64>, example = json!(null))]
    pub continues_action_id: Option<ActionId>,
    /// Bumped by every change; sent as the ETag.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Action {
    /// The plan's columns beyond the four, each named as a reader of `lang` reads it:
    /// indicateurs, cible, partenaires, then any other by its header.
    pub fn details(&self, lang: crate::i18n::Lang) -> Vec<(&str, &str)> {
        let typed = [
            (lang.pick("Indicateurs", "Indicators"), self.indicators.as_deref()),
            (lang.pick("Cible", "Target"), self.target.as_deref()),
            (lang.pick("Partenaires", "Partners"), self.partners.as_deref()),
        ];
        let typed = typed.into_iter().filter_map(|(name, value)| value.map(|v| (name, v)));
        typed
            .chain(self.other_fields.iter().map(|f| (f.name.as_str(), f.value.as_str())))
            .collect()
    }
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
            indicators: row.indicators,
            target: row.target,
            partners: row.partners,
            other_fields: row.other_fields.0,
            continues_action_id: row.continues_action_id,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = actions)]
pub struct ActionInsertForm {
    pub objective_id: ObjectiveId,
    pub position: i32,
    pub title: String,
    pub responsible_organization: Option<String>,
    pub status: ActionStatus,
    pub progress_note: Option<String>,
    pub progress_done: Option<i32>,
    pub progress_target: Option<i32>,
    pub progress_unit: Option<String>,
    pub indicators: Option<String>,
    pub target: Option<String>,
    pub partners: Option<String>,
    pub other_fields: JsonList<NamedField>,
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
    pub indicators: Option<Option<String>>,
    pub target: Option<Option<String>>,
    pub partners: Option<Option<String>>,
    pub other_fields: Option<JsonList<NamedField>>,
}

impl ActionUpdateForm {
    fn is_empty(&self) -> bool {
        let ActionUpdateForm {
            title,
            responsible_organization,
            status,
            progress_note,
            progress_done,
            progress_target,
            progress_unit,
            indicators,
            target,
            partners,
            other_fields,
        } = self;
        title.is_none()
            && responsible_organization.is_none()
            && status.is_none()
            && progress_note.is_none()
            && progress_done.is_none()
            && progress_target.is_none()
            && progress_unit.is_none()
            && indicators.is_none()
            && target.is_none()
            && partners.is_none()
            && other_fields.is_none()
    }

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
    pub plan_id: Option<PlanId>,
    pub orientation_id: Option<OrientationId>,
    pub objective_id: Option<ObjectiveId>,
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
    /// Assigned to this user ("mine" on the web page).
    pub assigned_to: Option<crate::ids::UserId>,
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
    if let Some(user_id) = query.assigned_to {
        boxed = boxed.filter(
            actions::id.eq_any(
                action_assignees::table
                    .filter(action_assignees::user_id.eq(user_id))
                    .select(action_assignees::action_id),
            ),
        );
    }
    if let Some(text) = &query.text {
        // Both sides are folded (lower + unaccent): "realise" finds "Réalisé"; `search_text` is
        // the title and note folded when the action was written.
        boxed = boxed.filter(
            actions::search_text
                .nullable()
                .like(search_fold_nullable(Some(like_contains(text)))),
        );
    }
    boxed
}

/// A new action, at `position` or last; its first history entry is written with it.
#[derive(Debug)]
pub struct NewAction {
    pub form: ActionInsertForm,
    pub position: Option<i32>,
    /// The day of its first status, when not today.
    pub effective_on: Option<chrono::NaiveDate>,
}

/// A change of an action: its fields, a move (to another objective of the same plan,
/// or among its siblings), and when it goes into the status history.
#[derive(Debug)]
pub struct ActionEdit {
    pub form: ActionUpdateForm,
    pub objective_id: Option<ObjectiveId>,
    pub position: Option<i32>,
    pub history: History,
}

impl Action {
    pub async fn read(conn: &mut AsyncPgConnection, id: ActionId) -> ApiResult<Action> {
        crate::find_row!(conn, Action, actions, ActionRow, id).map(Action::from)
    }

    pub async fn list(conn: &mut AsyncPgConnection, objective_id: ObjectiveId) -> ApiResult<Vec<Action>> {
        lookup::plan_of_objective(conn, objective_id).await?;
        let rows: Vec<ActionRow> = actions::table
            .filter(actions::objective_id.eq(objective_id))
            .order(actions::position)
            .select(ActionRow::as_select())
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(Action::from).collect())
    }

    /// One page of matching actions in plan order, and how many match in all: one
    /// statement, the total counted by a window over the same rows (a separate count
    /// only for a page past the end, which has no row to carry it).
    pub async fn search(conn: &mut AsyncPgConnection, query: &ActionQuery) -> ApiResult<(Vec<Action>, i64)> {
        let rows: Vec<(ActionRow, i64)> = filtered(query)
            .select((ActionRow::as_select(), diesel::dsl::count_star().over()))
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
        // The slice's `first`: `RunQueryDsl::first` would be picked for `rows.first()`.
        let total = match <[_]>::first(&rows) {
            Some((_, total)) => *total,
            None if query.offset == 0 => 0,
            None => filtered(query).count().get_result(conn).await?,
        };
        Ok((rows.into_iter().map(|(row, _)| Action::from(row)).collect(), total))
    }

    fn place(&self) -> Place {
        Place::new(self.objective_id, self.position)
    }
}

impl Versioned for Action {
    crate::versioned_names!(Action, ActionId, "actions");

    /// Locks the objective's actions, then the row.
    async fn lock(conn: &mut AsyncPgConnection, id: ActionId) -> ApiResult<Action> {
        let current = Action::read(conn, id).await?;
        positions::lock_parent(conn, Siblings::Actions, current.objective_id).await?;
        Action::lock_in_place(conn, id).await
    }

    /// The row alone: a change that does not move it leaves its siblings' order alone.
    async fn lock_in_place(conn: &mut AsyncPgConnection, id: ActionId) -> ApiResult<Action> {
        crate::find_row!(conn, Action, actions, ActionRow, id, for_update).map(Action::from)
    }

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(lookup::plan_of_objective(conn, self.objective_id).await?))
    }

    async fn remove(&self, conn: &mut AsyncPgConnection) -> ApiResult<()> {
        positions::remove(conn, Siblings::Actions, self.id, self.place()).await
    }
}

impl Insert for NewAction {
    type Row = Action;

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(lookup::plan_of_objective(conn, self.form.objective_id).await?))
    }

    async fn insert(mut self, conn: &mut AsyncPgConnection, ctx: Context<'_>) -> ApiResult<Action> {
        self.form.position =
            positions::prepare_insert(conn, Siblings::Actions, self.form.objective_id, self.position).await?;
        let created = Action::from(
            diesel::insert_into(actions::table)
                .values(&self.form)
                .returning(ActionRow::as_returning())
                .get_result(conn)
                .await?,
        );
        history::append(conn, ctx, None, &created, None, self.effective_on).await?;
        Ok(created)
    }
}

/// Writes the fields and the move, and a history row when the status, note or progress
/// changed (always for a status update).
impl Edit<Action> for ActionEdit {
    type Output = Option<StatusUpdate>;

    fn is_empty(&self) -> bool {
        self.form.is_empty()
            && self.objective_id.is_none()
            && self.position.is_none()
            && self.history == History::IfProgressed
    }

    fn moves(&self) -> bool {
        self.objective_id.is_some() || self.position.is_some()
    }

    /// A status, note or progress changed in place is the year's follow-up, which an
    /// adopted plan allows; a title, organization or move changes the adopted structure.
    fn kind(&self) -> ChangeKind {
        let form = &self.form;
        if self.moves() || form.title.is_some() || form.responsible_organization.is_some() {
            ChangeKind::Structure
        } else {
            ChangeKind::Progress
        }
    }

    async fn apply(
        self,
        conn: &mut AsyncPgConnection,
        ctx: Context<'_>,
        before: &Action,
    ) -> ApiResult<(Action, Option<StatusUpdate>)> {
        let target = self.objective_id.unwrap_or(before.objective_id);
        if target != before.objective_id {
            let to_plan = lookup::plan_of_objective(conn, target)
                .await
                .map_err(|_| unknown_objective(target))?;
            if ctx.plan_id != Some(to_plan) {
                return Err(other_plan(target));
            }
        }
        let position = positions::relocate(
            conn,
            Siblings::Actions,
            before.id,
            before.place(),
            target,
            self.position,
        )
        .await?;
        let after = Action::from(
            Reused(
                diesel::update(actions::table.find(before.id))
                    .set((
                        &self.form,
                        actions::objective_id.eq(target),
                        actions::position.eq(position),
                    ))
                    .returning(ActionRow::as_returning()),
            )
            .get_result(conn)
            .await?,
        );
        let progressed = (&after.status, &after.progress_note, &after.progress)
            != (&before.status, &before.progress_note, &before.progress);
        let entry = match self.history {
            History::IfProgressed if !progressed => None,
            History::IfProgressed => Some(history::append(conn, ctx, Some(before), &after, None, None).await?),
            History::Always { decision, effective_on } => {
                Some(history::append(conn, ctx, Some(before), &after, decision, effective_on).await?)
            }
        };
        Ok((after, entry))
    }
}

fn unknown_objective(id: ObjectiveId) -> ApiError {
    ApiError::invalid(
        "objective_id",
        ErrorCode::UnknownReference,
        Text::new(
            format!("L'objectif {id} n'existe pas."),
            format!("Objective {id} does not exist."),
        ),
    )
}

fn other_plan(id: ObjectiveId) -> ApiError {
    ApiError::invalid(
        "objective_id",
        ErrorCode::OtherPlan,
        Text::new(
            format!("L'objectif {id} appartient à un autre plan : une action ne peut changer de plan."),
            format!("Objective {id} belongs to another plan: an action cannot change plans."),
        ),
    )
}
