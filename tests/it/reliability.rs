//! Reliability of real `muster serve` processes (see `support::process`):
//!
//! - a server SIGKILLed in the middle of a burst of API submissions has lost none it acknowledged
//!   and half-written none (every stored submission has its completion points and its reflection,
//!   no points without their submission), on SQLite and on PostgreSQL; and after a restart every
//!   client retrying with its idempotency key gets a 2xx, a replay where the first attempt was
//!   stored, so each person ends with exactly one submission and one completion;
//! - two servers sharing one PostgreSQL and one Redis, taking submissions and reactions for the
//!   same people at the same time, leave every Redis board exactly equal to the SQL view of the
//!   ledger, and answer every person's leaderboard with the same JSON;
//! - two servers on one PostgreSQL and one Redis under load, one SIGKILLed mid-load and restarted:
//!   the survivor kept answering (its errors and p99 during the kill are printed), every 2xx
//!   submission is in SQL once with its points, and every board comes back equal to the ledger.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::TestDb;
use crate::support::process::{self, Answer, RunningCohort, ServerProcess, sql_leaderboards};
use muster::app::{cohort, leaderboard};
use muster::board::{Board, Key, Score, View};

/// Concurrent API clients.
const CLIENTS: usize = 8;

const REFLECTIONS: [&str; 3] = [
    "Showed the new starter how to use the shared calendar for the rest day swaps.",
    "Found the guide for the body-worn video upload and followed it step by step.",
    "Used the search on the intranet instead of asking; found the form in a minute.",
];

// ---------------------------------------------------------------------------------------------
// Killed mid-load

const KILL_PEOPLE: usize = 160;
/// The server is killed as soon as this many submissions have been acknowledged.
const KILL_AFTER: usize = 40;

fn kill_key(person: i64) -> String {
    format!("kill-{person}")
}

/// The cohort's submissions, points and reflections as stored.
struct Stored {
    /// Submission id → (person, day, idempotency key).
    submissions: BTreeMap<i64, (i64, i64, String)>,
    /// (submission id, person, reason) of every ledger row of the cohort that names a submission.
    points: Vec<(i64, i64, String)>,
    /// The submission of every reflection in the database.
    reflections: Vec<i64>,
}

impl Stored {
    async fn read(db: &TestDb, cohort: i64) -> Stored {
        let pool = db.store.pool();
        let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(
            "SELECT id, person_id, day, idempotency_key FROM submissions WHERE cohort_id = $1",
        )
        .bind(cohort)
        .fetch_all(pool)
        .await
        .expect("read the submissions");
        let points: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT submission_id, person_id, reason FROM points_ledger \
             WHERE cohort_id = $1 AND submission_id IS NOT NULL",
        )
        .bind(cohort)
        .fetch_all(pool)
        .await
        .expect("read the points ledger");
        let reflections: Vec<i64> = sqlx::query_scalar("SELECT submission_id FROM reflections")
            .fetch_all(pool)
            .await
            .expect("read the reflections");
        Stored {
            submissions: rows
                .into_iter()
                .map(|(id, person, day, key)| (id, (person, day, key)))
                .collect(),
            points,
            reflections,
        }
    }

    /// The submission stored for a person, if any.
    fn of(&self, person: i64) -> Vec<(i64, &str)> {
        self.submissions
            .iter()
            .filter(|(_, (p, _, _))| *p == person)
            .map(|(id, (_, _, key))| (*id, key.as_str()))
            .collect()
    }

    fn rows(&self, submission: i64, reason: &str) -> Vec<i64> {
        self.points
            .iter()
            .filter(|(s, _, r)| *s == submission && r == reason)
            .map(|(_, person, _)| *person)
            .collect()
    }

    /// Everything that is half-written or doubled: a submission without exactly one completion
    /// (to its author), one reflection and one reflection bonus; a second submission for a person;
    /// points or a reflection naming a submission that is not there.
    fn problems(&self, day: u32) -> Vec<String> {
        let mut problems = Vec::new();
        let mut by_person: BTreeMap<i64, usize> = BTreeMap::new();
        for (id, (person, stored_day, key)) in &self.submissions {
            *by_person.entry(*person).or_default() += 1;
            if *stored_day != i64::from(day) || *key != kill_key(*person) {
                problems.push(format!(
                    "submission {id} of person {person} is for day {stored_day} with key {key:?}"
                ));
            }
            let completion = self.rows(*id, "completion");
            if completion != [*person] {
                problems.push(format!(
                    "submission {id} of person {person} has completion points for {completion:?} (want exactly one, theirs)"
                ));
            }
            let bonus = self.rows(*id, "reflection_bonus");
            if bonus != [*person] {
                problems.push(format!(
                    "submission {id} of person {person} has reflection bonus rows for {bonus:?} (want exactly one, theirs)"
                ));
            }
            let reflections = self.reflections.iter().filter(|s| *s == id).count();
            if reflections != 1 {
                problems.push(format!(
                    "submission {id} of person {person} has {reflections} reflections (want 1)"
                ));
            }
        }
        for (person, n) in by_person {
            if n != 1 {
                problems.push(format!("person {person} has {n} submissions"));
            }
        }
        for (submission, person, reason) in &self.points {
            if !self.submissions.contains_key(submission) {
                problems.push(format!(
                    "a {reason} row of person {person} names submission {submission}, which is not stored"
                ));
            }
        }
        for submission in &self.reflections {
            if !self.submissions.contains_key(submission) {
                problems.push(format!(
                    "a reflection names submission {submission}, which is not stored"
                ));
            }
        }
        problems
    }
}

/// Submits the day for every person in `people`, `CLIENTS` at a time, each with its
/// `kill-{person}` key; returns each person's answer. `on_answer` sees each answer as it comes.
async fn submit_all(
    people: &[(i64, String)],
    base: &str,
    cohort: i64,
    day: u32,
    on_answer: impl Fn(&Answer) + Clone + Send + Sync + 'static,
) -> BTreeMap<i64, Answer> {
    let (client, base) = (process::client(), base.to_string());
    in_lanes(people.to_vec(), move |n, (person, token): (i64, String)| {
        let (client, base, on_answer) = (client.clone(), base.clone(), on_answer.clone());
        async move {
            let text = REFLECTIONS[n % REFLECTIONS.len()];
            let answer =
                process::submit(&client, &base, cohort, day, &token, &kill_key(person), text).await;
            on_answer(&answer);
            (person, answer)
        }
    })
    .await
    .into_iter()
    .collect()
}

/// Sends every item through `CLIENTS` concurrent lanes (item `n` on lane `n % CLIENTS`) and
/// returns what `send(n, item)` gave for each, lane by lane.
async fn in_lanes<T, R, F, Fut>(items: Vec<T>, send: F) -> Vec<R>
where
    T: Clone + Send + Sync + 'static,
    R: Send + 'static,
    F: Fn(usize, T) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = R> + Send + 'static,
{
    let items = Arc::new(items);
    let lanes: Vec<_> = (0..CLIENTS)
        .map(|lane| {
            let (items, send) = (items.clone(), send.clone());
            tokio::spawn(async move {
                let mut results = Vec::new();
                for (n, item) in items.iter().enumerate().skip(lane).step_by(CLIENTS) {
                    results.push(send(n, item.clone()).await);
                }
                results
            })
        })
        .collect();
    let mut results = Vec::new();
    for lane in lanes {
        results.extend(lane.await.expect("a client task"));
    }
    results
}

async fn killed_mid_load_loses_no_acknowledged_submission(db: &TestDb) {
    let cohort = RunningCohort::seed(db, KILL_PEOPLE, 4).await;
    let mut server = ServerProcess::start(&db.url, None).await;

    // The load, and the kill once KILL_AFTER submissions have been acknowledged.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let wake = Arc::new(tokio::sync::Notify::new());
    let load = {
        let (acknowledged, answered, wake) = (acknowledged.clone(), answered.clone(), wake.clone());
        let (people, base) = (cohort.people.clone(), server.base.clone());
        let (id, day) = (cohort.id, cohort.day);
        tokio::spawn(async move {
            submit_all(&people, &base, id, day, move |answer| {
                if process::acknowledged(answer) {
                    acknowledged.fetch_add(1, Ordering::SeqCst);
                }
                answered.fetch_add(1, Ordering::SeqCst);
                wake.notify_one();
            })
            .await
        })
    };
    let waited = tokio::time::timeout(Duration::from_secs(120), async {
        while acknowledged.load(Ordering::SeqCst) < KILL_AFTER
            && answered.load(Ordering::SeqCst) < KILL_PEOPLE
        {
            wake.notified().await;
        }
    })
    .await;
    let acknowledged_at_kill = acknowledged.load(Ordering::SeqCst);
    server.kill().await;
    let log = server.log();
    assert!(
        waited.is_ok(),
        "only {acknowledged_at_kill} of {KILL_PEOPLE} submissions acknowledged in 120 s; server log:\n{log}"
    );
    let answers = load.await.expect("the load task");

    // Before the kill every answer was a 201; after it, nothing answered.
    let unexpected: Vec<String> = answers
        .iter()
        .filter_map(|(person, answer)| match answer {
            Ok((201, _)) | Err(_) => None,
            Ok((status, body)) => Some(format!("person {person}: HTTP {status} {body}")),
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "answers other than 201 or a dead connection:\n{}\nserver log:\n{log}",
        unexpected.join("\n")
    );
    let acked: BTreeSet<i64> = answers
        .iter()
        .filter(|(_, a)| process::acknowledged(a))
        .map(|(p, _)| *p)
        .collect();
    assert!(
        acked.len() >= KILL_AFTER && acked.len() < KILL_PEOPLE,
        "the kill must come mid-load: {} of {KILL_PEOPLE} acknowledged (killed at {acknowledged_at_kill}); server log:\n{log}",
        acked.len()
    );

    // Every acknowledged submission is stored once, with its points; nothing is half-written.
    let stored = Stored::read(db, cohort.id).await;
    let mut problems = stored.problems(cohort.day);
    for person in &acked {
        let mine = stored.of(*person);
        if mine.len() != 1 || mine[0].1 != kill_key(*person) {
            problems.push(format!(
                "person {person} was answered 201 but has submissions {mine:?}"
            ));
        }
    }
    println!(
        "{:?}: killed with {acknowledged_at_kill} acknowledged; {} acknowledged in all, {} stored ({} committed without an answer reaching the client), {} never stored",
        db.store.backend(),
        acked.len(),
        stored.submissions.len(),
        stored.submissions.len().saturating_sub(acked.len()),
        KILL_PEOPLE - stored.submissions.len()
    );
    assert!(
        problems.is_empty(),
        "after SIGKILL:\n{}\nserver log:\n{log}",
        problems.join("\n")
    );

    // A new server on the same database. Its boards (in-process) start empty and are rebuilt
    // from the ledger before it serves: its very first answer is the SQL view's.
    let mut restarted = ServerProcess::start(&db.url, None).await;
    let (person_id, token) = &cohort.people[0];
    let library = &cohort.services;
    let cohort_row = cohort::get(library, cohort.id).await.expect("the cohort");
    leaderboard::rebuild(library, &cohort_row)
        .await
        .expect("the SQL view");
    let expected = sql_leaderboards(library, cohort.id, *person_id).await;
    let first_answer = process::client()
        .get(format!(
            "{}/api/v1/cohorts/{}/leaderboard",
            restarted.base, cohort.id
        ))
        .bearer_auth(token)
        .send()
        .await
        .expect("the restarted server answers")
        .text()
        .await
        .expect("its answer");
    let first_answer: serde_json::Value =
        serde_json::from_str(&first_answer).expect("a JSON answer");
    assert_eq!(
        first_answer, expected,
        "the restarted server's first boards"
    );
    assert!(
        first_answer["people"]
            .as_array()
            .is_some_and(|rows| !rows.is_empty()),
        "{first_answer}"
    );

    // Every client retries with the same key.
    let before: BTreeMap<i64, i64> = stored
        .submissions
        .iter()
        .map(|(id, (person, _, _))| (*person, *id))
        .collect();
    let retries = submit_all(
        &cohort.people,
        &restarted.base,
        cohort.id,
        cohort.day,
        |_| {},
    )
    .await;
    let mut problems = Vec::new();
    for (person, answer) in &retries {
        match (answer, before.get(person)) {
            // Stored before the kill: a replay, answering what was stored.
            (Ok((200, body)), Some(id)) => {
                let answered: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
                if answered["submission_id"] != *id {
                    problems.push(format!(
                        "person {person}: the replay answered {body}, but submission {id} is stored"
                    ));
                }
            }
            (Ok((201, _)), None) => {}
            (answer, stored) => problems.push(format!(
                "person {person} (stored before: {stored:?}) got {answer:?} on retry"
            )),
        }
    }
    assert_eq!(retries.len(), KILL_PEOPLE);
    let after = Stored::read(db, cohort.id).await;
    problems.extend(after.problems(cohort.day));
    let people: BTreeSet<i64> = cohort.people.iter().map(|(p, _)| *p).collect();
    let with_submission: BTreeSet<i64> = after.submissions.values().map(|(p, _, _)| *p).collect();
    if with_submission != people || after.submissions.len() != KILL_PEOPLE {
        problems.push(format!(
            "{} submissions for {} people; missing: {:?}",
            after.submissions.len(),
            with_submission.len(),
            people.difference(&with_submission).collect::<Vec<_>>()
        ));
    }
    let completions = after
        .points
        .iter()
        .filter(|(_, _, r)| r == "completion")
        .count();
    if completions != KILL_PEOPLE {
        problems.push(format!(
            "{completions} completion rows for {KILL_PEOPLE} people"
        ));
    }
    restarted.kill().await;
    assert!(
        problems.is_empty(),
        "after the restart and retries:\n{}\nlog of the killed server:\n{log}\nlog of the restarted server:\n{}",
        problems.join("\n"),
        restarted.log()
    );
}
on_both_backends!(
    killed_mid_load_loses_no_acknowledged_submission,
    killed_mid_load_loses_no_acknowledged_submission
);

// ---------------------------------------------------------------------------------------------
// Two servers, one PostgreSQL, one Redis

const TWO_PEOPLE: usize = 60;
/// Each person reacts `helpful` to this many others' reflections.
const REACTIONS_EACH: usize = 3;

/// What differs between the SQL view and the boards as read, board by board: members missing on
/// either side, scores that differ, or the same scores in another order.
fn differences(view: &View, read: &View) -> String {
    let keys: BTreeSet<&Key> = view.boards.keys().chain(read.boards.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let (sql, redis) = (view.boards.get(key), read.boards.get(key));
        if sql == redis {
            continue;
        }
        let as_map = |board: Option<&Vec<(i64, Score)>>| -> BTreeMap<i64, Score> {
            board.into_iter().flatten().copied().collect()
        };
        let (sql_map, redis_map) = (as_map(sql), as_map(redis));
        let members: BTreeSet<&i64> = sql_map.keys().chain(redis_map.keys()).collect();
        let mut lines: Vec<String> = members
            .into_iter()
            .filter(|m| sql_map.get(m) != redis_map.get(m))
            .map(|m| {
                format!(
                    "    member {m}: SQL {:?}, Redis {:?}",
                    sql_map.get(m),
                    redis_map.get(m)
                )
            })
            .collect();
        if lines.is_empty() {
            let order = |board: Option<&Vec<(i64, Score)>>| -> Vec<i64> {
                board.into_iter().flatten().map(|(m, _)| *m).collect()
            };
            lines.push(format!(
                "    same scores, other order: SQL {:?}, Redis {:?}",
                order(sql),
                order(redis)
            ));
        }
        let shown = lines.len().min(20);
        out.push(format!(
            "  {key:?} ({} of its members differ{}):\n{}",
            lines.len(),
            if shown < lines.len() {
                ", first 20 shown"
            } else {
                ""
            },
            lines[..shown].join("\n")
        ));
    }
    out.join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_and_redis_agree_on_every_board() {
    let name = "two_servers_on_one_postgres_and_redis_agree_on_every_board";
    let Some(db) = TestDb::postgres(name).await else {
        return;
    };
    let Some(redis_url) = support::service_url("TEST_REDIS_URL", "Redis", name) else {
        db.cleanup().await;
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let prefix = format!("test-two-servers:{}:{nanos}", std::process::id());
    let sweep = support::RedisSweep {
        url: redis_url.clone(),
        prefix: prefix.clone(),
    };
    two_servers_agree(&db, &redis_url, &prefix).await;
    drop(sweep);
    db.cleanup().await;
}

async fn two_servers_agree(db: &TestDb, redis_url: &str, prefix: &str) {
    let cohort = RunningCohort::seed(db, TWO_PEOPLE, 3).await;
    let mut a = ServerProcess::start(&db.url, Some((redis_url, prefix))).await;
    let mut b = ServerProcess::start(&db.url, Some((redis_url, prefix))).await;
    let servers = [a.base.clone(), b.base.clone()];
    let logs = |a: &ServerProcess, b: &ServerProcess| {
        format!(
            "log of server A:\n{}\nlog of server B:\n{}",
            a.log(),
            b.log()
        )
    };
    let client = process::client();
    let people = &cohort.people;
    let (id, day) = (cohort.id, cohort.day);

    // Everyone completes the day, through A and B in turn, CLIENTS at a time.
    let failures: Vec<String> = in_lanes(cohort.people.clone(), {
        let (client, servers) = (client.clone(), servers.clone());
        move |n, (person, token): (i64, String)| {
            let (client, servers) = (client.clone(), servers.clone());
            async move {
                let key = format!("two-{person}");
                let text = REFLECTIONS[n % REFLECTIONS.len()];
                let answer =
                    process::submit(&client, &servers[n % 2], id, day, &token, &key, text).await;
                (!matches!(answer, Ok((201, _)))).then(|| {
                    format!(
                        "person {person} via server {}: {answer:?}",
                        ["A", "B"][n % 2]
                    )
                })
            }
        }
    })
    .await
    .into_iter()
    .flatten()
    .collect();
    assert!(
        failures.is_empty(),
        "submissions not answered 201:\n{}\n{}",
        failures.join("\n"),
        logs(&a, &b)
    );

    // Everyone reacts to the next REACTIONS_EACH people's reflections, through A and B in turn:
    // the authors' scores (and their teams' and this week's) move from both servers at once.
    let reflections = process::reflections(db, id).await;
    assert_eq!(reflections.len(), TWO_PEOPLE, "one reflection each");
    let reflection_of: BTreeMap<i64, i64> = reflections.iter().map(|(r, p)| (*p, *r)).collect();
    let mut reactions = Vec::new();
    for k in 1..=REACTIONS_EACH {
        for (n, (_, token)) in people.iter().enumerate() {
            let author = people[(n + k) % people.len()].0;
            reactions.push((token.clone(), author, reflection_of[&author]));
        }
    }
    let failures: Vec<String> = in_lanes(reactions, {
        let (client, servers) = (client.clone(), servers.clone());
        move |n, (token, author, reflection): (String, i64, i64)| {
            let (client, servers) = (client.clone(), servers.clone());
            async move {
                let answer =
                    process::react_helpful(&client, &servers[n % 2], id, reflection, &token).await;
                (!matches!(answer, Ok((204, _)))).then(|| {
                    format!(
                        "reaction to {author}'s reflection {reflection} via server {}: {answer:?}",
                        ["A", "B"][n % 2]
                    )
                })
            }
        }
    })
    .await
    .into_iter()
    .flatten()
    .collect();
    assert!(
        failures.is_empty(),
        "reactions not answered 204:\n{}\n{}",
        failures.join("\n"),
        logs(&a, &b)
    );
    let reaction_points: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_ledger \
         WHERE cohort_id = $1 AND reason = 'reaction_received'",
    )
    .bind(id)
    .fetch_one(db.store.pool())
    .await
    .expect("sum the reaction points");
    assert_eq!(
        reaction_points,
        (TWO_PEOPLE * REACTIONS_EACH) as i64,
        "one point per reaction in the ledger"
    );

    // Every Redis board equals the SQL view of the ledger.
    let services = &cohort.services;
    let row = cohort::get(services, id).await.expect("the cohort");
    let view = leaderboard::view(services, &row)
        .await
        .expect("the SQL view");
    let sizes = [
        (Key::People, TWO_PEOPLE),
        (Key::Teams, 3),
        (Key::Day(day), TWO_PEOPLE),
    ];
    for (key, size) in sizes {
        assert_eq!(
            view.boards.get(&key).map_or(0, Vec::len),
            size,
            "members of {key:?} in the SQL view"
        );
    }
    assert!(
        view.boards.keys().any(|k| matches!(k, Key::Week(_))),
        "a week board in the view"
    );
    let board = Board::redis(redis_url, prefix)
        .await
        .expect("connect to Redis");
    let read = board.read(id, &view).await.expect("read the Redis boards");
    assert!(
        read == view,
        "the Redis boards differ from the SQL view of the ledger:\n{}\n{}",
        differences(&view, &read),
        logs(&a, &b)
    );

    // Every person's leaderboard is the same from A and from B, and what the SQL view gives.
    services
        .board
        .replace(id, &view)
        .await
        .expect("an in-process board holding the view");
    let mut problems = Vec::new();
    for (person_id, token) in people.iter() {
        let url = |base: &str| format!("{base}/api/v1/cohorts/{id}/leaderboard");
        let (from_a, from_b) = tokio::join!(
            client.get(url(&servers[0])).bearer_auth(token).send(),
            client.get(url(&servers[1])).bearer_auth(token).send()
        );
        let mut answers = Vec::new();
        for (server, response) in [("A", from_a), ("B", from_b)] {
            let response = response
                .unwrap_or_else(|e| panic!("leaderboard of {person_id} from {server}: {e}"));
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            assert_eq!(
                status, 200,
                "leaderboard of {person_id} from server {server}: {body}"
            );
            let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|e| {
                panic!("leaderboard of {person_id} from {server}: {e}: {body}")
            });
            answers.push(json);
        }
        let expected = sql_leaderboards(services, id, *person_id).await;
        if answers[0] != answers[1] {
            problems.push(format!(
                "person {person_id}: A and B differ\n    A: {}\n    B: {}",
                answers[0], answers[1]
            ));
        } else if answers[0] != expected {
            problems.push(format!(
                "person {person_id}: A and B agree but differ from the SQL view\n    API: {}\n    SQL: {expected}",
                answers[0]
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {TWO_PEOPLE} leaderboards differ:\n{}\n{}",
        problems.len(),
        problems.join("\n"),
        logs(&a, &b)
    );

    a.kill().await;
    b.kill().await;
    board
        .replace(id, &View::default())
        .await
        .expect("delete the cohort's boards from Redis");
}

// ---------------------------------------------------------------------------------------------
// Two servers, one killed mid-load

const PAIR_PEOPLE: usize = 400;
/// Server B is SIGKILLed as soon as this many submissions have been acknowledged.
const PAIR_KILL_AFTER: usize = 80;

/// One submission's fate: which server took it, when it was sent and how long it took.
struct Sent {
    person: i64,
    /// The reflection sent: a retry repeats the same request with the same key.
    text: &'static str,
    server: usize,
    at: std::time::Instant,
    took: Duration,
    answer: Answer,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_one_killed_mid_load_lose_nothing_acknowledged() {
    let name = "two_servers_one_killed_mid_load_lose_nothing_acknowledged";
    let Some(db) = TestDb::postgres(name).await else {
        return;
    };
    let Some(redis_url) = support::service_url("TEST_REDIS_URL", "Redis", name) else {
        db.cleanup().await;
        return;
    };
    let prefix = format!("test-pair-kill:{}", std::process::id());
    let sweep = support::RedisSweep {
        url: redis_url.clone(),
        prefix: prefix.clone(),
    };
    let cohort = RunningCohort::seed(&db, PAIR_PEOPLE, 4).await;
    let redis = Some((redis_url.as_str(), prefix.as_str()));
    let a = ServerProcess::start(&db.url, redis).await;
    let mut b = ServerProcess::start(&db.url, redis).await;
    let servers = [a.base.clone(), b.base.clone()];
    let (id, day) = (cohort.id, cohort.day);

    // Everyone submits once, through A and B in turn, CLIENTS at a time; B dies mid-load.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let wake = Arc::new(tokio::sync::Notify::new());
    let load = tokio::spawn(in_lanes(cohort.people.clone(), {
        let (client, acknowledged, wake) = (process::client(), acknowledged.clone(), wake.clone());
        move |n, (person, token): (i64, String)| {
            let (client, servers) = (client.clone(), servers.clone());
            let (acknowledged, wake) = (acknowledged.clone(), wake.clone());
            async move {
                let at = std::time::Instant::now();
                let text = REFLECTIONS[n % REFLECTIONS.len()];
                let answer = process::submit(
                    &client,
                    &servers[n % 2],
                    id,
                    day,
                    &token,
                    &kill_key(person),
                    text,
                )
                .await;
                if process::acknowledged(&answer) {
                    acknowledged.fetch_add(1, Ordering::SeqCst);
                }
                wake.notify_one();
                Sent {
                    person,
                    text,
                    server: n % 2,
                    at,
                    took: at.elapsed(),
                    answer,
                }
            }
        }
    }));
    let waited = tokio::time::timeout(Duration::from_secs(120), async {
        while acknowledged.load(Ordering::SeqCst) < PAIR_KILL_AFTER {
            wake.notified().await;
        }
    })
    .await;
    assert!(
        waited.is_ok(),
        "too few acknowledged in 120 s\nA:\n{}\nB:\n{}",
        a.log(),
        b.log()
    );
    let killed_at = std::time::Instant::now();
    b.kill().await;
    let sent = load.await.expect("the load");
    let load_ended = std::time::Instant::now();
    let b = ServerProcess::start(&db.url, redis).await;
    let restarted_at = std::time::Instant::now();

    // The survivor during the kill: everything A was sent from the kill to B's return.
    let mut survivor: Vec<&Sent> = sent
        .iter()
        .filter(|s| s.server == 0 && s.at >= killed_at)
        .collect();
    survivor.sort_by_key(|s| s.took);
    let errors: Vec<String> = survivor
        .iter()
        .filter(|s| !process::acknowledged(&s.answer))
        .map(|s| format!("person {}: {:?}", s.person, s.answer))
        .collect();
    let p99 = survivor
        .get((survivor.len() * 99).div_ceil(100).saturating_sub(1))
        .map(|s| s.took);
    let on_b_after_kill = sent
        .iter()
        .filter(|s| s.server == 1 && s.at >= killed_at)
        .count();
    println!(
        "two servers, B SIGKILLed after {PAIR_KILL_AFTER} acknowledged: A answered {} submissions \
         from the kill to the end of the load ({:?}), errors {}, p99 {p99:?}; B was sent {on_b_after_kill} \
         after the kill; B back {:?} after the kill",
        survivor.len(),
        load_ended - killed_at,
        errors.len(),
        restarted_at - killed_at
    );
    assert!(
        !survivor.is_empty(),
        "A was given submissions after the kill"
    );
    assert!(
        errors.is_empty(),
        "the survivor failed:\n{}\nA:\n{}",
        errors.join("\n"),
        a.log()
    );

    // Every acknowledged submission is in SQL, once, with its points.
    let acked: BTreeSet<i64> = sent
        .iter()
        .filter(|s| process::acknowledged(&s.answer))
        .map(|s| s.person)
        .collect();
    let stored = Stored::read(&db, id).await;
    let mut problems = stored.problems(day);
    for person in &acked {
        let mine = stored.of(*person);
        if mine.len() != 1 || mine[0].1 != kill_key(*person) {
            problems.push(format!("person {person} was answered 2xx but has {mine:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "after the kill:\n{}",
        problems.join("\n")
    );

    // Those not acknowledged retry with their keys through the restarted B: each person ends
    // with one submission.
    let client = process::client();
    for s in sent.iter().filter(|s| !process::acknowledged(&s.answer)) {
        let token = &cohort
            .people
            .iter()
            .find(|(p, _)| *p == s.person)
            .expect("a person")
            .1;
        let answer = process::submit(
            &client,
            &b.base,
            id,
            day,
            token,
            &kill_key(s.person),
            s.text,
        )
        .await;
        assert!(
            process::acknowledged(&answer),
            "retry of {}: {answer:?}\n{}",
            s.person,
            b.log()
        );
    }
    let stored = Stored::read(&db, id).await;
    assert_eq!(
        stored.submissions.len(),
        PAIR_PEOPLE,
        "everyone's submission stored"
    );
    let problems = stored.problems(day);
    assert!(
        problems.is_empty(),
        "after the retries:\n{}",
        problems.join("\n")
    );

    // Every Redis board equals the ledger (a change B committed but did not tell the boards is
    // repaired by the restarted B's start-up check).
    let services = &cohort.services;
    let row = cohort::get(services, id).await.expect("the cohort");
    let view = leaderboard::view(services, &row)
        .await
        .expect("the SQL view");
    let board = Board::redis(&redis_url, &prefix).await.expect("Redis");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let read = board.read(id, &view).await.expect("read the boards");
        if read == view {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the Redis boards differ from the ledger 30 s after the restart:\n{}\nB:\n{}",
            differences(&view, &read),
            b.log()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    drop((a, b, sweep));
    db.cleanup().await;
}
