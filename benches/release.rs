//! Enrolling 10,000 people from CSV and releasing a day to them, on SQLite and PostgreSQL:
//! `cargo bench --bench release` (PostgreSQL when `TEST_DATABASE_URL` is set).
//!
//! Targets: the release under 1 s, the import under 5 s.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use muster::app::release::release_day;
use muster::clock::Clock;
use muster::domain::Day;
use muster::store::Store;

#[path = "common/cohort.rs"]
mod cohort;
#[path = "common/services.rs"]
mod services;

const PEOPLE: usize = 10_000;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
    run("SQLite", &sqlite).await;
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) => {
            let store = Store::connect(&url).await.expect("connect");
            let schema = format!("bench_{}", std::process::id());
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(store.pool())
                .await
                .expect("schema");
            let separator = if url.contains('?') { '&' } else { '?' };
            run(
                "PostgreSQL",
                &format!("{url}{separator}options=-c%20search_path%3D{schema}"),
            )
            .await;
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(store.pool())
                .await
                .expect("drop schema");
        }
        Err(_) => println!("PostgreSQL: skipped (set TEST_DATABASE_URL)"),
    }
}

async fn run(backend: &str, url: &str) {
    let store = Store::connect(url).await.expect("connect");
    store.migrate().await.expect("migrate");
    let now: DateTime<Utc> = "2027-01-04T07:00:00Z".parse().expect("instant");
    // The cohort began 30 days before `now`, the moment people are enrolled and day 1 released.
    let clock = Clock::manual(now - Duration::days(30));
    let services = services::services(
        &store,
        &clock,
        std::env::temp_dir().join("muster-bench-outbox"),
    );
    let id = cohort::create(&services, now - Duration::days(30)).await;

    let start = Instant::now();
    clock.set(now);
    let summary = cohort::enrol(&services, id, PEOPLE).await;
    let enrol_time = start.elapsed();
    assert_eq!(summary.newly_enrolled, PEOPLE as i64);

    let cohort = muster::app::cohort::get(&services, id)
        .await
        .expect("cohort");
    let start = Instant::now();
    release_day(&services, &cohort, Day::FIRST, now)
        .await
        .expect("release")
        .expect("released");
    let release_time = start.elapsed();

    println!(
        "{backend}: enrol {PEOPLE} from CSV {:.0} ms (target < 5000); release a day to {PEOPLE} {:.0} ms (target < 1000)",
        enrol_time.as_secs_f64() * 1e3,
        release_time.as_secs_f64() * 1e3
    );
    store.close().await;
}
