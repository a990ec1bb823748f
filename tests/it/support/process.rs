//! A real `muster serve` process for reliability tests, a cohort that is running now by the system
//! clock, and the two JSON API calls those tests make.
//!
//! Why a process and not the router in a task ([`super::app::TestApp`]): only a process can be
//! SIGKILLed half-way through its work, with whatever it had in flight lost exactly as in a crash,
//! and only processes run twice side by side on one database and one Redis, each with its own
//! pools, board connection and scheduler, as two servers behind a load balancer do. The binary is
//! the one Cargo builds for integration tests (`CARGO_BIN_EXE_muster`); it runs on the system
//! clock, so the cohort is seeded to be running today.

use std::path::Path;
use std::time::Duration as StdDuration;

use chrono::{Duration, NaiveDate, Timelike, Utc};
use muster::app::Services;
use muster::app::cohort::{self, CohortRequest};
use muster::app::people::Person;
use muster::app::submission::day_window;
use muster::app::{enrol, release, signin};
use muster::clock::Clock;
use muster::rules::window::Window;
use muster::store::releases;

use super::TestDb;

#[path = "../../../benches/common/server.rs"]
mod server;

/// A running `muster serve` (the binary Cargo built for these tests), killed when dropped; its
/// `base` address and `log()` are those of [`server::ServerProcess`].
pub struct ServerProcess(server::ServerProcess);

impl ServerProcess {
    /// Starts `muster serve` on a free port over `db_url`, with its boards in Redis when `redis`
    /// gives `(url, key prefix)`, and waits until it is ready; panics with its log otherwise.
    pub async fn start(db_url: &str, redis: Option<(&str, &str)>) -> ServerProcess {
        let binary = Path::new(env!("CARGO_BIN_EXE_muster"));
        match server::ServerProcess::start(binary, db_url, redis).await {
            Ok(server) => ServerProcess(server),
            Err(e) => panic!("{e}"),
        }
    }

    /// SIGKILL (no graceful shutdown, nothing flushed), and waits until the process is gone.
    pub async fn kill(&mut self) {
        let base = self.0.base.clone();
        self.0
            .kill()
            .await
            .unwrap_or_else(|e| panic!("cannot kill muster serve on {base}: {e}"));
    }
}

impl std::ops::Deref for ServerProcess {
    type Target = server::ServerProcess;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// A digital-confidence cohort in progress now (by the system clock), with one API token per
/// participant.
pub struct RunningCohort {
    pub id: i64,
    /// `(person id, API token)` of every participant, by person id.
    pub people: Vec<(i64, String)>,
    /// The latest released day: on time now and for at least the next hour.
    pub day: u32,
    /// The use cases over the test's own store (system clock, in-process board), for checking
    /// what the servers did against the library.
    pub services: Services,
    _outbox: tempfile::TempDir,
}

impl RunningCohort {
    /// Creates the cohort (Europe/London, released at 06:00, 6 h grace, started two days ago so
    /// that day 3 is today's, or yesterday's before 06:00), enrols `people` participants in
    /// `teams` teams, releases what is due and makes a token for each of them.
    pub async fn seed(db: &TestDb, people: usize, teams: usize) -> RunningCohort {
        let outbox = tempfile::tempdir().expect("outbox");
        let services = super::app::services(
            db.store.clone(),
            Clock::System,
            outbox.path(),
            "http://127.0.0.1",
        );
        let store = &services.store;
        let now = Utc::now();
        let local = now.with_timezone(&chrono_tz::Europe::London);
        let mut start: NaiveDate = local.date_naive() - Duration::days(2);
        if local.hour() < 6 {
            start -= Duration::days(1);
        }
        let request = CohortRequest {
            pack: "digital-confidence".into(),
            name: format!("Reliability from {start}"),
            start,
            time_zone: "Europe/London".into(),
            release_cron: "0 6 * * *".into(),
            grace: Duration::hours(6),
            anonymity_k: muster::app::cohort::DEFAULT_ANONYMITY_K,
            // The servers send mail on the system clock: nothing waits for quiet hours or a close.
            reminders: muster::app::reminders::CohortReminders::none(),
        };
        let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
        let id = cohort::create(&services.at(now), &packs, &request)
            .await
            .expect("create the cohort");
        let mut csv = String::from("email,name,team,role\n");
        for i in 0..people {
            csv += &format!(
                "officer{i}@force.police.uk,Officer {i},Team {},participant\n",
                i % teams.max(1)
            );
        }
        let enrolled_at =
            start.and_hms_opt(0, 0, 0).expect("midnight").and_utc() - Duration::days(1);
        let summary = enrol::enrol_csv(&services.at(enrolled_at), id, &csv)
            .await
            .expect("enrol the participants");
        assert_eq!(summary.newly_enrolled, people as i64, "everyone enrolled");
        release::release_due(&services, now)
            .await
            .expect("release the days due");

        let cohort = cohort::get(&services, id).await.expect("the cohort");
        let soon = now + Duration::hours(1);
        let released = releases::list(store.pool(), id)
            .await
            .expect("the releases");
        let day = released
            .iter()
            .filter(|r| {
                matches!(day_window(&cohort, r, now), Window::OnTime { .. })
                    && matches!(day_window(&cohort, r, soon), Window::OnTime { .. })
            })
            .map(|r| r.day.get())
            .max()
            .unwrap_or_else(|| {
                panic!(
                    "no released day of cohort {id} (start {start}) is on time now and in an hour: {:?}",
                    released
                        .iter()
                        .map(|r| (r.day, day_window(&cohort, r, now)))
                        .collect::<Vec<_>>()
                )
            });

        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT p.id, p.email, p.display_name FROM enrolments e JOIN people p ON p.id = e.person_id \
             WHERE e.cohort_id = $1 ORDER BY p.id",
        )
        .bind(id)
        .fetch_all(store.pool())
        .await
        .expect("the enrolled people");
        assert_eq!(rows.len(), people, "one enrolment per participant");
        let mut tokens = Vec::with_capacity(rows.len());
        for (person_id, email, display_name) in rows {
            let person = Person {
                id: muster::domain::PersonId(person_id),
                email,
                display_name,
            };
            let (_, secret) = signin::create_api_token(&services, &person, "reliability")
                .await
                .expect("an API token");
            tokens.push((person_id, secret));
        }
        RunningCohort {
            id,
            people: tokens,
            day,
            services,
            _outbox: outbox,
        }
    }
}

/// An answer: `Ok((status, body))`, or `Err(what went wrong on the way)` (refused, reset, timed
/// out: what a client sees of a dead server).
pub type Answer = Result<(u16, String), String>;

/// Whether an answer is a 2xx.
pub fn acknowledged(answer: &Answer) -> bool {
    matches!(answer, Ok((status, _)) if (200..300).contains(status))
}

/// A client as an app would use: 5 s per request.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(StdDuration::from_secs(5))
        .build()
        .expect("HTTP client")
}

async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.map_err(describe)?;
    let status = response.status().as_u16();
    let body = response.text().await.map_err(describe)?;
    Ok((status, body))
}

fn describe(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else {
        "transport"
    };
    format!("{kind}: {e}")
}

/// `POST /api/v1/cohorts/{cohort}/days/{day}/submission` for the token's owner, with a check-in
/// of 4 and the reflection shared with the cohort. 201 the first time, 200 for a replay of `key`.
pub async fn submit(
    client: &reqwest::Client,
    base: &str,
    cohort: i64,
    day: u32,
    token: &str,
    key: &str,
    reflection: &str,
) -> Answer {
    let body = serde_json::json!({
        "idempotency_key": key,
        "reflection": reflection,
        "checkin": 4,
        "visibility": "cohort",
    });
    answer(
        client
            .post(format!(
                "{base}/api/v1/cohorts/{cohort}/days/{day}/submission"
            ))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body.to_string()),
    )
    .await
}

/// `PUT /api/v1/cohorts/{cohort}/reflections/{reflection}/reactions/helpful`: 204.
pub async fn react_helpful(
    client: &reqwest::Client,
    base: &str,
    cohort: i64,
    reflection: i64,
    token: &str,
) -> Answer {
    answer(
        client
            .put(format!(
                "{base}/api/v1/cohorts/{cohort}/reflections/{reflection}/reactions/helpful"
            ))
            .bearer_auth(token),
    )
    .await
}

/// `(reflection's public id, author's person id)` of every reflection in the cohort, by author.
pub async fn reflections(db: &TestDb, cohort: i64) -> Vec<(i64, i64)> {
    sqlx::query_as(
        "SELECT r.handle, s.person_id FROM reflections r JOIN submissions s ON s.id = r.submission_id \
         WHERE s.cohort_id = $1 ORDER BY s.person_id, r.id",
    )
    .bind(cohort)
    .fetch_all(db.store.pool())
    .await
    .expect("the cohort's reflections")
}

/// What a `muster` command printed: whether it succeeded, its output and its errors.
pub struct Cli {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the `muster` command line with `args` over the database at `db_url` (no configuration
/// file, no Redis), as a change lead would.
pub fn muster(db_url: &str, args: &[&str]) -> Cli {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env_remove("MUSTER_CONFIG")
        .env_remove("REDIS_URL")
        .env(
            "MUSTER_DATA_DIR",
            std::env::temp_dir().join("muster-cli-data"),
        )
        .env(
            "MUSTER_PACKS_DIR",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges"),
        )
        .output()
        .expect("muster runs");
    Cli {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The leaderboard API's answer for a person, as the library gives it over `services`' boards
/// (rebuilt from SQL by the caller).
pub async fn sql_leaderboards(
    services: &muster::app::Services,
    cohort_id: i64,
    person_id: i64,
) -> serde_json::Value {
    let person = muster::app::people::get(&services.store, person_id)
        .await
        .expect("read a person")
        .expect("a seeded person");
    let access =
        muster::app::people::access(services, &person, muster::domain::CohortId(cohort_id))
            .await
            .expect("the person's access");
    serde_json::to_value(
        muster::app::leaderboard::leaderboards(services, &access)
            .await
            .expect("the leaderboards over the SQL view"),
    )
    .expect("as JSON")
}
