use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change};
use crate::db::schema::plans;
use crate::error::{ApiError, ApiResult, Entity, OrNotFound};
use crate::etag::IfMatch;

diesel::define_sql_function! {
    /// Latest change anywhere in the plan (the "Mise à jour" date).
    fn plan_last_changed_at(plan: diesel::sql_types::BigInt) -> diesel::sql_types::Timestamptz;
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize, ToSchema)]
#[diesel(table_name = plans, check_for_backend(diesel::pg::Pg))]
pub struct Plan {
    pub id: i64,
    #[schema(example = "Plan d'action 2013-2014")]
    pub title: String,
    #[schema(example = "Réseau québécois de développement social")]
    pub organization: String,
    /// Start of the fiscal period (the RQDS year starts in July).
    #[schema(example = "2013-07-01")]
    pub period_start: NaiveDate,
    #[schema(example = "2014-06-30")]
    pub period_end: NaiveDate,
    /// The free note that heads the document.
    #[schema(
        example = "Les actions complétées ou en cours de réalisation sont indiquées en caractères gras dans le tableau."
    )]
    pub heading_note: Option<String>,
    pub archived: bool,
    /// Bumped by every change of this row; sent as its ETag.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = plans)]
pub struct PlanInsertForm {
    pub title: String,
    pub organization: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub heading_note: Option<String>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = plans)]
pub struct PlanUpdateForm {
    pub title: Option<String>,
    pub organization: Option<String>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub heading_note: Option<Option<String>>,
    pub archived: Option<bool>,
}

impl Plan {
    pub async fn read(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<Plan> {
        plans::table
            .find(id)
            .select(Plan::as_select())
            .first(conn)
            .await
            .or_not_found(Entity::Plan, id)
    }

    /// The row, locked until the end of the transaction, if it is still at `expected`.
    async fn lock(conn: &mut AsyncPgConnection, id: i64, expected: IfMatch) -> ApiResult<Plan> {
        let plan: Plan = plans::table
            .find(id)
            .select(Plan::as_select())
            .for_update()
            .first(conn)
            .await
            .or_not_found(Entity::Plan, id)?;
        expected.check(plan.version)?;
        Ok(plan)
    }

    /// The plan with its derived "Mise à jour" timestamp.
    pub async fn read_with_last_change(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<(Plan, DateTime<Utc>)> {
        plans::table
            .find(id)
            .select((Plan::as_select(), plan_last_changed_at(plans::id)))
            .first(conn)
            .await
            .or_not_found(Entity::Plan, id)
    }

    pub async fn list(conn: &mut AsyncPgConnection, archived: Option<bool>) -> ApiResult<Vec<(Plan, DateTime<Utc>)>> {
        let mut query = plans::table
            .select((Plan::as_select(), plan_last_changed_at(plans::id)))
            .order((plans::period_start.desc(), plans::id))
            .into_boxed();
        if let Some(archived) = archived {
            query = query.filter(plans::archived.eq(archived));
        }
        Ok(query.load(conn).await?)
    }

    pub async fn create(conn: &mut AsyncPgConnection, actor: &Actor, form: &PlanInsertForm) -> ApiResult<Plan> {
        conn.transaction(async |conn| {
            let plan: Plan = diesel::insert_into(plans::table)
                .values(form)
                .returning(Plan::as_returning())
                .get_result(conn)
                .await?;
            audit::record(conn, actor, Change::created("plan", plan.id, Some(plan.id), &plan)).await?;
            Ok::<_, ApiError>(plan)
        })
        .await
    }

    /// `check` sees the current plan before the change (the period must stay ordered).
    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        id: i64,
        expected: IfMatch,
        make_form: impl FnOnce(&Plan) -> ApiResult<PlanUpdateForm> + Send,
    ) -> ApiResult<Plan> {
        conn.transaction(async |conn| {
            let before = Plan::lock(conn, id, expected).await?;
            let form = make_form(&before)?;
            // `updated_at = updated_at` keeps an empty PATCH valid SQL; the trigger
            // bumps the version only when a value really changes.
            let after: Plan = diesel::update(plans::table.find(id))
                .set((&form, plans::updated_at.eq(plans::updated_at)))
                .returning(Plan::as_returning())
                .get_result(conn)
                .await?;
            if after.version != before.version {
                audit::record(conn, actor, Change::updated("plan", id, Some(id), &before, &after)).await?;
            }
            Ok::<_, ApiError>(after)
        })
        .await
    }

    /// Deletes the plan and, by cascade, everything in it.
    pub async fn delete(conn: &mut AsyncPgConnection, actor: &Actor, id: i64, expected: IfMatch) -> ApiResult<()> {
        conn.transaction(async |conn| {
            let before = Plan::lock(conn, id, expected).await?;
            diesel::delete(plans::table.find(id)).execute(conn).await?;
            audit::record(conn, actor, Change::deleted("plan", id, Some(id), &before)).await?;
            Ok::<_, ApiError>(())
        })
        .await
    }
}
