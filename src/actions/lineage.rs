//! An action across years: the actions of earlier plans it continues, and those of later
//! plans that continue it (`continues_action_id`, set when next year's plan is drafted).

use std::collections::HashSet;

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, ReadPlans};
use crate::db::schema::{actions, objectives, orientations, plans};
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult};
use crate::ids::ActionId;
use crate::progress::ActionStatus;
use crate::state::AppState;

/// Plans a lineage may span: far more years than a network keeps a plan going.
const YEARS_MAX: usize = 50;

/// One year of an action's life.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, Queryable)]
pub struct LineageStep {
    #[schema(example = 12)]
    pub action_id: i64,
    /// The action of the year before that this one continues.
    #[schema(example = json!(null))]
    pub continues_action_id: Option<i64>,
    #[schema(example = "Rencontres de la Tournée des régions")]
    pub title: String,
    pub status: ActionStatus,
    #[schema(example = 1)]
    pub plan_id: i64,
    #[schema(example = "Plan d'action 2013-2014")]
    pub plan_title: String,
    #[schema(example = "2013-07-01")]
    pub period_start: NaiveDate,
    #[schema(example = "2014-06-30")]
    pub period_end: NaiveDate,
}

/// Every action linked to `id` by continuation, oldest plan first (the action itself
/// included). 404 when the action does not exist.
pub async fn lineage(conn: &mut AsyncPgConnection, id: ActionId) -> ApiResult<Vec<LineageStep>> {
    let mut steps: Vec<LineageStep> = Vec::new();
    let mut seen: HashSet<i64> = HashSet::new();
    let mut frontier = vec![id.0];
    for _ in 0..YEARS_MAX {
        if frontier.is_empty() {
            break;
        }
        let found: Vec<LineageStep> = actions::table
            .inner_join(objectives::table.inner_join(orientations::table.inner_join(plans::table)))
            .filter(
                actions::id
                    .eq_any(&frontier)
                    .or(actions::continues_action_id.eq_any(&frontier)),
            )
            .select((
                actions::id,
                actions::continues_action_id,
                actions::title,
                actions::status,
                plans::id,
                plans::title,
                plans::period_start,
                plans::period_end,
            ))
            .load(conn)
            .await?;
        frontier = Vec::new();
        for step in found {
            if seen.insert(step.action_id) {
                frontier.push(step.action_id);
                frontier.extend(step.continues_action_id.filter(|c| !seen.contains(c)));
                steps.push(step);
            }
        }
    }
    if !seen.contains(&id.0) {
        return Err(ApiError::NotFound {
            entity: Entity::Action,
            id: id.0,
        });
    }
    steps.sort_by_key(|s| (s.period_start, s.action_id));
    Ok(steps)
}

/// The action across years: the actions of earlier plans it continues and those of later
/// plans that continue it, oldest first, itself included.
#[endpoint]
#[utoipa::path(
    tag = "actions",
    params(("id" = i64, Path, description = "Action id")),
    responses((status = 200, body = [LineageStep]))
)]
#[get("/actions/{id}/lineage")]
pub async fn action_lineage(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<ActionId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(lineage(&mut conn, *id).await?))
}
