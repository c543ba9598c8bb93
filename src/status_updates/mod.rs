//! Status updates: the état d'avancement of an action changed on purpose, with the
//! decision behind it. They are written to the action's history (`actions::history`).

pub mod dto;
pub mod routes;
pub mod service;

pub use routes::routes;
