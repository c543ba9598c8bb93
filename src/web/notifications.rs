//! What one receives by email, on the page; and the unsubscribe link of a message, which
//! works without signing in (the link's token is its key).

use std::collections::BTreeMap;

use actix_web::{HttpRequest, web};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use maud::{Markup, html};

use super::error::WebResult;
use super::layout::{self, csrf_field, notice, refusal};
use super::session::{Visitor, lang_of};
use crate::db::schema::users;
use crate::error::{ApiError, ErrorCode};
use crate::i18n::{Lang, Text};
use crate::preferences::MailFrequency;
use crate::preferences::model::{self, Frequencies};
use crate::state::AppState;
use crate::write::outbox::NoticeKind;

fn frequency_label(frequency: MailFrequency, lang: Lang) -> &'static str {
    match frequency {
        MailFrequency::Immediate => lang.pick("Tout de suite", "At once"),
        MailFrequency::Daily => lang.pick("Résumé quotidien", "Daily digest"),
        MailFrequency::Weekly => lang.pick("Résumé hebdomadaire", "Weekly digest"),
        MailFrequency::Never => lang.pick("Jamais", "Never"),
    }
}

fn preferences_page(
    v: &Visitor,
    frequencies: &Frequencies,
    (language, days): (Lang, i32),
    message: Option<Markup>,
) -> Markup {
    let l = v.lang;
    let title = l.pick("Mes courriels", "My email");
    layout::bare(
        l,
        title,
        html! {
            section {
                h1 { (title) }
                @if let Some(message) = message { (message) }
                form method="post" action="/me/notifications" {
                    (csrf_field(v))
                    table {
                        @for (kind, chosen) in frequencies {
                            tr {
                                th scope="row" { label for=(kind.as_str()) { (kind.label(l)) } }
                                td {
                                    select id=(kind.as_str()) name=(kind.as_str()) {
                                        @for f in MailFrequency::ALL {
                                            option value=(f.as_str()) selected[f == chosen] { (frequency_label(*f, l)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    p {
                        label for="reminder_days" { (l.pick("Jours de rappel avant la fin d'un échéancier", "Reminder days before a deadline ends")) }
                        input #reminder_days type="number" name="reminder_days" min="1" max="90" value=(days);
                    }
                    p {
                        label for="language" { (l.pick("Langue des courriels", "Language of the mail")) }
                        select #language name="language" {
                            option value="fr" selected[language == Lang::Fr] { "Français" }
                            option value="en" selected[language == Lang::En] { "English" }
                        }
                    }
                    p { button type="submit" { (l.pick("Enregistrer", "Save")) } }
                }
                p { a href="/" { (l.pick("Retour au plan", "Back to the plan")) } }
            }
        },
    )
}

pub(super) async fn show(state: web::Data<AppState>, visitor: Visitor) -> WebResult {
    let mut conn = state.conn().await?;
    let frequencies = model::frequencies(&mut conn, visitor.user.id()).await?;
    let personal = model::personal(&mut conn, visitor.user.id()).await?;
    Ok(layout::ok(preferences_page(&visitor, &frequencies, personal, None)))
}

/// The form: each kind's frequency, the reminder days, the language.
pub(super) async fn choose(
    state: web::Data<AppState>,
    visitor: Visitor,
    form: web::Form<BTreeMap<String, String>>,
) -> WebResult {
    let form = form.into_inner();
    visitor.check_form(form.get("csrf").map_or("", String::as_str))?;
    let l = visitor.lang;
    let mut chosen = Frequencies::new();
    for kind in NoticeKind::CHOSEN {
        if let Some(f) = form.get(kind.as_str()).and_then(|f| MailFrequency::parse(f)) {
            chosen.insert(*kind, f);
        }
    }
    let days = form
        .get("reminder_days")
        .and_then(|d| d.trim().parse::<i32>().ok())
        .filter(|d| (1..=90).contains(d));
    let language = form.get("language").and_then(|c| Lang::parse(c)).unwrap_or(l);
    let mut conn = state.conn().await?;
    let id = visitor.user.id();
    let current = model::personal(&mut conn, id).await?;
    let Some(days) = days else {
        let refused = ApiError::invalid(
            "reminder_days",
            ErrorCode::OutOfRange,
            Text::new("Choisissez de 1 à 90 jours.", "Choose from 1 to 90 days."),
        );
        let page = preferences_page(
            &visitor,
            &model::frequencies(&mut conn, id).await?,
            current,
            Some(refusal(&refused, l)),
        );
        return Ok(layout::respond(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    conn.transaction(async |conn| {
        diesel::update(users::table.find(id))
            .set((users::language.eq(language.code()), users::reminder_days.eq(days)))
            .execute(conn)
            .await?;
        model::choose(conn, id, &chosen).await
    })
    .await?;
    let saved = notice(l.pick("Vos choix sont enregistrés.", "Your choices are saved."));
    let page = preferences_page(
        &visitor,
        &model::frequencies(&mut conn, id).await?,
        (language, days),
        Some(saved),
    );
    Ok(layout::ok(page))
}

fn unsubscribe_frame(lang: Lang, body: Markup) -> Markup {
    layout::bare(
        lang,
        lang.pick("Désabonnement", "Unsubscribe"),
        html! { section.sign-in { (body) } },
    )
}

/// The page a message's unsubscribe link opens: one button, so that a link checker that
/// opens every link turns nothing off.
pub(super) async fn unsubscribe_page(req: HttpRequest, token: web::Path<String>) -> WebResult {
    let l = lang_of(&req);
    Ok(layout::ok(unsubscribe_frame(
        l,
        html! {
            h1 { (l.pick("Ne plus recevoir ce genre de courriel", "Stop receiving this kind of mail")) }
            form method="post" action={ "/unsubscribe/" (token.as_str()) } {
                p { button type="submit" { (l.pick("Me désabonner", "Unsubscribe me")) } }
            }
        },
    )))
}

/// The button of that page (and a one-click POST sent here): no session, no redirection.
pub(super) async fn unsubscribe(state: web::Data<AppState>, req: HttpRequest, token: web::Path<String>) -> WebResult {
    let l = lang_of(&req);
    let mut conn = state.conn().await?;
    let Some(kind) = model::unsubscribe(&mut conn, &token).await? else {
        return Err(crate::preferences::unknown_link().into());
    };
    Ok(layout::ok(unsubscribe_frame(
        l,
        html! {
            h1 { (l.pick("C'est fait", "Done")) }
            (notice(&format!(
                "{} « {} ». {}",
                l.pick("Vous ne recevrez plus ce genre de courriel :", "You will no longer receive this kind of mail:"),
                kind.label(l),
                l.pick("Vos choix se changent sur la page « Mes courriels ».", "Your choices can be changed on the \"My email\" page."),
            )))
            p { a href="/me/notifications" { (l.pick("Mes courriels", "My email")) } }
        },
    )))
}
