//! Enrolling 10,000 people from CSV and releasing a day to them, on SQLite and PostgreSQL:
//! `cargo bench --bench release` (PostgreSQL when `TEST_DATABASE_URL` is set).
//!
//! Targets: the release under 1 s, the import under 5 s.

use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use muster::app::cohort::{self, CohortRequest};
use muster::app::enrol::enrol_csv;
use muster::app::release::release_day;
use muster::app::{Outside, Services};
use muster::clock::Clock;
use muster::store::Store;

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
    let services = Services::new(Outside {
        store: store.clone(),
        clock: clock.clone(),
        mailer: muster::mail::Mailer::new(
            None,
            std::env::temp_dir().join("muster-bench-outbox"),
            "muster <muster@localhost>",
        )
        .expect("mailer"),
        safeguarding: muster::rules::safeguarding::Checker::standard(),
        board: muster::board::Board::in_memory(),
        live: muster::live::Live::local(),
        base_url: String::new(),
    });
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
    let request = CohortRequest {
        pack: "digital-confidence".into(),
        name: "Benchmark".into(),
        start: "2027-01-04".parse().expect("date"),
        time_zone: "Europe/London".into(),
        release_cron: "0 6 * * *".into(),
        grace: Duration::hours(6),
        anonymity_k: muster::app::cohort::DEFAULT_ANONYMITY_K,
    };
    let id = cohort::create(&services, &packs, &request)
        .await
        .expect("cohort");
    let mut csv = String::from("email,name,team,role\n");
    for i in 0..PEOPLE {
        csv += &format!(
            "officer{i}@force.police.uk,Officer {i},Team {},participant\n",
            i % 40
        );
    }

    let start = Instant::now();
    clock.set(now);
    let summary = enrol_csv(&services, id, &csv).await.expect("enrol");
    let enrol_time = start.elapsed();
    assert_eq!(summary.newly_enrolled, PEOPLE as i64);

    let cohort = cohort::get(&services, id).await.expect("cohort");
    let start = Instant::now();
    release_day(&services, &cohort, 1, now)
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
