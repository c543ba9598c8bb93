//! The plan as in the document: orientations → objectives → actions with their échéancier
//! and état, the share completed per orientation, and filters (mine, late, due within 30
//! days, status, accent-insensitive search). One page holds up to `PAGE_SIZE` actions, so
//! that the 10,000-action plan renders as fast as the real one.

use std::collections::{HashMap, HashSet};

use actix_web::{HttpRequest, web};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use maud::{Markup, html};
use serde::Deserialize;

use super::error::WebResult;
use super::layout::{self, Frame, Section, encode};
use super::session::Visitor;
use super::status::{badge, rich};
use crate::actions::model::{Action, ActionQuery};
use crate::db::schema::{action_assignees, actions, deadlines, objectives, orientations};
use crate::error::ApiResult;
use crate::i18n::Lang;
use crate::ids::{ActionId, ObjectiveId, OrientationId, PlanId, UserId};
use crate::objectives::model::Objective;
use crate::orientations::model::Orientation;
use crate::plans::tree::{Outline, load_outline};
use crate::progress::{ActionStatus, Progress};
use crate::state::AppState;
use crate::text::{long_date, percent};

pub const PAGE_SIZE: i64 = 100;
/// "Due soon" on the page: within this many days.
pub const DUE_SOON_DAYS: i32 = 30;

/// The filters, as the form sends them (`?mine=1&late=1&due=1&status=completed&q=…&page=2`).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PlanFilters {
    #[serde(default)]
    pub mine: Option<String>,
    #[serde(default)]
    pub late: Option<String>,
    #[serde(default)]
    pub due: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub page: Option<String>,
}

fn on(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty() && v != "0")
}

impl PlanFilters {
    fn status(&self) -> Option<ActionStatus> {
        self.status.as_deref().and_then(ActionStatus::parse)
    }

    fn text(&self) -> Option<String> {
        // Longer searches are cut, not refused: the page must always answer.
        let text: String = self.q.as_deref().unwrap_or("").trim().chars().take(200).collect();
        (!text.is_empty()).then_some(text)
    }

    fn page(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .clamp(1, 100_000)
    }

    fn any(&self) -> bool {
        on(&self.mine) || on(&self.late) || on(&self.due) || self.status().is_some() || self.text().is_some()
    }

    /// The query string of these filters on another page.
    fn with_page(&self, page: i64) -> String {
        let mut parts = Vec::new();
        for (name, value) in [("mine", &self.mine), ("late", &self.late), ("due", &self.due)] {
            if on(value) {
                parts.push(format!("{name}=1"));
            }
        }
        if let Some(status) = self.status() {
            parts.push(format!("status={}", status.as_str()));
        }
        if let Some(text) = self.text() {
            parts.push(format!("q={}", encode(&text)));
        }
        parts.push(format!("page={page}"));
        parts.join("&")
    }

    pub fn query(&self, plan_id: PlanId, user_id: UserId) -> ActionQuery {
        ActionQuery {
            plan_id: Some(plan_id),
            orientation_id: None,
            objective_id: None,
            statuses: self.status().into_iter().collect(),
            text: self.text(),
            due_before: None,
            due_after: None,
            due_within_days: on(&self.due).then_some(DUE_SOON_DAYS),
            late: on(&self.late),
            as_of: crate::clock::today(),
            kind: None,
            assigned_to: on(&self.mine).then_some(user_id),
            limit: PAGE_SIZE,
            offset: (self.page() - 1) * PAGE_SIZE,
        }
    }
}

/// Everything the page shows, loaded in a fixed number of queries.
pub struct PlanView {
    pub outline: Outline,
    pub actions: Vec<Action>,
    pub total: i64,
    /// Labels of the échéancier, by action and by objective (for objectives without action).
    pub action_deadlines: HashMap<ActionId, Vec<String>>,
    pub objective_deadlines: HashMap<ObjectiveId, Vec<String>>,
    /// Per orientation: (completed actions, actions, share completed as the report counts it).
    pub shares: HashMap<OrientationId, (usize, usize, Option<f64>)>,
    pub mine: HashSet<ActionId>,
}

type StateRow = (OrientationId, ActionStatus, Option<i32>, Option<i32>, Option<String>);

impl PlanView {
    pub async fn load(
        conn: &mut AsyncPgConnection,
        plan_id: PlanId,
        filters: &PlanFilters,
        user_id: UserId,
    ) -> ApiResult<PlanView> {
        let outline = load_outline(conn, plan_id).await?;
        let (actions, total) = Action::search(conn, &filters.query(plan_id, user_id)).await?;
        let ids: Vec<ActionId> = actions.iter().map(|a| a.id).collect();
        let objective_ids: Vec<ObjectiveId> = outline.objectives.iter().map(|o| o.id).collect();
        let labels: Vec<(Option<ActionId>, Option<ObjectiveId>, String)> = deadlines::table
            .filter(
                deadlines::action_id
                    .eq_any(&ids)
                    .or(deadlines::objective_id.eq_any(&objective_ids)),
            )
            .order(deadlines::position)
            .select((deadlines::action_id, deadlines::objective_id, deadlines::label))
            .load(conn)
            .await?;
        let mut action_deadlines: HashMap<ActionId, Vec<String>> = HashMap::new();
        let mut objective_deadlines: HashMap<ObjectiveId, Vec<String>> = HashMap::new();
        for (action, objective, label) in labels {
            match (action, objective) {
                (Some(a), _) => action_deadlines.entry(a).or_default().push(label),
                (None, Some(o)) => objective_deadlines.entry(o).or_default().push(label),
                (None, None) => {}
            }
        }
        let states: Vec<StateRow> = actions::table
            .inner_join(objectives::table.inner_join(orientations::table))
            .filter(orientations::plan_id.eq(plan_id))
            .select((
                objectives::orientation_id,
                actions::status,
                actions::progress_done,
                actions::progress_target,
                actions::progress_unit,
            ))
            .load(conn)
            .await?;
        let mine = action_assignees::table
            .filter(action_assignees::user_id.eq(user_id))
            .filter(action_assignees::action_id.eq_any(&ids))
            .select(action_assignees::action_id)
            .load::<ActionId>(conn)
            .await?
            .into_iter()
            .collect();
        Ok(PlanView {
            outline,
            actions,
            total,
            action_deadlines,
            objective_deadlines,
            shares: shares(states),
            mine,
        })
    }
}

/// The share completed of each orientation, counted as the monthly report counts it.
fn shares(states: Vec<StateRow>) -> HashMap<OrientationId, (usize, usize, Option<f64>)> {
    let mut by_orientation: HashMap<OrientationId, Vec<(ActionStatus, Option<Progress>)>> = HashMap::new();
    for (orientation, status, done, target, unit) in states {
        by_orientation
            .entry(orientation)
            .or_default()
            .push((status, Progress::from_columns(done, target, unit)));
    }
    by_orientation
        .into_iter()
        .map(|(orientation, states)| {
            let refs: Vec<(ActionStatus, Option<&Progress>)> = states.iter().map(|(s, p)| (*s, p.as_ref())).collect();
            let completed = states.iter().filter(|(s, _)| *s == ActionStatus::Completed).count();
            let share = crate::reports::build::completion_of(&refs);
            (orientation, (completed, states.len(), share))
        })
        .collect()
}

pub(super) async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    id: web::Path<PlanId>,
    filters: web::Query<PlanFilters>,
) -> WebResult {
    visitor.user.require(crate::auth::Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    let view = PlanView::load(&mut conn, *id, &filters, visitor.user.id()).await?;
    drop(conn);
    let here = req.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned();
    Ok(layout::ok(render_plan_page(&visitor, &view, &filters, &here)))
}

/// The whole page (a plain function, so the benchmark measures it alone).
pub fn render_plan_page(visitor: &Visitor, view: &PlanView, filters: &PlanFilters, here: &str) -> Markup {
    let l = visitor.lang;
    let plan = &view.outline.plan;
    let frame = Frame {
        visitor,
        title: &plan.title,
        section: Section::Plan,
        plan_id: Some(plan.id.0),
        here,
    };
    layout::page(
        &frame,
        html! {
            h1 { (plan.title) }
            p.meta {
                (plan.organization) " · "
                (l.pick("Mise à jour : ", "Updated: "))
                (long_date(crate::clock::local_day(view.outline.last_updated_at), l))
            }
            (standing(plan, l))
            (shares_section(view, l))
            (filters_form(plan.id, filters, l))
            (results(view, filters, l))
        },
    )
}

/// Where the plan stands in its year: a draft, adopted by the board, or closed.
fn standing(plan: &crate::plans::model::Plan, l: Lang) -> Markup {
    use crate::lifecycle::PlanState;
    let adopted = plan.adopted_on.zip(plan.adoption_resolution.as_deref());
    html! {
        p.standing {
            @match (plan.state, adopted) {
                (PlanState::Draft, _) | (_, None) => {
                    strong { (l.pick("Ébauche", "Draft")) }
                    (l.pick(" : ce plan n'est pas encore adopté par le CA.", ": this plan is not yet adopted by the board."))
                }
                (state, Some((on, resolution))) => {
                    strong { (l.pick("Adopté", "Adopted")) }
                    (l.pick(" par le CA le ", " by the board on ")) (long_date(on, l))
                    " (" (l.pick("résolution ", "resolution ")) (resolution) ")"
                    @if let (PlanState::Closed, Some(closed_on)) = (state, plan.closed_on) {
                        " · " strong { (l.pick("Fermé", "Closed")) } " " (l.pick("le ", "on ")) (long_date(closed_on, l))
                        (l.pick(" : il se lit, il ne se modifie plus.", ": it can be read, it no longer changes."))
                    }
                }
            }
        }
    }
}

fn shares_section(view: &PlanView, l: Lang) -> Markup {
    html! {
        section aria-labelledby="shares-title" {
            h2 #shares-title { (l.pick("Avancement par orientation", "Progress by orientation")) }
            ul.shares {
                @for (n, o) in view.outline.orientations.iter().enumerate() {
                    @let (completed, total, share) = view.shares.get(&o.id).copied().unwrap_or((0, 0, None));
                    @let label_id = format!("share-{}", o.id.0);
                    li {
                        span #(label_id) { "Orientation " (n + 1) " : " (rich(&o.title)) }
                        span.share {
                            @if let Some(value) = share {
                                progress value=(format!("{value:.3}")) max="1" aria-labelledby=(label_id) { (percent(share, l)) }
                            }
                            " " strong { (percent(share, l)) } " "
                            (match l {
                                Lang::Fr => format!("({completed} action{} complétée{} sur {total})", plural(completed), plural(completed)),
                                Lang::En => format!("({completed} of {total} actions completed)"),
                            })
                        }
                    }
                }
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}

fn filters_form(plan_id: PlanId, filters: &PlanFilters, l: Lang) -> Markup {
    let action = format!("/plans/{}", plan_id.0);
    let current = filters.status();
    html! {
        form.filters method="get" action=(action) role="search"
            hx-get=(action) hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true" {
            fieldset {
                legend { (l.pick("Filtrer les actions", "Filter the actions")) }
                label.check { input type="checkbox" name="mine" value="1" checked[on(&filters.mine)]; (l.pick("Mes actions", "My actions")) }
                label.check { input type="checkbox" name="late" value="1" checked[on(&filters.late)]; (l.pick("En retard", "Late")) }
                label.check { input type="checkbox" name="due" value="1" checked[on(&filters.due)]; (l.pick("Échéance dans les 30 jours", "Due in the next 30 days")) }
                label for="status" { (l.pick("État", "Status")) }
                select #status name="status" {
                    option value="" { (l.pick("Tous", "All")) }
                    @for s in ActionStatus::ALL {
                        option value=(s.as_str()) selected[current == Some(*s)] { (s.label(l)) }
                    }
                }
                label for="q" { (l.pick("Rechercher", "Search")) }
                input #q type="search" name="q" value=(filters.text().unwrap_or_default()) maxlength=(crate::actions::dto::Search::MAX);
                button type="submit" { (l.pick("Filtrer", "Filter")) }
                " "
                a href=(action) { (l.pick("Tout afficher", "Show all")) }
            }
        }
    }
}

fn results(view: &PlanView, filters: &PlanFilters, l: Lang) -> Markup {
    let page = filters.page();
    let pages = ((view.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let shown: HashSet<ObjectiveId> = view.actions.iter().map(|a| a.objective_id).collect();
    // Without filters the page reads like the document: objectives without actions stay in place.
    let first = view.outline.objectives.iter().position(|o| shown.contains(&o.id));
    let last = view.outline.objectives.iter().rposition(|o| shown.contains(&o.id));
    let range = match (filters.any(), first, last) {
        (false, Some(first), Some(last)) => {
            let from = if page == 1 { 0 } else { first };
            let to = if page >= pages {
                view.outline.objectives.len() - 1
            } else {
                last
            };
            Some((from, to))
        }
        (false, None, None) if view.total == 0 => {
            (!view.outline.objectives.is_empty()).then(|| (0, view.outline.objectives.len() - 1))
        }
        _ => None,
    };
    let objective_shown = |index: usize, id: ObjectiveId| match range {
        Some((from, to)) => (from..=to).contains(&index),
        None => shown.contains(&id),
    };
    let mut by_objective: HashMap<ObjectiveId, Vec<&Action>> = HashMap::new();
    for action in &view.actions {
        by_objective.entry(action.objective_id).or_default().push(action);
    }
    let orientations: HashMap<OrientationId, (usize, &Orientation)> = view
        .outline
        .orientations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id, (i + 1, o)))
        .collect();
    // Each shown objective, with its orientation's heading when it is the first of it shown.
    let mut current = None;
    let mut blocks = Vec::new();
    for (index, objective) in view.outline.objectives.iter().enumerate() {
        if objective_shown(index, objective.id) {
            let heading = (current != Some(objective.orientation_id))
                .then(|| orientations.get(&objective.orientation_id))
                .flatten();
            current = Some(objective.orientation_id);
            blocks.push((objective, heading));
        }
    }
    html! {
        section #results aria-labelledby="results-title" {
            h2 #results-title { (l.pick("Actions", "Actions")) }
            p role="status" {
                (match l {
                    Lang::Fr => format!("{} action{} trouvée{}", view.total, plural(view.total as usize), plural(view.total as usize)),
                    Lang::En => format!("{} action{} found", view.total, plural(view.total as usize)),
                })
                @if pages > 1 { (format!(" · page {page} / {pages}")) }
            }
            @for (objective, heading) in blocks {
                @if let Some((number, o)) = heading {
                    h3.orientation { "Orientation " (number) " : " (rich(&o.title)) }
                }
                (objective_block(view, objective, by_objective.get(&objective.id), l))
            }
            @if pages > 1 {
                nav.pages aria-label=(l.pick("Pages", "Pages")) {
                    @if page > 1 { a href={ "?" (filters.with_page(page - 1)) } rel="prev" { (l.pick("← Page précédente", "← Previous page")) } }
                    @if page < pages { a href={ "?" (filters.with_page(page + 1)) } rel="next" { (l.pick("Page suivante →", "Next page →")) } }
                }
            }
        }
    }
}

fn objective_block(view: &PlanView, objective: &Objective, actions: Option<&Vec<&Action>>, l: Lang) -> Markup {
    html! {
        div.objective {
            h4 { (l.pick("Objectif : ", "Objective: ")) (rich(&objective.title)) }
            @match actions {
                Some(actions) => {
                    table.actions {
                        thead { tr {
                            th scope="col" { (l.pick("Action", "Action")) }
                            th scope="col" { (l.pick("Échéancier", "Schedule")) }
                            th scope="col" { (l.pick("État d'avancement", "Progress")) }
                        } }
                        tbody {
                            @for action in actions {
                                tr {
                                    td data-label=(l.pick("Action", "Action")) {
                                        a href={ "/actions/" (action.id.0) } { (rich(&action.title)) }
                                        @if view.mine.contains(&action.id) { " " span.mine { (l.pick("assignée à vous", "assigned to you")) } }
                                        @if let Some(org) = &action.responsible_organization { br; small { (org) } }
                                        @for (name, value) in action.details(l) { br; small.detail { (name) (l.pick(" : ", ": ")) (rich(value)) } }
                                    }
                                    td data-label=(l.pick("Échéancier", "Schedule")) {
                                        (view.action_deadlines.get(&action.id).map(|d| d.join(" ; ")).unwrap_or_default())
                                    }
                                    td data-label=(l.pick("État d'avancement", "Progress")) {
                                        (badge(action.status, l))
                                        @if let Some(note) = &action.progress_note { " " (rich(note)) }
                                        @if let Some(p) = &action.progress { br; small { (p.render()) } }
                                    }
                                }
                            }
                        }
                    }
                }
                None => {
                    p.objective-deadline {
                        (l.pick("Échéancier : ", "Schedule: "))
                        (view.objective_deadlines.get(&objective.id).map(|d| d.join(" ; ")).unwrap_or_else(|| "—".to_owned()))
                    }
                }
            }
        }
    }
}
