use crate::ids::UserId;
use crate::security::permissions::Role;

/// Who makes a change: a signed-in user, or the system (CLI, demo loading).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<UserId>,
    /// The role the change is made with, for what the plan's state allows; `None` for the
    /// system (imports and scripts from the CLI).
    pub role: Option<Role>,
    /// The id of the HTTP request that made it, to find its log lines.
    pub request_id: Option<String>,
    /// The `X-Request-Id` the client sent, when well-formed: theirs, never taken for ours.
    pub client_request_id: Option<String>,
    /// The API token the change was made with, named by the audit row.
    pub api_token_id: Option<crate::ids::ApiTokenId>,
}

impl Actor {
    pub fn system() -> Actor {
        Actor::default()
    }
}
