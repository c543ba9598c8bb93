//! Measurable progress of an action: `{done: 6, target: 16, unit: "régions"}`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::Validator;
use crate::validation::bounded::{Int, Required};

/// What is counted ("régions visitées").
pub type Unit = Required<40>;
pub type Done = Int<0>;
pub type Target = Int<1>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"done": 6, "target": 16, "unit": "régions"}))]
pub struct Progress {
    #[schema(inline)]
    pub done: Done,
    #[schema(inline)]
    pub target: Target,
    /// What is counted.
    #[schema(inline)]
    pub unit: Unit,
}

impl Progress {
    pub fn new(done: i32, target: i32, unit: impl Into<String>) -> Progress {
        Progress {
            done: Int::new(done),
            target: Int::new(target),
            unit: Unit::new(unit),
        }
    }

    pub fn done(&self) -> i32 {
        self.done.get()
    }

    pub fn target(&self) -> i32 {
        self.target.get()
    }

    pub fn unit(&self) -> &str {
        self.unit.as_str()
    }

    /// From the three nullable columns (all set or none, by a CHECK).
    pub fn from_columns(done: Option<i32>, target: Option<i32>, unit: Option<String>) -> Option<Progress> {
        Some(Progress::new(done?, target?, unit?))
    }

    pub fn columns(progress: Option<&Progress>) -> (Option<i32>, Option<i32>, Option<String>) {
        match progress {
            Some(p) => (Some(p.done()), Some(p.target()), Some(p.unit().to_owned())),
            None => (None, None, None),
        }
    }

    /// "6 / 16 régions"
    pub fn render(&self) -> String {
        format!("{} / {} {}", self.done(), self.target(), self.unit())
    }

    /// Checked, the unit trimmed.
    pub fn validate(self, v: &mut Validator, field: &str) -> Progress {
        let done = v.whole(&format!("{field}.done"), self.done);
        let target = v.whole(&format!("{field}.target"), self.target);
        let unit = v.required(&format!("{field}.unit"), &self.unit);
        Progress::new(done, target, unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_round_trip() {
        let progress = Progress::new(6, 16, "régions");
        let (d, t, u) = Progress::columns(Some(&progress));
        assert_eq!(Progress::from_columns(d, t, u), Some(progress.clone()));
        assert_eq!(Progress::from_columns(None, None, None), None);
        assert_eq!(progress.render(), "6 / 16 régions");
    }

    #[test]
    fn invalid_progress_is_refused() {
        let mut v = Validator::new();
        Progress::new(-1, 0, " ").validate(&mut v, "progress");
        match v.finish() {
            Err(crate::error::ApiError::Validation(errors)) => {
                let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["progress.done", "progress.target", "progress.unit"]);
            }
            other => panic!("expected three invalid fields, got {other:?}"),
        }
    }
}
