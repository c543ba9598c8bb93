use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change};
use crate::db::schema::{objectives, orientations};
use crate::error::{ApiError, ApiResult, Entity, OrNotFound};
use crate::etag::IfMatch;
use crate::i18n::Text;
use crate::orientations::model::Orientation;
use crate::positions::{self, Siblings};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize, ToSchema)]
#[diesel(table_name = objectives, check_for_backend(diesel::pg::Pg))]
pub struct Objective {
    pub id: i64,
    pub orientation_id: i64,
    /// 1-based order within the orientation.
    pub position: i32,
    #[schema(example = "Diffuser des informations régionales")]
    pub title: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = objectives)]
pub struct ObjectiveInsertForm {
    pub orientation_id: i64,
    pub position: i32,
    pub title: String,
}

/// A move or rename; `None` keeps the current value.
#[derive(Debug, Default)]
pub struct ObjectiveChange {
    pub title: Option<String>,
    pub orientation_id: Option<i64>,
    pub position: Option<i32>,
}

impl Objective {
    pub async fn read(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<Objective> {
        objectives::table
            .find(id)
            .select(Objective::as_select())
            .first(conn)
            .await
            .or_not_found(Entity::Objective, id)
    }

    /// Locks the siblings' parent, then the row, and checks its version.
    async fn lock(conn: &mut AsyncPgConnection, id: i64, expected: IfMatch) -> ApiResult<Objective> {
        let current = Objective::read(conn, id).await?;
        positions::lock_parent(conn, Siblings::Objectives, current.orientation_id).await?;
        let current: Objective = objectives::table
            .find(id)
            .select(Objective::as_select())
            .for_update()
            .first(conn)
            .await
            .or_not_found(Entity::Objective, id)?;
        expected.check(current.version)?;
        Ok(current)
    }

    /// The plan an objective belongs to.
    pub async fn plan_id(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<i64> {
        objectives::table
            .inner_join(orientations::table)
            .filter(objectives::id.eq(id))
            .select(orientations::plan_id)
            .first(conn)
            .await
            .or_not_found(Entity::Objective, id)
    }

    pub async fn list(conn: &mut AsyncPgConnection, orientation_id: i64) -> ApiResult<Vec<Objective>> {
        Orientation::read(conn, orientation_id).await?;
        Ok(objectives::table
            .filter(objectives::orientation_id.eq(orientation_id))
            .order(objectives::position)
            .select(Objective::as_select())
            .load(conn)
            .await?)
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        orientation_id: i64,
        title: String,
        position: Option<i32>,
    ) -> ApiResult<Objective> {
        conn.transaction(async |conn| {
            let position = positions::prepare_insert(conn, Siblings::Objectives, orientation_id, position).await?;
            let form = ObjectiveInsertForm {
                orientation_id,
                position,
                title,
            };
            let created: Objective = diesel::insert_into(objectives::table)
                .values(&form)
                .returning(Objective::as_returning())
                .get_result(conn)
                .await?;
            let plan_id = Orientation::read(conn, orientation_id).await?.plan_id;
            audit::record(
                conn,
                actor,
                Change::created("objective", created.id, Some(plan_id), &created),
            )
            .await?;
            Ok::<_, ApiError>(created)
        })
        .await
    }

    /// Renames and/or moves the objective, possibly to another orientation of the same plan.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        id: i64,
        expected: IfMatch,
        change: ObjectiveChange,
    ) -> ApiResult<Objective> {
        conn.transaction(async |conn| {
            let before = Objective::lock(conn, id, expected).await?;
            let plan_id = Orientation::read(conn, before.orientation_id).await?.plan_id;
            let target = change.orientation_id.unwrap_or(before.orientation_id);
            if target != before.orientation_id {
                let to_plan = Orientation::read(conn, target)
                    .await
                    .map_err(|_| unknown_orientation(target))?
                    .plan_id;
                if plan_id != to_plan {
                    return Err(other_plan(target));
                }
            }
            let from = (before.orientation_id, before.position);
            let position = positions::relocate(conn, Siblings::Objectives, id, from, target, change.position).await?;
            let after: Objective = diesel::update(objectives::table.find(id))
                .set((
                    objectives::title.eq(change.title.unwrap_or_else(|| before.title.clone())),
                    objectives::orientation_id.eq(target),
                    objectives::position.eq(position),
                ))
                .returning(Objective::as_returning())
                .get_result(conn)
                .await?;
            if after.version != before.version {
                audit::record(
                    conn,
                    actor,
                    Change::updated("objective", id, Some(plan_id), &before, &after),
                )
                .await?;
            }
            Ok::<_, ApiError>(after)
        })
        .await
    }

    pub async fn delete(conn: &mut AsyncPgConnection, actor: &Actor, id: i64, expected: IfMatch) -> ApiResult<()> {
        conn.transaction(async |conn| {
            let before = Objective::lock(conn, id, expected).await?;
            let plan_id = Orientation::read(conn, before.orientation_id).await?.plan_id;
            positions::remove(conn, Siblings::Objectives, id, (before.orientation_id, before.position)).await?;
            audit::record(conn, actor, Change::deleted("objective", id, Some(plan_id), &before)).await
        })
        .await
    }
}

fn unknown_orientation(id: i64) -> ApiError {
    ApiError::invalid(
        "orientation_id",
        "unknown_reference",
        Text::new(
            format!("L'orientation {id} n'existe pas."),
            format!("Orientation {id} does not exist."),
        ),
    )
}

fn other_plan(id: i64) -> ApiError {
    ApiError::invalid(
        "orientation_id",
        "other_plan",
        Text::new(
            format!("L'orientation {id} appartient à un autre plan : un objectif ne peut changer de plan."),
            format!("Orientation {id} belongs to another plan: an objective cannot change plans."),
        ),
    )
}
