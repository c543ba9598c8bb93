//! « Mes calendriers »: the addresses of one's calendar feeds (a plan's échéanciers, or
//! one's own actions), made, shown once, and revoked; what a calendar application
//! subscribes to (`feeds`).

use actix_web::web;
use maud::{Markup, html};
use serde::Deserialize;

use super::error::WebResult;
use super::layout::{self, csrf_field, notice};
use super::session::Visitor;
use crate::feeds::model::CalendarFeed;
use crate::ids::{CalendarFeedId, PlanId};
use crate::plans::model::Plan;
use crate::security::permissions::Permission;
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct FeedForm {
    csrf: String,
    /// A plan's id, or `mine`.
    of: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct CsrfForm {
    csrf: String,
}

fn page(v: &Visitor, feeds: &[CalendarFeed], plans: &[Plan], message: Option<Markup>) -> Markup {
    let l = v.lang;
    let title = l.pick("Mes calendriers", "My calendars");
    let plan_title = |id: Option<PlanId>| match id {
        Some(id) => plans
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| format!("{} {}", l.pick("Plan", "Plan"), id.0), |p| p.title.clone()),
        None => l
            .pick(
                "Mes actions (assignées ou suivies)",
                "My actions (assigned or followed)",
            )
            .to_owned(),
    };
    layout::bare(
        l,
        title,
        html! {
            section {
                h1 { (title) }
                @if let Some(message) = message { (message) }
                p { (l.pick(
                    "Abonnez Outlook, Google Agenda ou Thunderbird aux échéanciers : chaque période est un événement d'une journée entière, titré de l'échéancier tel qu'écrit et de l'action. L'adresse ne s'affiche qu'une fois ; gardez-la, ou révoquez-la et créez-en une autre.",
                    "Subscribe Outlook, Google Calendar or Thunderbird to the deadlines: each period is an all-day event, titled with the deadline as written and the action. The address is shown once; keep it, or revoke it and make another."
                )) }
                form method="post" action="/me/calendars" {
                    (csrf_field(v))
                    label for="of" { (l.pick("Calendrier de", "Calendar of")) }
                    " "
                    select #of name="of" {
                        option value="mine" { (plan_title(None)) }
                        @for plan in plans { option value=(plan.id.0) { (plan.title) } }
                    }
                    " "
                    button type="submit" { (l.pick("Créer l'adresse", "Make the address")) }
                }
                @if !feeds.is_empty() {
                    table {
                        thead { tr {
                            th scope="col" { (l.pick("Calendrier", "Calendar")) }
                            th scope="col" { (l.pick("Dernière lecture", "Last fetched")) }
                            th scope="col" { (l.pick("État", "State")) }
                        } }
                        tbody {
                            @for feed in feeds {
                                tr {
                                    td { (plan_title(feed.plan_id)) }
                                    td { (feed.last_fetched_at.map_or_else(|| l.pick("jamais", "never").to_owned(), |at| crate::clock::local(at).format("%Y-%m-%d %H:%M").to_string())) }
                                    td {
                                        @if feed.revoked_at.is_some() { (l.pick("Révoquée", "Revoked")) }
                                        @else {
                                            form method="post" action={ "/me/calendars/" (feed.id.0) "/revoke" } {
                                                (csrf_field(v))
                                                button type="submit" { (l.pick("Révoquer", "Revoke")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                p { a href="/" { (l.pick("Retour au plan", "Back to the plan")) } }
            }
        },
    )
}

async fn render(state: &AppState, v: &Visitor, message: Option<Markup>) -> WebResult {
    let mut conn = state.conn().await?;
    let feeds = CalendarFeed::of(&mut conn, v.user.id()).await?;
    let plans: Vec<Plan> = Plan::list(&mut conn, None).await?.into_iter().map(|(p, _)| p).collect();
    Ok(layout::ok(page(v, &feeds, &plans, message)))
}

pub(super) async fn show(state: web::Data<AppState>, visitor: Visitor) -> WebResult {
    visitor.user.require(Permission::ReadPlans)?;
    render(&state, &visitor, None).await
}

/// Makes an address and shows it, this once.
pub(super) async fn create(state: web::Data<AppState>, visitor: Visitor, form: web::Form<FeedForm>) -> WebResult {
    visitor.submitted(&form.csrf, Permission::ReadPlans)?;
    let plan = form.of.trim().parse::<i64>().ok().map(PlanId);
    let mut conn = state.conn().await?;
    let (_, token) = CalendarFeed::create(&mut conn, &visitor.user.actor(), visitor.user.id(), plan).await?;
    drop(conn);
    let url = crate::feeds::address(&state.public_url, &token);
    let l = visitor.lang;
    let shown = html! {
        (notice(l.pick("Adresse créée : copiez-la dans votre agenda (Outlook : Ajouter un calendrier › À partir d'Internet ; Google Agenda : Autres agendas › À partir de l'URL).",
            "Address made: copy it into your calendar (Outlook: Add calendar › From Internet; Google Calendar: Other calendars › From URL).")))
        p { label for="feed-url" { (l.pick("Adresse du calendrier", "Calendar address")) } " " input #feed-url type="text" readonly size="60" value=(url); }
    };
    render(&state, &visitor, Some(shown)).await
}

pub(super) async fn revoke(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<CalendarFeedId>,
    form: web::Form<CsrfForm>,
) -> WebResult {
    visitor.submitted(&form.csrf, Permission::ReadPlans)?;
    let any = Permission::ManageUsers.allows(visitor.role());
    crate::write::revoke::revoke::<CalendarFeed>(&mut *state.conn().await?, &visitor.user.actor(), *id, any).await?;
    let l = visitor.lang;
    render(
        &state,
        &visitor,
        Some(notice(l.pick(
            "Adresse révoquée : le calendrier ne se met plus à jour.",
            "Address revoked: the calendar no longer updates.",
        ))),
    )
    .await
}
