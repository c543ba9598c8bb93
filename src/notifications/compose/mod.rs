//! A queued notice → the message its recipient receives, written at send time, in the
//! recipient's language: a deactivated account, an action gone since or a link no longer
//! usable makes no message.

mod account;
mod action;
mod coordination;
mod digest;
mod meeting;
mod report;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use maud::{Markup, html};
use serde_json::Value;

use crate::db::schema::users;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::mail::{Mailer, OutgoingMail};
use crate::reports::labels::{emphasis_runs, plain};
use crate::security::permissions::{Permission, Role};
use crate::text::typography;
use crate::write::outbox::{Addressee, NoticeKind};

/// Who a message is for, as it is sent.
pub struct Recipient {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub lang: Lang,
}

/// The message, or none when its recipient may no longer be told.
pub async fn compose(
    conn: &mut AsyncPgConnection,
    mailer: &Mailer,
    kind: NoticeKind,
    recipient: &Addressee,
    payload: Value,
    unsubscribe: Option<&str>,
) -> ApiResult<Option<OutgoingMail>> {
    let recipient = match recipient {
        Addressee::User(user) => *user,
        Addressee::Address(address) => return report::to_address(conn, mailer, kind, address, decode(payload)?).await,
    };
    let (email, name, active, language, role, service): (String, String, bool, String, Role, bool) = users::table
        .find(recipient)
        .select((
            users::email,
            users::display_name,
            users::active,
            users::language,
            users::role,
            users::service_account,
        ))
        .first(conn)
        .await?;
    // What its recipient may read now, not when it was queued; a service account is a
    // system, which reads no mail.
    if !active || service || !may_receive(role, kind) {
        return Ok(None);
    }
    let to = Recipient {
        id: recipient,
        email,
        name,
        lang: if language == "en" { Lang::En } else { Lang::Fr },
    };
    let mut attachments = Vec::new();
    let words = match kind {
        NoticeKind::Invitation | NoticeKind::PasswordReset => {
            account::words(conn, mailer, kind, &to, decode(payload)?).await?
        }
        NoticeKind::Digest => digest::words(conn, mailer, &to, decode(payload)?).await?,
        NoticeKind::MeetingReminder => meeting::words(conn, mailer, &to, decode(payload)?).await?,
        NoticeKind::MailGivenUp => coordination::given_up(conn, mailer, &to, decode(payload)?).await?,
        NoticeKind::WebhookDisabled => coordination::webhook_disabled(conn, mailer, &to, decode(payload)?).await?,
        NoticeKind::ReportReady => report::ready(conn, mailer, to.lang, decode(payload)?).await?,
        NoticeKind::ReportSigned => {
            report::signed(conn, mailer, to.lang, decode(payload)?)
                .await?
                .map(|(words, files)| {
                    attachments = files;
                    words
                })
        }
        _ => action::words(conn, mailer, kind, &to, decode(payload)?).await?,
    };
    let unsubscribe = unsubscribe.map(|token| Unsubscribe {
        one_click: format!("{}/api/v1/unsubscribe/{token}", mailer.public_url),
        page: format!("{}/unsubscribe/{token}", mailer.public_url),
    });
    Ok(words.map(|words| OutgoingMail {
        attachments,
        ..words.into_mail(to.name, to.email, unsubscribe)
    }))
}

/// Whether someone of `role` may be told of `kind`: news of the plan to whoever reads it,
/// the outbox's troubles to who manages accounts.
pub fn may_receive(role: Role, kind: NoticeKind) -> bool {
    let needs = match kind {
        NoticeKind::MailGivenUp | NoticeKind::EffectiveDated | NoticeKind::WebhookDisabled => Permission::ManageUsers,
        NoticeKind::ReportReady => Permission::SignOffReports,
        NoticeKind::ReportSigned => Permission::ReadReports,
        _ => Permission::ReadPlans,
    };
    needs.allows(role)
}

fn decode<T: serde::de::DeserializeOwned>(payload: Value) -> ApiResult<T> {
    serde_json::from_value(payload).map_err(|e| ApiError::Internal(e.into()))
}

/// A message's unsubscribe links: the one-click one of its headers (RFC 8058), and the
/// page its readers open.
pub struct Unsubscribe {
    pub one_click: String,
    pub page: String,
}

/// `fr` or `en`, for text written with `format!`.
pub fn say(lang: Lang, fr: String, en: String) -> String {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// What a message says: its subject, its paragraphs (`*emphasis*` allowed), and the link it
/// leads to.
pub struct Words {
    pub lang: Lang,
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub link: (String, String),
}

fn signature(lang: Lang) -> &'static str {
    lang.pick(
        "Planaction — Réseau québécois de développement social. Ce message est envoyé automatiquement.",
        "Planaction — Réseau québécois de développement social. This message is sent automatically.",
    )
}

impl Words {
    fn greeting(&self, name: &str) -> String {
        let hello = self.lang.pick("Bonjour", "Hello");
        if name.is_empty() {
            format!("{hello},")
        } else {
            format!("{hello} {name},")
        }
    }

    /// The message to `name` (none for an address that is no account's) at `email`.
    pub fn into_mail(self, name: String, email: String, unsubscribe: Option<Unsubscribe>) -> OutgoingMail {
        let page = unsubscribe.as_ref().map(|u| u.page.as_str());
        OutgoingMail {
            // Headers are plain text: no `*emphasis*` markers.
            subject: self.typeset(&plain(&self.subject)),
            text: self.text(&name, page),
            html: self.page(&name, page).into_string(),
            to_name: Some(name).filter(|n| !n.is_empty()),
            to: email,
            unsubscribe: unsubscribe.map(|u| u.one_click),
            attachments: Vec::new(),
        }
    }

    fn unsubscribe_label(&self) -> &'static str {
        self.lang.pick(
            "Ne plus recevoir ce genre de courriel",
            "Stop receiving this kind of mail",
        )
    }

    fn typeset(&self, text: &str) -> String {
        match self.lang {
            Lang::Fr => typography(text),
            Lang::En => text.to_owned(),
        }
    }

    pub fn text(&self, name: &str, unsubscribe: Option<&str>) -> String {
        let mut body = format!("{}\n\n", self.greeting(name));
        for paragraph in &self.paragraphs {
            body.push_str(&self.typeset(paragraph));
            body.push_str("\n\n");
        }
        let (label, href) = &self.link;
        body.push_str(&self.typeset(&format!("{label}{} {href}", self.lang.pick(" :", ":"))));
        body.push_str(&format!("\n\n-- \n{}\n", self.typeset(signature(self.lang))));
        if let Some(page) = unsubscribe {
            let line = format!("{}{} {page}", self.unsubscribe_label(), self.lang.pick(" :", ":"));
            body.push_str(&format!("{}\n", self.typeset(&line)));
        }
        body
    }

    pub fn page(&self, name: &str, unsubscribe: Option<&str>) -> Markup {
        let (label, href) = &self.link;
        html! {
            (maud::DOCTYPE)
            html lang=(self.lang.code()) {
                head { meta charset="utf-8"; title { (self.typeset(&plain(&self.subject))) } }
                body style="font-family: sans-serif; line-height: 1.5; max-width: 40em" {
                    p { (self.greeting(name)) }
                    @for paragraph in &self.paragraphs {
                        p { (emphasised(&self.typeset(paragraph))) }
                    }
                    p { a href=(href) { (label) } }
                    hr;
                    p style="color: #555; font-size: 0.9em" { (self.typeset(signature(self.lang))) }
                    @if let Some(page) = unsubscribe {
                        p style="color: #555; font-size: 0.9em" { a href=(page) { (self.unsubscribe_label()) } }
                    }
                }
            }
        }
    }
}

/// `*emphasis*` as italics, as the page shows it.
fn emphasised(text: &str) -> Markup {
    html! {
        @for (emphasis, run) in emphasis_runs(text) {
            @if emphasis { em { (run) } } @else { (run) }
        }
    }
}
