//! Writes a parsed plan in one transaction: all of it or nothing.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::parse::ParsedPlan;
use crate::db::schema::{
    actions, deadline_periods, deadlines, glossary_entries, objectives, orientations, plans, status_updates,
};
use crate::deadlines::parser::{ParsedDeadline, PlanContext, parse as parse_label};
use crate::deadlines::understanding;
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::ids::{DeadlineId, PlanId};
use crate::write::{Actor, Change, record};

/// Rows per INSERT, well under PostgreSQL's 65,535 bind parameters.
const CHUNK: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportCounts {
    #[schema(example = 5)]
    pub orientations: usize,
    #[schema(example = 22)]
    pub objectives: usize,
    #[schema(example = 42)]
    pub actions: usize,
    #[schema(example = 48)]
    pub deadlines: usize,
    #[schema(example = 4)]
    pub glossary_entries: usize,
}

/// Midnight in Québec on the document's "Mise à jour" date.
pub fn document_instant(date: NaiveDate) -> DateTime<Utc> {
    crate::clock::start_of_day(date)
}

/// The id PostgreSQL returned for a row just inserted under `key`: one missing is a bug,
/// never a row to attach to id 0.
fn returned<K: std::hash::Hash + Eq + std::fmt::Debug>(ids: &HashMap<K, i64>, key: &K) -> ApiResult<i64> {
    ids.get(key)
        .copied()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no id returned for the row inserted at {key:?}")))
}

fn one_based(index: usize) -> ApiResult<i32> {
    i32::try_from(index + 1).map_err(|e| ApiError::Internal(e.into()))
}

/// What the audit trail keeps of an import (one entry, not one per row).
#[derive(Serialize)]
struct Imported<'a> {
    title: &'a str,
    organization: &'a str,
    counts: ImportCounts,
}

/// A « Mise à jour » dates every row of the plan: one after tomorrow (a day's margin for
/// time zones) would make the plan look changed in the future, and win every "latest".
pub fn check_updated_on(updated_on: Option<NaiveDate>, today: NaiveDate) -> ApiResult<()> {
    match updated_on {
        Some(day) if day > today + chrono::Days::new(1) => Err(ApiError::invalid(
            "updated_on",
            ErrorCode::InTheFuture,
            crate::i18n::Text::new(
                format!(
                    "La date de mise à jour du document ({}) est dans le futur : corrigez la ligne « Mise à jour » (au plus tard aujourd'hui).",
                    crate::text::render_date(day)
                ),
                format!(
                    "The document's update date ({day}) is in the future: correct its \"Mise à jour\" line (today at the latest)."
                ),
            ),
        )),
        _ => Ok(()),
    }
}

/// Inserts the plan; returns its id and what was created. Rows are dated from the
/// document's "Mise à jour" (now when it has none), so the derived date matches it.
pub async fn store(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    parsed: &ParsedPlan,
    organization: &str,
) -> ApiResult<(i64, ImportCounts)> {
    // Every door that stores a plan comes here (an import, next year's plan): the same rules.
    if let Some(fault) = parsed.text_fault() {
        return Err(ApiError::Validation(vec![crate::error::FieldError::new(
            format!("line {}", fault.line),
            ErrorCode::Import,
            fault.message,
        )]));
    }
    check_updated_on(parsed.updated_on, crate::clock::today())?;
    let stamp = parsed.updated_on.map_or_else(Utc::now, document_instant);
    conn.transaction(async |conn| {
        let plan_id: i64 = diesel::insert_into(plans::table)
            .values((
                plans::title.eq(&parsed.title),
                plans::organization.eq(organization),
                plans::period_start.eq(parsed.period_start),
                plans::period_end.eq(parsed.period_end),
                plans::heading_note.eq(&parsed.heading_note),
                plans::created_at.eq(stamp),
                plans::updated_at.eq(stamp),
            ))
            .returning(plans::id)
            .get_result(conn)
            .await?;

        let mut orientation_rows = Vec::new();
        for (i, orientation) in parsed.orientations.iter().enumerate() {
            orientation_rows.push((
                orientations::plan_id.eq(plan_id),
                orientations::position.eq(one_based(i)?),
                orientations::title.eq(orientation.title.clone()),
                orientations::created_at.eq(stamp),
                orientations::updated_at.eq(stamp),
            ));
        }
        // Ids are matched back by (parent, position), not by the order RETURNING gives.
        let orientation_by_position: HashMap<i32, i64> = diesel::insert_into(orientations::table)
            .values(&orientation_rows)
            .returning((orientations::position, orientations::id))
            .get_results::<(i32, i64)>(conn)
            .await?
            .into_iter()
            .collect();
        let orientation_ids: Vec<i64> = (0..parsed.orientations.len())
            .map(|i| returned(&orientation_by_position, &one_based(i)?))
            .collect::<ApiResult<_>>()?;

        let mut objective_rows = Vec::new();
        let mut objective_keys = Vec::new();
        for (orientation, orientation_id) in parsed.orientations.iter().zip(&orientation_ids) {
            for (j, objective) in orientation.objectives.iter().enumerate() {
                objective_keys.push((*orientation_id, one_based(j)?));
                objective_rows.push((
                    objectives::orientation_id.eq(*orientation_id),
                    objectives::position.eq(one_based(j)?),
                    objectives::title.eq(objective.title.clone()),
                    objectives::created_at.eq(stamp),
                    objectives::updated_at.eq(stamp),
                ));
            }
        }
        let mut objective_ids_by_key = HashMap::new();
        for chunk in objective_rows.chunks(CHUNK) {
            let rows: Vec<(i64, i64, i32)> = diesel::insert_into(objectives::table)
                .values(chunk)
                .returning((objectives::id, objectives::orientation_id, objectives::position))
                .get_results(conn)
                .await?;
            objective_ids_by_key.extend(rows.into_iter().map(|(id, parent, position)| ((parent, position), id)));
        }
        let objective_ids: Vec<i64> = objective_keys
            .iter()
            .map(|key| returned(&objective_ids_by_key, key))
            .collect::<ApiResult<_>>()?;

        let mut action_rows = Vec::new();
        let mut action_keys = Vec::new();
        let mut deadline_rows = Vec::new();
        // Labels are read in the plan's own period; (owner, position) → what was understood.
        let context = PlanContext {
            start: parsed.period_start,
            end: parsed.period_end,
            events: Vec::new(),
        };
        let mut understood: HashMap<(Option<i64>, Option<i64>, i32), ParsedDeadline> = HashMap::new();
        // A deadline of an action or of an objective, and what its label was read as.
        let mut add_deadline = |action_id: Option<i64>, objective_id: Option<i64>, position: i32, label: &String| {
            let reading = parse_label(label, &context);
            deadline_rows.push((
                (
                    deadlines::action_id.eq(action_id),
                    deadlines::objective_id.eq(objective_id),
                    deadlines::position.eq(position),
                    deadlines::label.eq(label.clone()),
                    deadlines::created_at.eq(stamp),
                    deadlines::updated_at.eq(stamp),
                ),
                understanding::columns(&reading),
            ));
            understood.insert((action_id, objective_id, position), reading);
        };
        for (objective, objective_id) in parsed.objectives().zip(&objective_ids) {
            for (k, label) in objective.deadlines.iter().enumerate() {
                add_deadline(None, Some(*objective_id), one_based(k)?, label);
            }
            for (k, action) in objective.actions.iter().enumerate() {
                action_keys.push((*objective_id, one_based(k)?));
                action_rows.push((
                    actions::objective_id.eq(*objective_id),
                    actions::position.eq(one_based(k)?),
                    actions::title.eq(action.title.clone()),
                    actions::responsible_organization.eq(action.responsible_organization.clone()),
                    actions::status.eq(action.status),
                    actions::progress_note.eq(action.progress_note.clone()),
                    actions::continues_action_id.eq(action.continues),
                    actions::created_at.eq(stamp),
                    actions::updated_at.eq(stamp),
                ));
            }
        }
        let mut action_ids_by_key = HashMap::new();
        let mut history_rows = Vec::new();
        for chunk in action_rows.chunks(CHUNK) {
            let rows: Vec<(i64, i64, i32)> = diesel::insert_into(actions::table)
                .values(chunk)
                .returning((actions::id, actions::objective_id, actions::position))
                .get_results(conn)
                .await?;
            action_ids_by_key.extend(rows.into_iter().map(|(id, parent, position)| ((parent, position), id)));
        }
        let parsed_actions = parsed.objectives().flat_map(|o| o.actions.iter());
        for (action, key) in parsed_actions.zip(&action_keys) {
            let action_id = returned(&action_ids_by_key, key)?;
            history_rows.push((
                status_updates::action_id.eq(action_id),
                status_updates::new_status.eq(action.status),
                status_updates::note.eq(action.progress_note.clone()),
                status_updates::created_at.eq(stamp),
                // The document's états hold as of its "Mise à jour".
                status_updates::effective_on.eq(crate::clock::local_day(stamp)),
            ));
            for (k, label) in action.deadlines.iter().enumerate() {
                add_deadline(Some(action_id), None, one_based(k)?, label);
            }
        }
        let mut period_rows = Vec::new();
        for chunk in deadline_rows.chunks(CHUNK) {
            let keys: Vec<(i64, Option<i64>, Option<i64>, i32)> = diesel::insert_into(deadlines::table)
                .values(chunk)
                .returning((
                    deadlines::id,
                    deadlines::action_id,
                    deadlines::objective_id,
                    deadlines::position,
                ))
                .get_results(conn)
                .await?;
            for (id, action_id, objective_id, position) in keys {
                if let Some(reading) = understood.get(&(action_id, objective_id, position)) {
                    period_rows.extend(understanding::period_rows(DeadlineId(id), reading));
                }
            }
        }
        for chunk in period_rows.chunks(CHUNK) {
            diesel::insert_into(deadline_periods::table)
                .values(chunk)
                .execute(conn)
                .await?;
        }
        for chunk in history_rows.chunks(CHUNK) {
            diesel::insert_into(status_updates::table)
                .values(chunk)
                .execute(conn)
                .await?;
        }

        let glossary_rows: Vec<_> = parsed
            .glossary
            .iter()
            .map(|(acronym, definition)| {
                (
                    glossary_entries::plan_id.eq(plan_id),
                    glossary_entries::acronym.eq(acronym.clone()),
                    glossary_entries::definition.eq(definition.clone()),
                    glossary_entries::created_at.eq(stamp),
                    glossary_entries::updated_at.eq(stamp),
                )
            })
            .collect();
        diesel::insert_into(glossary_entries::table)
            .values(&glossary_rows)
            .execute(conn)
            .await?;

        let counts = ImportCounts {
            orientations: orientation_rows.len(),
            objectives: objective_rows.len(),
            actions: action_rows.len(),
            deadlines: deadline_rows.len(),
            glossary_entries: glossary_rows.len(),
        };
        let imported = Imported {
            title: &parsed.title,
            organization,
            counts,
        };
        record(
            conn,
            actor,
            Change::created(Entity::Plan, plan_id, Some(PlanId(plan_id)), &imported),
        )
        .await?;
        Ok::<_, ApiError>((plan_id, counts))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_dates_are_read_in_quebec_time() {
        let date = NaiveDate::from_ymd_opt(2013, 10, 11).unwrap_or_default();
        assert_eq!(document_instant(date).to_rfc3339(), "2013-10-11T04:00:00+00:00");
        let winter = NaiveDate::from_ymd_opt(2014, 1, 15).unwrap_or_default();
        assert_eq!(document_instant(winter).to_rfc3339(), "2014-01-15T05:00:00+00:00");
    }
}
