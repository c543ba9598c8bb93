use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::expiry::Asked;
use super::model::ApiToken;
use crate::error::ApiResult;
use crate::security::permissions::Role;
use crate::security::token_secret::TokenScope;
use crate::users::dto::DisplayName;
use crate::validation::Validator;
use crate::validation::bounded::{Email, Required};

pub type TokenName = Required<100>;

/// A token to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Tableau de bord régional", "scope": "read", "expires_on": "2014-03-31"}))]
pub struct CreateToken {
    /// What it is for, to recognize it in the list.
    #[schema(inline)]
    pub name: TokenName,
    /// `read`: GET requests only; `write`: whatever your role allows.
    pub scope: TokenScope,
    /// The last day it works: at most a year from today. Default: in 90 days.
    pub expires_on: Option<NaiveDate>,
    /// A token that never expires: only for a service account, made by the coordination.
    #[serde(default)]
    pub never_expires: bool,
}

/// What a token asks, checked.
pub struct TokenForm {
    pub name: String,
    pub scope: TokenScope,
    pub asked: Asked,
}

impl CreateToken {
    pub fn into_form(self) -> ApiResult<TokenForm> {
        let mut v = Validator::new();
        let name = v.required("name", &self.name);
        v.finish()?;
        let asked = match (self.never_expires, self.expires_on) {
            (true, _) => Asked::Never,
            (false, Some(day)) => Asked::Until(day),
            (false, None) => Asked::Default,
        };
        Ok(TokenForm {
            name,
            scope: self.scope,
            asked,
        })
    }
}

/// A token just made: its secret, shown this once and never again (only its SHA-256 is
/// kept), and the token as lists show it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "token": "pat_4gFfC3kQ9xZ2mN7pR1sT5vW8yB0dE6hJ2a9k1L",
    "api_token": {"id": 3, "user_id": 12, "name": "Tableau de bord régional", "scope": "read", "prefix": "pat_4gFfC3",
        "expires_at": "2014-04-01T04:00:00Z", "created_by": 12, "created_at": "2013-11-05T14:00:00Z",
        "last_used_at": null, "last_used_ip": null, "revoked_at": null}
}))]
pub struct CreatedToken {
    /// Send it as `Authorization: Bearer pat_…`. Keep it now: it is not shown again.
    pub token: String,
    pub api_token: ApiToken,
}

/// A service account: an account that cannot sign in and calls the API with tokens the
/// coordination makes for it (a nightly job of the ministry, a regional dashboard).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"display_name": "Système du MESS", "role": "observer"}))]
pub struct CreateServiceAccount {
    #[schema(inline)]
    pub display_name: DisplayName,
    /// What its tokens may do (a token never holds more than its account's role).
    pub role: Role,
    /// Where the people who run it are reached. Default: none (an address that receives
    /// nothing, `service-…@planaction.invalid`); a service account receives no mail.
    #[schema(inline)]
    pub email: Option<Email>,
}

impl CreateServiceAccount {
    pub fn check(self) -> ApiResult<(String, Role, String)> {
        let mut v = Validator::new();
        let name = v.required("display_name", &self.display_name);
        let email = self.email.map(|e| e.check(&mut v, "email"));
        v.finish()?;
        let email = email.unwrap_or_else(|| format!("service-{}@planaction.invalid", uuid::Uuid::new_v4().simple()));
        Ok((name, self.role, email))
    }
}
