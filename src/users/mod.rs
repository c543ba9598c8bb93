//! User accounts: the coordination, CA members, regional delegates and partners.

pub mod dto;
pub mod model;
pub mod regions;
pub mod routes;

pub use routes::routes;
