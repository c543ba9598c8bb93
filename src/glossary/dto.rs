use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{GlossaryInsertForm, GlossaryUpdateForm};
use crate::error::ApiResult;
use crate::ids::PlanId;
use crate::validation::Validator;

pub const ACRONYM_MAX: usize = 40;
pub const DEFINITION_MAX: usize = 500;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"acronym": "CRÉ", "definition": "Conférence régionale des élus"}))]
pub struct CreateGlossaryEntry {
    /// 1 to 40 characters, unique in the plan (ignoring case).
    pub acronym: String,
    /// 1 to 500 characters.
    pub definition: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"definition": "Conférence régionale des élu(e)s"}))]
pub struct UpdateGlossaryEntry {
    pub acronym: Option<String>,
    pub definition: Option<String>,
}

impl CreateGlossaryEntry {
    pub fn into_form(self, plan_id: PlanId) -> ApiResult<GlossaryInsertForm> {
        let mut v = Validator::new();
        let form = GlossaryInsertForm {
            plan_id,
            acronym: v.required_text("acronym", &self.acronym, ACRONYM_MAX),
            definition: v.required_text("definition", &self.definition, DEFINITION_MAX),
        };
        v.finish()?;
        Ok(form)
    }
}

impl UpdateGlossaryEntry {
    pub fn into_form(self) -> ApiResult<GlossaryUpdateForm> {
        let mut v = Validator::new();
        let form = GlossaryUpdateForm {
            acronym: self.acronym.map(|a| v.required_text("acronym", &a, ACRONYM_MAX)),
            definition: self
                .definition
                .map(|d| v.required_text("definition", &d, DEFINITION_MAX)),
        };
        v.finish()?;
        Ok(form)
    }
}
