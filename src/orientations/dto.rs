use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{NewOrientation, OrientationChange};
use crate::error::ApiResult;
use crate::ids::PlanId;
use crate::validation::Validator;
use crate::validation::bounded::{Position, Required};

pub type Title = Required<500>;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "POSITIONNER LE DÉVELOPPEMENT SOCIAL ET LE RQDS"}))]
pub struct CreateOrientation {
    #[schema(inline)]
    pub title: Title,
    /// Where to insert it (1-based); last when absent. Those after it move down.
    #[schema(inline)]
    pub position: Option<Position>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"position": 1}))]
pub struct UpdateOrientation {
    #[schema(inline)]
    pub title: Option<Title>,
    /// Move it to this position (1..=number of orientations); the others are renumbered.
    #[schema(inline)]
    pub position: Option<Position>,
}

impl CreateOrientation {
    pub fn into_form(self, plan_id: PlanId) -> ApiResult<NewOrientation> {
        let mut v = Validator::new();
        let title = v.required("title", &self.title);
        v.finish()?;
        Ok(NewOrientation {
            plan_id,
            title,
            position: self.position.map(Position::get),
        })
    }
}

impl UpdateOrientation {
    pub fn into_form(self) -> ApiResult<OrientationChange> {
        let mut v = Validator::new();
        let title = self.title.map(|t| v.required("title", &t));
        v.finish()?;
        Ok(OrientationChange {
            title,
            position: self.position.map(Position::get),
        })
    }
}
