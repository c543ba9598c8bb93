use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::reading::parser::{DeadlineKind, Frequency, FrequencyUnit, Period};
use super::understanding;
use crate::db::schema::deadlines;
use crate::error::ApiResult;
use crate::ids::{ActionId, DeadlineId, ObjectiveId, PlanId};
use crate::positions::{self, Place, Siblings};
use crate::write::{Context, Edit, Insert, Versioned, lookup};

/// The columns of a deadline, as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = deadlines, check_for_backend(diesel::pg::Pg))]
pub struct DeadlineRow {
    pub id: DeadlineId,
    pub action_id: Option<ActionId>,
    pub objective_id: Option<ObjectiveId>,
    pub position: i32,
    pub label: String,
    pub kind: DeadlineKind,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub frequency_unit: Option<FrequencyUnit>,
    pub frequency_count: Option<i32>,
    pub frequency_what: Option<String>,
    pub qualifier: Option<String>,
    pub rendering: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub frequency_every: Option<i32>,
    pub outside_plan: bool,
}

/// One échéancier entry: the label as written, and what it was understood to mean.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Deadline {
    #[schema(value_type = i64)]
    pub id: DeadlineId,
    /// Set when the deadline belongs to an action…
    #[schema(value_type = Option<i64>)]
    pub action_id: Option<ActionId>,
    /// …or when it belongs to an objective that has no action.
    #[schema(value_type = Option<i64>)]
    pub objective_id: Option<ObjectiveId>,
    /// 1-based order within its owner.
    pub position: i32,
    /// The échéancier exactly as written.
    #[schema(example = "Aut.13 - Hiver 14")]
    pub label: String,
    pub kind: DeadlineKind,
    /// The periods the label names, in order (two for "Novembre 2013 Mai 2014").
    pub periods: Vec<Period>,
    /// First start of the periods.
    pub starts_on: Option<NaiveDate>,
    /// Last end of the periods: past it, an unfinished action is late.
    pub ends_on: Option<NaiveDate>,
    pub frequency: Option<Frequency>,
    /// Free text around the period ("Bases au").
    pub qualifier: Option<String>,
    /// French rendering, for exports: the label's words in a set form, accents kept.
    #[schema(example = "de l'automne 2013 à l'hiver 2014")]
    pub rendering: String,
    /// Some period lies wholly outside the plan's period: worth a second look.
    pub outside_plan: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Deadline {
    pub fn from_row(row: DeadlineRow, periods: Vec<Period>) -> Deadline {
        let frequency = row.frequency_unit.map(|unit| Frequency {
            unit,
            count: row.frequency_count,
            what: row.frequency_what.clone(),
            every: row.frequency_every,
        });
        Deadline {
            id: row.id,
            action_id: row.action_id,
            objective_id: row.objective_id,
            position: row.position,
            label: row.label,
            kind: row.kind,
            periods,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            frequency,
            qualifier: row.qualifier,
            rendering: row.rendering,
            outside_plan: row.outside_plan,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// Who a deadline belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Action(ActionId),
    Objective(ObjectiveId),
}

impl Owner {
    fn siblings(self) -> (Siblings, i64) {
        match self {
            Owner::Action(id) => (Siblings::ActionDeadlines, id.0),
            Owner::Objective(id) => (Siblings::ObjectiveDeadlines, id.0),
        }
    }

    /// The owner's plan; 404 when the owner does not exist.
    pub async fn plan_id(self, conn: &mut AsyncPgConnection) -> ApiResult<PlanId> {
        match self {
            Owner::Action(id) => lookup::plan_of_action(conn, id).await,
            Owner::Objective(id) => lookup::plan_of_objective(conn, id).await,
        }
    }

    fn ids(self) -> (Option<ActionId>, Option<ObjectiveId>) {
        match self {
            Owner::Action(id) => (Some(id), None),
            Owner::Objective(id) => (None, Some(id)),
        }
    }

    fn from_ids(action_id: Option<ActionId>, objective_id: Option<ObjectiveId>) -> Owner {
        match (action_id, objective_id) {
            (Some(action), _) => Owner::Action(action),
            (None, Some(objective)) => Owner::Objective(objective),
            // The database guarantees exactly one owner.
            (None, None) => Owner::Action(ActionId(0)),
        }
    }
}

/// A new deadline of `owner`, at `position` or last.
#[derive(Debug)]
pub struct NewDeadline {
    pub owner: Owner,
    pub label: String,
    pub position: Option<i32>,
}

/// A new label and/or position; `None` keeps the current value.
#[derive(Debug, Default)]
pub struct DeadlineChange {
    pub label: Option<String>,
    pub position: Option<i32>,
}

impl Deadline {
    async fn row(conn: &mut AsyncPgConnection, id: DeadlineId) -> ApiResult<DeadlineRow> {
        crate::find_row!(conn, Deadline, deadlines, DeadlineRow, id)
    }

    pub async fn read(conn: &mut AsyncPgConnection, id: DeadlineId) -> ApiResult<Deadline> {
        let row = Deadline::row(conn, id).await?;
        Ok(understanding::with_periods(conn, vec![row]).await?.remove(0))
    }

    pub async fn list(conn: &mut AsyncPgConnection, owner: Owner) -> ApiResult<Vec<Deadline>> {
        owner.plan_id(conn).await?;
        let query = deadlines::table
            .select(DeadlineRow::as_select())
            .order(deadlines::position);
        let rows = match owner {
            Owner::Action(id) => query.filter(deadlines::action_id.eq(id)).load(conn).await?,
            Owner::Objective(id) => query.filter(deadlines::objective_id.eq(id)).load(conn).await?,
        };
        understanding::with_periods(conn, rows).await
    }

    fn owner(&self) -> Owner {
        Owner::from_ids(self.action_id, self.objective_id)
    }

    fn place(&self) -> Place {
        Place::new(self.owner().siblings().1, self.position)
    }
}

impl Versioned for Deadline {
    crate::versioned_names!(Deadline, DeadlineId, "deadlines");

    /// Locks the owner's échéancier, then the row.
    async fn lock(conn: &mut AsyncPgConnection, id: DeadlineId) -> ApiResult<Deadline> {
        let current = Deadline::row(conn, id).await?;
        let (siblings, parent) = Owner::from_ids(current.action_id, current.objective_id).siblings();
        positions::lock_parent(conn, siblings, parent).await?;
        let current: DeadlineRow = crate::find_row!(conn, Deadline, deadlines, DeadlineRow, id, for_update)?;
        Ok(understanding::with_periods(conn, vec![current]).await?.remove(0))
    }

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(self.owner().plan_id(conn).await?))
    }

    async fn remove(&self, conn: &mut AsyncPgConnection) -> ApiResult<()> {
        positions::remove(conn, self.owner().siblings().0, self.id, self.place()).await
    }
}

/// The label is read in the context of its plan.
impl Insert for NewDeadline {
    type Row = Deadline;

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(self.owner.plan_id(conn).await?))
    }

    async fn insert(self, conn: &mut AsyncPgConnection, ctx: Context<'_>) -> ApiResult<Deadline> {
        let (siblings, parent) = self.owner.siblings();
        let position = positions::prepare_insert(conn, siblings, parent, self.position).await?;
        let (action_id, objective_id) = self.owner.ids();
        let id: DeadlineId = diesel::insert_into(deadlines::table)
            .values((
                deadlines::action_id.eq(action_id),
                deadlines::objective_id.eq(objective_id),
                deadlines::position.eq(position),
                deadlines::label.eq(&self.label),
            ))
            .returning(deadlines::id)
            .get_result(conn)
            .await?;
        understanding::understand(conn, ctx.plan_id, id, &self.label).await?;
        Deadline::read(conn, id).await
    }
}

impl Edit<Deadline> for DeadlineChange {
    type Output = ();

    fn is_empty(&self) -> bool {
        self.label.is_none() && self.position.is_none()
    }

    async fn apply(
        self,
        conn: &mut AsyncPgConnection,
        ctx: Context<'_>,
        before: &Deadline,
    ) -> ApiResult<(Deadline, ())> {
        let (siblings, parent) = before.owner().siblings();
        let position = positions::relocate(conn, siblings, before.id, before.place(), parent, self.position).await?;
        let label = self.label.unwrap_or_else(|| before.label.clone());
        diesel::update(deadlines::table.find(before.id))
            .set((deadlines::label.eq(&label), deadlines::position.eq(position)))
            .execute(conn)
            .await?;
        if label != before.label {
            understanding::understand(conn, ctx.plan_id, before.id, &label).await?;
        }
        Ok((Deadline::read(conn, before.id).await?, ()))
    }
}
