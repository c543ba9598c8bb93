//! Who is calling: the bearer token checked once per request (`AuthUser`), and the
//! rotating refresh tokens. Signing in is `sessions`'s; roles are in `security`.

pub mod authorized;
pub mod extractor;
pub mod tokens;

pub use crate::security::permissions::{Permission, Role};
pub use authorized::{Authorized, Hidden};
pub use extractor::{AuthUser, client_request_id};
