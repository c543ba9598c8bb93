use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{AdoptPlan, ClosePlan, CreatePlan, PlanFilter, PlanView, UpdatePlan};
use super::model::Plan;
use super::tree::{PlanTree, load_tree};
use planaction_macros::endpoint;

use crate::auth::AuthUser;
use crate::auth::authorized::{AdoptPlans, Authorized, ClosePlans, EditPlans, ReadPlans};
use crate::endpoint;
use crate::error::ApiResult;
use crate::etag::{Precondition, created, ok};
use crate::extract::Json;
use crate::ids::PlanId;
use crate::lifecycle::Transition;
use crate::state::AppState;
use crate::write;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_plans)
        .service(create_plan)
        .service(get_plan)
        .service(update_plan)
        .service(delete_plan)
        .service(adopt_plan)
        .service(close_plan)
        .service(get_plan_tree);
}

/// List plans, newest fiscal year first.
#[endpoint]
#[utoipa::path(tag = "plans", params(PlanFilter), responses((status = 200, body = [PlanView])))]
#[get("/plans")]
async fn list_plans(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    filter: web::Query<PlanFilter>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let plans: Vec<PlanView> = Plan::list(&mut conn, filter.archived)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(HttpResponse::Ok().json(plans))
}

/// Create an empty plan.
#[endpoint]
#[utoipa::path(tag = "plans", request_body = CreatePlan, responses((status = 201, body = PlanView)))]
#[post("/plans")]
async fn create_plan(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    body: Json<CreatePlan>,
) -> ApiResult<HttpResponse> {
    let form = body.into_inner()?.into_form()?;
    let mut conn = state.conn().await?;
    let plan = write::create(&mut conn, &user.actor(), form).await?;
    let view = PlanView::from(Plan::read_with_last_change(&mut conn, plan.id).await?);
    Ok(created(format!("/api/v1/plans/{}", plan.id), plan.version, &view))
}

/// One plan, with its "Mise à jour" date.
#[endpoint]
#[utoipa::path(tag = "plans", params(("id" = i64, Path, description = "Plan id")), responses((status = 200, body = PlanView)))]
#[get("/plans/{id}")]
async fn get_plan(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<PlanId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = PlanView::from(Plan::read_with_last_change(&mut conn, *id).await?);
    Ok(ok(view.plan.version, &view))
}

/// Change a plan's title, organization, period, heading note or archived flag.
#[endpoint]
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = UpdatePlan,
    responses((status = 200, body = PlanView))
)]
#[patch("/plans/{id}")]
async fn update_plan(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<PlanId>,
    precondition: Precondition,
    body: Json<UpdatePlan>,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    let mut conn = state.conn().await?;
    let form = body.into_inner()?.into_form()?;
    write::update::<Plan, _>(&mut conn, &user.actor(), *id, expected, form).await?;
    let view = PlanView::from(Plan::read_with_last_change(&mut conn, *id).await?);
    Ok(ok(view.plan.version, &view))
}

/// The board adopts a draft plan (`draft` → `adopted`), with the resolution's reference.
/// From then on only board members change its structure (orientations, objectives,
/// actions, deadlines, acronyms), each change in the audit; statuses are updated as before.
/// A plan that is not a draft gets `409`.
#[endpoint]
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = AdoptPlan,
    responses((status = 200, body = PlanView))
)]
#[post("/plans/{id}/adoption")]
async fn adopt_plan(
    state: web::Data<AppState>,
    user: Authorized<AdoptPlans>,
    id: web::Path<PlanId>,
    precondition: Precondition,
    body: Json<AdoptPlan>,
) -> ApiResult<HttpResponse> {
    let transition = body.into_inner()?.into_transition()?;
    change_state(&state, &user, *id, precondition, transition).await
}

/// Close an adopted plan at the end of its year (`adopted` → `closed`): it is then read
/// only, its reports stay available. A plan that is not adopted gets `409`.
#[endpoint]
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = ClosePlan,
    responses((status = 200, body = PlanView))
)]
#[post("/plans/{id}/closing")]
async fn close_plan(
    state: web::Data<AppState>,
    user: Authorized<ClosePlans>,
    id: web::Path<PlanId>,
    precondition: Precondition,
    body: Json<ClosePlan>,
) -> ApiResult<HttpResponse> {
    let transition = body.into_inner()?.into_transition()?;
    change_state(&state, &user, *id, precondition, transition).await
}

async fn change_state(
    state: &AppState,
    user: &AuthUser,
    id: PlanId,
    precondition: Precondition,
    transition: Transition,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    let mut conn = state.conn().await?;
    write::update::<Plan, _>(&mut conn, &user.actor(), id, expected, transition).await?;
    let view = PlanView::from(Plan::read_with_last_change(&mut conn, id).await?);
    Ok(ok(view.plan.version, &view))
}

/// Delete a plan and everything in it.
#[endpoint]
#[utoipa::path(tag = "plans", params(("id" = i64, Path, description = "Plan id")), responses((status = 204, description = "Deleted")))]
#[delete("/plans/{id}")]
async fn delete_plan(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<PlanId>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    endpoint::delete::<Plan>(&state, &user, *id, precondition.expected()?).await
}

/// The whole plan in one response: orientations → objectives → actions → deadlines,
/// plus the acronyms. Built with eight queries whatever the plan's size. Compressed
/// (zstd, brotli, gzip or deflate) when `Accept-Encoding` asks for it: a plan of 10,000
/// actions is 7 MB of JSON.
#[endpoint]
#[utoipa::path(tag = "plans", params(("id" = i64, Path, description = "Plan id")), responses((status = 200, body = PlanTree)))]
#[get("/plans/{id}/tree", wrap = "actix_web::middleware::Compress::default()")]
async fn get_plan_tree(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<PlanId>,
) -> ApiResult<HttpResponse> {
    let _turn = state.heavy_turn().await?;
    let mut conn = state.conn().await?;
    let tree = load_tree(&mut conn, *id).await?;
    drop(conn);
    // Megabytes of JSON: written off the server's threads (the fault suite's slow readers
    // measure what ordinary requests wait meanwhile).
    let body = crate::state::off_thread(move || serde_json::to_vec(&tree))
        .await?
        .map_err(|e| crate::error::ApiError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(body))
}
