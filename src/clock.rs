//! "Today" and other dates as the RQDS sees them: in Québec time.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// Québec's time zone: the only one the network's dates are written in.
pub const ZONE: Tz = chrono_tz::America::Montreal;

/// Today's date in Québec.
pub fn today() -> NaiveDate {
    local(Utc::now()).date_naive()
}

/// An instant on Québec's clocks.
pub fn local(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&ZONE)
}

/// The day an instant falls on in Québec.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    local(at).date_naive()
}

/// Midnight in Québec at the start of `date` (the earlier one on a day clocks go back).
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    ZONE.from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |local| local.with_timezone(&Utc))
}
