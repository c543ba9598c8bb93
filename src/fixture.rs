//! A large plan for benchmarks: `planaction fixture --actions 10000 --history 100000`.
//! Shaped like the real plan (5 orientations, objectives of 10 actions, labels of the
//! 2013–2014 échéancier), with a status history spread over the fiscal year.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{actions, deadline_periods, deadlines, objectives, orientations, plans, status_updates};
use crate::deadlines::reading::parser::{PlanContext, parse};
use crate::deadlines::understanding;
use crate::error::{ApiError, ApiResult};
use crate::progress::ActionStatus;

const LABELS: [&str; 10] = [
    "Automne 2013",
    "3 octobre 2013",
    "Aut.13 - Hiver 14",
    "Novembre 2013 Mai 2014",
    "En continu",
    "Printemps 2014",
    "4 régions par mois",
    "Juin 2014",
    "Hiver - Printemps 2014",
    "Sur invitation",
];

const STATUSES: [ActionStatus; 5] = [
    ActionStatus::NotStarted,
    ActionStatus::InPreparation,
    ActionStatus::InProgress,
    ActionStatus::InProgress,
    ActionStatus::Completed,
];

const CHUNK: usize = 1000;

/// Creates the plan; returns its id.
pub async fn create(conn: &mut AsyncPgConnection, action_count: usize, history_count: usize) -> ApiResult<i64> {
    let start = NaiveDate::from_ymd_opt(2013, 7, 1).unwrap_or_default();
    let end = NaiveDate::from_ymd_opt(2014, 6, 30).unwrap_or_default();
    let context = PlanContext {
        start,
        end,
        events: Vec::new(),
    };
    let opened = Utc.with_ymd_and_hms(2013, 7, 2, 14, 0, 0).single().unwrap_or_default();
    conn.transaction(async |conn| {
        let plan: i64 = diesel::insert_into(plans::table)
            .values((
                plans::title.eq(format!("Plan de charge ({action_count} actions)")),
                plans::organization.eq("Réseau québécois de développement social"),
                plans::period_start.eq(start),
                plans::period_end.eq(end),
            ))
            .returning(plans::id)
            .get_result(conn)
            .await?;
        let orientation_rows: Vec<_> = (1..=5)
            .map(|n| {
                (
                    orientations::plan_id.eq(plan),
                    orientations::position.eq(n),
                    orientations::title.eq(format!("ORIENTATION DE CHARGE {n}")),
                )
            })
            .collect();
        let orientation_ids: Vec<i64> = diesel::insert_into(orientations::table)
            .values(&orientation_rows)
            .returning(orientations::id)
            .get_results(conn)
            .await?;
        let objective_count = action_count.div_ceil(10).max(1);
        let objective_rows: Vec<_> = (0..objective_count)
            .map(|i| {
                let orientation = orientation_ids[i % orientation_ids.len()];
                let position = i32::try_from(i / orientation_ids.len() + 1).unwrap_or(i32::MAX);
                (
                    objectives::orientation_id.eq(orientation),
                    objectives::position.eq(position),
                    objectives::title.eq(format!("Objectif {}", i + 1)),
                )
            })
            .collect();
        let mut objective_ids = Vec::new();
        for chunk in objective_rows.chunks(CHUNK) {
            let ids: Vec<i64> = diesel::insert_into(objectives::table)
                .values(chunk)
                .returning(objectives::id)
                .get_results(conn)
                .await?;
            objective_ids.extend(ids);
        }
        let action_rows: Vec<_> = (0..action_count)
            .map(|i| {
                (
                    actions::objective_id.eq(objective_ids[i / 10]),
                    actions::position.eq(i32::try_from(i % 10 + 1).unwrap_or(1)),
                    actions::title.eq(format!("Action {} : rencontre régionale et suivi des démarches", i + 1)),
                    actions::status.eq(STATUSES[i % STATUSES.len()]),
                    actions::progress_note.eq(format!("{} régions visitées", i % 17)),
                )
            })
            .collect();
        let mut action_ids = Vec::new();
        for chunk in action_rows.chunks(CHUNK) {
            let ids: Vec<i64> = diesel::insert_into(actions::table)
                .values(chunk)
                .returning(actions::id)
                .get_results(conn)
                .await?;
            action_ids.extend(ids);
        }
        // Ten labels: read each once.
        let readings: std::collections::HashMap<&str, _> = LABELS.iter().map(|l| (*l, parse(l, &context))).collect();
        let mut period_rows = Vec::new();
        for chunk in action_ids.chunks(CHUNK) {
            let rows: Vec<_> = chunk
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let label = LABELS[(*id as usize + i) % LABELS.len()];
                    (
                        (
                            deadlines::action_id.eq(Some(*id)),
                            deadlines::position.eq(1),
                            deadlines::label.eq(label),
                        ),
                        understanding::columns(&readings[label]),
                    )
                })
                .collect();
            let inserted: Vec<(i64, String)> = diesel::insert_into(deadlines::table)
                .values(&rows)
                .returning((deadlines::id, deadlines::label))
                .get_results(conn)
                .await?;
            for (id, label) in inserted {
                if let Some(reading) = readings.get(label.as_str()) {
                    period_rows.extend(understanding::period_rows(crate::ids::DeadlineId(id), reading));
                }
            }
        }
        for chunk in period_rows.chunks(CHUNK) {
            diesel::insert_into(deadline_periods::table)
                .values(chunk)
                .execute(conn)
                .await?;
        }
        // History: entries spread over the year, each action's chain in order.
        let per_action = history_count.div_ceil(action_ids.len().max(1)).max(1);
        let mut history = Vec::with_capacity(history_count);
        for (i, id) in action_ids.iter().enumerate() {
            for k in 0..per_action {
                if history.len() >= history_count {
                    break;
                }
                let previous = (k > 0).then(|| STATUSES[(i + k - 1) % STATUSES.len()]);
                let at = opened
                    + Duration::days(i64::try_from(k * 360 / per_action).unwrap_or(0))
                    + Duration::minutes(i64::try_from(i % 600).unwrap_or(0));
                history.push((
                    status_updates::action_id.eq(*id),
                    status_updates::created_at.eq(at),
                    status_updates::previous_status.eq(previous),
                    status_updates::new_status.eq(STATUSES[(i + k) % STATUSES.len()]),
                    status_updates::note.eq(Some(format!("{} régions visitées", k % 17))),
                    status_updates::effective_on.eq(crate::clock::local_day(at)),
                ));
            }
        }
        for chunk in history.chunks(CHUNK) {
            diesel::insert_into(status_updates::table)
                .values(chunk)
                .execute(conn)
                .await?;
        }
        Ok::<_, ApiError>(plan)
    })
    .await
}
