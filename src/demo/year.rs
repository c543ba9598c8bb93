//! A believable year of history for the demo plan: every action starts "À venir" on the
//! plan's first day, then the états and notes of the plan document arrive through status
//! updates dated from September 2013 to June 2014, each near its own échéancier, as the
//! coordination would have recorded them after each CA meeting.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::actions::model::Action;
use crate::db::schema::{actions, deadlines, objectives, orientations};
use crate::etag::IfMatch;
use crate::ids::{ActionId, PlanId};
use crate::plans::draft::PlanDraft;
use crate::progress::{ActionStatus, Progress};
use crate::status_updates::dto::CreateStatusUpdate;
use crate::write::{self, Actor};

/// The CA meetings of the year: a change is approved at the first one on or after it.
const MEETINGS: [(i32, u32, u32); 6] = [
    (2013, 9, 16),
    (2013, 11, 4),
    (2014, 1, 20),
    (2014, 3, 17),
    (2014, 5, 12),
    (2014, 6, 16),
];

/// The part of the year the history covers.
fn window() -> (NaiveDate, NaiveDate) {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    (day(2013, 9, 3), day(2014, 6, 27))
}

/// The plan document as it would have stood on the plan's first day: every action "À venir",
/// no note; its "Mise à jour" is that day.
pub fn at_the_start(parsed: &PlanDraft) -> PlanDraft {
    let mut start = parsed.clone();
    start.updated_on = Some(parsed.period_start);
    for orientation in &mut start.orientations {
        for objective in &mut orientation.objectives {
            for action in &mut objective.actions {
                action.status = ActionStatus::NotStarted;
                action.progress_note = None;
            }
        }
    }
    start
}

/// One update of the scripted year: which action (in plan order), when, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Scripted {
    pub action: usize,
    pub on: NaiveDate,
    pub status: ActionStatus,
    pub note: Option<String>,
    pub progress: Option<Progress>,
    pub decision: Option<String>,
}

/// An action as the document leaves it: état, note, and the envelope of its deadlines.
pub type DocumentState = (ActionStatus, Option<String>, Option<(NaiveDate, NaiveDate)>);

/// "Résolution CA-2013-11-04-03": the meeting that approved a change made on `on`.
fn decision(on: NaiveDate, number: usize) -> Option<String> {
    let meeting = MEETINGS
        .iter()
        .filter_map(|(y, m, d)| NaiveDate::from_ymd_opt(*y, *m, *d))
        .find(|meeting| *meeting >= on)?;
    Some(format!(
        "Résolution CA-{}-{:02}",
        meeting.format("%Y-%m-%d"),
        number % 9 + 1
    ))
}

/// "6 régions visitées" → 6 / 16 régions (the network's member regions).
fn regions(note: Option<&str>) -> Option<Progress> {
    let note = note?;
    let (count, rest) = note.split_once(' ')?;
    let done: i32 = count.parse().ok()?;
    rest.starts_with("régions").then(|| Progress::new(done, 16, "régions"))
}

/// The updates that lead each action from "À venir" to its état in the document, near its
/// échéancier: it starts when its period starts (two weeks before a single day), not before
/// work resumes in September–October, and is completed when its period ends; an action with
/// no dated échéancier takes a day spread over the year. `actions[i]` is the document's état and note of the i-th action in plan
/// order, with the envelope of its deadlines.
pub fn script(actions: &[DocumentState]) -> Vec<Scripted> {
    let (first, last) = window();
    let clamp = |day: NaiveDate| day.clamp(first, last);
    let mut out = Vec::new();
    for (i, (status, note, dates)) in actions.iter().enumerate() {
        let spread = first + Duration::days(i64::try_from(i * 37 % 290).unwrap_or(0));
        let (start, end) = dates.map_or((spread, spread + Duration::days(30)), |(s, e)| (s, e));
        // Work resumes after the summer: starts are spread over September and October.
        let resumed = first + Duration::days(i64::try_from(i * 11 % 58).unwrap_or(0));
        let done = clamp(end);
        let began = clamp(start.min(end - Duration::days(14)).max(resumed))
            .min(done - Duration::days(7))
            .max(first);
        let update = |on, status, note: Option<String>, decision| Scripted {
            action: i,
            on,
            status,
            progress: regions(note.as_deref()),
            note,
            decision,
        };
        match status {
            ActionStatus::NotStarted => {}
            ActionStatus::Completed => {
                out.push(update(began, ActionStatus::InProgress, None, None));
                out.push(update(
                    done.max(began + Duration::days(1)),
                    *status,
                    note.clone(),
                    decision(done, i),
                ));
            }
            ActionStatus::Ongoing => {
                let on = first + Duration::days(i64::try_from(i % 20).unwrap_or(0));
                out.push(update(on, *status, note.clone(), None));
            }
            ActionStatus::Postponed | ActionStatus::Cancelled => {
                out.push(update(began, *status, note.clone(), decision(began, i)));
            }
            ActionStatus::InPreparation | ActionStatus::InProgress => {
                out.push(update(began, *status, note.clone(), None));
            }
        }
    }
    out.sort_by_key(|s| (s.on, s.action));
    out
}

/// The plan's actions in plan order, with the envelope of their dated deadlines.
async fn actions_in_order(
    conn: &mut AsyncPgConnection,
    plan_id: PlanId,
) -> anyhow::Result<Vec<(ActionId, Option<(NaiveDate, NaiveDate)>)>> {
    let ids: Vec<ActionId> = actions::table
        .inner_join(objectives::table.inner_join(orientations::table))
        .filter(orientations::plan_id.eq(plan_id))
        .order((orientations::position, objectives::position, actions::position))
        .select(actions::id)
        .load(conn)
        .await?;
    let dated: Vec<(Option<ActionId>, Option<NaiveDate>, Option<NaiveDate>)> = deadlines::table
        .filter(deadlines::action_id.eq_any(&ids))
        .select((deadlines::action_id, deadlines::starts_on, deadlines::ends_on))
        .load(conn)
        .await?;
    Ok(ids
        .into_iter()
        .map(|id| {
            let mine = dated.iter().filter(|(a, ..)| *a == Some(id));
            let start = mine.clone().filter_map(|(_, s, _)| *s).min();
            let end = mine.filter_map(|(.., e)| *e).max();
            (id, start.zip(end))
        })
        .collect())
}

/// Records the scripted year through the same write path as the API, as `actor`.
pub async fn replay(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    plan_id: PlanId,
    document: &PlanDraft,
) -> anyhow::Result<usize> {
    let ids = actions_in_order(conn, plan_id).await?;
    let states: Vec<_> = document
        .objectives()
        .flat_map(|o| o.actions.iter())
        .zip(&ids)
        .map(|(action, (_, dates))| (action.status, action.progress_note.clone(), *dates))
        .collect();
    let updates = script(&states);
    for update in &updates {
        let (id, _) = ids[update.action];
        let edit = CreateStatusUpdate {
            status: update.status,
            note: update.note.clone().map(Into::into),
            progress: update.progress.clone(),
            decision: update.decision.clone().map(Into::into),
            effective_on: Some(update.on),
        }
        .into_edit()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        write::update_returning::<Action, _>(conn, actor, id, IfMatch::Any, edit)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(updates.len())
}

#[cfg(test)]
mod tests {
    use chrono::Datelike;

    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn each_action_reaches_its_document_state_near_its_deadline_in_order() {
        let autumn = Some((day("2013-09-22"), day("2013-12-20")));
        let updates = script(&[
            (ActionStatus::Completed, Some("Complété".to_owned()), autumn),
            (
                ActionStatus::InProgress,
                Some("6 régions visitées".to_owned()),
                Some((day("2013-10-03"), day("2013-10-03"))),
            ),
            (ActionStatus::NotStarted, None, autumn),
            (ActionStatus::Ongoing, None, None),
        ]);
        let of = |i| updates.iter().filter(|u| u.action == i).collect::<Vec<_>>();
        let completed = of(0);
        assert_eq!(
            completed.iter().map(|u| (u.on, u.status)).collect::<Vec<_>>(),
            [
                (day("2013-09-22"), ActionStatus::InProgress),
                (day("2013-12-20"), ActionStatus::Completed)
            ]
        );
        assert_eq!(completed[1].decision.as_deref(), Some("Résolution CA-2014-01-20-01"));
        let visits = of(1);
        assert_eq!(visits[0].on, day("2013-09-19"), "two weeks before a single day");
        assert_eq!(
            visits[0].progress.as_ref().map(|p| (p.done(), p.target())),
            Some((6, 16))
        );
        assert!(of(2).is_empty());
        assert_eq!(of(3)[0].on.month(), 9);
        assert!(
            updates.windows(2).all(|w| w[0].on <= w[1].on),
            "in the order they took effect"
        );
    }
}
