use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change};
use crate::db::schema::plan_events;
use crate::deadlines::understanding::reparse_plan;
use crate::error::{ApiError, ApiResult, Entity, OrNotFound};
use crate::etag::IfMatch;
use crate::validation::Validator;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = plan_events, check_for_backend(diesel::pg::Pg))]
pub struct PlanEvent {
    pub id: i64,
    pub plan_id: i64,
    /// As deadlines name it (case and accents do not matter).
    #[schema(example = "AGA 2013")]
    pub name: String,
    #[schema(example = "2013-11-22")]
    pub on_date: NaiveDate,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "AGA 2013", "on_date": "2013-11-22"}))]
pub struct EventBody {
    /// 1 to 200 characters, unique in the plan.
    pub name: String,
    pub on_date: NaiveDate,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"on_date": "2013-11-29"}))]
pub struct UpdateEvent {
    pub name: Option<String>,
    pub on_date: Option<NaiveDate>,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = plan_events)]
struct EventChangeset {
    name: Option<String>,
    on_date: Option<NaiveDate>,
}

fn name(v: &mut Validator, value: &str) -> String {
    v.required_text("name", value, 200)
}

impl PlanEvent {
    pub async fn read(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<PlanEvent> {
        plan_events::table
            .find(id)
            .select(PlanEvent::as_select())
            .first(conn)
            .await
            .or_not_found(Entity::Event, id)
    }

    pub async fn list(conn: &mut AsyncPgConnection, plan_id: i64) -> ApiResult<Vec<PlanEvent>> {
        crate::plans::model::Plan::read(conn, plan_id).await?;
        Ok(plan_events::table
            .filter(plan_events::plan_id.eq(plan_id))
            .order((plan_events::on_date, plan_events::id))
            .select(PlanEvent::as_select())
            .load(conn)
            .await?)
    }

    async fn lock(conn: &mut AsyncPgConnection, id: i64, expected: IfMatch) -> ApiResult<PlanEvent> {
        let event: PlanEvent = plan_events::table
            .find(id)
            .select(PlanEvent::as_select())
            .for_update()
            .first(conn)
            .await
            .or_not_found(Entity::Event, id)?;
        expected.check(event.version)?;
        Ok(event)
    }

    /// Adds an event, then reads the plan's deadlines again so those naming it resolve.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        plan_id: i64,
        body: EventBody,
    ) -> ApiResult<PlanEvent> {
        let mut v = Validator::new();
        let name = name(&mut v, &body.name);
        v.finish()?;
        crate::plans::model::Plan::read(conn, plan_id).await?;
        conn.transaction(async |conn| {
            let event: PlanEvent = diesel::insert_into(plan_events::table)
                .values((
                    plan_events::plan_id.eq(plan_id),
                    plan_events::name.eq(&name),
                    plan_events::on_date.eq(body.on_date),
                ))
                .returning(PlanEvent::as_returning())
                .get_result(conn)
                .await?;
            audit::record(conn, actor, Change::created("event", event.id, Some(plan_id), &event)).await?;
            reparse_plan(conn, plan_id).await?;
            Ok::<_, ApiError>(event)
        })
        .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        id: i64,
        expected: IfMatch,
        body: UpdateEvent,
    ) -> ApiResult<PlanEvent> {
        let mut v = Validator::new();
        let changes = EventChangeset {
            name: body.name.map(|n| name(&mut v, &n)),
            on_date: body.on_date,
        };
        v.finish()?;
        conn.transaction(async |conn| {
            let before = PlanEvent::lock(conn, id, expected).await?;
            let after: PlanEvent = diesel::update(plan_events::table.find(id))
                .set((&changes, plan_events::updated_at.eq(plan_events::updated_at)))
                .returning(PlanEvent::as_returning())
                .get_result(conn)
                .await?;
            if after.version != before.version {
                audit::record(
                    conn,
                    actor,
                    Change::updated("event", id, Some(before.plan_id), &before, &after),
                )
                .await?;
                reparse_plan(conn, before.plan_id).await?;
            }
            Ok::<_, ApiError>(after)
        })
        .await
    }

    pub async fn delete(conn: &mut AsyncPgConnection, actor: &Actor, id: i64, expected: IfMatch) -> ApiResult<()> {
        conn.transaction(async |conn| {
            let before = PlanEvent::lock(conn, id, expected).await?;
            diesel::delete(plan_events::table.find(id)).execute(conn).await?;
            audit::record(conn, actor, Change::deleted("event", id, Some(before.plan_id), &before)).await?;
            reparse_plan(conn, before.plan_id).await?;
            Ok::<_, ApiError>(())
        })
        .await
    }
}
