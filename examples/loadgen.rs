//! Load generator for the JSON API of a real `muster serve` process on PostgreSQL (and Redis):
//! submissions per second, board reads per second, and whether the boards are still exactly the
//! SQL view of the ledger afterwards.
//!
//! ```text
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379 \
//!   cargo run --release --example loadgen -- [--people 10000] [--teams 50] [--clients 200] \
//!   [--seconds 20] [--submit-rate N] [--read-rate N] [--rank-probe]
//! ```
//!
//! - `DATABASE_URL` must be PostgreSQL (SQLite is refused: `cargo bench --bench http` covers it).
//!   Everything happens in a fresh schema (`loadgen_<pid>`, through `options=-c search_path`),
//!   dropped at the end unless `LOADGEN_KEEP_SCHEMA=1` (to look at query plans in psql).
//! - `REDIS_URL` is optional. With it the server keeps its boards in Redis under a key prefix of
//!   this run's own (`loadgen-<pid>`, through `MUSTER_REDIS_PREFIX`), deleted at the end, so it
//!   never touches another deployment's boards. Without it the boards live inside the server
//!   process.
//!
//! The server binary: the example runs `cargo build [--release] --bin muster` itself (with the
//! cargo that runs it, `$CARGO`, in the same profile as the example), then starts the `muster`
//! next to its own executable (`target/<profile>/examples/loadgen` → `target/<profile>/muster`).
//! If that build fails (someone is half-way through an edit), the existing binary is used, with a
//! warning. `MUSTER_BIN=/path/to/muster` skips all that.
//!
//! What it does: seeds a cohort of the `digital-confidence` pack that is running now (day 11 is
//! today's, released at 06:00 Europe/London; days 1 to 11 released), enrols `--people` people in
//! `--teams` teams, seeds the closed days' history (three in four people completed each, with
//! their completion points), creates one API token per person, starts the server with
//! `RUST_LOG=warn` and waits for `/readyz`, then
//! 1. a warm-up in which every person reads their board once (untimed: the server learns each
//!    caller and the names around them on a first request, as it does when an officer opens the
//!    day's page before completing it), then
//!    submissions: `--clients` concurrent clients, each with its share of the people, submit every
//!    day that is open (on time or late) for each of their people, one idempotency key per
//!    person-day, for `--seconds` or until all are done;
//! 2. board reads: after the same warm-up again (the submissions moved everyone's neighbours),
//!    the same number of clients read `GET /api/v1/cohorts/{c}/leaderboard` with random people's tokens for half
//!    that time;
//!
//!    By default each client sends its next request when the last one is answered (a closed
//!    loop: the rate at saturation, and latencies that are mostly queueing, about clients /
//!    rate). `--submit-rate` / `--read-rate` offer a fixed rate instead (an open loop): each
//!    request has a scheduled moment and is timed from it, so the p99 is what people would see
//!    at that rate, including the time spent behind slow answers.
//! 3. prints a table (rate, p50/p99/max latency, CPU by process) and compares the boards: with
//!    Redis, every board of the cohort read from Redis against `leaderboard::view` from SQL,
//!    exactly; in both modes, the API's leaderboard answer for a sample of people against the same
//!    use case run on the SQL view. Any difference is listed and the exit status is 1.
//!
//! `--rank-probe` (needs `REDIS_URL`) then writes a board of 100,000 people under a throwaway key
//! prefix, times 10,000 rank look-ups (`ZREVRANK` as a client sees it, the same inside Redis from
//! `INFO commandstats`, and `Board::around`), checks a few ranks against the view, and deletes it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use anyhow::{Context, bail};
use chrono::{Duration, NaiveDate, Timelike, Utc};
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper::{Method, Request, header};
use hyper_util::rt::TokioIo;
use muster::app::cohort::{self, CohortRequest};
use muster::app::people::{self, Person};
use muster::app::submission::day_window;
use muster::app::{Outside, Services, enrol, leaderboard, release, signin};
use muster::board::{self, Board, Key, Score, View};
use muster::clock::Clock;
use muster::domain::CohortId;
use muster::mail::Mailer;
use muster::rules::safeguarding::Checker;
use muster::store::{Store, releases};

#[path = "../benches/common/cpu.rs"]
mod cpu;
#[path = "../benches/common/server.rs"]
mod server;
use cpu::{CpuSnapshot, CpuUse};
use server::ServerProcess;

#[derive(Debug, Parser)]
#[command(about = "Drive a real `muster serve` with API submissions and board reads")]
struct Args {
    /// Participants in the cohort.
    #[arg(long, default_value_t = 10_000)]
    people: usize,
    /// Teams they are spread over.
    #[arg(long, default_value_t = 50)]
    teams: usize,
    /// Concurrent HTTP clients.
    #[arg(long, default_value_t = 200)]
    clients: usize,
    /// Length of the submission phase (the board-read phase lasts half of it).
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Offer submissions at this many per second in all (an open loop: each request is sent at
    /// its scheduled moment and timed from it, so a slow answer cannot hide the requests queued
    /// behind it) instead of as fast as the clients go.
    #[arg(long)]
    submit_rate: Option<f64>,
    /// Offer board reads at this many per second in all, as `--submit-rate` does.
    #[arg(long)]
    read_rate: Option<f64>,
    /// Also time rank look-ups on a 100,000-member board in Redis.
    #[arg(long)]
    rank_probe: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let Some(url) = std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("loadgen: set DATABASE_URL to a PostgreSQL server (postgres://USER@HOST/DB)");
        return ExitCode::from(2);
    };
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        eprintln!(
            "loadgen: DATABASE_URL must be PostgreSQL (postgres://...); SQLite is not a deployment \
             for this load (`cargo bench --bench http` measures it)"
        );
        return ExitCode::from(2);
    }
    let redis = std::env::var("REDIS_URL").ok().filter(|u| !u.is_empty());
    if args.rank_probe && redis.is_none() {
        eprintln!("loadgen: --rank-probe needs REDIS_URL");
        return ExitCode::from(2);
    }
    if args.people == 0 || args.teams == 0 || args.clients == 0 || args.seconds == 0 {
        eprintln!("loadgen: --people, --teams, --clients and --seconds must be at least 1");
        return ExitCode::from(2);
    }
    if [args.submit_rate, args.read_rate]
        .into_iter()
        .flatten()
        .any(|rate| !(rate.is_finite() && rate > 0.0))
    {
        eprintln!("loadgen: --submit-rate and --read-rate must be positive numbers");
        return ExitCode::from(2);
    }
    let binary = match server_binary() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("loadgen: {e:#}");
            return ExitCode::from(2);
        }
    };

    let admin = match Store::connect(&url).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("loadgen: cannot connect to DATABASE_URL: {e}");
            return ExitCode::from(2);
        }
    };
    let schema = format!("loadgen_{}", std::process::id());
    if let Err(e) = sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(admin.pool())
        .await
    {
        eprintln!("loadgen: cannot create schema {schema}: {e}");
        return ExitCode::from(2);
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    println!(
        "loadgen: PostgreSQL schema {schema}; binary {}",
        binary.display()
    );
    // In a task, so the schema is dropped even when the run panics (the server dies with it).
    let outcome = tokio::spawn(run(args, scoped, redis, binary)).await;
    if std::env::var("LOADGEN_KEEP_SCHEMA").as_deref() == Ok("1") {
        println!("kept schema {schema} (LOADGEN_KEEP_SCHEMA=1); drop it when done");
    } else if let Err(e) = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(admin.pool())
        .await
    {
        eprintln!("loadgen: cannot drop schema {schema}: {e}");
    }
    admin.close().await;
    match outcome {
        Ok(Ok(true)) => ExitCode::SUCCESS,
        Ok(Ok(false)) => ExitCode::FAILURE,
        Ok(Err(e)) => {
            eprintln!("loadgen: {e:#}");
            ExitCode::FAILURE
        }
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// The `muster` binary to start: `MUSTER_BIN`, or the one next to this example, built first.
fn server_binary() -> anyhow::Result<PathBuf> {
    if let Some(bin) = std::env::var_os("MUSTER_BIN") {
        // Absolute, since the server runs in a directory of its own.
        return std::fs::canonicalize(&bin)
            .with_context(|| format!("MUSTER_BIN={}", Path::new(&bin).display()));
    }
    let exe = std::env::current_exe().context("cannot find the example's own executable")?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .context("the example is not under target/<profile>/examples")?;
    let binary = profile_dir.join("muster");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let mut build = std::process::Command::new(cargo);
    build.args(["build", "--quiet", "--bin", "muster", "--manifest-path"]);
    build.arg(&manifest);
    if !cfg!(debug_assertions) {
        build.arg("--release");
    }
    match build.status() {
        Ok(status) if status.success() => {}
        other => {
            eprintln!(
                "loadgen: warning: building muster failed ({other:?}); using the existing binary"
            )
        }
    }
    if !binary.exists() {
        bail!(
            "no server binary at {} (run `cargo build --release` first, or set MUSTER_BIN)",
            binary.display()
        );
    }
    Ok(binary)
}

async fn run(
    args: Args,
    url: String,
    redis: Option<String>,
    binary: PathBuf,
) -> anyhow::Result<bool> {
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    let outbox = tempfile::tempdir()?;
    let services = Services::new(Outside {
        store: store.clone(),
        clock: Clock::System,
        mailer: Mailer::new(
            None,
            outbox.path().to_path_buf(),
            "muster <muster@localhost>",
        )?,
        safeguarding: Checker::standard(),
        board: Board::in_memory(),
        live: muster::live::Live::local(),
        base_url: "http://127.0.0.1".into(),
    });
    let started = Instant::now();
    let seeded = seed(&services, &args).await?;
    println!(
        "seeded in {:.1} s: {} people in {} teams with an API token each; days {:?} are open, {} submissions to make",
        started.elapsed().as_secs_f64(),
        args.people,
        args.teams,
        seeded.open_days,
        seeded.people.len() * seeded.open_days.len()
    );

    let prefix = format!("loadgen-{}", std::process::id());
    let redis = redis.map(|url| (url, prefix));
    let server = ServerProcess::start(
        &binary,
        &url,
        redis.as_ref().map(|(u, p)| (u.as_str(), p.as_str())),
    )
    .await?;
    println!(
        "muster serve (pid {}) ready on {} with boards {}; {} clients\n",
        server.pid,
        server.base,
        if redis.is_some() {
            "in Redis"
        } else {
            "in-process"
        },
        args.clients
    );
    let load = Arc::new(Load {
        client: reqwest::Client::builder()
            .timeout(StdDuration::from_secs(30))
            .pool_max_idle_per_host(args.clients)
            .build()?,
        base: server.base.clone(),
        cohort: seeded.cohort_id,
        seeded,
    });

    warm_up(&load, args.clients).await;
    let submissions = submit_phase(
        &load,
        Lanes {
            count: args.clients,
            rate: args.submit_rate,
        },
        StdDuration::from_secs(args.seconds),
    )
    .await;
    warm_up(&load, args.clients).await;
    let reads = read_phase(
        &load,
        Lanes {
            count: args.clients,
            rate: args.read_rate,
        },
        StdDuration::from_millis(args.seconds * 500),
    )
    .await;
    print_table(&[&submissions, &reads], server.pid);
    for (what, result, rate, p99, flag) in [
        ("submissions", &submissions, 3_000.0, 50.0, "--submit-rate"),
        ("board reads", &reads, 15_000.0, 10.0, "--read-rate"),
    ] {
        let (ok_rate, p99_ms) = (result.ok_rate(), result.percentile(0.99));
        let target = format!("target {what}: >= {rate:.0}/s with p99 < {p99:.0} ms");
        let Some(offered) = result.offered else {
            // A closed loop's latency is queueing (about clients / rate), whatever the server.
            println!(
                "{target}: not judged in a closed loop; {ok_rate:.0}/s at saturation ({} errors), \
                 offer the rate ({flag} {rate:.0}) to judge the p99",
                result.errors()
            );
            continue;
        };
        // Paced, every request was timed from its scheduled moment, so a p99 within the target
        // means the offered rate was kept up with; the measured rate is a little below it only
        // by the last answers' time after the window.
        println!(
            "{target}: {} ({ok_rate:.0}/s offered at {offered:.0}/s, p99 {p99_ms:.1} ms, {} errors)",
            if offered >= rate && p99_ms < p99 && result.errors() == 0 {
                "met"
            } else {
                "MISSED"
            },
            result.errors()
        );
    }

    // Every acknowledged submission is in the database, once.
    let stored: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM submissions WHERE cohort_id = $1 AND idempotency_key LIKE 'loadgen-%'",
    )
    .bind(load.cohort)
    .fetch_one(store.pool())
    .await?;
    let acknowledged = submissions.ok;
    println!("\nacknowledged submissions: {acknowledged}; stored: {stored}");
    let mut equal = stored as u64 == acknowledged;

    equal &= compare_boards(&services, &load, redis.as_ref()).await?;
    stop(server).await;
    if let Some((url, prefix)) = &redis {
        delete_prefix(url, prefix).await?;
    }

    if args.rank_probe
        && let Some((url, _)) = &redis
    {
        rank_probe(url).await?;
    }
    store.close().await;
    Ok(equal)
}

// ---------------------------------------------------------------------------------------------
// Seeding

struct Seeded {
    cohort_id: i64,
    /// (person id, API token), by person id.
    people: Vec<(i64, String)>,
    /// Days that accept a submission now and for the next hour.
    open_days: Vec<u32>,
}

async fn seed(services: &Services, args: &Args) -> anyhow::Result<Seeded> {
    let store = &services.store;
    let now = Utc::now();
    let local = now.with_timezone(&chrono_tz::Europe::London);
    // Day 11 is today's: released at 06:00 London this morning, or yesterday when it is earlier.
    let mut start: NaiveDate = local.date_naive() - Duration::days(10);
    if local.hour() < 6 {
        start -= Duration::days(1);
    }
    let request = CohortRequest {
        pack: "digital-confidence".into(),
        name: "Load generator".into(),
        start,
        time_zone: "Europe/London".into(),
        release_cron: "0 6 * * *".into(),
        grace: Duration::hours(6),
        anonymity_k: muster::app::cohort::DEFAULT_ANONYMITY_K,
        reminders: muster::app::reminders::CohortReminders::none(),
    };
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
    let cohort_id = cohort::create(&services.at(now), &packs, &request).await?;
    let mut csv = String::from("email,name,team,role\n");
    for i in 0..args.people {
        csv += &format!(
            "officer{i}@force.police.uk,Officer {i},Team {},participant\n",
            i % args.teams
        );
    }
    let enrolled = enrol::enrol_csv(&services.at(now - Duration::days(12)), cohort_id, &csv)
        .await
        .map_err(|e| anyhow::anyhow!("enrol: {e}"))?;
    anyhow::ensure!(enrolled.newly_enrolled == args.people as i64);
    release::release_due(services, now).await?;
    // The released days' reminders went out when those days were released, before the shift
    // whose submissions are measured: history, like the completions seeded below. Left queued,
    // the server would spend the run mailing 40,000 reminders to its outbox folder.
    sqlx::query("UPDATE outbox SET sent_at = $1 WHERE cohort_id = $2 AND sent_at IS NULL")
        .bind(now.timestamp_millis())
        .bind(cohort_id)
        .execute(store.pool())
        .await?;
    let cohort = cohort::get(services, cohort_id).await?;
    let soon = now + Duration::hours(1);
    let open_days: Vec<u32> = releases::list(store.pool(), cohort_id)
        .await?
        .iter()
        .filter(|r| day_window(&cohort, r, now).accepts() && day_window(&cohort, r, soon).accepts())
        .map(|r| r.day.get())
        .collect();
    anyhow::ensure!(!open_days.is_empty(), "no released day is open");
    seed_history(store, &cohort, &open_days).await?;

    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT p.id, p.email, p.display_name FROM enrolments e JOIN people p ON p.id = e.person_id \
         WHERE e.cohort_id = $1 ORDER BY p.id",
    )
    .bind(cohort_id)
    .fetch_all(store.pool())
    .await?;
    // One token per person through the library, 16 at a time.
    let rows = Arc::new(rows);
    let mut tasks = tokio::task::JoinSet::new();
    for lane in 0..16 {
        let (rows, services) = (rows.clone(), services.clone());
        tasks.spawn(async move {
            let mut tokens = Vec::new();
            for (id, email, name) in rows.iter().skip(lane).step_by(16) {
                let person = Person {
                    id: muster::domain::PersonId(*id),
                    email: email.clone(),
                    display_name: name.clone(),
                };
                let (_, secret) = signin::create_api_token(&services, &person, "loadgen").await?;
                tokens.push((*id, secret));
            }
            Ok::<_, anyhow::Error>(tokens)
        });
    }
    let mut people = Vec::with_capacity(rows.len());
    while let Some(tokens) = tasks.join_next().await {
        people.extend(tokens??);
    }
    people.sort();
    sqlx::query("ANALYZE").execute(store.pool()).await?;
    Ok(Seeded {
        cohort_id,
        people,
        open_days,
    })
}

/// The cohort's past: three in four people completed each day that has closed, on time, and the
/// ledger holds their completion points (no streak bonuses or badges: those the run's own
/// submissions earn as they catch up). Besides realism, this matters for what it measures: a
/// `submissions` table analysed while empty leaves every server connection with a foreign-key
/// check planned as a sequential scan of it, which the run then pays for on each row it adds
/// (42% of PostgreSQL's time, seen with perf) until autovacuum analyses it again.
async fn seed_history(
    store: &Store,
    cohort: &muster::app::cohort::Cohort,
    open_days: &[u32],
) -> anyhow::Result<()> {
    let pool = store.pool();
    for release in releases::list(pool, cohort.id().get()).await? {
        if open_days.contains(&release.day.get()) {
            continue;
        }
        sqlx::query(
            "INSERT INTO submissions (cohort_id, person_id, team_id, day, submitted_at, late, idempotency_key) \
             SELECT cohort_id, person_id, team_id, $2, $3 + (person_id % 7200) * 1000, 0, 'history-' || $2 \
             FROM enrolments WHERE cohort_id = $1 AND (person_id + $2) % 4 <> 0",
        )
        .bind(cohort.id().get())
        .bind(release.day)
        .bind(release.released_at)
        .execute(pool)
        .await?;
        // An on-time completion without a reflection or a streak, by the pack's scoring rule.
        let points: i64 = muster::rules::points::completion(
            &cohort.pack.scoring,
            muster::app::submission::day_points(&release),
            false,
            false,
            1,
        )
        .iter()
        .map(|(_, points)| points)
        .sum();
        sqlx::query(
            "INSERT INTO points_ledger (cohort_id, person_id, day, points, reason, submission_id, created_at) \
             SELECT cohort_id, person_id, day, $3, $4, id, submitted_at \
             FROM submissions WHERE cohort_id = $1 AND day = $2",
        )
        .bind(cohort.id().get())
        .bind(release.day)
        .bind(points)
        .bind(muster::rules::points::Reason::Completion.as_str())
        .execute(pool)
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The server process

/// Stops the server and prints the first few distinct messages of its log.
async fn stop(mut server: ServerProcess) {
    let _ = server.kill().await;
    println!(
        "server log (RUST_LOG=warn): {} lines",
        server.log().lines().count()
    );
    for message in server.distinct_messages(5, &[]) {
        println!("  {message}");
    }
}

// ---------------------------------------------------------------------------------------------
// Load

struct Load {
    client: reqwest::Client,
    base: String,
    cohort: i64,
    seeded: Seeded,
}

/// What one phase measured.
#[derive(Default)]
struct Phase {
    name: &'static str,
    /// Microseconds, errors included.
    latencies: Vec<u64>,
    ok: u64,
    /// Error kind → count.
    failures: BTreeMap<String, u64>,
    seconds: f64,
    /// Requests per second offered, when paced.
    offered: Option<f64>,
    cpu: Option<CpuUse>,
}

impl Phase {
    fn merge(&mut self, other: Phase) {
        self.latencies.extend(other.latencies);
        self.ok += other.ok;
        for (k, n) in other.failures {
            *self.failures.entry(k).or_default() += n;
        }
    }

    fn errors(&self) -> u64 {
        self.failures.values().sum()
    }

    fn ok_rate(&self) -> f64 {
        self.ok as f64 / self.seconds.max(1e-9)
    }

    /// In milliseconds.
    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return f64::NAN;
        }
        let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        sorted[rank - 1] as f64 / 1000.0
    }

    /// Sends one request on the lane's connection, timed from `start`, and reads its whole
    /// answer.
    async fn timed(
        &mut self,
        connection: &mut Connection,
        request: Request<Full<Bytes>>,
        start: Instant,
    ) {
        let result = connection.send(request).await;
        self.latencies.push(start.elapsed().as_micros() as u64);
        match result {
            Ok((status, _)) if (200..300).contains(&status) => self.ok += 1,
            Ok((status, body)) => {
                let body = String::from_utf8_lossy(&body);
                let code = body
                    .split("\"code\":\"")
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .unwrap_or("");
                *self
                    .failures
                    .entry(format!("HTTP {status} {code}"))
                    .or_default() += 1;
            }
            Err(kind) => *self.failures.entry(kind.into()).or_default() += 1,
        }
    }
}

/// One client's keep-alive HTTP/1.1 connection, on hyper's own connection type: no pool, no
/// redirects and no URL parsing per request, so the load generator takes little of the machine
/// it shares with the server. A connection that fails is opened again for the next request.
struct Connection {
    address: String,
    sender: Option<http1::SendRequest<Full<Bytes>>>,
}

/// How long one request may take before it counts as a timeout.
const REQUEST_TIMEOUT: StdDuration = StdDuration::from_secs(30);

impl Connection {
    fn new(base: &str) -> Self {
        Connection {
            address: base.trim_start_matches("http://").to_string(),
            sender: None,
        }
    }

    /// The request's status and body, or what kind of failure it met.
    async fn send(&mut self, request: Request<Full<Bytes>>) -> Result<(u16, Bytes), &'static str> {
        let exchange = async {
            let sender = match &mut self.sender {
                Some(sender) if !sender.is_closed() => sender,
                _ => {
                    let stream = tokio::net::TcpStream::connect(&self.address)
                        .await
                        .map_err(|_| "connect")?;
                    let _ = stream.set_nodelay(true);
                    let (sender, connection) = http1::handshake(TokioIo::new(stream))
                        .await
                        .map_err(|_| "connect")?;
                    tokio::spawn(connection);
                    self.sender.insert(sender)
                }
            };
            sender.ready().await.map_err(|_| "transport")?;
            let response = sender
                .send_request(request)
                .await
                .map_err(|_| "transport")?;
            let status = response.status().as_u16();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|_| "transport")?
                .to_bytes();
            Ok((status, body))
        };
        match tokio::time::timeout(REQUEST_TIMEOUT, exchange).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(kind)) => {
                self.sender = None;
                Err(kind)
            }
            Err(_) => {
                self.sender = None;
                Err("timeout")
            }
        }
    }

    /// A request to `path` as `token`'s bearer.
    fn request(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<String>,
    ) -> Request<Full<Bytes>> {
        let builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, &self.address)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        let builder = if body.is_some() {
            builder.header(header::CONTENT_TYPE, "application/json")
        } else {
            builder
        };
        builder
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .expect("a well-formed request")
    }
}

/// xorshift64*
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

const TEXTS: [&str; 3] = [
    "Showed the new starter how to use the shared calendar for the rest day swaps.",
    "Found the guide for the body-worn video upload and followed it step by step.",
    "Used the search on the intranet instead of asking; found the form in a minute.",
];

/// How a phase's clients send: `count` lanes, each as fast as its answers come back (a closed
/// loop), or, with a rate, each on its own schedule: lane `i` sends its `k`-th request at
/// `(k * count + i) / rate` seconds into the phase, whatever happened to the previous one.
#[derive(Debug, Clone, Copy)]
struct Lanes {
    count: usize,
    rate: Option<f64>,
}

/// One client's clock.
struct Lane {
    index: usize,
    lanes: Lanes,
    started: Instant,
    deadline: Instant,
    sent: u64,
}

impl Lane {
    /// Waits until the next request is due and returns the moment it is timed from (its
    /// scheduled moment when paced, so time spent queued behind a slow answer counts), or `None`
    /// once the phase is over.
    async fn next(&mut self) -> Option<Instant> {
        let due = match self.lanes.rate {
            None => Instant::now(),
            Some(rate) => {
                let slot = self.sent as f64 * self.lanes.count as f64 + self.index as f64;
                self.started + StdDuration::from_secs_f64(slot / rate)
            }
        };
        if due >= self.deadline {
            return None;
        }
        if self.lanes.rate.is_some() {
            tokio::time::sleep_until(due.into()).await;
        }
        self.sent += 1;
        Some(due)
    }
}

/// Runs the lanes until `run_for` has passed, each made by `lane(Lane)`, and merges what they
/// measured, with the CPU the phase used.
async fn run_phase<F, Fut>(name: &'static str, lanes: Lanes, run_for: StdDuration, lane: F) -> Phase
where
    F: Fn(Lane) -> Fut,
    Fut: std::future::Future<Output = Phase> + Send + 'static,
{
    let cpu = CpuSnapshot::take();
    let started = Instant::now();
    let deadline = started + run_for;
    let tasks: Vec<_> = (0..lanes.count)
        .map(|index| {
            tokio::spawn(lane(Lane {
                index,
                lanes,
                started,
                deadline,
                sent: 0,
            }))
        })
        .collect();
    let mut phase = Phase::default();
    for task in tasks {
        phase.merge(task.await.expect("client task"));
    }
    phase.name = name;
    phase.seconds = started.elapsed().as_secs_f64();
    phase.offered = lanes.rate;
    phase.cpu = cpu.and_then(|c| c.since());
    phase
}

async fn submit_phase(load: &Arc<Load>, lanes: Lanes, run_for: StdDuration) -> Phase {
    run_phase("submissions (POST)", lanes, run_for, |mut lane| {
        let load = load.clone();
        async move {
            let mut phase = Phase::default();
            let mut connection = Connection::new(&load.base);
            let path = format!("/api/v1/cohorts/{}/days", load.cohort);
            let people = load
                .seeded
                .people
                .iter()
                .skip(lane.index)
                .step_by(lane.lanes.count);
            'people: for (n, (person, token)) in people.enumerate() {
                for &day in &load.seeded.open_days {
                    let Some(due) = lane.next().await else {
                        break 'people;
                    };
                    let body = serde_json::json!({
                        "idempotency_key": format!("loadgen-{person}-{day}"),
                        "reflection": TEXTS[(n + day as usize) % 3],
                        "checkin": 3 + (n + day as usize) % 3,
                        "visibility": "cohort",
                    });
                    let request = connection.request(
                        Method::POST,
                        &format!("{path}/{day}/submission"),
                        token,
                        Some(body.to_string()),
                    );
                    phase.timed(&mut connection, request, due).await;
                }
            }
            phase
        }
    })
    .await
}

/// Reads every person's board once, untimed, before each phase: the server learns each caller
/// (their token's person and memberships) and the names around them on a person's first
/// request, as it does when an officer opens the day's page before completing it; the phase
/// then measures the steady state.
async fn warm_up(load: &Arc<Load>, clients: usize) {
    let started = Instant::now();
    let lanes: Vec<_> = (0..clients)
        .map(|lane| {
            let load = load.clone();
            tokio::spawn(async move {
                let mut connection = Connection::new(&load.base);
                let path = format!("/api/v1/cohorts/{}/leaderboard", load.cohort);
                let mut failed = 0;
                for (_, token) in load.seeded.people.iter().skip(lane).step_by(clients) {
                    let request = connection.request(Method::GET, &path, token, None);
                    if !matches!(connection.send(request).await, Ok((200, _))) {
                        failed += 1;
                    }
                }
                failed
            })
        })
        .collect();
    let mut failed = 0;
    for lane in lanes {
        failed += lane.await.expect("warm-up lane");
    }
    println!(
        "warm-up: every person's board read once ({} reads in {:.1} s, {failed} failed), untimed",
        load.seeded.people.len(),
        started.elapsed().as_secs_f64()
    );
}

async fn read_phase(load: &Arc<Load>, lanes: Lanes, run_for: StdDuration) -> Phase {
    run_phase("board reads (GET)", lanes, run_for, |mut lane| {
        let load = load.clone();
        async move {
            let mut phase = Phase::default();
            let mut rng = 0x9E37_79B9_7F4A_7C15 ^ ((lane.index as u64 + 1) * 0x1000_0001);
            let mut connection = Connection::new(&load.base);
            let path = format!("/api/v1/cohorts/{}/leaderboard", load.cohort);
            while let Some(due) = lane.next().await {
                let people = &load.seeded.people;
                let (_, token) = &people[next_random(&mut rng) as usize % people.len()];
                let request = connection.request(Method::GET, &path, token, None);
                phase.timed(&mut connection, request, due).await;
            }
            phase
        }
    })
    .await
}

fn print_table(phases: &[&Phase], server: u32) {
    println!(
        "{:<20} {:>8} {:>8} {:>7} {:>7} {:>9} {:>8} {:>8} {:>8}",
        "phase", "requests", "2xx", "errors", "secs", "2xx/s", "p50 ms", "p99 ms", "max ms"
    );
    for p in phases {
        println!(
            "{:<20} {:>8} {:>8} {:>7} {:>7.1} {:>9.0} {:>8.2} {:>8.2} {:>8.2}",
            p.name,
            p.latencies.len(),
            p.ok,
            p.errors(),
            p.seconds,
            p.ok_rate(),
            p.percentile(0.50),
            p.percentile(0.99),
            p.percentile(1.0),
        );
    }
    for p in phases {
        if let Some(rate) = p.offered {
            println!(
                "  {}: offered at {rate:.0}/s (open loop), timed from each request's scheduled moment",
                p.name
            );
        }
        for (kind, n) in &p.failures {
            println!("  {}: {n} × {kind}", p.name);
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("\nCPU in cores of {cores} (server = muster serve pid {server})");
    println!(
        "{:<20} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "phase", "machine", "server", "postgres", "redis", "loadgen", "rest"
    );
    for p in phases {
        if let Some(c) = p.cpu {
            let rest = c.machine - c.server - c.postgres - c.redis - c.client;
            println!(
                "{:<20} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
                p.name,
                c.machine,
                c.server,
                c.postgres,
                c.redis,
                c.client,
                rest.max(0.0)
            );
        }
    }
    println!();
}

// ---------------------------------------------------------------------------------------------
// Exactness

/// Compares the boards with the SQL view: Redis board by board (when there is one), and the API's
/// answers for a sample of people with the same use case run over the view.
async fn compare_boards(
    services: &Services,
    load: &Load,
    redis: Option<&(String, String)>,
) -> anyhow::Result<bool> {
    let cohort = cohort::get(services, load.cohort).await?;
    let view = leaderboard::view(services, &cohort).await?;
    let mut problems = Vec::new();
    if let Some((redis, prefix)) = redis {
        let board = Board::redis(redis, prefix).await?;
        let current = board.read(load.cohort, &view).await?;
        differences(&view, &current, &mut problems);
        println!(
            "Redis boards compared with SQL: {} boards, {} entries",
            view.boards.len(),
            view.boards.values().map(Vec::len).sum::<usize>()
        );
    }
    // The reference: the same use case over an in-process board holding exactly the view.
    services.board.replace(load.cohort, &view).await?;
    let people = &load.seeded.people;
    let mut sample: Vec<usize> = view
        .boards
        .get(&Key::People)
        .into_iter()
        .flatten()
        .take(3)
        .filter_map(|(id, _)| people.iter().position(|(p, _)| p == id))
        .collect();
    let mut rng = 0x1234_5678_9ABC_DEF1_u64;
    sample.extend((0..47).map(|_| next_random(&mut rng) as usize % people.len()));
    for index in sample {
        let (id, token) = &people[index];
        let person = people::get(&services.store, *id)
            .await?
            .context("a seeded person")?;
        let access = people::access(services, &person, CohortId(load.cohort)).await?;
        let expected = serde_json::to_value(leaderboard::leaderboards(services, &access).await?)?;
        let answer = load
            .client
            .get(format!(
                "{}/api/v1/cohorts/{}/leaderboard",
                load.base, load.cohort
            ))
            .bearer_auth(token)
            .send()
            .await?
            .text()
            .await?;
        let actual: serde_json::Value = serde_json::from_str(&answer)
            .with_context(|| format!("the leaderboard answer {answer:?}"))?;
        if actual != expected {
            problems.push(format!(
                "API leaderboard for person {id} differs from the SQL view:\n    API: {actual}\n    SQL: {expected}"
            ));
        }
    }
    println!("API leaderboards compared with SQL for 50 people");
    if problems.is_empty() {
        println!("boards equal to SQL: yes");
        Ok(true)
    } else {
        println!("boards equal to SQL: NO ({} differences)", problems.len());
        for p in problems.iter().take(20) {
            println!("  {p}");
        }
        Ok(false)
    }
}

/// What differs between the SQL view and the boards as read.
fn differences(view: &View, current: &View, problems: &mut Vec<String>) {
    for (key, expected) in &view.boards {
        let actual = current.boards.get(key).cloned().unwrap_or_default();
        if &actual == expected {
            continue;
        }
        let want: BTreeMap<i64, Score> = expected.iter().copied().collect();
        let have: BTreeMap<i64, Score> = actual.iter().copied().collect();
        let missing: Vec<i64> = want
            .keys()
            .filter(|m| !have.contains_key(m))
            .copied()
            .collect();
        let extra: Vec<i64> = have
            .keys()
            .filter(|m| !want.contains_key(m))
            .copied()
            .collect();
        let changed: Vec<String> = want
            .iter()
            .filter_map(|(m, s)| {
                let h = have.get(m)?;
                (h != s).then(|| {
                    format!(
                        "{m}: SQL {}/{} board {}/{}",
                        s.points, s.reached, h.points, h.reached
                    )
                })
            })
            .collect();
        problems.push(format!(
            "board {key:?}: {} in SQL, {} on the board; missing {:?}; extra {:?}; {} scores differ {:?}{}",
            expected.len(),
            actual.len(),
            &missing[..missing.len().min(5)],
            &extra[..extra.len().min(5)],
            changed.len(),
            &changed[..changed.len().min(5)],
            if missing.is_empty() && extra.is_empty() && changed.is_empty() {
                "; the order differs"
            } else {
                ""
            }
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Rank probe

const PROBE_MEMBERS: i64 = 100_000;
const PROBE_LOOKUPS: usize = 10_000;

async fn rank_probe(url: &str) -> anyhow::Result<()> {
    let prefix = format!("loadgen-probe:{}", std::process::id());
    let board = Board::redis(url, &prefix).await?;
    let mut rng = 0xDEAD_BEEF_CAFE_F00D_u64;
    let base = Utc::now().timestamp() - 30 * 86_400;
    let mut members: Vec<(i64, Score)> = (1..=PROBE_MEMBERS)
        .map(|m| {
            let points = (next_random(&mut rng) % 700) as i64;
            let reached = base + (next_random(&mut rng) % (30 * 86_400)) as i64;
            (m, Score { points, reached })
        })
        .collect();
    members.sort_by(board::order);
    let view = View {
        boards: BTreeMap::from([(Key::People, members.clone())]),
    };
    let started = Instant::now();
    board.replace(1, &view).await?;
    println!(
        "\nrank probe: wrote a board of {PROBE_MEMBERS} people under {prefix}: in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let result = probe(url, &prefix, &board, &members, &mut rng).await;
    delete_prefix(url, &prefix).await?;
    result
}

/// Deletes every Redis key under `prefix:` (a run's boards, key lists and marks).
async fn delete_prefix(url: &str, prefix: &str) -> anyhow::Result<()> {
    let mut connection = redis::Client::open(url)?
        .get_multiplexed_async_connection()
        .await?;
    let keys: Vec<String> = {
        let mut iter: redis::AsyncIter<String> =
            redis::AsyncCommands::scan_match(&mut connection, format!("{prefix}:*")).await?;
        let mut keys = Vec::new();
        while let Some(key) = iter.next_item().await {
            keys.push(key?);
        }
        keys
    };
    for chunk in keys.chunks(500) {
        let _: () = redis::cmd("DEL")
            .arg(chunk)
            .query_async(&mut connection)
            .await?;
    }
    Ok(())
}

async fn probe(
    url: &str,
    prefix: &str,
    board: &Board,
    members: &[(i64, Score)],
    rng: &mut u64,
) -> anyhow::Result<()> {
    let key = format!("{prefix}:1:people");
    let mut connection = redis::Client::open(url)?
        .get_multiplexed_async_connection()
        .await?;
    let stats = |info: String| -> Option<(u64, u64)> {
        let line = info.lines().find(|l| l.starts_with("cmdstat_zrevrank:"))?;
        let field = |name: &str| {
            line.split([':', ','])
                .find_map(|f| f.strip_prefix(name))
                .and_then(|v| v.parse::<f64>().ok())
                .map(|v| v as u64)
        };
        Some((field("calls=")?, field("usec=")?))
    };
    let info_connection = connection.clone();
    let info = || {
        let mut connection = info_connection.clone();
        async move {
            redis::cmd("INFO")
                .arg("commandstats")
                .query_async::<String>(&mut connection)
                .await
        }
    };
    let before = stats(info().await?).unwrap_or((0, 0));
    let mut round_trips = Vec::with_capacity(PROBE_LOOKUPS);
    let mut checked = 0;
    for i in 0..PROBE_LOOKUPS {
        let index = next_random(rng) as usize % members.len();
        let start = Instant::now();
        let rank: Option<usize> = redis::cmd("ZREVRANK")
            .arg(&key)
            .arg(members[index].0)
            .query_async(&mut connection)
            .await?;
        round_trips.push(start.elapsed().as_micros() as u64);
        if i % 100 == 0 {
            anyhow::ensure!(rank == Some(index), "rank of {} in Redis", members[index].0);
            checked += 1;
        }
    }
    let after = stats(info().await?).unwrap_or((0, 0));
    let mut around = Vec::with_capacity(PROBE_LOOKUPS);
    for _ in 0..PROBE_LOOKUPS {
        let index = next_random(rng) as usize % members.len();
        let start = Instant::now();
        let rows = board
            .around(1, &Key::People, members[index].0, 2)
            .await?
            .context("a member on the board")?;
        around.push(start.elapsed().as_micros() as u64);
        anyhow::ensure!(rows.iter().any(|s| s.rank == index + 1));
    }
    let calls = after.0.saturating_sub(before.0);
    let inside = after.1.saturating_sub(before.1) as f64 / calls.max(1) as f64;
    let p = |v: &mut Vec<u64>, q: f64| {
        v.sort_unstable();
        let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v[rank - 1]
    };
    println!(
        "rank probe, {PROBE_LOOKUPS} look-ups each ({checked} ranks checked against the view):"
    );
    println!(
        "  ZREVRANK inside Redis (INFO commandstats): {inside:.2} µs per call over {calls} calls"
    );
    println!(
        "  ZREVRANK round trip from here:             p50 {} µs, p99 {} µs, max {} µs",
        p(&mut round_trips, 0.5),
        p(&mut round_trips, 0.99),
        p(&mut round_trips, 1.0)
    );
    println!(
        "  Board::around(±2) (ZREVRANK + ZREVRANGE):  p50 {} µs, p99 {} µs, max {} µs",
        p(&mut around, 0.5),
        p(&mut around, 0.99),
        p(&mut around, 1.0)
    );
    println!(
        "  target: a rank in a cohort of 100,000 in under 1 ms inside Redis: {}",
        if inside < 1000.0 { "met" } else { "MISSED" }
    );
    Ok(())
}
