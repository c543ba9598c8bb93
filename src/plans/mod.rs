//! Plans d'action: one per fiscal year (July to June for the RQDS).

pub mod document;
pub mod dto;
pub mod model;
pub mod next;
pub mod routes;
pub mod state;
pub mod tree;

pub use routes::routes;
