use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{DeadlineChange, NewDeadline, Owner};
use crate::error::ApiResult;
use crate::validation::Validator;
use crate::validation::bounded::{Position, Required};

pub type Label = Required<200>;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"label": "Automne 2013 – Hiver 2014"}))]
pub struct CreateDeadline {
    /// As people write it: `3 octobre 2013`, `Aut.13 - Hiver 14`, `En continu`.
    #[schema(inline)]
    pub label: Label,
    /// Where to insert it (1-based); last when absent.
    #[schema(inline)]
    pub position: Option<Position>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"label": "Hiver 2014", "position": 1}))]
pub struct UpdateDeadline {
    #[schema(inline)]
    pub label: Option<Label>,
    /// New position within its owner's échéancier.
    #[schema(inline)]
    pub position: Option<Position>,
}

impl CreateDeadline {
    pub fn into_form(self, owner: Owner) -> ApiResult<NewDeadline> {
        let mut v = Validator::new();
        let label = v.required("label", &self.label);
        v.finish()?;
        Ok(NewDeadline {
            owner,
            label,
            position: self.position.map(Position::get),
        })
    }
}

impl UpdateDeadline {
    pub fn into_form(self) -> ApiResult<DeadlineChange> {
        let mut v = Validator::new();
        let label = self.label.map(|l| v.required("label", &l));
        v.finish()?;
        Ok(DeadlineChange {
            label,
            position: self.position.map(Position::get),
        })
    }
}
