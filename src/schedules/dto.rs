use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{NewSchedule, ScheduleChange};
use crate::error::{ApiResult, ErrorCode};
use crate::i18n::{Lang, Text};
use crate::ids::PlanId;
use crate::security::permissions::Role;
use crate::validation::Validator;
use crate::validation::bounded::{Email, Int};

/// At most 28: every month has that day.
pub type DayOfMonth = Int<1, 28>;

/// How many addresses a schedule sends to.
pub const MAX_ADDRESSES: usize = 20;

/// The monthly report on schedule of a plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "day_of_month": 5,
    "recipient_roles": ["observer"],
    "recipient_addresses": ["suivi.rqds@mess.gouv.qc.ca"],
    "lang": "fr"
}))]
pub struct ScheduleBody {
    /// The day the previous month's report is saved and sent to the board for sign-off.
    #[schema(inline)]
    pub day_of_month: DayOfMonth,
    /// Every active account of these roles receives the signed-off report. Default: none.
    #[serde(default)]
    pub recipient_roles: Vec<Role>,
    /// Addresses that are no account (at most 20). Default: none.
    #[serde(default)]
    #[schema(inline, max_items = 20)]
    pub recipient_addresses: Vec<Email>,
    /// The report's language, and its message's to an address. Default: `fr`.
    pub lang: Option<Lang>,
}

/// What to change in a schedule; what is absent stays.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"recipient_addresses": ["suivi.rqds@mess.gouv.qc.ca", "direction@rqds.example"]}))]
pub struct UpdateSchedule {
    #[schema(inline)]
    pub day_of_month: Option<DayOfMonth>,
    pub recipient_roles: Option<Vec<Role>>,
    #[schema(inline, max_items = 20)]
    pub recipient_addresses: Option<Vec<Email>>,
    pub lang: Option<Lang>,
}

/// Roles once each, in the order given.
fn roles(roles: Vec<Role>) -> Vec<Role> {
    let mut seen = Vec::new();
    for role in roles {
        if !seen.contains(&role) {
            seen.push(role);
        }
    }
    seen
}

/// Addresses checked and trimmed, once each (ignoring case), at most `MAX_ADDRESSES`.
fn addresses(v: &mut Validator, addresses: &[Email]) -> Vec<String> {
    if addresses.len() > MAX_ADDRESSES {
        v.push(
            "recipient_addresses",
            ErrorCode::TooLong,
            Text::new(
                format!("Au plus {MAX_ADDRESSES} adresses : envoyez à une liste de diffusion au besoin."),
                format!("At most {MAX_ADDRESSES} addresses: send to a mailing list if needed."),
            ),
        );
        return Vec::new();
    }
    let mut checked: Vec<String> = Vec::new();
    for address in addresses {
        let address = address.check(v, "recipient_addresses");
        if !checked.iter().any(|a| a.eq_ignore_ascii_case(&address)) {
            checked.push(address);
        }
    }
    checked
}

impl ScheduleBody {
    pub fn into_form(self, plan_id: PlanId) -> ApiResult<NewSchedule> {
        let mut v = Validator::new();
        let recipient_addresses = addresses(&mut v, &self.recipient_addresses);
        v.finish()?;
        Ok(NewSchedule {
            plan_id,
            day_of_month: self.day_of_month.get(),
            recipient_roles: roles(self.recipient_roles)
                .iter()
                .map(|r| Some(r.as_str().to_owned()))
                .collect(),
            recipient_addresses: recipient_addresses.into_iter().map(Some).collect(),
            lang: self.lang.unwrap_or_default().code().to_owned(),
        })
    }
}

impl UpdateSchedule {
    pub fn into_form(self) -> ApiResult<ScheduleChange> {
        let mut v = Validator::new();
        let recipient_addresses = self.recipient_addresses.map(|a| addresses(&mut v, &a));
        v.finish()?;
        Ok(ScheduleChange {
            day_of_month: self.day_of_month.map(|d| d.get()),
            recipient_roles: self
                .recipient_roles
                .map(|r| roles(r).iter().map(|r| Some(r.as_str().to_owned())).collect()),
            recipient_addresses: recipient_addresses.map(|a| a.into_iter().map(Some).collect()),
            lang: self.lang.map(|l| l.code().to_owned()),
        })
    }
}
