//! Measurable progress of an action: `{done: 6, target: 16, unit: "régions"}`.

use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::i18n::Text;
use crate::validation::Validator;

/// Longest unit of a measurable progress ("régions visitées").
pub const UNIT_MAX: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"done": 6, "target": 16, "unit": "régions"}))]
pub struct Progress {
    /// 0 or more.
    pub done: i32,
    /// More than 0.
    pub target: i32,
    /// What is counted, 1 to 40 characters.
    pub unit: String,
}

impl Progress {
    /// From the three nullable columns (all set or none, by a CHECK).
    pub fn from_columns(done: Option<i32>, target: Option<i32>, unit: Option<String>) -> Option<Progress> {
        Some(Progress {
            done: done?,
            target: target?,
            unit: unit?,
        })
    }

    pub fn columns(progress: Option<&Progress>) -> (Option<i32>, Option<i32>, Option<String>) {
        match progress {
            Some(p) => (Some(p.done), Some(p.target), Some(p.unit.clone())),
            None => (None, None, None),
        }
    }

    /// "6 / 16 régions"
    pub fn render(&self) -> String {
        format!("{} / {} {}", self.done, self.target, self.unit)
    }

    pub fn validate(self, v: &mut Validator, field: &str) -> Progress {
        if self.done < 0 {
            v.push(
                &format!("{field}.done"),
                ErrorCode::OutOfRange,
                Text::new(
                    "Le nombre réalisé ne peut pas être négatif.",
                    "The number done cannot be negative.",
                ),
            );
        }
        if self.target < 1 {
            v.push(
                &format!("{field}.target"),
                ErrorCode::OutOfRange,
                Text::new("La cible doit être d'au moins 1.", "The target must be at least 1."),
            );
        }
        let unit = v.required_text(&format!("{field}.unit"), &self.unit, UNIT_MAX);
        Progress { unit, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_round_trip() {
        let progress = Progress {
            done: 6,
            target: 16,
            unit: "régions".to_owned(),
        };
        let (d, t, u) = Progress::columns(Some(&progress));
        assert_eq!(Progress::from_columns(d, t, u), Some(progress.clone()));
        assert_eq!(Progress::from_columns(None, None, None), None);
        assert_eq!(progress.render(), "6 / 16 régions");
    }

    #[test]
    fn invalid_progress_is_refused() {
        let mut v = Validator::new();
        Progress {
            done: -1,
            target: 0,
            unit: " ".to_owned(),
        }
        .validate(&mut v, "progress");
        assert!(v.finish().is_err());
    }
}
