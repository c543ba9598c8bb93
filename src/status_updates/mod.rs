//! Status history: one row per change of an action's status, note or progress.
//! Rows are only ever added (a trigger refuses updates).

pub mod model;
pub mod routes;

pub use routes::routes;
