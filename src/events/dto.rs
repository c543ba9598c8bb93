use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{EventChange, NewEvent};
use crate::error::ApiResult;
use crate::ids::PlanId;
use crate::validation::Validator;

pub const NAME_MAX: usize = 200;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "AGA 2013", "on_date": "2013-11-22"}))]
pub struct EventBody {
    /// 1 to 200 characters, unique in the plan.
    pub name: String,
    pub on_date: NaiveDate,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"on_date": "2013-11-29"}))]
pub struct UpdateEvent {
    pub name: Option<String>,
    pub on_date: Option<NaiveDate>,
}

impl EventBody {
    pub fn into_form(self, plan_id: PlanId) -> ApiResult<NewEvent> {
        let mut v = Validator::new();
        let name = v.required_text("name", &self.name, NAME_MAX);
        v.finish()?;
        Ok(NewEvent {
            plan_id,
            name,
            on_date: self.on_date,
        })
    }
}

impl UpdateEvent {
    pub fn into_form(self) -> ApiResult<EventChange> {
        let mut v = Validator::new();
        let name = self.name.map(|n| v.required_text("name", &n, NAME_MAX));
        v.finish()?;
        Ok(EventChange {
            name,
            on_date: self.on_date,
        })
    }
}
