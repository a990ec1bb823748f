//! Submissions written in batches (`submit_queue`), on both backends: a batch writes exactly
//! what its submissions would have written one at a time, one submission that cannot be stored
//! does not fail the others, a batch without its database asks everyone to retry, and many
//! people submitting at once each get their answer, once.

use crate::support;

use crate::support::TestDb;
use crate::support::app::TestApp;
use muster::app::submission::{self, Checked, SubmitOutcome, SubmitRequest, Visibility};
use muster::app::submit_queue;
use muster::rules::points::Reason;

const START: &str = "2027-01-04";

/// Day 1 by `email` in `cohort`, checked and ready to write. A person's idempotency keys are
/// theirs across cohorts, so `key` is made the cohort's own.
async fn checked(app: &TestApp, cohort: i64, email: &str, key: &str, reflection: &str) -> Checked {
    let (person, access) = app.member(email, cohort).await;
    let request = SubmitRequest {
        day: muster::domain::Day::FIRST,
        reflection: reflection.into(),
        checkin: None,
        visibility: Some(Visibility::Cohort),
        idempotency_key: format!("{cohort}-{key}"),
        remove_flagged: false,
        version: None,
    };
    submission::check(&app.services, &person, &access, &request)
        .await
        .expect("checked")
        .expect("nothing to review")
}

/// What an answer says, without the submission's id (which differs between cohorts).
fn said(outcome: &SubmitOutcome) -> (bool, bool, Vec<(Reason, i64)>, Vec<String>) {
    let SubmitOutcome::Stored(stored) = outcome else {
        panic!("not stored: {outcome:?}");
    };
    (
        stored.first_completion,
        stored.edited,
        stored.points.clone(),
        stored.badges.iter().map(|b| b.id.clone()).collect(),
    )
}

/// Rows of a query about one cohort, as text, in the query's order.
async fn rows(db: &TestDb, sql: &str, cohort: i64) -> Vec<(String, String, i64)> {
    sqlx::query_as(sql)
        .bind(cohort)
        .fetch_all(db.store.pool())
        .await
        .expect(sql)
}

/// Everything a cohort's submissions wrote: ledger, badges, team badges and reflections.
async fn written(db: &TestDb, cohort: i64) -> Vec<Vec<(String, String, i64)>> {
    vec![
        rows(
            db,
            "SELECT p.email, l.reason, l.points FROM points_ledger l JOIN people p ON p.id = l.person_id \
             WHERE l.cohort_id = $1 ORDER BY p.email, l.reason, l.points",
            cohort,
        )
        .await,
        rows(
            db,
            "SELECT p.email, b.badge_id, CAST(0 AS BIGINT) FROM badge_awards b JOIN people p ON p.id = b.person_id \
             WHERE b.cohort_id = $1 ORDER BY p.email, b.badge_id",
            cohort,
        )
        .await,
        rows(
            db,
            "SELECT t.name, b.badge_id, b.day FROM team_badge_awards b JOIN teams t ON t.id = b.team_id \
             WHERE b.cohort_id = $1 ORDER BY t.name, b.badge_id",
            cohort,
        )
        .await,
        rows(
            db,
            "SELECT p.email, r.body, r.day FROM reflections r JOIN people p ON p.id = r.person_id \
             WHERE r.cohort_id = $1 ORDER BY p.email",
            cohort,
        )
        .await,
    ]
}

/// officer0 and officer5 complete day 1 first, one at a time.
async fn earlier(app: &TestApp, cohort: i64) {
    for (email, key, text) in [
        ("officer0@force.police.uk", "a0", ""),
        ("officer5@force.police.uk", "k5", "First."),
    ] {
        let one = checked(app, cohort, email, key, text).await;
        submission::write(&app.services, &[one])
            .await
            .expect("written");
    }
}

/// Then officer0 adds a reflection; officer2 and officer4 complete the day, which completes it
/// for their team (0, 2 and 4); officer5's request arrives again; officer1 completes, which
/// leaves officer3 to do in their team.
async fn later(app: &TestApp, cohort: i64) -> Vec<Checked> {
    vec![
        checked(
            app,
            cohort,
            "officer0@force.police.uk",
            "b0",
            "Added later.",
        )
        .await,
        checked(
            app,
            cohort,
            "officer2@force.police.uk",
            "b2",
            "Asked for help.",
        )
        .await,
        checked(app, cohort, "officer4@force.police.uk", "b4", "").await,
        checked(app, cohort, "officer5@force.police.uk", "k5", "First.").await,
        checked(app, cohort, "officer1@force.police.uk", "b1", "").await,
    ]
}

async fn a_batch_writes_what_each_would_alone(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let csv = support::people_csv(6, 2);
    let batched = app.cohort_named("Batched", START, &csv).await;
    let alone = app.cohort_named("One at a time", START, &csv).await;
    app.release_due().await;

    earlier(&app, batched).await;
    let batch = later(&app, batched).await;
    let answers = submission::write(&app.services, &batch)
        .await
        .expect("one transaction for the batch");

    earlier(&app, alone).await;
    let mut answers_alone = Vec::new();
    for one in later(&app, alone).await {
        let mut answer = submission::write(&app.services, &[one])
            .await
            .expect("written");
        answers_alone.push(answer.remove(0));
    }

    let said_batched: Vec<_> = answers.iter().map(said).collect();
    let said_alone: Vec<_> = answers_alone.iter().map(said).collect();
    assert_eq!(said_batched, said_alone);
    assert_eq!(written(db, batched).await, written(db, alone).await);

    // And what that is: an edit that adds the first reflection earns its bonus; the repeat
    // earns nothing; the team's badge goes to the member whose completion completed its day.
    let (first, edited, points, _) = &said_batched[0];
    assert!(!first && *edited);
    assert_eq!(points, &[(Reason::ReflectionBonus, 5)]);
    let (first, _, points, badges) = &said_batched[3];
    assert!(!first && points.is_empty() && badges.is_empty());
    for (n, completed_team) in [(1, false), (2, true), (4, false)] {
        let (first, _, _, badges) = &said_batched[n];
        assert!(first);
        assert!(badges.contains(&"logged-on".to_string()), "{badges:?}");
        assert_eq!(
            badges.contains(&"whole-team".to_string()),
            completed_team,
            "answer {n}: {badges:?}"
        );
    }
    assert_eq!(written(db, batched).await[2].len(), 1, "one team badge");
}
on_both_backends!(same_as_alone, a_batch_writes_what_each_would_alone);

/// Day 1 by officer0, officer1 and officer2 of one team, checked and ready to write as a batch.
async fn three_of_one_team(app: &TestApp) -> Vec<Checked> {
    let cohort = app.cohort(START, &support::people_csv(3, 1)).await;
    app.release_due().await;
    let mut batch = Vec::new();
    for n in 0..3 {
        let email = format!("officer{n}@force.police.uk");
        batch.push(checked(app, cohort, &email, &format!("k{n}"), "Done.").await);
    }
    batch
}

async fn one_that_cannot_be_stored_does_not_fail_its_batch(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let batch = three_of_one_team(&app).await;
    // officer1 is removed between the check and the write: their row can no longer be stored.
    let gone = app.person("officer1@force.police.uk").await.id;
    // The day's reminders (and the sign-in links and unsubscribe tokens in them) go first.
    app.mail_sent().await;
    for sql in [
        "DELETE FROM outbox WHERE person_id = $1",
        "DELETE FROM signin_links WHERE person_id = $1",
        "DELETE FROM unsubscribe_tokens WHERE person_id = $1",
        "DELETE FROM enrolments WHERE person_id = $1",
        "DELETE FROM people WHERE id = $1",
    ] {
        sqlx::query(sql)
            .bind(gone)
            .execute(db.store.pool())
            .await
            .expect(sql);
    }
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM submissions")
            .fetch_one(db.store.pool())
            .await
            .expect("count")
    };
    assert!(
        submission::write(&app.services, &batch).await.is_err(),
        "as one transaction the batch fails"
    );
    assert_eq!(count().await, 0, "and writes nothing");

    let answers = submit_queue::write_batch(&app.services, &batch).await;
    assert!(matches!(answers[0], Ok(SubmitOutcome::Stored(_))));
    assert!(answers[1].is_err());
    assert!(matches!(answers[2], Ok(SubmitOutcome::Stored(_))));
    assert_eq!(count().await, 2);
}
on_both_backends!(
    one_bad_submission,
    one_that_cannot_be_stored_does_not_fail_its_batch
);

async fn many_at_once_each_answered_once(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let cohort = app.cohort(START, &support::people_csv(40, 4)).await;
    app.release_due().await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/cohorts/{cohort}/days/1/submission", app.base);
    let mut requests = Vec::new();
    for n in 0..40 {
        let token = app.token(&format!("officer{n}@force.police.uk")).await;
        // officer0 double-taps ten times.
        let copies = if n == 0 { 10 } else { 1 };
        for _ in 0..copies {
            requests.push((
                token.clone(),
                format!(r#"{{"reflection":"Day one, {n}.","idempotency_key":"k{n}"}}"#),
            ));
        }
    }
    let mut tasks = Vec::new();
    for (token, body) in requests {
        let (client, url) = (client.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    for task in tasks {
        let status = task.await.expect("task").expect("answer");
        assert!(matches!(status, 200 | 201), "status {status}");
    }
    let scalar = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(db.store.pool())
            .await
            .expect(sql)
    };
    assert_eq!(scalar("SELECT COUNT(*) FROM submissions").await, 40);
    assert_eq!(scalar("SELECT COUNT(*) FROM reflections").await, 40);
    assert_eq!(
        scalar("SELECT COUNT(*) FROM points_ledger WHERE reason = 'completion'").await,
        40,
        "one completion each, officer0's included"
    );
    assert_eq!(
        scalar("SELECT COUNT(*) FROM badge_awards WHERE badge_id = 'logged-on'").await,
        40
    );
    assert_eq!(
        scalar("SELECT COUNT(*) FROM team_badge_awards").await,
        4,
        "every team of ten completed day 1"
    );
}
on_both_backends!(many_at_once, many_at_once_each_answered_once);

async fn a_batch_without_its_database_asks_to_retry(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let batch = three_of_one_team(&app).await;
    app.services.store.close().await;
    assert_told_to_retry(&submit_queue::write_batch(&app.services, &batch).await);
}
on_both_backends!(database_away, a_batch_without_its_database_asks_to_retry);

/// A batch written through a proxy to the test's database that stalls (nothing comes back,
/// nothing is closed) once its connection has sat idle for `idle`; answered, and how long that
/// took. The proxy is returned so the test can cut it.
struct Stalled {
    app: TestApp,
    batch: Vec<Checked>,
    answers: Vec<Result<SubmitOutcome, muster::app::AppError>>,
    waited: std::time::Duration,
    proxy: support::proxy::Proxy,
}

async fn a_batch_behind_a_stall(db: &TestDb, idle: std::time::Duration) -> Stalled {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let batch = three_of_one_team(&app).await;
    let (mut proxy, store) = support::proxy::through_proxy(db).await;
    store.ping().await.expect("through the proxy");
    tokio::time::sleep(idle).await;
    proxy.stall();
    let services = muster::app::Services {
        store,
        ..app.services.clone()
    };
    let started = std::time::Instant::now();
    let answers = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        submit_queue::write_batch(&services, &batch),
    )
    .await
    .expect("answered before the test gave up");
    Stalled {
        app,
        batch,
        answers,
        waited: started.elapsed(),
        proxy,
    }
}

/// A database that hangs rather than refuses: the batch waits out the pool's 5 s once, and all
/// of its submissions fail with it, instead of each being tried again alone and waiting 5 s more
/// in turn (20 s for three).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_behind_a_hung_database_fails_together() {
    let Some(db) = TestDb::postgres("a_batch_behind_a_hung_database").await else {
        return;
    };
    // Idle long enough that the pool checks the connection before handing it out.
    let mut stalled = a_batch_behind_a_stall(&db, std::time::Duration::from_millis(1200)).await;
    assert_told_to_retry(&stalled.answers);
    assert!(
        stalled.waited < std::time::Duration::from_secs(12),
        "waited {:?}",
        stalled.waited
    );
    stalled.proxy.cut();
    db.cleanup().await;
}

/// A database that stops answering in the middle of a batch (its connection was open and
/// checked, so no pool wait applies) is given up after `LONGEST_WRITE`: everyone in the batch is
/// told to try again, and their retries, once it answers, store each submission once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_cut_off_mid_write_answers_in_time() {
    let Some(db) = TestDb::postgres("a_batch_cut_off_mid_write").await else {
        return;
    };
    // Fresh from a query (and back in the pool, which checks a connection as it comes back),
    // the connection is handed out without a check: the batch's first statement is the one that
    // meets the silence, not the pool.
    let mut stalled = a_batch_behind_a_stall(&db, std::time::Duration::from_millis(200)).await;
    assert_told_to_retry(&stalled.answers);
    let waited = stalled.waited;
    assert!(
        waited >= submit_queue::LONGEST_WRITE
            && waited < submit_queue::LONGEST_WRITE + std::time::Duration::from_secs(3),
        "waited {waited:?}"
    );
    stalled.proxy.cut();
    // The retries, straight to the database, each store one submission.
    let retried = submit_queue::write_batch(&stalled.app.services, &stalled.batch).await;
    assert!(retried.iter().all(|a| a.is_ok()), "{retried:?}");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM submissions")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert_eq!(stored, 3);
    db.cleanup().await;
}

/// Every submission of a batch was told to try again later (a 503), not that something broke.
fn assert_told_to_retry(answers: &[Result<SubmitOutcome, muster::app::AppError>]) {
    assert!(
        answers
            .iter()
            .all(|a| a.as_ref().is_err_and(|e| e.is_unavailable())),
        "{answers:?}"
    );
}
