//! Orientations: the numbered strategic directions of a plan (ORIENTATION 1 to 5).
//! Their `position` is their number.

pub mod dto;
pub mod model;
pub mod routes;

pub use routes::routes;
