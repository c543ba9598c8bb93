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

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::America::Montreal;

use super::model::*;
use crate::actions::history::StatusUpdate;
use crate::actions::model::Action;
use crate::deadlines::model::Deadline;
use crate::glossary::model::GlossaryEntry;
use crate::i18n::Lang;
use crate::ids::{ActionId, ObjectiveId, OrientationId, UserId};
use crate::objectives::model::Objective;
use crate::orientations::model::Orientation;
use crate::plans::model::Plan;
use crate::progress::ActionStatus;
use crate::progress::Progress;

/// Everything the report is made from, as loaded.
#[derive(Debug, Clone)]
pub struct ReportInput {
    pub plan: Plan,
    pub orientations: Vec<Orientation>,
    pub objectives: Vec<Objective>,
    pub actions: Vec<Action>,
    pub deadlines: Vec<Deadline>,
    pub glossary: Vec<GlossaryEntry>,
    /// Every history entry of the plan's actions, in any order.
    pub history: Vec<StatusUpdate>,
    /// User id → display name.
    pub authors: HashMap<UserId, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
}

impl ReportPeriod {
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

/// The day an instant falls on in Québec.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Montreal).date_naive()
}

impl ReportPeriod {
    /// The instant after which no history entry matters to the report: the end of the later
    /// of `to` and `as_of`, in Québec.
    pub fn history_until(&self) -> DateTime<Utc> {
        let next_day = self.to.max(self.as_of).succ_opt().unwrap_or(NaiveDate::MAX);
        let midnight = next_day.and_time(chrono::NaiveTime::MIN);
        Montreal
            .from_local_datetime(&midnight)
            .earliest()
            .map_or(DateTime::<Utc>::MAX_UTC, |at| at.with_timezone(&Utc))
    }
}

fn completion_of(states: &[(ActionStatus, Option<&Progress>)]) -> Option<f64> {
    let counted: Vec<f64> = states
        .iter()
        .filter(|(status, _)| *status != ActionStatus::Cancelled)
        .map(|(status, progress)| match (status, progress) {
            (ActionStatus::Completed, _) => 1.0,
            (ActionStatus::InProgress | ActionStatus::Ongoing, Some(p)) if p.target > 0 => {
                (f64::from(p.done) / f64::from(p.target)).min(0.99)
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
        completion: round(completion.unwrap_or(0.0)),
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

pub fn build(input: &ReportInput, period: ReportPeriod, lang: Lang) -> ProgressReport {
    let mut history: Vec<&StatusUpdate> = input.history.iter().collect();
    history.sort_by_key(|e| (e.created_at, e.id));
    // Each action's last entry up to the end of `as_of`.
    let mut states: HashMap<ActionId, &StatusUpdate> = HashMap::new();
    for entry in history.iter().filter(|e| local_day(e.created_at) <= period.as_of) {
        states.insert(entry.action_id, *entry);
    }
    let orientation_of: HashMap<OrientationId, &Orientation> = input.orientations.iter().map(|o| (o.id, o)).collect();
    let objective_of: HashMap<ObjectiveId, &Objective> = input.objectives.iter().map(|o| (o.id, o)).collect();
    let action_of: HashMap<ActionId, &Action> = input.actions.iter().map(|a| (a.id, a)).collect();
    let mut deadlines_of_action: HashMap<ActionId, Vec<&Deadline>> = HashMap::new();
    let mut deadlines_of_objective: HashMap<ObjectiveId, Vec<&Deadline>> = HashMap::new();
    for deadline in &input.deadlines {
        match (deadline.action_id, deadline.objective_id) {
            (Some(action), _) => deadlines_of_action.entry(action).or_default().push(deadline),
            (None, Some(objective)) => deadlines_of_objective.entry(objective).or_default().push(deadline),
            _ => {}
        }
    }
    for list in deadlines_of_action
        .values_mut()
        .chain(deadlines_of_objective.values_mut())
    {
        list.sort_by_key(|d| d.position);
    }
    let place = |action: &Action| {
        let objective = objective_of.get(&action.objective_id);
        let number = objective
            .and_then(|o| orientation_of.get(&o.orientation_id))
            .map_or(0, |o| o.position);
        (number, objective.map(|o| o.title.clone()).unwrap_or_default())
    };

    // The plan table and the summary, orientation by orientation.
    let mut table = Vec::new();
    let mut summaries = Vec::new();
    let mut all_states = Vec::new();
    let mut orientation_shares = Vec::new();
    let mut orientations: Vec<&Orientation> = input.orientations.iter().collect();
    orientations.sort_by_key(|o| o.position);
    for orientation in orientations {
        let mut objectives: Vec<&Objective> = input
            .objectives
            .iter()
            .filter(|o| o.orientation_id == orientation.id)
            .collect();
        objectives.sort_by_key(|o| o.position);
        let mut table_objectives = Vec::new();
        let mut objective_summaries = Vec::new();
        let mut orientation_states = Vec::new();
        let mut objective_shares = Vec::new();
        for objective in objectives {
            let mut actions: Vec<&Action> = input
                .actions
                .iter()
                .filter(|a| a.objective_id == objective.id)
                .collect();
            actions.sort_by_key(|a| a.position);
            let mut rows = Vec::new();
            let mut objective_states = Vec::new();
            for action in actions {
                let Some(&entry) = states.get(&action.id) else {
                    continue; // created after `as_of`
                };
                objective_states.push((entry.new_status, entry.progress.as_ref()));
                rows.push(TableAction {
                    action_id: action.id.0,
                    title: action.title.clone(),
                    responsible_organization: action.responsible_organization.clone(),
                    deadlines: deadlines_of_action
                        .get(&action.id)
                        .into_iter()
                        .flatten()
                        .map(|d| d.label.clone())
                        .collect(),
                    status: entry.new_status,
                    status_label: entry.new_status.label(lang).to_owned(),
                    note: entry.note.clone(),
                    progress: entry.progress.clone(),
                    progress_text: entry.progress.as_ref().map(Progress::render),
                    due_on: deadlines_of_action
                        .get(&action.id)
                        .into_iter()
                        .flatten()
                        .filter_map(|d| d.ends_on)
                        .max(),
                    highlighted: matches!(entry.new_status, ActionStatus::Completed | ActionStatus::InProgress),
                    last_change: local_day(entry.created_at),
                });
            }
            let share = completion_of(&objective_states);
            objective_shares.extend(share);
            objective_summaries.push(ObjectiveSummary {
                title: objective.title.clone(),
                counts: count(&objective_states, share),
            });
            orientation_states.extend(objective_states);
            table_objectives.push(TableObjective {
                title: objective.title.clone(),
                deadlines: deadlines_of_objective
                    .get(&objective.id)
                    .into_iter()
                    .flatten()
                    .map(|d| d.label.clone())
                    .collect(),
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
        all_states.extend(orientation_states);
        table.push(TableOrientation {
            number: orientation.position,
            title: orientation.title.clone(),
            objectives: table_objectives,
        });
    }
    let plan_counts = count(&all_states, mean(&orientation_shares));

    // What moved in the period (an entry with no previous status records where an
    // action started, at its creation or import: not a movement).
    let moved = history
        .iter()
        .filter(|e| e.previous_status.is_some() && (period.from..=period.to).contains(&local_day(e.created_at)))
        .filter_map(|e| {
            let action = action_of.get(&e.action_id)?;
            let (orientation, objective) = place(action);
            Some(Movement {
                at: e.created_at,
                action_id: action.id.0,
                action: action.title.clone(),
                orientation,
                objective,
                previous_status: e.previous_status,
                new_status: e.new_status,
                previous_label: e.previous_status.map(|s| s.label(lang).to_owned()),
                new_label: e.new_status.label(lang).to_owned(),
                note: e.note.clone(),
                progress: e.progress.clone(),
                author: e.author_id.and_then(|id| input.authors.get(&id).cloned()),
                decision: e.decision.clone(),
            })
        })
        .collect();

    // Late at `as_of`: the earliest missed deadline of each unfinished action.
    let mut late: Vec<LateAction> = input
        .actions
        .iter()
        .filter_map(|action| {
            let entry = *states.get(&action.id)?;
            if matches!(entry.new_status, ActionStatus::Completed | ActionStatus::Cancelled) {
                return None;
            }
            let missed = deadlines_of_action
                .get(&action.id)?
                .iter()
                .filter_map(|d| d.ends_on.filter(|end| *end < period.as_of).map(|end| (end, *d)))
                .min_by_key(|(end, _)| *end)?;
            let (orientation, objective) = place(action);
            Some(LateAction {
                action_id: action.id.0,
                action: action.title.clone(),
                orientation,
                objective,
                status: entry.new_status,
                status_label: entry.new_status.label(lang).to_owned(),
                deadline: missed.1.label.clone(),
                deadline_rendering: missed.1.rendering.clone(),
                ended_on: missed.0,
                days_late: (period.as_of - missed.0).num_days(),
            })
        })
        .collect();
    late.sort_by(|a, b| {
        b.days_late
            .cmp(&a.days_late)
            .then(a.orientation.cmp(&b.orientation))
            .then(a.action_id.cmp(&b.action_id))
    });

    // Coming up: periods ending in the month after `as_of`.
    let horizon = period.as_of.checked_add_months(Months::new(1)).unwrap_or(period.as_of);
    let mut coming_up: Vec<ComingUp> = input
        .deadlines
        .iter()
        .flat_map(|d| d.periods.iter().map(move |p| (d, p)))
        .filter(|(_, p)| p.end > period.as_of && p.end <= horizon)
        .filter_map(|(d, p)| {
            let action = d.action_id.and_then(|id| action_of.get(&id).copied());
            if action.is_some_and(|a| !states.contains_key(&a.id)) {
                return None;
            }
            let objective_id = d.objective_id.or(action.map(|a| a.objective_id))?;
            Some(ComingUp {
                start: p.start,
                end: p.end,
                deadline: d.label.clone(),
                deadline_rendering: d.rendering.clone(),
                action_id: action.map(|a| a.id.0),
                action: action.map(|a| a.title.clone()),
                objective: objective_of
                    .get(&objective_id)
                    .map(|o| o.title.clone())
                    .unwrap_or_default(),
                status_label: action
                    .and_then(|a| states.get(&a.id))
                    .map(|e| e.new_status.label(lang).to_owned()),
            })
        })
        .collect();
    coming_up.sort_by(|a, b| (a.end, a.start, &a.deadline).cmp(&(b.end, b.start, &b.deadline)));

    let last_updated_on = history
        .iter()
        .map(|e| local_day(e.created_at))
        .filter(|day| *day <= period.as_of)
        .max()
        .unwrap_or_else(|| local_day(input.plan.updated_at));
    ProgressReport {
        heading: Heading {
            plan_id: input.plan.id.0,
            title: input.plan.title.clone(),
            organization: input.plan.organization.clone(),
            period_start: input.plan.period_start,
            period_end: input.plan.period_end,
            from: period.from,
            to: period.to,
            as_of: period.as_of,
            last_updated_on,
            lang: lang.code().to_owned(),
        },
        summary: Summary {
            plan: plan_counts,
            orientations: summaries,
        },
        moved,
        late,
        coming_up,
        table,
        glossary: input
            .glossary
            .iter()
            .map(|g| GlossaryLine {
                acronym: g.acronym.clone(),
                definition: g.definition.clone(),
            })
            .collect(),
        certification: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn history_is_needed_up_to_midnight_in_quebec_after_the_later_of_to_and_as_of() {
        let october = ReportPeriod::previous_month(day("2013-11-14"));
        let until = october.history_until();
        // 1 November 2013, midnight in Québec, is 04:00 UTC (daylight time until 3 November).
        assert_eq!(until.to_rfc3339(), "2013-11-01T04:00:00+00:00");
        assert_eq!(local_day(until - chrono::Duration::seconds(1)), day("2013-10-31"));
        let january = ReportPeriod {
            as_of: day("2014-01-31"),
            ..ReportPeriod::previous_month(day("2014-01-05"))
        };
        assert_eq!(january.history_until().to_rfc3339(), "2014-02-01T05:00:00+00:00");
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
    fn completion_counts_progress_and_leaves_cancelled_out() {
        let six = Progress {
            done: 6,
            target: 16,
            unit: "régions".to_owned(),
        };
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
        assert_eq!(counts.completion, 0.469);
    }
}
