//! What the coordination is told: a message given up (its recipient, why), and a status
//! update recorded with an effective date before the day it was recorded.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{Recipient, Words, say};
use crate::db::schema::{mail_outbox, users, webhook_endpoints};
use crate::error::ApiResult;
use crate::mail::Mailer;
use crate::write::outbox::{GivenUpNotice, NoticeKind, WebhookNotice};

/// A message given up: to whom, what, after how many tries, why.
pub async fn given_up(
    conn: &mut AsyncPgConnection,
    mailer: &Mailer,
    to: &Recipient,
    notice: GivenUpNotice,
) -> ApiResult<Option<Words>> {
    type Row = (
        NoticeKind,
        i32,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let row: Option<Row> = mail_outbox::table
        .left_join(users::table)
        .filter(mail_outbox::id.eq(notice.message))
        .select((
            mail_outbox::kind,
            mail_outbox::attempts,
            mail_outbox::last_error,
            users::display_name.nullable(),
            users::email.nullable(),
            mail_outbox::recipient_address,
        ))
        .first(conn)
        .await
        .optional()?;
    let Some((kind, attempts, error, name, email, address)) = row else {
        return Ok(None);
    };
    let email = email.or(address).unwrap_or_default();
    let name = name.unwrap_or_else(|| email.clone());
    let lang = to.lang;
    let what = kind.label(lang);
    let error = error.unwrap_or_default();
    Ok(Some(Words {
        lang,
        subject: say(
            lang,
            format!("Courriel non remis : {name}"),
            format!("Mail not delivered: {name}"),
        ),
        paragraphs: vec![
            say(
                lang,
                format!("Le courriel « {what} » destiné à {name} ({email}) n'a pas pu être remis après {attempts} essai(s). Réponse du serveur : {error}"),
                format!("The message \"{what}\" to {name} ({email}) could not be delivered after {attempts} attempt(s). The server answered: {error}"),
            ),
            lang.pick(
                "Si l'adresse a été refusée, plus aucun courriel ne lui est envoyé jusqu'à ce que vous relanciez un envoi depuis la boîte d'envoi.",
                "If the address was refused, no more mail is sent to it until you send a message again from the outbox.",
            )
            .to_owned(),
        ],
        link: (
            lang.pick("Voir la boîte d'envoi", "See the outbox").to_owned(),
            format!("{}/admin/outbox", mailer.public_url),
        ),
    }))
}

/// A webhook endpoint turned off after days of failures: which, why, and where to turn it
/// on again; none once it is on again (or gone).
pub async fn webhook_disabled(
    conn: &mut AsyncPgConnection,
    mailer: &Mailer,
    to: &Recipient,
    notice: WebhookNotice,
) -> ApiResult<Option<Words>> {
    let endpoint: Option<(String, bool, Option<String>)> = webhook_endpoints::table
        .find(notice.webhook)
        .select((
            webhook_endpoints::url,
            webhook_endpoints::enabled,
            webhook_endpoints::disabled_reason,
        ))
        .first(conn)
        .await
        .optional()?;
    let Some((url, false, reason)) = endpoint else {
        return Ok(None);
    };
    let lang = to.lang;
    let id = notice.webhook.0;
    let reason = reason.unwrap_or_default();
    Ok(Some(Words {
        lang,
        subject: say(lang, format!("Webhook désactivé : {url}"), format!("Webhook turned off: {url}")),
        paragraphs: vec![
            say(
                lang,
                format!(
                    "Le webhook n° {id} ({url}) ne reçoit plus rien : {}. Ses envois en attente restent dans son journal (GET /api/v1/webhooks/{id}/deliveries).",
                    reason
                ),
                format!(
                    "Webhook {id} ({url}) receives nothing any more: {}. Its waiting deliveries stay in its log (GET /api/v1/webhooks/{id}/deliveries).",
                    reason
                ),
            ),
            lang.pick(
                "Une fois le destinataire réparé, réactivez-le avec PATCH /api/v1/webhooks/{id} et {\"enabled\": true}, puis renvoyez ce qui a échoué.",
                "Once the receiver works again, turn it on with PATCH /api/v1/webhooks/{id} and {\"enabled\": true}, then send what failed again.",
            )
            .replace("{id}", &id.to_string()),
        ],
        link: (
            lang.pick("Le journal du webhook", "The webhook's log").to_owned(),
            format!("{}/api/v1/webhooks/{id}/deliveries", mailer.public_url),
        ),
    }))
}
