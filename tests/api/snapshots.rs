//! The scripted October 2013 report, in JSON, CSV and HTML, as reviewed once: any change
//! to what the ministry receives shows up here as a diff (`cargo insta review`).

use reqwest::StatusCode;

use crate::helpers::TestResult;
use crate::reports::scripted;

/// The report of October 2013, in `format`, as text.
async fn october(format: &str) -> TestResult<String> {
    let s = scripted().await;
    let reply = s
        .app
        .client
        .get(format!(
            "{}/api/v1/plans/{}/reports/progress{format}?since=2013-10-01&until=2013-10-31",
            s.app.address, s.plan
        ))
        .bearer_auth(s.app.token())
        .send()
        .await?;
    assert_eq!(reply.status(), StatusCode::OK);
    let text = reply.text().await?;
    Ok(text.trim_start_matches('\u{feff}').to_owned())
}

#[tokio::test]
async fn october_2013_in_json() -> TestResult {
    let report: serde_json::Value = serde_json::from_str(&october("").await?)?;
    // When an update was recorded is the test run's time; when it took effect is the report's.
    insta::assert_json_snapshot!(report, {".moved[].at" => "[recorded]"});
    Ok(())
}

#[tokio::test]
async fn october_2013_in_csv() -> TestResult {
    insta::assert_snapshot!(october(".csv").await?);
    Ok(())
}

#[tokio::test]
async fn october_2013_in_html() -> TestResult {
    insta::assert_snapshot!(october(".html").await?);
    Ok(())
}
