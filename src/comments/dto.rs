use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{CommentText, NewComment};
use crate::error::ApiResult;
use crate::ids::{ActionId, UserId};
use crate::validation::Validator;
use crate::validation::bounded::Required;

pub type Body = Required<5000>;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Rencontre avec la CRÉ de l'Estrie confirmée pour le 12 novembre."}))]
pub struct CommentBody {
    #[schema(inline)]
    pub body: Body,
}

impl CommentBody {
    fn text(self) -> ApiResult<String> {
        let mut v = Validator::new();
        let body = v.required("body", &self.body);
        v.finish()?;
        Ok(body)
    }

    pub fn into_new(self, action_id: ActionId, author_id: UserId) -> ApiResult<NewComment> {
        Ok(NewComment {
            action_id,
            author_id,
            body: self.text()?,
        })
    }

    pub fn into_edit(self) -> ApiResult<CommentText> {
        Ok(CommentText(self.text()?))
    }
}
