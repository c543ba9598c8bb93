use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::address::check_url;
use super::model::{NewWebhook, Webhook, WebhookChange};
use super::signature;
use crate::error::{ApiResult, ErrorCode};
use crate::i18n::Text;
use crate::ids::UserId;
use crate::validation::Validator;
use crate::validation::bounded::{Optional, Required};
use crate::write::events;

pub type Url = Required<2000>;
pub type Description = Optional<500>;

/// An endpoint to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "url": "https://tableau.mess.gouv.qc.ca/planaction",
    "description": "Tableau de bord du MESS",
    "event_types": ["action.status_updated", "report.saved", "report.signed_off"]
}))]
pub struct CreateWebhook {
    /// `https://` to a public address (`http://` and private addresses only where the
    /// operator set `WEBHOOK_ALLOW_PRIVATE_NETWORKS=true`). Redirections are not followed.
    #[schema(inline)]
    pub url: Url,
    #[schema(inline)]
    pub description: Option<Description>,
    /// The events to receive: `{thing}.created|updated|deleted` for plan, orientation,
    /// objective, action, deadline, comment, glossary_entry and event; `action.status_updated`,
    /// `action.assigned`, `action.unassigned`, `plan.adopted`, `plan.closed`, `report.saved`,
    /// `report.signed_off`.
    #[schema(min_items = 1, max_items = 50)]
    pub event_types: Vec<String>,
}

/// What to change; what is absent stays. `enabled: true` turns an endpoint on again (and
/// forgets its failures).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"event_types": ["action.status_updated"], "enabled": true}))]
pub struct UpdateWebhook {
    #[schema(inline)]
    pub url: Option<Url>,
    #[schema(inline)]
    pub description: Option<Description>,
    #[schema(min_items = 1, max_items = 50)]
    pub event_types: Option<Vec<String>>,
    pub enabled: Option<bool>,
}

/// An endpoint just registered, or its secret just rotated: the secret (`whsec_…`), shown
/// this once, that verifies each delivery's `webhook-signature`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "secret": "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
    "webhook": {"id": 1, "url": "https://tableau.mess.gouv.qc.ca/planaction", "description": null,
        "event_types": ["action.status_updated"], "enabled": true, "disabled_reason": null, "failing_since": null,
        "created_by": 1, "version": 1, "created_at": "2013-11-05T14:00:00Z", "updated_at": "2013-11-05T14:00:00Z"}
}))]
pub struct WebhookSecret {
    pub secret: String,
    pub webhook: Webhook,
}

/// The event types, checked against the known ones, once each.
fn event_types(v: &mut Validator, asked: &[String]) -> Vec<Option<String>> {
    let known = events::all();
    let mut chosen: Vec<Option<String>> = Vec::new();
    for name in asked {
        let name = name.trim();
        if !known.iter().any(|k| k == name) {
            v.push(
                "event_types",
                ErrorCode::UnknownValue,
                Text::new(
                    format!("« {name} » n'est pas un événement : {}.", known.join(", ")),
                    format!("\"{name}\" is not an event: {}.", known.join(", ")),
                ),
            );
        } else if !chosen.iter().flatten().any(|c| c == name) {
            chosen.push(Some(name.to_owned()));
        }
    }
    if asked.is_empty() || asked.len() > 50 {
        v.push(
            "event_types",
            ErrorCode::OutOfRange,
            Text::new("Nommez de 1 à 50 événements.", "Name from 1 to 50 events."),
        );
    }
    chosen
}

fn url(v: &mut Validator, raw: &Url, allow_private: bool) -> String {
    let text = v.required("url", raw);
    match check_url(&text, allow_private) {
        Ok(url) => url.to_string(),
        Err(why) => {
            v.push("url", ErrorCode::Invalid, why);
            text
        }
    }
}

impl CreateWebhook {
    pub fn into_form(self, allow_private: bool, by: UserId) -> ApiResult<(NewWebhook, String)> {
        let mut v = Validator::new();
        let url = url(&mut v, &self.url, allow_private);
        let description = v.optional("description", self.description.as_ref());
        let event_types = event_types(&mut v, &self.event_types);
        v.finish()?;
        let secret = signature::new_secret();
        Ok((
            NewWebhook {
                url,
                description,
                event_types,
                secret: secret.clone(),
                created_by: Some(by),
            },
            secret,
        ))
    }
}

impl UpdateWebhook {
    pub fn into_form(self, allow_private: bool) -> ApiResult<WebhookChange> {
        let mut v = Validator::new();
        let url = self.url.map(|u| url(&mut v, &u, allow_private));
        let description = self.description.as_ref().map(|d| v.optional("description", Some(d)));
        let event_types = self.event_types.map(|e| event_types(&mut v, &e));
        v.finish()?;
        let on = self.enabled == Some(true);
        Ok(WebhookChange {
            url,
            description,
            event_types,
            enabled: self.enabled,
            disabled_reason: on.then_some(None),
            failing_since: on.then_some(None),
            ..WebhookChange::default()
        })
    }
}
