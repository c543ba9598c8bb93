use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::users;
use crate::error::ApiResult;
use crate::ids::{PlanId, UserId};
use crate::security::permissions::Role;
use crate::write::{Context, Edit, Insert, Versioned};

/// An account, as the API shows it (never its password hash).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    #[schema(value_type = i64)]
    pub id: UserId,
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
    /// An account that cannot sign in: it calls the API with the API tokens the
    /// coordination makes for it.
    pub service_account: bool,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChangeset {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub region: Option<Option<String>>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
    /// Set by `apply`, never by a request.
    pub tokens_revoked_at: Option<DateTime<Utc>>,
}

/// A new account, its password already hashed.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub region: Option<String>,
    pub password_hash: String,
}

impl User {
    pub async fn read(conn: &mut AsyncPgConnection, id: UserId) -> ApiResult<User> {
        crate::find_row!(conn, User, users, User, id)
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
}

impl Versioned for User {
    crate::versioned_names!(User, UserId, "users");

    async fn lock(conn: &mut AsyncPgConnection, id: UserId) -> ApiResult<User> {
        crate::find_row!(conn, User, users, User, id, for_update)
    }

    /// Accounts belong to no plan.
    async fn plan_id(&self, _: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(None)
    }

    /// Accounts are deactivated, never deleted: their name stays on what they wrote.
    async fn remove(&self, _: &mut AsyncPgConnection) -> ApiResult<()> {
        Err(anyhow::anyhow!("accounts are deactivated, not deleted").into())
    }
}

impl Insert for NewUser {
    type Row = User;

    async fn plan_id(&self, _: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(None)
    }

    async fn insert(self, conn: &mut AsyncPgConnection, _: Context<'_>) -> ApiResult<User> {
        Ok(diesel::insert_into(users::table)
            .values(&self)
            .returning(User::as_returning())
            .get_result(conn)
            .await?)
    }
}

/// A deactivated account's refresh tokens and browser sessions are revoked in the same
/// transaction, and so are those of an account whose password changed.
impl Edit<User> for UserChangeset {
    type Output = ();

    fn is_empty(&self) -> bool {
        let UserChangeset {
            display_name,
            role,
            region,
            active,
            password_hash,
            tokens_revoked_at: _,
        } = self;
        display_name.is_none() && role.is_none() && region.is_none() && active.is_none() && password_hash.is_none()
    }

    async fn apply(mut self, conn: &mut AsyncPgConnection, _: Context<'_>, before: &User) -> ApiResult<(User, ())> {
        // A new password ends the sessions the old one opened (a stolen password, changed
        // by the coordination, must lock the thief out), as a deactivation does; the access
        // tokens issued before stay refused after a re-activation.
        let revokes = (before.active && self.active == Some(false)) || self.password_hash.is_some();
        if revokes {
            self.tokens_revoked_at = Some(Utc::now());
        }
        let after: User = diesel::update(users::table.find(before.id))
            .set(&self)
            .returning(User::as_returning())
            .get_result(conn)
            .await?;
        if revokes {
            crate::auth::tokens::revoke_user(conn, after.id).await?;
        }
        Ok((after, ()))
    }
}
