use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::check_period;
use crate::columns::TableColumn;
use crate::db::json::JsonList;
use crate::db::schema::plans;
use crate::entity::Entity;
use crate::error::{ApiResult, OrNotFound};
use crate::ids::PlanId;
use crate::lifecycle::{ChangeKind, PlanState, Transition, next_state};
use crate::write::{Context, Edit, Insert, Versioned};

diesel::define_sql_function! {
    /// Latest change anywhere in the plan (the "Mise à jour" date).
    fn plan_last_changed_at(plan: diesel::sql_types::BigInt) -> diesel::sql_types::Timestamptz;
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = plans, check_for_backend(diesel::pg::Pg))]
pub struct Plan {
    #[schema(value_type = i64)]
    pub id: PlanId,
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
    /// `draft`, `adopted` (by the board), `closed` (end of the year, read only).
    #[schema(example = "adopted")]
    pub state: PlanState,
    /// The day the board adopted the plan.
    #[schema(example = "2013-09-12")]
    pub adopted_on: Option<NaiveDate>,
    /// The board's resolution that adopted it.
    #[schema(example = "CA-2013-09-12-03")]
    pub adoption_resolution: Option<String>,
    /// The day the plan was closed.
    #[schema(example = json!(null))]
    pub closed_on: Option<NaiveDate>,
    /// The columns of the table its document had, in order, when it was imported from one
    /// with other columns than the four of the RQDS plans; the Word export writes them back.
    #[schema(value_type = Vec<TableColumn>)]
    pub table_columns: JsonList<TableColumn>,
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
    pub async fn read(conn: &mut AsyncPgConnection, id: PlanId) -> ApiResult<Plan> {
        crate::find_row!(conn, Plan, plans, Plan, id)
    }

    /// The plan with its derived "Mise à jour" timestamp.
    pub async fn read_with_last_change(conn: &mut AsyncPgConnection, id: PlanId) -> ApiResult<(Plan, DateTime<Utc>)> {
        plans::table
            .find(id)
            .select((Plan::as_select(), plan_last_changed_at(plans::id)))
            .first(conn)
            .await
            .or_not_found(Entity::Plan, id.0)
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
}

impl Versioned for Plan {
    crate::versioned_names!(Plan, PlanId, "plans");

    async fn lock(conn: &mut AsyncPgConnection, id: PlanId) -> ApiResult<Plan> {
        crate::find_row!(conn, Plan, plans, Plan, id, for_update)
    }

    async fn plan_id(&self, _: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(self.id))
    }

    /// Everything in the plan goes with it, by cascade.
    async fn remove(&self, conn: &mut AsyncPgConnection) -> ApiResult<()> {
        diesel::delete(plans::table.find(self.id)).execute(conn).await?;
        Ok(())
    }
}

impl Insert for PlanInsertForm {
    type Row = Plan;

    /// A new plan's audit row is filed under itself, once it has an id.
    async fn plan_id(&self, _: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(None)
    }

    async fn insert(self, conn: &mut AsyncPgConnection, _: Context<'_>) -> ApiResult<Plan> {
        Ok(diesel::insert_into(plans::table)
            .values(&self)
            .returning(Plan::as_returning())
            .get_result(conn)
            .await?)
    }
}

impl Edit<Plan> for PlanUpdateForm {
    type Output = ();

    fn is_empty(&self) -> bool {
        let PlanUpdateForm {
            title,
            organization,
            period_start,
            period_end,
            heading_note,
            archived,
        } = self;
        title.is_none()
            && organization.is_none()
            && period_start.is_none()
            && period_end.is_none()
            && heading_note.is_none()
            && archived.is_none()
    }

    async fn apply(self, conn: &mut AsyncPgConnection, _: Context<'_>, before: &Plan) -> ApiResult<(Plan, ())> {
        check_period(
            self.period_start.unwrap_or(before.period_start),
            self.period_end.unwrap_or(before.period_end),
        )?;
        let after: Plan = diesel::update(plans::table.find(before.id))
            .set(&self)
            .returning(Plan::as_returning())
            .get_result(conn)
            .await?;
        // "En continu", recurring labels and two-digit years are read against the period:
        // read them again in the same transaction, or late and calendar answers go stale.
        if (after.period_start, after.period_end) != (before.period_start, before.period_end) {
            crate::deadlines::understanding::reparse_plan(conn, before.id).await?;
        }
        Ok((after, ()))
    }
}

impl Edit<Plan> for Transition {
    type Output = ();

    fn is_empty(&self) -> bool {
        false
    }

    fn moves(&self) -> bool {
        false
    }

    fn kind(&self) -> ChangeKind {
        ChangeKind::Lifecycle
    }

    async fn apply(self, conn: &mut AsyncPgConnection, _: Context<'_>, before: &Plan) -> ApiResult<(Plan, ())> {
        let state = next_state(before.state, &self, before.adopted_on)?;
        let update = diesel::update(plans::table.find(before.id));
        let after = match self {
            Transition::Adopt { adopted_on, resolution } => {
                update
                    .set((
                        plans::state.eq(state),
                        plans::adopted_on.eq(adopted_on),
                        plans::adoption_resolution.eq(resolution),
                    ))
                    .returning(Plan::as_returning())
                    .get_result(conn)
                    .await?
            }
            Transition::Close { closed_on } => {
                update
                    .set((plans::state.eq(state), plans::closed_on.eq(closed_on)))
                    .returning(Plan::as_returning())
                    .get_result(conn)
                    .await?
            }
        };
        Ok((after, ()))
    }
}
