//! What the coordination is told: a message given up (its recipient, why), and a status
//! update recorded with an effective date before the day it was recorded.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{Recipient, Words, say};
use crate::db::schema::{mail_outbox, users};
use crate::error::ApiResult;
use crate::mail::Mailer;
use crate::write::outbox::{GivenUpNotice, NoticeKind};

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
