//! `POST /plans/{id}/next` and `GET /plans/{id}/document.docx`.

use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::document;
use super::next::{NextPlan, NextPlanReport, carry_over};
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, EditPlans, ProduceReports};
use crate::error::ApiResult;
use crate::extract::Json;
use crate::ids::PlanId;
use crate::plans::tree::load_tree;
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(next_plan).service(plan_document);
}

/// Draft next year's plan from this one: the same orientations, objectives and acronyms,
/// and the actions that go on, each linked to the one it continues (`continues_action_id`,
/// `GET /actions/{id}/lineage`). Actions are carried unless completed or cancelled, and
/// always when they go on all year (`En continu`); `actions` overrides that per action.
/// Deadlines are read again in the new year; those naming a time outside it are kept as
/// written and listed in `flagged_deadlines`, to be reviewed. The new plan is a draft.
#[endpoint]
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = NextPlan,
    responses((status = 201, body = NextPlanReport))
)]
#[post("/plans/{id}/next")]
async fn next_plan(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    id: web::Path<PlanId>,
    body: Json<NextPlan>,
) -> ApiResult<HttpResponse> {
    let request = body.into_inner()?;
    let mut conn = state.conn().await?;
    let report = carry_over(&mut conn, &user.actor(), *id, &request).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/plans/{}", report.plan.plan.id),
        ))
        .json(report))
}

/// The plan as a Word document (DOCX), laid out as the board's own: title, "Mise à jour",
/// adoption, the table with its ORIENTATION rows and four columns (objectifs, actions,
/// échéancier, état d'avancement), bold for what is done or under way, and the acronyms.
/// `POST /plans/import` reads it back to the same plan.
#[endpoint]
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, description = "The plan as a Word document", content(
        (crate::endpoint::FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    )))
)]
#[get("/plans/{id}/document.docx")]
async fn plan_document(
    state: web::Data<AppState>,
    _user: Authorized<ProduceReports>,
    id: web::Path<PlanId>,
) -> ApiResult<HttpResponse> {
    let _turn = state.heavy_turn().await?;
    let mut conn = state.conn().await?;
    let tree = load_tree(&mut conn, *id).await?;
    drop(conn);
    let updated_on = crate::clock::local_day(tree.last_updated_at);
    let filename = format!(
        "plan-{}-{}.docx",
        tree.plan.period_start.format("%Y"),
        tree.plan.period_end.format("%Y")
    );
    let bytes = crate::state::off_thread(move || document::render(&tree, updated_on))
        .await?
        .map_err(|e| crate::error::ApiError::Internal(e.into()))?;
    Ok(crate::endpoint::attachment(document::MEDIA_TYPE, &filename, bytes))
}
