use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::i18n::Text;
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
    // Within the connect timeout, whether or not the pool checked this connection: a
    // frozen server answers nothing, and its statement timeout never fires.
    let limit = state.connect_timeout();
    match tokio::time::timeout(limit, crate::db::ping(&mut conn)).await {
        Ok(answer) => answer.map_err(|e| ApiError::Unavailable(ApiError::from(e).unavailable_reason()))?,
        Err(_) => {
            return Err(ApiError::Unavailable(Text::new(
                format!("la base de données n'a pas répondu en {} s", limit.as_secs()),
                format!("the database did not answer within {} s", limit.as_secs()),
            )));
        }
    }
    Ok(HttpResponse::Ok().json(Health { status: "ok" }))
}
