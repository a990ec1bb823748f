//! Load on a real `muster serve` process: the Today page, a day's submission and the feed, with
//! 200 signed-in people at once, over a cohort of 10,000 participants and 100,000 reflections.
//!
//! `cargo bench --bench http` runs on PostgreSQL when `TEST_DATABASE_URL` is set (in a fresh
//! schema, dropped afterwards), otherwise on a temporary SQLite file.
//!
//! Targets: the Today page and a submission each under 20 ms p99 at 200 concurrent users; a feed
//! page of 20 reflections under 10 ms p99 with 100,000 reflections in the cohort.
//!
//! The database is seeded through the library before the server starts (the server's clock is the
//! system clock, so the cohort is made to be running now: day 11 is today's, days 1 to 10 are done
//! by everyone). The server runs in its own process, so the load does not share its runtime.
//!
//! Each phase runs twice with 200 clients, each holding its own session:
//! - `paced`: each person waits a think time (0.5 to 1.5 s, mean 1 s) after every response, so
//!   200 people offer about 200 requests a second: the latency people see at that concurrency;
//! - `saturated`: no think time, each client sends its next request as soon as it has the answer:
//!   the server's capacity. Here every request queues behind up to 199 others, so by Little's law
//!   the median latency is about 200 / throughput whatever the code does.
//!
//! Settings: `MUSTER_BENCH_SECONDS` (each run's length, default 15), `MUSTER_BENCH_THINK_MS` (mean
//! think time of the paced runs, default 1000), `MUSTER_BENCH_WARMUP_SECONDS` (an unmeasured paced
//! run of each page before the measured ones, default 3; 200 other people submit in it, so every
//! measured person's first submission is still measured), `MUSTER_BENCH_KEEP_SCHEMA=1` (keep
//! the PostgreSQL schema afterwards, to look at query plans in psql).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, NaiveDate, Timelike, Utc};
use muster::app::Services;
use muster::app::cohort::{self, CohortRequest};
use muster::app::enrol::enrol_csv;
use muster::app::release::release_due;
use muster::store::Store;
use reqwest::header::{COOKIE, LOCATION};

#[path = "common/cpu.rs"]
mod cpu;
#[path = "common/database.rs"]
mod database;
#[path = "common/server.rs"]
mod server;
#[path = "common/session.rs"]
mod session;
use cpu::{CpuSnapshot, CpuUse};
use server::ServerProcess;
use session::{User, percentile, sign_in};

const PEOPLE: usize = 10_000;
const TEAMS: usize = 10;
/// Days everyone has already completed, with a reflection: PEOPLE × DONE_DAYS reflections.
const DONE_DAYS: i64 = 10;
const USERS: usize = 200;
/// Rows per multi-row INSERT (7 parameters each: well inside both backends' limits).
const ROWS_PER_INSERT: usize = 1_000;

const TODAY_TARGET_MS: f64 = 20.0;
const SUBMIT_TARGET_MS: f64 = 20.0;
const FEED_TARGET_MS: f64 = 10.0;

#[tokio::main]
async fn main() {
    let settings = Settings::from_env();
    database::on_database("http", |label, url| run(label, url, settings)).await;
}

#[derive(Debug, Clone, Copy)]
struct Settings {
    run_for: StdDuration,
    think: StdDuration,
    /// How long each read page is loaded, unmeasured, before the measured runs.
    warmup: StdDuration,
}

impl Settings {
    fn from_env() -> Settings {
        let number = |var: &str, default: u64| {
            std::env::var(var)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        Settings {
            run_for: StdDuration::from_secs(number("MUSTER_BENCH_SECONDS", 15)),
            think: StdDuration::from_millis(number("MUSTER_BENCH_THINK_MS", 1000)),
            warmup: StdDuration::from_secs(number("MUSTER_BENCH_WARMUP_SECONDS", 3)),
        }
    }
}

async fn run(backend: String, url: String, settings: Settings) {
    println!("muster HTTP benchmark on {backend}");
    let store = Store::connect(&url).await.expect("connect");
    store.migrate().await.expect("migrate");
    // The server's address is known once it starts, after seeding: links are issued only then.
    let mut services = database::services(&store);
    let started = Instant::now();
    let seeded = seed(&services).await;
    println!(
        "seeded in {:.1} s: {PEOPLE} participants in {TEAMS} teams, {} reflections (days 1-{}), {} reactions, {} replies, {} points ledger rows, {} badges; today is day {}",
        started.elapsed().as_secs_f64(),
        seeded.reflections,
        seeded.latest_day - 1,
        seeded.reactions,
        seeded.replies,
        seeded.points,
        seeded.badges,
        seeded.latest_day,
    );

    let server = ServerProcess::start(Path::new(env!("CARGO_BIN_EXE_muster")), &url, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    services.base_url = server.base.clone();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(StdDuration::from_secs(30))
        .build()
        .expect("client");
    let started = Instant::now();
    let step = seeded.people.len() / USERS;
    let mut users = Vec::with_capacity(USERS);
    // Others than the measured people, who submit in the warm-up.
    let mut others = Vec::with_capacity(USERS);
    for i in 0..USERS {
        users.push(sign_in(&client, &services, &server.base, seeded.people[i * step]).await);
        others.push(
            sign_in(
                &client,
                &services,
                &server.base,
                seeded.people[i * step + 1],
            )
            .await,
        );
    }
    println!(
        "{USERS} people (and {USERS} others, who submit in the warm-up) signed in over HTTP in {:.1} s; each run below lasts {} s, paced think time {} ms on average\n",
        started.elapsed().as_secs_f64(),
        settings.run_for.as_secs(),
        settings.think.as_millis()
    );

    let context = |users| {
        Arc::new(Context {
            client: client.clone(),
            base: server.base.clone(),
            cohort: seeded.cohort_id,
            day: seeded.latest_day,
            deep_cursor: seeded.deep_cursor.clone(),
            first_done: (0..USERS).map(|_| AtomicBool::new(false)).collect(),
            users,
        })
    };
    let (context, others) = (context(users), context(others));
    // A short unmeasured run of each page first, so the measured runs do not include the new
    // server's first queries (connections opened, statements prepared and planned), as a server
    // that has been up for a while would not. Other people submit in it: each measured person's
    // first submission of the day is measured below.
    let warmup = Settings {
        run_for: settings.warmup,
        ..settings
    };
    run_load(&others, Phase::Submit, Load::Paced, warmup).await;
    for phase in [Phase::Today, Phase::Feed, Phase::FeedDeep] {
        run_load(&context, phase, Load::Paced, warmup).await;
    }
    let mut report = Report::default();
    for phase in [Phase::Today, Phase::Submit, Phase::Feed, Phase::FeedDeep] {
        for load in [Load::Paced, Load::Saturated] {
            let (rows, info) = run_load(&context, phase, load, settings).await;
            report.add(load, rows, info);
        }
    }
    report.print(&backend);

    stop(server).await;
    store.close().await;
}

// ---------------------------------------------------------------------------------------------
// Seeding

struct Seeded {
    cohort_id: i64,
    latest_day: i64,
    /// Participants' person ids, ascending.
    people: Vec<i64>,
    reflections: i64,
    reactions: i64,
    replies: i64,
    points: i64,
    badges: i64,
    /// A feed cursor halfway down the cohort's reflections.
    deep_cursor: String,
}

async fn seed(services: &Services) -> Seeded {
    let store = &services.store;
    let now = Utc::now();
    let london = chrono_tz::Europe::London;
    let local = now.with_timezone(&london);
    // Day 11 is today's: released at 06:00 London this morning, or yesterday when it is earlier.
    let mut start: NaiveDate = local.date_naive() - Duration::days(DONE_DAYS);
    if local.hour() < 6 {
        start -= Duration::days(1);
    }
    let request = CohortRequest {
        pack: "digital-confidence".into(),
        name: "HTTP benchmark".into(),
        start,
        time_zone: "Europe/London".into(),
        release_cron: "0 6 * * *".into(),
        grace: Duration::hours(6),
        anonymity_k: muster::app::cohort::DEFAULT_ANONYMITY_K,
        reminders: muster::app::reminders::CohortReminders::none(),
    };
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
    let cohort_id = cohort::create(&services.at(now), &packs, &request)
        .await
        .expect("create the cohort");
    let mut csv = String::from("email,name,team,role\n");
    for i in 0..PEOPLE {
        csv += &format!(
            "officer{i}@force.police.uk,Officer {i},Team {},participant\n",
            i % TEAMS
        );
    }
    let enrolled = enrol_csv(
        &services.at(now - Duration::days(DONE_DAYS + 2)),
        cohort_id,
        &csv,
    )
    .await
    .expect("enrol");
    assert_eq!(enrolled.newly_enrolled, PEOPLE as i64);
    release_due(services, now)
        .await
        .expect("release the due days");

    let pool = store.pool();
    let releases: Vec<(i64, i64)> =
        sqlx::query_as("SELECT day, scheduled_for FROM releases WHERE cohort_id = $1 ORDER BY day")
            .bind(cohort_id)
            .fetch_all(pool)
            .await
            .expect("releases");
    let latest_day = releases.last().expect("released days").0;
    assert_eq!(latest_day, DONE_DAYS + 1, "the cohort should be on day 11");
    let people: Vec<i64> = sqlx::query_scalar(
        "SELECT person_id FROM enrolments WHERE cohort_id = $1 ORDER BY person_id",
    )
    .bind(cohort_id)
    .fetch_all(pool)
    .await
    .expect("people");

    // Days 1-10 done by everyone, at times spread over the 14 hours after each release.
    let mut tx = pool.begin().await.expect("begin");
    for &(day, released) in releases.iter().filter(|(d, _)| *d <= DONE_DAYS) {
        for (chunk_index, chunk) in people.chunks(ROWS_PER_INSERT).enumerate() {
            let values = database::values(chunk.len(), 7);
            let sql = format!(
                "INSERT INTO submissions (cohort_id, person_id, day, submitted_at, late, idempotency_key, checkin) VALUES {values}"
            );
            let mut query = sqlx::query(&sql);
            for (r, &person) in chunk.iter().enumerate() {
                let i = (chunk_index * ROWS_PER_INSERT + r) as i64;
                let offset_ms = (i * 7_919 + day * 104_729) % (14 * 3_600) * 1_000 + i % 1_000;
                let checkin = ((i + day) % 10 < 7).then_some(1 + (i + day) % 5);
                query = query
                    .bind(cohort_id)
                    .bind(person)
                    .bind(day)
                    .bind(released + offset_ms)
                    .bind(0_i64)
                    .bind(format!("seed-{day}-{person}"))
                    .bind(checkin);
            }
            query.execute(&mut *tx).await.expect("insert submissions");
        }
    }
    // The team each was in, as a submission through the app records it.
    sqlx::query(
        "UPDATE submissions SET team_id = (SELECT e.team_id FROM enrolments e \
         WHERE e.cohort_id = submissions.cohort_id AND e.person_id = submissions.person_id)",
    )
    .execute(&mut *tx)
    .await
    .expect("submission teams");
    // Each submission's reflection: mostly shared with the cohort, some with the team, a few
    // anonymous or private (the anonymous ones already published, as their batches would be;
    // the handles need only be unique here).
    sqlx::query(
        "INSERT INTO reflections (submission_id, handle, cohort_id, person_id, day, body, visibility, created_at, updated_at, shown_at, named) \
         SELECT s.id, s.id * 7919, s.cohort_id, s.person_id, s.day, \
           CASE s.id % 4 \
             WHEN 0 THEN 'Day ' || s.day || ': showed a colleague how to find the briefing notes on the shared drive before the shift started, which saved both of us a trip back to the station.' \
             WHEN 1 THEN 'Used the messaging app to hand over to the next team instead of waiting for the end of the shift. It was quicker, and nothing was lost in the handover.' \
             WHEN 2 THEN 'Tried the new template for the pocket notebook entry. Slow the first time, quicker the second.' \
             ELSE 'Set up two-step sign-in on my work phone. Took five minutes with the guide; worth it.' END, \
           CASE (s.person_id + s.day) % 20 \
             WHEN 0 THEN 'private' WHEN 1 THEN 'anonymous' WHEN 2 THEN 'team' WHEN 3 THEN 'team' \
             ELSE 'cohort' END, \
           s.submitted_at, s.submitted_at, \
           CASE (s.person_id + s.day) % 20 WHEN 0 THEN NULL ELSE s.submitted_at END, \
           CASE (s.person_id + s.day) % 20 WHEN 0 THEN 0 WHEN 1 THEN 0 ELSE 1 END \
         FROM submissions s WHERE s.cohort_id = $1",
    )
    .bind(cohort_id)
    .execute(&mut *tx)
    .await
    .expect("insert reflections");
    // Some reactions and replies, from the next (or previous) participant.
    for (kind, step, every, later) in [("helpful", 1, 3, 60_000), ("thank_you", -1, 5, 90_000)] {
        sqlx::query(&format!(
            "INSERT INTO reactions (reflection_id, person_id, kind, created_at) \
             SELECT r.id, e.person_id, '{kind}', r.created_at + {later} FROM reflections r \
             JOIN enrolments e ON e.cohort_id = r.cohort_id AND e.person_id = r.person_id + ({step}) \
             WHERE r.cohort_id = $1 AND r.visibility <> 'private' AND r.id % {every} = 0"
        ))
        .bind(cohort_id)
        .execute(&mut *tx)
        .await
        .expect("insert reactions");
    }
    sqlx::query(
        "INSERT INTO replies (reflection_id, person_id, body, created_at, idempotency_key) \
         SELECT r.id, e.person_id, 'Good idea, I will try that on my next set of shifts.', \
           r.created_at + 120000, 'seed-' || r.id FROM reflections r \
         JOIN enrolments e ON e.cohort_id = r.cohort_id AND e.person_id = r.person_id + 1 \
         WHERE r.cohort_id = $1 AND r.visibility <> 'private' AND r.id % 10 = 0",
    )
    .bind(cohort_id)
    .execute(&mut *tx)
    .await
    .expect("insert replies");
    // What those ten days earned under the pack's scoring: 10 a day, a streak bonus of 2 a day
    // in a row (at most 10), 5 for a reflection, 1 for each reaction received; the badges for the
    // first day, 3 and 7 in a row and 10 reflections (5 points each); and each team's badge for
    // a day everyone completed.
    for (reason, points, condition) in [
        ("completion", "10", "TRUE"),
        (
            "streak_bonus",
            "CASE WHEN 2 * (s.day - 1) > 10 THEN 10 ELSE 2 * (s.day - 1) END",
            "s.day > 1",
        ),
        ("reflection_bonus", "5", "TRUE"),
    ] {
        sqlx::query(&format!(
            "INSERT INTO points_ledger (cohort_id, person_id, day, points, reason, submission_id, created_at) \
             SELECT s.cohort_id, s.person_id, s.day, {points}, '{reason}', s.id, s.submitted_at \
             FROM submissions s WHERE s.cohort_id = $1 AND {condition}"
        ))
        .bind(cohort_id)
        .execute(&mut *tx)
        .await
        .expect("insert points");
    }
    sqlx::query(
        "INSERT INTO points_ledger (cohort_id, person_id, day, points, reason, reaction_id, created_at) \
         SELECT r.cohort_id, r.person_id, r.day, 1, 'reaction_received', x.id, x.created_at \
         FROM reactions x JOIN reflections r ON r.id = x.reflection_id WHERE r.cohort_id = $1",
    )
    .bind(cohort_id)
    .execute(&mut *tx)
    .await
    .expect("insert reaction points");
    sqlx::query(
        "INSERT INTO badge_awards (cohort_id, person_id, badge_id, awarded_at, submission_id) \
         SELECT s.cohort_id, s.person_id, CASE s.day WHEN 1 THEN 'logged-on' WHEN 3 THEN 'three-in-a-row' \
           WHEN 7 THEN 'full-week' ELSE 'reflective-practitioner' END, s.submitted_at, s.id \
         FROM submissions s WHERE s.cohort_id = $1 AND s.day IN (1, 3, 7, 10)",
    )
    .bind(cohort_id)
    .execute(&mut *tx)
    .await
    .expect("insert badges");
    sqlx::query(
        "INSERT INTO points_ledger (cohort_id, person_id, day, points, reason, submission_id, created_at) \
         SELECT b.cohort_id, b.person_id, 0, 5, 'badge_bonus', b.submission_id, b.awarded_at \
         FROM badge_awards b WHERE b.cohort_id = $1",
    )
    .bind(cohort_id)
    .execute(&mut *tx)
    .await
    .expect("insert badge points");
    sqlx::query(
        "INSERT INTO team_badge_awards (cohort_id, team_id, badge_id, day, awarded_at) \
         SELECT DISTINCT e.cohort_id, e.team_id, 'whole-team', 1, $2 FROM enrolments e \
         WHERE e.cohort_id = $1 AND e.team_id IS NOT NULL",
    )
    .bind(cohort_id)
    .bind(releases[1].1)
    .execute(&mut *tx)
    .await
    .expect("insert team badges");
    tx.commit().await.expect("commit the seed");

    if store.backend() == muster::store::Backend::Postgres {
        // What autovacuum would do within a minute of such a load; done now so plans are stable.
        sqlx::query("ANALYZE").execute(pool).await.expect("analyze");
    }
    let count = |table: &'static str| async move {
        sqlx::query_scalar::<_, i64>(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"))
            .fetch_one(pool)
            .await
            .expect("count")
    };
    let reflections = count("reflections").await;
    assert_eq!(reflections, PEOPLE as i64 * DONE_DAYS);
    let (at, id): (i64, i64) = sqlx::query_as(
        "SELECT created_at, id FROM reflections WHERE cohort_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $2",
    )
    .bind(cohort_id)
    .bind(reflections / 2)
    .fetch_one(pool)
    .await
    .expect("a cursor halfway down");
    Seeded {
        cohort_id,
        latest_day,
        people,
        reflections,
        reactions: count("reactions").await,
        replies: count("replies").await,
        points: count("points_ledger").await,
        badges: count("badge_awards").await,
        deep_cursor: format!("{at}-{id}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The server process

/// Stops the server and summarises its log: slow pool acquisitions, failed responses, and the
/// first few other messages.
async fn stop(mut server: ServerProcess) {
    let _ = server.kill().await;
    let log = server.log();
    let lines: Vec<&str> = log.lines().collect();
    let slow = lines.iter().filter(|l| l.contains("slow_acquire")).count();
    let failed = lines.iter().filter(|l| l.contains("on_failure")).count();
    println!(
        "server log: {} lines: {slow} slow pool acquisitions (over 2 s), {failed} failed responses",
        lines.len()
    );
    for message in server.distinct_messages(5, &["slow_acquire", "on_failure"]) {
        println!("  {message}");
    }
}

// ---------------------------------------------------------------------------------------------
// Load

struct Context {
    client: reqwest::Client,
    base: String,
    cohort: i64,
    day: i64,
    deep_cursor: String,
    users: Vec<User>,
    /// Whether each of them has completed today's day (in an earlier run).
    first_done: Vec<AtomicBool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Today,
    Submit,
    /// The newest page, then the next one through its "older" link.
    Feed,
    /// A page halfway down, through a cursor (its own phase, so it cannot slow the others).
    FeedDeep,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Load {
    Paced,
    Saturated,
}

impl Load {
    fn name(self) -> &'static str {
        match self {
            Load::Paced => "paced",
            Load::Saturated => "saturated",
        }
    }
}

/// What one kind of request measured.
#[derive(Debug, Default)]
struct Samples {
    /// Microseconds, errors included.
    latencies: Vec<u64>,
    errors: u64,
    examples: Vec<String>,
}

impl Samples {
    fn merge(&mut self, other: Samples) {
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
        for e in other.examples {
            if self.examples.len() < 3 && !self.examples.contains(&e) {
                self.examples.push(e);
            }
        }
    }
}

/// Samples by row name; the names sort in the order they are printed.
type Rows = BTreeMap<&'static str, Samples>;

const TODAY: &str = "1 GET /today";
const SUBMIT: &str = "2 POST day (all)";
const SUBMIT_FIRST: &str = "3 POST day (first time)";
const SUBMIT_EDIT: &str = "4 POST day (edit)";
const FEED_NEWEST: &str = "5 GET feed (newest 20)";
const FEED_NEXT: &str = "6 GET feed (page 2, after=)";
const FEED_DEEP: &str = "7 GET feed (after= halfway)";

/// One client: a person, their pace, and what they measured.
struct Client<'a> {
    context: &'a Context,
    user: &'a User,
    think: Option<StdDuration>,
    rng: u64,
    /// Whether this person has completed today's day, so a submission now is an edit.
    submitted: bool,
    rows: Rows,
}

impl Client<'_> {
    fn random(&mut self) -> u64 {
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A think time between half and one and a half times the mean.
    async fn pause(&mut self) {
        if let Some(think) = self.think {
            let ms = think.as_millis() as u64;
            let wait = ms / 2 + self.random() % (ms + 1);
            tokio::time::sleep(StdDuration::from_millis(wait)).await;
        }
    }

    /// Sends a request and reads the whole answer, timing both; `Some(body)` when the status is
    /// the expected one.
    async fn timed(
        &mut self,
        rows: &[&'static str],
        request: reqwest::RequestBuilder,
        expect: u16,
    ) -> Option<String> {
        let start = Instant::now();
        let result = async {
            let response = request.send().await?;
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(String::from);
            let body = response.text().await?;
            Ok::<_, reqwest::Error>((status, location, body))
        }
        .await;
        let elapsed = start.elapsed().as_micros() as u64;
        let (ok, problem) = match result {
            Ok((status, _, body)) if status == expect => (Some(body), None),
            Ok((status, location, body)) => {
                let snippet: String = match body.split_once("<title>") {
                    Some((_, rest)) => rest.split("</title>").next().unwrap_or_default().into(),
                    None => body.chars().take(200).collect(),
                };
                (
                    None,
                    Some(format!("HTTP {status} (location {location:?}): {snippet}")),
                )
            }
            Err(e) => (None, Some(format!("transport: {e}"))),
        };
        for row in rows {
            let samples = self.rows.entry(row).or_default();
            samples.latencies.push(elapsed);
            if let Some(problem) = &problem {
                samples.errors += 1;
                if samples.examples.len() < 3 && !samples.examples.contains(problem) {
                    samples.examples.push(problem.clone());
                }
            }
        }
        self.pause().await;
        ok
    }

    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.context
            .client
            .get(format!("{}{path}", self.context.base))
            .header(COOKIE, &self.user.cookie)
    }

    async fn iteration(&mut self, phase: Phase, n: u64) {
        let cohort = self.context.cohort;
        match phase {
            Phase::Today => {
                let request = self.get("/today");
                self.timed(&[TODAY], request, 200).await;
            }
            Phase::Submit => {
                const TEXTS: [&str; 3] = [
                    "Showed the new starter how to use the shared calendar for the rest day swaps.",
                    "Found the guide for the body-worn video upload and followed it step by step.",
                    "Used the search on the intranet instead of asking; found the form in a minute.",
                ];
                let key = format!("bench-{:016x}", self.random());
                let body = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs([
                        ("csrf", self.user.csrf.as_str()),
                        ("key", key.as_str()),
                        ("reflection", TEXTS[(n % 3) as usize]),
                        ("checkin", ["3", "4", "5"][(n % 3) as usize]),
                        ("visibility", "cohort"),
                    ])
                    .finish();
                let request = self
                    .context
                    .client
                    .post(format!(
                        "{}/c/{cohort}/day/{}",
                        self.context.base, self.context.day
                    ))
                    .header(COOKIE, &self.user.cookie)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body);
                let kind = if self.submitted {
                    SUBMIT_EDIT
                } else {
                    SUBMIT_FIRST
                };
                self.submitted = true;
                self.timed(&[SUBMIT, kind], request, 303).await;
            }
            Phase::Feed => {
                let request = self.get(&format!("/c/{cohort}/feed"));
                let Some(page) = self.timed(&[FEED_NEWEST], request, 200).await else {
                    return;
                };
                match older_link(&page, cohort) {
                    Some(link) => {
                        let request = self.get(&link);
                        self.timed(&[FEED_NEXT], request, 200).await;
                    }
                    None => {
                        let samples = self.rows.entry(FEED_NEXT).or_default();
                        samples.errors += 1;
                        if samples.examples.len() < 5 {
                            samples
                                .examples
                                .push("the newest page has no link to older ones".into());
                        }
                    }
                }
            }
            Phase::FeedDeep => {
                let request = self.get(&format!(
                    "/c/{cohort}/feed?after={}",
                    self.context.deep_cursor
                ));
                self.timed(&[FEED_DEEP], request, 200).await;
            }
        }
    }
}

/// The "older" link of a feed page, as a browser would follow it.
fn older_link(html: &str, cohort: i64) -> Option<String> {
    let marker = format!("href=\"/c/{cohort}/feed?");
    let start = html.find(&marker)? + "href=\"".len();
    let link = html[start..].split('"').next()?.replace("&amp;", "&");
    link.contains("after=").then_some(link)
}

async fn run_load(
    context: &Arc<Context>,
    phase: Phase,
    load: Load,
    settings: Settings,
) -> (Rows, RunInfo) {
    let cpu_before = CpuSnapshot::take();
    let started = Instant::now();
    let deadline = started + settings.run_for;
    let mut tasks = Vec::new();
    for index in 0..context.users.len() {
        let context = context.clone();
        tasks.push(tokio::spawn(async move {
            let user = &context.users[index];
            let mut client = Client {
                context: &context,
                user,
                think: (load == Load::Paced).then_some(settings.think),
                rng: 0x9E37_79B9_7F4A_7C15 ^ ((index as u64 + 1) * 0x1000_0001),
                rows: Rows::new(),
                submitted: context.first_done[index].load(Ordering::Relaxed),
            };
            if load == Load::Paced {
                // Spread the people's first requests over one think time.
                let ms = settings.think.as_millis() as u64;
                let wait = client.random() % (ms + 1);
                tokio::time::sleep(StdDuration::from_millis(wait)).await;
            }
            let mut n = 0;
            while Instant::now() < deadline {
                client.iteration(phase, n).await;
                n += 1;
            }
            context.first_done[index].store(client.submitted, Ordering::Relaxed);
            client.rows
        }));
    }
    let mut rows = Rows::new();
    for task in tasks {
        for (name, samples) in task.await.expect("client task") {
            rows.entry(name).or_default().merge(samples);
        }
    }
    let info = RunInfo {
        phase,
        seconds: started.elapsed().as_secs_f64(),
        cpu: cpu_before.and_then(|before| before.since()),
    };
    (rows, info)
}

/// One run's length and CPU use.
#[derive(Debug, Clone, Copy)]
struct RunInfo {
    phase: Phase,
    seconds: f64,
    cpu: Option<CpuUse>,
}

impl Phase {
    fn name(self) -> &'static str {
        match self {
            Phase::Today => "Today",
            Phase::Submit => "submission",
            Phase::Feed => "feed newest + page 2",
            Phase::FeedDeep => "feed halfway",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Report

#[derive(Default)]
struct Report {
    /// (row, load) -> samples and the run's length in seconds.
    rows: BTreeMap<(&'static str, Load), (Samples, f64)>,
    runs: Vec<(Load, RunInfo)>,
}

struct Summary {
    requests: usize,
    errors: u64,
    rate: f64,
    p50: f64,
    p99: f64,
    max: f64,
}

impl Report {
    fn add(&mut self, load: Load, rows: Rows, info: RunInfo) {
        for (name, samples) in rows {
            self.rows.insert((name, load), (samples, info.seconds));
        }
        self.runs.push((load, info));
    }

    fn summary(&self, row: &'static str, load: Load) -> Option<Summary> {
        let (samples, seconds) = self.rows.get(&(row, load))?;
        let mut sorted = samples.latencies.clone();
        sorted.sort_unstable();
        Some(Summary {
            requests: sorted.len(),
            errors: samples.errors,
            rate: sorted.len() as f64 / seconds,
            p50: percentile(&sorted, 0.50),
            p99: percentile(&sorted, 0.99),
            max: sorted.last().map_or(f64::NAN, |&m| m as f64 / 1000.0),
        })
    }

    fn print(&self, backend: &str) {
        println!(
            "{:<30} {:<10} {:>9} {:>7} {:>9} {:>10} {:>10} {:>10}",
            "request", "load", "requests", "errors", "req/s", "p50 ms", "p99 ms", "max ms"
        );
        let mut names: Vec<&'static str> = self.rows.keys().map(|(n, _)| *n).collect();
        names.dedup();
        for name in &names {
            for load in [Load::Paced, Load::Saturated] {
                if let Some(s) = self.summary(name, load) {
                    println!(
                        "{:<30} {:<10} {:>9} {:>7} {:>9.0} {:>10.2} {:>10.2} {:>10.2}",
                        &name[2..],
                        load.name(),
                        s.requests,
                        s.errors,
                        s.rate,
                        s.p50,
                        s.p99,
                        s.max
                    );
                }
            }
        }
        let mut problems = Vec::new();
        for ((name, load), (samples, _)) in &self.rows {
            for e in &samples.examples {
                problems.push(format!("  {} ({}): {e}", &name[2..], load.name()));
            }
        }
        if !problems.is_empty() {
            println!("\nerrors (first few of each):");
            for p in problems {
                println!("{p}");
            }
        }

        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        println!(
            "\nCPU, in cores of {cores} (machine = all busy time; rest = anything else running here)"
        );
        println!(
            "{:<30} {:<10} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "run", "load", "machine", "server", "postgres", "bench", "rest"
        );
        for (load, run) in &self.runs {
            if let Some(cpu) = run.cpu {
                println!(
                    "{:<30} {:<10} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
                    run.phase.name(),
                    load.name(),
                    cpu.machine,
                    cpu.server,
                    cpu.postgres,
                    cpu.client,
                    (cpu.machine - cpu.server - cpu.postgres - cpu.redis - cpu.client).max(0.0)
                );
            }
        }

        println!();
        for load in [Load::Paced, Load::Saturated] {
            let verdicts: Vec<String> = [
                ("Today", &[TODAY][..], TODAY_TARGET_MS),
                ("submission", &[SUBMIT][..], SUBMIT_TARGET_MS),
                (
                    "feed page",
                    &[FEED_NEWEST, FEED_NEXT, FEED_DEEP][..],
                    FEED_TARGET_MS,
                ),
            ]
            .iter()
            .map(|(what, rows, target)| {
                let measured: Vec<Summary> = rows
                    .iter()
                    .filter_map(|r| self.summary(r, load))
                    .filter(|s| s.requests > 0)
                    .collect();
                if measured.is_empty() {
                    return format!("{what} not measured");
                }
                let p99 = measured.iter().map(|s| s.p99).fold(0.0_f64, f64::max);
                let errors: u64 = measured.iter().map(|s| s.errors).sum();
                let verdict = match (p99 < *target, errors) {
                    (true, 0) => "met".to_string(),
                    (false, 0) => "MISSED".to_string(),
                    (_, n) => format!("MISSED ({n} errors)"),
                };
                format!("{what} p99 {p99:.1} ms (< {target:.0}) {verdict}")
            })
            .collect();
            println!(
                "{backend}, {USERS} users, {} load: {}",
                load.name(),
                verdicts.join("; ")
            );
        }
    }
}
