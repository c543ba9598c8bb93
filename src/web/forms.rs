//! What the page's forms send (every field as text, so that any input reaches the same
//! validation as the API's JSON bodies, with the same messages).

use chrono::NaiveDate;
use serde::Deserialize;

use crate::actions::model::Action;
use crate::error::{ApiError, ApiResult, ErrorCode, FieldError};
use crate::i18n::Text;
use crate::progress::{ActionStatus, Progress};
use crate::status_updates::dto::CreateStatusUpdate;

/// `?done=…`: what a page says was just done (after a form's redirection).
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

/// A form with nothing but its CSRF token (a button: sign out, remove).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf: String,
}

/// The status update form, as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    pub csrf: String,
    /// The action's version when the form was shown.
    pub version: String,
    /// The latest history entry the visitor had seen.
    pub seen: String,
    pub status: String,
    pub note: String,
    pub done: String,
    pub target: String,
    pub unit: String,
    pub decision: String,
    pub effective_on: String,
}

fn number(field: &str, value: &str, errors: &mut Vec<FieldError>) -> Option<i32> {
    match value.trim().parse::<i32>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                ErrorCode::NotANumber,
                Text::new(
                    format!("« {value} » n'est pas un nombre entier."),
                    format!("\"{value}\" is not a whole number."),
                ),
            ));
            None
        }
    }
}

impl StatusForm {
    /// The form filled with the action's current values.
    pub fn of(action: &Action) -> StatusForm {
        let progress = action.progress.as_ref();
        StatusForm {
            status: action.status.as_str().to_owned(),
            note: action.progress_note.clone().unwrap_or_default(),
            done: progress.map(|p| p.done().to_string()).unwrap_or_default(),
            target: progress.map(|p| p.target().to_string()).unwrap_or_default(),
            unit: progress.map(|p| p.unit().to_owned()).unwrap_or_default(),
            ..StatusForm::default()
        }
    }

    /// The API's body for these values: an empty note clears it, empty progress keeps it.
    pub fn to_update(&self) -> ApiResult<CreateStatusUpdate> {
        let mut errors = Vec::new();
        let status = ActionStatus::parse(self.status.trim());
        if status.is_none() {
            errors.push(FieldError::new(
                "status",
                ErrorCode::UnknownValue,
                Text::new("Choisissez un état dans la liste.", "Choose a status from the list."),
            ));
        }
        let progress = if [&self.done, &self.target, &self.unit]
            .iter()
            .all(|v| v.trim().is_empty())
        {
            None
        } else {
            let done = number("done", &self.done, &mut errors);
            let target = number("target", &self.target, &mut errors);
            done.zip(target)
                .map(|(done, target)| Progress::new(done, target, self.unit.trim()))
        };
        let effective_on = match self.effective_on.trim() {
            "" => None,
            day => match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
                Ok(day) => Some(day),
                Err(_) => {
                    errors.push(FieldError::new(
                        "effective_on",
                        ErrorCode::InvalidDate,
                        Text::new(
                            format!("« {day} » n'est pas une date (AAAA-MM-JJ)."),
                            format!("\"{day}\" is not a date (YYYY-MM-DD)."),
                        ),
                    ));
                    None
                }
            },
        };
        match status {
            Some(status) if errors.is_empty() => Ok(CreateStatusUpdate {
                status,
                note: Some(self.note.clone().into()),
                progress,
                decision: Some(self.decision.clone())
                    .filter(|d| !d.trim().is_empty())
                    .map(Into::into),
                effective_on,
            }),
            _ => Err(ApiError::Validation(errors)),
        }
    }
}

/// A numeric id sent by a form (a select's value).
pub fn parse_id(field: &str, value: &str) -> ApiResult<i64> {
    value.trim().parse::<i64>().map_err(|_| {
        ApiError::invalid(
            field,
            ErrorCode::InvalidId,
            Text::new("Choisissez une valeur dans la liste.", "Choose a value from the list."),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> StatusForm {
        let mut f = StatusForm::default();
        for (name, value) in pairs {
            let value = (*value).to_owned();
            match *name {
                "status" => f.status = value,
                "note" => f.note = value,
                "done" => f.done = value,
                "target" => f.target = value,
                "unit" => f.unit = value,
                "effective_on" => f.effective_on = value,
                _ => f.decision = value,
            }
        }
        f
    }

    #[test]
    fn a_filled_form_becomes_the_api_body() -> ApiResult<()> {
        let body = form(&[
            ("status", "in_progress"),
            ("note", "7 régions visitées"),
            ("done", "7"),
            ("target", "16"),
            ("unit", "régions"),
            ("decision", "CA du 4 novembre"),
            ("effective_on", "2013-11-04"),
        ])
        .to_update()?;
        assert_eq!(body.status, ActionStatus::InProgress);
        assert_eq!(body.progress.map(|p| (p.done(), p.target())), Some((7, 16)));
        assert_eq!(body.decision.as_ref().map(|d| d.as_str()), Some("CA du 4 novembre"));
        assert_eq!(body.effective_on, NaiveDate::from_ymd_opt(2013, 11, 4));
        Ok(())
    }

    #[test]
    fn empty_progress_and_decision_are_left_out() -> ApiResult<()> {
        let body = form(&[("status", "completed")]).to_update()?;
        assert!(body.progress.is_none() && body.decision.is_none() && body.effective_on.is_none());
        Ok(())
    }

    #[test]
    fn bad_values_name_their_fields() {
        let Err(ApiError::Validation(errors)) = form(&[
            ("status", "finished"),
            ("done", "sept"),
            ("target", "16"),
            ("effective_on", "demain"),
        ])
        .to_update() else {
            panic!("accepted");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["status", "done", "effective_on"]);
    }
}
