//! Invitation and password-reset messages: the link is drawn as the message is written,
//! in the transaction that marks it sent.

use diesel_async::AsyncPgConnection;

use super::{Recipient, Words, say};
use crate::accounts::links::{self, Purpose};
use crate::error::ApiResult;
use crate::i18n::Lang;
use crate::mail::Mailer;
use crate::users::model::User;
use crate::write::outbox::{LinkNotice, NoticeKind};

/// What the message says, or none when its link may no longer be used.
pub async fn words(
    conn: &mut AsyncPgConnection,
    mailer: &Mailer,
    _kind: NoticeKind,
    to: &Recipient,
    notice: LinkNotice,
) -> ApiResult<Option<Words>> {
    let Some(drawn) = links::draw(conn, notice.link).await? else {
        return Ok(None);
    };
    let role = User::read(conn, to.id).await?.role;
    let until = crate::clock::local(drawn.expires_at);
    let link = format!("{}/password?token={}", mailer.public_url, drawn.token);
    Ok(Some(link_words(
        drawn.purpose,
        to.lang,
        role.label(to.lang),
        &until,
        link,
    )))
}

fn link_words(
    purpose: Purpose,
    lang: Lang,
    role: &str,
    until: &chrono::DateTime<chrono_tz::Tz>,
    link: String,
) -> Words {
    let day = crate::text::long_date(until.date_naive(), lang);
    let time = until.format("%H:%M");
    let (subject, paragraphs, label) = match purpose {
        Purpose::Invitation => (
            say(
                lang,
                "Invitation : le plan d'action du RQDS dans Planaction".into(),
                "Invitation: the RQDS action plan in Planaction".into(),
            ),
            vec![
                say(
                    lang,
                    format!(
                        "La coordination du Réseau québécois de développement social vous invite à suivre son plan d'action dans Planaction, comme {role}."
                    ),
                    format!(
                        "The coordination of the Réseau québécois de développement social invites you to follow its action plan in Planaction, as {role}."
                    ),
                ),
                say(
                    lang,
                    format!(
                        "Choisissez votre mot de passe avec le lien ci-dessous : il sert une seule fois et expire le {day} à {time}."
                    ),
                    format!("Choose your password with the link below: it works once and expires on {day} at {time}."),
                ),
            ],
            lang.pick("Choisir mon mot de passe", "Choose my password"),
        ),
        Purpose::PasswordReset => (
            say(
                lang,
                "Planaction : choisir un nouveau mot de passe".into(),
                "Planaction: choose a new password".into(),
            ),
            vec![
                say(
                    lang,
                    format!(
                        "Un nouveau mot de passe a été demandé pour votre compte Planaction. Le lien ci-dessous sert une seule fois, pendant une heure : il expire le {day} à {time}."
                    ),
                    format!(
                        "A new password was asked for your Planaction account. The link below works once, for an hour: it expires on {day} at {time}."
                    ),
                ),
                lang.pick(
                    "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.",
                    "If you did not ask, ignore this message: your password does not change.",
                )
                .to_owned(),
            ],
            lang.pick("Choisir un nouveau mot de passe", "Choose a new password"),
        ),
    };
    Words {
        lang,
        subject,
        paragraphs,
        link: (label.to_owned(), link),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_invitation_says_for_what_role_and_until_when() {
        let until = crate::clock::ZONE.with_ymd_and_hms(2026, 12, 11, 14, 5, 0).unwrap();
        let words = link_words(
            Purpose::Invitation,
            Lang::Fr,
            "membre du CA",
            &until,
            "https://x/password?token=T".into(),
        );
        let body = words.text("Marie", None);
        assert!(body.contains("comme membre du CA."), "{body}");
        assert!(body.contains("expire le 11 décembre 2026 à 14:05."), "{body}");
        assert!(
            body.contains("Choisir mon mot de passe\u{a0}: https://x/password?token=T"),
            "{body}"
        );
    }
}
