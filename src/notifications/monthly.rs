//! The monthly report on schedule: from its day of the month on, each plan's previous month
//! is saved once (by the system, as `POST /plans/{id}/reports` saves it); saving it tells
//! the coordination and the board that it waits for their sign-off, and signing it off
//! sends it to the schedule's recipients (both through the write path's outbox).

use chrono::NaiveDate;
use diesel_async::AsyncPgConnection;

use crate::error::ApiResult;
use crate::reports::saved::SavedReport;
use crate::schedules::{ReportSchedule, month_due};

/// Saves the reports due on `day`; returns how many were new.
pub async fn save_due(conn: &mut AsyncPgConnection, day: NaiveDate) -> ApiResult<usize> {
    let mut saved = 0;
    for (schedule, plan) in ReportSchedule::all(conn).await? {
        let Some(month) = month_due(schedule.day_of_month, plan, day) else {
            continue;
        };
        match SavedReport::save_scheduled(conn, schedule.plan_id, month, schedule.lang).await {
            Ok(Some(report)) => {
                tracing::info!(plan = %schedule.plan_id, report = %report.id, "monthly report saved");
                saved += 1;
            }
            Ok(None) => {}
            // One plan's trouble does not hold the others' reports.
            Err(error) => tracing::warn!(plan = %schedule.plan_id, %error, "monthly report not saved"),
        }
    }
    Ok(saved)
}
