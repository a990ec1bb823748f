//! The briefing-room screen over HTTP: who may see it, read-only links and their revocation,
//! what it may show (never a private, team-only or anonymous reflection), and live updates by
//! Server-Sent Events, also across two servers through Redis.

use crate::support;

use std::time::{Duration, Instant};

use crate::support::TestDb;
use crate::support::app::{Browser, TestApp, form_token};

const START: &str = "2027-01-04";

pub(crate) async fn submit(b: &mut Browser, cohort: i64, day: u32, text: &str, visibility: &str) {
    let (csrf, key) = b.day_form(cohort, day).await;
    let page = b
        .post(
            &format!("/c/{cohort}/day/{day}"),
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("reflection", text),
                ("visibility", visibility),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
}

/// Makes a read-only link as `email` and returns its path.
async fn make_link(app: &TestApp, email: &str, cohort: i64) -> String {
    let mut manager = app.browser(email).await;
    let url = manager.briefing_link(cohort, "Briefing room").await;
    url.strip_prefix(&app.base).unwrap().to_string()
}

async fn briefing_screen(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let mut csv = support::people_csv(6, 2);
    csv += "lead@force.police.uk,Lead,,change_lead\n";
    let cohort = app.cohort(START, &csv).await;
    app.release_due().await;
    let mut zero = app.browser("officer0@force.police.uk").await; // Team 0
    submit(
        &mut zero,
        cohort,
        1,
        "SHARED-WITH-COHORT: people liked the online form.",
        "cohort",
    )
    .await;
    let mut two = app.browser("officer2@force.police.uk").await;
    submit(&mut two, cohort, 1, "TEAM-ONLY thought", "team").await;
    let mut four = app.browser("officer4@force.police.uk").await;
    submit(&mut four, cohort, 1, "ANON thought", "anonymous").await;
    let mut one = app.browser("officer1@force.police.uk").await; // Team 1
    submit(&mut one, cohort, 1, "PRIVATE thought", "private").await;

    // Participants cannot open it; managers and change leads can.
    assert_eq!(zero.get(&format!("/c/{cohort}/briefing")).await.status, 404);
    let mut manager = app.browser("manager0@force.police.uk").await;
    let screen = manager.get(&format!("/c/{cohort}/briefing")).await;
    assert_eq!(screen.status, 200);
    // Manager 0 sees every team ranked, their own highlighted: 3 of 3 done today in Team 0
    // (officers 0, 2 and 4), 1 of 3 in Team 1.
    assert!(
        screen.body.contains(
            "<span class=\"team\">Team 0<span class=\"visually-hidden\"> (this screen's team)"
        ) && screen.body.contains("<span class=\"team\">Team 1</span>"),
        "{}",
        screen.body
    );
    assert_eq!(
        screen.body.matches("<li class=\"mine\">").count(),
        2,
        "standings and today"
    );
    assert!(screen.body.contains("3 of 3") && screen.body.contains("1 of 3"));
    let mut lead = app.browser("lead@force.police.uk").await;
    let whole = lead.get(&format!("/c/{cohort}/briefing")).await.body;
    assert!(
        !whole.contains("class=\"mine\""),
        "a change lead's screen is the cohort's"
    );
    assert!(whole.contains("Team 0") && whole.contains("Team 1"));
    for body in [&screen.body, &whole] {
        assert!(
            body.contains("SHARED-WITH-COHORT"),
            "the highlight comes from reflections shared by name"
        );
        for hidden in ["TEAM-ONLY", "ANON", "PRIVATE"] {
            assert!(
                !body.contains(hidden),
                "{hidden} must never reach the screen"
            );
        }
    }

    // A read-only link shows the screen without signing in, and nothing more.
    let link = make_link(&app, "manager0@force.police.uk", cohort).await;
    let mut room = Browser::new(&app.base);
    let page = room.get(&link).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("3 of 3")
            && !page.body.contains("site-nav")
            && !page.body.contains("<form")
    );
    assert_eq!(room.get(&format!("{link}/fragment")).await.status, 200);
    assert_eq!(
        room.get("/today").await.location.as_deref(),
        Some("/signin"),
        "the link signs nobody in"
    );
    assert_eq!(
        room.get(&format!("/c/{cohort}/feed"))
            .await
            .location
            .as_deref(),
        Some("/signin")
    );
    // Revoked, it shows nothing.
    let links = manager
        .get(&format!("/c/{cohort}/briefing/links"))
        .await
        .body;
    let id = links
        .split("/briefing/links/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_string();
    let csrf = form_token(&links);
    assert_eq!(
        manager
            .post(
                &format!("/c/{cohort}/briefing/links/{id}/revoke"),
                &[("csrf", &csrf)]
            )
            .await
            .status,
        303
    );
    assert_eq!(room.get(&link).await.status, 404);
    assert_eq!(room.get("/briefing/0000").await.status, 404);
}
on_both_backends!(screen_and_links, briefing_screen);

/// Reads a server-sent event stream until a `change` event arrives; returns how long it took.
async fn wait_for_change(response: reqwest::Response, started: Instant) -> Duration {
    let mut response = response;
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = String::new();
    while Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(5), response.chunk()).await {
            Ok(Ok(Some(chunk))) => {
                seen.push_str(&String::from_utf8_lossy(&chunk));
                if seen.contains("event: change") {
                    return started.elapsed();
                }
            }
            _ => break,
        }
    }
    panic!("no change event within 5 s; stream said: {seen:?}");
}

async fn events_follow_submissions(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let cohort = app.cohort(START, &support::people_csv(4, 2)).await;
    app.release_due().await;
    let link = make_link(&app, "manager0@force.police.uk", cohort).await;
    let stream = reqwest::Client::new()
        .get(format!("{}{link}/events", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status().as_u16(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let mut zero = app.browser("officer0@force.police.uk").await;
    let (csrf, key) = zero.day_form(cohort, 1).await;
    let started = Instant::now();
    zero.post(
        &format!("/c/{cohort}/day/1"),
        &[("csrf", &csrf), ("key", &key)],
    )
    .await;
    let took = wait_for_change(stream, started).await;
    assert!(took < Duration::from_secs(1), "{took:?}");
}
on_both_backends!(live_events, events_follow_submissions);

/// Two servers on one database and one Redis: a submission through one moves the screen on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submission_on_one_server_reaches_a_screen_on_another() {
    let Some(redis) = support::service_url(
        "TEST_REDIS_URL",
        "Redis",
        "a_submission_on_one_server_reaches_a_screen_on_another",
    ) else {
        return;
    };
    let db = TestDb::sqlite().await;
    let now = support::utc("2027-01-04T08:00:00Z");
    // A channel of this test's own: pub/sub ignores database numbers and prefixes are all it has.
    let prefix = format!("test-live:{}", std::process::id());
    let live = || async { muster::live::Live::redis(&redis, &prefix).await.unwrap() };
    let first = TestApp::spawn_with_live(&db, now, live().await).await;
    let second = TestApp::spawn_with_live(&db, now, live().await).await;
    let cohort = first.cohort(START, &support::people_csv(4, 2)).await;
    first.release_due().await;
    let link = make_link(&first, "manager0@force.police.uk", cohort).await;
    let stream = reqwest::Client::new()
        .get(format!("{}{link}/events", first.base))
        .send()
        .await
        .unwrap();
    // Give the subscription a moment to reach Redis before publishing.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut zero = second.browser("officer0@force.police.uk").await;
    let (csrf, key) = zero.day_form(cohort, 1).await;
    let started = Instant::now();
    zero.post(
        &format!("/c/{cohort}/day/1"),
        &[("csrf", &csrf), ("key", &key)],
    )
    .await;
    let took = wait_for_change(stream, started).await;
    assert!(took < Duration::from_secs(1), "{took:?}");
}

async fn named_links_shown_once_listed_and_revoked_by_name(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let cohort = app.cohort(START, &support::people_csv(4, 2)).await;
    app.release_due().await;
    let mut manager = app.browser("manager0@force.police.uk").await;
    let links = format!("/c/{cohort}/briefing/links");
    let count = || async {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM briefing_links")
            .fetch_one(db.store.pool())
            .await
            .unwrap();
        n
    };
    // Loading the page, again and again, makes nothing.
    for _ in 0..3 {
        let page = manager.get(&links).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("None yet."));
    }
    assert_eq!(count().await, 0);
    // A name is needed, and kept short.
    let csrf = form_token(&manager.get(&links).await.body);
    for bad in ["", "   ", &"x".repeat(81)] {
        let page = manager
            .post(&links, &[("csrf", &csrf), ("name", bad)])
            .await;
        assert_eq!(page.status, 422);
        assert!(
            page.body.contains("Give the screen a name"),
            "{}",
            page.body
        );
    }
    assert_eq!(count().await, 0);
    let made = manager
        .post(
            &links,
            &[("csrf", &csrf), ("name", "Briefing room, Ladywood <b>")],
        )
        .await;
    assert_eq!(made.status, 303);
    // Shown once: a URL in a field, a copy button (hidden until its script finds a clipboard)
    // and a QR code drawn on the server.
    let shown = manager.get(&links).await.body;
    assert!(
        shown.contains("Ready: Briefing room, Ladywood &lt;b&gt;"),
        "{shown}"
    );
    let url = regex::Regex::new(
        r#"id="tv-url" type="text" readonly value="(http://[^"]+/briefing/[0-9a-f]{64})""#,
    )
    .unwrap()
    .captures(&shown)
    .expect("the link in a field")[1]
        .to_string();
    assert!(shown.contains(r#"data-copy="tv-url""#) && shown.contains("hidden"));
    assert!(
        shown.contains(
            "aria-label=\"QR code of the link for Briefing room, Ladywood &lt;b&gt;\"><svg"
        )
    );
    assert!(shown.contains("/assets/copy-"));
    let again = manager.get(&links).await.body;
    assert!(
        !again.contains(&url) && !again.contains("tv-url"),
        "shown once only"
    );
    assert_eq!(count().await, 1);
    // Listed by name with when it was made and last used.
    assert!(again.contains("<th scope=\"row\">Briefing room, Ladywood &lt;b&gt;</th>"));
    assert!(again.contains("4 Jan 2027, 08:00 UTC") && again.contains("Not yet"));
    app.clock.set(support::utc("2027-01-04T09:30:00Z"));
    let path = url.strip_prefix(&app.base).unwrap().to_string();
    assert_eq!(Browser::new(&app.base).get(&path).await.status, 200);
    let listed = manager.get(&links).await.body;
    assert!(
        listed.contains("4 Jan 2027, 09:30 UTC"),
        "last used: {listed}"
    );
    // Revoked by name: the button says which.
    assert!(listed.contains(
        "Revoke <span class=\"visually-hidden\">Briefing room, Ladywood &lt;b&gt;</span>"
    ));
    let id = listed
        .split("/briefing/links/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_string();
    let revoked = manager
        .post(&format!("{links}/{id}/revoke"), &[("csrf", &csrf)])
        .await;
    assert_eq!(revoked.status, 303);
    assert_eq!(Browser::new(&app.base).get(&path).await.status, 404);
    assert!(manager.get(&links).await.body.contains("None yet."));
}
on_both_backends!(
    named_links,
    named_links_shown_once_listed_and_revoked_by_name
);
