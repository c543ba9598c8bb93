//! Échéancier: the deadlines of an action (or of an objective that has no action),
//! each label kept exactly as written.

pub mod calendar;
pub mod dto;
mod grammar;
pub mod labels;
mod lexer;
pub mod meaning;
pub mod model;
pub mod parser;
mod periods;
pub mod routes;
pub mod understanding;

pub use routes::routes;
#[cfg(test)]
pub mod corpus;
