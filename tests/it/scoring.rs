//! Points, streaks, rest days and badges, over HTTP on both backends: what each submission and
//! reaction writes to the ledger, and that concurrency never writes it twice.

use crate::support;

use crate::support::TestDb;
use crate::support::app::{Browser, TestApp};

const START: &str = "2027-01-04";

async fn submit(b: &mut Browser, cohort: i64, day: u32, text: &str) -> support::app::Page {
    let (csrf, key) = b.day_form(cohort, day).await;
    b.post(
        &format!("/c/{cohort}/day/{day}"),
        &[
            ("csrf", &csrf),
            ("key", &key),
            ("reflection", text),
            ("visibility", "cohort"),
        ],
    )
    .await
}

async fn scalar(db: &TestDb, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db.store.pool())
        .await
        .expect(sql)
}

async fn points_of(db: &TestDb, email: &str) -> i64 {
    scalar(
        db,
        &format!(
            "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_ledger \
             WHERE person_id = (SELECT id FROM people WHERE email = '{email}')"
        ),
    )
    .await
}

/// 08:00 UTC (= London) on day `n` of the cohort, with the day released.
async fn morning_of(app: &TestApp, n: u32) {
    app.clock
        .set(support::utc(&format!("2027-01-{:02}T08:00:00Z", 3 + n)));
    app.release_due().await;
}

async fn points_streaks_and_badges(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let cohort = app.cohort(START, &support::people_csv(4, 2)).await;
    morning_of(&app, 1).await;
    let mut zero = app.browser("officer0@force.police.uk").await;
    let mut two = app.browser("officer2@force.police.uk").await;
    // Day 1 with a reflection: completion 10 + reflection 5, and the first-completion badge (+5).
    let saved = submit(&mut zero, cohort, 1, "Found the reporting page.").await;
    assert_eq!(saved.status, 303);
    let page = zero.get(saved.location.as_deref().unwrap()).await.body;
    assert!(
        page.contains("You earned <strong>20 points</strong>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"badge-icon\" aria-hidden=\"true\">🔓</span><span class=\"badge-name\">New badge: Logged on</span>"),
        "{page}"
    );
    assert_eq!(points_of(db, "officer0@force.police.uk").await, 20);
    // Team 0 is officer0 and officer2: when officer2 completes day 1 the team has a whole day.
    submit(&mut two, cohort, 1, "").await;
    assert_eq!(
        scalar(
            db,
            "SELECT COUNT(*) FROM team_badge_awards WHERE badge_id = 'whole-team'"
        )
        .await,
        1
    );
    // Day 2 without a reflection: completion 10 + streak bonus 2 (a streak of 2).
    morning_of(&app, 2).await;
    submit(&mut zero, cohort, 2, "").await;
    assert_eq!(points_of(db, "officer0@force.police.uk").await, 32);
    // Day 3: 10 + streak 4, the three-in-a-row badge (+5), and first-on-scene (+5): officer0 was
    // the first of their team on three days.
    morning_of(&app, 3).await;
    submit(&mut zero, cohort, 3, "").await;
    assert_eq!(points_of(db, "officer0@force.police.uk").await, 56);
    let badges: Vec<String> = sqlx::query_scalar(
        "SELECT badge_id FROM badge_awards WHERE person_id = (SELECT id FROM people WHERE email = 'officer0@force.police.uk') ORDER BY id",
    )
    .fetch_all(db.store.pool())
    .await
    .unwrap();
    assert_eq!(badges, ["logged-on", "three-in-a-row", "first-on-scene"]);
    let journey = zero.get(&format!("/c/{cohort}/journey")).await.body;
    assert!(journey.contains("Points: 56"), "{journey}");
    assert!(journey.contains("Streak bonuses"));
    // Editing a day's reflection in, later, earns the reflection bonus once.
    submit(&mut zero, cohort, 3, "Added a thought afterwards.").await;
    submit(&mut zero, cohort, 3, "Changed the thought.").await;
    assert_eq!(points_of(db, "officer0@force.police.uk").await, 61);
}
on_both_backends!(points_and_badges, points_streaks_and_badges);

async fn late_days_and_rest_days(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let cohort = app.cohort(START, &support::people_csv(4, 2)).await;
    morning_of(&app, 3).await;
    let mut one = app.browser("officer1@force.police.uk").await;
    // Day 1 closed at 12:00 on day 2: now it is late, worth 5 and no streak bonus (+5 first badge).
    submit(&mut one, cohort, 1, "").await;
    assert_eq!(points_of(db, "officer1@force.police.uk").await, 10);
    assert_eq!(
        scalar(db, "SELECT late FROM submissions WHERE day = 1").await,
        1
    );
    // Day 2 as a rest day, then day 3 on time: the rest day keeps the streak (2: bonus 2).
    let csrf = one.csrf().await;
    let rest = one
        .post(&format!("/c/{cohort}/day/2/rest"), &[("csrf", &csrf)])
        .await;
    assert_eq!(rest.status, 303, "{}", rest.body);
    submit(&mut one, cohort, 3, "").await;
    assert_eq!(points_of(db, "officer1@force.police.uk").await, 22);
    let journey = one.get(&format!("/c/{cohort}/journey")).await.body;
    assert!(journey.contains("rest day"));
    assert!(journey.contains("Rest days left: 7"));
    // A completed day cannot be a rest day; the allowance runs out.
    let done = one
        .post(&format!("/c/{cohort}/day/3/rest"), &[("csrf", &csrf)])
        .await;
    assert_eq!(done.status, 422);
    sqlx::query("UPDATE enrolments SET rest_days_used = 8")
        .execute(db.store.pool())
        .await
        .unwrap();
    let mut three = app.browser("officer3@force.police.uk").await;
    let csrf = three.csrf().await;
    let refused = three
        .post(&format!("/c/{cohort}/day/3/rest"), &[("csrf", &csrf)])
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("used all 8 rest days"));
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM rest_days").await,
        1,
        "nothing half-written"
    );
}
on_both_backends!(late_and_rest_days, late_days_and_rest_days);

async fn reactions_earn_and_lose_a_point(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let cohort = app.cohort(START, &support::people_csv(4, 2)).await;
    morning_of(&app, 1).await;
    let mut zero = app.browser("officer0@force.police.uk").await;
    submit(&mut zero, cohort, 1, "Something worth reacting to.").await;
    let before = points_of(db, "officer0@force.police.uk").await;
    let reflection = scalar(db, "SELECT handle FROM reflections").await;
    let mut one = app.browser("officer1@force.police.uk").await;
    let csrf = one.csrf().await;
    let path = format!("/c/{cohort}/reflections/{reflection}/react");
    one.post(&path, &[("csrf", &csrf), ("kind", "helpful"), ("on", "1")])
        .await;
    one.post(&path, &[("csrf", &csrf), ("kind", "helpful"), ("on", "1")])
        .await;
    one.post(
        &path,
        &[("csrf", &csrf), ("kind", "thank_you"), ("on", "1")],
    )
    .await;
    assert_eq!(points_of(db, "officer0@force.police.uk").await, before + 2);
    one.post(&path, &[("csrf", &csrf), ("kind", "helpful"), ("on", "0")])
        .await;
    assert_eq!(points_of(db, "officer0@force.police.uk").await, before + 1);
    assert_eq!(
        points_of(db, "officer1@force.police.uk").await,
        0,
        "reacting earns the reactor nothing"
    );
}
on_both_backends!(reactions, reactions_earn_and_lose_a_point);

async fn fifty_identical_submissions_score_once(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let cohort = app.cohort(START, &support::people_csv(4, 2)).await;
    morning_of(&app, 1).await;
    let token = app.token("officer0@force.police.uk").await;
    let client = reqwest::Client::new();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let client = client.clone();
        let url = format!("{}/api/v1/cohorts/{cohort}/days/1/submission", app.base);
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(r#"{"reflection":"Once only.","idempotency_key":"same"}"#)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    for task in tasks {
        assert!(matches!(task.await.unwrap().unwrap(), 200 | 201));
    }
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM submissions").await, 1);
    assert_eq!(
        points_of(db, "officer0@force.police.uk").await,
        20,
        "one set of points"
    );
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM badge_awards").await,
        1,
        "one badge"
    );
}
on_both_backends!(concurrent_scoring, fifty_identical_submissions_score_once);
