//! Actions: what is done for an objective, with its état d'avancement (status and note).

pub mod dto;
pub mod model;
pub mod routes;
pub mod status;

pub use routes::routes;
