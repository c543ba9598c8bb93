use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{NewOrientation, OrientationChange};
use crate::error::ApiResult;
use crate::ids::PlanId;
use crate::validation::Validator;

pub const TITLE_MAX: usize = 500;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "POSITIONNER LE DÉVELOPPEMENT SOCIAL ET LE RQDS"}))]
pub struct CreateOrientation {
    /// 1 to 500 characters.
    pub title: String,
    /// Where to insert it (1-based); last when absent. Those after it move down.
    pub position: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"position": 1}))]
pub struct UpdateOrientation {
    pub title: Option<String>,
    /// Move it to this position (1..=number of orientations); the others are renumbered.
    pub position: Option<i32>,
}

impl CreateOrientation {
    pub fn into_form(self, plan_id: PlanId) -> ApiResult<NewOrientation> {
        let mut v = Validator::new();
        let title = v.required_text("title", &self.title, TITLE_MAX);
        v.finish()?;
        Ok(NewOrientation {
            plan_id,
            title,
            position: self.position,
        })
    }
}

impl UpdateOrientation {
    pub fn into_form(self) -> ApiResult<OrientationChange> {
        let mut v = Validator::new();
        let title = self.title.map(|t| v.required_text("title", &t, TITLE_MAX));
        v.finish()?;
        Ok(OrientationChange {
            title,
            position: self.position,
        })
    }
}
