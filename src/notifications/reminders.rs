//! Reminders before an échéancier ends: to each assignee, `reminder_days` (their choice,
//! 14 by default) before the end of each period a label was read as, for an action neither
//! completed nor cancelled; once per period (its `dedup_key`), whatever the passes. A label
//! with no end (`En continu`, `Sur invitation`, a frequency, one not understood) never reminds.

use chrono::NaiveDate;
use diesel::sql_types::{Array, BigInt, Date, Integer, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::deadlines::reading::parser::DeadlineKind;
use crate::error::ApiResult;
use crate::ids::{ActionId, UserId};
use crate::write::outbox::{self, Notice, NoticeKind, ReminderNotice};

/// Whether a label of this kind has an end to be reminded of.
pub fn reminds(kind: DeadlineKind) -> bool {
    !matches!(
        kind,
        DeadlineKind::Ongoing
            | DeadlineKind::OnRequest
            | DeadlineKind::Recurring
            | DeadlineKind::Undetermined
            | DeadlineKind::Unparsed
    )
}

#[derive(diesel::QueryableByName)]
struct Due {
    #[diesel(sql_type = BigInt)]
    user_id: i64,
    #[diesel(sql_type = BigInt)]
    action_id: i64,
    #[diesel(sql_type = BigInt)]
    deadline_id: i64,
    #[diesel(sql_type = Integer)]
    position: i32,
    #[diesel(sql_type = Date)]
    ends_on: NaiveDate,
    #[diesel(sql_type = Text)]
    label: String,
}

/// Every (assignee, period) whose reminder is due on `day`: the period ends on or after
/// it, within the assignee's days.
const DUE: &str = "SELECT u.id AS user_id, a.id AS action_id, d.id AS deadline_id, p.position, p.ends_on, d.label \
    FROM deadlines d \
    JOIN deadline_periods p ON p.deadline_id = d.id \
    JOIN actions a ON a.id = d.action_id \
    JOIN action_assignees aa ON aa.action_id = a.id \
    JOIN users u ON u.id = aa.user_id \
    WHERE u.active AND a.status NOT IN ('completed', 'cancelled') AND d.kind = ANY($2) \
      AND p.ends_on >= $1 AND p.ends_on - u.reminder_days <= $1 \
    ORDER BY u.id, a.id, d.id, p.position";

/// Queues the reminders due on `day`; returns how many were new.
pub async fn queue_due(conn: &mut AsyncPgConnection, day: NaiveDate) -> ApiResult<usize> {
    let kinds: Vec<&str> = DeadlineKind::ALL
        .iter()
        .filter(|k| reminds(**k))
        .map(|k| k.as_str())
        .collect();
    let due: Vec<Due> = diesel::sql_query(DUE)
        .bind::<Date, _>(day)
        .bind::<Array<Text>, _>(kinds)
        .load(conn)
        .await?;
    let mut queued = 0;
    for due in due {
        let notice = Notice {
            reminder: Some(ReminderNotice {
                label: due.label,
                ends_on: due.ends_on,
                as_of: day,
            }),
            ..Notice::of(ActionId(due.action_id), None)
        };
        // The period's end is in the key: a label changed since reminds of its new end.
        let key = format!(
            "reminder {} {} {} {}",
            due.user_id, due.deadline_id, due.position, due.ends_on
        );
        if outbox::queue(
            conn,
            NoticeKind::DeadlineReminder,
            UserId(due.user_id),
            &notice,
            Some(&key),
        )
        .await?
        {
            queued += 1;
        }
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_labels_with_an_end_remind() {
        for kind in [
            DeadlineKind::Date,
            DeadlineKind::Part,
            DeadlineKind::Season,
            DeadlineKind::Range,
            DeadlineKind::Event,
        ] {
            assert!(reminds(kind), "{kind:?}");
        }
        for kind in [
            DeadlineKind::Ongoing,
            DeadlineKind::OnRequest,
            DeadlineKind::Recurring,
            DeadlineKind::Unparsed,
        ] {
            assert!(!reminds(kind), "{kind:?}");
        }
    }
}
