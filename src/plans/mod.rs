//! Plans d'action: one per fiscal year (July to June for the RQDS).

pub mod draft;
pub mod dto;
pub mod model;
pub mod routes;
pub mod store;
pub mod tree;

pub use routes::routes;
