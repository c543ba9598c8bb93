//! The web page for CA members and the coordination: server-rendered HTML (maud) over the
//! same domain modules and write path as the API, signed in with a session cookie.
//! Every form works without JavaScript; htmx (vendored) only swaps the plan list in place.

mod action;
mod admin;
mod assets;
mod error;
mod forms;
mod layout;
mod plan;
mod reports;
pub mod session;
mod sign_in;
mod status;

use actix_web::web;

pub use error::{WebError, WebResult};
pub use plan::{PlanFilters, PlanView, render_plan_page};

/// The page's paths and methods (for `Allow` and 405 answers).
pub const PATHS: &[(&str, &[&str])] = &[
    ("/", &["GET"]),
    ("/sign-in", &["GET", "POST"]),
    ("/sign-out", &["POST"]),
    ("/language/{code}", &["GET"]),
    ("/static/{file}", &["GET"]),
    ("/plans/{id}", &["GET"]),
    ("/plans/{id}/reports", &["GET", "POST"]),
    ("/plans/{id}/reports/progress.{format}", &["GET"]),
    ("/actions/{id}", &["GET"]),
    ("/actions/{id}/status", &["POST"]),
    ("/actions/{id}/comments", &["POST"]),
    ("/actions/{id}/assignees", &["POST"]),
    ("/actions/{id}/assignees/{user_id}/remove", &["POST"]),
    ("/reports/{id}/report.{format}", &["GET"]),
    ("/reports/{id}/sign-off", &["POST"]),
    ("/admin", &["GET"]),
    ("/admin/users", &["POST"]),
    ("/admin/users/{id}/active", &["POST"]),
];

/// Content-Security-Policy of the pages: our own script and style files only — no inline
/// script, no inline style, nothing from elsewhere; forms post only to us.
pub const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(assets::file)
        .service(sign_in::home)
        .service(sign_in::form)
        .service(sign_in::submit)
        .service(sign_in::sign_out)
        .service(sign_in::language)
        .service(plan::show)
        .service(action::show)
        .service(action::record_status)
        .service(action::comment)
        .service(action::assign)
        .service(action::unassign)
        .service(reports::show)
        .service(reports::download)
        .service(reports::save)
        .service(reports::saved_file_download)
        .service(reports::sign_off)
        .service(admin::show)
        .service(admin::create_user)
        .service(admin::set_active);
}
