use serde::Deserialize;
use utoipa::ToSchema;

use crate::ids::UserId;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": 3}))]
pub struct AddAssignee {
    #[schema(value_type = i64)]
    pub user_id: UserId,
}
