//! Importing a plan document in the table format of the RQDS plans
//! (`data/plan-action-2013-2014.txt`): a pure parse, then one all-or-nothing transaction.

pub mod cells;
pub mod parse;
pub mod routes;
pub mod store;

pub use routes::routes;

/// Used when the document does not name its organization (the RQDS plans do not).
pub const DEFAULT_ORGANIZATION: &str = "Réseau québécois de développement social";

/// The real 2013–2014 plan, the demo data of `serve --demo`.
pub const SEED_PLAN: &str = include_str!("../../data/plan-action-2013-2014.txt");
