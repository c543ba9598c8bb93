//! `GET /plans/{id}/calendar`: the deadline periods of a plan that fall in a window, in order.

use chrono::NaiveDate;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Date, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::reading::parser::DeadlineKind;
use crate::error::ApiResult;
use crate::progress::ActionStatus;

/// One period of one deadline, with what it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, QueryableByName, ToSchema)]
pub struct CalendarEntry {
    #[diesel(sql_type = Date)]
    #[schema(example = "2013-11-01")]
    pub start: NaiveDate,
    #[diesel(sql_type = Date)]
    #[schema(example = "2013-11-30")]
    pub end: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub deadline_id: i64,
    #[diesel(sql_type = Text)]
    #[schema(example = "Novembre 2013")]
    pub label: String,
    #[diesel(sql_type = Text)]
    pub kind: DeadlineKind,
    #[diesel(sql_type = Text)]
    #[schema(example = "novembre 2013")]
    pub rendering: String,
    /// Null for the deadline of an objective without action.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub action_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub action_title: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub action_status: Option<ActionStatus>,
    #[diesel(sql_type = BigInt)]
    pub objective_id: i64,
    #[diesel(sql_type = Text)]
    pub objective_title: String,
}

/// Periods overlapping `from..=to`, by start then end.
pub async fn calendar(
    conn: &mut AsyncPgConnection,
    plan_id: crate::ids::PlanId,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Vec<CalendarEntry>> {
    Ok(diesel::sql_query(
        "SELECT p.starts_on AS start, p.ends_on AS \"end\", d.id AS deadline_id, d.label, d.kind, d.rendering,
                a.id AS action_id, a.title AS action_title, a.status AS action_status,
                b.id AS objective_id, b.title AS objective_title
           FROM deadline_periods p
           JOIN deadlines d ON d.id = p.deadline_id
           LEFT JOIN actions a ON a.id = d.action_id
           JOIN objectives b ON b.id = coalesce(d.objective_id, a.objective_id)
           JOIN orientations o ON o.id = b.orientation_id
          WHERE o.plan_id = $1 AND p.starts_on <= $3 AND p.ends_on >= $2
          ORDER BY p.starts_on, p.ends_on, o.position, b.position, a.position, d.position",
    )
    .bind::<BigInt, _>(plan_id)
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)
    .await?)
}
