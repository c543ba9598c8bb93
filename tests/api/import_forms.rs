//! The plan as people have it (issue 16): the Word document itself, and the variants
//! people and Word write, read to the same plan as the seed's text form.

use planaction::import::parse::{LineMessage, ParsedPlan};
use planaction::import::{ReadError, read};
use reqwest::{Method, StatusCode};

use crate::helpers::{TestApp, TestResult};

const SEED_TEXT: &str = include_str!("../../data/plan-action-2013-2014.txt");
/// The seed's text made into HTML (tests/import/text-to-html.py) and saved as DOCX by
/// LibreOffice: a Word document written by another program than ours.
const SEED_DOCX: &[u8] = include_bytes!("../import/plan-action-2013-2014.docx");

/// The plan without where things were read (lines differ between a text and a Word
/// document); warnings keep their message without its "Ligne N :" prefix.
pub fn without_lines(mut plan: ParsedPlan) -> ParsedPlan {
    for orientation in &mut plan.orientations {
        for objective in &mut orientation.objectives {
            objective.line = 0;
            for action in &mut objective.actions {
                action.line = 0;
            }
        }
    }
    for warning in &mut plan.warnings {
        warning.line = 0;
        for message in [&mut warning.message.fr, &mut warning.message.en] {
            if let Some((_, rest)) = message.split_once(": ") {
                *message = rest.to_owned();
            }
        }
    }
    plan
}

pub fn read_plan(bytes: &[u8]) -> Result<ParsedPlan, String> {
    read(bytes).map_err(|e| match e {
        ReadError::NotUtf8(at) => format!("not UTF-8 at {at}"),
        ReadError::Document(LineMessage { message, .. }) => message.en,
    })
}

#[test]
fn the_seed_as_a_word_document_is_the_plan_of_its_text() -> Result<(), String> {
    let from_text = without_lines(read_plan(SEED_TEXT.as_bytes())?);
    let from_docx = without_lines(read_plan(SEED_DOCX)?);
    assert_eq!(from_docx.orientations.len(), 5);
    assert_eq!(from_docx, from_text);
    Ok(())
}

#[tokio::test]
async fn a_word_document_imports_over_http() -> TestResult {
    let app = TestApp::spawn().await;
    let media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    let reply = app
        .send_raw(Method::POST, "/api/v1/plans/import", media_type, SEED_DOCX.to_vec())
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        reply.body["counts"],
        serde_json::json!({"orientations": 5, "objectives": 22, "actions": 42, "deadlines": 48, "glossary_entries": 4})
    );
    // A broken Word document: 422 naming what is wrong, nothing created.
    let mut broken = SEED_DOCX.to_vec();
    broken.truncate(2000);
    let reply = app
        .send_raw(Method::POST, "/api/v1/plans/import", media_type, broken)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(
        reply.body["detail"].as_str().unwrap_or_default().contains("Word"),
        "{}",
        reply.body
    );
    Ok(())
}
