use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{objectives, orientations};
use crate::error::{ApiError, ApiResult, Entity, OrNotFound};
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
            Ok::<_, ApiError>(
                diesel::insert_into(objectives::table)
                    .values(&form)
                    .returning(Objective::as_returning())
                    .get_result(conn)
                    .await?,
            )
        })
        .await
    }

    /// Renames and/or moves the objective, possibly to another orientation of the same plan.
    pub async fn update(conn: &mut AsyncPgConnection, id: i64, change: ObjectiveChange) -> ApiResult<Objective> {
        conn.transaction(async |conn| {
            let current = Objective::read(conn, id).await?;
            positions::lock_parent(conn, Siblings::Objectives, current.orientation_id).await?;
            let current = Objective::read(conn, id).await?;
            let target = change.orientation_id.unwrap_or(current.orientation_id);
            if target != current.orientation_id {
                let from_plan = Orientation::read(conn, current.orientation_id).await?.plan_id;
                let to_plan = Orientation::read(conn, target)
                    .await
                    .map_err(|_| unknown_orientation(target))?
                    .plan_id;
                if from_plan != to_plan {
                    return Err(other_plan(target));
                }
            }
            let from = (current.orientation_id, current.position);
            let position = positions::relocate(conn, Siblings::Objectives, id, from, target, change.position).await?;
            Ok::<_, ApiError>(
                diesel::update(objectives::table.find(id))
                    .set((
                        objectives::title.eq(change.title.unwrap_or(current.title)),
                        objectives::orientation_id.eq(target),
                        objectives::position.eq(position),
                    ))
                    .returning(Objective::as_returning())
                    .get_result(conn)
                    .await?,
            )
        })
        .await
    }

    pub async fn delete(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<()> {
        conn.transaction(async |conn| {
            let current = Objective::read(conn, id).await?;
            positions::remove(
                conn,
                Siblings::Objectives,
                id,
                (current.orientation_id, current.position),
            )
            .await
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
