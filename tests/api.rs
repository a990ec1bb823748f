//! The JSON API's own routes and edges, on both backends.

mod support;

use support::TestDb;
use support::app::TestApp;

const START: &str = "2027-01-04";

/// An app at 12:00 on day 3 of a cohort (days 1 to 3 released), officer0's API token, and a few
/// reflections by others for the feed.
async fn seeded(db: &TestDb) -> (TestApp, i64, String) {
    let app = TestApp::spawn(db, support::utc("2027-01-06T12:00:00Z")).await;
    let cohort = app.cohort(START, &support::people_csv(10, 2)).await;
    app.release_due().await;
    let client = reqwest::Client::new();
    for (i, visibility) in ["cohort", "team", "anonymous"].into_iter().enumerate() {
        let token = app
            .token(&format!("officer{}@force.police.uk", i + 1))
            .await;
        let r = client
            .post(format!(
                "{}/api/v1/cohorts/{cohort}/days/3/submission",
                app.base
            ))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(
                serde_json::json!({
                    "reflection": "Showed a neighbour how to report online.",
                    "visibility": visibility,
                    "checkin": 4,
                    "idempotency_key": "seed",
                })
                .to_string(),
            )
            .send()
            .await
            .expect("the API answers");
        assert_eq!(r.status().as_u16(), 201);
    }
    let token = app.token("officer0@force.police.uk").await;
    (app, cohort, token)
}

/// `(status, content type, body as JSON or null)` of a request with `token`.
async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    authorization: &str,
    body: Option<&str>,
) -> (u16, String, serde_json::Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", app.base))
        .header("authorization", authorization);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.expect("the API answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let text = response.text().await.expect("the answer");
    (
        status,
        content_type,
        serde_json::from_str(&text).unwrap_or_default(),
    )
}

/// RFC 7235: the scheme's name is case-insensitive, so `bearer`, `BEARER` and `Bearer` all work;
/// another scheme, or none, does not.
async fn the_bearer_scheme_is_case_insensitive(db: &TestDb) {
    let (app, _, token) = seeded(db).await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let (status, _, body) = call(
            &app,
            reqwest::Method::GET,
            "/api/v1/today",
            &format!("{scheme} {token}"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{scheme}: {body}");
        assert_eq!(body[0]["day"], 3);
    }
    for refused in [
        format!("Basic {token}"),
        token.clone(),
        format!("Bearer{token}"),
    ] {
        let (status, _, body) =
            call(&app, reqwest::Method::GET, "/api/v1/today", &refused, None).await;
        assert_eq!(status, 401, "{refused}");
        assert_eq!(body["error"]["code"], "unauthorized");
    }
}
on_both_backends!(bearer_scheme, the_bearer_scheme_is_case_insensitive);
