//! The report as data: the JSON format, and the source of every other format.

use crate::columns::NamedField;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::i18n::Lang;
use crate::progress::ActionStatus;
use crate::progress::Progress;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProgressReport {
    pub heading: Heading,
    pub summary: Summary,
    /// Page one: what was completed in the period.
    #[serde(default)]
    pub highlights: Highlights,
    /// The comparison with the last report saved before this period, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since_previous: Option<SincePrevious>,
    /// Every status update recorded between `from` and `to`, in order.
    pub moved: Vec<Movement>,
    /// Actions with a deadline ended before `as_of` that are still to do (not started, in
    /// preparation or in progress): postponed and ongoing actions are not late.
    pub late: Vec<LateAction>,
    /// Actions postponed as of `as_of`, with the decision and note that postponed them.
    #[serde(default)]
    pub postponed: Vec<PostponedAction>,
    /// Deadline periods ending in the month after `as_of`.
    pub coming_up: Vec<ComingUp>,
    /// The plan table as in the original document, with the statuses as of `as_of`.
    pub table: Vec<TableOrientation>,
    pub glossary: Vec<GlossaryLine>,
    /// For a saved report: its fingerprint and, once signed off, the board's approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certification: Option<Certification>,
}

/// What a reader sees first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Highlights {
    /// Actions that became completed in the period, in the order they did.
    pub completed: Vec<CompletedAction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompletedAction {
    pub action_id: i64,
    pub action: String,
    pub on: NaiveDate,
}

/// What changed since the previous saved report, with the labels of this report's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SincePrevious {
    pub report_id: i64,
    /// The last day of its period.
    pub until: NaiveDate,
    pub completion: Option<f64>,
    pub status_changes: Vec<LabelledChange>,
    /// Échéanciers rewritten or pushed later: as written before and after.
    pub slipped: Vec<LabelledChange>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// "Rencontres de la Tournée des régions : En cours → Complété".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LabelledChange {
    pub action_id: i64,
    pub action: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Certification {
    pub report_id: i64,
    /// SHA-256 of the saved JSON snapshot (the report without this block).
    #[schema(example = "9f2c…")]
    pub fingerprint: String,
    pub saved_on: NaiveDate,
    pub signed_off: Option<SignOff>,
}

/// "Validé par le CA le …"
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SignOff {
    pub by: String,
    pub on: NaiveDate,
    #[schema(example = "CA du 4 novembre 2013, résolution 2013-11-04-03")]
    pub meeting_reference: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Heading {
    pub plan_id: i64,
    #[schema(example = "Plan d'action 2013-2014")]
    pub title: String,
    pub organization: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// First day of the report's period.
    #[serde(rename = "since", alias = "from")]
    pub from: NaiveDate,
    /// Last day of the report's period.
    #[serde(rename = "until", alias = "to")]
    pub to: NaiveDate,
    /// Statuses are those recorded up to the end of this day.
    pub as_of: NaiveDate,
    /// "Mise à jour": the latest change recorded up to `as_of`.
    pub last_updated_on: NaiveDate,
    /// The language of the labels.
    #[schema(value_type = Lang)]
    pub lang: String,
    /// The board's adoption of the plan, when it came by `as_of` (absent for a draft).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adoption: Option<Adoption>,
    /// The day the plan was closed, when it came by `as_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_on: Option<NaiveDate>,
}

/// "Adopté par le CA le 12 septembre 2013 (résolution CA-2013-09-12-03)".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Adoption {
    pub on: NaiveDate,
    #[schema(example = "CA-2013-09-12-03")]
    pub resolution: String,
}

/// How many actions stand in each status, and the share done.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Counts {
    pub not_started: usize,
    pub in_preparation: usize,
    pub in_progress: usize,
    pub completed: usize,
    pub ongoing: usize,
    pub postponed: usize,
    pub cancelled: usize,
    pub total: usize,
    /// Share completed, 0 to 1 (see the rule in the README), rounded to 0.001; null when
    /// there is nothing to measure (an objective without actions).
    pub completion: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Summary {
    pub plan: Counts,
    pub orientations: Vec<OrientationSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrientationSummary {
    pub number: i32,
    pub title: String,
    pub counts: Counts,
    pub objectives: Vec<ObjectiveSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ObjectiveSummary {
    pub title: String,
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Movement {
    /// The day the change took effect, in Québec: where the report places it.
    pub on: NaiveDate,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    pub action_id: i64,
    pub action: String,
    pub orientation: i32,
    pub objective: String,
    /// Null when the entry records the action's first status.
    pub previous_status: Option<ActionStatus>,
    pub new_status: ActionStatus,
    pub previous_label: Option<String>,
    pub new_label: String,
    pub note: Option<String>,
    pub progress: Option<Progress>,
    /// Display name; null for the états read from the imported document.
    pub author: Option<String>,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LateAction {
    pub action_id: i64,
    pub action: String,
    pub orientation: i32,
    pub objective: String,
    pub status: ActionStatus,
    pub status_label: String,
    /// The earliest missed deadline, as written and as understood.
    pub deadline: String,
    pub deadline_rendering: String,
    pub ended_on: NaiveDate,
    pub days_late: i64,
    /// Its note as of `as_of`: why it is late, often.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PostponedAction {
    pub action_id: i64,
    pub action: String,
    pub orientation: i32,
    pub objective: String,
    /// The day it was postponed.
    pub since: NaiveDate,
    pub note: Option<String>,
    #[schema(example = "Résolution CA-2013-11-04-05")]
    pub decision: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ComingUp {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub deadline: String,
    pub deadline_rendering: String,
    /// Null for the deadline of an objective without action.
    pub action_id: Option<i64>,
    pub action: Option<String>,
    pub objective: String,
    pub status_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TableOrientation {
    pub number: i32,
    pub title: String,
    pub objectives: Vec<TableObjective>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TableObjective {
    pub title: String,
    /// Échéancier of an objective without action.
    pub deadlines: Vec<String>,
    pub actions: Vec<TableAction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TableAction {
    pub action_id: i64,
    pub title: String,
    pub responsible_organization: Option<String>,
    /// Labels as written.
    pub deadlines: Vec<String>,
    pub status: ActionStatus,
    pub status_label: String,
    pub note: Option<String>,
    pub progress: Option<Progress>,
    /// "6 / 16 régions"
    pub progress_text: Option<String>,
    /// The last end of its deadlines, as understood when the report was made.
    pub due_on: Option<NaiveDate>,
    /// Completed and in-progress actions are marked (bold), as in the document.
    pub highlighted: bool,
    pub last_change: NaiveDate,
    /// The years of the plan whose action this one continues ("2013-2014").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2013-2014")]
    pub continued_from: Option<String>,
    /// The plan's columns beyond the four (indicateurs, cible, partenaires, any other), by
    /// their name; absent when the plan has none (reports saved before them read the same).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<NamedField>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GlossaryLine {
    pub acronym: String,
    pub definition: String,
}
