//! Assignments: not versioned (an assignment exists or not), but audited like every change.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{action_assignees, users};
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::i18n::Text;
use crate::ids::{ActionId, PlanId, UserId};
use crate::users::model::User;
use crate::write::{Link, lookup};

/// Someone responsible for reporting on an action (what the audit trail keeps of it).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Assignment {
    pub action_id: ActionId,
    pub user_id: UserId,
}

/// An assignee as every role may see them: no email, role or account state (those are
/// for the coordination, under `/users`).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct Assignee {
    #[schema(value_type = i64)]
    pub id: UserId,
    #[schema(example = "Délégation de l'Estrie")]
    pub display_name: String,
    /// One of the 16 member regions, for regional delegates.
    #[schema(example = "Estrie")]
    pub region: Option<String>,
}

/// The action's assignees, by name.
pub async fn list(conn: &mut AsyncPgConnection, action_id: ActionId) -> ApiResult<Vec<Assignee>> {
    lookup::plan_of_action(conn, action_id).await?;
    Ok(action_assignees::table
        .inner_join(users::table)
        .filter(action_assignees::action_id.eq(action_id))
        .order(users::display_name)
        .select(Assignee::as_select())
        .load(conn)
        .await?)
}

pub async fn is_assigned(conn: &mut AsyncPgConnection, action_id: ActionId, user_id: UserId) -> ApiResult<bool> {
    let found: i64 = action_assignees::table
        .filter(action_assignees::action_id.eq(action_id))
        .filter(action_assignees::user_id.eq(user_id))
        .count()
        .get_result(conn)
        .await?;
    Ok(found > 0)
}

impl Link for Assignment {
    const ENTITY: Entity = Entity::Assignee;

    fn owner_id(&self) -> i64 {
        self.action_id.0
    }

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<PlanId> {
        lookup::plan_of_action(conn, self.action_id).await
    }

    async fn insert(&self, conn: &mut AsyncPgConnection) -> ApiResult<()> {
        let user_id = self.user_id;
        User::read(conn, user_id).await.map_err(|_| {
            ApiError::invalid(
                "user_id",
                ErrorCode::UnknownReference,
                Text::new(
                    format!("Le compte {user_id} n'existe pas."),
                    format!("Account {user_id} does not exist."),
                ),
            )
        })?;
        diesel::insert_into(action_assignees::table)
            .values((
                action_assignees::action_id.eq(self.action_id),
                action_assignees::user_id.eq(user_id),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    async fn remove(&self, conn: &mut AsyncPgConnection) -> ApiResult<()> {
        let Assignment { action_id, user_id } = *self;
        let removed = diesel::delete(
            action_assignees::table
                .filter(action_assignees::action_id.eq(action_id))
                .filter(action_assignees::user_id.eq(user_id)),
        )
        .execute(conn)
        .await?;
        if removed == 0 {
            // `/actions/{id}/assignees/{user_id}` names nothing: 404, as for any address.
            return Err(ApiError::not_found(Entity::Assignee, user_id.0));
        }
        Ok(())
    }
}
