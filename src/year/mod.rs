//! The plan's year beyond the table: next year's plan drafted from this one, and the plan
//! as the board's own Word document.

pub mod document;
pub mod next;
pub mod routes;

pub use routes::routes;
