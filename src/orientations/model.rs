use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change};
use crate::db::schema::orientations;
use crate::error::{ApiError, ApiResult, Entity, OrNotFound};
use crate::etag::IfMatch;
use crate::positions::{self, Siblings};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize, ToSchema)]
#[diesel(table_name = orientations, check_for_backend(diesel::pg::Pg))]
pub struct Orientation {
    pub id: i64,
    pub plan_id: i64,
    /// 1-based; also the orientation's number ("ORIENTATION 2").
    #[schema(example = 2)]
    pub position: i32,
    #[schema(example = "OUTILLER LES MEMBRES DU RQDS")]
    pub title: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = orientations)]
pub struct OrientationInsertForm {
    pub plan_id: i64,
    pub position: i32,
    pub title: String,
}

impl Orientation {
    pub async fn read(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<Orientation> {
        orientations::table
            .find(id)
            .select(Orientation::as_select())
            .first(conn)
            .await
            .or_not_found(Entity::Orientation, id)
    }

    /// Locks the parent plan's children, then the row, and checks its version.
    async fn lock(conn: &mut AsyncPgConnection, id: i64, expected: IfMatch) -> ApiResult<Orientation> {
        let current = Orientation::read(conn, id).await?;
        positions::lock_parent(conn, Siblings::Orientations, current.plan_id).await?;
        let current: Orientation = orientations::table
            .find(id)
            .select(Orientation::as_select())
            .for_update()
            .first(conn)
            .await
            .or_not_found(Entity::Orientation, id)?;
        expected.check(current.version)?;
        Ok(current)
    }

    pub async fn list(conn: &mut AsyncPgConnection, plan_id: i64) -> ApiResult<Vec<Orientation>> {
        crate::plans::model::Plan::read(conn, plan_id).await?;
        Ok(orientations::table
            .filter(orientations::plan_id.eq(plan_id))
            .order(orientations::position)
            .select(Orientation::as_select())
            .load(conn)
            .await?)
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        plan_id: i64,
        title: String,
        position: Option<i32>,
    ) -> ApiResult<Orientation> {
        conn.transaction(async |conn| {
            let position = positions::prepare_insert(conn, Siblings::Orientations, plan_id, position).await?;
            let form = OrientationInsertForm {
                plan_id,
                position,
                title,
            };
            let created: Orientation = diesel::insert_into(orientations::table)
                .values(&form)
                .returning(Orientation::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                Change::created("orientation", created.id, Some(plan_id), &created),
            )
            .await?;
            Ok::<_, ApiError>(created)
        })
        .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        id: i64,
        expected: IfMatch,
        title: Option<String>,
        position: Option<i32>,
    ) -> ApiResult<Orientation> {
        conn.transaction(async |conn| {
            let before = Orientation::lock(conn, id, expected).await?;
            let from = (before.plan_id, before.position);
            let position =
                positions::relocate(conn, Siblings::Orientations, id, from, before.plan_id, position).await?;
            let after: Orientation = diesel::update(orientations::table.find(id))
                .set((
                    orientations::title.eq(title.unwrap_or_else(|| before.title.clone())),
                    orientations::position.eq(position),
                ))
                .returning(Orientation::as_returning())
                .get_result(conn)
                .await?;
            if after.version != before.version {
                audit::record(
                    conn,
                    actor,
                    Change::updated("orientation", id, Some(before.plan_id), &before, &after),
                )
                .await?;
            }
            Ok::<_, ApiError>(after)
        })
        .await
    }

    /// Deletes the orientation (and its objectives, actions, deadlines) and renumbers the others.
    pub async fn delete(conn: &mut AsyncPgConnection, actor: &Actor, id: i64, expected: IfMatch) -> ApiResult<()> {
        conn.transaction(async |conn| {
            let before = Orientation::lock(conn, id, expected).await?;
            positions::remove(conn, Siblings::Orientations, id, (before.plan_id, before.position)).await?;
            audit::record(
                conn,
                actor,
                Change::deleted("orientation", id, Some(before.plan_id), &before),
            )
            .await
        })
        .await
    }
}
