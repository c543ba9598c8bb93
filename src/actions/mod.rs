//! Actions: what is done for an objective, with its état d'avancement (status and note),
//! and the status history that every change of it appends to.

pub mod dto;
pub mod history;
pub mod lineage;
pub mod model;
pub mod routes;

pub use routes::routes;
