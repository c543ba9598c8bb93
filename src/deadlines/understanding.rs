//! Between the parser and the database: the plan context a label is read in, and the
//! stored result (kind, periods, frequency, rendering) of each label.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use super::model::{Deadline, DeadlineRow};
use super::reading::parser::{DeadlineKind, ParsedDeadline, Period, PlanContext, parse};
use crate::db::schema::{actions, deadline_periods, deadlines, objectives, orientations, plan_events, plans};
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::ids::{DeadlineId, PlanId};

/// The migrations that brought reading rules (the grammar of issue 12; the narrowing words
/// and qualifiers of issue 31): when one is applied to a database that holds deadlines,
/// they are read again on start.
pub const RULES_MIGRATIONS: [&str; 2] = ["deadline_grammar", "plan_columns"];

/// The plan's fiscal period and its dated events.
pub async fn plan_context(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<PlanContext> {
    let (start, end) = plans::table
        .find(plan_id)
        .select((plans::period_start, plans::period_end))
        .first(conn)
        .await
        .or_not_found(Entity::Plan, plan_id.0)?;
    let events = plan_events::table
        .filter(plan_events::plan_id.eq(plan_id))
        .select((plan_events::name, plan_events::on_date))
        .load(conn)
        .await?;
    Ok(PlanContext { start, end, events })
}

/// The deadline columns that hold a parse result.
#[allow(clippy::type_complexity)]
pub fn columns(
    parsed: &ParsedDeadline,
) -> (
    diesel::dsl::Eq<deadlines::kind, DeadlineKind>,
    diesel::dsl::Eq<deadlines::starts_on, Option<chrono::NaiveDate>>,
    diesel::dsl::Eq<deadlines::ends_on, Option<chrono::NaiveDate>>,
    diesel::dsl::Eq<deadlines::frequency_unit, Option<super::reading::parser::FrequencyUnit>>,
    diesel::dsl::Eq<deadlines::frequency_count, Option<i32>>,
    diesel::dsl::Eq<deadlines::frequency_what, Option<String>>,
    diesel::dsl::Eq<deadlines::qualifier, Option<String>>,
    diesel::dsl::Eq<deadlines::rendering, String>,
    diesel::dsl::Eq<deadlines::frequency_every, Option<i32>>,
    diesel::dsl::Eq<deadlines::outside_plan, bool>,
) {
    let envelope = parsed.envelope();
    let frequency = parsed.frequency.clone();
    (
        deadlines::kind.eq(parsed.kind),
        deadlines::starts_on.eq(envelope.map(|p| p.start)),
        deadlines::ends_on.eq(envelope.map(|p| p.end)),
        deadlines::frequency_unit.eq(frequency.as_ref().map(|f| f.unit)),
        deadlines::frequency_count.eq(frequency.as_ref().and_then(|f| f.count)),
        deadlines::frequency_what.eq(frequency.as_ref().and_then(|f| f.what.clone())),
        deadlines::qualifier.eq(parsed.qualifier.clone()),
        deadlines::rendering.eq(parsed.rendering.clone()),
        deadlines::frequency_every.eq(frequency.and_then(|f| f.every)),
        deadlines::outside_plan.eq(parsed.outside_plan),
    )
}

/// One row of `deadline_periods`, ready to insert.
pub type PeriodRow = (
    diesel::dsl::Eq<deadline_periods::deadline_id, DeadlineId>,
    diesel::dsl::Eq<deadline_periods::position, i32>,
    diesel::dsl::Eq<deadline_periods::starts_on, chrono::NaiveDate>,
    diesel::dsl::Eq<deadline_periods::ends_on, chrono::NaiveDate>,
);

/// Rows for `deadline_periods`.
pub fn period_rows(deadline_id: DeadlineId, parsed: &ParsedDeadline) -> Vec<PeriodRow> {
    (1..)
        .zip(&parsed.periods)
        .map(|(position, period)| {
            (
                deadline_periods::deadline_id.eq(deadline_id),
                deadline_periods::position.eq(position),
                deadline_periods::starts_on.eq(period.start),
                deadline_periods::ends_on.eq(period.end),
            )
        })
        .collect()
}

/// Reads `label` in the context of its plan and stores what it means for deadline `id`.
pub async fn understand(
    conn: &mut AsyncPgConnection,
    plan_id: Option<PlanId>,
    id: DeadlineId,
    label: &str,
) -> ApiResult<()> {
    let plan_id = plan_id.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a deadline outside any plan")))?;
    let context = plan_context(conn, plan_id).await?;
    store(conn, id, &parse(label, &context)).await
}

/// Writes what the parser understood of deadline `id` (the label is left as it is).
pub async fn store(conn: &mut AsyncPgConnection, id: DeadlineId, parsed: &ParsedDeadline) -> ApiResult<()> {
    diesel::update(deadlines::table.find(id))
        .set(columns(parsed))
        .execute(conn)
        .await?;
    diesel::delete(deadline_periods::table.filter(deadline_periods::deadline_id.eq(id)))
        .execute(conn)
        .await?;
    diesel::insert_into(deadline_periods::table)
        .values(period_rows(id, parsed))
        .execute(conn)
        .await?;
    Ok(())
}

/// The rows with their periods (one query for all of them).
pub async fn with_periods(conn: &mut AsyncPgConnection, rows: Vec<DeadlineRow>) -> ApiResult<Vec<Deadline>> {
    let ids: Vec<DeadlineId> = rows.iter().map(|r| r.id).collect();
    let found: Vec<(DeadlineId, chrono::NaiveDate, chrono::NaiveDate)> = deadline_periods::table
        .filter(deadline_periods::deadline_id.eq_any(&ids))
        .order((deadline_periods::deadline_id, deadline_periods::position))
        .select((
            deadline_periods::deadline_id,
            deadline_periods::starts_on,
            deadline_periods::ends_on,
        ))
        .load(conn)
        .await?;
    let mut periods: HashMap<DeadlineId, Vec<Period>> = HashMap::new();
    for (id, start, end) in found {
        periods.entry(id).or_default().push(Period { start, end });
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let own = periods.remove(&row.id).unwrap_or_default();
            Deadline::from_row(row, own)
        })
        .collect())
}

/// Every deadline of a plan (of its actions and of its objectives without action).
pub async fn plan_deadlines(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<Vec<DeadlineRow>> {
    let objective_ids: Vec<i64> = objectives::table
        .inner_join(orientations::table)
        .filter(orientations::plan_id.eq(plan_id))
        .select(objectives::id)
        .load(conn)
        .await?;
    let action_ids: Vec<i64> = actions::table
        .filter(actions::objective_id.eq_any(&objective_ids))
        .select(actions::id)
        .load(conn)
        .await?;
    Ok(deadlines::table
        .filter(
            deadlines::action_id
                .eq_any(action_ids)
                .or(deadlines::objective_id.eq_any(objective_ids)),
        )
        .order((deadlines::action_id, deadlines::objective_id, deadlines::position))
        .select(DeadlineRow::as_select())
        .load(conn)
        .await?)
}

/// Parses every label of a plan again (after the rules or the plan's events changed);
/// returns how many labels landed in each kind.
pub async fn reparse_plan(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<BTreeMap<DeadlineKind, usize>> {
    conn.transaction(async |conn| {
        let context = plan_context(conn, plan_id).await?;
        let mut kinds = BTreeMap::new();
        for row in plan_deadlines(conn, plan_id).await? {
            let parsed = parse(&row.label, &context);
            *kinds.entry(parsed.kind).or_insert(0) += 1;
            store(conn, row.id, &parsed).await?;
        }
        Ok::<_, ApiError>(kinds)
    })
    .await
}

/// `reparse_plan` for every plan.
pub async fn reparse_all(conn: &mut AsyncPgConnection) -> ApiResult<BTreeMap<DeadlineKind, usize>> {
    let ids: Vec<PlanId> = plans::table.select(plans::id).order(plans::id).load(conn).await?;
    let mut total = BTreeMap::new();
    for id in ids {
        for (kind, count) in reparse_plan(conn, id).await? {
            *total.entry(kind).or_insert(0) += count;
        }
    }
    Ok(total)
}
