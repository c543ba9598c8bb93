//! `Authorized<P>`: the signed-in user, known to hold permission `P`. A handler that takes
//! it says in its signature who may call it; `#[endpoint]` reads that signature into the
//! OpenAPI document, and the role × operation test reads the document.

use std::marker::PhantomData;
use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::{Ready, ready};

use super::AuthUser;
use crate::error::ApiError;
use crate::security::permissions::Permission;

pub use crate::security::permissions::Requirement;
pub use crate::security::permissions::required::*;

/// The permission `P`, refused with 404 rather than 403: the caller may not even learn
/// that the item exists (user accounts).
pub struct Hidden<P>(PhantomData<P>);

impl<P: Requirement> Requirement for Hidden<P> {
    const PERMISSION: Permission = P::PERMISSION;
    const HIDDEN: bool = true;
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

impl<P: Requirement> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let checked = AuthUser::from_request(req, payload).into_inner().and_then(|user| {
            if P::HIDDEN {
                let id = req.match_info().get("id").and_then(|id| id.parse().ok()).unwrap_or(0);
                user.require_or_hide(P::PERMISSION, P::PERMISSION.hides(), id)?;
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
