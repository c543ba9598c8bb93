//! Webhooks (Standard Webhooks 1.0): the coordination registers endpoints for the events it
//! wants (`write::events`); each change queues a delivery in its own transaction
//! (`write::webhooks`), signed and sent by `delivery` with retries, and kept in a log per
//! endpoint. Only `https` to public addresses (`address`), unless the operator allows private
//! networks.

pub mod address;
pub mod delivery;
pub mod dto;
pub mod model;
pub mod routes;
pub mod signature;

pub use routes::routes;
