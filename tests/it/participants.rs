//! Participants over HTTP, on both backends: sign-in, the day form and its rules, the feed,
//! privacy through every route that shows reflections, CSRF, and bad input.

use crate::support;

use crate::support::TestDb;
use crate::support::app::{Browser, TestApp, form_token, hidden};

const START: &str = "2027-01-04";

/// Ten participants in two teams, a manager per team, and a change lead.
fn people() -> String {
    let mut csv = support::people_csv(10, 2);
    csv += "lead@force.police.uk,Lead Person,,change_lead\n";
    csv
}

/// An app at 12:00 on day 3 of a cohort (days 1 to 3 released).
async fn app_on_day_3(db: &TestDb) -> (TestApp, i64) {
    let app = TestApp::spawn(db, support::utc("2027-01-06T12:00:00Z")).await;
    let cohort = app.cohort(START, &people()).await;
    app.release_due().await;
    (app, cohort)
}

async fn submit(
    b: &mut Browser,
    cohort: i64,
    day: u32,
    text: &str,
    visibility: &str,
) -> support::app::Page {
    let (csrf, key) = b.day_form(cohort, day).await;
    b.post(
        &format!("/c/{cohort}/day/{day}"),
        &[
            ("csrf", &csrf),
            ("key", &key),
            ("reflection", text),
            ("visibility", visibility),
            ("checkin", "4"),
        ],
    )
    .await
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db.store.pool())
        .await
        .expect("count")
}

async fn sign_in_by_email(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-06T12:00:00Z")).await;
    app.cohort(START, &people()).await;
    app.release_due().await;
    let mut b = Browser::new(&app.base);
    let page = b.get("/signin").await;
    let csrf = form_token(&page.body);
    // Unknown addresses get the same answer and no mail.
    let page = b
        .post(
            "/signin",
            &[("csrf", &csrf), ("email", "nobody@example.org")],
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Check your email"));
    app.mail_sent().await;
    assert_eq!(app.sign_in_mail().len(), 0);
    let page = b
        .post(
            "/signin",
            &[("csrf", &csrf), ("email", " Officer1@Force.Police.UK ")],
        )
        .await;
    assert!(page.body.contains("Check your email"));
    app.mail_sent().await;
    let mail = app.sign_in_mail().into_iter().next().expect("one mail");
    let text = std::fs::read_to_string(mail).expect("read mail");
    let link = regex::Regex::new(r"http://[^\s]+/signin/[0-9a-f]{64}")
        .unwrap()
        .find(&text)
        .expect("a link")
        .as_str()
        .to_string();
    let done = b.follow_signin_link(&link).await;
    assert_eq!(done.status, 303);
    let today = b.get("/today").await;
    assert_eq!(today.status, 200);
    assert!(today.body.contains("Day 3 of 30"), "{}", today.body);
    // The link is single-use: a second use gets a kind page offering a new one.
    let mut other = Browser::new(&app.base);
    let again = other.follow_signin_link(&link).await;
    assert_eq!(again.status, 410);
    assert!(again.body.contains("already been used"));
    assert!(again.body.contains("Email me a sign-in link"));
    // Expired links too.
    let person = muster::store::people::by_email(db.store.pool(), "officer2@force.police.uk")
        .await
        .unwrap()
        .unwrap();
    let old =
        muster::app::signin::issue_link(&app.services, person.id, chrono::Duration::minutes(20))
            .await
            .unwrap();
    app.clock.advance(chrono::Duration::minutes(21));
    let expired = Browser::new(&app.base).follow_signin_link(&old).await;
    assert_eq!(expired.status, 410);
    assert!(expired.body.contains("expired"));
    // Rate limit: three links per quarter hour per person, then nothing more is sent.
    for _ in 0..5 {
        b.post(
            "/signin",
            &[("csrf", &csrf), ("email", "officer3@force.police.uk")],
        )
        .await;
    }
    app.mail_sent().await;
    // Counted in the outbox: the day's reminder carries a sign-in link of its own.
    let sent = count(db, "SELECT COUNT(*) FROM outbox WHERE kind = 'signin' AND sent_at IS NOT NULL AND person_id = (SELECT id FROM people WHERE email = 'officer3@force.police.uk')").await;
    assert_eq!(sent, 3);
    // Sign-out ends the session.
    let csrf = b.csrf().await;
    assert_eq!(b.post("/signout", &[("csrf", &csrf)]).await.status, 200);
    assert_eq!(b.get("/today").await.location.as_deref(), Some("/signin"));
}
on_both_backends!(sign_in_by_email_link, sign_in_by_email);

async fn one_submission_however_often_it_arrives(db: &TestDb) {
    let (app, cohort) = app_on_day_3(db).await;
    let mut b = app.browser("officer0@force.police.uk").await;
    let (csrf, key) = b.day_form(cohort, 3).await;
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("csrf", csrf.as_str()),
            ("key", key.as_str()),
            ("reflection", "Showed a shopkeeper the online form."),
            ("visibility", "cohort"),
        ])
        .finish();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let client = b.client.clone();
        let url = format!("{}/c/{cohort}/day/3", app.base);
        let session = b.cookie_value("muster_session");
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .header("cookie", format!("muster_session={session}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), 303);
    }
    assert_eq!(count(db, "SELECT COUNT(*) FROM submissions").await, 1);
    assert_eq!(count(db, "SELECT COUNT(*) FROM reflections").await, 1);
    // The API, with its own key, fifty times at once: still one submission, 201 once then 200.
    let token = app.token("officer1@force.police.uk").await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let client = b.client.clone();
        let url = format!("{}/api/v1/cohorts/{cohort}/days/3/submission", app.base);
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(r#"{"reflection":"Told a neighbour about online reporting.","idempotency_key":"k-1"}"#)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        49,
        "{statuses:?}"
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM submissions").await, 2);
}
on_both_backends!(one_submission, one_submission_however_often_it_arrives);

async fn submission_rules(db: &TestDb) {
    // 11:00 on day 3: day 2 is open until 12:00 (day 3's release plus 6 h grace).
    let app = TestApp::spawn(db, support::utc("2027-01-06T11:00:00Z")).await;
    let cohort = app.cohort(START, &people()).await;
    app.release_due().await;
    let mut b = app.browser("officer0@force.police.uk").await;
    // Not released yet.
    let page = b.get(&format!("/c/{cohort}/day/4")).await;
    assert_eq!(page.status, 404);
    let csrf = b.csrf().await;
    let page = b
        .post(
            &format!("/c/{cohort}/day/4"),
            &[("csrf", &csrf), ("key", "k4")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("has not been released yet"));
    // Day 1 closed on day 2 at 12:00 (next release + 6 h grace); the pack's catch-up days make it late.
    let page = submit(&mut b, cohort, 1, "", "cohort").await;
    assert_eq!(page.status, 303);
    assert_eq!(
        count(db, "SELECT late FROM submissions WHERE day = 1").await,
        1
    );
    submit(&mut b, cohort, 2, "", "cohort").await;
    assert_eq!(
        count(db, "SELECT late FROM submissions WHERE day = 2").await,
        0
    );
    // Far past the catch-up: closed, with a clear message.
    app.clock.set(support::utc("2027-01-12T12:00:00Z"));
    app.release_due().await;
    let (csrf, _) = b.day_form(cohort, 9).await;
    let page = b
        .post(
            &format!("/c/{cohort}/day/3"),
            &[("csrf", &csrf), ("key", "late3")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Day 3 has closed"), "{}", page.body);
    // Too long: a friendly message and the text kept in the form.
    let long = "a".repeat(2001);
    let page = submit(&mut b, cohort, 9, &long, "cohort").await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("please keep it to 2000"));
    assert!(page.body.contains(&long));
    // HTML is text.
    submit(
        &mut b,
        cohort,
        9,
        "<script>alert(1)</script> <b>bold</b>",
        "cohort",
    )
    .await;
    let feed = app
        .browser("officer2@force.police.uk")
        .await
        .get(&format!("/c/{cohort}/feed"))
        .await;
    assert!(feed.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!feed.body.contains("<script>"));
    // Managers and change leads do not complete days.
    let mut manager = app.browser("manager0@force.police.uk").await;
    let csrf = manager.csrf().await;
    let page = manager
        .post(
            &format!("/c/{cohort}/day/9"),
            &[("csrf", &csrf), ("key", "m")],
        )
        .await;
    assert_eq!(page.status, 422);
}
on_both_backends!(rules_of_submission, submission_rules);

async fn privacy(db: &TestDb) {
    let (app, cohort) = app_on_day_3(db).await;
    let mut author = app.browser("officer0@force.police.uk").await; // Team 0
    submit(
        &mut author,
        cohort,
        1,
        "PRIVATE-THOUGHT only for me",
        "private",
    )
    .await;
    submit(
        &mut author,
        cohort,
        2,
        "ANON-THOUGHT shared without my name",
        "anonymous",
    )
    .await;
    // Enough colleagues write day 2 privately for the anonymous one to be published among them.
    for n in 3..9 {
        let mut b = app.browser(&format!("officer{n}@force.police.uk")).await;
        submit(&mut b, cohort, 2, "Kept to myself.", "private").await;
    }
    app.publish_anonymous().await;
    submit(&mut author, cohort, 3, "TEAM-THOUGHT for my team", "team").await;
    let token_of = |email: &'static str| app.token(email);
    let viewers = [
        ("officer2@force.police.uk", true),  // same team
        ("officer1@force.police.uk", false), // other team
        ("manager0@force.police.uk", true),  // manages team 0
        ("manager1@force.police.uk", false),
        ("lead@force.police.uk", false),
    ];
    for (email, sees_team) in viewers {
        let mut b = app.browser(email).await;
        let token = token_of(email).await;
        let mut texts = vec![b.get(&format!("/c/{cohort}/feed")).await.body];
        for day in 1..=3 {
            texts.push(b.get(&format!("/c/{cohort}/feed?day={day}")).await.body);
        }
        texts.push(b.get(&format!("/c/{cohort}/feed?team=1")).await.body);
        texts.push(b.get(&format!("/c/{cohort}/feed?team=2")).await.body);
        texts.push(b.get(&format!("/c/{cohort}/reports")).await.body);
        let api = b
            .client
            .get(format!("{}/api/v1/cohorts/{cohort}/feed", app.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        texts.push(api.text().await.unwrap());
        for text in &texts {
            assert!(
                !text.contains("PRIVATE-THOUGHT"),
                "{email} saw a private reflection"
            );
            // Each reflection (an HTML article, a JSON item) that holds the anonymous text must
            // not name its author or team.
            let separator = if text.starts_with('{') {
                "{\"id\":"
            } else {
                "<article"
            };
            for item in text.split(separator).skip(1) {
                if item.contains("ANON-THOUGHT") {
                    let item = item.split("</article>").next().unwrap_or_default();
                    assert!(
                        !item.contains("Officer 0") && !item.contains("Team 0"),
                        "{email} saw the author of an anonymous reflection: {item}"
                    );
                }
            }
        }
        assert!(
            texts[0].contains("ANON-THOUGHT"),
            "{email}: anonymous reflections are shared with the cohort"
        );
        assert_eq!(
            texts[0].contains("TEAM-THOUGHT"),
            sees_team,
            "{email}: team visibility"
        );
        // Filtering by the author's team never lists the anonymous one (that would name the team).
        assert!(
            !texts[4].contains("ANON-THOUGHT") && !texts[5].contains("ANON-THOUGHT"),
            "{email}: team filter"
        );
    }
    // The author sees their own, private included, in their journey.
    let journey = author.get(&format!("/c/{cohort}/journey")).await.body;
    assert!(journey.contains("PRIVATE-THOUGHT"));
    let mine = author.get(&format!("/c/{cohort}/feed")).await.body;
    assert!(mine.contains("ANON-THOUGHT") && mine.contains("Officer 0"));
    // A private reflection cannot be reached by id, even by a change lead.
    let private_id: i64 =
        sqlx::query_scalar("SELECT handle FROM reflections WHERE visibility = 'private'")
            .fetch_one(db.store.pool())
            .await
            .unwrap();
    let mut lead = app.browser("lead@force.police.uk").await;
    let csrf = lead.csrf().await;
    for action in ["hide", "report", "react", "reply"] {
        let page = lead
            .post(
                &format!("/c/{cohort}/reflections/{private_id}/{action}"),
                &[
                    ("csrf", &csrf),
                    ("reason", "x"),
                    ("kind", "helpful"),
                    ("on", "1"),
                    ("key", "k"),
                    ("body", "hi"),
                ],
            )
            .await;
        assert_eq!(page.status, 404, "{action}");
    }
}
on_both_backends!(private_and_anonymous_reflections, privacy);

async fn safeguarding_before_sharing(db: &TestDb) {
    let (app, cohort) = app_on_day_3(db).await;
    let mut b = app.browser("officer0@force.police.uk").await;
    let text = "Helped the IP, Sarah Jones, report online. Her number is 07700 900123.";
    let (csrf, key) = b.day_form(cohort, 3).await;
    let path = format!("/c/{cohort}/day/3");
    let page = b
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("reflection", text),
                ("visibility", "cohort"),
            ],
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<mark class=\"flagged\">07700 900123</mark>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Post with those parts removed"));
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM submissions").await,
        0,
        "nothing flagged is stored unseen"
    );
    // The review keeps the same key; posting with the parts removed stores the redacted text.
    assert_eq!(hidden(&page.body, "key"), key);
    let page = b
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("reflection", text),
                ("visibility", "cohort"),
                ("remove_flagged", "1"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    let stored: String = sqlx::query_scalar("SELECT body FROM reflections")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert!(
        stored.contains("[removed]")
            && !stored.contains("07700")
            && !stored.contains("Sarah Jones"),
        "{stored}"
    );
    // Only-me reflections are not checked.
    let (csrf, key) = b.day_form(cohort, 2).await;
    let page = b
        .post(
            &format!("/c/{cohort}/day/2"),
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("reflection", text),
                ("visibility", "private"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
}
on_both_backends!(safeguarding, safeguarding_before_sharing);

async fn feed_replies_reactions_reports(db: &TestDb) {
    let (app, cohort) = app_on_day_3(db).await;
    // 45 reflections on day 3 by... one per person: use the store through the use case for speed.
    for i in 0..10 {
        let mut b = app.browser(&format!("officer{i}@force.police.uk")).await;
        for day in 1..=3 {
            app.clock.advance(chrono::Duration::seconds(1));
            submit(
                &mut b,
                cohort,
                day,
                &format!("Reflection R{i}-{day} on the day."),
                "cohort",
            )
            .await;
        }
    }
    let mut reader = app.browser("officer0@force.police.uk").await;
    let first = reader.get(&format!("/c/{cohort}/feed")).await.body;
    assert_eq!(first.matches("<article class=\"reflection\"").count(), 20);
    let next = first
        .split("after=")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a next link")
        .to_string();
    let second = reader
        .get(&format!("/c/{cohort}/feed?day=&team=&after={next}"))
        .await
        .body;
    assert_eq!(second.matches("<article class=\"reflection\"").count(), 10);
    assert!(
        first.contains("R9-3") && second.contains("R0-1"),
        "newest first"
    );
    let day2 = reader.get(&format!("/c/{cohort}/feed?day=2")).await.body;
    assert_eq!(day2.matches("<article class=\"reflection\"").count(), 10);
    assert!(!day2.contains("-3 on the day"));
    let bad = reader
        .get(&format!("/c/{cohort}/feed?after=nonsense"))
        .await;
    assert_eq!(bad.status, 422);

    let target: i64 = sqlx::query_scalar("SELECT r.handle FROM reflections r JOIN people p ON p.id = r.person_id WHERE p.email = 'officer5@force.police.uk' AND r.day = 3")
        .fetch_one(db.store.pool()).await.unwrap();
    let base = format!("/c/{cohort}/reflections/{target}");
    let csrf = reader.csrf().await;
    for _ in 0..2 {
        // A double tap sets the reaction once.
        assert_eq!(
            reader
                .post(
                    &format!("{base}/react"),
                    &[("csrf", &csrf), ("kind", "helpful"), ("on", "1")]
                )
                .await
                .status,
            303
        );
    }
    assert_eq!(count(db, "SELECT COUNT(*) FROM reactions").await, 1);
    assert_eq!(
        reader
            .post(
                &format!("{base}/react"),
                &[("csrf", &csrf), ("kind", "shrug"), ("on", "1")]
            )
            .await
            .status,
        422
    );
    assert_eq!(
        reader
            .post(
                &format!("{base}/react"),
                &[("csrf", &csrf), ("kind", "helpful"), ("on", "0")]
            )
            .await
            .status,
        303
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM reactions").await, 0);
    let page = reader
        .post(
            &format!("{base}/reply"),
            &[
                ("csrf", &csrf),
                ("key", "r1"),
                ("body", "Good shout, trying it tomorrow."),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    reader
        .post(
            &format!("{base}/reply"),
            &[
                ("csrf", &csrf),
                ("key", "r1"),
                ("body", "Good shout, trying it tomorrow."),
            ],
        )
        .await;
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM replies").await,
        1,
        "a retried reply is stored once"
    );
    assert!(
        reader
            .get(&format!("/c/{cohort}/feed?day=3"))
            .await
            .body
            .contains("Good shout, trying it tomorrow.")
    );
    // Report, and the change lead hides it with a reason.
    assert_eq!(
        reader
            .post(
                &format!("{base}/report"),
                &[("csrf", &csrf), ("reason", "Names a colleague unkindly")]
            )
            .await
            .status,
        200
    );
    let mut lead = app.browser("lead@force.police.uk").await;
    let reports = lead.get(&format!("/c/{cohort}/reports")).await.body;
    assert!(reports.contains("Names a colleague unkindly") && reports.contains("R5-3"));
    // Participants cannot see reports or hide.
    assert_eq!(
        reader.get(&format!("/c/{cohort}/reports")).await.status,
        404
    );
    assert_eq!(
        reader
            .post(&format!("{base}/hide"), &[("csrf", &csrf), ("reason", "x")])
            .await
            .status,
        404
    );
    let lead_csrf = lead.csrf().await;
    assert_eq!(
        lead.post(
            &format!("{base}/hide"),
            &[("csrf", &lead_csrf), ("reason", "Unkind about a colleague")]
        )
        .await
        .status,
        303
    );
    assert!(
        !reader
            .get(&format!("/c/{cohort}/feed?day=3"))
            .await
            .body
            .contains("R5-3")
    );
    assert!(
        !lead
            .get(&format!("/c/{cohort}/reports"))
            .await
            .body
            .contains("Names a colleague unkindly")
    );
    let mut author = app.browser("officer5@force.police.uk").await;
    assert!(
        author
            .get(&format!("/c/{cohort}/journey"))
            .await
            .body
            .contains("Unkind about a colleague")
    );
}
on_both_backends!(feed, feed_replies_reactions_reports);

async fn forms_need_their_token_and_bad_input_is_refused(db: &TestDb) {
    let (app, cohort) = app_on_day_3(db).await;
    let mut b = app.browser("officer0@force.police.uk").await;
    let reflection: i64 = 1;
    for path in [
        format!("/c/{cohort}/day/3"),
        format!("/c/{cohort}/reflections/{reflection}/reply"),
        format!("/c/{cohort}/reflections/{reflection}/react"),
        format!("/c/{cohort}/reflections/{reflection}/report"),
        format!("/c/{cohort}/reflections/{reflection}/hide"),
        "/account/tokens".to_string(),
        "/account/tokens/1/revoke".to_string(),
        "/signout".to_string(),
        "/signin".to_string(),
    ] {
        let page = b
            .post(
                &path,
                &[
                    ("csrf", "0000"),
                    ("key", "k"),
                    ("reason", "r"),
                    ("kind", "helpful"),
                    ("on", "1"),
                    ("body", "b"),
                    ("name", "n"),
                    ("email", "a@b.c"),
                ],
            )
            .await;
        assert_eq!(page.status, 403, "{path} without the form token");
    }
    assert_eq!(count(db, "SELECT COUNT(*) FROM submissions").await, 0);
    // Someone else's cohort, or one that does not exist: the same 404.
    let other = app
        .cohort(
            "2027-01-05",
            "email,name,team,role\nstranger@else.uk,Stranger,X,participant\n",
        )
        .await;
    assert_eq!(b.get(&format!("/c/{other}/feed")).await.status, 404);
    assert_eq!(b.get("/c/999999/feed").await.status, 404);
    // Oversized and malformed bodies.
    let csrf = b.csrf().await;
    // Just over the 64 KiB limit: the server answers 413 without reading the body and closes the
    // connection, so a body much larger than the socket's buffers could still be being written
    // then, and the client would see a reset instead of the answer.
    let huge = format!("csrf={csrf}&key=k&reflection={}", "a".repeat(70_000));
    assert_eq!(
        b.post_raw(&format!("/c/{cohort}/day/3"), huge).await.status,
        413
    );
    assert_eq!(
        b.post_raw(&format!("/c/{cohort}/day/3"), "%%%".into())
            .await
            .status,
        400
    );
    let token = app.token("officer0@force.police.uk").await;
    let url = format!("{}/api/v1/cohorts/{cohort}/days/3/submission", app.base);
    let r = b
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().await.unwrap().contains("\"code\":\"bad_request\""));
    let r = b
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    // Signed out, a form gets a page asking to sign in again.
    let mut anonymous = Browser::new(&app.base);
    assert_eq!(
        anonymous
            .post(&format!("/c/{cohort}/day/3"), &[("csrf", "x")])
            .await
            .status,
        401
    );
    assert_eq!(
        anonymous.get("/today").await.location.as_deref(),
        Some("/signin")
    );
}
on_both_backends!(
    csrf_and_bad_input,
    forms_need_their_token_and_bad_input_is_refused
);

async fn api_tokens_and_journey(db: &TestDb) {
    let (app, cohort) = app_on_day_3(db).await;
    let mut b = app.browser("officer0@force.police.uk").await;
    let csrf = b.csrf().await;
    let page = b
        .post("/account/tokens", &[("csrf", &csrf), ("name", "Teams bot")])
        .await;
    let token = regex::Regex::new(r"mst_[0-9a-f]{64}")
        .unwrap()
        .find(&page.body)
        .expect("token shown once")
        .as_str()
        .to_string();
    let account = b.get("/account").await.body;
    assert!(
        account.contains("Teams bot · connected") && account.contains("never used"),
        "{account}"
    );
    let client = b.client.clone();
    let get = |path: String| {
        let client = client.clone();
        let token = token.clone();
        async move { client.get(path).bearer_auth(token).send().await.unwrap() }
    };
    let today = get(format!("{}/api/v1/today", app.base)).await;
    assert_eq!(today.status().as_u16(), 200);
    let today: serde_json::Value = serde_json::from_str(&today.text().await.unwrap()).unwrap();
    assert_eq!(today[0]["day"], 3);
    assert_eq!(today[0]["open"], true);
    submit(&mut b, cohort, 3, "Journey check.", "cohort").await;
    let journey: serde_json::Value = serde_json::from_str(
        &get(format!("{}/api/v1/cohorts/{cohort}/journey", app.base))
            .await
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(journey["days"][2]["state"], "done");
    assert_eq!(journey["days"][0]["state"], "catch_up");
    assert_eq!(journey["days"][3]["state"], "upcoming");
    assert_eq!(journey["current_streak"], 1);
    // The account page says when the token was last used; revoking it stops it working.
    let account = b.get("/account").await.body;
    assert!(
        account.contains("last used ") && !account.contains("never used"),
        "{account}"
    );
    let id = account
        .split("/account/tokens/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_string();
    assert_eq!(
        b.post(&format!("/account/tokens/{id}/revoke"), &[("csrf", &csrf)])
            .await
            .status,
        303
    );
    assert_eq!(
        get(format!("{}/api/v1/today", app.base))
            .await
            .status()
            .as_u16(),
        401
    );
}
on_both_backends!(api_tokens, api_tokens_and_journey);

/// Who is behind a token or cookie is read once and kept under the callers' version: a change in
/// the database that does not move the version is not seen (so the caller really is kept), a
/// change made by another process (its own store) is seen within a second or two, and a kept
/// session still ends when its time is up.
async fn callers_kept_until_the_version_moves(db: &TestDb) {
    let (app, _) = app_on_day_3(db).await;
    let token = app.token("officer0@force.police.uk").await;
    let today = || async {
        let (status, body) = app.api("/api/v1/today", &token).await;
        (status, body.as_array().map_or(0, Vec::len))
    };
    assert_eq!(today().await, (200, 1));
    // Revoked behind muster's back: the version stands, so the kept caller still answers, even
    // after the version has been read again.
    sqlx::query("UPDATE api_tokens SET revoked_at = 1")
        .execute(db.store.pool())
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(today().await, (200, 1), "the caller is kept");

    // Another process (its own store and view of the version) enrols the person in a second
    // cohort: this one forgets what it kept once it reads the version again.
    let other = muster::store::Store::connect(&db.url).await.unwrap();
    let request = muster::app::cohort::CohortRequest {
        pack: "digital-confidence".into(),
        name: "Second cohort".into(),
        start: START.parse().unwrap(),
        time_zone: "Europe/London".into(),
        release_cron: "0 6 * * *".into(),
        grace: chrono::Duration::hours(6),
        anonymity_k: muster::app::cohort::DEFAULT_ANONYMITY_K,
        reminders: Default::default(),
    };
    let packs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
    let second = muster::app::cohort::create(
        &crate::support::services_over(other.clone(), app.clock.clone()),
        &packs,
        &request,
    )
    .await
    .unwrap();
    muster::app::enrol::enrol_csv(
        &crate::support::services_over(other.clone(), app.clock.clone()),
        second,
        "email,name,team,role\nofficer0@force.police.uk,Officer 0,Team 0,participant\n",
    )
    .await
    .unwrap();
    let moved = std::time::Instant::now();
    let mut seen = today().await;
    while seen.0 == 200 && moved.elapsed() < std::time::Duration::from_secs(3) {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        seen = today().await;
    }
    assert_eq!(
        seen.0, 401,
        "the revoked token is refused once the version moved"
    );
    assert!(moved.elapsed() < std::time::Duration::from_secs(3));
    other.close().await;

    // A kept session ends at its time, like one read from the database.
    let mut b = app.browser("officer1@force.police.uk").await;
    assert_eq!(b.get("/account").await.status, 200);
    app.clock
        .advance(muster::app::signin::SESSION_LIFETIME + chrono::Duration::minutes(1));
    let page = b.get("/account").await;
    assert_eq!(
        (page.status, page.location.as_deref()),
        (303, Some("/signin"))
    );
}
on_both_backends!(callers_kept, callers_kept_until_the_version_moves);

/// The whole sign-in round trip through a real SMTP server process: request a link on the page,
/// receive the mail the relay got, follow the link, and land signed in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_through_a_real_smtp_server() {
    let Some(smtp) = support::smtp::SmtpServer::start("sign_in_through_a_real_smtp_server").await
    else {
        return;
    };
    let db = TestDb::sqlite().await;
    let app =
        TestApp::spawn_with_smtp(&db, support::utc("2027-01-06T12:00:00Z"), &smtp.url()).await;
    app.cohort(START, &people()).await;
    app.release_due().await;
    let mut b = Browser::new(&app.base);
    let csrf = form_token(&b.get("/signin").await.body);
    let page = b
        .post(
            "/signin",
            &[("csrf", &csrf), ("email", "officer4@force.police.uk")],
        )
        .await;
    assert!(page.body.contains("Check your email"), "{}", page.body);
    let message = smtp
        .wait_for_message_about("officer4@force.police.uk", "Your muster sign-in link")
        .await;
    assert_eq!(
        support::smtp::header(&message, "Subject").as_deref(),
        Some("Your muster sign-in link")
    );
    let link = regex::Regex::new(r"http://[^\s]+/signin/[0-9a-f]{64}")
        .unwrap()
        .find(&message)
        .expect("a link in the mail")
        .as_str()
        .to_string();
    assert_eq!(b.follow_signin_link(&link).await.status, 303);
    let today = b.get("/today").await;
    assert!(today.body.contains("Day 3 of 30"));
    assert!(today.body.contains("Officer 4") || b.get("/account").await.body.contains("Officer 4"));
    db.cleanup().await;
}

/// The OpenAPI document is generated from the handlers: every API route is in it.
#[tokio::test]
async fn openapi_document_lists_every_route() {
    let db = TestDb::sqlite().await;
    let app = TestApp::spawn(&db, support::utc("2027-01-06T12:00:00Z")).await;
    let text = reqwest::get(format!("{}/api/v1/openapi.json", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert!(
        doc["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3.")
    );
    for (path, method) in [
        ("/api/v1/today", "get"),
        ("/api/v1/cohorts/{cohort}/days/{day}/submission", "post"),
        ("/api/v1/cohorts/{cohort}/journey", "get"),
        ("/api/v1/cohorts/{cohort}/feed", "get"),
        ("/api/v1/cohorts/{cohort}/reflections/{id}/replies", "post"),
        (
            "/api/v1/cohorts/{cohort}/reflections/{id}/reactions/{kind}",
            "put",
        ),
        (
            "/api/v1/cohorts/{cohort}/reflections/{id}/reactions/{kind}",
            "delete",
        ),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is documented"
        );
    }
    assert!(doc["components"]["schemas"]["SubmitJson"].is_object());
    assert!(doc["components"]["securitySchemes"]["token"].is_object());
}

/// The released days are kept in memory between requests, yet a day released elsewhere (by
/// another process's scheduler) shows as soon as it is: a day that has come due but is not yet
/// released is not remembered as missing.
async fn a_day_released_elsewhere_shows_at_once(db: &TestDb) {
    let (app, cohort) = app_on_day_3(db).await;
    let mut b = app.browser("officer0@force.police.uk").await;
    assert!(b.get("/today").await.body.contains("Day 3 of 30"));
    // Day 4 comes due at 06:00 the next morning; no scheduler has released it yet.
    app.clock
        .advance(chrono::Duration::hours(18) + chrono::Duration::minutes(1));
    let today = b.get("/today").await.body;
    assert!(today.contains("Day 3 of 30"), "{today}");
    assert_eq!(b.get(&format!("/c/{cohort}/day/4")).await.status, 404);
    // Released through the store alone, as another process would.
    app.release_due().await;
    let today = b.get("/today").await.body;
    assert!(today.contains("Day 4 of 30"), "{today}");
    assert_eq!(b.get(&format!("/c/{cohort}/day/4")).await.status, 200);
}
on_both_backends!(released_elsewhere, a_day_released_elsewhere_shows_at_once);
