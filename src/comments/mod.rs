//! Comments on actions: authored, editable by their author only.

pub mod dto;
pub mod model;
pub mod routes;

pub use routes::routes;
