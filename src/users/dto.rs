use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{NewUser, UserChangeset};
use super::regions;
use crate::error::{ApiResult, ErrorCode};
use crate::i18n::Text;
use crate::security::passwords::{self, Passwords};
use crate::security::permissions::Role;
use crate::validation::Validator;

pub const DISPLAY_NAME_MAX: usize = 200;
pub const EMAIL_MAX: usize = 254;
/// What `email` accepts once trimmed: no space (ASCII white space), one `@` after a
/// non-empty local part, a dot in the domain after its first character.
pub const EMAIL_PATTERN: &str =
    r"^[ \t\n\f\r]*[^@ \t\n\f\r\x00]+@[^ \t\n\f\r.\x00][^ \t\n\f\r\x00]*\.[^ \t\n\f\r\x00]*[ \t\n\f\r]*$";

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
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub region: Option<String>,
    /// 10 to 128 characters.
    pub password: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UpdateUser {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "crate::extract::double_option")]
    #[schema(nullable)]
    pub region: Option<Option<String>>,
    /// `false` deactivates the account: its tokens stop working at once.
    pub active: Option<bool>,
    /// Sets a new password (10 to 128 characters).
    pub password: Option<String>,
}

fn email(v: &mut Validator, value: &str) -> String {
    let email = value.trim().to_owned();
    let well_formed = value.chars().count() <= EMAIL_MAX
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.'))
        && !email.contains(|c: char| c.is_ascii_whitespace() || c == '\0');
    if !well_formed {
        v.push(
            "email",
            ErrorCode::InvalidEmail,
            Text::new(
                format!("« {email} » n'est pas une adresse courriel."),
                format!("\"{email}\" is not an email address."),
            ),
        );
    }
    email
}

/// A member region, by its name (`null` for none).
fn region(v: &mut Validator, value: Option<&str>) -> Option<String> {
    let value = value?;
    match regions::canonical(value) {
        Some(region) => Some(region.to_owned()),
        None => {
            v.push(
                "region",
                ErrorCode::UnknownRegion,
                Text::new(
                    format!(
                        "« {value} » n'est pas une région membre. Régions : {}.",
                        regions::MEMBER_REGIONS.join(", ")
                    ),
                    format!(
                        "\"{value}\" is not a member region. Regions: {}.",
                        regions::MEMBER_REGIONS.join(", ")
                    ),
                ),
            );
            None
        }
    }
}

impl CreateUser {
    /// Checks every field, then hashes the password.
    pub async fn into_form(self, passwords: &Passwords) -> ApiResult<NewUser> {
        let mut v = Validator::new();
        let email = email(&mut v, &self.email);
        let display_name = v.required_text("display_name", &self.display_name, DISPLAY_NAME_MAX);
        let region = region(&mut v, self.region.as_deref());
        passwords::check_new(&mut v, "password", &self.password);
        v.finish()?;
        Ok(NewUser {
            email,
            display_name,
            role: self.role,
            region,
            password_hash: passwords.hash(&self.password).await?,
        })
    }
}

impl UpdateUser {
    /// Checks every field, then hashes a new password if there is one.
    pub async fn into_form(self, passwords: &Passwords) -> ApiResult<UserChangeset> {
        let mut v = Validator::new();
        let display_name = self
            .display_name
            .map(|n| v.required_text("display_name", &n, DISPLAY_NAME_MAX));
        let region = self.region.map(|r| region(&mut v, r.as_deref()));
        if let Some(password) = &self.password {
            passwords::check_new(&mut v, "password", password);
        }
        v.finish()?;
        let password_hash = match &self.password {
            Some(password) => Some(passwords.hash(password).await?),
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
        let pattern = regex::Regex::new(EMAIL_PATTERN).unwrap();
        for value in [
            "ca@rqds.example",
            " ca@rqds.example ",
            "a@b.",
            "a+b@x.y.z",
            "é@ü.ca",
            "a@b@c.d",
        ] {
            let mut v = Validator::new();
            email(&mut v, value);
            assert!(v.finish().is_ok(), "{value}");
            assert!(pattern.is_match(value), "{value}");
        }
        for value in ["", "a", "@b.c", "a@.b", "a@b", "a b@c.d", "a@b c.d"] {
            let mut v = Validator::new();
            email(&mut v, value);
            assert!(v.finish().is_err(), "{value}");
            assert!(!pattern.is_match(value), "{value}");
        }
    }
}
