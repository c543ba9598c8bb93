//! What the API and the page do with accounts by email.

use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::dto::{ChangePassword, InvitationBody, ResetRequest, SetPassword};
use super::links::{self, Purpose};
use crate::auth::tokens;
use crate::error::{ApiError, ApiResult};
use crate::etag::IfMatch;
use crate::ids::UserId;
use crate::security::passwords::{self, NOT_CHOSEN};
use crate::sessions::attempts;
use crate::sessions::dto::TokenResponse;
use crate::sessions::service::{ClientAddress, check_credentials};
use crate::state::AppState;
use crate::users::model::{NewUser, User, UserChangeset};
use crate::validation::Validator;
use crate::write::outbox::{self, NoticeKind};
use crate::write::{self, Actor, Context, Insert};

/// An account created by invitation, with its link queued in the same transaction.
struct Invitation(NewUser);

impl Insert for Invitation {
    type Row = User;

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<crate::ids::PlanId>> {
        self.0.plan_id(conn).await
    }

    async fn insert(self, conn: &mut AsyncPgConnection, ctx: Context<'_>) -> ApiResult<User> {
        let user = self.0.insert(conn, ctx).await?;
        queue_link(conn, user.id, Purpose::Invitation).await?;
        Ok(user)
    }
}

async fn queue_link(conn: &mut AsyncPgConnection, user: UserId, purpose: Purpose) -> ApiResult<()> {
    let link = links::create(conn, user, purpose).await?;
    let kind = match purpose {
        Purpose::Invitation => NoticeKind::Invitation,
        Purpose::PasswordReset => NoticeKind::PasswordReset,
    };
    outbox::queue(conn, kind, user, &outbox::LinkNotice { link }, None).await?;
    Ok(())
}

/// Creates the account, without a password, and queues its invitation.
pub async fn invite(conn: &mut AsyncPgConnection, actor: &Actor, body: InvitationBody) -> ApiResult<User> {
    let mut v = Validator::new();
    let email = body.email.check(&mut v, "email");
    let display_name = match &body.display_name {
        Some(name) => v.required("display_name", name),
        None => email.clone(),
    };
    let region = body.region.and_then(|r| r.check(&mut v, "region")).map(str::to_owned);
    v.finish()?;
    let new = NewUser {
        email,
        display_name,
        role: body.role,
        region,
        password_hash: NOT_CHOSEN.to_owned(),
    };
    write::create(conn, actor, Invitation(new)).await
}

/// Queues a reset link when `email` is an active account; the same answer, and about the
/// same work, otherwise. Counted like sign-in attempts, per address and per account.
pub async fn request_reset(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    from: &ClientAddress,
    body: ResetRequest,
) -> ApiResult<()> {
    let mut v = Validator::new();
    let email = body.email.check(&mut v, "email");
    v.finish()?;
    let account = format!("password reset {}", attempts::account_key(&email));
    // Every request counts: a reset is never a "success" that clears the count.
    attempts::reserve(conn, &state.sign_in_limits, &account, &from.0).await?;
    let found = User::by_email(conn, &email).await?;
    // A service account never gets a password: no link either.
    if let Some((user, _)) = found.filter(|(user, _)| user.active && !user.service_account) {
        conn.transaction(async |conn| queue_link(conn, user.id, Purpose::PasswordReset).await)
            .await?;
    }
    Ok(())
}

/// Sets `password` on the account of a changed password, through the write path (which
/// revokes its refresh tokens, sessions and links), and signs it in.
async fn set_and_sign_in(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    user: UserId,
    password: &crate::validation::bounded::Password,
) -> ApiResult<TokenResponse> {
    // Callers checked the new password first (each names its own field).
    let hash = state.passwords.hash(password.as_str()).await?;
    let role = User::read(conn, user).await?.role;
    let actor = Actor {
        user_id: Some(user),
        role: Some(role),
        ..Actor::default()
    };
    let change = UserChangeset {
        password_hash: Some(hash),
        ..UserChangeset::default()
    };
    let user = write::update::<User, _>(conn, &actor, user, IfMatch::Any, change).await?;
    let refresh_token = tokens::issue(conn, user.id, None).await?;
    TokenResponse::new(&state.jwt, user, refresh_token)
}

/// Uses an invitation or reset link: the password is set, the link dies, the account is
/// signed in.
pub async fn set_password(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    body: SetPassword,
) -> ApiResult<TokenResponse> {
    // The password is checked first: a refused password leaves the link usable.
    let mut v = Validator::new();
    passwords::check_new(&mut v, "password", body.password.as_str());
    v.finish()?;
    conn.transaction(async |conn| {
        let (user, _) = links::consume(conn, &body.token).await?;
        set_and_sign_in(state, conn, user, &body.password).await
    })
    .await
}

/// A signed-in person changes their password: the current one is checked as a sign-in
/// is (and counted with its failures); every other session ends.
pub async fn change_password(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    from: &ClientAddress,
    user: UserId,
    body: ChangePassword,
) -> ApiResult<TokenResponse> {
    let mut v = Validator::new();
    passwords::check_new(&mut v, "new_password", body.new_password.as_str());
    v.finish()?;
    let email = User::read(conn, user).await?.email;
    check_credentials(state, conn, from, &email, &body.current_password)
        .await
        .map_err(|e| match e {
            ApiError::Unauthorized(_) => ApiError::invalid(
                "current_password",
                crate::error::ErrorCode::Invalid,
                crate::i18n::Text::new(
                    "Le mot de passe actuel n'est pas le bon.",
                    "The current password is not right.",
                ),
            ),
            other => other,
        })?;
    conn.transaction(async |conn| set_and_sign_in(state, conn, user, &body.new_password).await)
        .await
}
