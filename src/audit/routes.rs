use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::{AuditEntry, AuditQuery, search};
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, ReadAudit};
use crate::entity::Entity;
use crate::error::{ApiResult, ErrorCode};
use crate::i18n::Text;
use crate::state::AppState;
use crate::validation::{Offset, PageSize, Validator};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_audit);
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// What the changes are about.
    #[param(example = "action")]
    pub entity: Option<Entity>,
    pub entity_id: Option<i64>,
    /// Changes made by this user.
    pub user_id: Option<i64>,
    pub plan_id: Option<i64>,
    /// From this instant (inclusive); not after `until`.
    pub since: Option<DateTime<Utc>>,
    /// Until this instant (exclusive).
    pub until: Option<DateTime<Utc>>,
    /// Page size (default 50).
    #[param(inline)]
    pub limit: Option<PageSize>,
    /// Items to skip (default 0).
    #[param(inline)]
    pub offset: Option<Offset>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// The audit trail, newest first: who changed what, when, with the row before and after.
#[endpoint]
#[utoipa::path(tag = "audit", params(AuditParams), responses((status = 200, body = AuditPage)))]
#[get("/audit")]
async fn list_audit(
    state: web::Data<AppState>,
    _user: Authorized<ReadAudit>,
    params: web::Query<AuditParams>,
) -> ApiResult<HttpResponse> {
    let params = params.into_inner();
    let mut v = Validator::new();
    let (limit, offset) = v.page(params.limit, params.offset);
    if let (Some(since), Some(until)) = (params.since, params.until)
        && until < since
    {
        v.push(
            "until",
            ErrorCode::BeforeStart,
            Text::new(
                format!("« until » ({until}) précède « since » ({since})."),
                format!("\"until\" ({until}) comes before \"since\" ({since})."),
            ),
        );
    }
    v.finish()?;
    let query = AuditQuery {
        entity: params.entity,
        entity_id: params.entity_id,
        user_id: params.user_id,
        plan_id: params.plan_id,
        from: params.since,
        to: params.until,
        limit,
        offset,
    };
    let mut conn = state.conn().await?;
    let (items, total) = search(&mut conn, &query).await?;
    Ok(HttpResponse::Ok().json(AuditPage {
        items,
        total,
        limit,
        offset,
    }))
}
