use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::parser::{DeadlineKind, Frequency, FrequencyUnit, Period};
use super::understanding;
use crate::audit::{self, Actor, Change};
use crate::db::schema::deadlines;
use crate::error::{ApiError, ApiResult, Entity, OrNotFound};
use crate::etag::IfMatch;
use crate::positions::{self, Siblings};
use crate::validation::Validator;

pub const LABEL_MAX: usize = 200;

/// The columns of a deadline, as stored.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = deadlines, check_for_backend(diesel::pg::Pg))]
pub struct DeadlineRow {
    pub id: i64,
    pub action_id: Option<i64>,
    pub objective_id: Option<i64>,
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
}

/// One échéancier entry: the label as written, and what it was understood to mean.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Deadline {
    pub id: i64,
    /// Set when the deadline belongs to an action…
    pub action_id: Option<i64>,
    /// …or when it belongs to an objective that has no action.
    pub objective_id: Option<i64>,
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
    /// Canonical French rendering, for exports.
    #[schema(example = "du 22 septembre 2013 au 20 mars 2014")]
    pub rendering: String,
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
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = deadlines)]
pub struct DeadlineInsertForm {
    pub action_id: Option<i64>,
    pub objective_id: Option<i64>,
    pub position: i32,
    pub label: String,
}

/// Who a deadline belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Action(i64),
    Objective(i64),
}

impl Owner {
    fn siblings(self) -> (Siblings, i64) {
        match self {
            Owner::Action(id) => (Siblings::ActionDeadlines, id),
            Owner::Objective(id) => (Siblings::ObjectiveDeadlines, id),
        }
    }

    pub async fn plan_id(self, conn: &mut AsyncPgConnection) -> ApiResult<i64> {
        match self {
            Owner::Action(id) => crate::actions::model::Action::plan_id(conn, id).await,
            Owner::Objective(id) => crate::objectives::model::Objective::plan_id(conn, id).await,
        }
    }

    fn of(deadline: &DeadlineRow) -> Owner {
        Owner::from_ids(deadline.action_id, deadline.objective_id)
    }

    fn from_ids(action_id: Option<i64>, objective_id: Option<i64>) -> Owner {
        match (action_id, objective_id) {
            (Some(action), _) => Owner::Action(action),
            (None, Some(objective)) => Owner::Objective(objective),
            // The database guarantees exactly one owner.
            (None, None) => Owner::Action(0),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"label": "Automne 2013 – Hiver 2014"}))]
pub struct CreateDeadline {
    /// As people write it: `3 octobre 2013`, `Aut.13 - Hiver 14`, `En continu`. 1 to 200 characters.
    pub label: String,
    /// Where to insert it (1-based); last when absent.
    pub position: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"label": "Hiver 2014", "position": 1}))]
pub struct UpdateDeadline {
    pub label: Option<String>,
    /// New position within its owner's échéancier.
    pub position: Option<i32>,
}

fn label(v: &mut Validator, value: &str) -> String {
    v.required_text("label", value, LABEL_MAX)
}

impl CreateDeadline {
    pub fn validate(self) -> ApiResult<(String, Option<i32>)> {
        let mut v = Validator::new();
        let label = label(&mut v, &self.label);
        v.finish()?;
        Ok((label, self.position))
    }
}

impl UpdateDeadline {
    pub fn validate(self) -> ApiResult<(Option<String>, Option<i32>)> {
        let mut v = Validator::new();
        let label = self.label.map(|l| label(&mut v, &l));
        v.finish()?;
        Ok((label, self.position))
    }
}

impl Deadline {
    async fn row(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<DeadlineRow> {
        deadlines::table
            .find(id)
            .select(DeadlineRow::as_select())
            .first(conn)
            .await
            .or_not_found(Entity::Deadline, id)
    }

    pub async fn read(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<Deadline> {
        let row = Deadline::row(conn, id).await?;
        Ok(understanding::with_periods(conn, vec![row]).await?.remove(0))
    }

    pub async fn list(conn: &mut AsyncPgConnection, owner: Owner) -> ApiResult<Vec<Deadline>> {
        let query = deadlines::table
            .select(DeadlineRow::as_select())
            .order(deadlines::position);
        let rows = match owner {
            Owner::Action(id) => {
                crate::actions::model::Action::read(conn, id).await?;
                query.filter(deadlines::action_id.eq(id)).load(conn).await?
            }
            Owner::Objective(id) => {
                crate::objectives::model::Objective::read(conn, id).await?;
                query.filter(deadlines::objective_id.eq(id)).load(conn).await?
            }
        };
        understanding::with_periods(conn, rows).await
    }

    /// Locks the owner's échéancier, then the row, and checks its version.
    async fn lock(conn: &mut AsyncPgConnection, id: i64, expected: IfMatch) -> ApiResult<Deadline> {
        let current = Deadline::row(conn, id).await?;
        let (siblings, parent) = Owner::of(&current).siblings();
        positions::lock_parent(conn, siblings, parent).await?;
        let current: DeadlineRow = deadlines::table
            .find(id)
            .select(DeadlineRow::as_select())
            .for_update()
            .first(conn)
            .await
            .or_not_found(Entity::Deadline, id)?;
        expected.check(current.version)?;
        Ok(understanding::with_periods(conn, vec![current]).await?.remove(0))
    }

    fn owner(&self) -> Owner {
        Owner::from_ids(self.action_id, self.objective_id)
    }

    /// Adds a deadline; its label is parsed in the context of its plan.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        owner: Owner,
        label: String,
        position: Option<i32>,
    ) -> ApiResult<Deadline> {
        conn.transaction(async |conn| {
            let (siblings, parent) = owner.siblings();
            let position = positions::prepare_insert(conn, siblings, parent, position).await?;
            let (action_id, objective_id) = match owner {
                Owner::Action(id) => (Some(id), None),
                Owner::Objective(id) => (None, Some(id)),
            };
            let form = DeadlineInsertForm {
                action_id,
                objective_id,
                position,
                label,
            };
            let id: i64 = diesel::insert_into(deadlines::table)
                .values(&form)
                .returning(deadlines::id)
                .get_result(conn)
                .await?;
            let plan_id = owner.plan_id(conn).await?;
            let context = understanding::plan_context(conn, plan_id).await?;
            understanding::store(conn, id, &super::parser::parse(&form.label, &context)).await?;
            let created = Deadline::read(conn, id).await?;
            audit::record(conn, actor, Change::created("deadline", id, Some(plan_id), &created)).await?;
            Ok::<_, ApiError>(created)
        })
        .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        id: i64,
        expected: IfMatch,
        label: Option<String>,
        position: Option<i32>,
    ) -> ApiResult<Deadline> {
        conn.transaction(async |conn| {
            let before = Deadline::lock(conn, id, expected).await?;
            let owner = before.owner();
            let (siblings, parent) = owner.siblings();
            let position = positions::relocate(conn, siblings, id, (parent, before.position), parent, position).await?;
            let label = label.unwrap_or_else(|| before.label.clone());
            diesel::update(deadlines::table.find(id))
                .set((deadlines::label.eq(&label), deadlines::position.eq(position)))
                .execute(conn)
                .await?;
            let plan_id = owner.plan_id(conn).await?;
            if label != before.label {
                let context = understanding::plan_context(conn, plan_id).await?;
                understanding::store(conn, id, &super::parser::parse(&label, &context)).await?;
            }
            let after = Deadline::read(conn, id).await?;
            if after.version != before.version {
                audit::record(
                    conn,
                    actor,
                    Change::updated("deadline", id, Some(plan_id), &before, &after),
                )
                .await?;
            }
            Ok::<_, ApiError>(after)
        })
        .await
    }

    pub async fn delete(conn: &mut AsyncPgConnection, actor: &Actor, id: i64, expected: IfMatch) -> ApiResult<()> {
        conn.transaction(async |conn| {
            let before = Deadline::lock(conn, id, expected).await?;
            let owner = before.owner();
            let (siblings, parent) = owner.siblings();
            let plan_id = owner.plan_id(conn).await?;
            positions::remove(conn, siblings, id, (parent, before.position)).await?;
            audit::record(conn, actor, Change::deleted("deadline", id, Some(plan_id), &before)).await
        })
        .await
    }
}
