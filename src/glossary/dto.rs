use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{GlossaryInsertForm, GlossaryUpdateForm};
use crate::error::ApiResult;
use crate::ids::PlanId;
use crate::validation::Validator;
use crate::validation::bounded::Required;

pub type Acronym = Required<40>;
pub type Definition = Required<500>;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"acronym": "CRÉ", "definition": "Conférence régionale des élus"}))]
pub struct CreateGlossaryEntry {
    /// Unique in the plan (ignoring case).
    #[schema(inline)]
    pub acronym: Acronym,
    #[schema(inline)]
    pub definition: Definition,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"definition": "Conférence régionale des élu(e)s"}))]
pub struct UpdateGlossaryEntry {
    #[schema(inline)]
    pub acronym: Option<Acronym>,
    #[schema(inline)]
    pub definition: Option<Definition>,
}

impl CreateGlossaryEntry {
    pub fn into_form(self, plan_id: PlanId) -> ApiResult<GlossaryInsertForm> {
        let mut v = Validator::new();
        let form = GlossaryInsertForm {
            plan_id,
            acronym: v.required("acronym", &self.acronym),
            definition: v.required("definition", &self.definition),
        };
        v.finish()?;
        Ok(form)
    }
}

impl UpdateGlossaryEntry {
    pub fn into_form(self) -> ApiResult<GlossaryUpdateForm> {
        let mut v = Validator::new();
        let form = GlossaryUpdateForm {
            acronym: self.acronym.map(|a| v.required("acronym", &a)),
            definition: self.definition.map(|d| v.required("definition", &d)),
        };
        v.finish()?;
        Ok(form)
    }
}
