//! The request's span and id, and errors rendered as problem+json.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

use crate::error::ApiError;
use crate::i18n::Lang;

/// When the request arrived, for the duration in its log line.
#[derive(Clone, Copy)]
struct Started(Instant);

/// The root span of every request: `tracing-actix-web`'s fields (method, route, status,
/// `request_id`…), so that every line logged while serving it carries its id; and one
/// `request` line when it ends.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        request.extensions_mut().insert(Started(Instant::now()));
        // The client's own id, when well-formed, beside ours: both in every log line.
        let client_request_id = crate::auth::client_request_id(request.headers());
        tracing_actix_web::root_span!(request, client_request_id = client_request_id.as_deref())
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        if let Ok(response) = outcome {
            let status = response.status().as_u16();
            let duration_ms = response
                .request()
                .extensions()
                .get::<Started>()
                .map_or(0.0, |started| started.0.elapsed().as_secs_f64() * 1000.0);
            span.in_scope(|| tracing::info!(status, duration_ms, "request"));
        }
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// Answers 503 when a request runs past `AppState::request_timeout` (a database that
/// hangs mid-query, which no connection timeout sees); the work is dropped.
pub async fn request_deadline(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let limit = req.app_data::<actix_web::web::Data<crate::state::AppState>>().map_or(
        std::time::Duration::from_secs(crate::state::DEFAULT_REQUEST_TIMEOUT_SECONDS),
        |s| s.request_timeout,
    );
    // The request cannot be cloned before routing (actix panics), so the answer to a
    // request that ran out of time carries a stand-in with the same path; the outer
    // middlewares read what they need before calling in.
    let uri = req.uri().clone();
    match tokio::time::timeout(limit, next.call(req)).await {
        Ok(response) => Ok(response?.map_into_boxed_body()),
        Err(_) => {
            let seconds = limit.as_secs();
            let error = ApiError::Unavailable(crate::i18n::Text::new(
                format!("la requête n'a pas abouti en {seconds} s"),
                format!("the request did not finish within {seconds} s"),
            ));
            let stand_in = actix_web::test::TestRequest::default()
                .uri(&uri.to_string())
                .to_http_request();
            Ok(ServiceResponse::from_err(error, stand_in).map_into_boxed_body())
        }
    }
}

/// Returns the request's id in `X-Request-Id`, so that a user can quote it.
pub async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req.extensions().get::<RequestId>().map(ToString::to_string);
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

/// Renders every error as problem+json in the client's language, with its path. The
/// one place an internal error is logged, inside the request's span.
pub async fn problem_details(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let lang = Lang::from_headers(req.headers());
    // The page's language is the visitor's choice (a cookie), not the browser's.
    let page_lang = crate::web::session::lang_of(req.request());
    let path = req.path().to_owned();
    let res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();
    let Some(error) = res.response().error() else {
        return Ok(res);
    };
    // The web page answers its own errors as pages, in the visitor's language.
    if let Some(page_error) = error.as_error::<crate::web::WebError>() {
        if page_lang == Lang::default() {
            return Ok(res);
        }
        let rendered = page_error.render(page_lang);
        return Ok(res.into_response(rendered));
    }
    let rendered = match error.as_error::<ApiError>() {
        Some(api_error) => {
            api_error.log();
            api_error.render(lang, Some(&path))
        }
        // Errors raised by actix itself (e.g. a body it could not read).
        None if status.is_client_error() => ApiError::OtherClientError(status).render(lang, Some(&path)),
        None => {
            tracing::error!(error = %error, "internal error");
            ApiError::Internal(anyhow::anyhow!("{error}")).render(lang, Some(&path))
        }
    };
    Ok(res.into_response(rendered))
}

/// Longest request target (path and query) we read, as many servers have it; past 64 KiB
/// the HTTP parser itself answers a bare 400 before any of our code runs.
pub const URI_MAX: usize = 8 * 1024;

/// Screens the request target before any handler reads it: 414 past `URI_MAX`; 400 for a
/// query holding U+0000 (`%00`: no text of ours can hold one, and PostgreSQL would refuse
/// it deep inside a query) or bytes that are not UTF-8 once decoded (`%ff%fe`), which
/// would otherwise be read with replacement characters.
pub async fn screen_uri(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let length = req.uri().path_and_query().map_or(0, |target| target.as_str().len());
    let query = req.query_string();
    let error = if length > URI_MAX {
        Some(ApiError::UriTooLong { limit: URI_MAX })
    } else if query.contains("%00") {
        // "%00" has no letter to fold: a plain search, no copy of the query per request.
        Some(ApiError::BadRequest(crate::i18n::Text::new(
            "Les paramètres de requête contiennent un caractère nul (%00), qui n'est pas accepté.",
            "The query parameters contain a NUL character (%00), which is not accepted.",
        )))
    } else if query.contains('%') && percent_encoding::percent_decode_str(query).decode_utf8().is_err() {
        Some(ApiError::BadRequest(crate::i18n::Text::new(
            "Les paramètres de requête ne sont pas du texte UTF-8 une fois décodés (par exemple %ff). Encodez-les en UTF-8.",
            "The query parameters are not UTF-8 text once decoded (for example %ff). Encode them as UTF-8.",
        )))
    } else {
        None
    };
    match error {
        Some(error) => Ok(req.error_response(error)),
        None => Ok(next.call(req).await?.map_into_boxed_body()),
    }
}
