//! `muster serve` as a process and the server's behaviour when its database goes away.

use crate::support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::utc;
use muster::app::AppError;
use muster::app::cohort::{self, CohortRequest};
use muster::app::jobs::Lease;
use muster::app::jobs::release::Release;
use muster::clock::Clock;
use muster::store::releases;
use muster::web::{AppState, router};
use tokio::net::TcpListener;

#[test]
fn serve_starts_on_embedded_sqlite_answers_probes_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .trim()
        .strip_prefix("muster is serving on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let health = reqwest::get(format!("{address}/healthz")).await.unwrap();
        assert_eq!(health.status(), 200);
        let ready = reqwest::get(format!("{address}/readyz")).await.unwrap();
        assert_eq!(ready.status(), 200);
    });
    assert!(
        dir.path().join("data/muster.db").exists(),
        "the embedded database is created under ./data/"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "graceful shutdown exits 0, got {status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "muster serve did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_database_gives_503_and_the_server_recovers_without_losing_a_release() {
    let Some(db) = support::TestDb::postgres("a_lost_database_gives_503").await else {
        return;
    };
    let (mut proxy, store) = support::proxy::through_proxy(&db).await;

    let packs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
    let request = CohortRequest {
        pack: "digital-confidence".into(),
        name: "Through the proxy".into(),
        start: "2027-01-04".parse().unwrap(),
        time_zone: "Europe/London".into(),
        release_cron: "0 6 * * *".into(),
        grace: chrono::Duration::hours(6),
        anonymity_k: muster::app::cohort::DEFAULT_ANONYMITY_K,
        reminders: Default::default(),
    };
    let id = cohort::create(
        &support::services_over(store.clone(), Clock::manual(utc("2026-12-01T00:00:00Z"))),
        &packs,
        &request,
    )
    .await
    .unwrap();
    let clock = Clock::manual(utc("2027-01-04T07:00:00Z"));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let outbox = tempfile::tempdir().unwrap();
    let services = support::app::services(
        store.clone(),
        clock.clone(),
        outbox.path(),
        &format!("http://{address}"),
    );
    let scheduler = Release::new(Lease::new(store.clone(), "proxy".into()));
    assert_eq!(
        scheduler
            .tick(&services, clock.now())
            .await
            .unwrap()
            .unwrap()
            .len(),
        1
    );

    muster::app::enrol::enrol_csv(
        &services.at(utc("2026-12-01T00:00:00Z")),
        id,
        "email,name,team,role\nofficer@force.police.uk,Officer,Team,participant\n",
    )
    .await
    .unwrap();

    tokio::spawn(axum::serve(listener, router(AppState::new(services.clone()))).into_future());
    // An officer signed in with day 1's form open when the database goes away.
    let person = muster::store::people::by_email(store.pool(), "officer@force.police.uk")
        .await
        .unwrap()
        .unwrap();
    let link = muster::app::signin::issue_link(&services, person.id, chrono::Duration::hours(1))
        .await
        .unwrap();
    let mut officer = support::app::Browser::new(&format!("http://{address}"));
    officer.follow_signin_link(&link).await;
    let (csrf, key) = officer.day_form(id, 1).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("key", key.as_str()),
        ("reflection", "Told a shop owner about reporting online."),
        ("visibility", "cohort"),
    ];
    let readyz = || async move {
        reqwest::get(format!("http://{address}/readyz"))
            .await
            .unwrap()
    };
    assert_eq!(readyz().await.status(), 200);

    proxy.cut();
    let down = readyz().await;
    assert_eq!(down.status(), 503);
    assert!(
        down.text().await.unwrap().contains("database"),
        "a plain message saying what is wrong"
    );
    // A submission now is told to retry; nothing is half-written.
    let refused = officer.post(&format!("/c/{id}/day/1"), &form).await;
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert!(refused.body.contains("try again"), "{}", refused.body);
    // Two days pass while the database is away: the scheduler fails, and says why.
    clock.set(utc("2027-01-06T07:00:00Z"));
    let failed = scheduler.tick(&services, clock.now()).await.unwrap_err();
    assert!(matches!(failed, AppError::Store(_)), "{failed:?}");

    proxy.restore().await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while readyz().await.status() != 200 {
        assert!(
            Instant::now() < deadline,
            "the server did not recover when the database returned"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let caught_up: Vec<u32> = scheduler
        .tick(&services, clock.now())
        .await
        .unwrap()
        .unwrap()
        .iter()
        .map(|r| r.day.get())
        .collect();
    assert_eq!(
        caught_up,
        vec![2, 3],
        "no release lost while the database was away"
    );
    assert_eq!(releases::list(db.store.pool(), id).await.unwrap().len(), 3);
    // The retry of the same form goes through, once.
    let retried = officer.post(&format!("/c/{id}/day/1"), &form).await;
    assert_eq!(retried.status, 303, "{}", retried.body);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM submissions")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert_eq!(stored, 1);
    store.close().await;
    db.cleanup().await;
}

/// A database that hangs (rather than refuses) just as the callers' version is due to be read
/// again: every request waits for that one read, and they all fail with it, within about the
/// pool's timeout, instead of one timeout after another behind it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_behind_a_hung_version_read_fail_together() {
    let Some(db) = support::TestDb::postgres("requests_behind_a_hung_version_read").await else {
        return;
    };
    let (mut proxy, store) = support::proxy::through_proxy(&db).await;
    let version = std::sync::Arc::new(muster::app::callers::CallerVersion::default());
    version.current(&store).await.unwrap();
    tokio::time::sleep(muster::store::callers::READ_EVERY + Duration::from_millis(100)).await;

    proxy.stall();
    let started = Instant::now();
    let waiting: Vec<_> = (0..8)
        .map(|_| {
            let (store, version) = (store.clone(), version.clone());
            tokio::spawn(async move { version.current(&store).await })
        })
        .collect();
    for request in waiting {
        let answer = request.await.unwrap();
        assert!(
            matches!(answer, Err(muster::store::StoreError::Unavailable(_))),
            "{answer:?}"
        );
    }
    // One wait of the pool's 5 s, where eight in turn would take 40 s.
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(12), "waited {waited:?}");
    proxy.cut();
    db.cleanup().await;
}
