//! An action: where it sits in the plan, its état, history and comments, and — for those
//! allowed — the status update form. The form carries the version it was read at; when
//! someone else changed the action in between, the page shows their change and offers to
//! apply the visitor's update again on top of it (never a silent overwrite).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use diesel_async::AsyncPgConnection;
use maud::{Markup, html};
use serde::Deserialize;

use super::error::WebResult;
use super::forms::{CsrfForm, Done, StatusForm, parse_id};
use super::layout::{self, Frame, Section, csrf_field, notice, refusal};
use super::session::Visitor;
use super::status::{badge, rich};
use crate::actions::history::{self, StatusUpdate};
use crate::actions::model::Action;
use crate::assignees::model::{self as assignees, Assignee, Assignment};
use crate::auth::Permission;
use crate::comments::dto::CommentBody;
use crate::comments::model::Comment;
use crate::deadlines::model::{Deadline, Owner};
use crate::error::{ApiError, ApiResult};
use crate::etag::IfMatch;
use crate::i18n::Lang;
use crate::ids::{ActionId, UserId};
use crate::objectives::model::Objective;
use crate::orientations::model::Orientation;
use crate::plans::model::Plan;
use crate::progress::measure;
use crate::state::AppState;
use crate::status_updates::service::{may_update, not_assigned, record};
use crate::text::long_date;
use crate::users::model::User;
use crate::write;
use crate::{actions, comments, status_updates};

/// What the page shows of an action, read in one go.
struct ActionView {
    action: Action,
    plan: Plan,
    orientation: Orientation,
    objective: Objective,
    deadlines: Vec<Deadline>,
    history: Vec<StatusUpdate>,
    comments: Vec<Comment>,
    assignees: Vec<Assignee>,
    names: HashMap<UserId, String>,
    /// The action across years (itself included), when it continues or is continued.
    lineage: Vec<crate::actions::lineage::LineageStep>,
    /// Active accounts, for the coordination's assignee form.
    accounts: Vec<User>,
    may_update: bool,
    /// Whether the visitor follows it (its news is sent to them).
    following: bool,
}

impl ActionView {
    async fn load(conn: &mut AsyncPgConnection, visitor: &Visitor, id: ActionId) -> ApiResult<ActionView> {
        let action = Action::read(conn, id).await?;
        let objective = Objective::read(conn, action.objective_id).await?;
        let orientation = Orientation::read(conn, objective.orientation_id).await?;
        let plan = Plan::read(conn, orientation.plan_id).await?;
        let users = User::list(conn).await?;
        let names = users.iter().map(|u| (u.id, u.display_name.clone())).collect();
        let accounts = if Permission::EditPlans.allows(visitor.role()) {
            users.into_iter().filter(|u| u.active).collect()
        } else {
            Vec::new()
        };
        Ok(ActionView {
            deadlines: Deadline::list(conn, Owner::Action(id)).await?,
            history: history::list(conn, id).await?,
            comments: Comment::list(conn, id).await?,
            assignees: assignees::list(conn, id).await?,
            may_update: may_update(conn, &visitor.user, id).await?,
            following: crate::follows::follows(conn, id, visitor.user.id()).await?,
            lineage: crate::actions::lineage::lineage(conn, id).await?,
            action,
            plan,
            orientation,
            objective,
            names,
            accounts,
        })
    }

    fn name(&self, id: Option<UserId>, l: Lang) -> String {
        match id {
            Some(id) => self.names.get(&id).cloned().unwrap_or_else(|| format!("#{}", id.0)),
            None => l.pick("Document du plan", "Plan document").to_owned(),
        }
    }
}

/// A status update that met someone else's change: what they did, and the visitor's own values.
struct Conflict {
    theirs: Vec<StatusUpdate>,
    mine: StatusForm,
}

pub(super) async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    id: web::Path<ActionId>,
    done: web::Query<Done>,
) -> WebResult {
    let l = visitor.lang;
    visitor.user.require(Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    let view = ActionView::load(&mut conn, &visitor, *id).await?;
    let message = match done.done.as_deref() {
        Some("status") => Some(notice(l.pick("Mise à jour enregistrée.", "Update recorded."))),
        Some("comment") => Some(notice(l.pick("Commentaire ajouté.", "Comment added."))),
        Some("assignees") => Some(notice(l.pick("Responsables modifiés.", "Assignees changed."))),
        Some("follow") => Some(notice(l.pick(
            "Vous suivez cette action : ses nouvelles vous sont envoyées par courriel.",
            "You follow this action: its news is sent to you by email.",
        ))),
        Some("unfollow") => Some(notice(
            l.pick("Vous ne suivez plus cette action.", "You no longer follow this action."),
        )),
        _ => None,
    };
    let here = req.uri().path().to_owned();
    Ok(layout::ok(render(
        &visitor,
        &view,
        &here,
        Outcome {
            message,
            ..Outcome::default()
        },
    )))
}

/// What a page shows beyond the action itself, after a form was sent.
#[derive(Default)]
struct Outcome<'a> {
    message: Option<Markup>,
    conflict: Option<&'a Conflict>,
    refused: Option<&'a ApiError>,
    /// A refused comment, given back to be corrected.
    draft: Option<&'a str>,
}

fn render(visitor: &Visitor, view: &ActionView, here: &str, outcome: Outcome<'_>) -> Markup {
    let Outcome {
        message,
        conflict,
        refused,
        draft,
    } = outcome;
    let l = visitor.lang;
    let a = &view.action;
    let title = crate::reports::labels::plain(&a.title);
    let frame = Frame {
        visitor,
        title: &title,
        section: Section::Plan,
        plan_id: Some(view.plan.id.0),
        here,
    };
    layout::page(
        &frame,
        html! {
            nav aria-label=(l.pick("Fil d'Ariane", "Breadcrumb")) {
                ol.breadcrumb {
                    li { a href={ "/plans/" (view.plan.id.0) } { (view.plan.title) } }
                    li { "Orientation " (view.orientation.position) " : " (rich(&view.orientation.title)) }
                    li { (l.pick("Objectif : ", "Objective: ")) (rich(&view.objective.title)) }
                }
            }
            h1 { (rich(&a.title)) }
            @if let Some(message) = message { (message) }
            @if let Some(error) = refused { (refusal(error, l)) }
            dl.facts {
                dt { (l.pick("État d'avancement", "Progress")) }
                dd {
                    (badge(a.status, l))
                    @if let Some(note) = &a.progress_note { " " (rich(note)) }
                    @if let Some(p) = &a.progress { " · " (p.render()) }
                }
                dt { (l.pick("Échéancier", "Schedule")) }
                dd { @for (i, d) in view.deadlines.iter().enumerate() { @if i > 0 { " ; " } (d.label) } @if view.deadlines.is_empty() { "—" } }
                @if let Some(org) = &a.responsible_organization {
                    dt { (l.pick("Organisation responsable", "Responsible organization")) }
                    dd { (org) }
                }
                @for (name, value) in a.details(l) {
                    dt { (name) }
                    dd { (rich(value)) }
                }
                dt { (l.pick("Personnes assignées", "Assigned to")) }
                dd {
                    @if view.assignees.is_empty() { (l.pick("Personne", "Nobody")) }
                    @for (i, p) in view.assignees.iter().enumerate() { @if i > 0 { ", " } (p.display_name) }
                }
            }
            (follow_form(visitor, view))
            (lineage_section(view, l))
            @if let Some(conflict) = conflict { (conflict_panel(visitor, view, conflict)) }
            @else if view.may_update { (status_form(visitor, view, None)) }
            @else if visitor.role() == crate::auth::Role::Member {
                p.readonly { (not_assigned(None).get(l)) }
            }
            @if Permission::EditPlans.allows(visitor.role()) { (assignee_forms(visitor, view)) }
            (history_table(view, l))
            (comments_section(visitor, view, draft))
        },
    )
}

fn follow_form(visitor: &Visitor, view: &ActionView) -> Markup {
    let l = visitor.lang;
    let label = if view.following {
        l.pick("Ne plus suivre cette action", "Stop following this action")
    } else {
        l.pick("Suivre cette action (courriels)", "Follow this action (email)")
    };
    html! {
        form.follow method="post" action={ "/actions/" (view.action.id.0) "/follow" } {
            (layout::csrf_field(visitor))
            button.link type="submit" { (label) }
        }
    }
}

/// Follows the action, or stops following it.
pub(super) async fn toggle_follow(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<ActionId>,
    form: web::Form<CsrfForm>,
) -> WebResult {
    visitor.submitted(&form.csrf, Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    Action::read(&mut conn, *id).await?;
    let done = if crate::follows::follows(&mut conn, *id, visitor.user.id()).await? {
        crate::follows::unfollow(&mut conn, *id, visitor.user.id()).await?;
        "unfollow"
    } else {
        crate::follows::follow(&mut conn, *id, visitor.user.id()).await?;
        "follow"
    };
    Ok(layout::see_other(&format!("/actions/{}?done={done}", id.0)))
}

fn status_form(visitor: &Visitor, view: &ActionView, values: Option<&StatusForm>) -> Markup {
    let l = visitor.lang;
    let a = &view.action;
    let current = StatusForm::of(a);
    let values = values.unwrap_or(&current);
    let last_seen = view.history.first().map_or(0, |h| h.id.0);
    html! {
        form.update method="post" action={ "/actions/" (a.id.0) "/status" } {
            h2 { (l.pick("Mettre à jour l'état", "Update the status")) }
            (csrf_field(visitor))
            input type="hidden" name="version" value=(a.version);
            input type="hidden" name="seen" value=(last_seen);
            p {
                label for="status" { (l.pick("État", "Status")) }
                select #status name="status" required {
                    @for s in crate::progress::ActionStatus::ALL {
                        option value=(s.as_str()) selected[values.status == s.as_str()] { (s.label(l)) }
                    }
                }
            }
            p {
                label for="note" { (l.pick("Note (ce que dit l'état d'avancement)", "Note (what the progress column says)")) }
                textarea #note name="note" rows="2" maxlength=(actions::dto::Note::MAX) { (values.note) }
            }
            fieldset.progress {
                legend { (l.pick("Progression mesurable (facultatif)", "Measurable progress (optional)")) }
                label for="done" { (l.pick("Fait", "Done")) }
                input #done type="number" name="done" min=(measure::Done::MIN) inputmode="numeric" value=(values.done);
                label for="target" { (l.pick("Cible", "Target")) }
                input #target type="number" name="target" min=(measure::Target::MIN) inputmode="numeric" value=(values.target);
                label for="unit" { (l.pick("Unité", "Unit")) }
                input #unit type="text" name="unit" maxlength=(measure::Unit::MAX) value=(values.unit);
            }
            p {
                label for="decision" { (l.pick("Décision du CA (réunion ou résolution, facultatif)", "Board decision (meeting or resolution, optional)")) }
                input #decision type="text" name="decision" maxlength=(status_updates::dto::Decision::MAX) value=(values.decision);
            }
            p {
                label for="effective_on" { (l.pick("Date d'effet (vide : aujourd'hui)", "Effective date (empty: today)")) }
                input #effective_on type="date" name="effective_on" value=(values.effective_on);
            }
            p { button type="submit" { (l.pick("Enregistrer la mise à jour", "Record the update")) } }
        }
    }
}

fn conflict_panel(visitor: &Visitor, view: &ActionView, conflict: &Conflict) -> Markup {
    let l = visitor.lang;
    html! {
        section.conflict aria-labelledby="conflict-title" {
            h2 #conflict-title role="alert" { (l.pick(
                "Quelqu'un a modifié cette action pendant que vous la lisiez",
                "Someone changed this action while you were reading it"
            )) }
            p { (l.pick(
                "Votre mise à jour n'a pas été enregistrée, pour ne pas effacer la sienne. Voici ce qui a changé :",
                "Your update was not recorded, so as not to erase theirs. Here is what changed:"
            )) }
            ul {
                @for entry in &conflict.theirs {
                    li { (change_line(view, entry, l)) }
                }
            }
            p { (l.pick(
                "Vos valeurs sont reprises ci-dessous : vérifiez-les, puis enregistrez-les par-dessus ce changement.",
                "Your values are kept below: check them, then record them on top of this change."
            )) }
            (status_form(visitor, view, Some(&conflict.mine)))
        }
    }
}

fn change_line(view: &ActionView, entry: &StatusUpdate, l: Lang) -> Markup {
    html! {
        (view.name(entry.author_id, l)) ", " (long_date(crate::clock::local_day(entry.created_at), l)) " : "
        @if let Some(before) = entry.previous_status { (badge(before, l)) " → " }
        (badge(entry.new_status, l))
        @if let Some(note) = &entry.note { " — " (rich(note)) }
    }
}

/// The same action in the plans of other years, oldest first.
fn lineage_section(view: &ActionView, l: Lang) -> Markup {
    html! {
        @if view.lineage.len() > 1 {
            section aria-labelledby="lineage-title" {
                h2 #lineage-title { (l.pick("Au fil des années", "Across the years")) }
                ol.lineage {
                    @for step in &view.lineage {
                        li {
                            (step.plan_title) " — "
                            @if step.action_id == view.action.id.0 {
                                strong { (rich(&step.title)) } " (" (l.pick("cette action", "this action")) ")"
                            } @else {
                                a href={ "/actions/" (step.action_id) } { (rich(&step.title)) }
                            }
                            " · " (step.status.label(l))
                        }
                    }
                }
            }
        }
    }
}

fn history_table(view: &ActionView, l: Lang) -> Markup {
    html! {
        section aria-labelledby="history-title" {
            h2 #history-title { (l.pick("Historique", "History")) }
            @if view.history.is_empty() { p { (l.pick("Aucun changement.", "No change.")) } }
            @else {
                table.history {
                    thead { tr {
                        th scope="col" { (l.pick("Date d'effet", "Effective")) }
                        th scope="col" { (l.pick("Par, le", "By, on")) }
                        th scope="col" { (l.pick("Avant → après", "Before → after")) }
                        th scope="col" { (l.pick("Note", "Note")) }
                        th scope="col" { (l.pick("Progression", "Progress")) }
                        th scope="col" { (l.pick("Décision", "Decision")) }
                    } }
                    tbody {
                        @for h in &view.history {
                            tr {
                                td data-label=(l.pick("Date d'effet", "Effective")) { (long_date(h.effective_on, l)) }
                                td data-label=(l.pick("Par, le", "By, on")) {
                                    (view.name(h.author_id, l)) br;
                                    small { time datetime=(h.created_at.to_rfc3339()) { (crate::clock::local(h.created_at).format("%Y-%m-%d %H:%M")) } }
                                }
                                td data-label=(l.pick("Avant → après", "Before → after")) {
                                    @if let Some(before) = h.previous_status { (badge(before, l)) " → " }
                                    (badge(h.new_status, l))
                                }
                                td data-label=(l.pick("Note", "Note")) { @if let Some(note) = &h.note { (rich(note)) } }
                                td data-label=(l.pick("Progression", "Progress")) { @if let Some(p) = &h.progress { (p.render()) } }
                                td data-label=(l.pick("Décision", "Decision")) { @if let Some(d) = &h.decision { (d) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn comments_section(visitor: &Visitor, view: &ActionView, draft: Option<&str>) -> Markup {
    let l = visitor.lang;
    html! {
        section aria-labelledby="comments-title" {
            h2 #comments-title { (l.pick("Commentaires", "Comments")) }
            @if view.comments.is_empty() { p { (l.pick("Aucun commentaire.", "No comments.")) } }
            ul.comments {
                @for c in &view.comments {
                    li {
                        p.by { strong { (view.name(Some(c.author_id), l)) } ", " (long_date(crate::clock::local_day(c.created_at), l)) }
                        p { (c.body) }
                    }
                }
            }
            @if Permission::Comment.allows(visitor.role()) {
                form method="post" action={ "/actions/" (view.action.id.0) "/comments" } {
                    (csrf_field(visitor))
                    label for="comment" { (l.pick("Ajouter un commentaire", "Add a comment")) }
                    textarea #comment name="body" rows="3" maxlength=(comments::dto::Body::MAX) required { (draft.unwrap_or_default()) }
                    p { button type="submit" { (l.pick("Publier", "Post")) } }
                }
            }
        }
    }
}

fn assignee_forms(visitor: &Visitor, view: &ActionView) -> Markup {
    let l = visitor.lang;
    let id = view.action.id.0;
    let assigned: Vec<UserId> = view.assignees.iter().map(|a| a.id).collect();
    html! {
        section aria-labelledby="assignees-title" {
            h2 #assignees-title { (l.pick("Responsables de l'action", "People responsible")) }
            ul.assignees {
                @for p in &view.assignees {
                    li {
                        (p.display_name) " "
                        form.inline method="post" action={ "/actions/" (id) "/assignees/" (p.id.0) "/remove" } {
                            (csrf_field(visitor))
                            button.link type="submit" { (l.pick("Retirer", "Remove")) span.visually-hidden { " " (p.display_name) } }
                        }
                    }
                }
            }
            form method="post" action={ "/actions/" (id) "/assignees" } {
                (csrf_field(visitor))
                label for="assignee" { (l.pick("Assigner à", "Assign to")) }
                select #assignee name="user_id" {
                    @for u in view.accounts.iter().filter(|u| !assigned.contains(&u.id)) {
                        option value=(u.id.0) { (u.display_name) " (" (u.role.label(l)) ")" }
                    }
                }
                " "
                button type="submit" { (l.pick("Assigner", "Assign")) }
            }
        }
    }
}

pub(super) async fn record_status(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    id: web::Path<ActionId>,
    form: web::Form<StatusForm>,
) -> WebResult {
    let form = form.into_inner();
    visitor.check_form(&form.csrf)?;
    let here = req.uri().path().to_owned();
    let mut conn = state.conn().await?;
    let version = form.version.trim().parse::<i32>().unwrap_or(-1);
    let outcome = match form.to_update() {
        Ok(body) => match body.into_edit() {
            Ok(edit) => record(&mut conn, &visitor.user, *id, IfMatch::Versions(vec![version]), edit)
                .await
                .map(|_| ()),
            Err(error) => Err(error),
        },
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => Ok(layout::see_other(&format!("/actions/{}?done=status", id.0))),
        Err(ApiError::PreconditionFailed { .. }) => {
            let view = ActionView::load(&mut conn, &visitor, *id).await?;
            let seen = form.seen.trim().parse::<i64>().unwrap_or(0);
            let theirs = view.history.iter().filter(|h| h.id.0 > seen).cloned().collect();
            let conflict = Conflict { theirs, mine: form };
            let page = render(
                &visitor,
                &view,
                &here,
                Outcome {
                    conflict: Some(&conflict),
                    ..Outcome::default()
                },
            );
            Ok(layout::respond(StatusCode::CONFLICT, page))
        }
        Err(error @ (ApiError::Validation(_) | ApiError::BadRequest(_) | ApiError::Forbidden(_))) => {
            let view = ActionView::load(&mut conn, &visitor, *id).await?;
            let status = actix_web::ResponseError::status_code(&error);
            let mut page_view = view;
            if status == StatusCode::FORBIDDEN {
                page_view.may_update = false;
            }
            let page = render(
                &visitor,
                &page_view,
                &here,
                Outcome {
                    refused: Some(&error),
                    ..Outcome::default()
                },
            );
            Ok(layout::respond(status, page))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub(super) struct CommentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
}

pub(super) async fn comment(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    id: web::Path<ActionId>,
    form: web::Form<CommentForm>,
) -> WebResult {
    visitor.submitted(&form.csrf, Permission::Comment)?;
    let mut conn = state.conn().await?;
    let body = CommentBody {
        body: form.body.clone().into(),
    };
    let written = match body.into_new(*id, visitor.user.id()) {
        Ok(new) => write::create(&mut conn, &visitor.user.actor(), new).await.map(|_| ()),
        Err(error) => Err(error),
    };
    match written {
        Ok(()) => Ok(layout::see_other(&format!("/actions/{}?done=comment", id.0))),
        // Refused text comes back in the form, to be corrected rather than typed again.
        Err(error @ ApiError::Validation(_)) => {
            let view = ActionView::load(&mut conn, &visitor, *id).await?;
            let outcome = Outcome {
                refused: Some(&error),
                draft: Some(&form.body),
                ..Outcome::default()
            };
            let page = render(&visitor, &view, req.uri().path(), outcome);
            Ok(layout::respond(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub(super) struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    user_id: String,
}

pub(super) async fn assign(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<ActionId>,
    form: web::Form<AssignForm>,
) -> WebResult {
    visitor.submitted(&form.csrf, Permission::EditPlans)?;
    let user_id = UserId(parse_id("user_id", &form.user_id)?);
    let mut conn = state.conn().await?;
    let assignment = Assignment {
        action_id: *id,
        user_id,
    };
    write::link(&mut conn, &visitor.user.actor(), &assignment).await?;
    Ok(layout::see_other(&format!("/actions/{}?done=assignees", id.0)))
}

pub(super) async fn unassign(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<(ActionId, UserId)>,
    form: web::Form<CsrfForm>,
) -> WebResult {
    visitor.submitted(&form.csrf, Permission::EditPlans)?;
    let (action_id, user_id) = path.into_inner();
    let mut conn = state.conn().await?;
    let assignment = Assignment { action_id, user_id };
    write::unlink(&mut conn, &visitor.user.actor(), &assignment).await?;
    Ok(layout::see_other(&format!("/actions/{}?done=assignees", action_id.0)))
}
