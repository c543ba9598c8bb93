//! Before a CA meeting: the recipient's actions not updated since the previous meeting,
//! each with its link (an action gone since is left out; none left, no message).

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{Recipient, Words, say};
use crate::db::schema::{actions, plan_events, plans};
use crate::error::ApiResult;
use crate::ids::{ActionId, PlanId};
use crate::mail::Mailer;
use crate::text::long_date;
use crate::write::outbox::MeetingNotice;

pub async fn words(
    conn: &mut AsyncPgConnection,
    mailer: &Mailer,
    to: &Recipient,
    notice: MeetingNotice,
) -> ApiResult<Option<Words>> {
    let meeting: Option<(String, chrono::NaiveDate, PlanId, String)> = plan_events::table
        .inner_join(plans::table)
        .filter(plan_events::id.eq(notice.event))
        .select((plan_events::name, plan_events::on_date, plans::id, plans::title))
        .first(conn)
        .await
        .optional()?;
    let Some((name, on_date, plan_id, plan)) = meeting else {
        return Ok(None);
    };
    let listed: Vec<(ActionId, String)> = actions::table
        .filter(actions::id.eq_any(&notice.actions))
        .select((actions::id, actions::title))
        .load(conn)
        .await?;
    // In the order the plan lists them (the notice's).
    let lines: Vec<String> = notice
        .actions
        .iter()
        .filter_map(|id| listed.iter().find(|(a, _)| a == id))
        .map(|(id, title)| format!("– {title} : {}/actions/{}", mailer.public_url, id.0))
        .collect();
    if lines.is_empty() {
        return Ok(None);
    }
    let lang = to.lang;
    let (day, since) = (long_date(on_date, lang), long_date(notice.since, lang));
    let count = lines.len();
    Ok(Some(Words {
        lang,
        subject: say(
            lang,
            format!("Réunion du CA du {day} : {count} action(s) à mettre à jour"),
            format!("Board meeting of {day}: {count} action(s) to update"),
        ),
        paragraphs: vec![
            say(
                lang,
                format!(
                    "Le CA se réunit le {day} (« {name} », {plan}). Ces actions qui vous sont assignées n'ont pas été mises à jour depuis le {since} :"
                ),
                format!(
                    "The board meets on {day} (\"{name}\", {plan}). These actions assigned to you have not been updated since {since}:"
                ),
            ),
            lines.join("\n"),
        ],
        link: (
            lang.pick("Voir le plan", "See the plan").to_owned(),
            format!("{}/plans/{}", mailer.public_url, plan_id.0),
        ),
    }))
}
