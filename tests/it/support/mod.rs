//! Shared test support: a fresh database per test on each backend, and a macro that runs one
//! test body on both.
//!
//! SQLite always runs (a temporary file). PostgreSQL runs when `TEST_DATABASE_URL` names a server:
//! each test gets its own schema there, so tests run in parallel without seeing each other. Without
//! it the PostgreSQL half prints `skipped: ...`, unless `MUSTER_REQUIRE_SERVICES=1`, when a missing
//! server is a failure.

pub mod app;
pub mod browser;
pub mod process;
pub mod proxy;
pub mod pytools;
pub mod smtp;
pub mod webhook;

use std::sync::atomic::{AtomicU64, Ordering};

use muster::store::Store;

/// A database for one test; dropping it removes a SQLite file (PostgreSQL schemas are dropped by
/// [`TestDb::cleanup`]).
pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    schema: Option<(String, String)>,
}

/// The use cases' services over `store` on `clock`, for tests that call use cases without a
/// server (mail goes to the temporary folder; such tests send none).
pub fn services_over(store: Store, clock: muster::clock::Clock) -> muster::app::Services {
    app::services(store, clock, &std::env::temp_dir(), "http://localhost")
}

impl TestDb {
    /// [`services_over`] this database, on `clock`.
    pub fn services(&self, clock: muster::clock::Clock) -> muster::app::Services {
        services_over(self.store.clone(), clock)
    }

    /// [`TestDb::services`] on a manual clock set to `now`.
    pub fn services_at(&self, now: chrono::DateTime<chrono::Utc>) -> muster::app::Services {
        self.services(muster::clock::Clock::manual(now))
    }

    /// A migrated store on a fresh SQLite file.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("muster.db").display());
        let store = Store::connect(&url).await.expect("connect to SQLite");
        store.migrate().await.expect("migrate SQLite");
        TestDb {
            store,
            url,
            _dir: Some(dir),
            schema: None,
        }
    }

    /// A migrated store on a fresh schema of the `TEST_DATABASE_URL` server, or `None` (after
    /// printing why) when there is none to use.
    pub async fn postgres(test: &str) -> Option<TestDb> {
        let base = service_url("TEST_DATABASE_URL", "PostgreSQL", test)?;
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let schema = format!(
            "t_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        );
        let admin = Store::connect(&base)
            .await
            .expect("connect to TEST_DATABASE_URL");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(admin.pool())
            .await
            .expect("create a test schema");
        admin.close().await;
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");
        let store = Store::connect(&url)
            .await
            .expect("connect to the test schema");
        store.migrate().await.expect("migrate PostgreSQL");
        Some(TestDb {
            store,
            url,
            _dir: None,
            schema: Some((base, schema)),
        })
    }

    /// Drops a PostgreSQL test schema; a test that fails before calling this leaves its schema
    /// behind in the scratch database, which is harmless.
    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some((base, schema)) = self.schema
            && let Ok(admin) = Store::connect(&base).await
        {
            let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(admin.pool())
                .await;
            admin.close().await;
        }
    }
}

/// The URL in `var`, or `None` after printing a `skipped:` line; panics instead when
/// `MUSTER_REQUIRE_SERVICES=1`, so CI cannot pass by skipping.
pub fn service_url(var: &str, service: &str, test: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("MUSTER_REQUIRE_SERVICES").as_deref() == Ok("1") {
                panic!(
                    "{test}: {var} is not set and MUSTER_REQUIRE_SERVICES=1: {service} is required"
                );
            }
            eprintln!("skipped: {test} on {service} (set {var} to run it)");
            None
        }
    }
}

/// `path` when that program is installed, or `None` after printing a `skipped:` line saying `how`
/// to install it; panics instead when `MUSTER_REQUIRE_SERVICES=1`, so CI cannot pass by skipping.
pub fn installed(path: std::path::PathBuf, test: &str, how: &str) -> Option<std::path::PathBuf> {
    if path.is_file() {
        return Some(path);
    }
    if std::env::var("MUSTER_REQUIRE_SERVICES").as_deref() == Ok("1") {
        panic!(
            "{test}: {} is missing and MUSTER_REQUIRE_SERVICES=1 ({how})",
            path.display()
        );
    }
    eprintln!("skipped: {test}: {} is missing ({how})", path.display());
    None
}

/// Runs `async fn $body(db: &TestDb)` as two tests, `$name::sqlite` and `$name::postgres`.
macro_rules! on_both_backends {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = crate::support::TestDb::sqlite().await;
                super::$body(&db).await;
                db.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) =
                    crate::support::TestDb::postgres(concat!(module_path!(), "::postgres")).await
                else {
                    return;
                };
                super::$body(&db).await;
                db.cleanup().await;
            }
        }
    };
}

/// An instant from RFC 3339 text.
pub fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s)
        .expect("a valid instant")
        .with_timezone(&chrono::Utc)
}

/// A CSV of `n` participants spread over `teams` teams, plus one manager per team.
pub fn people_csv(n: usize, teams: usize) -> String {
    let mut csv = String::from("email,name,team,role\n");
    for t in 0..teams {
        csv += &format!("manager{t}@force.police.uk,Manager {t},Team {t},manager\n");
    }
    for i in 0..n {
        csv += &format!(
            "officer{i}@force.police.uk,Officer {i},Team {},participant\n",
            i % teams.max(1)
        );
    }
    csv
}

/// A Redis board under a prefix of its own, so tests share the server without seeing each other.
/// `through` is where the board connects (a proxy, say) when not straight to Redis at `url`; the
/// sweep deletes the prefix's keys from Redis itself when the test ends.
pub async fn redis_board(
    test: &str,
    url: Option<String>,
    through: Option<String>,
) -> Option<(muster::board::Board, RedisSweep)> {
    let url = match url {
        Some(url) => url,
        None => service_url("TEST_REDIS_URL", "Redis", test)?,
    };
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let prefix = format!(
        "test:{}:{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let board = muster::board::Board::redis(through.as_deref().unwrap_or(&url), &prefix)
        .await
        .expect("connect to Redis");
    Some((board, RedisSweep { url, prefix }))
}

/// Deletes every key under a Redis prefix when dropped, so a failing test leaves nothing behind.
pub struct RedisSweep {
    pub url: String,
    pub prefix: String,
}

impl Drop for RedisSweep {
    fn drop(&mut self) {
        let Ok(mut connection) =
            redis::Client::open(self.url.as_str()).and_then(|c| c.get_connection())
        else {
            return;
        };
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{}:*", self.prefix))
            .query(&mut connection)
            .unwrap_or_default();
        if !keys.is_empty() {
            let _: Result<(), _> = redis::cmd("DEL").arg(&keys).query(&mut connection);
        }
    }
}
