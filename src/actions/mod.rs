//! Actions: what is done for an objective, with its état d'avancement (status and note).

pub mod assignees;
pub mod dto;
pub mod model;
pub mod progress;
pub mod routes;
pub mod status;

pub use routes::routes;
