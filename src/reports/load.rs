//! Loading what a report is made from: the plan's rows (as for the tree) and its history.

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::build::{ReportInput, ReportPeriod};
use crate::actions::history::{StatusUpdate, StatusUpdateRow};
use crate::db::schema::{status_updates, users};
use crate::error::ApiResult;
use crate::ids::{ActionId, PlanId, UserId};
use crate::plans::tree::{assemble, load_rows};

/// The plan and the history the report of `period` needs (nothing that took effect after it).
pub async fn load(conn: &mut AsyncPgConnection, plan_id: PlanId, period: &ReportPeriod) -> ApiResult<ReportInput> {
    let rows = load_rows(conn, plan_id).await?;
    let action_ids: Vec<ActionId> = rows.actions.iter().map(|a| a.id).collect();
    let history: Vec<StatusUpdate> = status_updates::table
        .filter(status_updates::action_id.eq_any(&action_ids))
        .filter(status_updates::effective_on.le(period.to.max(period.as_of)))
        .select(StatusUpdateRow::as_select())
        .load(conn)
        .await?
        .into_iter()
        .map(StatusUpdate::from)
        .collect();
    let author_ids: BTreeSet<UserId> = history.iter().filter_map(|e| e.author_id).collect();
    let authors: HashMap<UserId, String> = users::table
        .filter(users::id.eq_any(author_ids))
        .select((users::id, users::display_name))
        .load::<(UserId, String)>(conn)
        .await?
        .into_iter()
        .collect();
    let previous = super::saved::previous_report(conn, plan_id, period.from).await?;
    let continued_from = continued_from(conn, &rows.actions).await?;
    Ok(ReportInput {
        tree: assemble(rows),
        history,
        authors,
        previous,
        continued_from,
    })
}

/// Action → the years of the plan whose action it continues ("2013-2014").
async fn continued_from(
    conn: &mut AsyncPgConnection,
    actions: &[crate::actions::model::Action],
) -> ApiResult<HashMap<ActionId, String>> {
    use crate::db::schema::{actions as actions_table, objectives, orientations, plans};
    use chrono::Datelike;
    let earlier: HashMap<i64, ActionId> = actions
        .iter()
        .filter_map(|a| a.continues_action_id.map(|from| (from.0, a.id)))
        .collect();
    if earlier.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<i64> = earlier.keys().copied().collect();
    let years = actions_table::table
        .inner_join(objectives::table.inner_join(orientations::table.inner_join(plans::table)))
        .filter(actions_table::id.eq_any(ids))
        .select((actions_table::id, plans::period_start, plans::period_end))
        .load::<(i64, chrono::NaiveDate, chrono::NaiveDate)>(conn)
        .await?;
    Ok(years
        .into_iter()
        .filter_map(|(from, start, end)| {
            earlier
                .get(&from)
                .map(|id| (*id, format!("{}-{}", start.year(), end.year())))
        })
        .collect())
}
