use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ical;
use super::model::{self, CalendarFeed};
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, ReadPlans};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::i18n::Text;
use crate::ids::{CalendarFeedId, PlanId};
use crate::security::permissions::Permission;
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(my_feeds)
        .service(create_feed)
        .service(revoke_feed)
        .service(calendar_feed);
}

/// A feed to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"plan_id": 1}))]
pub struct CreateFeed {
    /// A plan's échéanciers; absent or null: your own actions (assigned or followed).
    #[schema(value_type = Option<i64>)]
    pub plan_id: Option<PlanId>,
}

/// A feed just made, with its secret address (shown this once).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "url": "https://plan.rqds.example/api/v1/calendar/mZ4b0oQv1c3Xn3m2kq0Xj5x8b1HnK3z7QpS2Lr9dFhE.ics",
    "feed": {"id": 2, "user_id": 4, "plan_id": 1, "created_at": "2013-11-05T14:00:00Z", "last_fetched_at": null, "revoked_at": null}
}))]
pub struct CreatedFeed {
    /// What a calendar subscribes to (Outlook: Ajouter un calendrier › À partir d'Internet).
    /// Keep it: only its hash is stored.
    pub url: String,
    pub feed: CalendarFeed,
}

/// Your calendar feeds (never their addresses), with their last fetch.
#[endpoint]
#[utoipa::path(tag = "calendar", responses((status = 200, body = [CalendarFeed])))]
#[get("/me/calendar-feeds")]
async fn my_feeds(state: web::Data<AppState>, user: Authorized<ReadPlans>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(CalendarFeed::of(&mut *state.conn().await?, user.id()).await?))
}

/// Make a calendar feed: a plan's échéanciers, or your own actions'. Each period an
/// échéancier was read as is an all-day event over its days (a date, one day), titled with
/// its label as written and the action; `En continu`, `Sur invitation` and labels not
/// understood are left out. Subscribe to `url` in a calendar application.
#[endpoint]
#[utoipa::path(tag = "calendar", request_body = CreateFeed, responses((status = 201, body = CreatedFeed)))]
#[post("/me/calendar-feeds")]
async fn create_feed(
    state: web::Data<AppState>,
    user: Authorized<ReadPlans>,
    body: Json<CreateFeed>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner()?;
    let mut conn = state.conn().await?;
    let (feed, token) = CalendarFeed::create(&mut conn, &user.actor(), user.id(), body.plan_id).await?;
    Ok(HttpResponse::Created().json(CreatedFeed {
        url: crate::feeds::address(&state.public_url, &token),
        feed,
    }))
}

/// Stop a calendar feed at once: yours, or any (the coordination).
#[endpoint]
#[utoipa::path(tag = "calendar", params(("id" = i64, Path, description = "Feed id")), responses((status = 204, description = "Revoked")))]
#[delete("/calendar-feeds/{id}")]
async fn revoke_feed(
    state: web::Data<AppState>,
    user: Authorized<ReadPlans>,
    id: web::Path<CalendarFeedId>,
) -> ApiResult<HttpResponse> {
    let any = Permission::ManageUsers.allows(user.role());
    crate::write::revoke::revoke::<CalendarFeed>(&mut *state.conn().await?, &user.actor(), *id, any).await?;
    Ok(HttpResponse::NoContent().finish())
}

fn unknown_feed() -> ApiError {
    ApiError::Missing(Text::new(
        "Ce calendrier n'existe pas ou n'est plus partagé : créez un nouveau lien (POST /api/v1/me/calendar-feeds).",
        "This calendar does not exist or is no longer shared: make a new address (POST /api/v1/me/calendar-feeds).",
    ))
}

/// A calendar feed (iCalendar), at its secret address: no sign-in (calendar applications
/// cannot), 404 for an address that is no feed's, revoked, or whose owner is deactivated.
#[endpoint]
#[utoipa::path(
    tag = "calendar",
    params(("token" = String, Path, description = "The feed's secret, as its address gave it")),
    responses((status = 200, description = "The feed", content((String = "text/calendar"))))
)]
#[get("/calendar/{token}.ics")]
async fn calendar_feed(state: web::Data<AppState>, token: web::Path<String>) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let feed = model::subscription(&mut conn, &token).await?.ok_or_else(unknown_feed)?;
    let events = model::events(&mut conn, &feed, &state.public_url).await?;
    let name = match &feed.plan {
        Some((_, title)) => format!("Planaction — {title}"),
        None => format!("Planaction — {}", feed.owner),
    };
    drop(conn);
    let lang = feed.lang;
    let body = crate::state::off_thread(move || ical::render(&name, &events, lang)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Cache-Control", "private, max-age=300"))
        .body(body))
}
