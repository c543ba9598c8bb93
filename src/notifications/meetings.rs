//! Reminders before a CA meeting: `MEETING_DAYS` days before a plan event of kind
//! `ca_meeting`, each board member and regional delegate with actions of that plan not
//! updated since the previous meeting (or the plan's start) receives their list, once.

use chrono::{Duration, NaiveDate};
use diesel::sql_types::{Array, BigInt, Date, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::error::ApiResult;
use crate::ids::{ActionId, EventId, UserId};
use crate::write::outbox::{self, MeetingNotice, NoticeKind};

/// How many days before a CA meeting its reminder goes out.
pub const MEETING_DAYS: i64 = 7;

#[derive(diesel::QueryableByName)]
struct Stale {
    #[diesel(sql_type = BigInt)]
    event_id: i64,
    #[diesel(sql_type = BigInt)]
    user_id: i64,
    #[diesel(sql_type = BigInt)]
    action_id: i64,
    #[diesel(sql_type = Date)]
    since: NaiveDate,
}

/// The meetings within `MEETING_DAYS` after the day ($1, $2 = the day + the days), each
/// with the previous meeting of its plan (or its start); then every active board member or
/// delegate's open actions in that plan with no update effective after that.
const STALE: &str = "WITH meetings AS ( \
        SELECT e.id, e.plan_id, e.on_date, \
            COALESCE((SELECT max(p.on_date) FROM plan_events p \
                WHERE p.plan_id = e.plan_id AND p.kind = 'ca_meeting' AND p.on_date < e.on_date), pl.period_start) AS since \
        FROM plan_events e JOIN plans pl ON pl.id = e.plan_id \
        WHERE e.kind = 'ca_meeting' AND e.on_date > $1 AND e.on_date <= $2) \
    SELECT m.id AS event_id, u.id AS user_id, a.id AS action_id, m.since \
    FROM meetings m \
    JOIN orientations o ON o.plan_id = m.plan_id \
    JOIN objectives ob ON ob.orientation_id = o.id \
    JOIN actions a ON a.objective_id = ob.id \
    JOIN action_assignees aa ON aa.action_id = a.id \
    JOIN users u ON u.id = aa.user_id \
    WHERE u.active AND u.role = ANY($3) AND a.status NOT IN ('completed', 'cancelled') \
      AND NOT EXISTS (SELECT 1 FROM status_updates s WHERE s.action_id = a.id \
          AND s.previous_status IS NOT NULL AND s.effective_on > m.since) \
    ORDER BY m.id, u.id, o.position, ob.position, a.position";

/// Queues the meeting reminders due on `day`; returns how many were new.
pub async fn queue_due(conn: &mut AsyncPgConnection, day: NaiveDate) -> ApiResult<usize> {
    let roles = vec!["board", "member"];
    let stale: Vec<Stale> = diesel::sql_query(STALE)
        .bind::<Date, _>(day)
        .bind::<Date, _>(day + Duration::days(MEETING_DAYS))
        .bind::<Array<Text>, _>(roles)
        .load(conn)
        .await?;
    let mut lists: Vec<((i64, i64), MeetingNotice)> = Vec::new();
    for row in stale {
        match lists.last_mut() {
            Some((key, notice)) if *key == (row.event_id, row.user_id) => notice.actions.push(ActionId(row.action_id)),
            _ => lists.push((
                (row.event_id, row.user_id),
                MeetingNotice {
                    event: EventId(row.event_id),
                    since: row.since,
                    actions: vec![ActionId(row.action_id)],
                },
            )),
        }
    }
    let mut queued = 0;
    for ((event, user), notice) in lists {
        let key = format!("meeting {user} {event}");
        if outbox::queue(conn, NoticeKind::MeetingReminder, UserId(user), &notice, Some(&key)).await? {
            queued += 1;
        }
    }
    Ok(queued)
}
