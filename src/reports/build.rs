//! Building the report from the plan's rows and history: pure, no I/O.
//!
//! Statuses are those of the last history entry recorded up to the end of `as_of`
//! (Québec time); an action with no entry by then did not exist yet and is left out.
//! "What moved" lists the entries of the period that change something (an entry with no
//! previous status only records an action's creation or import).
//!
//! Completion rule: a completed action counts 1; an action in progress or ongoing counts
//! its measurable progress (done / target, at most 0.99) or ½ without a target; any other
//! status counts 0; cancelled actions are left out. An objective is the mean of its
//! actions, an orientation the mean of its objectives, the plan the mean of its orientations.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};

use super::model::*;
use crate::actions::history::StatusUpdate;
use crate::clock::local_day;
use crate::columns::NamedField;
use crate::deadlines::model::Deadline;
use crate::i18n::Lang;
use crate::ids::{ActionId, UserId};
use crate::objectives::model::Objective;
use crate::plans::tree::{ActionNode, PlanTree};
use crate::progress::ActionStatus;
use crate::progress::Progress;

/// Everything the report is made from, as loaded.
#[derive(Debug)]
pub struct ReportInput {
    /// The plan as nested by the tree endpoint, each level in position order.
    pub tree: PlanTree,
    /// Every history entry of the plan's actions, in any order.
    pub history: Vec<StatusUpdate>,
    /// User id → display name.
    pub authors: HashMap<UserId, String>,
    /// The last report saved before the period, to compare with: its id and its report.
    pub previous: Option<(i64, ProgressReport)>,
    /// Action → the years of the plan whose action it continues ("2013-2014").
    pub continued_from: HashMap<ActionId, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
}

impl ReportPeriod {
    /// The calendar month holding `day`, as of its last day.
    pub fn month_of(day: NaiveDate) -> ReportPeriod {
        let from = day.with_day0(0).unwrap_or(day);
        let to = from
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(day);
        ReportPeriod { from, to, as_of: to }
    }

    /// The report people ask for without dates: the month before `today`, or the plan's
    /// last month when the plan ended before that.
    pub fn default_for(plan_end: NaiveDate, today: NaiveDate) -> ReportPeriod {
        let previous = ReportPeriod::previous_month(today);
        if plan_end < previous.from {
            ReportPeriod::month_of(plan_end)
        } else {
            previous
        }
    }

    /// The calendar month before `today`, as of its last day.
    pub fn previous_month(today: NaiveDate) -> ReportPeriod {
        let first_of_this = today.with_day0(0).unwrap_or(today);
        let from = first_of_this
            .checked_sub_months(Months::new(1))
            .unwrap_or(first_of_this);
        let to = first_of_this.pred_opt().unwrap_or(first_of_this);
        ReportPeriod { from, to, as_of: to }
    }
}

pub fn completion_of(states: &[(ActionStatus, Option<&Progress>)]) -> Option<f64> {
    let counted: Vec<f64> = states
        .iter()
        .filter(|(status, _)| *status != ActionStatus::Cancelled)
        .map(|(status, progress)| match (status, progress) {
            (ActionStatus::Completed, _) => 1.0,
            (ActionStatus::InProgress | ActionStatus::Ongoing, Some(p)) if p.target() > 0 => {
                (f64::from(p.done()) / f64::from(p.target())).min(0.99)
            }
            (ActionStatus::InProgress | ActionStatus::Ongoing, _) => 0.5,
            _ => 0.0,
        })
        .collect();
    mean(&counted)
}

fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().sum::<f64>() / values.len() as f64)
    }
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

fn count(statuses: &[(ActionStatus, Option<&Progress>)], completion: Option<f64>) -> Counts {
    let mut counts = Counts {
        total: statuses.len(),
        completion: completion.map(round),
        ..Counts::default()
    };
    for (status, _) in statuses {
        let slot = match status {
            ActionStatus::NotStarted => &mut counts.not_started,
            ActionStatus::InPreparation => &mut counts.in_preparation,
            ActionStatus::InProgress => &mut counts.in_progress,
            ActionStatus::Completed => &mut counts.completed,
            ActionStatus::Ongoing => &mut counts.ongoing,
            ActionStatus::Postponed => &mut counts.postponed,
            ActionStatus::Cancelled => &mut counts.cancelled,
        };
        *slot += 1;
    }
    counts
}

/// The history as the report reads it: every entry in the order it was recorded, and
/// each action's state at the end of `as_of` (its last entry by then; none when the
/// action did not exist yet).
struct History<'a> {
    entries: Vec<&'a StatusUpdate>,
    states: HashMap<ActionId, &'a StatusUpdate>,
}

impl<'a> History<'a> {
    fn new(history: &'a [StatusUpdate], as_of: NaiveDate) -> History<'a> {
        let mut entries: Vec<&StatusUpdate> = history.iter().collect();
        entries.sort_by_key(|e| (e.effective_on, e.created_at, e.id));
        let states = entries
            .iter()
            .filter(|e| e.effective_on <= as_of)
            .map(|e| (e.action_id, *e))
            .collect();
        History { entries, states }
    }
}

/// Where an action stands in the plan: its orientation's number and its objective.
struct Place<'a> {
    orientation: i32,
    objective: &'a Objective,
    action: &'a ActionNode,
}

fn places(tree: &PlanTree) -> HashMap<ActionId, Place<'_>> {
    tree.orientations
        .iter()
        .flat_map(|o| o.objectives.iter().map(move |b| (o.orientation.position, b)))
        .flat_map(|(orientation, b)| {
            b.actions.iter().map(move |action| {
                let place = Place {
                    orientation,
                    objective: &b.objective,
                    action,
                };
                (action.action.id, place)
            })
        })
        .collect()
}

pub fn build(input: &ReportInput, period: ReportPeriod, lang: Lang) -> ProgressReport {
    let history = History::new(&input.history, period.as_of);
    let places = places(&input.tree);
    let (table, summary) = plan_table(&input.tree, &history.states, &input.continued_from, lang);
    let moved = moved(&history, &places, &input.authors, period, lang);
    let mut report = ProgressReport {
        heading: heading(input, &history, period, lang),
        summary,
        highlights: Highlights {
            completed: moved
                .iter()
                .filter(|m| {
                    m.new_status == ActionStatus::Completed && m.previous_status != Some(ActionStatus::Completed)
                })
                .map(|m| CompletedAction {
                    action_id: m.action_id,
                    action: m.action.clone(),
                    on: m.on,
                })
                .collect(),
        },
        since_previous: None,
        moved,
        late: late(&places, &history.states, period, lang),
        postponed: postponed(&places, &history),
        coming_up: coming_up(&input.tree, &history.states, period, lang),
        table,
        glossary: input
            .tree
            .glossary
            .iter()
            .map(|g| GlossaryLine {
                acronym: g.acronym.clone(),
                definition: g.definition.clone(),
            })
            .collect(),
        certification: None,
    };
    report.since_previous = input
        .previous
        .as_ref()
        .map(|(id, previous)| since_previous(*id, previous, &report, lang));
    report
}

/// The previous saved report compared with this one, in this report's language.
fn since_previous(id: i64, previous: &ProgressReport, report: &ProgressReport, lang: Lang) -> SincePrevious {
    let diff = super::diff::diff(id, previous, 0, report);
    let titles: HashMap<i64, &str> = report
        .table
        .iter()
        .flat_map(|o| &o.objectives)
        .flat_map(|b| &b.actions)
        .map(|a| (a.action_id, a.title.as_str()))
        .collect();
    let title = |action_id: i64, fallback: &str| titles.get(&action_id).copied().unwrap_or(fallback).to_owned();
    SincePrevious {
        report_id: id,
        until: previous.heading.to,
        completion: previous.summary.plan.completion,
        status_changes: diff
            .status_changes
            .iter()
            .map(|c| LabelledChange {
                action_id: c.action_id,
                action: title(c.action_id, &c.title),
                before: c.before.label(lang).to_owned(),
                after: c.after.label(lang).to_owned(),
            })
            .collect(),
        slipped: diff
            .slipped_deadlines
            .iter()
            .map(|s| LabelledChange {
                action_id: s.action_id,
                action: title(s.action_id, &s.title),
                before: s.before.join(" ; "),
                after: s.after.join(" ; "),
            })
            .collect(),
        added: diff.added.iter().map(|a| a.title.clone()).collect(),
        removed: diff.removed.iter().map(|a| a.title.clone()).collect(),
    }
}

fn heading(input: &ReportInput, history: &History<'_>, period: ReportPeriod, lang: Lang) -> Heading {
    let plan = &input.tree.plan;
    let last_updated_on = history
        .entries
        .iter()
        .map(|e| e.effective_on)
        .filter(|day| *day <= period.as_of)
        .max()
        .unwrap_or_else(|| local_day(plan.updated_at));
    Heading {
        plan_id: plan.id.0,
        title: plan.title.clone(),
        organization: plan.organization.clone(),
        period_start: plan.period_start,
        period_end: plan.period_end,
        from: period.from,
        to: period.to,
        as_of: period.as_of,
        last_updated_on,
        lang: lang.code().to_owned(),
        adoption: plan
            .adopted_on
            .filter(|on| *on <= period.as_of)
            .zip(plan.adoption_resolution.clone())
            .map(|(on, resolution)| Adoption { on, resolution }),
        closed_on: plan.closed_on.filter(|on| *on <= period.as_of),
    }
}

fn labels(deadlines: &[Deadline]) -> Vec<String> {
    deadlines.iter().map(|d| d.label.clone()).collect()
}

fn table_action(action: &ActionNode, entry: &StatusUpdate, continued_from: Option<String>, lang: Lang) -> TableAction {
    TableAction {
        action_id: action.action.id.0,
        title: action.action.title.clone(),
        responsible_organization: action.action.responsible_organization.clone(),
        deadlines: labels(&action.deadlines),
        status: entry.new_status,
        status_label: entry.new_status.label(lang).to_owned(),
        note: entry.note.clone(),
        progress: entry.progress.clone(),
        progress_text: entry.progress.as_ref().map(Progress::render),
        due_on: action.deadlines.iter().filter_map(|d| d.ends_on).max(),
        highlighted: entry.new_status.is_highlighted(),
        last_change: entry.effective_on,
        continued_from,
        details: details(&action.action, lang),
    }
}

/// What the plan's other columns say of the action, each named as a reader of `lang` reads it.
fn details(action: &crate::actions::model::Action, lang: Lang) -> Vec<NamedField> {
    let field = |(name, value): (&str, &str)| NamedField {
        name: name.to_owned(),
        value: value.to_owned(),
    };
    action.details(lang).into_iter().map(field).collect()
}

type States<'a> = HashMap<ActionId, &'a StatusUpdate>;

/// The plan table and its summary, orientation by orientation: the actions that existed
/// at `as_of`, with their state then, and the counts and completion of each level.
fn plan_table(
    tree: &PlanTree,
    states: &States<'_>,
    continued_from: &HashMap<ActionId, String>,
    lang: Lang,
) -> (Vec<TableOrientation>, Summary) {
    let mut table = Vec::new();
    let mut summaries = Vec::new();
    let mut plan_states = Vec::new();
    let mut orientation_shares = Vec::new();
    for node in &tree.orientations {
        let orientation = &node.orientation;
        let mut objectives = Vec::new();
        let mut objective_summaries = Vec::new();
        let mut orientation_states = Vec::new();
        let mut objective_shares = Vec::new();
        for objective in &node.objectives {
            let mut rows = Vec::new();
            let mut objective_states = Vec::new();
            for action in &objective.actions {
                let Some(entry) = states.get(&action.action.id) else {
                    continue; // created after `as_of`
                };
                objective_states.push((entry.new_status, entry.progress.as_ref()));
                rows.push(table_action(
                    action,
                    entry,
                    continued_from.get(&action.action.id).cloned(),
                    lang,
                ));
            }
            let share = completion_of(&objective_states);
            objective_shares.extend(share);
            objective_summaries.push(ObjectiveSummary {
                title: objective.objective.title.clone(),
                counts: count(&objective_states, share),
            });
            orientation_states.extend(objective_states);
            objectives.push(TableObjective {
                title: objective.objective.title.clone(),
                deadlines: labels(&objective.deadlines),
                actions: rows,
            });
        }
        let share = mean(&objective_shares);
        orientation_shares.extend(share);
        summaries.push(OrientationSummary {
            number: orientation.position,
            title: orientation.title.clone(),
            counts: count(&orientation_states, share),
            objectives: objective_summaries,
        });
        plan_states.extend(orientation_states);
        table.push(TableOrientation {
            number: orientation.position,
            title: orientation.title.clone(),
            objectives,
        });
    }
    let summary = Summary {
        plan: count(&plan_states, mean(&orientation_shares)),
        orientations: summaries,
    };
    (table, summary)
}

/// What moved in the period. An entry with no previous status records where an action
/// started, at its creation or import: not a movement.
fn moved(
    history: &History<'_>,
    places: &HashMap<ActionId, Place<'_>>,
    authors: &HashMap<UserId, String>,
    period: ReportPeriod,
    lang: Lang,
) -> Vec<Movement> {
    history
        .entries
        .iter()
        .filter(|e| e.previous_status.is_some() && (period.from..=period.to).contains(&e.effective_on))
        .filter_map(|e| {
            let place = places.get(&e.action_id)?;
            Some(Movement {
                on: e.effective_on,
                at: e.created_at,
                action_id: e.action_id.0,
                action: place.action.action.title.clone(),
                orientation: place.orientation,
                objective: place.objective.title.clone(),
                previous_status: e.previous_status,
                new_status: e.new_status,
                previous_label: e.previous_status.map(|s| s.label(lang).to_owned()),
                new_label: e.new_status.label(lang).to_owned(),
                note: e.note.clone(),
                progress: e.progress.clone(),
                author: e.author_id.and_then(|id| authors.get(&id).cloned()),
                decision: e.decision.clone(),
            })
        })
        .collect()
}

/// Late at `as_of`: the earliest missed deadline of each unfinished action, the latest
/// first.
fn late(
    places: &HashMap<ActionId, Place<'_>>,
    states: &States<'_>,
    period: ReportPeriod,
    lang: Lang,
) -> Vec<LateAction> {
    let mut late: Vec<LateAction> = places
        .values()
        .filter_map(|place| {
            let action = place.action;
            let entry = states.get(&action.action.id)?;
            if !entry.new_status.can_be_late() {
                return None;
            }
            let (ended_on, missed) = action
                .deadlines
                .iter()
                .filter_map(|d| d.ends_on.filter(|end| *end < period.as_of).map(|end| (end, d)))
                .min_by_key(|(end, _)| *end)?;
            Some(LateAction {
                action_id: action.action.id.0,
                action: action.action.title.clone(),
                orientation: place.orientation,
                objective: place.objective.title.clone(),
                status: entry.new_status,
                status_label: entry.new_status.label(lang).to_owned(),
                deadline: missed.label.clone(),
                deadline_rendering: missed.rendering.clone(),
                ended_on,
                days_late: (period.as_of - ended_on).num_days(),
                note: entry.note.clone(),
            })
        })
        .collect();
    late.sort_by(|a, b| {
        b.days_late
            .cmp(&a.days_late)
            .then(a.orientation.cmp(&b.orientation))
            .then(a.action_id.cmp(&b.action_id))
    });
    late
}

/// Postponed at `as_of`, in plan order: since when, and the decision and note of the entry
/// that postponed each (the latest one that set the status).
fn postponed(places: &HashMap<ActionId, Place<'_>>, history: &History<'_>) -> Vec<PostponedAction> {
    let mut postponed: Vec<PostponedAction> = places
        .values()
        .filter_map(|place| {
            let id = place.action.action.id;
            let state = history.states.get(&id)?;
            if state.new_status != ActionStatus::Postponed {
                return None;
            }
            // The entry that made it postponed: the last one by `as_of` whose previous status
            // was another (later entries may only change the note).
            let decided = history
                .entries
                .iter()
                .filter(|e| e.action_id == id && e.effective_on <= state.effective_on)
                .rfind(|e| e.previous_status != Some(ActionStatus::Postponed))
                .copied()
                .unwrap_or(state);
            Some(PostponedAction {
                action_id: id.0,
                action: place.action.action.title.clone(),
                orientation: place.orientation,
                objective: place.objective.title.clone(),
                since: decided.effective_on,
                note: state.note.clone(),
                decision: decided.decision.clone().or_else(|| state.decision.clone()),
            })
        })
        .collect();
    postponed.sort_by_key(|p| (p.orientation, p.action_id));
    postponed
}

/// Coming up: the deadline periods ending in the month after `as_of`, of the objectives
/// and of the actions that existed then, soonest first (in plan order among equals).
fn coming_up(tree: &PlanTree, states: &States<'_>, period: ReportPeriod, lang: Lang) -> Vec<ComingUp> {
    let horizon = period.as_of.checked_add_months(Months::new(1)).unwrap_or(period.as_of);
    let objectives = tree.orientations.iter().flat_map(|o| o.objectives.iter());
    let owned = objectives.flat_map(|b| {
        let own = b.deadlines.iter().map(move |d| (b, None, d));
        let of_actions = b
            .actions
            .iter()
            .filter_map(|a| Some((a, states.get(&a.action.id)?)))
            .filter(|(_, entry)| entry.new_status.is_pending())
            .flat_map(move |(a, entry)| a.deadlines.iter().map(move |d| (b, Some((a, *entry)), d)));
        own.chain(of_actions)
    });
    let mut coming_up: Vec<ComingUp> = owned
        .flat_map(|(b, action, d)| d.periods.iter().map(move |p| (b, action, d, p)))
        .filter(|(.., p)| p.end > period.as_of && p.end <= horizon)
        .map(|(b, action, d, p)| ComingUp {
            start: p.start,
            end: p.end,
            deadline: d.label.clone(),
            deadline_rendering: d.rendering.clone(),
            action_id: action.map(|(a, _)| a.action.id.0),
            action: action.map(|(a, _)| a.action.title.clone()),
            objective: b.objective.title.clone(),
            status_label: action.map(|(_, e)| e.new_status.label(lang).to_owned()),
        })
        .collect();
    coming_up.sort_by(|a, b| (a.end, a.start, &a.deadline).cmp(&(b.end, b.start, &b.deadline)));
    coming_up
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn the_default_period_is_the_previous_month() {
        let period = ReportPeriod::previous_month(day("2013-11-14"));
        assert_eq!(
            (period.from, period.to, period.as_of),
            (day("2013-10-01"), day("2013-10-31"), day("2013-10-31"))
        );
        let january = ReportPeriod::previous_month(day("2014-01-01"));
        assert_eq!((january.from, january.to), (day("2013-12-01"), day("2013-12-31")));
    }

    #[test]
    fn a_plan_that_has_ended_reports_its_last_month_by_default() {
        let period = ReportPeriod::default_for(day("2014-06-30"), day("2026-11-28"));
        assert_eq!((period.from, period.to), (day("2014-06-01"), day("2014-06-30")));
        let running = ReportPeriod::default_for(day("2027-06-30"), day("2026-11-28"));
        assert_eq!((running.from, running.to), (day("2026-10-01"), day("2026-10-31")));
        let february = ReportPeriod::month_of(day("2024-02-10"));
        assert_eq!((february.from, february.to), (day("2024-02-01"), day("2024-02-29")));
    }

    #[test]
    fn completion_counts_progress_and_leaves_cancelled_out() {
        let six = Progress::new(6, 16, "régions");
        let states = [
            (ActionStatus::Completed, None),
            (ActionStatus::InProgress, Some(&six)),
            (ActionStatus::InProgress, None),
            (ActionStatus::NotStarted, None),
            (ActionStatus::Cancelled, None),
        ];
        let share = completion_of(&states).unwrap_or_default();
        assert!((share - (1.0 + 0.375 + 0.5 + 0.0) / 4.0).abs() < 1e-9, "{share}");
        assert_eq!(completion_of(&[]), None);
        let counts = count(&states, Some(share));
        assert_eq!(
            (counts.completed, counts.in_progress, counts.cancelled, counts.total),
            (1, 2, 1, 5)
        );
        assert_eq!(counts.completion, Some(0.469));
        assert_eq!(count(&[], completion_of(&[])).completion, None, "nothing to measure");
    }
}
