use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::plan_events;
use crate::deadlines::understanding::reparse_plan;
use crate::error::ApiResult;
use crate::ids::{EventId, PlanId};
use crate::write::{Context, Edit, Insert, Versioned, lookup};

crate::text_enum! {
    /// What an event is: a CA meeting (its board members and delegates are reminded of
    /// their actions to update before it), or any other date deadlines may name.
    pub enum EventKind {
        CaMeeting => "ca_meeting",
        Other => "other",
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = plan_events, check_for_backend(diesel::pg::Pg))]
pub struct PlanEvent {
    #[schema(value_type = i64)]
    pub id: EventId,
    #[schema(value_type = i64)]
    pub plan_id: PlanId,
    /// As deadlines name it (case and accents do not matter).
    #[schema(example = "AGA 2013")]
    pub name: String,
    #[schema(example = "2013-11-22")]
    pub on_date: NaiveDate,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub kind: EventKind,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = plan_events)]
pub struct NewEvent {
    pub plan_id: PlanId,
    pub name: String,
    pub on_date: NaiveDate,
    pub kind: EventKind,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = plan_events)]
pub struct EventChange {
    pub name: Option<String>,
    pub on_date: Option<NaiveDate>,
    pub kind: Option<EventKind>,
}

impl PlanEvent {
    pub async fn read(conn: &mut AsyncPgConnection, id: EventId) -> ApiResult<PlanEvent> {
        crate::find_row!(conn, Event, plan_events, PlanEvent, id)
    }

    /// In date order.
    pub async fn list(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<Vec<PlanEvent>> {
        lookup::plan(conn, plan_id).await?;
        Ok(plan_events::table
            .filter(plan_events::plan_id.eq(plan_id))
            .order((plan_events::on_date, plan_events::id))
            .select(PlanEvent::as_select())
            .load(conn)
            .await?)
    }
}

// Deadlines name events ("AGA 2013"): every change of an event reads the plan's
// deadlines again, in the same transaction.
impl Versioned for PlanEvent {
    crate::versioned_names!(Event, EventId, "events");
    const KIND: crate::lifecycle::ChangeKind = crate::lifecycle::ChangeKind::Progress;

    async fn lock(conn: &mut AsyncPgConnection, id: EventId) -> ApiResult<PlanEvent> {
        crate::find_row!(conn, Event, plan_events, PlanEvent, id, for_update)
    }

    async fn plan_id(&self, _: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(self.plan_id))
    }

    async fn remove(&self, conn: &mut AsyncPgConnection) -> ApiResult<()> {
        diesel::delete(plan_events::table.find(self.id)).execute(conn).await?;
        reparse_plan(conn, self.plan_id).await?;
        Ok(())
    }
}

impl Insert for NewEvent {
    type Row = PlanEvent;

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(lookup::plan(conn, self.plan_id).await?))
    }

    async fn insert(self, conn: &mut AsyncPgConnection, _: Context<'_>) -> ApiResult<PlanEvent> {
        let event: PlanEvent = diesel::insert_into(plan_events::table)
            .values(&self)
            .returning(PlanEvent::as_returning())
            .get_result(conn)
            .await?;
        reparse_plan(conn, event.plan_id).await?;
        Ok(event)
    }
}

impl Edit<PlanEvent> for EventChange {
    type Output = ();

    fn is_empty(&self) -> bool {
        self.name.is_none() && self.on_date.is_none() && self.kind.is_none()
    }

    async fn apply(
        self,
        conn: &mut AsyncPgConnection,
        _: Context<'_>,
        before: &PlanEvent,
    ) -> ApiResult<(PlanEvent, ())> {
        let after: PlanEvent = diesel::update(plan_events::table.find(before.id))
            .set(&self)
            .returning(PlanEvent::as_returning())
            .get_result(conn)
            .await?;
        if after.version != before.version {
            reparse_plan(conn, before.plan_id).await?;
        }
        Ok((after, ()))
    }
}
