use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{EventChange, EventKind, NewEvent};
use crate::error::ApiResult;
use crate::ids::PlanId;
use crate::validation::Validator;
use crate::validation::bounded::Required;

pub type Name = Required<200>;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "CA de novembre", "on_date": "2013-11-20", "kind": "ca_meeting"}))]
pub struct EventBody {
    /// Unique in the plan.
    #[schema(inline)]
    pub name: Name,
    pub on_date: NaiveDate,
    /// `other` when absent.
    #[serde(default)]
    pub kind: Option<EventKind>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"on_date": "2013-11-29"}))]
pub struct UpdateEvent {
    #[schema(inline)]
    pub name: Option<Name>,
    pub on_date: Option<NaiveDate>,
    pub kind: Option<EventKind>,
}

impl EventBody {
    pub fn into_form(self, plan_id: PlanId) -> ApiResult<NewEvent> {
        let mut v = Validator::new();
        let name = v.required("name", &self.name);
        v.finish()?;
        Ok(NewEvent {
            plan_id,
            name,
            on_date: self.on_date,
            kind: self.kind.unwrap_or(EventKind::Other),
        })
    }
}

impl UpdateEvent {
    pub fn into_form(self) -> ApiResult<EventChange> {
        let mut v = Validator::new();
        let name = self.name.map(|n| v.required("name", &n));
        v.finish()?;
        Ok(EventChange {
            name,
            on_date: self.on_date,
            kind: self.kind,
        })
    }
}
