use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::validation::Validator;

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
    pub fn validate(self) -> ApiResult<(String, Option<i32>)> {
        let mut v = Validator::new();
        let title = v.required_text("title", &self.title, 500);
        v.finish()?;
        Ok((title, self.position))
    }
}

impl UpdateOrientation {
    pub fn validate(self) -> ApiResult<(Option<String>, Option<i32>)> {
        let mut v = Validator::new();
        let title = self.title.map(|t| v.required_text("title", &t, 500));
        v.finish()?;
        Ok((title, self.position))
    }
}
