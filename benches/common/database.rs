//! Where a benchmark's server keeps its data: a fresh schema of the PostgreSQL server named by
//! `TEST_DATABASE_URL` (dropped afterwards, unless `MUSTER_BENCH_KEEP_SCHEMA=1`), or else a
//! temporary SQLite file; the services it seeds through; and the multi-row `VALUES` lists its
//! seeding inserts with.

use std::future::Future;

use muster::app::{Outside, Services};
use muster::clock::Clock;
use muster::mail::Mailer;
use muster::rules::safeguarding::Checker;
use muster::store::Store;

/// Runs `run(label, url)` on the benchmark's database, named `name` (a schema `bench_NAME_PID`).
pub async fn on_database<F, Fut>(name: &str, run: F)
where
    F: FnOnce(String, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => {
            let admin = Store::connect(&url)
                .await
                .expect("connect to TEST_DATABASE_URL");
            let schema = format!("bench_{name}_{}", std::process::id());
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(admin.pool())
                .await
                .expect("create the bench schema");
            let separator = if url.contains('?') { '&' } else { '?' };
            let scoped = format!("{url}{separator}options=-c%20search_path%3D{schema}");
            let label = "PostgreSQL (TEST_DATABASE_URL, schema ".to_string() + &schema + ")";
            // Run in a task so a panic still drops the schema (the server dies with the task).
            let outcome = tokio::spawn(run(label, scoped)).await;
            if std::env::var("MUSTER_BENCH_KEEP_SCHEMA").as_deref() == Ok("1") {
                println!("kept schema {schema} (MUSTER_BENCH_KEEP_SCHEMA=1); drop it when done");
            } else {
                sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(admin.pool())
                    .await
                    .expect("drop the bench schema");
            }
            admin.close().await;
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
        }
        None => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("bench.db").display());
            let label = "SQLite (a temporary file; set TEST_DATABASE_URL for PostgreSQL)".into();
            run(label, url).await;
        }
    }
}

/// `($1, ..., $columns), ...` for `rows` rows: the values of a multi-row INSERT.
pub fn values(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let row: Vec<String> = (1..=columns)
                .map(|c| format!("${}", r * columns + c))
                .collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The use cases' services a benchmark seeds through and issues sign-in links with: the system
/// clock, mail to a temporary folder. The server's address is known once it starts, after
/// seeding: set `base_url` then.
pub fn services(store: &Store) -> Services {
    Services::new(Outside {
        store: store.clone(),
        clock: Clock::System,
        mailer: Mailer::new(
            None,
            std::env::temp_dir().join("muster-bench-outbox"),
            "muster <muster@localhost>",
        )
        .expect("mailer"),
        safeguarding: Checker::standard(),
        board: muster::board::Board::in_memory(),
        live: muster::live::Live::local(),
        base_url: String::new(),
    })
}
