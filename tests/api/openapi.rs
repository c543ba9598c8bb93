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

/// A real OpenAPI 3.1 validator (PyPI's `openapi-spec-validator`, installed by
/// `scripts/ensure-python-tools`) accepts the committed document: generators refuse one
/// it refuses.
#[test]
fn the_committed_document_is_valid_openapi() -> TestResult {
    let root = env!("CARGO_MANIFEST_DIR");
    let validator = format!("{root}/target/python-tools/bin/openapi-spec-validator");
    let output = std::process::Command::new(&validator)
        .arg(format!("{root}/openapi/openapi.json"))
        .output()
        .map_err(|e| format!("{validator}: {e}: run scripts/ensure-python-tools (scripts/test does)"))?;
    let report = String::from_utf8_lossy(&output.stdout) + String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "openapi-spec-validator refuses the document:\n{report}"
    );
    assert!(report.contains(": OK"), "{report}");
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
fn every_route_declares_who_may_call_it() -> TestResult {
    let document = generated()?;
    let mut documented: Vec<String> = operations(&document)
        .iter()
        .filter_map(|(_, _, op)| op["operationId"].as_str().map(str::to_owned))
        .collect();
    documented.sort();
    let public = [
        "healthz",
        "readyz",
        "login",
        "refresh",
        "logout",
        "request_reset",
        "set_password",
        "unsubscribe",
        // A calendar application sends no token: the feed's address is its secret.
        "calendar_feed",
    ];
    // A route that takes no `Authorized<…>` is public: these, and no other.
    let mut declared: Vec<String> = operations(&document)
        .iter()
        .filter(|(_, _, op)| op["x-permission"]["permission"].is_string())
        .filter_map(|(_, _, op)| op["operationId"].as_str().map(str::to_owned))
        .chain(public.iter().map(|id| (*id).to_owned()))
        .collect();
    declared.sort();
    assert_eq!(
        documented, declared,
        "every route but the public ones takes `Authorized<Permission>` under `#[endpoint]`"
    );
    for (method, path, operation) in operations(&document) {
        let id = operation["operationId"].as_str().unwrap_or_default();
        let secured = operation["security"].as_array().is_some_and(|s| !s.is_empty());
        assert_eq!(secured, !public.contains(&id), "{method} {path}: security");
        if secured {
            assert!(operation["responses"]["401"].is_object(), "{method} {path}: no 401");
            assert!(
                operation["description"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("**Roles:**"),
                "{method} {path}"
            );
        }
    }
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
