use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::signature;
use crate::db::schema::{webhook_attempts, webhook_deliveries, webhook_endpoints};
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::i18n::Text;
use crate::ids::{PlanId, UserId, WebhookId};
use crate::write::{Context, Edit, Insert, Versioned};

/// How long a rotated secret still signs deliveries, beside the new one.
pub const ROTATION_HOURS: i64 = 24;

#[derive(Queryable, Selectable)]
#[diesel(table_name = webhook_endpoints, check_for_backend(diesel::pg::Pg))]
struct Row {
    id: WebhookId,
    url: String,
    description: Option<String>,
    event_types: Vec<Option<String>>,
    secret: String,
    previous_secret: Option<String>,
    previous_secret_expires_at: Option<DateTime<Utc>>,
    enabled: bool,
    disabled_reason: Option<String>,
    failing_since: Option<DateTime<Utc>>,
    created_by: Option<UserId>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A registered endpoint, as the API shows it: never its secrets.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "url": "https://tableau.mess.gouv.qc.ca/planaction", "description": "Tableau de bord du MESS",
    "event_types": ["action.status_updated", "report.signed_off"], "enabled": true, "disabled_reason": null,
    "failing_since": null, "created_by": 1, "version": 1,
    "created_at": "2013-11-05T14:00:00Z", "updated_at": "2013-11-05T14:00:00Z"
}))]
pub struct Webhook {
    #[schema(value_type = i64)]
    pub id: WebhookId,
    pub url: String,
    pub description: Option<String>,
    /// The events it receives (`GET /webhooks` documents the names).
    pub event_types: Vec<String>,
    /// Off when the coordination turned it off, or after days of failures.
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    /// The first failure of its current run of failures.
    pub failing_since: Option<DateTime<Utc>>,
    #[schema(value_type = Option<i64>)]
    pub created_by: Option<UserId>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Its secrets, for signing: never serialized (not in the API, not in the audit).
    #[serde(skip)]
    #[schema(ignore)]
    pub secrets: Vec<String>,
}

impl From<Row> for Webhook {
    fn from(row: Row) -> Webhook {
        let mut secrets = vec![row.secret];
        if let (Some(previous), Some(until)) = (row.previous_secret, row.previous_secret_expires_at)
            && until > Utc::now()
        {
            secrets.push(previous);
        }
        Webhook {
            id: row.id,
            url: row.url,
            description: row.description,
            event_types: row.event_types.into_iter().flatten().collect(),
            enabled: row.enabled,
            disabled_reason: row.disabled_reason,
            failing_since: row.failing_since,
            created_by: row.created_by,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
            secrets,
        }
    }
}

impl Webhook {
    pub async fn read(conn: &mut AsyncPgConnection, id: WebhookId) -> ApiResult<Webhook> {
        webhook_endpoints::table
            .find(id)
            .select(Row::as_select())
            .first(conn)
            .await
            .map(Webhook::from)
            .or_not_found(Entity::Webhook, id.0)
    }

    pub async fn list(conn: &mut AsyncPgConnection) -> ApiResult<Vec<Webhook>> {
        Ok(webhook_endpoints::table
            .order(webhook_endpoints::id)
            .select(Row::as_select())
            .load(conn)
            .await?
            .into_iter()
            .map(Webhook::from)
            .collect())
    }
}

/// A new endpoint, its secret drawn.
#[derive(Debug, Insertable)]
#[diesel(table_name = webhook_endpoints)]
pub struct NewWebhook {
    pub url: String,
    pub description: Option<String>,
    pub event_types: Vec<Option<String>>,
    pub secret: String,
    pub created_by: Option<UserId>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = webhook_endpoints)]
pub struct WebhookChange {
    pub url: Option<String>,
    pub description: Option<Option<String>>,
    pub event_types: Option<Vec<Option<String>>>,
    pub enabled: Option<bool>,
    /// Cleared when it is turned on again.
    pub disabled_reason: Option<Option<String>>,
    pub failing_since: Option<Option<DateTime<Utc>>>,
    /// A rotation: the new secret, the old one kept for `ROTATION_HOURS`.
    pub secret: Option<String>,
    pub previous_secret: Option<Option<String>>,
    pub previous_secret_expires_at: Option<Option<DateTime<Utc>>>,
}

impl WebhookChange {
    /// A new secret; the current one still signs for a day, so receivers can switch.
    pub fn rotation(current: &Webhook) -> (WebhookChange, String) {
        let secret = signature::new_secret();
        let change = WebhookChange {
            secret: Some(secret.clone()),
            previous_secret: Some(<[String]>::first(&current.secrets).cloned()),
            previous_secret_expires_at: Some(Some(Utc::now() + Duration::hours(ROTATION_HOURS))),
            ..WebhookChange::default()
        };
        (change, secret)
    }
}

impl Versioned for Webhook {
    crate::versioned_names!(Webhook, WebhookId, "webhooks");
    const KIND: crate::lifecycle::ChangeKind = crate::lifecycle::ChangeKind::Report;

    async fn lock(conn: &mut AsyncPgConnection, id: WebhookId) -> ApiResult<Webhook> {
        webhook_endpoints::table
            .find(id)
            .select(Row::as_select())
            .for_update()
            .first(conn)
            .await
            .map(Webhook::from)
            .or_not_found(Entity::Webhook, id.0)
    }

    async fn plan_id(&self, _: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(None)
    }

    async fn remove(&self, conn: &mut AsyncPgConnection) -> ApiResult<()> {
        diesel::delete(webhook_endpoints::table.find(self.id))
            .execute(conn)
            .await?;
        Ok(())
    }
}

impl Insert for NewWebhook {
    type Row = Webhook;

    async fn plan_id(&self, _: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(None)
    }

    async fn insert(self, conn: &mut AsyncPgConnection, _: Context<'_>) -> ApiResult<Webhook> {
        Ok(diesel::insert_into(webhook_endpoints::table)
            .values(&self)
            .returning(Row::as_returning())
            .get_result(conn)
            .await?
            .into())
    }
}

impl Edit<Webhook> for WebhookChange {
    type Output = ();

    fn is_empty(&self) -> bool {
        self.url.is_none()
            && self.description.is_none()
            && self.event_types.is_none()
            && self.enabled.is_none()
            && self.secret.is_none()
    }

    async fn apply(self, conn: &mut AsyncPgConnection, _: Context<'_>, before: &Webhook) -> ApiResult<(Webhook, ())> {
        let after: Row = diesel::update(webhook_endpoints::table.find(before.id))
            .set(&self)
            .returning(Row::as_returning())
            .get_result(conn)
            .await?;
        Ok((after.into(), ()))
    }
}

/// One delivery of an event to an endpoint, with its attempts.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = webhook_deliveries, check_for_backend(diesel::pg::Pg))]
pub struct Delivery {
    pub id: i64,
    #[schema(value_type = i64)]
    pub endpoint_id: WebhookId,
    /// `webhook-id`: the same at every attempt.
    pub message_id: String,
    pub event_type: String,
    /// `waiting` (its next attempt at `next_attempt_at`), `delivered`, or `failed` after its
    /// last attempt.
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

/// One attempt: when, the answer's status and its first characters, or why there was none.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = webhook_attempts, check_for_backend(diesel::pg::Pg))]
pub struct Attempt {
    pub at: DateTime<Utc>,
    pub status_code: Option<i32>,
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
    pub duration_ms: i32,
}

/// A delivery and its attempts, newest first in the log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoggedDelivery {
    #[serde(flatten)]
    pub delivery: Delivery,
    pub attempts_log: Vec<Attempt>,
}

/// The endpoint's last deliveries (at most `limit`), newest first, each with its attempts.
pub async fn log(conn: &mut AsyncPgConnection, endpoint: WebhookId, limit: i64) -> ApiResult<Vec<LoggedDelivery>> {
    Webhook::read(conn, endpoint).await?;
    let deliveries: Vec<Delivery> = webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(endpoint))
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .select(Delivery::as_select())
        .load(conn)
        .await?;
    let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
    let attempts: Vec<(i64, Attempt)> = webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(&ids))
        .order(webhook_attempts::id)
        .select((webhook_attempts::delivery_id, Attempt::as_select()))
        .load(conn)
        .await?;
    Ok(deliveries
        .into_iter()
        .map(|delivery| LoggedDelivery {
            attempts_log: attempts
                .iter()
                .filter(|(id, _)| *id == delivery.id)
                .map(|(_, a)| a.clone())
                .collect(),
            delivery,
        })
        .collect())
}

/// Sends a delivery again on the next pass, from its first try (409 while it waits).
pub async fn redeliver(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<Delivery> {
    let updated: Option<Delivery> = diesel::update(
        webhook_deliveries::table
            .find(id)
            .filter(webhook_deliveries::state.ne("waiting")),
    )
    .set((
        webhook_deliveries::state.eq("waiting"),
        webhook_deliveries::attempts.eq(0),
        webhook_deliveries::next_attempt_at.eq(Utc::now()),
    ))
    .returning(Delivery::as_returning())
    .get_result(conn)
    .await
    .optional()?;
    if let Some(delivery) = updated {
        return Ok(delivery);
    }
    let exists: Option<i64> = webhook_deliveries::table
        .find(id)
        .select(webhook_deliveries::id)
        .first(conn)
        .await
        .optional()?;
    Err(match exists {
        Some(_) => ApiError::Conflict(Text::new(
            "Cet envoi attend déjà : il partira au prochain passage.",
            "This delivery is already waiting: it goes on the next pass.",
        )),
        None => ApiError::Missing(Text::new(
            format!("L'envoi {id} n'existe pas."),
            format!("Delivery {id} does not exist."),
        )),
    })
}
