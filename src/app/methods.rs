//! What the router leaves to us (it answers 404 whenever no route matches both path and
//! method): 405 with `Allow` for a known path asked with another method, `OPTIONS`
//! answered with `Allow`, and `HEAD` served as `GET` (actix then sends no body).

use actix_web::body::MessageBody;
use actix_web::dev::{ResourceDef, ServiceRequest, ServiceResponse};
use actix_web::error::PathError;
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::openapi::OpenApi;

use crate::error::ApiError;

/// Every path the service answers, with its methods.
pub struct KnownPaths(Vec<(ResourceDef, Vec<&'static str>)>);

impl KnownPaths {
    /// The documented paths, plus `extra` ones (the docs, which are not in the document).
    pub fn new(document: &OpenApi, extra: &[(&str, &[&'static str])]) -> KnownPaths {
        let mut paths: Vec<(ResourceDef, Vec<&'static str>)> = document
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                let methods = methods.into_iter().filter(|(_, on)| *on).map(|(m, _)| m).collect();
                (ResourceDef::new(numeric_ids(path)), methods)
            })
            .collect();
        paths.extend(
            extra
                .iter()
                .map(|(path, methods)| (ResourceDef::new(*path), methods.to_vec())),
        );
        KnownPaths(paths)
    }

    /// The `Allow` value of a path (with `HEAD` beside `GET`, and `OPTIONS`); `None` when
    /// no route has this path.
    pub fn allow(&self, path: &str) -> Option<String> {
        let mut methods: Vec<&str> = Vec::new();
        for (def, own) in &self.0 {
            if def.is_match(path) {
                methods.extend(own);
            }
        }
        if methods.is_empty() {
            return None;
        }
        if methods.contains(&"GET") {
            methods.push("HEAD");
        }
        methods.push("OPTIONS");
        methods.dedup();
        Some(methods.join(", "))
    }
}

/// Every path parameter of the API is an id: `{id}` becomes `{id:[0-9]+}`, so that
/// `/plans/import` is not also taken for the plan `import`.
fn numeric_ids(path: &str) -> String {
    path.split_inclusive('}')
        .map(|piece| match piece.strip_suffix('}') {
            Some(open) if open.contains('{') => format!("{open}:[0-9]+}}"),
            _ => piece.to_owned(),
        })
        .collect()
}

/// The default service: 404 for an unknown path, else `OPTIONS` or 405.
pub async fn unmatched(req: HttpRequest, known: web::Data<KnownPaths>) -> Result<HttpResponse, ApiError> {
    let Some(allow) = known.allow(req.path()) else {
        return Err(ApiError::RouteNotFound);
    };
    if req.method() == Method::OPTIONS {
        return Ok(HttpResponse::NoContent().insert_header(("Allow", allow)).finish());
    }
    Err(ApiError::MethodNotAllowed {
        method: req.method().to_string(),
        allow,
    })
}

/// A path that names no id where a route expects one (`DELETE /plans/import`): 405 when
/// the path is a real one that does not take this method, else the 400 of a bad id.
pub fn path_error(error: PathError, req: &HttpRequest) -> actix_web::Error {
    let known = req.app_data::<web::Data<KnownPaths>>();
    match known.and_then(|known| known.allow(req.path())) {
        Some(allow) if !allow.split(", ").any(|m| m == req.method().as_str()) => ApiError::MethodNotAllowed {
            method: req.method().to_string(),
            allow,
        }
        .into(),
        _ => crate::extract::path_error(error, req),
    }
}

/// Middleware (`from_fn`): routes a `HEAD` as the `GET` it mirrors. The connection read
/// the request as `HEAD`, so the answer goes out with the headers of the `GET` (its
/// `Content-Length` included) and no body.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem, PathsBuilder};
    use utoipa::openapi::{InfoBuilder, OpenApiBuilder};

    use super::*;

    #[test]
    fn allow_lists_the_methods_of_every_route_on_the_path() {
        let paths = PathsBuilder::new()
            .path(
                "/api/v1/plans/{id}",
                PathItem::new(HttpMethod::Get, OperationBuilder::new()),
            )
            .path(
                "/api/v1/plans/import",
                PathItem::new(HttpMethod::Post, OperationBuilder::new()),
            )
            .build();
        let document = OpenApiBuilder::new()
            .info(InfoBuilder::new().title("t").version("1").build())
            .paths(paths)
            .build();
        let known = KnownPaths::new(&document, &[("/docs", &["GET"])]);
        assert_eq!(known.allow("/api/v1/plans/3").as_deref(), Some("GET, HEAD, OPTIONS"));
        assert_eq!(known.allow("/api/v1/plans/import").as_deref(), Some("POST, OPTIONS"));
        assert_eq!(known.allow("/api/v1/plans/abc"), None);
        assert_eq!(known.allow("/docs").as_deref(), Some("GET, HEAD, OPTIONS"));
        assert_eq!(known.allow("/api/v1/nothing"), None);
    }
}
