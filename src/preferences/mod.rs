//! What each person chose to receive, and how: per kind of mail, at once, in a daily or
//! weekly digest, or never; a default per role that the coordination sets; their language
//! and how many days before an échéancier ends they are reminded.

pub mod dto;
pub mod model;
mod routes;

pub use model::{MailFrequency, frequency_of};
pub use routes::{routes, unknown_link};
