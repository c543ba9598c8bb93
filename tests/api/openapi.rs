//! The committed OpenAPI document is the one the code generates, and it is complete.

use serde_json::Value;

use crate::helpers::TestResult;

fn committed() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    std::fs::read_to_string(path).unwrap_or_default()
}

fn generated() -> Result<Value, Box<dyn std::error::Error>> {
    Ok(serde_json::from_str(&planaction::app::openapi_json()?)?)
}

#[test]
fn the_committed_document_matches_the_code() -> TestResult {
    let generated = planaction::app::openapi_json()?;
    assert!(
        committed() == generated,
        "openapi/openapi.json is out of date with the code. Regenerate it with:\n    cargo run -- openapi -o openapi/openapi.json\nthen review and commit the difference."
    );
    Ok(())
}

fn operations(document: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            out.push((method.to_uppercase(), path.clone(), operation));
        }
    }
    out
}

#[test]
fn every_route_is_documented() -> TestResult {
    let document = generated()?;
    let mut routes: Vec<String> = operations(&document)
        .iter()
        .map(|(m, p, _)| format!("{m} {p}"))
        .collect();
    routes.sort();
    let expected = [
        "DELETE /api/v1/actions/{id}",
        "DELETE /api/v1/deadlines/{id}",
        "DELETE /api/v1/glossary/{id}",
        "DELETE /api/v1/objectives/{id}",
        "DELETE /api/v1/orientations/{id}",
        "DELETE /api/v1/plans/{id}",
        "GET /api/v1/actions",
        "GET /api/v1/actions/{id}",
        "GET /api/v1/actions/{id}/deadlines",
        "GET /api/v1/deadlines/{id}",
        "GET /api/v1/glossary/{id}",
        "GET /api/v1/objectives/{id}",
        "GET /api/v1/objectives/{id}/actions",
        "GET /api/v1/objectives/{id}/deadlines",
        "GET /api/v1/orientations/{id}",
        "GET /api/v1/orientations/{id}/objectives",
        "GET /api/v1/plans",
        "GET /api/v1/plans/{id}",
        "GET /api/v1/plans/{id}/glossary",
        "GET /api/v1/plans/{id}/orientations",
        "GET /api/v1/plans/{id}/tree",
        "GET /healthz",
        "GET /readyz",
        "PATCH /api/v1/actions/{id}",
        "PATCH /api/v1/deadlines/{id}",
        "PATCH /api/v1/glossary/{id}",
        "PATCH /api/v1/objectives/{id}",
        "PATCH /api/v1/orientations/{id}",
        "PATCH /api/v1/plans/{id}",
        "POST /api/v1/actions/{id}/deadlines",
        "POST /api/v1/objectives/{id}/actions",
        "POST /api/v1/objectives/{id}/deadlines",
        "POST /api/v1/orientations/{id}/objectives",
        "POST /api/v1/plans",
        "POST /api/v1/plans/import",
        "POST /api/v1/plans/{id}/glossary",
        "POST /api/v1/plans/{id}/orientations",
    ];
    assert_eq!(routes, expected);
    Ok(())
}

#[test]
fn every_operation_documents_its_errors_and_bodies_have_examples() -> TestResult {
    let document = generated()?;
    let schemas = &document["components"]["schemas"];
    for (method, path, operation) in operations(&document) {
        let responses = operation["responses"].as_object().cloned().unwrap_or_default();
        assert!(responses.contains_key("500"), "{method} {path}: no 500");
        if path.contains('{') {
            assert!(responses.contains_key("404"), "{method} {path}: no 404");
        }
        if path.starts_with("/api/") {
            assert!(responses.contains_key("400"), "{method} {path}: no 400");
        }
        if let Some(content) = operation["requestBody"]["content"].as_object() {
            assert!(responses.contains_key("422"), "{method} {path}: no 422");
            for (media, body) in content {
                let has_example = body.get("example").is_some()
                    || body["schema"]["$ref"]
                        .as_str()
                        .and_then(|r| r.rsplit('/').next())
                        .is_some_and(|name| schemas[name].get("example").is_some());
                assert!(has_example, "{method} {path}: the {media} body has no example");
            }
        }
        assert!(operation["operationId"].is_string(), "{method} {path}: no operationId");
        assert!(
            operation["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{method} {path}: no tag"
        );
    }
    for (name, response) in document["components"]["responses"].as_object().into_iter().flatten() {
        assert!(
            response["content"]["application/problem+json"]["example"].is_object(),
            "problem response {name} has no example"
        );
    }
    Ok(())
}

#[tokio::test]
async fn the_service_serves_the_document_and_an_offline_docs_page() -> TestResult {
    let app = crate::helpers::TestApp::spawn().await;
    let served = app.get("/openapi.json").await;
    assert_eq!(served.status, reqwest::StatusCode::OK);
    assert_eq!(served.body, generated()?);

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let redirect = client.get(format!("{}/docs", app.address)).send().await?;
    assert_eq!(redirect.status(), reqwest::StatusCode::FOUND);
    let page = client
        .get(format!("{}/docs/", app.address))
        .send()
        .await?
        .text()
        .await?;
    assert!(page.contains("swagger-ui"), "{page}");
    // Every script and stylesheet the page loads comes from this server, none from a CDN.
    assert!(!page.contains("http://") && !page.contains("https://"), "{page}");
    let bundle = client
        .get(format!("{}/docs/swagger-ui-bundle.js", app.address))
        .send()
        .await?;
    assert_eq!(bundle.status(), reqwest::StatusCode::OK);
    assert!(bundle.text().await?.len() > 100_000);
    let initializer = client
        .get(format!("{}/docs/swagger-initializer.js", app.address))
        .send()
        .await?
        .text()
        .await?;
    assert!(initializer.contains("/openapi.json"), "{initializer}");
    Ok(())
}
