use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{CreateWebhook, UpdateWebhook, WebhookSecret};
use super::model::{self, Delivery, LoggedDelivery, Webhook, WebhookChange};
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, ManageUsers};
use crate::endpoint;
use crate::error::ApiResult;
use crate::etag::{IfMatch, Precondition};
use crate::extract::Json;
use crate::ids::WebhookId;
use crate::state::AppState;
use crate::write;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_webhooks)
        .service(create_webhook)
        .service(get_webhook)
        .service(update_webhook)
        .service(delete_webhook)
        .service(rotate_webhook_secret)
        .service(webhook_deliveries)
        .service(redeliver);
}

/// The registered endpoints (never their secrets).
#[endpoint]
#[utoipa::path(tag = "webhooks", responses((status = 200, body = [Webhook])))]
#[get("/webhooks")]
async fn list_webhooks(state: web::Data<AppState>, _user: Authorized<ManageUsers>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(Webhook::list(&mut *state.conn().await?).await?))
}

/// Register an endpoint: each event it names is then posted to it as JSON (`type`,
/// `timestamp`, `data` with the entity as the API returns it and its link), signed as
/// Standard Webhooks has it (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The
/// secret that verifies the signatures is in this answer only.
#[endpoint]
#[utoipa::path(tag = "webhooks", request_body = CreateWebhook, responses((status = 201, body = WebhookSecret)))]
#[post("/webhooks")]
async fn create_webhook(
    state: web::Data<AppState>,
    user: Authorized<ManageUsers>,
    body: Json<CreateWebhook>,
) -> ApiResult<HttpResponse> {
    let (new, secret) = body.into_inner()?.into_form(state.webhooks_allow_private, user.id())?;
    super::address::check_registration(&new.url, state.webhooks_allow_private).await?;
    let webhook = write::create(&mut *state.conn().await?, &user.actor(), new).await?;
    Ok(crate::etag::created(
        format!("/api/v1/webhooks/{}", webhook.id),
        webhook.version,
        &WebhookSecret { secret, webhook },
    ))
}

/// One endpoint.
#[endpoint]
#[utoipa::path(tag = "webhooks", params(("id" = i64, Path, description = "Webhook id")), responses((status = 200, body = Webhook)))]
#[get("/webhooks/{id}")]
async fn get_webhook(
    state: web::Data<AppState>,
    _user: Authorized<ManageUsers>,
    id: web::Path<WebhookId>,
) -> ApiResult<HttpResponse> {
    Ok(endpoint::ok(&Webhook::read(&mut *state.conn().await?, *id).await?))
}

/// Change an endpoint's address, description or events, or turn it off or on again.
#[endpoint]
#[utoipa::path(
    tag = "webhooks",
    params(("id" = i64, Path, description = "Webhook id")),
    request_body = UpdateWebhook,
    responses((status = 200, body = Webhook))
)]
#[patch("/webhooks/{id}")]
async fn update_webhook(
    state: web::Data<AppState>,
    user: Authorized<ManageUsers>,
    id: web::Path<WebhookId>,
    precondition: Precondition,
    body: Json<UpdateWebhook>,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    let change = body.into_inner()?.into_form(state.webhooks_allow_private)?;
    if let Some(url) = &change.url {
        super::address::check_registration(url, state.webhooks_allow_private).await?;
    }
    endpoint::update::<Webhook, _>(&state, &user, *id, expected, change).await
}

/// Remove an endpoint, with its deliveries and their log.
#[endpoint]
#[utoipa::path(tag = "webhooks", params(("id" = i64, Path, description = "Webhook id")), responses((status = 204, description = "Deleted")))]
#[delete("/webhooks/{id}")]
async fn delete_webhook(
    state: web::Data<AppState>,
    user: Authorized<ManageUsers>,
    id: web::Path<WebhookId>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    endpoint::delete::<Webhook>(&state, &user, *id, precondition.expected()?).await
}

/// A new secret (shown this once); the previous one still signs every delivery for 24 hours
/// (two signatures in `webhook-signature`), so the receiver can switch without losing any.
#[endpoint]
#[utoipa::path(tag = "webhooks", params(("id" = i64, Path, description = "Webhook id")), responses((status = 200, body = WebhookSecret)))]
#[post("/webhooks/{id}/secret")]
async fn rotate_webhook_secret(
    state: web::Data<AppState>,
    user: Authorized<ManageUsers>,
    id: web::Path<WebhookId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let current = Webhook::read(&mut conn, *id).await?;
    let (change, secret): (WebhookChange, String) = WebhookChange::rotation(&current);
    let webhook = write::update::<Webhook, _>(&mut conn, &user.actor(), *id, IfMatch::Any, change).await?;
    Ok(crate::etag::ok(webhook.version, &WebhookSecret { secret, webhook }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogParams {
    /// The newest deliveries, at most this many (default 50, at most 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// The endpoint's log: its last deliveries, newest first, each with every attempt (when,
/// the answer's status and first 1,000 characters, or why there was none).
#[endpoint]
#[utoipa::path(
    tag = "webhooks",
    params(("id" = i64, Path, description = "Webhook id"), LogParams),
    responses((status = 200, body = [LoggedDelivery]))
)]
#[get("/webhooks/{id}/deliveries")]
async fn webhook_deliveries(
    state: web::Data<AppState>,
    _user: Authorized<ManageUsers>,
    id: web::Path<WebhookId>,
    params: web::Query<LogParams>,
) -> ApiResult<HttpResponse> {
    let limit = params.limit.unwrap_or(50).clamp(1, 500);
    Ok(HttpResponse::Ok().json(model::log(&mut *state.conn().await?, *id, limit).await?))
}

/// Send a delivery again on the next pass, from its first try (409 while it waits).
#[endpoint]
#[utoipa::path(tag = "webhooks", params(("id" = i64, Path, description = "Delivery id")), responses((status = 200, body = Delivery)))]
#[post("/webhook-deliveries/{id}/redelivery")]
async fn redeliver(
    state: web::Data<AppState>,
    _user: Authorized<ManageUsers>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(model::redeliver(&mut *state.conn().await?, *id).await?))
}
