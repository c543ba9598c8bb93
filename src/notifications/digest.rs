//! Daily and weekly digests. A message held for a digest (`MailState::Held`) is claimed by
//! exactly one digest, in the transaction that queues it: no change is told twice or
//! skipped, whatever the hour, the number of instances or a change of daylight saving
//! time. A digest is queued once per person and period (its `dedup_key`); what is held
//! after it waits for the next one.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};

use crate::clock::ZONE;
use crate::db::schema::mail_outbox;
use crate::error::ApiResult;
use crate::ids::UserId;
use crate::preferences::MailFrequency;
use crate::write::outbox::{self, MailState, NoticeKind};

/// The hour digests go out, on Québec's clocks.
pub const HOUR: u32 = 7;

/// A digest: the held messages it tells, by outbox id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestNotice {
    pub frequency: MailFrequency,
    pub items: Vec<i64>,
}

/// The period whose digest is due at `now`: the latest 7 h (daily) or Monday 7 h (weekly)
/// at or before it, named by its date. Pure, and in Québec time: a day of 23 or 25 hours
/// still has one 7 h.
pub fn due_period(now: DateTime<Utc>, frequency: MailFrequency) -> Option<NaiveDate> {
    let local = now.with_timezone(&ZONE);
    let mut day = local.date_naive();
    if local.time() < NaiveTime::from_hms_opt(HOUR, 0, 0)? {
        day = day.pred_opt()?;
    }
    match frequency {
        MailFrequency::Daily => Some(day),
        MailFrequency::Weekly => {
            let back = i64::from(day.weekday().num_days_from_monday());
            Some(day - Duration::days(back))
        }
        MailFrequency::Immediate | MailFrequency::Never => None,
    }
}

/// When the digest of `period` goes out (7 h that day, Québec time).
pub fn sent_at(period: NaiveDate) -> DateTime<Utc> {
    let at = period.and_time(NaiveTime::from_hms_opt(HOUR, 0, 0).unwrap_or(NaiveTime::MIN));
    ZONE.from_local_datetime(&at)
        .earliest()
        .map_or_else(|| at.and_utc(), |local| local.with_timezone(&Utc))
}

/// Queues the digests due at `now`; returns how many.
pub async fn queue_due(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> ApiResult<usize> {
    // Only accounts choose digests: an address's messages are never held.
    let people: Vec<UserId> = mail_outbox::table
        .filter(mail_outbox::state.eq(MailState::Held))
        .select(mail_outbox::recipient_id)
        .distinct()
        .load::<Option<UserId>>(conn)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut queued = 0;
    for person in people {
        queued += conn
            .transaction(async |conn| queue_for(conn, person, now).await)
            .await?;
    }
    Ok(queued)
}

async fn queue_for(conn: &mut AsyncPgConnection, person: UserId, now: DateTime<Utc>) -> ApiResult<usize> {
    // Locked: another instance's pass skips them, and so no row is in two digests.
    let held: Vec<(i64, NoticeKind)> = mail_outbox::table
        .filter(mail_outbox::recipient_id.eq(person))
        .filter(mail_outbox::state.eq(MailState::Held))
        .order(mail_outbox::id)
        .select((mail_outbox::id, mail_outbox::kind))
        .for_update()
        .skip_locked()
        .load(conn)
        .await?;
    let frequencies = crate::preferences::model::frequencies(conn, person).await?;
    let mut by_frequency: std::collections::BTreeMap<MailFrequency, Vec<i64>> = Default::default();
    for (id, kind) in held {
        let frequency = frequencies.get(&kind).copied().unwrap_or(MailFrequency::Immediate);
        by_frequency.entry(frequency).or_default().push(id);
    }
    let mut queued = 0;
    for (frequency, items) in by_frequency {
        let rows = mail_outbox::table.filter(mail_outbox::id.eq_any(&items));
        let Some(period) = due_period(now, frequency) else {
            // Chosen since: at once (sent on the next pass) or never.
            let state = match frequency {
                MailFrequency::Never => MailState::Dropped,
                _ => MailState::Waiting,
            };
            diesel::update(rows)
                .set(mail_outbox::state.eq(state))
                .execute(conn)
                .await?;
            continue;
        };
        let key = format!("digest {person} {} {period}", frequency.as_str());
        let notice = DigestNotice {
            frequency,
            items: items.clone(),
        };
        if !outbox::queue(conn, NoticeKind::Digest, person, &notice, Some(&key)).await? {
            // This period's digest went out already: they wait for the next.
            continue;
        }
        let digest: i64 = mail_outbox::table
            .filter(mail_outbox::dedup_key.eq(&key))
            .select(mail_outbox::id)
            .first(conn)
            .await?;
        diesel::update(rows)
            .set((
                mail_outbox::state.eq(MailState::Digested),
                mail_outbox::digest_id.eq(digest),
            ))
            .execute(conn)
            .await?;
        queued += 1;
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(local: &str) -> DateTime<Utc> {
        let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap_or_default();
        ZONE.from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn day(text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }

    #[test]
    fn the_due_period_is_the_latest_seven_o_clock_in_quebec_even_across_daylight_saving() {
        assert_eq!(
            due_period(at("2013-11-05 06:59"), MailFrequency::Daily),
            day("2013-11-04")
        );
        assert_eq!(
            due_period(at("2013-11-05 07:00"), MailFrequency::Daily),
            day("2013-11-05")
        );
        // 3 November 2013: clocks went back at 2 h (a day of 25 hours), one 7 h all the same.
        assert_eq!(
            due_period(at("2013-11-03 01:30"), MailFrequency::Daily),
            day("2013-11-02")
        );
        assert_eq!(
            due_period(at("2013-11-03 07:30"), MailFrequency::Daily),
            day("2013-11-03")
        );
        assert_eq!(
            sent_at(day("2013-11-03").unwrap_or_default()) - sent_at(day("2013-11-02").unwrap_or_default()),
            Duration::hours(25)
        );
        // 9 March 2014: forward at 2 h (23 hours).
        assert_eq!(
            sent_at(day("2014-03-09").unwrap_or_default()) - sent_at(day("2014-03-08").unwrap_or_default()),
            Duration::hours(23)
        );
        assert_eq!(
            due_period(at("2014-03-09 06:30"), MailFrequency::Daily),
            day("2014-03-08")
        );
        // Weekly: the latest Monday 7 h. 4 November 2013 was a Monday.
        assert_eq!(
            due_period(at("2013-11-04 06:00"), MailFrequency::Weekly),
            day("2013-10-28")
        );
        assert_eq!(
            due_period(at("2013-11-04 07:00"), MailFrequency::Weekly),
            day("2013-11-04")
        );
        assert_eq!(
            due_period(at("2013-11-10 23:59"), MailFrequency::Weekly),
            day("2013-11-04")
        );
        assert_eq!(due_period(at("2013-11-10 23:59"), MailFrequency::Never), None);
        // Every instant of a week of the change belongs to exactly one daily period, in order.
        let mut t = at("2013-10-30 00:00");
        let mut last = due_period(t, MailFrequency::Daily);
        while t < at("2013-11-07 00:00") {
            t += Duration::minutes(10);
            let now = due_period(t, MailFrequency::Daily);
            assert!(now >= last, "{t}");
            if now != last {
                assert_eq!(t, sent_at(now.unwrap_or_default()), "a period starts at 7 h");
            }
            last = now;
        }
    }
}
