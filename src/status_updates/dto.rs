use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::actions::dto::Note;
use crate::actions::history::StatusUpdate;
use crate::actions::model::{Action, ActionEdit, ActionUpdateForm, History};
use crate::error::ApiResult;
use crate::progress::{ActionStatus, Progress};
use crate::validation::Validator;
use crate::validation::bounded::Optional;

/// The board meeting or resolution that approved a change.
pub type Decision = Optional<500>;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "status": "in_progress",
    "note": "7 régions visitées",
    "progress": {"done": 7, "target": 16, "unit": "régions"},
    "decision": "Résolution CA-2013-11-04",
    "effective_on": "2013-11-04"
}))]
pub struct CreateStatusUpdate {
    pub status: ActionStatus,
    /// Becomes the action's progress note; absent keeps the current note.
    #[schema(inline)]
    pub note: Option<Note>,
    /// Becomes the action's measurable progress; absent keeps the current one.
    pub progress: Option<Progress>,
    /// The board meeting or resolution that approved the change.
    #[schema(inline)]
    pub decision: Option<Decision>,
    /// When the change took effect, if not today (Québec): not in the future, not before the
    /// plan starts, not before the action's last change. Reports place the change on this day;
    /// the recording time and author are kept.
    pub effective_on: Option<chrono::NaiveDate>,
}

/// The new state of the action and the history entry that records it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusUpdateResult {
    pub action: Action,
    pub status_update: StatusUpdate,
}

impl CreateStatusUpdate {
    /// A change of the action that always goes into its history, citing the decision.
    pub fn into_edit(self) -> ApiResult<ActionEdit> {
        let mut v = Validator::new();
        let mut form = ActionUpdateForm {
            status: Some(self.status),
            ..Default::default()
        };
        if let Some(note) = self.note {
            form.progress_note = Some(v.optional("note", Some(&note)));
        }
        if let Some(progress) = self.progress {
            form.set_progress(Some(&progress.validate(&mut v, "progress")));
        }
        let decision = v.optional("decision", self.decision.as_ref());
        v.finish()?;
        Ok(ActionEdit {
            form,
            objective_id: None,
            position: None,
            history: History::Always {
                decision,
                effective_on: self.effective_on,
            },
        })
    }
}
