use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{NewUser, UserChangeset};
use super::regions::Region;
use crate::error::ApiResult;
use crate::security::passwords::{self, Passwords};
use crate::security::permissions::Role;
use crate::validation::Validator;
use crate::validation::bounded::{Email, Password, Required};

pub type DisplayName = Required<200>;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "email": "estrie@rqds.example",
    "display_name": "Déléguée de l'Estrie",
    "role": "member",
    "region": "Estrie",
    "password": "une phrase de passe assez longue"
}))]
pub struct CreateUser {
    #[schema(inline)]
    pub email: Email,
    #[schema(inline)]
    pub display_name: DisplayName,
    pub role: Role,
    #[schema(inline)]
    pub region: Option<Region>,
    #[schema(inline)]
    pub password: Password,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UpdateUser {
    #[schema(inline)]
    pub display_name: Option<DisplayName>,
    pub role: Option<Role>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "crate::extract::double_option")]
    #[schema(inline, nullable)]
    pub region: Option<Option<Region>>,
    /// `false` deactivates the account: its tokens stop working at once.
    pub active: Option<bool>,
    /// Sets a new password.
    #[schema(inline)]
    pub password: Option<Password>,
}

impl CreateUser {
    /// Checks every field, then hashes the password.
    pub async fn into_form(self, passwords: &Passwords) -> ApiResult<NewUser> {
        let mut v = Validator::new();
        let email = self.email.check(&mut v, "email");
        let display_name = v.required("display_name", &self.display_name);
        let region = self.region.and_then(|r| r.check(&mut v, "region")).map(str::to_owned);
        passwords::check_new(&mut v, "password", self.password.as_str());
        v.finish()?;
        Ok(NewUser {
            email,
            display_name,
            role: self.role,
            region,
            password_hash: passwords.hash(self.password.as_str()).await?,
        })
    }
}

impl UpdateUser {
    /// Checks every field, then hashes a new password if there is one.
    pub async fn into_form(self, passwords: &Passwords) -> ApiResult<UserChangeset> {
        let mut v = Validator::new();
        let display_name = self.display_name.map(|n| v.required("display_name", &n));
        let region = self
            .region
            .map(|r| r.and_then(|r| r.check(&mut v, "region")).map(str::to_owned));
        if let Some(password) = &self.password {
            passwords::check_new(&mut v, "password", password.as_str());
        }
        v.finish()?;
        let password_hash = match &self.password {
            Some(password) => Some(passwords.hash(password.as_str()).await?),
            None => None,
        };
        Ok(UserChangeset {
            display_name,
            role: self.role,
            region,
            active: self.active,
            password_hash,
            tokens_revoked_at: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_email_pattern_is_the_check() {
        let pattern = regex::Regex::new(Email::PATTERN).unwrap();
        for value in [
            "ca@rqds.example",
            " ca@rqds.example ",
            "a@b.",
            "a+b@x.y.z",
            "é@ü.ca",
            "a@b@c.d",
        ] {
            let mut v = Validator::new();
            Email::new(value).check(&mut v, "email");
            assert!(v.finish().is_ok(), "{value}");
            assert!(pattern.is_match(value), "{value}");
        }
        for value in ["", "a", "@b.c", "a@.b", "a@b", "a b@c.d", "a@b c.d"] {
            let mut v = Validator::new();
            Email::new(value).check(&mut v, "email");
            assert!(v.finish().is_err(), "{value}");
            assert!(!pattern.is_match(value), "{value}");
        }
    }
}
