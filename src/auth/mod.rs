//! Sign-in (JWT access tokens, rotating refresh tokens), roles and permissions.

pub mod extractor;
pub mod jwt;
pub mod limiter;
pub mod passwords;
pub mod permissions;
pub mod routes;
pub mod tokens;

pub use extractor::AuthUser;
pub use permissions::{Permission, Role};
pub use routes::routes;
