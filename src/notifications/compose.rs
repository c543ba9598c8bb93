//! A queued notice → the message its recipient receives, written at send time: a
//! deactivated account, or an action gone since, makes no message.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use maud::{Markup, html};

use crate::db::schema::status_updates;
use crate::error::{ApiError, ApiResult};
use crate::ids::{StatusUpdateId, UserId};
use crate::mail::{Mailer, OutgoingMail};
use crate::progress::ActionStatus;
use crate::reports::labels::{emphasis_runs, plain};
use crate::text::typography;
use crate::write::outbox::{Notice, NoticeKind};

/// The message, or none when its recipient may no longer be told.
pub async fn compose(
    conn: &mut AsyncPgConnection,
    mailer: &Mailer,
    kind: NoticeKind,
    recipient: UserId,
    notice: &Notice,
) -> ApiResult<Option<OutgoingMail>> {
    let user = crate::users::model::User::read(conn, recipient).await?;
    if !user.active {
        return Ok(None);
    }
    let action = match crate::actions::model::Action::read(conn, notice.action_id).await {
        Ok(action) => action,
        Err(ApiError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let plan_id = crate::write::lookup::plan_of_action(conn, notice.action_id).await?;
    let plan = crate::plans::model::Plan::read(conn, plan_id).await?;
    let by = match notice.by {
        Some(id) => Some(crate::users::model::User::read(conn, id).await?.display_name),
        None => None,
    };
    let link = format!("{}/actions/{}", mailer.public_url, action.id);
    let moved = match notice.status_update {
        Some(id) => Some(status_change(conn, id).await?),
        None => None,
    };
    let words = Words::of(
        kind,
        by.as_deref().unwrap_or("La coordination"),
        &action.title,
        &plan.title,
        moved.as_deref(),
    );
    Ok(Some(OutgoingMail {
        to_name: Some(user.display_name.clone()),
        to: user.email,
        // Headers are plain text: no `*emphasis*` markers.
        subject: typography(&plain(&words.subject)),
        text: text(&user.display_name, &words, &link),
        html: page(&user.display_name, &words, &link).into_string(),
        unsubscribe: None,
    }))
}

/// « En cours → Complété », and the note when there is one.
async fn status_change(conn: &mut AsyncPgConnection, id: StatusUpdateId) -> ApiResult<String> {
    let (previous, new, note): (Option<ActionStatus>, ActionStatus, Option<String>) = status_updates::table
        .find(id)
        .select((
            status_updates::previous_status,
            status_updates::new_status,
            status_updates::note,
        ))
        .first(conn)
        .await?;
    let fr = crate::i18n::Lang::Fr;
    let mut text = match previous {
        Some(previous) => format!("{} → {}", previous.label(fr), new.label(fr)),
        None => new.label(fr).to_owned(),
    };
    if let Some(note) = note.filter(|n| !n.trim().is_empty()) {
        text.push_str(&format!(" (« {note} »)"));
    }
    Ok(text)
}

/// What a message says, in French (the network's language).
struct Words {
    subject: String,
    lead: String,
}

impl Words {
    fn of(kind: NoticeKind, by: &str, action: &str, plan: &str, moved: Option<&str>) -> Words {
        match kind {
            NoticeKind::Assigned => Words {
                subject: format!("Action assignée : « {action} »"),
                lead: format!(
                    "{by} vous a assigné l'action « {action} » ({plan}) : vous en faites le suivi de l'état d'avancement."
                ),
            },
            NoticeKind::StatusUpdated => Words {
                subject: format!("État mis à jour : « {action} »"),
                lead: format!(
                    "{by} a mis à jour l'état de l'action « {action} » ({plan}), qui vous est assignée : {}.",
                    moved.unwrap_or("nouvel état")
                ),
            },
            NoticeKind::Unassigned => Words {
                subject: format!("Action retirée : « {action} »"),
                lead: format!("{by} vous a retiré l'action « {action} » ({plan}) : vous n'en faites plus le suivi."),
            },
        }
    }
}

const SIGNATURE: &str = "Planaction — Réseau québécois de développement social. Ce message est envoyé automatiquement.";

fn text(name: &str, words: &Words, link: &str) -> String {
    typography(&format!(
        "Bonjour {name},\n\n{}\n\nVoir l'action : {link}\n\n-- \n{SIGNATURE}\n",
        words.lead
    ))
}

fn page(name: &str, words: &Words, link: &str) -> Markup {
    html! {
        (maud::DOCTYPE)
        html lang="fr" {
            head { meta charset="utf-8"; title { (typography(&plain(&words.subject))) } }
            body style="font-family: sans-serif; line-height: 1.5; max-width: 40em" {
                p { "Bonjour " (name) "," }
                p { (emphasised(&typography(&words.lead))) }
                p { a href=(link) { "Voir l'action" } }
                hr;
                p style="color: #555; font-size: 0.9em" { (SIGNATURE) }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_name_the_action_and_its_plan_in_french_typography() {
        let words = Words::of(
            NoticeKind::Assigned,
            "Coordination du RQDS",
            "Tournée des régions",
            "Plan d'action 2013-2014",
            None,
        );
        assert_eq!(
            typography(&words.subject),
            "Action assignée\u{a0}: «\u{a0}Tournée des régions\u{a0}»"
        );
        let body = text("Marie", &words, "https://plan.example/actions/3");
        assert!(
            body.starts_with("Bonjour Marie,\n\nCoordination du RQDS vous a assigné l'action"),
            "{body}"
        );
        assert!(
            body.contains("Voir l'action\u{a0}: https://plan.example/actions/3"),
            "{body}"
        );
        let html = page("Marie <b>", &words, "https://plan.example/actions/3").into_string();
        assert!(html.contains("Marie &lt;b&gt;"), "{html}");
        let italic = Words::of(
            NoticeKind::Assigned,
            "X",
            "Mise à jour du *Tour du Québec*",
            "Plan",
            None,
        );
        let html = page("Marie", &italic, "https://plan.example/actions/3").into_string();
        assert!(html.contains("Mise à jour du <em>Tour du Québec</em>"), "{html}");
        assert!(
            html.contains("<title>Action assignée\u{a0}: «\u{a0}Mise à jour du Tour du Québec\u{a0}»</title>"),
            "{html}"
        );
    }
}
