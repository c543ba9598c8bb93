//! "Today" and other dates as the RQDS sees them: in Québec time.

use chrono::{NaiveDate, Utc};
use chrono_tz::America::Montreal;

/// Today's date in Québec.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&Montreal).date_naive()
}
