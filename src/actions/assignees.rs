//! The people responsible for reporting on an action (they may update its status).

use actix_web::{HttpResponse, delete, get, post, web};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::Action;
use crate::audit::{self, Actor, Change};
use crate::auth::{AuthUser, Permission};
use crate::db::schema::{action_assignees, users};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::i18n::Text;
use crate::state::AppState;
use crate::users::model::User;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_assignees)
        .service(add_assignee)
        .service(remove_assignee);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": 3}))]
pub struct AddAssignee {
    pub user_id: i64,
}

#[derive(Debug, Serialize)]
struct Assignment {
    action_id: i64,
    user_id: i64,
}

pub async fn list(conn: &mut AsyncPgConnection, action_id: i64) -> ApiResult<Vec<User>> {
    Action::read(conn, action_id).await?;
    Ok(action_assignees::table
        .inner_join(users::table)
        .filter(action_assignees::action_id.eq(action_id))
        .order(users::display_name)
        .select(User::as_select())
        .load(conn)
        .await?)
}

async fn add(conn: &mut AsyncPgConnection, actor: &Actor, action_id: i64, user_id: i64) -> ApiResult<()> {
    conn.transaction(async |conn| {
        let plan_id = Action::plan_id(conn, action_id).await?;
        User::read(conn, user_id).await.map_err(|_| {
            ApiError::invalid(
                "user_id",
                "unknown_reference",
                Text::new(
                    format!("Le compte {user_id} n'existe pas."),
                    format!("Account {user_id} does not exist."),
                ),
            )
        })?;
        diesel::insert_into(action_assignees::table)
            .values((
                action_assignees::action_id.eq(action_id),
                action_assignees::user_id.eq(user_id),
            ))
            .execute(conn)
            .await?;
        let assignment = Assignment { action_id, user_id };
        audit::record(
            conn,
            actor,
            Change::created("assignee", action_id, Some(plan_id), &assignment),
        )
        .await
    })
    .await
}

async fn remove(conn: &mut AsyncPgConnection, actor: &Actor, action_id: i64, user_id: i64) -> ApiResult<()> {
    conn.transaction(async |conn| {
        let plan_id = Action::plan_id(conn, action_id).await?;
        let removed = diesel::delete(
            action_assignees::table
                .filter(action_assignees::action_id.eq(action_id))
                .filter(action_assignees::user_id.eq(user_id)),
        )
        .execute(conn)
        .await?;
        if removed == 0 {
            return Err(ApiError::invalid(
                "user_id",
                "not_assigned",
                Text::new(
                    format!("Le compte {user_id} n'est pas assigné à l'action {action_id}."),
                    format!("Account {user_id} is not assigned to action {action_id}."),
                ),
            ));
        }
        let assignment = Assignment { action_id, user_id };
        audit::record(
            conn,
            actor,
            Change::deleted("assignee", action_id, Some(plan_id), &assignment),
        )
        .await
    })
    .await
}

/// Who is responsible for reporting on an action.
#[utoipa::path(tag = "actions", params(("id" = i64, Path, description = "Action id")), responses((status = 200, body = [User])))]
#[get("/actions/{id}/assignees")]
async fn list_assignees(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(list(&mut conn, *id).await?))
}

/// Assign an action to someone: they may then update its status.
#[utoipa::path(
    tag = "actions",
    params(("id" = i64, Path, description = "Action id")),
    request_body = AddAssignee,
    responses((status = 201, body = [User], description = "The action's assignees now"))
)]
#[post("/actions/{id}/assignees")]
async fn add_assignee(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: Json<AddAssignee>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::EditPlans)?;
    let mut conn = state.conn().await?;
    add(&mut conn, &user.actor(), *id, body.0.user_id).await?;
    Ok(HttpResponse::Created().json(list(&mut conn, *id).await?))
}

/// Remove someone from an action's assignees.
#[utoipa::path(
    tag = "actions",
    params(("id" = i64, Path, description = "Action id"), ("user_id" = i64, Path, description = "User id")),
    responses((status = 204, description = "Removed"))
)]
#[delete("/actions/{id}/assignees/{user_id}")]
async fn remove_assignee(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::EditPlans)?;
    let (action_id, user_id) = path.into_inner();
    let mut conn = state.conn().await?;
    remove(&mut conn, &user.actor(), action_id, user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
