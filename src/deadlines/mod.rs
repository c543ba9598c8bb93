//! Échéancier: the deadlines of an action (or of an objective that has no action),
//! each label kept exactly as written.

pub mod calendar;
pub mod dto;
pub mod model;
pub mod reading;
pub mod routes;
pub mod understanding;

pub use routes::routes;
