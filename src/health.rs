use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The process is up (it does not look at the database).
#[utoipa::path(tag = "health", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// The database answers: ready to serve.
#[utoipa::path(tag = "health", responses((status = 200, body = Health)))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    crate::db::ping(&mut conn)
        .await
        .map_err(|e| ApiError::Unavailable(ApiError::from(e).unavailable_reason()))?;
    Ok(HttpResponse::Ok().json(Health { status: "ok" }))
}
