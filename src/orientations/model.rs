use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::orientations;
use crate::error::ApiResult;
use crate::ids::{OrientationId, PlanId};
use crate::positions::{self, Place, Siblings};
use crate::write::{self, Context, Edit, Insert, Versioned};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = orientations, check_for_backend(diesel::pg::Pg))]
pub struct Orientation {
    #[schema(value_type = i64)]
    pub id: OrientationId,
    #[schema(value_type = i64)]
    pub plan_id: PlanId,
    /// 1-based; also the orientation's number ("ORIENTATION 2").
    #[schema(example = 2)]
    pub position: i32,
    #[schema(example = "OUTILLER LES MEMBRES DU RQDS")]
    pub title: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new orientation, at `position` or last.
#[derive(Debug)]
pub struct NewOrientation {
    pub plan_id: PlanId,
    pub title: String,
    pub position: Option<i32>,
}

/// A rename or a renumbering; `None` keeps the current value.
#[derive(Debug, Default)]
pub struct OrientationChange {
    pub title: Option<String>,
    pub position: Option<i32>,
}

impl Orientation {
    pub async fn read(conn: &mut AsyncPgConnection, id: OrientationId) -> ApiResult<Orientation> {
        crate::find_row!(conn, Orientation, orientations, Orientation, id)
    }

    pub async fn list(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<Vec<Orientation>> {
        write::lookup::plan(conn, plan_id).await?;
        Ok(orientations::table
            .filter(orientations::plan_id.eq(plan_id))
            .order(orientations::position)
            .select(Orientation::as_select())
            .load(conn)
            .await?)
    }

    fn place(&self) -> Place {
        Place::new(self.plan_id, self.position)
    }
}

impl Versioned for Orientation {
    crate::versioned_names!(Orientation, OrientationId, "orientations");

    /// Locks the plan's orientations, then the row.
    async fn lock(conn: &mut AsyncPgConnection, id: OrientationId) -> ApiResult<Orientation> {
        let current = Orientation::read(conn, id).await?;
        positions::lock_parent(conn, Siblings::Orientations, current.plan_id).await?;
        crate::find_row!(conn, Orientation, orientations, Orientation, id, for_update)
    }

    async fn plan_id(&self, _: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(self.plan_id))
    }

    /// Its objectives, actions and deadlines go with it; the others are renumbered.
    async fn remove(&self, conn: &mut AsyncPgConnection) -> ApiResult<()> {
        positions::remove(conn, Siblings::Orientations, self.id, self.place()).await
    }
}

impl Insert for NewOrientation {
    type Row = Orientation;

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(write::lookup::plan(conn, self.plan_id).await?))
    }

    async fn insert(self, conn: &mut AsyncPgConnection, _: Context<'_>) -> ApiResult<Orientation> {
        let position = positions::prepare_insert(conn, Siblings::Orientations, self.plan_id, self.position).await?;
        Ok(diesel::insert_into(orientations::table)
            .values((
                orientations::plan_id.eq(self.plan_id),
                orientations::position.eq(position),
                orientations::title.eq(self.title),
            ))
            .returning(Orientation::as_returning())
            .get_result(conn)
            .await?)
    }
}

impl Edit<Orientation> for OrientationChange {
    type Output = ();

    fn is_empty(&self) -> bool {
        self.title.is_none() && self.position.is_none()
    }

    async fn apply(
        self,
        conn: &mut AsyncPgConnection,
        _: Context<'_>,
        before: &Orientation,
    ) -> ApiResult<(Orientation, ())> {
        let position = positions::relocate(
            conn,
            Siblings::Orientations,
            before.id,
            before.place(),
            before.plan_id,
            self.position,
        )
        .await?;
        let after = diesel::update(orientations::table.find(before.id))
            .set((
                orientations::title.eq(self.title.unwrap_or_else(|| before.title.clone())),
                orientations::position.eq(position),
            ))
            .returning(Orientation::as_returning())
            .get_result(conn)
            .await?;
        Ok((after, ()))
    }
}
