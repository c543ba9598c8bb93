//! The people responsible for reporting on an action (they may update its status).

pub mod dto;
pub mod model;
pub mod routes;

pub use routes::routes;
