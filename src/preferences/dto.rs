use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{Frequencies, MailFrequency};
use crate::error::{ApiError, ErrorCode};
use crate::i18n::{Lang, Text};
use crate::validation::bounded::Int;
use crate::write::outbox::NoticeKind;

/// How each kind one chooses is received, as the document shows `frequencies` (what is
/// read is a map of `NoticeKind`; this names its keys, and no other).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct FrequencyChoices {
    assigned: Option<MailFrequency>,
    unassigned: Option<MailFrequency>,
    status_updated: Option<MailFrequency>,
    commented: Option<MailFrequency>,
    deadline_changed: Option<MailFrequency>,
    deadline_reminder: Option<MailFrequency>,
    meeting_reminder: Option<MailFrequency>,
    mail_given_up: Option<MailFrequency>,
    effective_dated: Option<MailFrequency>,
    report_ready: Option<MailFrequency>,
    report_signed: Option<MailFrequency>,
    webhook_disabled: Option<MailFrequency>,
}

/// What one receives. `frequencies` names every kind one chooses: `assigned`, `unassigned`,
/// `status_updated`, `commented`, `deadline_changed`, `deadline_reminder`, `meeting_reminder`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "language": "fr",
    "reminder_days": 14,
    "frequencies": {"assigned": "immediate", "unassigned": "immediate", "status_updated": "weekly", "commented": "daily",
        "deadline_changed": "immediate", "deadline_reminder": "immediate", "meeting_reminder": "immediate"}
}))]
pub struct Preferences {
    /// The language of one's mail.
    pub language: Lang,
    /// Days before the end of an échéancier's period that its reminder goes out.
    #[schema(minimum = 1, maximum = 90)]
    pub reminder_days: i32,
    #[schema(value_type = FrequencyChoices)]
    pub frequencies: Frequencies,
}

/// One's choices, all at once: a kind `frequencies` does not name (or names `null`)
/// follows one's role's default (as the coordination set it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"language": "fr", "reminder_days": 7, "frequencies": {"status_updated": "weekly", "commented": "never"}}))]
pub struct ChoosePreferences {
    pub language: Lang,
    #[schema(inline)]
    pub reminder_days: Int<1, 90>,
    #[serde(default, deserialize_with = "without_nulls")]
    #[schema(value_type = FrequencyChoices)]
    pub frequencies: Frequencies,
}

/// A kind named `null` is one not chosen.
fn without_nulls<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Frequencies, D::Error> {
    let named: std::collections::BTreeMap<NoticeKind, Option<MailFrequency>> = Deserialize::deserialize(deserializer)?;
    Ok(named.into_iter().filter_map(|(kind, f)| f.map(|f| (kind, f))).collect())
}

/// A role's defaults: what its people receive of each kind they did not choose.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"frequencies": {"status_updated": "weekly", "commented": "daily"}}))]
pub struct RoleDefaults {
    #[serde(default, deserialize_with = "without_nulls")]
    #[schema(value_type = FrequencyChoices)]
    pub frequencies: Frequencies,
}

/// What a one-click unsubscribe turned off.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"kind": "status_updated", "frequency": "never"}))]
pub struct Unsubscribed {
    pub kind: NoticeKind,
    pub frequency: MailFrequency,
}

/// Only the kinds one chooses may be named (an invitation is always sent).
pub fn check_kinds(frequencies: &Frequencies) -> Result<(), ApiError> {
    match frequencies.keys().find(|k| !k.is_chosen()) {
        Some(kind) => Err(ApiError::invalid(
            format!("frequencies.{}", kind.as_str()),
            ErrorCode::UnknownValue,
            Text::new(
                format!(
                    "« {} » n'est pas un genre de courriel que l'on choisit : il est toujours envoyé.",
                    kind.as_str()
                ),
                format!(
                    "\"{}\" is not a kind of mail one chooses: it is always sent.",
                    kind.as_str()
                ),
            ),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document names exactly the kinds one chooses.
    #[test]
    fn the_documented_choices_are_the_chosen_kinds() {
        let schema = serde_json::to_value(<FrequencyChoices as utoipa::PartialSchema>::schema()).unwrap_or_default();
        let mut named: Vec<String> = schema["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect();
        named.sort();
        let mut chosen: Vec<String> = NoticeKind::CHOSEN.iter().map(|k| k.as_str().to_owned()).collect();
        chosen.sort();
        assert_eq!(named, chosen);
        assert_eq!(schema["additionalProperties"], serde_json::json!(false));
    }
}
