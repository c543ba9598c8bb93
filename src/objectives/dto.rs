use serde::Deserialize;
use utoipa::ToSchema;

use super::model::ObjectiveChange;
use crate::error::ApiResult;
use crate::validation::Validator;

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
    pub orientation_id: Option<i64>,
    /// New position among its (new) siblings.
    pub position: Option<i32>,
}

impl CreateObjective {
    pub fn validate(self) -> ApiResult<(String, Option<i32>)> {
        let mut v = Validator::new();
        let title = v.required_text("title", &self.title, 500);
        v.finish()?;
        Ok((title, self.position))
    }
}

impl UpdateObjective {
    pub fn validate(self) -> ApiResult<ObjectiveChange> {
        let mut v = Validator::new();
        let title = self.title.map(|t| v.required_text("title", &t, 500));
        v.finish()?;
        Ok(ObjectiveChange {
            title,
            orientation_id: self.orientation_id,
            position: self.position,
        })
    }
}
