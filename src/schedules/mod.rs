//! The monthly report on schedule: per plan, the day of the month its previous month's
//! report is saved and sent to the board for sign-off, and who receives it once signed off
//! (people by role, and addresses that are no account, such as the ministry's).

pub mod dto;
pub mod model;
pub mod routes;

pub use model::{ReportSchedule, month_due};
pub use routes::routes;
