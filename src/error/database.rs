//! What PostgreSQL refuses, as errors a client can act on: a unique violation is a 409,
//! a foreign key or check violation a 422 naming the column, a lost connection a 503.

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
                        "unknown_reference",
                        Text::new(
                            "Cette référence ne désigne aucun élément existant.",
                            "This reference points to nothing that exists.",
                        ),
                    ),
                    DatabaseErrorKind::CheckViolation => ApiError::invalid(
                        column_of(constraint, "_check"),
                        "invalid",
                        Text::new(
                            "Valeur refusée par les règles du plan.",
                            "Value refused by the plan's rules.",
                        ),
                    ),
                    DatabaseErrorKind::NotNullViolation => ApiError::invalid(
                        info.column_name().unwrap_or("").to_owned(),
                        "required",
                        Text::new("Ce champ est obligatoire.", "This field is required."),
                    ),
                    DatabaseErrorKind::ClosedConnection => ApiError::Unavailable(error.to_string()),
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

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        ApiError::Unavailable(error.to_string())
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
