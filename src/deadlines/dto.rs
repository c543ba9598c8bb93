use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{DeadlineChange, NewDeadline, Owner};
use crate::error::ApiResult;
use crate::validation::Validator;

pub const LABEL_MAX: usize = 200;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"label": "Automne 2013 – Hiver 2014"}))]
pub struct CreateDeadline {
    /// As people write it: `3 octobre 2013`, `Aut.13 - Hiver 14`, `En continu`. 1 to 200 characters.
    pub label: String,
    /// Where to insert it (1-based); last when absent.
    pub position: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"label": "Hiver 2014", "position": 1}))]
pub struct UpdateDeadline {
    pub label: Option<String>,
    /// New position within its owner's échéancier.
    pub position: Option<i32>,
}

fn label(v: &mut Validator, value: &str) -> String {
    v.required_text("label", value, LABEL_MAX)
}

impl CreateDeadline {
    pub fn into_form(self, owner: Owner) -> ApiResult<NewDeadline> {
        let mut v = Validator::new();
        let label = label(&mut v, &self.label);
        v.finish()?;
        Ok(NewDeadline {
            owner,
            label,
            position: self.position,
        })
    }
}

impl UpdateDeadline {
    pub fn into_form(self) -> ApiResult<DeadlineChange> {
        let mut v = Validator::new();
        let label = self.label.map(|l| label(&mut v, &l));
        v.finish()?;
        Ok(DeadlineChange {
            label,
            position: self.position,
        })
    }
}
