use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{NewObjective, ObjectiveChange};
use crate::error::ApiResult;
use crate::ids::OrientationId;
use crate::validation::Validator;

pub const TITLE_MAX: usize = 500;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Alimenter le site Internet"}))]
pub struct CreateObjective {
    /// 1 to 500 characters; `*emphasis*` allowed, HTML refused.
    pub title: String,
    /// Where to insert it (1-based); last when absent.
    pub position: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"orientation_id": 3, "position": 1}))]
pub struct UpdateObjective {
    pub title: Option<String>,
    /// Move it under another orientation of the same plan.
    #[schema(value_type = Option<i64>)]
    pub orientation_id: Option<OrientationId>,
    /// New position among its (new) siblings.
    pub position: Option<i32>,
}

impl CreateObjective {
    pub fn into_form(self, orientation_id: OrientationId) -> ApiResult<NewObjective> {
        let mut v = Validator::new();
        let title = v.required_text("title", &self.title, TITLE_MAX);
        v.finish()?;
        Ok(NewObjective {
            orientation_id,
            title,
            position: self.position,
        })
    }
}

impl UpdateObjective {
    pub fn into_form(self) -> ApiResult<ObjectiveChange> {
        let mut v = Validator::new();
        let title = self.title.map(|t| v.required_text("title", &t, TITLE_MAX));
        v.finish()?;
        Ok(ObjectiveChange {
            title,
            orientation_id: self.orientation_id,
            position: self.position,
        })
    }
}
