//! The smaller holes a probe found, each kept closed, over HTTP on both backends: a NUL character
//! anywhere in a request is refused at the edge with a 400 (and no error logged).

mod support;

use support::TestDb;
use support::app::{Browser, form_token};
use support::process::{RunningCohort, ServerProcess, client, submit};

/// The sign-in link's secret, from the URL `issue_link` makes.
async fn signed_in(cohort: &RunningCohort, base: &str, person_id: i64) -> Browser {
    let link =
        muster::app::signin::issue_link(&cohort.services, person_id, chrono::Duration::minutes(20))
            .await
            .expect("a sign-in link");
    let secret = link.rsplit('/').next().expect("a secret");
    let mut browser = Browser::new(base);
    let done = browser
        .follow_signin_link(&format!("{base}/signin/{secret}"))
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    browser
}

async fn nul_is_refused_at_the_edge(db: &TestDb) {
    let cohort = RunningCohort::seed(db, 2, 1).await;
    let server = ServerProcess::start(&db.url, None).await;
    let base = server.base.clone();
    let api = client();
    let (person_id, token) = cohort.people[0].clone();

    // Before signing in: the sign-in form, with %00 in the address.
    let mut visitor = Browser::new(&base);
    let csrf = form_token(&visitor.get("/signin").await.body);
    let page = visitor
        .post_raw(
            "/signin",
            format!("csrf={csrf}&email=officer0%40force.police.uk%00"),
        )
        .await;
    assert_eq!(page.status, 400, "{}", page.body);
    assert!(page.body.contains("NUL character"), "{}", page.body);

    // The API: a reflection, and an idempotency key, holding \u0000.
    let refused = |answer: support::process::Answer| {
        let (status, body) = answer.expect("an answer");
        assert_eq!(status, 400, "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(json["error"]["code"], "bad_request", "{body}");
    };
    let day = cohort.day;
    refused(
        submit(
            &api,
            &base,
            cohort.id,
            day,
            &token,
            "k-1",
            "I learnt\u{0} a lot",
        )
        .await,
    );
    refused(
        submit(
            &api,
            &base,
            cohort.id,
            day,
            &token,
            "k\u{0}2",
            "I learnt a lot",
        )
        .await,
    );
    // ... and in a query string.
    let feed = api
        .get(format!(
            "{base}/api/v1/cohorts/{}/feed?after=%00",
            cohort.id
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("an answer");
    let status = feed.status().as_u16();
    refused(Ok((status, feed.text().await.expect("a body"))));

    // Signed in: a token name, and a page's query string.
    let mut officer = signed_in(&cohort, &base, person_id).await;
    let csrf = officer.csrf().await;
    let page = officer
        .post(
            "/account/tokens",
            &[("csrf", &csrf), ("name", "Teams\0bot")],
        )
        .await;
    assert_eq!(page.status, 400, "{}", page.body);
    let page = officer
        .get(&format!("/c/{}/feed?after=%00", cohort.id))
        .await;
    assert_eq!(page.status, 400, "{}", page.body);

    // Nothing was stored, the same requests without the NUL work, and nothing was logged as an error.
    assert!(
        support::process::reflections(db, cohort.id)
            .await
            .is_empty()
    );
    let (status, body) = submit(&api, &base, cohort.id, day, &token, "k-1", "I learnt a lot")
        .await
        .expect("an answer");
    assert_eq!(status, 201, "{body}");
    let page = officer
        .post("/account/tokens", &[("csrf", &csrf), ("name", "Teams bot")])
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let log = server.log();
    assert!(!log.contains("ERROR"), "{log}");
}
on_both_backends!(nul_refused, nul_is_refused_at_the_edge);
