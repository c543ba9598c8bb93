//! Notices about an action: assigned, unassigned, its status updated.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{Recipient, Words, say};
use crate::db::schema::status_updates;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;
use crate::ids::StatusUpdateId;
use crate::mail::Mailer;
use crate::progress::ActionStatus;
use crate::write::outbox::{Notice, NoticeKind};

/// What the notice says, or none when its action is gone.
pub async fn words(
    conn: &mut AsyncPgConnection,
    mailer: &Mailer,
    kind: NoticeKind,
    to: &Recipient,
    notice: Notice,
) -> ApiResult<Option<Words>> {
    let action = match crate::actions::model::Action::read(conn, notice.action_id).await {
        Ok(action) => action,
        Err(ApiError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let plan_id = crate::write::lookup::plan_of_action(conn, notice.action_id).await?;
    let plan = crate::plans::model::Plan::read(conn, plan_id).await?;
    let by = match notice.by {
        Some(id) => crate::users::model::User::read(conn, id).await?.display_name,
        None => to.lang.pick("La coordination", "The coordination").to_owned(),
    };
    let moved = match notice.status_update {
        Some(id) => Some(status_change(conn, id, to.lang).await?),
        None => None,
    };
    let link = format!("{}/actions/{}", mailer.public_url, action.id);
    let about = About {
        by: &by,
        action: &action.title,
        plan: &plan.title,
        moved: moved.as_deref(),
    };
    Ok(Some(about.words(kind, to.lang, link)))
}

/// « En cours → Complété », and the note when there is one.
async fn status_change(conn: &mut AsyncPgConnection, id: StatusUpdateId, lang: Lang) -> ApiResult<String> {
    let (previous, new, note): (Option<ActionStatus>, ActionStatus, Option<String>) = status_updates::table
        .find(id)
        .select((
            status_updates::previous_status,
            status_updates::new_status,
            status_updates::note,
        ))
        .first(conn)
        .await?;
    let mut text = match previous {
        Some(previous) => format!("{} → {}", previous.label(lang), new.label(lang)),
        None => new.label(lang).to_owned(),
    };
    if let Some(note) = note.filter(|n| !n.trim().is_empty()) {
        text.push_str(&say(lang, format!(" (« {note} »)"), format!(" (\"{note}\")")));
    }
    Ok(text)
}

/// What an action notice is about.
struct About<'a> {
    by: &'a str,
    action: &'a str,
    plan: &'a str,
    moved: Option<&'a str>,
}

impl About<'_> {
    fn words(&self, kind: NoticeKind, lang: Lang, link: String) -> Words {
        let About { by, action, plan, .. } = self;
        let moved = self.moved.unwrap_or(lang.pick("nouvel état", "new status"));
        let (subject, lead) = match kind {
            NoticeKind::Assigned => (
                say(
                    lang,
                    format!("Action assignée : « {action} »"),
                    format!("Action assigned: \"{action}\""),
                ),
                say(
                    lang,
                    format!(
                        "{by} vous a assigné l'action « {action} » ({plan}) : vous en faites le suivi de l'état d'avancement."
                    ),
                    format!("{by} assigned you the action \"{action}\" ({plan}): you follow up on its progress."),
                ),
            ),
            NoticeKind::Unassigned => (
                say(
                    lang,
                    format!("Action retirée : « {action} »"),
                    format!("Action unassigned: \"{action}\""),
                ),
                say(
                    lang,
                    format!("{by} vous a retiré l'action « {action} » ({plan}) : vous n'en faites plus le suivi."),
                    format!(
                        "{by} unassigned you from the action \"{action}\" ({plan}): you no longer follow up on it."
                    ),
                ),
            ),
            _ => (
                say(
                    lang,
                    format!("État mis à jour : « {action} »"),
                    format!("Status updated: \"{action}\""),
                ),
                say(
                    lang,
                    format!("{by} a mis à jour l'état de l'action « {action} » ({plan}) : {moved}."),
                    format!("{by} updated the status of the action \"{action}\" ({plan}): {moved}."),
                ),
            ),
        };
        Words {
            lang,
            subject,
            paragraphs: vec![lead],
            link: (lang.pick("Voir l'action", "See the action").to_owned(), link),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::typography;

    fn about(action: &str) -> About<'_> {
        About {
            by: "Coordination du RQDS",
            action,
            plan: "Plan d'action 2013-2014",
            moved: None,
        }
    }

    #[test]
    fn the_words_name_the_action_and_its_plan_in_french_typography() {
        let words =
            about("Tournée des régions").words(NoticeKind::Assigned, Lang::Fr, "https://plan.example/actions/3".into());
        assert_eq!(
            typography(&words.subject),
            "Action assignée\u{a0}: «\u{a0}Tournée des régions\u{a0}»"
        );
        let body = words.text("Marie");
        assert!(
            body.starts_with("Bonjour Marie,\n\nCoordination du RQDS vous a assigné l'action"),
            "{body}"
        );
        assert!(
            body.contains("Voir l'action\u{a0}: https://plan.example/actions/3"),
            "{body}"
        );
        let html = words.page("Marie <b>").into_string();
        assert!(html.contains("Marie &lt;b&gt;"), "{html}");
        let italic = about("Mise à jour du *Tour du Québec*").words(NoticeKind::Assigned, Lang::Fr, "https://x".into());
        let html = italic.page("Marie").into_string();
        assert!(html.contains("Mise à jour du <em>Tour du Québec</em>"), "{html}");
        assert!(
            html.contains("<title>Action assignée\u{a0}: «\u{a0}Mise à jour du Tour du Québec\u{a0}»</title>"),
            "{html}"
        );
    }

    #[test]
    fn english_readers_get_english_without_french_spaces() {
        let words = about("Tournée des régions").words(NoticeKind::Unassigned, Lang::En, "https://x/actions/3".into());
        assert_eq!(words.subject, "Action unassigned: \"Tournée des régions\"");
        let body = words.text("Mary");
        assert!(
            body.starts_with("Hello Mary,\n\nCoordination du RQDS unassigned you"),
            "{body}"
        );
        assert!(body.contains("See the action: https://x/actions/3"), "{body}");
        assert!(!body.contains('\u{a0}'), "{body}");
    }
}
