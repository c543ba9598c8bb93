//! `build_app`: the one place routes and middleware are mounted, used by `serve`,
//! the tests and the OpenAPI generator.

mod headers;
mod methods;
mod middleware;

pub use middleware::URI_MAX;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::LOCATION;
use actix_web::{App, HttpResponse, web};
use tracing_actix_web::TracingLogger;
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::extractor::authentication;
use crate::openapi::ApiDoc;
use crate::state::AppState;
use crate::{
    accounts, actions, api_tokens, assignees, audit, comments, deadlines, events, extract, feeds, follows, glossary,
    health, import, objectives, orientations, outbox, plans, preferences, reports, schedules, sessions, sheets,
    status_updates, users, webhooks, year,
};

/// Every documented route.
fn api(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz).service(
        scope::scope("/api/v1")
            .configure(sessions::routes)
            .configure(accounts::routes)
            .configure(api_tokens::routes)
            .configure(users::routes)
            .configure(import::routes)
            .configure(plans::routes)
            .configure(year::routes)
            .configure(orientations::routes)
            .configure(objectives::routes)
            .configure(actions::routes)
            .configure(assignees::routes)
            .configure(deadlines::routes)
            .configure(status_updates::routes)
            .configure(sheets::routes::routes)
            .configure(comments::routes)
            .configure(follows::routes)
            .configure(preferences::routes)
            .configure(outbox::routes)
            .configure(glossary::routes)
            .configure(events::routes)
            .configure(feeds::routes)
            .configure(reports::routes)
            .configure(schedules::routes)
            .configure(webhooks::routes)
            .configure(audit::routes),
    );
}

/// The OpenAPI document, generated from the routes.
pub fn openapi() -> utoipa::openapi::OpenApi {
    crate::openapi::finish(
        App::new()
            .into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .configure(api)
            .split_for_parts()
            .1,
    )
}

/// The document as committed in `openapi/openapi.json`.
pub fn openapi_json() -> anyhow::Result<String> {
    Ok(openapi().to_pretty_json()? + "\n")
}

pub fn build_app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .app_data(web::Data::new(state))
        .app_data(extract::query_config())
        .app_data(web::PathConfig::default().error_handler(methods::path_error))
        .configure(api)
        .split_for_parts();
    let mut known: Vec<(&str, &[&str])> = vec![
        ("/docs", &["GET"]),
        ("/docs/{_:.*}", &["GET"]),
        ("/openapi.json", &["GET"]),
    ];
    let app = app.configure(|cfg| known.extend(crate::web::routes(cfg)));
    let known = web::Data::new(methods::KnownPaths::new(&document, &known));
    app.app_data(known)
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", crate::openapi::finish(document)))
        .route(
            "/docs",
            web::get().to(|| async { HttpResponse::Found().insert_header((LOCATION, "/docs/")).finish() }),
        )
        .default_service(web::to(methods::unmatched))
        .wrap(actix_web::middleware::from_fn(methods::head_as_get))
        .wrap(actix_web::middleware::from_fn(middleware::screen_uri))
        .wrap(actix_web::middleware::from_fn(authentication))
        .wrap(actix_web::middleware::from_fn(middleware::request_deadline))
        .wrap(actix_web::middleware::from_fn(middleware::problem_details))
        .wrap(actix_web::middleware::from_fn(middleware::request_id_header))
        .wrap(actix_web::middleware::from_fn(headers::security_headers))
        .wrap(TracingLogger::<middleware::RequestSpan>::new())
}
