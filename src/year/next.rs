//! Next year's plan, drafted from this one: its orientations and objectives, its acronyms,
//! and the actions that go on (each linked to the one it continues). The plan in memory is
//! built here without a database, then written by the importer's store in one transaction.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use lazy_regex::{Lazy, Regex, lazy_regex};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{actions, deadlines, objectives, orientations};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::i18n::Text;
use crate::plans::draft::{ActionDraft, Details, ObjectiveDraft, OrientationDraft, PlanDraft};
use crate::plans::store::ImportCounts;
use crate::plans::tree::{ActionNode, PlanTree};
use crate::progress::ActionStatus;
use crate::text::fold;

/// What to carry into next year's plan; every field may be left out.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"actions": [{"action_id": 12, "carry": false}, {"action_id": 31, "carry": true}]}))]
pub struct NextPlan {
    /// The new plan's title; the old one with its years moved on ("Plan d'action
    /// 2014-2015") when absent.
    pub title: Option<String>,
    /// A choice per action; the others follow the rule: carried unless completed or
    /// cancelled, and always when they go on all year (`En continu`).
    #[serde(default)]
    pub actions: Vec<CarryChoice>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CarryChoice {
    #[schema(example = 12)]
    pub action_id: i64,
    pub carry: bool,
}

/// One action carried over: the old one and the new one that continues it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CarriedAction {
    #[schema(example = 12)]
    pub from_action_id: i64,
    #[schema(example = 57)]
    pub action_id: i64,
    #[schema(example = "Rencontres de la Tournée des régions")]
    pub title: String,
}

/// A deadline that names a time outside the new plan's year ("Automne 2013" carried into
/// 2014–2015): kept as written, to be reviewed rather than silently moved.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlaggedDeadline {
    #[schema(example = 57)]
    pub action_id: i64,
    #[schema(example = "Aut.13 - Hiver 14")]
    pub label: String,
}

/// What `POST /plans/{id}/next` made.
#[derive(Debug, Serialize, ToSchema)]
pub struct NextPlanReport {
    pub plan: crate::plans::dto::PlanView,
    pub counts: ImportCounts,
    pub carried: Vec<CarriedAction>,
    /// Actions of the old plan left behind (completed, cancelled, or by choice).
    #[schema(example = json!([3, 4]))]
    pub left_behind: Vec<i64>,
    pub flagged_deadlines: Vec<FlaggedDeadline>,
}

static YEARS: Lazy<Regex> = lazy_regex!(r"(\d{4})(\s*[-–]\s*)(\d{4})");

/// "Plan d'action 2013-2014" → "Plan d'action 2014-2015"; a title naming no years gets them.
pub fn next_title(title: &str, start: NaiveDate, end: NaiveDate) -> String {
    if YEARS.is_match(title) {
        return YEARS
            .replace(title, |caps: &regex::Captures<'_>| {
                let year = |i: usize| {
                    caps[i]
                        .parse::<i32>()
                        .map_or(caps[i].to_owned(), |y| (y + 1).to_string())
                };
                format!("{}{}{}", year(1), &caps[2], year(3))
            })
            .into_owned();
    }
    format!("Plan d'action {}-{}", start.year(), end.year())
}

/// Carried unless done or cancelled; an action that goes on all year always is.
pub fn carried_by_default(node: &ActionNode) -> bool {
    let continuous =
        node.action.status == ActionStatus::Ongoing || node.deadlines.iter().any(|d| fold(&d.label) == "en continu");
    continuous || !matches!(node.action.status, ActionStatus::Completed | ActionStatus::Cancelled)
}

fn a_year_later(day: NaiveDate) -> ApiResult<NaiveDate> {
    day.checked_add_months(Months::new(12))
        .ok_or_else(|| ApiError::BadRequest(Text::new("Période hors calendrier.", "Period out of the calendar.")))
}

/// The new plan in memory, and the old ids of the actions it carries, in its order.
pub fn next_plan(tree: &PlanTree, request: &NextPlan) -> ApiResult<(PlanDraft, Vec<i64>, Vec<i64>)> {
    let known: HashSet<i64> = tree
        .orientations
        .iter()
        .flat_map(|o| &o.objectives)
        .flat_map(|o| &o.actions)
        .map(|a| a.action.id.0)
        .collect();
    let choices: HashMap<i64, bool> = request.actions.iter().map(|c| (c.action_id, c.carry)).collect();
    if let Some(unknown) = request.actions.iter().find(|c| !known.contains(&c.action_id)) {
        return Err(ApiError::invalid(
            "actions",
            ErrorCode::UnknownReference,
            Text::new(
                format!("L'action {} n'est pas dans ce plan.", unknown.action_id),
                format!("Action {} is not in this plan.", unknown.action_id),
            ),
        ));
    }
    let plan = &tree.plan;
    let (period_start, period_end) = (a_year_later(plan.period_start)?, a_year_later(plan.period_end)?);
    let (mut carried, mut left_behind) = (Vec::new(), Vec::new());
    let orientations = tree
        .orientations
        .iter()
        .map(|orientation| OrientationDraft {
            number: orientation.orientation.position,
            title: orientation.orientation.title.clone(),
            objectives: orientation
                .objectives
                .iter()
                .map(|objective| ObjectiveDraft {
                    line: None,
                    title: objective.objective.title.clone(),
                    deadlines: objective.deadlines.iter().map(|d| d.label.clone()).collect(),
                    actions: objective
                        .actions
                        .iter()
                        .filter(|node| {
                            let id = node.action.id.0;
                            let carry = choices.get(&id).copied().unwrap_or_else(|| carried_by_default(node));
                            if carry {
                                carried.push(id)
                            } else {
                                left_behind.push(id)
                            }
                            carry
                        })
                        .map(|node| ActionDraft {
                            line: None,
                            title: node.action.title.clone(),
                            responsible_organization: node.action.responsible_organization.clone(),
                            // What it has reached goes on; the note was last year's.
                            status: node.action.status,
                            progress_note: None,
                            deadlines: node.deadlines.iter().map(|d| d.label.clone()).collect(),
                            // The plan's own columns go on; the progress was last year's.
                            details: Details {
                                indicators: node.action.indicators.clone(),
                                target: node.action.target.clone(),
                                partners: node.action.partners.clone(),
                                other_fields: node.action.other_fields.clone(),
                                progress: None,
                            },
                            continues: Some(node.action.id.0),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let title = match request.title.as_deref().map(str::trim) {
        Some(title) if !title.is_empty() => title.to_owned(),
        _ => next_title(&plan.title, period_start, period_end),
    };
    let draft = PlanDraft {
        title,
        period_start,
        period_end,
        heading_note: plan.heading_note.clone(),
        updated_on: None,
        orientations,
        glossary: tree
            .glossary
            .iter()
            .map(|g| (g.acronym.clone(), g.definition.clone()))
            .collect(),
        columns: plan.table_columns.0.clone(),
    };
    Ok((draft, carried, left_behind))
}

/// Drafts next year's plan from plan `id` (see `next_plan`), in one transaction.
pub async fn carry_over(
    conn: &mut AsyncPgConnection,
    actor: &crate::write::Actor,
    id: crate::ids::PlanId,
    request: &NextPlan,
) -> ApiResult<NextPlanReport> {
    if let Some(title) = &request.title {
        let mut v = crate::validation::Validator::new();
        v.optional_text("title", Some(title), crate::plans::dto::Title::MAX);
        v.finish()?;
    }
    let tree = crate::plans::tree::load_tree(conn, id).await?;
    let (draft, _, left_behind) = next_plan(&tree, request)?;
    let (plan_id, counts) = crate::plans::store::store(conn, actor, &draft, &tree.plan.organization).await?;
    let in_new_plan = orientations::plan_id.eq(plan_id);
    let carried = actions::table
        .inner_join(objectives::table.inner_join(orientations::table))
        .filter(in_new_plan)
        .order((orientations::position, objectives::position, actions::position))
        .select((actions::continues_action_id, actions::id, actions::title))
        .load::<(Option<i64>, i64, String)>(conn)
        .await?
        .into_iter()
        .map(|(from, action_id, title)| CarriedAction {
            from_action_id: from.unwrap_or_default(),
            action_id,
            title,
        })
        .collect();
    let flagged_deadlines = deadlines::table
        .inner_join(actions::table.inner_join(objectives::table.inner_join(orientations::table)))
        .filter(orientations::plan_id.eq(plan_id).and(deadlines::outside_plan))
        .order((
            orientations::position,
            objectives::position,
            actions::position,
            deadlines::position,
        ))
        .select((actions::id, deadlines::label))
        .load::<(i64, String)>(conn)
        .await?
        .into_iter()
        .map(|(action_id, label)| FlaggedDeadline { action_id, label })
        .collect();
    let plan = crate::plans::dto::PlanView::from(
        crate::plans::model::Plan::read_with_last_change(conn, crate::ids::PlanId(plan_id)).await?,
    );
    Ok(NextPlanReport {
        plan,
        counts,
        carried,
        left_behind,
        flagged_deadlines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn titles_move_on_a_year() {
        let (start, end) = (day(2014, 7, 1), day(2015, 6, 30));
        assert_eq!(
            next_title("Plan d'action 2013-2014", start, end),
            "Plan d'action 2014-2015"
        );
        assert_eq!(
            next_title("Plan d’action 2013 – 2014 (révisé)", start, end),
            "Plan d’action 2014 – 2015 (révisé)"
        );
        assert_eq!(next_title("Plan du RQDS", start, end), "Plan d'action 2014-2015");
    }
}
