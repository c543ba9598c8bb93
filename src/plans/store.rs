//! Writes a whole plan (an imported document, next year's plan) in one transaction: all of
//! it or nothing. Each level is inserted in chunks and its ids matched back by (parent,
//! position), never by the order RETURNING gives.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::draft::PlanDraft;
use crate::db::json::JsonList;
use crate::db::schema::{
    actions, deadline_periods, deadlines, glossary_entries, objectives, orientations, plans, status_updates,
};
use crate::deadlines::reading::parser::{ParsedDeadline, PlanContext, parse as parse_label};
use crate::deadlines::understanding;
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult, ErrorCode, FieldError};
use crate::ids::{DeadlineId, PlanId};
use crate::progress::Progress;
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

/// Inserts `$rows` into `$table` in chunks; the new ids in the order of `$keys`, each a
/// (parent, position) matched back through what RETURNING gives.
macro_rules! insert_children {
    ($conn:expr, $table:ident, $parent:ident, $rows:expr, $keys:expr) => {{
        let mut by_key = HashMap::new();
        for chunk in $rows.chunks(CHUNK) {
            let inserted: Vec<(i64, i64, i32)> = diesel::insert_into($table::table)
                .values(chunk)
                .returning(($table::id, $table::$parent, $table::position))
                .get_results($conn)
                .await?;
            by_key.extend(
                inserted
                    .into_iter()
                    .map(|(id, parent, position)| ((parent, position), id)),
            );
        }
        $keys
            .iter()
            .map(|key| returned(&by_key, key))
            .collect::<ApiResult<Vec<i64>>>()
    }};
}

fn one_based(index: usize) -> ApiResult<i32> {
    i32::try_from(index + 1).map_err(|e| ApiError::Internal(e.into()))
}

/// What the audit trail keeps of a stored plan (one entry, not one per row).
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
    draft: &PlanDraft,
    organization: &str,
) -> ApiResult<(i64, ImportCounts)> {
    // Every door that stores a plan comes here: the same rules for each.
    if let Some((line, fault)) = draft.text_fault() {
        let field = line.map_or_else(|| fault.field.clone(), |line| format!("line {line}"));
        return Err(ApiError::Validation(vec![FieldError::new(
            field,
            ErrorCode::Import,
            fault.message,
        )]));
    }
    check_updated_on(draft.updated_on, crate::clock::today())?;
    let stamp = draft.updated_on.map_or_else(Utc::now, document_instant);
    conn.transaction(async |conn| {
        let plan_id = insert_plan(conn, draft, organization, stamp).await?;
        let orientation_ids = insert_orientations(conn, draft, plan_id, stamp).await?;
        let objective_ids = insert_objectives(conn, draft, &orientation_ids, stamp).await?;
        let action_ids = insert_actions(conn, draft, &objective_ids, stamp).await?;
        let owners = deadline_owners(draft, &objective_ids, &action_ids);
        let deadline_count = insert_deadlines(conn, draft, &owners, stamp).await?;
        let glossary_entries = insert_glossary(conn, draft, plan_id, stamp).await?;
        let counts = ImportCounts {
            orientations: orientation_ids.len(),
            objectives: objective_ids.len(),
            actions: action_ids.len(),
            deadlines: deadline_count,
            glossary_entries,
        };
        let imported = Imported {
            title: &draft.title,
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

async fn insert_plan(
    conn: &mut AsyncPgConnection,
    draft: &PlanDraft,
    organization: &str,
    stamp: DateTime<Utc>,
) -> ApiResult<i64> {
    Ok(diesel::insert_into(plans::table)
        .values((
            plans::title.eq(&draft.title),
            plans::organization.eq(organization),
            plans::period_start.eq(draft.period_start),
            plans::period_end.eq(draft.period_end),
            plans::heading_note.eq(&draft.heading_note),
            plans::table_columns.eq(JsonList(draft.columns.clone())),
            plans::created_at.eq(stamp),
            plans::updated_at.eq(stamp),
        ))
        .returning(plans::id)
        .get_result(conn)
        .await?)
}

async fn insert_orientations(
    conn: &mut AsyncPgConnection,
    draft: &PlanDraft,
    plan_id: i64,
    stamp: DateTime<Utc>,
) -> ApiResult<Vec<i64>> {
    let mut rows = Vec::new();
    for (i, orientation) in draft.orientations.iter().enumerate() {
        rows.push((
            orientations::plan_id.eq(plan_id),
            orientations::position.eq(one_based(i)?),
            orientations::title.eq(orientation.title.clone()),
            orientations::created_at.eq(stamp),
            orientations::updated_at.eq(stamp),
        ));
    }
    let by_position: HashMap<i32, i64> = diesel::insert_into(orientations::table)
        .values(&rows)
        .returning((orientations::position, orientations::id))
        .get_results::<(i32, i64)>(conn)
        .await?
        .into_iter()
        .collect();
    (0..rows.len())
        .map(|i| returned(&by_position, &one_based(i)?))
        .collect()
}

/// The objectives' ids, in the draft's order.
async fn insert_objectives(
    conn: &mut AsyncPgConnection,
    draft: &PlanDraft,
    orientation_ids: &[i64],
    stamp: DateTime<Utc>,
) -> ApiResult<Vec<i64>> {
    let (mut rows, mut keys) = (Vec::new(), Vec::new());
    for (orientation, orientation_id) in draft.orientations.iter().zip(orientation_ids) {
        for (j, objective) in orientation.objectives.iter().enumerate() {
            keys.push((*orientation_id, one_based(j)?));
            rows.push((
                objectives::orientation_id.eq(*orientation_id),
                objectives::position.eq(one_based(j)?),
                objectives::title.eq(objective.title.clone()),
                objectives::created_at.eq(stamp),
                objectives::updated_at.eq(stamp),
            ));
        }
    }
    insert_children!(conn, objectives, orientation_id, rows, keys)
}

/// The actions' ids, in the draft's order; each action's first état goes to its history,
/// as of the document's "Mise à jour".
async fn insert_actions(
    conn: &mut AsyncPgConnection,
    draft: &PlanDraft,
    objective_ids: &[i64],
    stamp: DateTime<Utc>,
) -> ApiResult<Vec<i64>> {
    let (mut rows, mut keys) = (Vec::new(), Vec::new());
    for (objective, objective_id) in draft.objectives().zip(objective_ids) {
        for (k, action) in objective.actions.iter().enumerate() {
            keys.push((*objective_id, one_based(k)?));
            let details = &action.details;
            let (done, target, unit) = Progress::columns(details.progress.as_ref());
            rows.push((
                (
                    actions::objective_id.eq(*objective_id),
                    actions::position.eq(one_based(k)?),
                    actions::title.eq(action.title.clone()),
                    actions::responsible_organization.eq(action.responsible_organization.clone()),
                    actions::status.eq(action.status),
                    actions::progress_note.eq(action.progress_note.clone()),
                    actions::continues_action_id.eq(action.continues),
                    actions::created_at.eq(stamp),
                    actions::updated_at.eq(stamp),
                ),
                (
                    actions::indicators.eq(details.indicators.clone()),
                    actions::target.eq(details.target.clone()),
                    actions::partners.eq(details.partners.clone()),
                    actions::other_fields.eq(JsonList(details.other_fields.clone())),
                    actions::progress_done.eq(done),
                    actions::progress_target.eq(target),
                    actions::progress_unit.eq(unit),
                ),
            ));
        }
    }
    let ids = insert_children!(conn, actions, objective_id, rows, keys)?;
    let history: Vec<_> = draft
        .actions()
        .zip(&ids)
        .map(|(action, id)| {
            (
                status_updates::action_id.eq(*id),
                status_updates::new_status.eq(action.status),
                status_updates::note.eq(action.progress_note.clone()),
                status_updates::progress_done.eq(action.details.progress.as_ref().map(Progress::done)),
                status_updates::progress_target.eq(action.details.progress.as_ref().map(Progress::target)),
                status_updates::progress_unit.eq(action.details.progress.as_ref().map(|p| p.unit().to_owned())),
                status_updates::created_at.eq(stamp),
                status_updates::effective_on.eq(crate::clock::local_day(stamp)),
            )
        })
        .collect();
    for chunk in history.chunks(CHUNK) {
        diesel::insert_into(status_updates::table)
            .values(chunk)
            .execute(conn)
            .await?;
    }
    Ok(ids)
}

/// Who holds a deadline: an action, or an objective that has none.
type Owner = (Option<i64>, Option<i64>);

/// Every échéancier with its owner: an objective's own, then its actions'.
fn deadline_owners<'a>(draft: &'a PlanDraft, objective_ids: &[i64], action_ids: &[i64]) -> Vec<(Owner, &'a [String])> {
    let mut actions = action_ids.iter();
    let mut owners = Vec::new();
    for (objective, objective_id) in draft.objectives().zip(objective_ids) {
        owners.push(((None, Some(*objective_id)), objective.deadlines.as_slice()));
        for (action, id) in objective.actions.iter().zip(actions.by_ref()) {
            owners.push(((Some(*id), None), action.deadlines.as_slice()));
        }
    }
    owners
}

/// Inserts the deadlines and what each label was read as, in the plan's own period.
async fn insert_deadlines(
    conn: &mut AsyncPgConnection,
    draft: &PlanDraft,
    owners: &[(Owner, &[String])],
    stamp: DateTime<Utc>,
) -> ApiResult<usize> {
    let context = PlanContext {
        start: draft.period_start,
        end: draft.period_end,
        events: Vec::new(),
    };
    let mut rows = Vec::new();
    let mut understood: HashMap<(Option<i64>, Option<i64>, i32), ParsedDeadline> = HashMap::new();
    for ((action_id, objective_id), labels) in owners {
        for (k, label) in labels.iter().enumerate() {
            let position = one_based(k)?;
            let reading = parse_label(label, &context);
            rows.push((
                (
                    deadlines::action_id.eq(*action_id),
                    deadlines::objective_id.eq(*objective_id),
                    deadlines::position.eq(position),
                    deadlines::label.eq(label.clone()),
                    deadlines::created_at.eq(stamp),
                    deadlines::updated_at.eq(stamp),
                ),
                understanding::columns(&reading),
            ));
            understood.insert((*action_id, *objective_id, position), reading);
        }
    }
    let mut periods = Vec::new();
    for chunk in rows.chunks(CHUNK) {
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
            let reading = understood
                .get(&(action_id, objective_id, position))
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no reading for the deadline inserted as {id}")))?;
            periods.extend(understanding::period_rows(DeadlineId(id), reading));
        }
    }
    for chunk in periods.chunks(CHUNK) {
        diesel::insert_into(deadline_periods::table)
            .values(chunk)
            .execute(conn)
            .await?;
    }
    Ok(rows.len())
}

async fn insert_glossary(
    conn: &mut AsyncPgConnection,
    draft: &PlanDraft,
    plan_id: i64,
    stamp: DateTime<Utc>,
) -> ApiResult<usize> {
    let rows: Vec<_> = draft
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
        .values(&rows)
        .execute(conn)
        .await?;
    Ok(rows.len())
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
