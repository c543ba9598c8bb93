//! Accounts by email (issue 29): the coordination invites someone, who chooses a password
//! through a single-use link; a forgotten password is reset the same way; a signed-in
//! person changes theirs. The API and the page both call `service`.

pub mod dto;
pub mod links;
mod routes;
pub mod service;

pub use routes::routes;
