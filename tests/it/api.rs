//! The JSON API against its OpenAPI document, on both backends: the document validates, and
//! schemathesis, let loose on a real server with a real token, finds no answer the document does
//! not describe; plus the API's own routes and edges.

use crate::support;

use crate::support::TestDb;
use crate::support::app::TestApp;
use crate::support::pytools;

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
    // Reflections are known by random public ids; give these small ones, which schemathesis's
    // generated ids reach.
    sqlx::query("UPDATE reflections SET handle = id")
        .execute(db.store.pool())
        .await
        .expect("small public ids");
    let token = app.token("officer0@force.police.uk").await;
    (app, cohort, token)
}

/// The document as served.
async fn document(app: &TestApp) -> String {
    reqwest::get(format!("{}/api/v1/openapi.json", app.base))
        .await
        .expect("the document")
        .text()
        .await
        .expect("its text")
}

#[tokio::test]
async fn the_openapi_document_validates() {
    let Some(validator) = pytools::tool("openapi-spec-validator", "the_openapi_document_validates")
    else {
        return;
    };
    let db = TestDb::sqlite().await;
    let app = TestApp::spawn(&db, support::utc("2027-01-06T12:00:00Z")).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, document(&app).await).unwrap();
    let out = std::process::Command::new(validator)
        .arg(&file)
        .output()
        .expect("run openapi-spec-validator");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
}

/// schemathesis against a real server with a real token and a seeded cohort: every documented
/// operation, every check, a pinned seed and few examples so it stays well under a minute. It
/// fails on a 5xx, an answer that breaks the document (status, content type, body), valid data
/// refused with a 400 (a 422 is a rule of the challenge; see `tests/data/schemathesis.toml`), or
/// invalid data accepted.
async fn schemathesis_finds_nothing(db: &TestDb) {
    let Some(st) = pytools::tool("st", "schemathesis_finds_nothing") else {
        return;
    };
    let (app, _cohort, token) = seeded(db).await;
    let dir = tempfile::tempdir().unwrap();
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/schemathesis.toml");
    let run = tokio::process::Command::new(st)
        .current_dir(dir.path())
        .args(["--config-file", config, "--no-color", "run"])
        .arg(format!("{}/api/v1/openapi.json", app.base))
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--checks", "all", "--seed", "1", "--max-examples", "30"])
        // One worker: with two, hypothesis sometimes fails inside Python 3.11's `ast.parse`
        // ("AST constructor recursion depth mismatch"), which is not safe across threads.
        .args(["--workers", "1", "--request-timeout", "10"])
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(std::time::Duration::from_secs(90), run)
        .await
        .expect("schemathesis finishes within 90 s")
        .expect("run schemathesis");
    let text = String::from_utf8_lossy(&out.stdout);
    eprintln!("{text}");
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_str(&document(&app).await).unwrap();
    let operations: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert!(
        text.contains(&format!("Tested: {operations}\n")),
        "all {operations} operations are tested:\n{text}"
    );
    // Its valid requests reached the seeded reflections, not only 404s for made-up ids.
    let reached: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM reactions) + (SELECT COUNT(*) FROM replies)",
    )
    .fetch_one(db.store.pool())
    .await
    .unwrap();
    assert!(
        reached > 0,
        "schemathesis reacted to or replied to nothing:\n{text}"
    );
}
on_both_backends!(schemathesis, schemathesis_finds_nothing);

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

/// `PUT /cohorts/{cohort}/days/{day}/rest`, as the journey page's button: a released day not done
/// becomes a rest day (once, however often asked), and the journey says so; a day done, not
/// released, or out of range is refused with a JSON error, as is another cohort or no token.
async fn a_rest_day_through_the_api(db: &TestDb) {
    let (app, cohort, token) = seeded(db).await;
    let bearer = format!("Bearer {token}");
    let put = reqwest::Method::PUT;
    let journey = || async {
        let (status, _, body) = call(
            &app,
            reqwest::Method::GET,
            &format!("/api/v1/cohorts/{cohort}/journey"),
            &bearer,
            None,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        body
    };
    let before = journey().await;
    let left = before["rest_days_left"].as_u64().expect("rest days left");
    assert!(left > 0, "{before}");
    assert_eq!(before["days"][1]["state"], "catch_up");
    let rest = format!("/api/v1/cohorts/{cohort}/days/2/rest");
    for _ in 0..2 {
        let (status, _, body) = call(&app, put.clone(), &rest, &bearer, None).await;
        assert_eq!(status, 204, "{body}");
    }
    let after = journey().await;
    assert_eq!(after["days"][1]["state"], "rest", "{after}");
    assert_eq!(after["rest_days_left"], left - 1, "marked once");

    // Day 3 done, day 4 not released: refused by the rules.
    let submitted = call(
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/cohorts/{cohort}/days/3/submission"),
        &bearer,
        Some(r#"{"idempotency_key":"k"}"#),
    )
    .await;
    assert_eq!(submitted.0, 201, "{}", submitted.2);
    for (day, code, says) in [
        (3, "day_already_done", "already done"),
        (4, "day_not_released", "not been released"),
    ] {
        let (status, _, body) = call(
            &app,
            put.clone(),
            &format!("/api/v1/cohorts/{cohort}/days/{day}/rest"),
            &bearer,
            None,
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["code"], code);
        assert!(
            body["error"]["message"].as_str().unwrap().contains(says),
            "{body}"
        );
    }
    // No such day, in any challenge: a JSON 400 naming the bounds.
    for day in ["0", "91", "99999999999", "abc"] {
        let (status, content_type, body) = call(
            &app,
            put.clone(),
            &format!("/api/v1/cohorts/{cohort}/days/{day}/rest"),
            &bearer,
            None,
        )
        .await;
        assert_eq!(
            (status, content_type.as_str()),
            (400, "application/json"),
            "{day}: {body}"
        );
        assert_eq!(body["error"]["code"], "bad_request", "{day}");
    }
    let (_, _, body) = call(
        &app,
        put.clone(),
        &format!("/api/v1/cohorts/{cohort}/days/0/rest"),
        &bearer,
        None,
    )
    .await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("from 1 to 90"),
        "{body}"
    );
    // Another cohort, or no token.
    let (status, _, _) = call(
        &app,
        put.clone(),
        "/api/v1/cohorts/999/days/2/rest",
        &bearer,
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _, _) = call(&app, put.clone(), &rest, "Bearer mst_nope", None).await;
    assert_eq!(status, 401);
}
on_both_backends!(rest_day, a_rest_day_through_the_api);

/// A request and its refusal: method, path, body; status, `error.code`, words of the message.
type Refusal = (
    reqwest::Method,
    String,
    Option<String>,
    u16,
    &'static str,
    &'static str,
);

/// Whatever does not fit the document is answered as an `ErrorJson` that says what was wrong:
/// paths and queries that do not parse, unknown enum values (naming the allowed ones), unknown
/// fields, bounds, NUL characters (which PostgreSQL cannot store), and a method a path does not
/// take. What the document allows is accepted: a check-in of `4.0` is the integer 4.
async fn what_does_not_fit_is_refused_as_json(db: &TestDb) {
    let (app, cohort, token) = seeded(db).await;
    let bearer = format!("Bearer {token}");
    let get = reqwest::Method::GET;
    let post = reqwest::Method::POST;
    let submission = format!("/api/v1/cohorts/{cohort}/days/3/submission");
    let long_key = "k".repeat(101);
    let cases: Vec<Refusal> = vec![
        (
            get.clone(),
            "/api/v1/cohorts/abc/feed".into(),
            None,
            400,
            "bad_request",
            "cohort",
        ),
        (
            get.clone(),
            format!("/api/v1/cohorts/{cohort}/feed?day=0"),
            None,
            400,
            "bad_request",
            "from 1 to 90",
        ),
        (
            get.clone(),
            format!("/api/v1/cohorts/{cohort}/feed?team=x"),
            None,
            400,
            "bad_request",
            "team",
        ),
        (
            get.clone(),
            format!("/api/v1/cohorts/{cohort}/feed?after=%2B5-3"),
            None,
            400,
            "bad_request",
            "after",
        ),
        (
            get.clone(),
            "/api/v1/cohorts/99999999999999999999/journey".into(),
            None,
            400,
            "bad_request",
            "cohort",
        ),
        (
            reqwest::Method::PUT,
            format!("/api/v1/cohorts/{cohort}/reflections/1/reactions/love"),
            None,
            422,
            "unknown_reaction",
            "helpful, made_me_think, thank_you",
        ),
        (
            post.clone(),
            submission.clone(),
            Some(r#"{"idempotency_key":"a","visibility":"only_me"}"#.into()),
            400,
            "bad_request",
            "expected one of `cohort`, `team`, `private`, `anonymous`",
        ),
        (
            post.clone(),
            submission.clone(),
            Some(r#"{"idempotency_key":"a","visiblity":"private"}"#.into()),
            400,
            "bad_request",
            "unknown field `visiblity`",
        ),
        (
            post.clone(),
            submission.clone(),
            Some(format!(r#"{{"idempotency_key":"{long_key}"}}"#)),
            400,
            "bad_request",
            "101 characters",
        ),
        (
            post.clone(),
            submission.clone(),
            Some(r#"{"idempotency_key":"a","reflection":"nul \u0000 here"}"#.into()),
            400,
            "bad_request",
            "NUL",
        ),
        (
            post.clone(),
            submission.clone(),
            Some(r#"{"idempotency_key":"a","checkin":2.5}"#.into()),
            400,
            "bad_request",
            "check-in",
        ),
        (
            post.clone(),
            submission.clone(),
            Some(r#"{"idempotency_key":"a","checkin":7}"#.into()),
            422,
            "checkin_out_of_range",
            "1 to 5",
        ),
        (
            reqwest::Method::DELETE,
            "/api/v1/today".into(),
            None,
            405,
            "method_not_allowed",
            "Allow",
        ),
    ];
    for (method, path, body, status, code, says) in cases {
        let (got, content_type, answer) =
            call(&app, method.clone(), &path, &bearer, body.as_deref()).await;
        assert_eq!(
            (got, content_type.as_str(), answer["error"]["code"].as_str()),
            (status, "application/json", Some(code)),
            "{method} {path} {body:?}: {answer}"
        );
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{method} {path} {body:?}: {answer}");
    }
    let not_allowed = reqwest::Client::new()
        .delete(format!("{}/api/v1/today", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        not_allowed
            .headers()
            .get("allow")
            .map(|v| v.to_str().unwrap()),
        Some("GET,HEAD")
    );
    // A whole number written as a float is a whole number; nothing above was stored.
    let (status, _, answer) = call(
        &app,
        post,
        &submission,
        &bearer,
        Some(r#"{"idempotency_key":"b","checkin":4.0}"#),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    let checkins: Vec<Option<i64>> = sqlx::query_scalar(
        "SELECT s.checkin FROM submissions s JOIN people p ON p.id = s.person_id \
         WHERE p.email = 'officer0@force.police.uk'",
    )
    .fetch_all(db.store.pool())
    .await
    .unwrap();
    assert_eq!(checkins, vec![Some(4)]);
}
on_both_backends!(refused_as_json, what_does_not_fit_is_refused_as_json);

/// Each refusal answers a code of its own, so a program can tell a day not released yet from one
/// that has closed, and text that is too long from text that needs review; the words stay the
/// person's.
async fn refusals_answer_their_codes(db: &TestDb) {
    let (app, cohort, token) = seeded(db).await;
    let bearer = format!("Bearer {token}");
    let submit = |day: u32, body: serde_json::Value| {
        let (app, bearer) = (&app, &bearer);
        async move {
            call(
                app,
                reqwest::Method::POST,
                &format!("/api/v1/cohorts/{cohort}/days/{day}/submission"),
                bearer,
                Some(&body.to_string()),
            )
            .await
        }
    };
    let refused = |(status, _, body): (u16, String, serde_json::Value)| {
        assert_eq!(status, 422, "{body}");
        (
            body["error"]["code"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };

    let (code, message) = refused(submit(4, serde_json::json!({"idempotency_key": "k4"})).await);
    assert_eq!(code, "day_not_released");
    assert_eq!(message, "Day 4 has not been released yet.");

    let flagged = serde_json::json!({
        "reflection": "Rang her back on 07700 900123.",
        "visibility": "cohort",
        "idempotency_key": "k3",
    });
    let answer = submit(3, flagged).await;
    assert!(
        answer.2["error"]["flags"]
            .as_array()
            .is_some_and(|f| !f.is_empty()),
        "{}",
        answer.2
    );
    assert_eq!(refused(answer).0, "needs_review");

    // The API's own bound stops a long reflection first (400); the rule behind it, which pages
    // meet, refuses with its own code.
    let (person, access) = app.member("officer0@force.police.uk", cohort).await;
    let request = muster::app::submission::SubmitRequest {
        day: muster::domain::Day::new(3).unwrap(),
        reflection: "a".repeat(2001),
        checkin: None,
        visibility: Some(muster::app::submission::Visibility::Cohort),
        idempotency_key: "long".into(),
        remove_flagged: false,
        version: None,
    };
    let error = muster::app::submission::submit(&app.services, &person, &access, &request)
        .await
        .expect_err("too long");
    let answer = muster::web::error::ApiError::from(error);
    assert_eq!(
        (answer.status.as_u16(), answer.code),
        (422, "reflection_too_long")
    );
    assert!(
        answer.message.starts_with("That is 2001 characters"),
        "{}",
        answer.message
    );

    // Far past the catch-up, day 3 has closed.
    app.clock.set(support::utc("2027-01-12T12:00:00Z"));
    let (code, message) = refused(submit(3, serde_json::json!({"idempotency_key": "k3"})).await);
    assert_eq!(code, "day_closed");
    assert!(message.starts_with("Day 3 has closed"), "{message}");
}
on_both_backends!(refusal_codes, refusals_answer_their_codes);
