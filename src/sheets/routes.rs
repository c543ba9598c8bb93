//! `GET /plans/{id}/status-sheet.xlsx`, and the filled sheet's preview and application.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::review::{Current, SheetChange, SheetReview, review};
use super::{MEDIA_TYPE, export, read};
use planaction_macros::endpoint;

use crate::actions::model::{ActionEdit, ActionUpdateForm, History};
use crate::auth::authorized::{Authorized, UpdateAssignedStatus};
use crate::auth::{AuthUser, Permission};
use crate::db::schema::{actions, objectives, orientations};
use crate::error::{ApiError, ApiResult, ErrorCode, FieldError};
use crate::etag::IfMatch;
use crate::extract::{content_type, read_body};
use crate::i18n::{Lang, Text};
use crate::ids::{ActionId, PlanId};
use crate::progress::ActionStatus;
use crate::state::AppState;
use crate::status_updates::service::{record, updatable};
use crate::upload::DocumentBytes;

/// Largest sheet accepted (a 10,000-action plan's is about 600 KB).
const SHEET_LIMIT: usize = 8 * 1024 * 1024;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(status_sheet)
        .service(preview_status_sheet)
        .service(apply_status_sheet);
}

/// The plan's actions as a spreadsheet to fill in Excel or LibreOffice: id, version,
/// orientation, objective, action, échéancier, current état, note and progress, then the
/// columns to fill: « Nouvel état » (French status words: Complété, En cours, Reporté…),
/// « Nouvelle note », « Date d'effet » (today when empty). Keep `id` and `version` as they are.
#[endpoint]
#[utoipa::path(
    tag = "status sheets",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, description = "The status sheet", content(
        (crate::endpoint::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )))
)]
#[get("/plans/{id}/status-sheet.xlsx")]
async fn status_sheet(
    state: web::Data<AppState>,
    _user: Authorized<UpdateAssignedStatus>,
    id: web::Path<PlanId>,
) -> ApiResult<HttpResponse> {
    let _turn = state.heavy_turn().await?;
    let mut conn = state.conn().await?;
    let tree = crate::plans::tree::load_tree(&mut conn, *id).await?;
    drop(conn);
    let bytes = export::render(&tree).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(crate::endpoint::attachment(
        MEDIA_TYPE,
        &format!("etats-plan-{}.xlsx", id.0),
        bytes,
    ))
}

/// The actions of the plan as they stand, with whether `user` may update each.
async fn current(conn: &mut AsyncPgConnection, user: &AuthUser, plan: PlanId) -> ApiResult<HashMap<i64, Current>> {
    crate::write::lookup::plan(conn, plan).await?;
    let rows: Vec<(i64, i32, String, ActionStatus, Option<String>)> = actions::table
        .inner_join(objectives::table.inner_join(orientations::table))
        .filter(orientations::plan_id.eq(plan))
        .select((
            actions::id,
            actions::version,
            actions::title,
            actions::status,
            actions::progress_note,
        ))
        .load(conn)
        .await?;
    let updatable = updatable(conn, user).await?;
    Ok(rows
        .into_iter()
        .map(|(id, version, title, status, note)| {
            let may_update = updatable.contains(id);
            (
                id,
                Current {
                    version,
                    title,
                    status,
                    note,
                    may_update,
                },
            )
        })
        .collect())
}

async fn review_upload(
    state: &AppState,
    user: &AuthUser,
    req: &HttpRequest,
    plan: PlanId,
    payload: web::Payload,
) -> ApiResult<(SheetReview, crate::db::DbConn)> {
    user.require(Permission::UpdateAssignedStatus)?;
    if !content_type(req).is_some_and(|ct| ct == MEDIA_TYPE || ct == "application/octet-stream") {
        return Err(ApiError::UnsupportedMediaType(Text::new(
            format!("Envoyez la feuille remplie avec l'en-tête « Content-Type: {MEDIA_TYPE} »."),
            format!("Send the filled sheet with the header \"Content-Type: {MEDIA_TYPE}\"."),
        )));
    }
    let body = read_body(payload.into_inner(), SHEET_LIMIT).await?;
    // Reading is CPU work on up to 40 MB of XML: off the server's threads, one per core.
    let rows = {
        let _turn = state.heavy_turn().await?;
        crate::state::off_thread(move || read::read(&body)).await??
    };
    let mut conn = state.conn().await?;
    let current = current(&mut conn, user, plan).await?;
    let lang = Lang::from_headers(req.headers());
    Ok((review(&rows, &current, crate::clock::today(), lang), conn))
}

/// What a filled status sheet would do, without doing it: every change (before → after),
/// the rows whose action changed since the download (conflicts, side by side), the rows
/// refused and why (an unknown status word, an action not assigned to a member…).
#[endpoint]
#[utoipa::path(
    tag = "status sheets",
    params(("id" = i64, Path, description = "Plan id")),
    request_body(content((DocumentBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", example = json!("PK\u{3}\u{4}… (the sheet saved by Excel or LibreOffice as .xlsx)"))), description = "The filled sheet (.xlsx)"),
    responses((status = 200, body = SheetReview))
)]
#[post("/plans/{id}/status-sheet/preview")]
async fn preview_status_sheet(
    state: web::Data<AppState>,
    user: Authorized<UpdateAssignedStatus>,
    req: HttpRequest,
    id: web::Path<PlanId>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let (review, _) = review_upload(&state, &user, &req, *id, payload).await?;
    Ok(HttpResponse::Ok().json(review))
}

/// What applying a sheet recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppliedSheet {
    /// Status updates recorded, one per change.
    #[schema(example = 12)]
    pub applied: usize,
    pub changes: Vec<SheetChange>,
}

fn edit(change: &SheetChange) -> ActionEdit {
    let form = ActionUpdateForm {
        status: Some(change.after.status),
        progress_note: (change.after.note != change.before.note).then(|| change.after.note.clone()),
        ..Default::default()
    };
    ActionEdit {
        form,
        objective_id: None,
        position: None,
        history: History::Always {
            decision: None,
            effective_on: Some(change.effective_on),
        },
    }
}

/// Records every change of a filled sheet as a status update (author: you; effective date:
/// the sheet's, else today), in one transaction, or nothing: a sheet with a conflict gets
/// 409 and one with a refused row 422, each naming the rows (see the preview).
#[endpoint]
#[utoipa::path(
    tag = "status sheets",
    params(("id" = i64, Path, description = "Plan id")),
    request_body(content((DocumentBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", example = json!("PK\u{3}\u{4}… (the sheet saved by Excel or LibreOffice as .xlsx)"))), description = "The filled sheet (.xlsx)"),
    responses((status = 200, body = AppliedSheet))
)]
#[post("/plans/{id}/status-sheet/apply")]
async fn apply_status_sheet(
    state: web::Data<AppState>,
    user: Authorized<UpdateAssignedStatus>,
    req: HttpRequest,
    id: web::Path<PlanId>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let (review, mut conn) = review_upload(&state, &user, &req, *id, payload).await?;
    if !review.conflicts.is_empty() {
        let rows: Vec<String> = review.conflicts.iter().map(|c| c.row.to_string()).collect();
        return Err(ApiError::Conflict(Text::new(
            format!(
                "Rien n'est appliqué : les actions des lignes {} ont changé depuis le téléchargement de la feuille. Voyez l'aperçu, téléchargez-la de nouveau et reportez-y vos changements.",
                rows.join(", ")
            ),
            format!(
                "Nothing applied: the actions of rows {} changed since the sheet was downloaded. See the preview, download it again and carry your changes over.",
                rows.join(", ")
            ),
        )));
    }
    if !review.refused.is_empty() {
        return Err(ApiError::Validation(
            review
                .refused
                .iter()
                .map(|r| {
                    FieldError::new(
                        format!("row {}", r.row),
                        ErrorCode::RefusedRow,
                        Text::new(r.reason.clone(), r.reason.clone()),
                    )
                })
                .collect(),
        ));
    }
    let changes = review.changes;
    conn.transaction(async |conn| {
        for change in &changes {
            record(
                conn,
                &user,
                ActionId(change.action_id),
                IfMatch::Versions(vec![change.version]),
                edit(change),
            )
            .await?;
        }
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::Ok().json(AppliedSheet {
        applied: changes.len(),
        changes,
    }))
}
