use serde::Deserialize;
use utoipa::ToSchema;

use crate::security::permissions::Role;
use crate::users::dto::DisplayName;
use crate::users::regions::Region;
use crate::validation::bounded::{Email, Password};

/// Someone to invite: they receive a link, valid 7 days, to choose their password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "email": "estrie@rqds.example",
    "display_name": "Déléguée de l'Estrie",
    "role": "member",
    "region": "Estrie"
}))]
pub struct InvitationBody {
    #[schema(inline)]
    pub email: Email,
    /// The address when absent.
    #[schema(inline)]
    pub display_name: Option<DisplayName>,
    pub role: Role,
    #[schema(inline)]
    pub region: Option<Region>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "estrie@rqds.example"}))]
pub struct ResetRequest {
    #[schema(inline)]
    pub email: Email,
}

/// The token of an invitation or reset link, and the password chosen.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "mZ4b0oQv1c3Xn3m2kq0Xj5x8b1HnK3z7QpS2Lr9dFhE", "password": "une phrase de passe assez longue"}))]
pub struct SetPassword {
    pub token: String,
    #[schema(inline)]
    pub password: Password,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "une phrase de passe assez longue", "new_password": "une autre phrase, plus longue encore"}))]
pub struct ChangePassword {
    pub current_password: String,
    #[schema(inline)]
    pub new_password: Password,
}
