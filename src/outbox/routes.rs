use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::OutboxEntry;
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, ManageUsers};
use crate::error::ApiResult;
use crate::state::AppState;
use crate::write::outbox::MailState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_outbox).service(resend_mail);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// Only the messages in this state: `waiting`, `sent`, `given_up`, `dropped`, `held`, `digested`.
    state: Option<MailState>,
}

/// The outbox, newest first (the last 200): what was sent, what waits and why, what was
/// given up after its last try or because the address refused it.
#[endpoint]
#[utoipa::path(tag = "notifications", params(OutboxQuery), responses((status = 200, body = [OutboxEntry])))]
#[get("/outbox")]
async fn list_outbox(
    state: web::Data<AppState>,
    _user: Authorized<ManageUsers>,
    query: web::Query<OutboxQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(super::list(&mut conn, query.state, 200).await?))
}

/// Send a message again, from its first try (one given up, dropped or sent); an address
/// refused before is tried again.
#[endpoint]
#[utoipa::path(
    tag = "notifications",
    params(("id" = i64, Path, description = "Message id")),
    responses((status = 200, body = OutboxEntry))
)]
#[post("/outbox/{id}/resend")]
async fn resend_mail(
    state: web::Data<AppState>,
    _user: Authorized<ManageUsers>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(super::resend(&mut conn, *id).await?))
}
