//! The monthly progress report for the meetings with the ministry (MESS): built from the
//! recorded status history as of a date (pure), then rendered in several formats.

pub mod build;
pub mod csv;
pub mod diff;
pub mod dto;
pub mod html;
pub mod labels;
pub mod load;
pub mod model;
pub mod pdf;
pub mod render;
pub mod routes;
pub mod saved;
pub mod service;
pub mod xlsx;

pub use routes::routes;
