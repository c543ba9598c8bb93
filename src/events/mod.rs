//! Named events of a plan ("AGA 2013", "Activité biannuelle de mai") and their dates:
//! a deadline that names an event resolves to its date.

pub mod dto;
pub mod model;
pub mod routes;

pub use routes::routes;
