//! "Today" and other dates as the RQDS sees them: in Québec time.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::America::Montreal;

/// Today's date in Québec.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&Montreal).date_naive()
}

/// The day an instant falls on in Québec.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Montreal).date_naive()
}
