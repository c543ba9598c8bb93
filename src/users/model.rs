use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::regions;
use crate::audit::{self, Actor, Change};
use crate::auth::passwords::{self, Passwords};
use crate::auth::permissions::Role;
use crate::db::schema::users;
use crate::error::{ApiError, ApiResult, Entity, OrNotFound};
use crate::etag::IfMatch;
use crate::i18n::Text;
use crate::validation::Validator;

/// An account, as the API shows it (never its password hash).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize, ToSchema)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    pub id: i64,
    #[schema(example = "coordination@rqds.example")]
    pub email: String,
    #[schema(example = "Coordination du RQDS")]
    pub display_name: String,
    pub role: Role,
    /// One of the 16 member regions, for regional delegates.
    #[schema(example = "Estrie")]
    pub region: Option<String>,
    pub active: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

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

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
struct UserChangeset {
    display_name: Option<String>,
    role: Option<Role>,
    region: Option<Option<String>>,
    active: Option<bool>,
    password_hash: Option<String>,
}

fn email(v: &mut Validator, value: &str) -> String {
    let email = value.trim().to_owned();
    let well_formed = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.'))
        && !email.contains(char::is_whitespace);
    if !well_formed {
        v.push(
            "email",
            "invalid_email",
            Text::new(
                format!("« {email} » n'est pas une adresse courriel."),
                format!("\"{email}\" is not an email address."),
            ),
        );
    }
    email
}

fn region(v: &mut Validator, value: Option<&str>) -> Option<String> {
    let value = value.map(str::trim).filter(|r| !r.is_empty())?;
    match regions::canonical(value) {
        Some(region) => Some(region.to_owned()),
        None => {
            v.push(
                "region",
                "unknown_region",
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

impl User {
    pub async fn read(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<User> {
        users::table
            .find(id)
            .select(User::as_select())
            .first(conn)
            .await
            .or_not_found(Entity::User, id)
    }

    /// The account and its password hash, by email (any case).
    pub async fn by_email(conn: &mut AsyncPgConnection, email: &str) -> ApiResult<Option<(User, String)>> {
        Ok(users::table
            .filter(crate::db::lower(users::email).eq(email.trim().to_lowercase()))
            .select((User::as_select(), users::password_hash))
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn list(conn: &mut AsyncPgConnection) -> ApiResult<Vec<User>> {
        Ok(users::table
            .order(users::id)
            .select(User::as_select())
            .load(conn)
            .await?)
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        passwords: &Passwords,
        actor: &Actor,
        body: CreateUser,
    ) -> ApiResult<User> {
        let mut v = Validator::new();
        let email = email(&mut v, &body.email);
        let display_name = v.required_text("display_name", &body.display_name, 200);
        let region = region(&mut v, body.region.as_deref());
        passwords::check_new(&mut v, "password", &body.password);
        v.finish()?;
        let hash = passwords.hash(&body.password).await?;
        conn.transaction(async |conn| {
            let user = diesel::insert_into(users::table)
                .values((
                    users::email.eq(&email),
                    users::display_name.eq(&display_name),
                    users::role.eq(body.role),
                    users::region.eq(&region),
                    users::password_hash.eq(&hash),
                ))
                .returning(User::as_returning())
                .get_result(conn)
                .await?;
            audit::record(conn, actor, Change::created("user", user.id, None, &user)).await?;
            Ok::<_, ApiError>(user)
        })
        .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        passwords: &Passwords,
        actor: &Actor,
        id: i64,
        expected: IfMatch,
        body: UpdateUser,
    ) -> ApiResult<User> {
        let mut v = Validator::new();
        let display_name = body.display_name.map(|n| v.required_text("display_name", &n, 200));
        let region = body.region.map(|r| region(&mut v, r.as_deref()));
        if let Some(password) = &body.password {
            passwords::check_new(&mut v, "password", password);
        }
        v.finish()?;
        let password_hash = match &body.password {
            Some(password) => Some(passwords.hash(password).await?),
            None => None,
        };
        let changes = UserChangeset {
            display_name,
            role: body.role,
            region,
            active: body.active,
            password_hash,
        };
        conn.transaction(async |conn| {
            let before = users::table
                .find(id)
                .select(User::as_select())
                .for_update()
                .first(conn)
                .await
                .or_not_found(Entity::User, id)?;
            expected.check(before.version)?;
            let after: User = diesel::update(users::table.find(id))
                .set((&changes, users::updated_at.eq(users::updated_at)))
                .returning(User::as_returning())
                .get_result(conn)
                .await?;
            if after.version != before.version {
                audit::record(conn, actor, Change::updated("user", id, None, &before, &after)).await?;
            }
            if !after.active {
                crate::auth::tokens::revoke_user(conn, id).await?;
            }
            Ok::<_, ApiError>(after)
        })
        .await
    }
}
