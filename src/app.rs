//! `build_app`: the one place routes and middleware are mounted, used by `serve`,
//! the tests and the OpenAPI generator.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, LOCATION};
use actix_web::{App, HttpMessage, HttpResponse, web};
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::extractor::{RequestId, authentication};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::openapi::ApiDoc;
use crate::state::AppState;
use crate::{
    actions, audit, auth, comments, deadlines, events, extract, glossary, health, import, objectives, orientations,
    plans, reports, status_updates, users,
};

/// Every documented route.
fn api(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz).service(
        scope::scope("/api/v1")
            .configure(auth::routes)
            .configure(users::routes)
            .configure(import::routes)
            .configure(plans::routes)
            .configure(orientations::routes)
            .configure(objectives::routes)
            .configure(actions::routes)
            .configure(deadlines::routes)
            .configure(status_updates::routes)
            .configure(comments::routes)
            .configure(glossary::routes)
            .configure(events::routes)
            .configure(reports::routes)
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
    let (query_config, path_config) = extract::configs();
    let (app, document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .app_data(web::Data::new(state))
        .app_data(query_config)
        .app_data(path_config)
        .configure(api)
        .split_for_parts();
    app.service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", crate::openapi::finish(document)))
        .route(
            "/docs",
            web::get().to(|| async { HttpResponse::Found().insert_header((LOCATION, "/docs/")).finish() }),
        )
        .default_service(web::to(|| async { Err::<HttpResponse, _>(ApiError::RouteNotFound) }))
        .wrap(actix_web::middleware::from_fn(authentication))
        .wrap_fn(problem_details)
        .wrap_fn(request_log)
}

/// Renders every error as problem+json in the client's language, with its path.
fn problem_details<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody + 'static,
{
    let lang = Lang::from_headers(req.headers());
    let path = req.path().to_owned();
    let call = srv.call(req);
    async move {
        let res = call.await?.map_into_boxed_body();
        let status = res.status();
        let Some(error) = res.response().error() else {
            return Ok(res);
        };
        let rendered = match error.as_error::<ApiError>() {
            Some(api_error) => api_error.render(lang, Some(&path)),
            // Errors raised by actix itself (e.g. a body it could not read).
            None if status.is_client_error() => ApiError::OtherClientError(status).render(lang, Some(&path)),
            None => ApiError::Internal(anyhow::anyhow!("{error}")).render(lang, Some(&path)),
        };
        Ok(res.into_response(rendered))
    }
}

/// One log line per request: id, method, path, status, duration. The id is also
/// returned in `X-Request-Id` so a user can quote it.
fn request_log<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let started = Instant::now();
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64)
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    let method = req.method().clone();
    let path = req.path().to_owned();
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let call = srv.call(req);
    async move {
        let mut res = call.await?;
        let status = res.status().as_u16();
        let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        tracing::info!(request_id = %request_id, %method, %path, status, duration_ms, "request");
        if let Ok(value) = HeaderValue::from_str(&request_id) {
            res.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
        }
        Ok(res)
    }
}
