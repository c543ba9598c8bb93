//! What report requests carry, and their checks: the period asked for, the download
//! format, a report to save, a sign-off.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::build::ReportPeriod;
use crate::error::{ApiResult, ErrorCode};
use crate::i18n::{Lang, Text};
use crate::validation::Validator;

/// The meeting or resolution that approved a report.
pub type MeetingReference = crate::validation::bounded::Required<300>;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// First day (default: the first day of the previous month, or of the plan's last month
    /// once the plan has ended).
    #[param(example = "2013-10-01")]
    pub since: Option<NaiveDate>,
    /// Last day (default: the last day of that month).
    #[param(example = "2013-10-31")]
    pub until: Option<NaiveDate>,
    /// Statuses as they stood at the end of this day (default: `until`).
    pub as_of: Option<NaiveDate>,
    /// Labels in French (default) or English.
    pub lang: Option<Lang>,
    /// CSV only (other formats ignore it): `comma` (default, RFC 4180, for programs) or
    /// `semicolon` (for Excel in a French locale, which otherwise opens the file in one column).
    pub separator: Option<CsvSeparator>,
}

/// The field separator of a CSV file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CsvSeparator {
    #[default]
    Comma,
    Semicolon,
}

/// The separator of a saved report's CSV.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CsvParams {
    /// `comma` (default, RFC 4180, for programs) or `semicolon` (for Excel in a French locale).
    pub separator: Option<CsvSeparator>,
}

impl ReportParams {
    pub fn period(&self, defaults: ReportPeriod) -> ApiResult<ReportPeriod> {
        let mut v = Validator::new();
        let period = match (self.since, self.until) {
            (None, None) => defaults,
            (Some(from), Some(to)) => ReportPeriod { from, to, as_of: to },
            _ => {
                v.push(
                    "since",
                    ErrorCode::IncompletePeriod,
                    Text::new(
                        "Donnez « since » et « until » ensemble, ou ni l'un ni l'autre (le mois précédent).",
                        "Give \"since\" and \"until\" together, or neither (the previous month).",
                    ),
                );
                ReportPeriod::previous_month(crate::clock::today())
            }
        };
        let period = ordered(period, &mut v);
        v.finish()?;
        Ok(ReportPeriod {
            as_of: self.as_of.unwrap_or(period.as_of),
            ..period
        })
    }
}

/// 422 when the period ends before it starts.
fn ordered(period: ReportPeriod, v: &mut Validator) -> ReportPeriod {
    if period.to < period.from {
        v.push(
            "until",
            ErrorCode::BeforeStart,
            Text::new(
                format!(
                    "La fin de la période ({}) précède son début ({}).",
                    period.to, period.from
                ),
                format!(
                    "The end of the period ({}) comes before its start ({}).",
                    period.to, period.from
                ),
            ),
        );
    }
    period
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"since": "2013-10-01", "until": "2013-10-31"}))]
pub struct SaveReport {
    /// Default: the day after the last saved report's last day (its following month), else
    /// the first day of the previous month (of the plan's last month once the plan has ended).
    pub since: Option<NaiveDate>,
    /// Default: the last day of that month. The period must be over: `until` before today.
    pub until: Option<NaiveDate>,
    /// Default: `until`.
    pub as_of: Option<NaiveDate>,
    /// Default: `fr`.
    pub lang: Option<Lang>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"meeting_reference": "CA du 4 novembre 2013, résolution 2013-11-04-03", "signed_on": "2013-11-04"}))]
pub struct SignOffRequest {
    /// The meeting or resolution that approved the report.
    #[schema(inline)]
    pub meeting_reference: MeetingReference,
    /// Default: today. Not in the future, not before the report's period ends.
    pub signed_on: Option<NaiveDate>,
}

impl SaveReport {
    /// The period to freeze: each bound defaults on its own (since the last saved report).
    pub fn period(&self, defaults: ReportPeriod) -> ApiResult<ReportPeriod> {
        let mut v = Validator::new();
        let from = self.since.unwrap_or(defaults.from);
        let to = self.until.unwrap_or(defaults.to);
        let period = ordered(
            ReportPeriod {
                from,
                to,
                as_of: self.as_of.unwrap_or(to),
            },
            &mut v,
        );
        v.finish()?;
        Ok(period)
    }
}

/// The board's approval, printed in every format from then on.
pub struct SignOffForm {
    pub meeting_reference: String,
    pub on: NaiveDate,
}

impl SignOffRequest {
    pub fn into_form(self) -> ApiResult<SignOffForm> {
        let mut v = Validator::new();
        let meeting_reference = v.required("meeting_reference", &self.meeting_reference);
        let today = crate::clock::today();
        let on = self.signed_on.unwrap_or(today);
        if on > today {
            v.push(
                "signed_on",
                ErrorCode::InTheFuture,
                Text::new(
                    format!(
                        "La validation est datée du {} : le CA valide un rapport le jour de sa séance, passée.",
                        crate::text::long_date(on, crate::i18n::Lang::Fr)
                    ),
                    format!(
                        "The sign-off is dated {on}: the board signs off on the day of a meeting that has taken place."
                    ),
                ),
            );
        }
        v.finish()?;
        Ok(SignOffForm { meeting_reference, on })
    }
}
