//! Load on a real `muster serve` process: managers' team pages and participants' Today pages at
//! once, 200 signed-in people in all, over a cohort of 10,000 participants in teams of 20 with
//! 30 days of history (days 1 to 29 done by most, day 30 today).
//!
//! `cargo bench --bench team` runs on PostgreSQL when `TEST_DATABASE_URL` is set (in a fresh
//! schema, dropped afterwards), otherwise on a temporary SQLite file.
//!
//! Target: the team page under 20 ms p99 with 100 managers and 100 participants at once, each
//! waiting a think time (0.5 to 1.5 s, mean 1 s) after every answer.
//!
//! Settings: `MUSTER_BENCH_SECONDS` (the measured run's length, default 15),
//! `MUSTER_BENCH_WARMUP_SECONDS` (an unmeasured run first, default 3).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, NaiveDate, Timelike, Utc};
use muster::app::Services;
use muster::app::cohort::{self, CohortRequest};
use muster::app::enrol::enrol_csv;
use muster::app::release::release_due;
use muster::store::Store;
use reqwest::header::COOKIE;

#[path = "common/database.rs"]
mod database;
#[path = "common/server.rs"]
mod server;
#[path = "common/session.rs"]
mod session;
use server::ServerProcess;
use session::{User, percentile, sign_in};

const PEOPLE: usize = 10_000;
const TEAM_SIZE: usize = 20;
const TEAMS: usize = PEOPLE / TEAM_SIZE;
/// Days of history before today's.
const DONE_DAYS: i64 = 29;
const MANAGERS: usize = 100;
const PARTICIPANTS: usize = 100;
const ROWS_PER_INSERT: usize = 1_000;
const TEAM_TARGET_MS: f64 = 20.0;

#[tokio::main]
async fn main() {
    let number = |var: &str, default: u64| {
        std::env::var(var)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let run_for = StdDuration::from_secs(number("MUSTER_BENCH_SECONDS", 15));
    let warmup = StdDuration::from_secs(number("MUSTER_BENCH_WARMUP_SECONDS", 3));
    database::on_database("team", |label, url| run(label, url, run_for, warmup)).await;
}

async fn run(backend: String, url: String, run_for: StdDuration, warmup: StdDuration) {
    println!("muster team-page benchmark on {backend}");
    let store = Store::connect(&url).await.expect("connect");
    store.migrate().await.expect("migrate");
    let mut services = database::services(&store);
    let started = Instant::now();
    let (cohort_id, managers, participants) = seed(&services).await;
    println!(
        "seeded in {:.1} s: {PEOPLE} participants in {TEAMS} teams of {TEAM_SIZE} with a manager each, days 1-{DONE_DAYS} done by most (with check-ins, reflections and rest days), day {} today",
        started.elapsed().as_secs_f64(),
        DONE_DAYS + 1
    );
    let mut server = ServerProcess::start(Path::new(env!("CARGO_BIN_EXE_muster")), &url, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    services.base_url = server.base.clone();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(StdDuration::from_secs(30))
        .build()
        .expect("client");
    let mut people = Vec::new();
    for &id in managers.iter().take(MANAGERS) {
        let user = sign_in(&client, &services, &server.base, id).await;
        people.push((format!("/c/{cohort_id}/team"), user));
    }
    for &id in participants
        .iter()
        .step_by(PEOPLE / PARTICIPANTS)
        .take(PARTICIPANTS)
    {
        let user = sign_in(&client, &services, &server.base, id).await;
        people.push(("/today".to_string(), user));
    }
    let people = Arc::new(people);
    load(&client, &server.base, &people, warmup).await;
    let (team, today, errors) = load(&client, &server.base, &people, run_for).await;
    println!(
        "\n{MANAGERS} managers on their team page and {PARTICIPANTS} participants on Today at once, think time 0.5-1.5 s, {} s:",
        run_for.as_secs()
    );
    for (name, mut samples) in [("GET /c/N/team", team), ("GET /today", today)] {
        samples.sort_unstable();
        println!(
            "  {name:<15} {:>6} requests  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
            samples.len(),
            percentile(&samples, 0.50),
            percentile(&samples, 0.99),
            percentile(&samples, 1.0)
        );
        if name.contains("team") {
            let p99 = percentile(&samples, 0.99);
            let verdict = if p99 < TEAM_TARGET_MS {
                "met"
            } else {
                "MISSED"
            };
            println!("  team page target p99 < {TEAM_TARGET_MS} ms: {verdict}");
        }
    }
    println!("  errors: {errors}");
    let _ = server.kill().await;
    store.close().await;
}

/// Every person loads their page, waits a think time, and again, for `run_for`. Returns the
/// team pages' and the Today pages' latencies (microseconds) and the count of failed answers.
async fn load(
    client: &reqwest::Client,
    base: &str,
    people: &Arc<Vec<(String, User)>>,
    run_for: StdDuration,
) -> (Vec<u64>, Vec<u64>, usize) {
    let until = Instant::now() + run_for;
    let mut tasks = Vec::new();
    for i in 0..people.len() {
        let (client, base, people) = (client.clone(), base.to_string(), people.clone());
        tasks.push(tokio::spawn(async move {
            let (path, user) = &people[i];
            let mut rng = 0x9E37_79B9_7F4A_7C15_u64 ^ (i as u64 + 1);
            let (mut times, mut errors) = (Vec::new(), 0);
            // Spread the first requests over a second, as people arrive.
            tokio::time::sleep(StdDuration::from_millis(rng % 1000)).await;
            while Instant::now() < until {
                let start = Instant::now();
                let ok = match client
                    .get(format!("{base}{path}"))
                    .header(COOKIE, &user.cookie)
                    .send()
                    .await
                {
                    // Their own page: it carries their session's form token.
                    Ok(r) => {
                        r.status().as_u16() == 200
                            && r.text().await.is_ok_and(|page| page.contains(&user.csrf))
                    }
                    Err(_) => false,
                };
                times.push(start.elapsed().as_micros() as u64);
                errors += usize::from(!ok);
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                tokio::time::sleep(StdDuration::from_millis(500 + rng % 1001)).await;
            }
            (path.contains("/team"), times, errors)
        }));
    }
    let (mut team, mut today, mut errors) = (Vec::new(), Vec::new(), 0);
    for task in tasks {
        let (is_team, times, failed) = task.await.expect("a client");
        errors += failed;
        if is_team {
            team.extend(times);
        } else {
            today.extend(times);
        }
    }
    (team, today, errors)
}

/// The cohort, its managers' and its participants' person ids.
async fn seed(services: &Services) -> (i64, Vec<i64>, Vec<i64>) {
    let now = Utc::now();
    let local = now.with_timezone(&chrono_tz::Europe::London);
    // Day 30 is today's: released at 06:00 London this morning, or yesterday when it is earlier.
    let mut start: NaiveDate = local.date_naive() - Duration::days(DONE_DAYS);
    if local.hour() < 6 {
        start -= Duration::days(1);
    }
    let request = CohortRequest {
        pack: "digital-confidence".into(),
        name: "Team benchmark".into(),
        start,
        time_zone: "Europe/London".into(),
        release_cron: "0 6 * * *".into(),
        grace: Duration::hours(6),
        anonymity_k: cohort::DEFAULT_ANONYMITY_K,
        reminders: muster::app::reminders::CohortReminders::none(),
    };
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
    let cohort_id = cohort::create(&services.at(now), &packs, &request)
        .await
        .expect("create the cohort");
    let mut csv = String::from("email,name,team,role\n");
    for t in 0..TEAMS {
        csv += &format!("manager{t}@force.police.uk,Manager {t},Team {t},manager\n");
    }
    for i in 0..PEOPLE {
        csv += &format!(
            "officer{i}@force.police.uk,Officer {i},Team {},participant\n",
            i % TEAMS
        );
    }
    enrol_csv(
        &services.at(now - Duration::days(DONE_DAYS + 2)),
        cohort_id,
        &csv,
    )
    .await
    .expect("enrol");
    release_due(services, now).await.expect("release");
    let pool = services.store.pool();
    let ids = |role: &'static str| async move {
        sqlx::query_scalar::<_, i64>(
            "SELECT person_id FROM enrolments WHERE cohort_id = $1 AND role = $2 ORDER BY person_id",
        )
        .bind(cohort_id)
        .bind(role)
        .fetch_all(pool)
        .await
        .expect("people")
    };
    let (managers, participants) = (ids("manager").await, ids("participant").await);
    let releases: Vec<(i64, i64)> =
        sqlx::query_as("SELECT day, scheduled_for FROM releases WHERE cohort_id = $1 ORDER BY day")
            .bind(cohort_id)
            .fetch_all(pool)
            .await
            .expect("releases");
    assert_eq!(releases.last().map(|r| r.0), Some(DONE_DAYS + 1));

    // Most people do most days: each skips about one day in eight, and answers the check-in
    // seven times in ten.
    let mut tx = pool.begin().await.expect("begin");
    for &(day, released) in releases.iter().filter(|(d, _)| *d <= DONE_DAYS) {
        let doing: Vec<(usize, i64)> = participants
            .iter()
            .copied()
            .enumerate()
            .filter(|(i, _)| !(i + day as usize * 3).is_multiple_of(8))
            .collect();
        for chunk in doing.chunks(ROWS_PER_INSERT) {
            let values = database::values(chunk.len(), 7);
            let sql = format!(
                "INSERT INTO submissions (cohort_id, person_id, day, submitted_at, late, idempotency_key, checkin) VALUES {values}"
            );
            let mut query = sqlx::query(&sql);
            for &(i, person) in chunk {
                let i = i as i64;
                let checkin = ((i + day) % 10 < 7).then_some(1 + (i + day) % 5);
                query = query
                    .bind(cohort_id)
                    .bind(person)
                    .bind(day)
                    .bind(released + (i * 7_919 % 36_000) * 1_000)
                    .bind(i64::from((i + day) % 13 == 0))
                    .bind(format!("seed-{day}-{person}"))
                    .bind(checkin);
            }
            query.execute(&mut *tx).await.expect("insert submissions");
        }
    }
    sqlx::query(
        "UPDATE submissions SET team_id = (SELECT e.team_id FROM enrolments e \
         WHERE e.cohort_id = submissions.cohort_id AND e.person_id = submissions.person_id)",
    )
    .execute(&mut *tx)
    .await
    .expect("submission teams");
    sqlx::query(
        "INSERT INTO rest_days (cohort_id, person_id, day, marked_at) \
         SELECT e.cohort_id, e.person_id, r.day, r.released_at FROM enrolments e \
         JOIN releases r ON r.cohort_id = e.cohort_id \
         WHERE e.cohort_id = $1 AND e.role = 'participant' AND r.day <= $2 \
           AND (e.person_id * 3 + r.day) % 40 = 0 \
           AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.cohort_id = e.cohort_id \
                           AND s.person_id = e.person_id AND s.day = r.day)",
    )
    .bind(cohort_id)
    .bind(DONE_DAYS)
    .execute(&mut *tx)
    .await
    .expect("rest days");
    // A reflection on every third submission, mostly shared; a reaction on half of those.
    sqlx::query(
        "INSERT INTO reflections (submission_id, handle, cohort_id, person_id, day, body, visibility, created_at, updated_at, shown_at, named) \
         SELECT s.id, s.id * 7919, s.cohort_id, s.person_id, s.day, \
           'Showed a colleague where the briefing notes live on the shared drive.', \
           CASE s.id % 10 WHEN 0 THEN 'private' WHEN 1 THEN 'anonymous' WHEN 2 THEN 'team' ELSE 'cohort' END, \
           s.submitted_at, s.submitted_at, \
           CASE s.id % 10 WHEN 0 THEN NULL ELSE s.submitted_at END, \
           CASE s.id % 10 WHEN 0 THEN 0 WHEN 1 THEN 0 ELSE 1 END \
         FROM submissions s WHERE s.cohort_id = $1 AND s.id % 3 = 0",
    )
    .bind(cohort_id)
    .execute(&mut *tx)
    .await
    .expect("reflections");
    sqlx::query(
        "INSERT INTO reactions (reflection_id, person_id, kind, created_at) \
         SELECT r.id, e.person_id, 'helpful', r.created_at + 60000 FROM reflections r \
         JOIN enrolments e ON e.cohort_id = r.cohort_id AND e.person_id = r.person_id + 1 \
         WHERE r.cohort_id = $1 AND r.visibility IN ('cohort', 'team') AND r.id % 2 = 0",
    )
    .bind(cohort_id)
    .execute(&mut *tx)
    .await
    .expect("reactions");
    // The release reminders of those 30 days went out long ago: the server is not to send
    // (or give up) 300,000 of them while it is measured.
    sqlx::query("UPDATE outbox SET sent_at = created_at WHERE sent_at IS NULL")
        .execute(&mut *tx)
        .await
        .expect("reminders sent");
    tx.commit().await.expect("commit the seed");
    if services.store.backend() == muster::store::Backend::Postgres {
        sqlx::query("ANALYZE").execute(pool).await.expect("analyze");
    }
    (cohort_id, managers, participants)
}
