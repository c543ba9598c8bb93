//! Objectifs: what an orientation aims at; each holds actions (possibly none).

pub mod dto;
pub mod model;
pub mod routes;

pub use routes::routes;
