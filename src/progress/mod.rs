//! État d'avancement: an action's status and its measurable progress, as values.

pub mod measure;
pub mod status;

pub use measure::Progress;
pub use status::ActionStatus;
