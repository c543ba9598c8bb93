use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::objectives;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::i18n::Text;
use crate::ids::{ObjectiveId, OrientationId, PlanId};
use crate::positions::{self, Place, Siblings};
use crate::write::{Context, Edit, Insert, Versioned, lookup};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = objectives, check_for_backend(diesel::pg::Pg))]
pub struct Objective {
    #[schema(value_type = i64)]
    pub id: ObjectiveId,
    #[schema(value_type = i64)]
    pub orientation_id: OrientationId,
    /// 1-based order within the orientation.
    pub position: i32,
    #[schema(example = "Diffuser des informations régionales")]
    pub title: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new objective, at `position` or last.
#[derive(Debug)]
pub struct NewObjective {
    pub orientation_id: OrientationId,
    pub title: String,
    pub position: Option<i32>,
}

/// A move or rename; `None` keeps the current value.
#[derive(Debug, Default)]
pub struct ObjectiveChange {
    pub title: Option<String>,
    pub orientation_id: Option<OrientationId>,
    pub position: Option<i32>,
}

impl Objective {
    pub async fn read(conn: &mut AsyncPgConnection, id: ObjectiveId) -> ApiResult<Objective> {
        crate::find_row!(conn, Objective, objectives, Objective, id)
    }

    pub async fn list(conn: &mut AsyncPgConnection, orientation_id: OrientationId) -> ApiResult<Vec<Objective>> {
        lookup::plan_of_orientation(conn, orientation_id).await?;
        Ok(objectives::table
            .filter(objectives::orientation_id.eq(orientation_id))
            .order(objectives::position)
            .select(Objective::as_select())
            .load(conn)
            .await?)
    }

    fn place(&self) -> Place {
        Place::new(self.orientation_id, self.position)
    }
}

impl Versioned for Objective {
    crate::versioned_names!(Objective, ObjectiveId, "objectives");

    /// Locks the orientation's objectives, then the row.
    async fn lock(conn: &mut AsyncPgConnection, id: ObjectiveId) -> ApiResult<Objective> {
        let current = Objective::read(conn, id).await?;
        positions::lock_parent(conn, Siblings::Objectives, current.orientation_id).await?;
        crate::find_row!(conn, Objective, objectives, Objective, id, for_update)
    }

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(lookup::plan_of_orientation(conn, self.orientation_id).await?))
    }

    async fn remove(&self, conn: &mut AsyncPgConnection) -> ApiResult<()> {
        positions::remove(conn, Siblings::Objectives, self.id, self.place()).await
    }
}

impl Insert for NewObjective {
    type Row = Objective;

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(lookup::plan_of_orientation(conn, self.orientation_id).await?))
    }

    async fn insert(self, conn: &mut AsyncPgConnection, _: Context<'_>) -> ApiResult<Objective> {
        let position =
            positions::prepare_insert(conn, Siblings::Objectives, self.orientation_id, self.position).await?;
        Ok(diesel::insert_into(objectives::table)
            .values((
                objectives::orientation_id.eq(self.orientation_id),
                objectives::position.eq(position),
                objectives::title.eq(self.title),
            ))
            .returning(Objective::as_returning())
            .get_result(conn)
            .await?)
    }
}

/// Renames and/or moves the objective, possibly to another orientation of the same plan.
impl Edit<Objective> for ObjectiveChange {
    type Output = ();

    fn is_empty(&self) -> bool {
        self.title.is_none() && self.orientation_id.is_none() && self.position.is_none()
    }

    async fn apply(
        self,
        conn: &mut AsyncPgConnection,
        ctx: Context<'_>,
        before: &Objective,
    ) -> ApiResult<(Objective, ())> {
        let target = self.orientation_id.unwrap_or(before.orientation_id);
        if target != before.orientation_id {
            let to_plan = lookup::plan_of_orientation(conn, target)
                .await
                .map_err(|_| unknown_orientation(target))?;
            if ctx.plan_id != Some(to_plan) {
                return Err(other_plan(target));
            }
        }
        let position = positions::relocate(
            conn,
            Siblings::Objectives,
            before.id,
            before.place(),
            target,
            self.position,
        )
        .await?;
        let after = diesel::update(objectives::table.find(before.id))
            .set((
                objectives::title.eq(self.title.unwrap_or_else(|| before.title.clone())),
                objectives::orientation_id.eq(target),
                objectives::position.eq(position),
            ))
            .returning(Objective::as_returning())
            .get_result(conn)
            .await?;
        Ok((after, ()))
    }
}

fn unknown_orientation(id: OrientationId) -> ApiError {
    ApiError::invalid(
        "orientation_id",
        ErrorCode::UnknownReference,
        Text::new(
            format!("L'orientation {id} n'existe pas."),
            format!("Orientation {id} does not exist."),
        ),
    )
}

fn other_plan(id: OrientationId) -> ApiError {
    ApiError::invalid(
        "orientation_id",
        ErrorCode::OtherPlan,
        Text::new(
            format!("L'orientation {id} appartient à un autre plan : un objectif ne peut changer de plan."),
            format!("Orientation {id} belongs to another plan: an objective cannot change plans."),
        ),
    )
}
