//! Notices about an action: assigned, unassigned, its status updated.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{Recipient, Words, say};
use crate::db::schema::{comments, status_updates};
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
    let lang = to.lang;
    let detail = match (notice.status_update, notice.comment, &notice.deadline) {
        (Some(id), _, _) if kind == NoticeKind::EffectiveDated => Some(effective_date(conn, id, lang).await?),
        (Some(id), _, _) => Some(status_change(conn, id, lang).await?),
        (_, Some(id), _) => {
            let body: Option<String> = comments::table
                .find(id)
                .select(comments::body)
                .first(conn)
                .await
                .optional()?;
            // A comment deleted since is not told.
            let Some(body) = body else { return Ok(None) };
            Some(quoted(lang, &body))
        }
        (_, _, Some((before, after))) => Some(deadline_change(lang, before.as_deref(), after.as_deref())),
        _ => notice.reminder.as_ref().map(|r| reminder(lang, r, &action)),
    };
    let link = format!("{}/actions/{}", mailer.public_url, action.id);
    let about = About {
        by: &by,
        action: &action.title,
        plan: &plan.title,
        detail: detail.as_deref(),
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
        text.push_str(&format!(" ({})", quoted(lang, &note)));
    }
    Ok(text)
}

/// « Fin novembre 2013 » ends on 30 November 2013, in 14 days; its status now.
fn reminder(lang: Lang, r: &crate::write::outbox::ReminderNotice, action: &crate::actions::model::Action) -> String {
    let days = (r.ends_on - r.as_of).num_days();
    let end = crate::text::long_date(r.ends_on, lang);
    let status = quoted(lang, action.status.label(lang));
    say(
        lang,
        format!(
            "{} se termine le {end}, dans {days} jour(s) ; son état d'avancement est {status}",
            quoted(lang, &r.label)
        ),
        format!(
            "{} ends on {end}, in {days} day(s); its status is {status}",
            quoted(lang, &r.label)
        ),
    )
}

/// « le 4 décembre 2013, avec effet le 5 novembre 2013 : En cours → Complété ».
async fn effective_date(conn: &mut AsyncPgConnection, id: StatusUpdateId, lang: Lang) -> ApiResult<String> {
    let (effective, recorded): (chrono::NaiveDate, chrono::DateTime<chrono::Utc>) = status_updates::table
        .find(id)
        .select((status_updates::effective_on, status_updates::created_at))
        .first(conn)
        .await?;
    let (effective, recorded) = (
        crate::text::long_date(effective, lang),
        crate::text::long_date(crate::clock::local_day(recorded), lang),
    );
    let moved = status_change(conn, id, lang).await?;
    Ok(say(
        lang,
        format!("enregistrée le {recorded}, elle prend effet le {effective} ({moved})"),
        format!("recorded on {recorded}, it takes effect on {effective} ({moved})"),
    ))
}

fn quoted(lang: Lang, text: &str) -> String {
    say(lang, format!("« {text} »"), format!("\"{text}\""))
}

/// « Automne 2013 » → « Hiver 2014 », or what was added or removed.
fn deadline_change(lang: Lang, before: Option<&str>, after: Option<&str>) -> String {
    match (before, after) {
        (Some(before), Some(after)) => format!("{} → {}", quoted(lang, before), quoted(lang, after)),
        (None, Some(after)) => say(
            lang,
            format!("ajout de {}", quoted(lang, after)),
            format!("added {}", quoted(lang, after)),
        ),
        (Some(before), None) => say(
            lang,
            format!("retrait de {}", quoted(lang, before)),
            format!("removed {}", quoted(lang, before)),
        ),
        (None, None) => String::new(),
    }
}

/// What an action notice is about.
struct About<'a> {
    by: &'a str,
    action: &'a str,
    plan: &'a str,
    /// What moved: the status, the comment, the échéancier.
    detail: Option<&'a str>,
}

impl About<'_> {
    fn words(&self, kind: NoticeKind, lang: Lang, link: String) -> Words {
        let About { by, action, plan, .. } = self;
        let detail = self.detail.unwrap_or_default();
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
            NoticeKind::DeadlineReminder => (
                say(
                    lang,
                    format!("Rappel d'échéance : « {action} »"),
                    format!("Deadline reminder: \"{action}\""),
                ),
                say(
                    lang,
                    format!(
                        "L'échéancier de l'action « {action} » ({plan}), qui vous est assignée, arrive à terme : {detail}. Mettez-le à jour si ce n'est déjà fait."
                    ),
                    format!(
                        "The deadline of the action \"{action}\" ({plan}), assigned to you, is near: {detail}. Update it if not done yet."
                    ),
                ),
            ),
            NoticeKind::EffectiveDated => (
                say(
                    lang,
                    format!("Mise à jour datée d'avant : « {action} »"),
                    format!("Backdated update: \"{action}\""),
                ),
                say(
                    lang,
                    format!(
                        "{by} a mis à jour l'état de l'action « {action} » ({plan}) avec une date d'effet passée : {detail}. Un rapport déjà produit pour cette période peut en changer."
                    ),
                    format!(
                        "{by} updated the status of the action \"{action}\" ({plan}) with a past effective date: {detail}. A report already produced for that period may change."
                    ),
                ),
            ),
            NoticeKind::Commented => (
                say(
                    lang,
                    format!("Commentaire : « {action} »"),
                    format!("Comment: \"{action}\""),
                ),
                say(
                    lang,
                    format!("{by} a commenté l'action « {action} » ({plan}) : {detail}"),
                    format!("{by} commented on the action \"{action}\" ({plan}): {detail}"),
                ),
            ),
            NoticeKind::DeadlineChanged => (
                say(
                    lang,
                    format!("Échéancier modifié : « {action} »"),
                    format!("Deadline changed: \"{action}\""),
                ),
                say(
                    lang,
                    format!("{by} a modifié l'échéancier de l'action « {action} » ({plan}) : {detail}."),
                    format!("{by} changed the deadline of the action \"{action}\" ({plan}): {detail}."),
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
                    format!("{by} a mis à jour l'état de l'action « {action} » ({plan}) : {detail}."),
                    format!("{by} updated the status of the action \"{action}\" ({plan}): {detail}."),
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
            detail: None,
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
        let body = words.text("Marie", None);
        assert!(
            body.starts_with("Bonjour Marie,\n\nCoordination du RQDS vous a assigné l'action"),
            "{body}"
        );
        assert!(
            body.contains("Voir l'action\u{a0}: https://plan.example/actions/3"),
            "{body}"
        );
        let html = words.page("Marie <b>", None).into_string();
        assert!(html.contains("Marie &lt;b&gt;"), "{html}");
        let italic = about("Mise à jour du *Tour du Québec*").words(NoticeKind::Assigned, Lang::Fr, "https://x".into());
        let html = italic.page("Marie", None).into_string();
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
        let body = words.text("Mary", None);
        assert!(
            body.starts_with("Hello Mary,\n\nCoordination du RQDS unassigned you"),
            "{body}"
        );
        assert!(body.contains("See the action: https://x/actions/3"), "{body}");
        assert!(!body.contains('\u{a0}'), "{body}");
    }
}
