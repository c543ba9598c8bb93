//! What PostgreSQL refuses, as errors a client can act on: a unique violation is a 409,
//! a foreign key or check violation a 422 naming the column, a lost connection a 503.

use crate::error::ErrorCode;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::ApiError;
use crate::db::TABLES;
use crate::i18n::Text;

impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        match &error {
            DieselError::DatabaseError(kind, info) => {
                let constraint = info.constraint_name().unwrap_or("");
                match kind {
                    DatabaseErrorKind::UniqueViolation => unique_violation(constraint),
                    DatabaseErrorKind::ForeignKeyViolation => ApiError::invalid(
                        column_of(constraint, "_fkey"),
                        ErrorCode::UnknownReference,
                        Text::new(
                            "Cette référence ne désigne aucun élément existant.",
                            "This reference points to nothing that exists.",
                        ),
                    ),
                    DatabaseErrorKind::CheckViolation => ApiError::invalid(
                        column_of(constraint, "_check"),
                        ErrorCode::Invalid,
                        Text::new(
                            "Valeur refusée par les règles du plan.",
                            "Value refused by the plan's rules.",
                        ),
                    ),
                    DatabaseErrorKind::NotNullViolation => ApiError::invalid(
                        info.column_name().unwrap_or("").to_owned(),
                        ErrorCode::Required,
                        Text::new("Ce champ est obligatoire.", "This field is required."),
                    ),
                    // No SQLSTATE: the connection broke under the request (server stopped).
                    DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand => {
                        ApiError::Unavailable(Text::new(
                            "la connexion à la base a été coupée",
                            "the database connection was lost",
                        ))
                    }
                    _ if info.message().contains("statement timeout") => ApiError::Unavailable(Text::new(
                        "une requête a dépassé le délai permis",
                        "a query ran past its time limit",
                    )),
                    // 57P01 and friends: the server is shutting down or starting.
                    _ if ["terminating connection", "shutting down", "starting up"]
                        .iter()
                        .any(|m| info.message().contains(m)) =>
                    {
                        ApiError::Unavailable(Text::new(
                            "le serveur de base de données s'arrête ou démarre",
                            "the database server is stopping or starting",
                        ))
                    }
                    _ => ApiError::Internal(error.into()),
                }
            }
            _ => ApiError::Internal(error.into()),
        }
    }
}

fn unique_violation(constraint: &str) -> ApiError {
    let message = if constraint == "users_email_key" {
        Text::new(
            "Un compte existe déjà avec cette adresse courriel.",
            "An account already exists with this email address.",
        )
    } else if constraint == "action_assignees_pkey" {
        Text::new(
            "Ce compte est déjà assigné à cette action.",
            "This account is already assigned to this action.",
        )
    } else if constraint == "plan_events_plan_name_key" {
        Text::new(
            "Un événement de ce nom existe déjà dans ce plan.",
            "An event with this name already exists in this plan.",
        )
    } else if constraint.starts_with("glossary_entries") {
        Text::new(
            "Ce sigle existe déjà dans ce plan.",
            "This acronym already exists in this plan.",
        )
    } else if constraint.ends_with("position_key") {
        Text::new(
            "Cette position vient d'être prise par une autre modification. Rechargez et réessayez.",
            "This position was just taken by another change. Reload and try again.",
        )
    } else {
        Text::new("Cet élément existe déjà.", "This item already exists.")
    };
    ApiError::Conflict(message)
}

/// `actions_objective_id_fkey` → `objective_id`, `plans_title_check` → `title`.
fn column_of(constraint: &str, suffix: &str) -> String {
    let stem = constraint.strip_suffix(suffix).unwrap_or(constraint);
    // The longest table name first: `action_assignees_user_id` is not `actions_…`.
    TABLES
        .iter()
        .filter_map(|table| stem.strip_prefix(table)?.strip_prefix('_'))
        .min_by_key(|column| column.len())
        .unwrap_or(stem)
        .to_owned()
}

impl ApiError {
    /// Why the database could not serve, for a 503 raised where any error means that
    /// (the readiness probe, reading the caller's account).
    pub fn unavailable_reason(self) -> Text {
        match self {
            ApiError::Unavailable(why) => why,
            other => Text::new(other.to_string(), other.to_string()),
        }
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        use deadpool::managed::{PoolError, TimeoutType};
        let why = match &error {
            PoolError::Timeout(TimeoutType::Wait) => Text::new(
                "toutes les connexions sont occupées depuis trop longtemps",
                "every connection has been busy for too long",
            ),
            PoolError::Timeout(TimeoutType::Create) => Text::new(
                "elle n'a pas accepté de connexion dans le délai permis",
                "it did not accept a connection in time",
            ),
            PoolError::Timeout(TimeoutType::Recycle) => Text::new(
                "elle n'a pas répondu à la vérification d'une connexion dans le délai permis",
                "it did not answer a connection check in time",
            ),
            PoolError::Backend(cause) => Text::new(
                format!("connexion impossible : {cause}"),
                format!("cannot connect: {cause}"),
            ),
            other => Text::new(other.to_string(), other.to_string()),
        };
        ApiError::Unavailable(why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraint_names_give_the_field() {
        assert_eq!(column_of("actions_objective_id_fkey", "_fkey"), "objective_id");
        assert_eq!(column_of("plans_title_check", "_check"), "title");
        assert_eq!(column_of("plans_period_check", "_check"), "period");
        assert_eq!(column_of("glossary_entries_plan_id_fkey", "_fkey"), "plan_id");
        assert_eq!(column_of("action_assignees_user_id_fkey", "_fkey"), "user_id");
        assert_eq!(column_of("plan_events_on_date_check", "_check"), "on_date");
        assert_eq!(column_of("saved_reports_created_by_fkey", "_fkey"), "created_by");
    }
}
