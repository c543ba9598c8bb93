use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{Plan, PlanInsertForm, PlanUpdateForm};
use crate::error::{ApiResult, ErrorCode};
use crate::extract::double_option;
use crate::i18n::Text;
use crate::lifecycle::Transition;
use crate::validation::Validator;
use crate::validation::bounded::{Optional, Required};

pub type Title = Required<300>;
pub type Organization = Required<300>;
/// The same limit, where an organization may be absent (a filter).
pub type OrganizationFilter = Optional<300>;
pub type HeadingNote = Optional<5000>;

/// A plan with its derived "Mise à jour" date.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    #[serde(flatten)]
    pub plan: Plan,
    /// Latest change anywhere in the plan ("Mise à jour"), derived, never typed.
    pub last_updated_at: DateTime<Utc>,
}

impl From<(Plan, DateTime<Utc>)> for PlanView {
    fn from((plan, last_updated_at): (Plan, DateTime<Utc>)) -> Self {
        PlanView { plan, last_updated_at }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Plan d'action 2014-2015",
    "organization": "Réseau québécois de développement social",
    "period_start": "2014-07-01",
    "period_end": "2015-06-30",
    "heading_note": "Les actions complétées ou en cours de réalisation sont indiquées en caractères gras dans le tableau."
}))]
pub struct CreatePlan {
    #[schema(inline)]
    pub title: Title,
    #[schema(inline)]
    pub organization: Organization,
    pub period_start: NaiveDate,
    /// After `period_start`.
    pub period_end: NaiveDate,
    #[schema(inline)]
    pub heading_note: Option<HeadingNote>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Plan d'action 2013-2014 (révisé)", "archived": false}))]
pub struct UpdatePlan {
    #[schema(inline)]
    pub title: Option<Title>,
    #[schema(inline)]
    pub organization: Option<Organization>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// `null` removes the note.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(inline, nullable)]
    pub heading_note: Option<Option<HeadingNote>>,
    pub archived: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PlanFilter {
    /// Only archived (`true`) or only current (`false`) plans; both when absent.
    pub archived: Option<bool>,
}

/// A plan's period must end after it starts: checked on creation, and on a change
/// against the plan as it is.
pub fn check_period(start: NaiveDate, end: NaiveDate) -> ApiResult<()> {
    let mut v = Validator::new();
    period_rule(&mut v, start, end);
    v.finish()
}

fn period_rule(v: &mut Validator, start: NaiveDate, end: NaiveDate) {
    if end <= start {
        v.push(
            "period_end",
            ErrorCode::BeforeStart,
            Text::new(
                format!("La fin de la période ({end}) doit suivre son début ({start})."),
                format!("The end of the period ({end}) must come after its start ({start})."),
            ),
        );
    }
}

impl CreatePlan {
    pub fn into_form(self) -> ApiResult<PlanInsertForm> {
        let mut v = Validator::new();
        let title = v.required("title", &self.title);
        let organization = v.required("organization", &self.organization);
        let heading_note = v.optional("heading_note", self.heading_note.as_ref());
        period_rule(&mut v, self.period_start, self.period_end);
        v.finish()?;
        Ok(PlanInsertForm {
            title,
            organization,
            period_start: self.period_start,
            period_end: self.period_end,
            heading_note,
        })
    }
}

impl UpdatePlan {
    /// Checks each field; the period's order is checked against the plan when applied.
    pub fn into_form(self) -> ApiResult<PlanUpdateForm> {
        let mut v = Validator::new();
        let title = self.title.map(|t| v.required("title", &t));
        let organization = self.organization.map(|o| v.required("organization", &o));
        let heading_note = self.heading_note.map(|note| v.optional("heading_note", note.as_ref()));
        v.finish()?;
        Ok(PlanUpdateForm {
            title,
            organization,
            period_start: self.period_start,
            period_end: self.period_end,
            heading_note,
            archived: self.archived,
        })
    }
}

pub type Resolution = Required<200>;

/// The board's adoption of a draft plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"adopted_on": "2013-09-12", "resolution": "CA-2013-09-12-03"}))]
pub struct AdoptPlan {
    /// The day of the board meeting; not in the future.
    pub adopted_on: NaiveDate,
    /// The resolution's reference.
    #[schema(inline)]
    pub resolution: Resolution,
}

/// The end of a plan's year.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"closed_on": "2014-06-30"}))]
pub struct ClosePlan {
    /// Today (Québec time) when absent; not in the future, not before the adoption.
    pub closed_on: Option<NaiveDate>,
}

fn not_in_the_future(v: &mut Validator, field: &str, day: NaiveDate) {
    let today = crate::clock::today();
    if day > today {
        v.push(
            field,
            ErrorCode::InTheFuture,
            Text::new(
                format!("La date {day} est dans le futur (nous sommes le {today})."),
                format!("The date {day} is in the future (today is {today})."),
            ),
        );
    }
}

impl AdoptPlan {
    pub fn into_transition(self) -> ApiResult<Transition> {
        let mut v = Validator::new();
        not_in_the_future(&mut v, "adopted_on", self.adopted_on);
        let resolution = v.required("resolution", &self.resolution);
        v.finish()?;
        Ok(Transition::Adopt {
            adopted_on: self.adopted_on,
            resolution,
        })
    }
}

impl ClosePlan {
    pub fn into_transition(self) -> ApiResult<Transition> {
        let closed_on = self.closed_on.unwrap_or_else(crate::clock::today);
        let mut v = Validator::new();
        not_in_the_future(&mut v, "closed_on", closed_on);
        v.finish()?;
        Ok(Transition::Close { closed_on })
    }
}
