//! Typed ids, so that a plan id cannot be passed where an action id is expected
//! (as Lemmy does with diesel). On the wire and in the OpenAPI document they are
//! plain integers.

use diesel_derive_newtype::DieselNewType;
use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, DieselNewType)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    )+};
}

ids! {
    PlanId,
    OrientationId,
    ObjectiveId,
    ActionId,
    DeadlineId,
    StatusUpdateId,
    CommentId,
    GlossaryEntryId,
    EventId,
    UserId,
    SavedReportId,
    ReportScheduleId,
    ApiTokenId,
    CalendarFeedId,
    WebhookId,
}
