//! Reports: choose a month, read its report in the page, download it (PDF, Excel, CSV);
//! the reports saved for the board, their files, and the board's sign-off. Everything is
//! the API's own code (`reports::routes`), called with the visitor's rights.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, NaiveDate};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::error::{WebError, WebResult};
use super::layout::{self, Frame, Section, csrf_field, notice};
use super::session::Visitor;
use crate::auth::Permission;
use crate::error::{ApiError, ErrorCode};
use crate::etag::IfMatch;
use crate::i18n::{Lang, Text};
use crate::ids::{PlanId, SavedReportId};
use crate::plans::model::Plan;
use crate::reports;
use crate::reports::build::ReportPeriod;
use crate::reports::dto::{CsvSeparator, ReportParams, SaveReport, SignOffRequest};
use crate::reports::render::ReportFormat;
use crate::reports::saved::SavedReport;
use crate::reports::service::{self, progress, progress_file, saved_file};
use crate::schedules::ReportSchedule;
use crate::state::AppState;
use crate::text::{long_date, period_words};

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct MonthQuery {
    month: Option<String>,
    done: Option<String>,
}

/// `2013-10` → the first and last days of that month.
fn month(text: &str) -> Option<ReportPeriod> {
    let day = NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d").ok()?;
    Some(ReportPeriod::month_of(day))
}

fn bad_month(text: &str) -> ApiError {
    ApiError::invalid(
        "month",
        ErrorCode::InvalidMonth,
        Text::new(
            format!("« {text} » n'est pas un mois (AAAA-MM)."),
            format!("\"{text}\" is not a month (YYYY-MM)."),
        ),
    )
}

/// The months of the plan that have begun, latest first.
fn months(plan: &Plan, today: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut day = plan.period_start.with_day(1).unwrap_or(plan.period_start);
    let last = plan.period_end.min(today);
    while day <= last {
        out.push(day);
        day = day.checked_add_months(chrono::Months::new(1)).unwrap_or(NaiveDate::MAX);
    }
    out.reverse();
    out
}

fn params(period: Option<ReportPeriod>, lang: Lang, separator: Option<CsvSeparator>) -> ReportParams {
    ReportParams {
        since: period.map(|p| p.from),
        until: period.map(|p| p.to),
        as_of: None,
        lang: Some(lang),
        separator,
    }
}

pub(super) async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    id: web::Path<PlanId>,
    query: web::Query<MonthQuery>,
) -> WebResult {
    let l = visitor.lang;
    visitor.user.require(Permission::ReadReports)?;
    let chosen = match query.month.as_deref().filter(|m| !m.is_empty()) {
        Some(text) => Some(month(text).ok_or_else(|| bad_month(text))?),
        None => None,
    };
    let mut conn = state.conn().await?;
    let plan = Plan::read(&mut conn, *id).await?;
    let saved = SavedReport::list(&mut conn, *id).await?;
    let schedule = if Permission::SaveReports.allows(visitor.role()) {
        ReportSchedule::of_plan(&mut conn, *id).await?
    } else {
        None
    };
    drop(conn);
    let report = if Permission::ProduceReports.allows(visitor.role()) {
        Some(progress(&state, &visitor.user, *id, &params(chosen, l, None)).await?)
    } else {
        None
    };
    let message = match query.done.as_deref() {
        Some("saved") => Some(notice(
            l.pick("Rapport enregistré pour le CA.", "Report saved for the board."),
        )),
        Some("signed") => Some(notice(
            l.pick("Rapport validé par le CA.", "Report signed off by the board."),
        )),
        _ => None,
    };
    let here = req.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let frame = Frame {
        visitor: &visitor,
        title: l.pick("Rapports d'avancement", "Progress reports"),
        section: Section::Reports,
        plan_id: Some(plan.id.0),
        here: &here,
    };
    let period = report.as_ref().map(|(_, period, _)| *period);
    let body = html! {
        h1 { (l.pick("Rapports d'avancement", "Progress reports")) }
        @if let Some(message) = message { (message) }
        @if let Some(period) = period {
            (chooser(&plan, period, l))
            (downloads(&visitor, &plan, period, &saved))
        } @else {
            p { (l.pick(
                "Votre rôle donne accès aux rapports enregistrés pour le CA, ci-dessous.",
                "Your role gives access to the reports saved for the board, below."
            )) }
        }
        (saved_list(&visitor, &saved))
        @if Permission::SaveReports.allows(visitor.role()) { (schedule_note(schedule.as_ref(), plan.id, l)) }
        @if let Some((report, _, lang)) = &report {
            article.report aria-label=(l.pick("Le rapport du mois", "The month's report")) {
                (PreEscaped(crate::reports::html::body(report, *lang)))
            }
        }
    };
    Ok(layout::ok(layout::page(&frame, body)))
}

/// The plan's monthly report schedule, in a sentence (set in the API).
fn schedule_note(schedule: Option<&ReportSchedule>, plan: PlanId, l: Lang) -> Markup {
    let text = match schedule {
        None => match l {
            Lang::Fr => format!(
                "Envoi mensuel : aucun. La coordination ou le CA peut le régler dans l'API (POST /api/v1/plans/{plan}/report-schedule)."
            ),
            Lang::En => format!(
                "Monthly schedule: none. The coordination or the board may set it in the API (POST /api/v1/plans/{plan}/report-schedule)."
            ),
        },
        Some(s) => {
            let mut who: Vec<String> = s.recipient_roles.iter().map(|r| r.label(l).to_owned()).collect();
            who.extend(s.recipient_addresses.iter().cloned());
            let who = if who.is_empty() {
                l.pick("personne", "nobody").to_owned()
            } else {
                who.join(", ")
            };
            match l {
                Lang::Fr => format!(
                    "Envoi mensuel : le {} de chaque mois, le rapport du mois précédent est enregistré et soumis au CA ; une fois validé, il est envoyé en PDF et en Excel à : {who}.",
                    s.day_of_month
                ),
                Lang::En => format!(
                    "Monthly schedule: on day {} of each month, the previous month's report is saved and put to the board; once signed off, it is sent as PDF and Excel to: {who}.",
                    s.day_of_month
                ),
            }
        }
    };
    html! { p.schedule { (text) } }
}

/// "octobre 2013", "October 2013".
fn month_words(first: NaiveDate, l: Lang) -> String {
    let day = long_date(first, l);
    day.split_once(' ').map_or(day.clone(), |(_, month)| month.to_owned())
}

fn chooser(plan: &Plan, period: ReportPeriod, l: Lang) -> Markup {
    let chosen = period.from.format("%Y-%m").to_string();
    html! {
        form.month method="get" action={ "/plans/" (plan.id.0) "/reports" } {
            label for="month" { (l.pick("Mois", "Month")) }
            select #month name="month" {
                @for m in months(plan, crate::clock::today()) {
                    @let value = m.format("%Y-%m").to_string();
                    option value=(value) selected[value == chosen] { (month_words(m, l)) }
                }
            }
            " "
            button type="submit" { (l.pick("Afficher", "Show")) }
        }
    }
}

fn downloads(visitor: &Visitor, plan: &Plan, period: ReportPeriod, saved: &[SavedReport]) -> Markup {
    let l = visitor.lang;
    let month = period.from.format("%Y-%m").to_string();
    let words = period_words(period.from, period.to, l);
    let already = saved
        .iter()
        .any(|s| s.period_from == period.from && s.period_to == period.to);
    html! {
        section aria-labelledby="downloads-title" {
            h2 #downloads-title { (l.pick("Télécharger le rapport ", "Download the report ")) (words) }
            ul.downloads {
                @for (format, label) in [("pdf", "PDF"), ("xlsx", "Excel (XLSX)"), ("csv", "CSV")] {
                    li { a href={ "/plans/" (plan.id.0) "/reports/progress." (format) "?month=" (month) } download { (label) span.visually-hidden { " — " (words) } } }
                }
            }
            @if Permission::SaveReports.allows(visitor.role()) && !already {
                form method="post" action={ "/plans/" (plan.id.0) "/reports" } {
                    (csrf_field(visitor))
                    input type="hidden" name="month" value=(month);
                    button type="submit" { (l.pick("Enregistrer ce rapport pour le CA", "Save this report for the board")) }
                }
            }
        }
    }
}

fn saved_list(visitor: &Visitor, saved: &[SavedReport]) -> Markup {
    let l = visitor.lang;
    let may_sign = Permission::SignOffReports.allows(visitor.role());
    html! {
        section aria-labelledby="saved-title" {
            h2 #saved-title { (l.pick("Rapports enregistrés pour le CA", "Reports saved for the board")) }
            @if saved.is_empty() { p { (l.pick("Aucun rapport enregistré.", "No saved report.")) } }
            @else {
                table.saved {
                    thead { tr {
                        th scope="col" { (l.pick("Période", "Period")) }
                        th scope="col" { (l.pick("Validation du CA", "Board sign-off")) }
                        th scope="col" { (l.pick("Fichiers", "Files")) }
                    } }
                    tbody {
                        @for s in saved {
                            @let words = period_words(s.period_from, s.period_to, l);
                            tr {
                                td data-label=(l.pick("Période", "Period")) { (words) }
                                td data-label=(l.pick("Validation du CA", "Board sign-off")) {
                                    @match (&s.signed_off_on, &s.meeting_reference) {
                                        (Some(day), reference) => {
                                            (l.pick("Validé le ", "Signed off on ")) (long_date(*day, l))
                                            @if let Some(r) = reference { br; small { (r) } }
                                        }
                                        _ if may_sign => { (sign_off_form(visitor, s, &words)) }
                                        _ => { (l.pick("En attente", "Pending")) }
                                    }
                                }
                                td data-label=(l.pick("Fichiers", "Files")) {
                                    @for (i, (format, label)) in [("pdf", "PDF"), ("xlsx", "XLSX"), ("csv", "CSV")].into_iter().enumerate() {
                                        @if i > 0 { " · " }
                                        a href={ "/reports/" (s.id.0) "/report." (format) } { (label) span.visually-hidden { " — " (words) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn sign_off_form(visitor: &Visitor, saved: &SavedReport, words: &str) -> Markup {
    let l = visitor.lang;
    let id = saved.id.0;
    html! {
        form.sign-off method="post" action={ "/reports/" (id) "/sign-off" } {
            (csrf_field(visitor))
            input type="hidden" name="version" value=(saved.version);
            label for={ "meeting-" (id) } { (l.pick("Réunion ou résolution du CA", "Board meeting or resolution")) span.visually-hidden { " — " (words) } }
            input id={ "meeting-" (id) } type="text" name="meeting_reference" maxlength=(reports::dto::MeetingReference::MAX) required;
            label for={ "signed-" (id) } { (l.pick("Date de validation (vide : aujourd'hui)", "Sign-off date (empty: today)")) }
            input id={ "signed-" (id) } type="date" name="signed_on";
            button type="submit" { (l.pick("Valider au nom du CA", "Sign off for the board")) }
        }
    }
}

fn format_of(text: &str) -> Option<ReportFormat> {
    match text {
        "pdf" => Some(ReportFormat::Pdf),
        "xlsx" => Some(ReportFormat::Xlsx),
        "csv" => Some(ReportFormat::Csv),
        _ => None,
    }
}

fn unknown_format(text: &str) -> ApiError {
    ApiError::invalid(
        "format",
        ErrorCode::UnknownFormat,
        Text::new(
            format!("Format « {text} » inconnu : pdf, xlsx ou csv."),
            format!("Unknown format \"{text}\": pdf, xlsx or csv."),
        ),
    )
}

pub(super) async fn download(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<(PlanId, String)>,
    query: web::Query<MonthQuery>,
) -> WebResult<HttpResponse> {
    let l = visitor.lang;
    let (id, format) = path.into_inner();
    let format = format_of(&format).ok_or_else(|| unknown_format(&format))?;
    let chosen = match query.month.as_deref().filter(|m| !m.is_empty()) {
        Some(text) => Some(month(text).ok_or_else(|| bad_month(text))?),
        None => None,
    };
    // Excel in French reads semicolons.
    let separator = (l == Lang::Fr).then_some(CsvSeparator::Semicolon);
    progress_file(&state, &visitor.user, id, &params(chosen, l, separator), format)
        .await
        .map(service::ReportDownload::into_response)
        .map_err(WebError::from)
}

pub(super) async fn saved_file_download(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<(SavedReportId, String)>,
) -> WebResult<HttpResponse> {
    let l = visitor.lang;
    let (id, format) = path.into_inner();
    let format = format_of(&format).ok_or_else(|| unknown_format(&format))?;
    let separator = (l == Lang::Fr).then_some(CsvSeparator::Semicolon);
    saved_file(&state, &visitor.user, id, Some(format), separator)
        .await
        .map(service::ReportDownload::into_response)
        .map_err(WebError::from)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SaveForm {
    csrf: String,
    month: String,
}

pub(super) async fn save(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<PlanId>,
    form: web::Form<SaveForm>,
) -> WebResult {
    let l = visitor.lang;
    visitor.submitted(&form.csrf, Permission::SaveReports)?;
    let period = month(&form.month).ok_or_else(|| bad_month(&form.month))?;
    let body = SaveReport {
        since: Some(period.from),
        until: Some(period.to),
        as_of: None,
        lang: Some(l),
    };
    service::save(&state, &visitor.user, *id, body).await?;
    Ok(layout::see_other(&format!(
        "/plans/{}/reports?month={}&done=saved",
        id.0, form.month
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SignOffForm {
    csrf: String,
    version: String,
    meeting_reference: String,
    signed_on: String,
}

pub(super) async fn sign_off(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<SavedReportId>,
    form: web::Form<SignOffForm>,
) -> WebResult {
    visitor.submitted(&form.csrf, Permission::SignOffReports)?;
    let signed_on = match form.signed_on.trim() {
        "" => None,
        day => Some(NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| {
            ApiError::invalid(
                "signed_on",
                ErrorCode::InvalidDate,
                Text::new(
                    format!("« {day} » n'est pas une date (AAAA-MM-JJ)."),
                    format!("\"{day}\" is not a date (YYYY-MM-DD)."),
                ),
            )
        })?),
    };
    let request = SignOffRequest {
        meeting_reference: form.meeting_reference.clone().into(),
        signed_on,
    };
    let change = request.into_form()?;
    let version = form.version.trim().parse::<i32>().unwrap_or(-1);
    let saved = service::sign_off(&state, &visitor.user, *id, IfMatch::Versions(vec![version]), change).await?;
    Ok(layout::see_other(&format!(
        "/plans/{}/reports?month={}&done=signed",
        saved.plan_id.0,
        saved.period_from.format("%Y-%m")
    )))
}
