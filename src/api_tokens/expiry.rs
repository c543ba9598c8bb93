//! When a token expires: 90 days by default, at most a year; never, only for a service
//! account and only by the coordination. Pure.

use chrono::{Duration, NaiveDate};

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::i18n::Text;
use crate::text::long_date;

pub const DEFAULT_DAYS: i64 = 90;
pub const MAX_DAYS: i64 = 366;

/// What was asked: a day (the token works until the end of it), never, or the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Default,
    Until(NaiveDate),
    Never,
}

/// Who makes the token, for whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Maker {
    /// The token's owner is a service account.
    pub for_service_account: bool,
    /// The coordination makes it (and so consents to a token that never expires).
    pub by_coordination: bool,
}

/// The last day the token works (none: it never expires), or why not.
pub fn last_day(asked: Asked, maker: Maker, today: NaiveDate) -> ApiResult<Option<NaiveDate>> {
    match asked {
        Asked::Default => Ok(Some(today + Duration::days(DEFAULT_DAYS))),
        Asked::Until(day) if day < today => Err(ApiError::invalid(
            "expires_on",
            ErrorCode::OutOfRange,
            Text::new(
                format!(
                    "« expires_on » ({}) est passé : choisissez un jour à venir.",
                    long_date(day, crate::i18n::Lang::Fr)
                ),
                format!("\"expires_on\" ({day}) is past: choose a day to come."),
            ),
        )),
        Asked::Until(day) if day > today + Duration::days(MAX_DAYS) => Err(ApiError::invalid(
            "expires_on",
            ErrorCode::OutOfRange,
            Text::new(
                "Un jeton vaut au plus un an : choisissez « expires_on » dans l'année qui vient.",
                "A token lasts at most a year: choose \"expires_on\" within the coming year.",
            ),
        )),
        Asked::Until(day) => Ok(Some(day)),
        Asked::Never if maker.for_service_account && maker.by_coordination => Ok(None),
        Asked::Never => Err(ApiError::invalid(
            "never_expires",
            ErrorCode::Invalid,
            Text::new(
                "Seul un compte de service peut avoir un jeton sans échéance, et seule la coordination le crée (POST /api/v1/users/{id}/api-tokens).",
                "Only a service account may hold a token that never expires, and only the coordination makes it (POST /api/v1/users/{id}/api-tokens).",
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    const PERSON: Maker = Maker {
        for_service_account: false,
        by_coordination: false,
    };
    const SERVICE: Maker = Maker {
        for_service_account: true,
        by_coordination: true,
    };

    #[test]
    fn ninety_days_by_default_a_year_at_most_never_only_for_a_service_account() {
        let today = day(2013, 11, 5);
        assert_eq!(
            last_day(Asked::Default, PERSON, today).ok(),
            Some(Some(day(2014, 2, 3)))
        );
        assert_eq!(
            last_day(Asked::Until(day(2014, 11, 5)), PERSON, today).ok(),
            Some(Some(day(2014, 11, 5)))
        );
        assert!(last_day(Asked::Until(day(2014, 11, 7)), PERSON, today).is_err());
        assert!(last_day(Asked::Until(day(2013, 11, 4)), PERSON, today).is_err());
        assert!(last_day(Asked::Never, PERSON, today).is_err());
        let own_service = Maker {
            by_coordination: false,
            ..SERVICE
        };
        assert!(last_day(Asked::Never, own_service, today).is_err());
        assert_eq!(last_day(Asked::Never, SERVICE, today).ok(), Some(None));
    }
}
