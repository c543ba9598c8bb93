//! Liste des sigles et acronymes of a plan (CRÉ, MESS, RQRI, SACAIS…).

pub mod dto;
pub mod model;
pub mod routes;

pub use routes::routes;
