//! `Authorized<P>`: the signed-in user, known to hold permission `P`. A handler that takes
//! it says in its signature who may call it; `#[endpoint]` reads that signature into the
//! OpenAPI document, and the role × operation test reads the document.

use std::marker::PhantomData;
use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::{Ready, ready};

use super::AuthUser;
use crate::entity::Entity;
use crate::error::ApiError;
use crate::security::permissions::Permission;

/// A permission as a type.
pub trait Requirement {
    const PERMISSION: Permission;
    /// What `Hidden<Self>` answers 404 about: the item named by the path's `{id}`.
    const HIDES: Entity = Entity::Plan;
    /// 404 instead of 403 (`Hidden`).
    const HIDDEN: bool = false;
}

/// The permission `P`, refused with 404 rather than 403: the caller may not even learn
/// that the item exists (user accounts).
pub struct Hidden<P>(PhantomData<P>);

impl<P: Requirement> Requirement for Hidden<P> {
    const PERMISSION: Permission = P::PERMISSION;
    const HIDES: Entity = P::HIDES;
    const HIDDEN: bool = true;
}

macro_rules! requirements {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("The permission `", stringify!($name), "`, as a type.")]
            pub struct $name;
            impl Requirement for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*
    };
}

requirements!(
    ReadPlans,
    EditPlans,
    UpdateAssignedStatus,
    AdoptPlans,
    ClosePlans,
    Comment,
    ReadReports,
    ProduceReports,
    SaveReports,
    SignOffReports,
    ReadAudit,
);

/// Accounts are hidden from whoever may not manage them.
pub struct ManageUsers;
impl Requirement for ManageUsers {
    const PERMISSION: Permission = Permission::ManageUsers;
    const HIDES: Entity = Entity::User;
}

pub struct Authorized<P> {
    user: AuthUser,
    _permission: PhantomData<P>,
}

impl<P> Deref for Authorized<P> {
    type Target = AuthUser;

    fn deref(&self) -> &AuthUser {
        &self.user
    }
}

impl<P> Authorized<P> {
    pub fn into_user(self) -> AuthUser {
        self.user
    }
}

impl<P: Requirement> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let checked = AuthUser::from_request(req, payload).into_inner().and_then(|user| {
            if P::HIDDEN {
                let id = req.match_info().get("id").and_then(|id| id.parse().ok()).unwrap_or(0);
                user.require_or_hide(P::PERMISSION, P::HIDES, id)?;
            } else {
                user.require(P::PERMISSION)?;
            }
            Ok(Authorized {
                user,
                _permission: PhantomData,
            })
        });
        ready(checked)
    }
}
