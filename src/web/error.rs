//! What the page answers when something goes wrong: a page, never a problem document,
//! with the same message the API would give, in the visitor's language.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_SECURITY_POLICY, LOCATION};
use actix_web::{HttpResponse, ResponseError};
use maud::html;

use super::layout;
use crate::error::ApiError;
use crate::i18n::Lang;

#[derive(Debug)]
pub enum WebError {
    /// Not signed in (or the session ended): to the sign-in page, then back to `next`.
    SignIn { next: String },
    /// What the domain refused, shown as a page in the visitor's language, which the
    /// service's error middleware reads from the request (`render`), as it does the API's.
    Api(ApiError),
}

pub type WebResult<T = HttpResponse> = Result<T, WebError>;

impl From<ApiError> for WebError {
    fn from(error: ApiError) -> Self {
        WebError::Api(error)
    }
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebError::SignIn { next } => write!(f, "sign-in required for {next}"),
            WebError::Api(error) => write!(f, "{error}"),
        }
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::SignIn { .. } => StatusCode::SEE_OTHER,
            WebError::Api(error) => error.status_code(),
        }
    }

    /// In the default language; `render` answers in the visitor's.
    fn error_response(&self) -> HttpResponse {
        if let WebError::Api(error) = self {
            error.log();
        }
        self.render(Lang::default())
    }
}

impl WebError {
    /// The page that says what went wrong, in `lang`.
    pub fn render(&self, lang: Lang) -> HttpResponse {
        match self {
            WebError::SignIn { next } => HttpResponse::SeeOther()
                .insert_header((LOCATION, super::sign_in::sign_in_location(next)))
                .finish(),
            WebError::Api(error) => {
                let problem = error.problem(lang, None);
                let body = html! {
                    h1 { (problem.title) }
                    p role="alert" { (problem.detail) }
                    @if let Some(errors) = &problem.errors {
                        ul { @for field in errors.iter().filter(|f| f.message != problem.detail) { li { (field.message) } } }
                    }
                    p { a href="/" { (lang.pick("Retour à l'accueil", "Back to the home page")) } }
                };
                HttpResponse::build(error.status_code())
                    .content_type("text/html; charset=utf-8")
                    .insert_header((CONTENT_SECURITY_POLICY, super::PAGE_POLICY))
                    .body(layout::bare(lang, &problem.title, body).into_string())
            }
        }
    }
}
