//! The monthly progress report for the meetings with the ministry (MESS): built from the
//! recorded status history as of a date (pure), then rendered in several formats.

pub mod build;
pub mod csv;
pub mod load;
pub mod model;
pub mod routes;

pub use routes::routes;
