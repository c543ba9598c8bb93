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
    Ok(ReportInput {
        tree: assemble(rows),
        history,
        authors,
        previous,
    })
}
