//! A whole plan in memory before it is stored: what an imported document and next year's
//! plan both give `plans::store`. Pure.

use chrono::NaiveDate;

use crate::columns::{NamedField, TableColumn};
use crate::error::FieldError;
use crate::progress::{ActionStatus, Progress};

#[derive(Debug, Clone, PartialEq)]
pub struct PlanDraft {
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub heading_note: Option<String>,
    /// "Mise à jour : 2013-10-11": the day every row is dated from.
    pub updated_on: Option<NaiveDate>,
    pub orientations: Vec<OrientationDraft>,
    pub glossary: Vec<(String, String)>,
    /// The table's columns when they are not the RQDS's four (empty: those four).
    pub columns: Vec<TableColumn>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrientationDraft {
    pub number: i32,
    pub title: String,
    pub objectives: Vec<ObjectiveDraft>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveDraft {
    /// The document's line it was read from, for messages; none for a plan not read.
    pub line: Option<usize>,
    pub title: String,
    /// Échéancier of an objective that has no action.
    pub deadlines: Vec<String>,
    pub actions: Vec<ActionDraft>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionDraft {
    pub line: Option<usize>,
    pub title: String,
    pub responsible_organization: Option<String>,
    pub status: ActionStatus,
    pub progress_note: Option<String>,
    pub deadlines: Vec<String>,
    pub details: Details,
    /// The action of an earlier plan this one continues (next year's plan); none in a document.
    pub continues: Option<i64>,
}

/// What the columns beyond the RQDS's four say of an action.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Details {
    pub indicators: Option<String>,
    pub target: Option<String>,
    pub partners: Option<String>,
    pub other_fields: Vec<NamedField>,
    /// From a target that counts something (« 16 régions rencontrées »).
    pub progress: Option<Progress>,
}

impl PlanDraft {
    pub fn objectives(&self) -> impl Iterator<Item = &ObjectiveDraft> {
        self.orientations.iter().flat_map(|o| o.objectives.iter())
    }

    pub fn actions(&self) -> impl Iterator<Item = &ActionDraft> {
        self.objectives().flat_map(|o| o.actions.iter())
    }

    pub fn action_count(&self) -> usize {
        self.actions().count()
    }

    /// The first text that breaks the rules every stored text follows (`validation::text_fault`:
    /// no NUL, no control character, no HTML), with the line it was read from: a plan comes by
    /// other doors than the API's bodies, and must not store what they refuse.
    pub fn text_fault(&self) -> Option<(Option<usize>, FieldError)> {
        let first_line = self.objectives().find_map(|o| o.line);
        let mut texts: Vec<(Option<usize>, &str, &str)> = vec![(None, "titre", &self.title)];
        texts.extend(self.heading_note.iter().map(|n| (None, "note", n.as_str())));
        for orientation in &self.orientations {
            let line = orientation.objectives.first().and_then(|o| o.line).or(first_line);
            texts.push((line, "orientation", &orientation.title));
        }
        for objective in self.objectives() {
            let line = objective.line;
            texts.push((line, "objectif", &objective.title));
            texts.extend(objective.deadlines.iter().map(|d| (line, "échéance", d.as_str())));
            for action in &objective.actions {
                let line = action.line;
                texts.push((line, "action", &action.title));
                texts.extend(
                    action
                        .progress_note
                        .iter()
                        .map(|n| (line, "état d'avancement", n.as_str())),
                );
                texts.extend(
                    action
                        .responsible_organization
                        .iter()
                        .map(|o| (line, "organisation responsable", o.as_str())),
                );
                texts.extend(action.deadlines.iter().map(|d| (line, "échéance", d.as_str())));
                let details = &action.details;
                for (what, text) in [
                    ("indicateurs", &details.indicators),
                    ("cible", &details.target),
                    ("partenaires", &details.partners),
                ] {
                    texts.extend(text.iter().map(|t| (line, what, t.as_str())));
                }
                for field in &details.other_fields {
                    texts.push((line, "colonne", field.name.as_str()));
                    texts.push((line, "colonne", field.value.as_str()));
                }
            }
        }
        let last_line = self.objectives().filter_map(|o| o.line).last();
        for (term, definition) in &self.glossary {
            texts.push((last_line, "sigle", term));
            texts.push((last_line, "définition", definition));
        }
        texts
            .into_iter()
            .find_map(|(line, what, text)| crate::validation::text_fault(what, text).map(|fault| (line, fault)))
    }
}
