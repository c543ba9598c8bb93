//! Signing in and out: the `/auth` endpoints, which trade a password (or a refresh
//! token) for tokens, and `/me`. Checking a token on each request is `auth`'s.

pub mod attempts;
pub mod dto;
pub mod routes;
pub mod service;

pub use routes::routes;
