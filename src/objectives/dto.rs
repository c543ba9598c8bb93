use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{NewObjective, ObjectiveChange};
use crate::error::ApiResult;
use crate::ids::OrientationId;
use crate::validation::Validator;
use crate::validation::bounded::{Position, Required};

pub type Title = Required<500>;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Alimenter le site Internet"}))]
pub struct CreateObjective {
    /// `*emphasis*` allowed, HTML refused.
    #[schema(inline)]
    pub title: Title,
    /// Where to insert it (1-based); last when absent.
    #[schema(inline)]
    pub position: Option<Position>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"orientation_id": 3, "position": 1}))]
pub struct UpdateObjective {
    #[schema(inline)]
    pub title: Option<Title>,
    /// Move it under another orientation of the same plan.
    #[schema(value_type = Option<i64>)]
    pub orientation_id: Option<OrientationId>,
    /// New position among its (new) siblings.
    #[schema(inline)]
    pub position: Option<Position>,
}

impl CreateObjective {
    pub fn into_form(self, orientation_id: OrientationId) -> ApiResult<NewObjective> {
        let mut v = Validator::new();
        let title = v.required("title", &self.title);
        v.finish()?;
        Ok(NewObjective {
            orientation_id,
            title,
            position: self.position.map(Position::get),
        })
    }
}

impl UpdateObjective {
    pub fn into_form(self) -> ApiResult<ObjectiveChange> {
        let mut v = Validator::new();
        let title = self.title.map(|t| v.required("title", &t));
        v.finish()?;
        Ok(ObjectiveChange {
            title,
            orientation_id: self.orientation_id,
            position: self.position.map(Position::get),
        })
    }
}
