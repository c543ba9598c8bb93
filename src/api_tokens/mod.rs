//! API tokens: how another system (a nightly job of the ministry, a regional dashboard, a
//! spreadsheet macro) calls the API without anybody's password. A person makes tokens for
//! themselves; the coordination makes them for service accounts, accounts that cannot sign
//! in. `Authorization: Bearer pat_…` works wherever a JWT works (`auth::extractor`), with
//! its owner's role, never more, and the audit names the token.

pub mod dto;
pub mod expiry;
pub mod model;
pub mod routes;

pub use routes::routes;
