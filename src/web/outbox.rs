//! The coordination's outbox on the page: the last messages, what failed and why, and a
//! button to send one again.

use actix_web::{HttpRequest, web};
use maud::html;

use super::error::WebResult;
use super::forms::{CsrfForm, Done};
use super::layout::{self, Frame, Section, csrf_field, notice};
use super::session::Visitor;
use crate::auth::Permission;
use crate::outbox;
use crate::state::AppState;
use crate::write::outbox::MailState;

fn state_label(state: MailState, l: crate::i18n::Lang) -> &'static str {
    match state {
        MailState::Waiting => l.pick("En attente", "Waiting"),
        MailState::Sent => l.pick("Envoyé", "Sent"),
        MailState::GivenUp => l.pick("Abandonné", "Given up"),
        MailState::Dropped => l.pick("Écarté", "Dropped"),
        MailState::Held => l.pick("Gardé pour un résumé", "Held for a digest"),
        MailState::Digested => l.pick("Dans un résumé", "In a digest"),
    }
}

pub(super) async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    done: web::Query<Done>,
) -> WebResult {
    let l = visitor.lang;
    visitor.user.require(Permission::ManageUsers)?;
    let mut conn = state.conn().await?;
    let entries = outbox::list(&mut conn, None, 200).await?;
    drop(conn);
    let here = req.uri().path().to_owned();
    let frame = Frame {
        visitor: &visitor,
        title: l.pick("Boîte d'envoi", "Outbox"),
        section: Section::Admin,
        plan_id: None,
        here: &here,
    };
    let body = html! {
        h1 { (l.pick("Boîte d'envoi", "Outbox")) }
        @if done.done.is_some() { (notice(l.pick("Le courriel repartira au prochain passage.", "The message goes again on the next pass."))) }
        table.outbox {
            thead { tr {
                th scope="col" { (l.pick("Courriel", "Message")) }
                th scope="col" { (l.pick("Destinataire", "Recipient")) }
                th scope="col" { (l.pick("État", "State")) }
                th scope="col" { (l.pick("Essais", "Attempts")) }
                th scope="col" { (l.pick("Erreur", "Error")) }
            } }
            tbody {
                @for e in &entries {
                    tr {
                        td { (e.kind.label(l)) " · " (crate::clock::local(e.created_at).format("%Y-%m-%d %H:%M")) }
                        td {
                            @if let Some(name) = &e.recipient_name { (name) " (" (e.recipient_email) ")" } @else { (e.recipient_email) }
                        }
                        td {
                            (state_label(e.state, l))
                            @if matches!(e.state, MailState::GivenUp | MailState::Dropped) {
                                form.inline method="post" action={ "/admin/outbox/" (e.id) "/resend" } {
                                    (csrf_field(&visitor))
                                    " "
                                    button.link type="submit" { (l.pick("Renvoyer", "Send again")) }
                                }
                            }
                        }
                        td { (e.attempts) }
                        td { (e.last_error.as_deref().unwrap_or("—")) }
                    }
                }
            }
        }
    };
    Ok(layout::ok(layout::page(&frame, body)))
}

pub(super) async fn resend(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> WebResult {
    visitor.submitted(&form.csrf, Permission::ManageUsers)?;
    let mut conn = state.conn().await?;
    outbox::resend(&mut conn, *id).await?;
    Ok(layout::see_other("/admin/outbox?done=resend"))
}
