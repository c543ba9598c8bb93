use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change};
use crate::db::schema::deadlines;
use crate::error::{ApiError, ApiResult, Entity, OrNotFound};
use crate::etag::IfMatch;
use crate::positions::{self, Siblings};
use crate::validation::Validator;

pub const LABEL_MAX: usize = 200;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize, ToSchema)]
#[diesel(table_name = deadlines, check_for_backend(diesel::pg::Pg))]
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
    /// Reserved for the deadline parser; null until a label is parsed.
    pub starts_on: Option<NaiveDate>,
    /// Reserved for the deadline parser; null until a label is parsed.
    pub ends_on: Option<NaiveDate>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
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

    async fn plan_id(self, conn: &mut AsyncPgConnection) -> ApiResult<i64> {
        match self {
            Owner::Action(id) => crate::actions::model::Action::plan_id(conn, id).await,
            Owner::Objective(id) => crate::objectives::model::Objective::plan_id(conn, id).await,
        }
    }

    fn of(deadline: &Deadline) -> Owner {
        match (deadline.action_id, deadline.objective_id) {
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
    pub async fn read(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<Deadline> {
        deadlines::table
            .find(id)
            .select(Deadline::as_select())
            .first(conn)
            .await
            .or_not_found(Entity::Deadline, id)
    }

    pub async fn list(conn: &mut AsyncPgConnection, owner: Owner) -> ApiResult<Vec<Deadline>> {
        let query = deadlines::table
            .select(Deadline::as_select())
            .order(deadlines::position);
        Ok(match owner {
            Owner::Action(id) => {
                crate::actions::model::Action::read(conn, id).await?;
                query.filter(deadlines::action_id.eq(id)).load(conn).await?
            }
            Owner::Objective(id) => {
                crate::objectives::model::Objective::read(conn, id).await?;
                query.filter(deadlines::objective_id.eq(id)).load(conn).await?
            }
        })
    }

    /// Locks the owner's échéancier, then the row, and checks its version.
    async fn lock(conn: &mut AsyncPgConnection, id: i64, expected: IfMatch) -> ApiResult<Deadline> {
        let current = Deadline::read(conn, id).await?;
        let (siblings, parent) = Owner::of(&current).siblings();
        positions::lock_parent(conn, siblings, parent).await?;
        let current: Deadline = deadlines::table
            .find(id)
            .select(Deadline::as_select())
            .for_update()
            .first(conn)
            .await
            .or_not_found(Entity::Deadline, id)?;
        expected.check(current.version)?;
        Ok(current)
    }

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
            let created: Deadline = diesel::insert_into(deadlines::table)
                .values(&form)
                .returning(Deadline::as_returning())
                .get_result(conn)
                .await?;
            let plan_id = owner.plan_id(conn).await?;
            audit::record(
                conn,
                actor,
                Change::created("deadline", created.id, Some(plan_id), &created),
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
        label: Option<String>,
        position: Option<i32>,
    ) -> ApiResult<Deadline> {
        conn.transaction(async |conn| {
            let before = Deadline::lock(conn, id, expected).await?;
            let owner = Owner::of(&before);
            let (siblings, parent) = owner.siblings();
            let position = positions::relocate(conn, siblings, id, (parent, before.position), parent, position).await?;
            let after: Deadline = diesel::update(deadlines::table.find(id))
                .set((
                    deadlines::label.eq(label.unwrap_or_else(|| before.label.clone())),
                    deadlines::position.eq(position),
                ))
                .returning(Deadline::as_returning())
                .get_result(conn)
                .await?;
            if after.version != before.version {
                let plan_id = owner.plan_id(conn).await?;
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
            let owner = Owner::of(&before);
            let (siblings, parent) = owner.siblings();
            let plan_id = owner.plan_id(conn).await?;
            positions::remove(conn, siblings, id, (parent, before.position)).await?;
            audit::record(conn, actor, Change::deleted("deadline", id, Some(plan_id), &before)).await
        })
        .await
    }
}
