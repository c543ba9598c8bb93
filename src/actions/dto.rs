use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{Action, ActionEdit, ActionInsertForm, ActionQuery, ActionUpdateForm, History, NewAction};
use crate::columns::NamedField;
use crate::db::json::JsonList;
use crate::deadlines::reading::parser::DeadlineKind;
use crate::error::{ApiResult, ErrorCode};
use crate::extract::double_option;
use crate::i18n::Text;
use crate::ids::{ObjectiveId, OrientationId, PlanId};
use crate::progress::{ActionStatus, Progress};
use crate::validation::bounded::{Int, Optional, Position, Required};
use crate::validation::{Offset, PageSize, Validator};

pub type Title = Required<1000>;
/// A progress note (état d'avancement), also a status update's note.
pub type Note = Optional<2000>;
pub type Organization = Optional<300>;
/// Indicateurs, cible, partenaires: the columns other plans add to the four.
pub type Detail = Optional<1000>;
pub type FieldName = Required<100>;
pub type FieldValue = Required<2000>;
/// Other columns of one action (a plan rarely has more than three).
pub const OTHER_FIELDS_MAX: usize = 20;

/// A column of the plan's table the API has no field for, by its header.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Budget", "value": "2 000 $"}))]
pub struct FieldInput {
    #[schema(inline)]
    pub name: FieldName,
    #[schema(inline)]
    pub value: FieldValue,
}

/// Checked: at most `OTHER_FIELDS_MAX`, each name once.
fn other_fields(v: &mut Validator, fields: &[FieldInput]) -> JsonList<NamedField> {
    if fields.len() > OTHER_FIELDS_MAX {
        v.push(
            "other_fields",
            ErrorCode::TooLong,
            Text::new(
                format!("Au plus {OTHER_FIELDS_MAX} autres champs par action."),
                format!("At most {OTHER_FIELDS_MAX} other fields per action."),
            ),
        );
    }
    let mut checked: Vec<NamedField> = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        let name = v.required(&format!("other_fields[{i}].name"), &field.name);
        let value = v.required(&format!("other_fields[{i}].value"), &field.value);
        if checked
            .iter()
            .any(|f| crate::text::fold(&f.name) == crate::text::fold(&name))
        {
            v.push(
                &format!("other_fields[{i}].name"),
                ErrorCode::Invalid,
                Text::new(
                    format!("Le champ « {name} » est nommé deux fois."),
                    format!("The field \"{name}\" is named twice."),
                ),
            );
        }
        checked.push(NamedField { name, value });
    }
    JsonList(checked)
}
/// A search text (`q`).
pub type Search = Optional<200>;
/// The look-ahead of `due_within_days`: up to a year.
pub type DueWithin = Int<0, 366>;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Rencontres de la *Tournée des régions*",
    "status": "in_progress",
    "progress_note": "6 régions visitées"
}))]
pub struct CreateAction {
    /// `*emphasis*` allowed, HTML refused.
    #[schema(inline)]
    pub title: Title,
    #[schema(inline)]
    pub responsible_organization: Option<Organization>,
    /// `not_started` when absent.
    pub status: Option<ActionStatus>,
    #[schema(inline)]
    pub progress_note: Option<Note>,
    pub progress: Option<Progress>,
    #[schema(inline)]
    pub indicators: Option<Detail>,
    #[schema(inline)]
    pub target: Option<Detail>,
    #[schema(inline)]
    pub partners: Option<Detail>,
    /// The plan's other columns for this action, by their header.
    #[schema(max_items = 20)]
    pub other_fields: Option<Vec<FieldInput>>,
    /// Where to insert it (1-based); last when absent.
    #[schema(inline)]
    pub position: Option<Position>,
    /// When the action took its first status, if not today: an action the CA added weeks
    /// ago (not in the future, not before the plan starts).
    pub effective_on: Option<chrono::NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "completed", "progress_note": "16 régions visitées"}))]
pub struct UpdateAction {
    #[schema(inline)]
    pub title: Option<Title>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(inline, nullable)]
    pub responsible_organization: Option<Option<Organization>>,
    pub status: Option<ActionStatus>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(inline, nullable)]
    pub progress_note: Option<Option<Note>>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(nullable)]
    pub progress: Option<Option<Progress>>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(inline, nullable)]
    pub indicators: Option<Option<Detail>>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(inline, nullable)]
    pub target: Option<Option<Detail>>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(inline, nullable)]
    pub partners: Option<Option<Detail>>,
    /// Replaces the other fields; `[]` removes them.
    #[schema(max_items = 20)]
    pub other_fields: Option<Vec<FieldInput>>,
    /// Move it to another objective of the same plan.
    #[schema(value_type = Option<i64>)]
    pub objective_id: Option<ObjectiveId>,
    /// New position among its (new) siblings; moving up is `position - 1`.
    #[schema(inline)]
    pub position: Option<Position>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActionListParams {
    pub plan_id: Option<i64>,
    pub orientation_id: Option<i64>,
    pub objective_id: Option<i64>,
    /// One or more statuses, comma-separated: `in_progress,completed`.
    #[param(value_type = Option<Vec<ActionStatus>>, style = Form, explode = false, example = json!(["in_progress", "completed"]))]
    pub status: Option<String>,
    /// Words to find in titles and progress notes, ignoring case and accents ("realise" finds "Réalisé").
    #[param(inline, example = "tournee")]
    pub q: Option<Search>,
    /// Actions with a deadline period ending on or before this day.
    #[param(example = "2013-12-31")]
    pub due_before: Option<NaiveDate>,
    /// Actions with a deadline period ending on or after this day.
    pub due_after: Option<NaiveDate>,
    /// Actions with a deadline period ending within this many days after `as_of`.
    #[param(inline)]
    pub due_within_days: Option<DueWithin>,
    /// `true`: late actions: a deadline ended before `as_of` and the action is neither completed nor cancelled.
    pub late: Option<bool>,
    /// The day "late" and "due within" are judged on (default: today, in Québec).
    pub as_of: Option<NaiveDate>,
    /// Actions with a deadline of this kind.
    pub kind: Option<DeadlineKind>,
    /// Page size (default 50).
    #[param(inline)]
    pub limit: Option<PageSize>,
    /// Items to skip (default 0).
    #[param(inline)]
    pub offset: Option<Offset>,
}

/// One page of actions and the number that match in all.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionPage {
    pub items: Vec<Action>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

impl CreateAction {
    pub fn into_form(self, objective_id: ObjectiveId) -> ApiResult<NewAction> {
        let mut v = Validator::new();
        let progress = self.progress.map(|p| p.validate(&mut v, "progress"));
        let (progress_done, progress_target, progress_unit) = Progress::columns(progress.as_ref());
        let form = ActionInsertForm {
            progress_done,
            progress_target,
            progress_unit,
            objective_id,
            position: 0,
            title: v.required("title", &self.title),
            responsible_organization: v.optional("responsible_organization", self.responsible_organization.as_ref()),
            status: self.status.unwrap_or(ActionStatus::NotStarted),
            progress_note: v.optional("progress_note", self.progress_note.as_ref()),
            indicators: v.optional("indicators", self.indicators.as_ref()),
            target: v.optional("target", self.target.as_ref()),
            partners: v.optional("partners", self.partners.as_ref()),
            other_fields: other_fields(&mut v, self.other_fields.as_deref().unwrap_or_default()),
        };
        v.finish()?;
        Ok(NewAction {
            form,
            position: self.position.map(Position::get),
            effective_on: self.effective_on,
        })
    }
}

impl UpdateAction {
    pub fn into_form(self) -> ApiResult<ActionEdit> {
        let mut v = Validator::new();
        let mut form = ActionUpdateForm {
            title: self.title.map(|t| v.required("title", &t)),
            responsible_organization: self
                .responsible_organization
                .map(|o| v.optional("responsible_organization", o.as_ref())),
            status: self.status,
            progress_note: self.progress_note.map(|n| v.optional("progress_note", n.as_ref())),
            indicators: self.indicators.map(|d| v.optional("indicators", d.as_ref())),
            target: self.target.map(|d| v.optional("target", d.as_ref())),
            partners: self.partners.map(|d| v.optional("partners", d.as_ref())),
            other_fields: self.other_fields.map(|fields| other_fields(&mut v, &fields)),
            ..Default::default()
        };
        if let Some(progress) = self.progress {
            form.set_progress(progress.map(|p| p.validate(&mut v, "progress")).as_ref());
        }
        v.finish()?;
        Ok(ActionEdit {
            form,
            objective_id: self.objective_id,
            position: self.position.map(Position::get),
            history: History::IfProgressed,
        })
    }
}

impl ActionListParams {
    pub fn into_query(self) -> ApiResult<ActionQuery> {
        let mut v = Validator::new();
        let mut statuses = Vec::new();
        for code in self
            .status
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match ActionStatus::parse(code) {
                Some(status) => statuses.push(status),
                None => {
                    let allowed = ActionStatus::ALL
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    v.push(
                        "status",
                        ErrorCode::UnknownValue,
                        Text::new(
                            format!("Statut inconnu « {code} ». Valeurs permises : {allowed}."),
                            format!("Unknown status \"{code}\". Allowed values: {allowed}."),
                        ),
                    );
                }
            }
        }
        let (limit, offset) = v.page(self.limit, self.offset);
        let due_within_days = self.due_within_days.map(|days| v.whole("due_within_days", days));
        let text = v.optional("q", self.q.as_ref());
        v.finish()?;
        Ok(ActionQuery {
            plan_id: self.plan_id.map(PlanId),
            orientation_id: self.orientation_id.map(OrientationId),
            objective_id: self.objective_id.map(ObjectiveId),
            statuses,
            text,
            due_before: self.due_before,
            due_after: self.due_after,
            due_within_days,
            late: self.late.unwrap_or(false),
            as_of: self.as_of.unwrap_or_else(crate::clock::today),
            kind: self.kind,
            assigned_to: None,
            limit,
            offset,
        })
    }
}
