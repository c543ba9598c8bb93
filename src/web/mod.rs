//! The web page for CA members and the coordination: server-rendered HTML (maud) over the
//! same domain modules and write path as the API, signed in with a session cookie.
//! Every form works without JavaScript; htmx (vendored) only swaps the plan list in place.

mod action;
mod admin;
mod assets;
mod calendars;
mod error;
mod forms;
mod layout;
mod notifications;
mod outbox;
mod password;
mod plan;
mod reports;
pub mod session;
mod sign_in;
mod status;

use actix_web::web;

pub use error::{WebError, WebResult};
pub use plan::{PlanFilters, PlanView, render_plan_page};

/// Content-Security-Policy of the pages: our own script and style files only — no inline
/// script, no inline style, nothing from elsewhere; forms post only to us.
pub const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The page's routes, each said once: actix serves them from here, and the 405 and `Allow`
/// answers read the list `routes` returns.
macro_rules! pages {
    ($($path:literal: $($method:ident => $handler:path),+;)+) => {
        pub fn routes(cfg: &mut web::ServiceConfig) -> Vec<(&'static str, &'static [&'static str])> {
            // One resource per method, guarded as actix's route macros do: another method
            // falls through to the service's 405, which names the methods this list gives.
            $($(cfg.service(web::resource($path).guard(pages!(@guard $method)).to($handler));)+)+
            vec![$(($path, &[$(pages!(@name $method)),+])),+]
        }
    };
    (@guard get) => { actix_web::guard::Get() };
    (@guard post) => { actix_web::guard::Post() };
    (@name get) => { "GET" };
    (@name post) => { "POST" };
}

pages! {
    "/": get => sign_in::home;
    "/sign-in": get => sign_in::form, post => sign_in::submit;
    "/sign-out": post => sign_in::sign_out;
    "/password": get => password::choose, post => password::chosen;
    "/forgot-password": get => password::forgot, post => password::forgot_sent;
    "/me/password": get => password::change, post => password::changed;
    "/language/{code}": get => sign_in::language;
    "/static/{file}": get => assets::file;
    "/plans/{id}": get => plan::show;
    "/actions/{id}": get => action::show;
    "/actions/{id}/status": post => action::record_status;
    "/actions/{id}/comments": post => action::comment;
    "/actions/{id}/follow": post => action::toggle_follow;
    "/unsubscribe/{token}": get => notifications::unsubscribe_page, post => notifications::unsubscribe;
    "/me/notifications": get => notifications::show, post => notifications::choose;
    "/me/calendars": get => calendars::show, post => calendars::create;
    "/me/calendars/{id}/revoke": post => calendars::revoke;
    "/actions/{id}/assignees": post => action::assign;
    "/actions/{id}/assignees/{user_id}/remove": post => action::unassign;
    "/plans/{id}/reports": get => reports::show, post => reports::save;
    "/plans/{id}/reports/progress.{format}": get => reports::download;
    "/reports/{id}/report.{format}": get => reports::saved_file_download;
    "/reports/{id}/sign-off": post => reports::sign_off;
    "/admin": get => admin::show;
    "/admin/outbox": get => outbox::show;
    "/admin/outbox/{id}/resend": post => outbox::resend;
    "/admin/users": post => admin::create_user;
    "/admin/users/{id}/active": post => admin::set_active;
}
