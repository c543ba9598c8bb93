use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::status::ActionStatus;
use crate::db::schema::{actions, objectives, orientations};
use crate::db::{like_contains, search_fold_nullable};
use crate::error::{ApiError, ApiResult, Entity, OrNotFound};
use crate::i18n::Text;
use crate::objectives::model::Objective;
use crate::positions::{self, Siblings};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize, ToSchema)]
#[diesel(table_name = actions, check_for_backend(diesel::pg::Pg))]
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
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
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
}

/// What a PATCH may change; `None` keeps the current value.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = actions)]
pub struct ActionUpdateForm {
    pub title: Option<String>,
    pub responsible_organization: Option<Option<String>>,
    pub status: Option<ActionStatus>,
    pub progress_note: Option<Option<String>>,
}

/// Filters of `GET /actions`; all optional and combined with AND.
#[derive(Debug, Default, Clone)]
pub struct ActionQuery {
    pub plan_id: Option<i64>,
    pub orientation_id: Option<i64>,
    pub objective_id: Option<i64>,
    pub statuses: Vec<ActionStatus>,
    pub text: Option<String>,
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
            .select(Action::as_select())
            .first(conn)
            .await
            .or_not_found(Entity::Action, id)
    }

    pub async fn list(conn: &mut AsyncPgConnection, objective_id: i64) -> ApiResult<Vec<Action>> {
        Objective::read(conn, objective_id).await?;
        Ok(actions::table
            .filter(actions::objective_id.eq(objective_id))
            .order(actions::position)
            .select(Action::as_select())
            .load(conn)
            .await?)
    }

    /// One page of matching actions in plan order, and how many match in all.
    pub async fn search(conn: &mut AsyncPgConnection, query: &ActionQuery) -> ApiResult<(Vec<Action>, i64)> {
        let total = filtered(query).count().get_result(conn).await?;
        let items = filtered(query)
            .select(Action::as_select())
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
        Ok((items, total))
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        mut form: ActionInsertForm,
        position: Option<i32>,
    ) -> ApiResult<Action> {
        conn.transaction(async |conn| {
            form.position = positions::prepare_insert(conn, Siblings::Actions, form.objective_id, position).await?;
            Ok::<_, ApiError>(
                diesel::insert_into(actions::table)
                    .values(&form)
                    .returning(Action::as_returning())
                    .get_result(conn)
                    .await?,
            )
        })
        .await
    }

    /// Applies a PATCH: fields, and a move up/down or to another objective of the same plan.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: i64,
        form: ActionUpdateForm,
        objective_id: Option<i64>,
        position: Option<i32>,
    ) -> ApiResult<Action> {
        conn.transaction(async |conn| {
            let current = Action::read(conn, id).await?;
            positions::lock_parent(conn, Siblings::Actions, current.objective_id).await?;
            let current = Action::read(conn, id).await?;
            let target = objective_id.unwrap_or(current.objective_id);
            if target != current.objective_id {
                let to_plan = Objective::plan_id(conn, target)
                    .await
                    .map_err(|_| unknown_objective(target))?;
                if Objective::plan_id(conn, current.objective_id).await? != to_plan {
                    return Err(other_plan(target));
                }
            }
            let from = (current.objective_id, current.position);
            let position = positions::relocate(conn, Siblings::Actions, id, from, target, position).await?;
            Ok::<_, ApiError>(
                diesel::update(actions::table.find(id))
                    .set((&form, actions::objective_id.eq(target), actions::position.eq(position)))
                    .returning(Action::as_returning())
                    .get_result(conn)
                    .await?,
            )
        })
        .await
    }

    pub async fn delete(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<()> {
        conn.transaction(async |conn| {
            let current = Action::read(conn, id).await?;
            positions::remove(conn, Siblings::Actions, id, (current.objective_id, current.position)).await
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
