//! The audit trail: who changed what, when, with the row before and after.

pub mod model;
pub mod routes;

pub use routes::routes;
