//! A digest: each held notice's sentence, grouped by plan and orientation, each written
//! now (an action gone since is left out; nothing left, no message).

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{Recipient, Words, say};
use crate::db::schema::{actions, mail_outbox, objectives, orientations, plans};
use crate::error::ApiResult;
use crate::ids::{ActionId, PlanId};
use crate::mail::Mailer;
use crate::notifications::digest::DigestNotice;
use crate::preferences::MailFrequency;
use crate::write::outbox::{Notice, NoticeKind};

type Place = (String, PlanId, i32, String);

pub async fn words(
    conn: &mut AsyncPgConnection,
    mailer: &Mailer,
    to: &Recipient,
    digest: DigestNotice,
) -> ApiResult<Option<Words>> {
    let items: Vec<(i64, NoticeKind, serde_json::Value)> = mail_outbox::table
        .filter(mail_outbox::id.eq_any(&digest.items))
        .order(mail_outbox::id)
        .select((mail_outbox::id, mail_outbox::kind, mail_outbox::payload))
        .load(conn)
        .await?;
    // Plan, then orientation, then the order things happened in.
    let mut grouped: BTreeMap<Place, Vec<String>> = BTreeMap::new();
    for (_, kind, payload) in items {
        let Ok(notice) = serde_json::from_value::<Notice>(payload) else {
            continue;
        };
        let Some(place) = place_of(conn, notice.action_id).await? else {
            continue;
        };
        if let Some(words) = super::action::words(conn, mailer, kind, to, notice).await? {
            grouped.entry(place).or_default().extend(words.paragraphs);
        }
    }
    let count: usize = grouped.values().map(Vec::len).sum();
    let Some(((_, first_plan, _, _), _)) = grouped.iter().next() else {
        return Ok(None);
    };
    let link = format!("{}/plans/{}", mailer.public_url, first_plan.0);
    let lang = to.lang;
    let subject = match digest.frequency {
        MailFrequency::Weekly => say(
            lang,
            format!("Résumé de la semaine : {count} nouvelle(s) du plan d'action"),
            format!("Weekly digest: {count} piece(s) of news from the action plan"),
        ),
        _ => say(
            lang,
            format!("Résumé du jour : {count} nouvelle(s) du plan d'action"),
            format!("Daily digest: {count} piece(s) of news from the action plan"),
        ),
    };
    let mut paragraphs = Vec::new();
    let mut plan_seen = None;
    for ((plan, plan_id, position, orientation), lines) in grouped {
        if plan_seen != Some(plan_id) {
            paragraphs.push(format!("*{plan}*"));
            plan_seen = Some(plan_id);
        }
        let mut block = format!("Orientation {position} : {orientation}");
        for line in lines {
            block.push_str(&format!("\n– {line}"));
        }
        paragraphs.push(block);
    }
    Ok(Some(Words {
        lang,
        subject,
        paragraphs,
        link: (lang.pick("Voir le plan", "See the plan").to_owned(), link),
    }))
}

async fn place_of(conn: &mut AsyncPgConnection, action: ActionId) -> ApiResult<Option<Place>> {
    Ok(actions::table
        .inner_join(objectives::table.inner_join(orientations::table.inner_join(plans::table)))
        .filter(actions::id.eq(action))
        .select((plans::title, plans::id, orientations::position, orientations::title))
        .first(conn)
        .await
        .optional()?)
}
