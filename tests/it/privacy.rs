//! Privacy as a determined observer tries it (issue 17): the author of an anonymous reflection
//! cannot be narrowed down below the cohort's k people by anything the observer reads or does, on
//! both backends and both boards; and a reflection's audience is never widened by a missing,
//! unknown, repeated or stale request.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::support::TestDb;
use crate::support::app::{Browser, TestApp, form_token, hidden};
use muster::board::{Board, Key};
use reqwest::Method;
use serde_json::{Value, json};

const START: &str = "2027-01-04";
/// The cohort's k, its default.
const K: usize = 5;

/// Runs `async fn $body(db: &TestDb, board: Board)` on SQLite and PostgreSQL, each with an
/// in-process board and a Redis one.
macro_rules! on_both_backends_and_boards {
    ($name:ident, $body:ident) => {
        mod $name {
            async fn with_board(db: &crate::support::TestDb, redis: bool, test: &str) {
                if !redis {
                    super::$body(db, muster::board::Board::in_memory()).await;
                } else if let Some((board, _sweep)) =
                    crate::support::redis_board(test, None, None).await
                {
                    super::$body(db, board).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_memory() {
                let db = crate::support::TestDb::sqlite().await;
                with_board(&db, false, "").await;
                db.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_redis() {
                let db = crate::support::TestDb::sqlite().await;
                with_board(&db, true, concat!(module_path!(), "::sqlite_redis")).await;
                db.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_memory() {
                let test = concat!(module_path!(), "::postgres_memory");
                let Some(db) = crate::support::TestDb::postgres(test).await else {
                    return;
                };
                with_board(&db, false, test).await;
                db.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_redis() {
                let test = concat!(module_path!(), "::postgres_redis");
                let Some(db) = crate::support::TestDb::postgres(test).await else {
                    return;
                };
                with_board(&db, true, test).await;
                db.cleanup().await;
            }
        }
    };
}

/// Everything the observer can read at one moment. The boards are read whole (every person's
/// and every team's points, today's completions): more than any one participant is shown, so
/// an upper bound on what an observer learns from them.
#[derive(Debug, Clone, PartialEq)]
struct Sight {
    people: BTreeMap<i64, i64>,
    teams: BTreeMap<i64, i64>,
    completed: BTreeSet<i64>,
    /// The feed through the API, every page: public id to item.
    feed: BTreeMap<i64, Value>,
    /// The briefing screen as its TV link shows it.
    briefing: String,
}

/// The observer: officer0, a participant of Team 0, with an API token, and the TV link of the
/// whole cohort's briefing screen.
struct Observer {
    token: String,
    person_id: i64,
    tv: Browser,
    tv_link: String,
}

async fn look(app: &TestApp, cohort: i64, observer: &mut Observer) -> Sight {
    let board = &app.services.board;
    let scores = |key: Key| async move {
        board
            .standings(cohort, &key)
            .await
            .expect("the board answers")
            .into_iter()
            .map(|s| (s.member, s.score.points))
            .collect::<BTreeMap<_, _>>()
    };
    let day = app.services.clock.now();
    let today = muster::app::cohort::get(&app.services, cohort)
        .await
        .unwrap()
        .calendar
        .days_due(day);
    let mut feed = BTreeMap::new();
    let mut path = format!("/api/v1/cohorts/{cohort}/feed");
    loop {
        let (status, page) = app.api(&path, &observer.token).await;
        assert_eq!(status, 200, "{page}");
        for item in page["items"].as_array().unwrap() {
            feed.insert(item["id"].as_i64().unwrap(), item.clone());
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/cohorts/{cohort}/feed?after={next}"),
            None => break,
        }
    }
    Sight {
        people: scores(Key::People).await,
        teams: scores(Key::Teams).await,
        completed: scores(Key::Day(today)).await.into_keys().collect(),
        feed,
        briefing: observer.tv.get(&observer.tv_link).await.body,
    }
}

/// Who gained points between two sights.
fn risen(before: &Sight, after: &Sight) -> BTreeSet<i64> {
    after
        .people
        .iter()
        .filter(|(id, points)| before.people.get(id) != Some(points))
        .map(|(id, _)| *id)
        .collect()
}

/// What the observer has worked out so far.
#[derive(Default)]
struct Inference {
    /// Who gained points at each step (a submission, with a reflection: everyone here writes one).
    steps: Vec<BTreeSet<i64>>,
    /// For each day, the first step after its anonymous reflections last appeared (or after
    /// it was released): the author of the next ones submitted since then.
    window: BTreeMap<i64, usize>,
    /// Each anonymous reflection seen: the people who could have written it.
    candidates: BTreeMap<i64, BTreeSet<i64>>,
}

/// The roster as the boards name it: display name to person id.
async fn roster(db: &TestDb) -> BTreeMap<String, i64> {
    sqlx::query_as::<_, (String, i64)>("SELECT display_name, id FROM people")
        .fetch_all(db.store.pool())
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// One step: `who` submits day `day` with `visibility`; the scheduler's pass runs; the observer
/// looks, narrows each anonymous reflection's candidates with everything seen, then reacts to
/// every anonymous one and takes it back, watching every board and screen, and checks that no
/// candidate set is smaller than k (and that each still holds the true author, so the
/// inference is sound and the check not vacuous).
#[allow(clippy::too_many_arguments)]
async fn step(
    app: &TestApp,
    db: &TestDb,
    cohort: i64,
    observer: &mut Observer,
    seen: &mut Inference,
    tokens: &BTreeMap<usize, String>,
    who: usize,
    day: u32,
    visibility: &str,
) {
    let before = look(app, cohort, observer).await;
    app.clock.advance(chrono::Duration::minutes(7));
    let (status, answer) = app
        .api_send(
            Method::POST,
            &format!("/api/v1/cohorts/{cohort}/days/{day}/submission"),
            &tokens[&who],
            json!({
                "reflection": format!("SECRET-{who}-{day}: what I learnt today on shift."),
                "visibility": visibility,
                "idempotency_key": format!("k-{who}-{day}"),
            }),
        )
        .await;
    assert_eq!(status, 201, "{answer}");
    app.publish_anonymous().await;
    let now = look(app, cohort, observer).await;
    let step = seen.steps.len();
    seen.steps.push(risen(&before, &now));
    let names = roster(db).await;

    // New anonymous reflections: their author gained points since the day's last batch (or
    // the start), and has no named reflection of that day in sight.
    let day_of = |item: &Value| item["day"].as_i64().unwrap();
    let named: BTreeSet<(i64, i64)> = now
        .feed
        .values()
        .filter_map(|item| Some((names[item["author"].as_str()?], day_of(item))))
        .collect();
    let fresh: Vec<(i64, i64)> = now
        .feed
        .iter()
        .filter(|(id, item)| item["anonymous"] == true && !seen.candidates.contains_key(id))
        .map(|(id, item)| (*id, day_of(item)))
        .collect();
    for &(id, day) in &fresh {
        let from = seen.window.get(&day).copied().unwrap_or(0);
        let people: BTreeSet<i64> = seen.steps[from..=step]
            .iter()
            .flatten()
            .copied()
            .filter(|p| *p != observer.person_id && !named.contains(&(*p, day)))
            .collect();
        seen.candidates.insert(id, people);
    }
    for &(_, day) in &fresh {
        seen.window.insert(day, step + 1);
    }

    // React and take it back: whoever moves is the author.
    let anonymous: Vec<i64> = now
        .feed
        .iter()
        .filter(|(_, item)| item["anonymous"] == true && item["mine"] == false)
        .map(|(id, _)| *id)
        .collect();
    for id in anonymous {
        let path = format!("/api/v1/cohorts/{cohort}/reflections/{id}/reactions/helpful");
        let still = look(app, cohort, observer).await;
        let (status, _) = app
            .api_send(Method::PUT, &path, &observer.token, Value::Null)
            .await;
        assert_eq!(status, 204);
        let reacted = look(app, cohort, observer).await;
        let moved = risen(&still, &reacted);
        if !moved.is_empty() {
            let narrowed = seen.candidates.get_mut(&id).unwrap();
            narrowed.retain(|p| moved.contains(p));
        }
        assert_eq!(
            (&still.people, &still.teams, &still.briefing),
            (&reacted.people, &reacted.teams, &reacted.briefing),
            "a reaction to an anonymous reflection moved what the observer sees"
        );
        let (status, _) = app
            .api_send(Method::DELETE, &path, &observer.token, Value::Null)
            .await;
        assert_eq!(status, 204);
    }

    for (id, people) in &seen.candidates {
        let author: i64 = sqlx::query_scalar("SELECT person_id FROM reflections WHERE handle = $1")
            .bind(id)
            .fetch_one(db.store.pool())
            .await
            .unwrap();
        assert!(
            people.contains(&author),
            "the observer's inference is unsound: {people:?} without {author}"
        );
        assert!(
            people.len() >= K,
            "anonymous reflection {id} narrowed to {} people: {people:?}",
            people.len()
        );
    }
    for item in now.feed.values().filter(|i| i["anonymous"] == true) {
        assert!(item["author"].is_null() && item["team"].is_null() && item["created_at"].is_null());
        let text = item["body"].as_str().unwrap();
        assert!(
            !now.briefing.contains(text),
            "an anonymous reflection on the screen"
        );
    }
}

async fn an_observer_cannot_narrow_an_author_below_k(db: &TestDb, board: Board) {
    let app = TestApp::spawn_with_board(db, support::utc("2027-01-04T07:00:00Z"), board).await;
    let cohort = app.cohort(START, &support::people_csv(20, 4)).await;
    app.release_due().await;
    let mut tokens = BTreeMap::new();
    for n in 0..20 {
        tokens.insert(n, app.token(&format!("officer{n}@force.police.uk")).await);
    }
    let mut tv = Browser::new(&app.base);
    let tv_link = tv_link(&app, cohort).await;
    let _ = tv.get(&tv_link).await;
    let mut observer = Observer {
        token: tokens[&0].clone(),
        person_id: app.person("officer0@force.police.uk").await.id.get(),
        tv,
        tv_link,
    };
    let mut seen = Inference::default();

    // Day 1: the observer shares by name; then four anonymous, three private, four team-only
    // (Team 1's, out of the observer's sight) and the rest by name, one after another.
    let day1 = |n: usize| match n {
        3 | 7 | 11 | 15 => "anonymous",
        4 | 8 | 12 => "private",
        5 | 9 | 13 | 17 => "team",
        _ => "cohort",
    };
    for n in 0..20 {
        let visibility = day1(n);
        step(
            &app,
            db,
            cohort,
            &mut observer,
            &mut seen,
            &tokens,
            n,
            1,
            visibility,
        )
        .await;
    }
    // The first three anonymous ones went out once the crowd reached k + 1 (officer12); the
    // fourth's crowd never grew, so it is still waiting, unseen.
    assert_eq!(seen.candidates.len(), 3);
    assert_eq!(waiting(db).await, 1);

    // Day 2: the observer is one of the crowd (writing privately) and still left with k.
    app.clock.set(support::utc("2027-01-05T07:00:00Z"));
    app.release_due().await;
    seen.window.insert(2, seen.steps.len());
    for (n, visibility) in [
        (0, "private"),
        (1, "anonymous"),
        (2, "private"),
        (3, "anonymous"),
        (5, "private"),
        (6, "anonymous"),
    ] {
        step(
            &app,
            db,
            cohort,
            &mut observer,
            &mut seen,
            &tokens,
            n,
            2,
            visibility,
        )
        .await;
    }
    assert_eq!(seen.candidates.len(), 6, "day 2's batch went out");
    let smallest = seen.candidates.values().map(BTreeSet::len).min();
    assert_eq!(smallest, Some(K), "the crowd was just large enough");
}
on_both_backends_and_boards!(adversary, an_observer_cannot_narrow_an_author_below_k);

async fn waiting(db: &TestDb) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM reflections WHERE visibility = 'anonymous' AND shown_at IS NULL",
    )
    .fetch_one(db.store.pool())
    .await
    .unwrap()
}

/// A TV link for a briefing screen, made by Team 0's manager.
async fn tv_link(app: &TestApp, cohort: i64) -> String {
    let mut manager = app.browser("manager0@force.police.uk").await;
    let url = manager.briefing_link(cohort, "Briefing room").await;
    url.strip_prefix(&app.base).unwrap().to_string()
}

/// A reaction to an anonymous reflection sends no event to briefing screens (a named one does).
async fn reactions_to_anonymous_reflections_stay_quiet(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T07:00:00Z")).await;
    let cohort = app.cohort(START, &support::people_csv(8, 2)).await;
    app.release_due().await;
    let mut handles = BTreeMap::new();
    for n in 0..7 {
        let token = app.token(&format!("officer{n}@force.police.uk")).await;
        let visibility = match n {
            0 => "cohort",
            1 | 2 => "anonymous",
            _ => "private",
        };
        let (status, _) = app
            .api_send(
                Method::POST,
                &format!("/api/v1/cohorts/{cohort}/days/1/submission"),
                &token,
                json!({"reflection": format!("R{n}"), "visibility": visibility, "idempotency_key": "k"}),
            )
            .await;
        assert_eq!(status, 201);
    }
    assert_eq!(app.publish_anonymous().await, 2);
    let reader = app.token("officer7@force.police.uk").await;
    let (_, feed) = app
        .api(&format!("/api/v1/cohorts/{cohort}/feed"), &reader)
        .await;
    for item in feed["items"].as_array().unwrap() {
        handles.insert(item["anonymous"] == true, item["id"].as_i64().unwrap());
    }
    let link = tv_link(&app, cohort).await;
    let mut stream = reqwest::Client::new()
        .get(format!("{}{link}/events", app.base))
        .send()
        .await
        .unwrap();
    let react = |id: i64| {
        let path = format!("/api/v1/cohorts/{cohort}/reflections/{id}/reactions/helpful");
        let (app, reader) = (&app, &reader);
        async move {
            let (status, _) = app.api_send(Method::PUT, &path, reader, Value::Null).await;
            assert_eq!(status, 204);
        }
    };
    react(handles[&true]).await;
    assert!(
        !changed_within(&mut stream, Duration::from_millis(1500)).await,
        "a reaction to an anonymous reflection reached the briefing screen"
    );
    react(handles[&false]).await;
    assert!(
        changed_within(&mut stream, Duration::from_secs(5)).await,
        "a reaction to a named reflection moves the screen"
    );
}
on_both_backends!(
    quiet_reactions,
    reactions_to_anonymous_reflections_stay_quiet
);

/// Whether a `change` event arrives on a briefing event stream within `limit`.
async fn changed_within(stream: &mut reqwest::Response, limit: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + limit;
    let mut seen = String::new();
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, stream.chunk()).await {
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if seen.contains("event: change") {
            return true;
        }
    }
    false
}

/// The stored reflection of `email` for `day`: its text and visibility.
async fn stored(db: &TestDb, email: &str, day: i64) -> Option<(String, String)> {
    sqlx::query_as(
        "SELECT r.body, r.visibility FROM reflections r JOIN people p ON p.id = r.person_id \
         WHERE p.email = $1 AND r.day = $2",
    )
    .bind(email)
    .bind(day)
    .fetch_optional(db.store.pool())
    .await
    .unwrap()
}

fn officer(n: usize) -> String {
    format!("officer{n}@force.police.uk")
}

/// Day 1 of a cohort of eight officers in two teams, released.
async fn day_one(db: &TestDb) -> (TestApp, i64) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T07:00:00Z")).await;
    let cohort = app.cohort(START, &support::people_csv(8, 2)).await;
    app.release_due().await;
    (app, cohort)
}

async fn api_submit(app: &TestApp, cohort: i64, token: &str, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/cohorts/{cohort}/days/1/submission");
    app.api_send(Method::POST, &path, token, body).await
}

/// A missing visibility keeps the stored one (or, for a new reflection, is the narrowest); an
/// unknown one is refused, naming the allowed values, from the API and from a page.
async fn audience_is_never_widened(db: &TestDb) {
    let (app, cohort) = day_one(db).await;
    let zero = app.token(&officer(0)).await;
    let body =
        json!({"reflection": "ONLY-ME at first", "visibility": "private", "idempotency_key": "a"});
    assert_eq!(api_submit(&app, cohort, &zero, body).await.0, 201);
    let edit = json!({"reflection": "ONLY-ME edited", "idempotency_key": "b"});
    assert_eq!(api_submit(&app, cohort, &zero, edit).await.0, 200);
    assert_eq!(
        stored(db, &officer(0), 1).await,
        Some(("ONLY-ME edited".into(), "private".into()))
    );
    let reader = app.token(&officer(2)).await;
    let (_, feed) = app
        .api(&format!("/api/v1/cohorts/{cohort}/feed"), &reader)
        .await;
    assert!(!feed.to_string().contains("ONLY-ME"), "{feed}");

    // A new reflection that does not say is only the author's.
    let one = app.token(&officer(1)).await;
    let body = json!({"reflection": "Unsaid audience", "idempotency_key": "a"});
    assert_eq!(api_submit(&app, cohort, &one, body).await.0, 201);
    assert_eq!(stored(db, &officer(1), 1).await.unwrap().1, "private");

    // An unknown value is refused, and nothing is stored.
    let three = app.token(&officer(3)).await;
    let body = json!({"reflection": "x", "visibility": "only_me", "idempotency_key": "a"});
    let (status, answer) = api_submit(&app, cohort, &three, body).await;
    assert!(matches!(status, 400 | 422), "{status} {answer}");
    let message = answer["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("private") && message.contains("anonymous"),
        "{answer}"
    );
    let mut four = app.browser(&officer(4)).await;
    let (csrf, key) = four.day_form(cohort, 1).await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("key", key.as_str()),
        ("reflection", "Meant for me alone"),
        ("visibility", "only_me"),
    ];
    let page = four.post(&format!("/c/{cohort}/day/1"), &fields).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("only_me") && page.body.contains("anonymous, private"));
    for n in [3, 4] {
        assert_eq!(stored(db, &officer(n), 1).await, None);
    }
    let done: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM submissions")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert_eq!(done, 2, "only officers 0 and 1 completed the day");
}
on_both_backends!(visibility, audience_is_never_widened);

/// The Back button's form (same key, other answers) and a second tab's stale form never claim
/// to have saved what they did not: the page shows what is stored, the API refuses.
async fn reused_keys_and_stale_forms(db: &TestDb) {
    let (app, cohort) = day_one(db).await;
    let path = format!("/c/{cohort}/day/1");
    let mut zero = app.browser(&officer(0)).await;
    let form = zero.get(&path).await.body;
    let (csrf, key, version) = (
        form_token(&form),
        hidden(&form, "key"),
        hidden(&form, "version"),
    );
    let send = |text: &'static str, visibility: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("key", key.clone()),
            ("version", version.clone()),
            ("reflection", text.to_string()),
            ("visibility", visibility.to_string()),
        ]
    };
    let fields = send("FIRST shared thought", "cohort");
    let first = zero.post(&path, &as_pairs(&fields)).await;
    assert_eq!(first.status, 303);
    // Back, change it, send again with the same key: not saved, and said so.
    let fields = send("SECOND withdraw this", "private");
    let back = zero.post(&path, &as_pairs(&fields)).await;
    assert_eq!(back.status, 409, "{}", back.body);
    assert!(back.body.contains("were not saved") && back.body.contains("FIRST shared thought"));
    assert!(!back.body.contains("class=\"celebrate\""));
    assert_eq!(
        stored(db, &officer(0), 1).await,
        Some(("FIRST shared thought".into(), "cohort".into()))
    );
    // The form it shows carries a fresh key and the stored version: sending it saves the edit.
    let fields = [
        ("csrf", csrf.clone()),
        ("key", hidden(&back.body, "key")),
        ("version", hidden(&back.body, "version")),
        ("reflection", "SECOND withdraw this".to_string()),
        ("visibility", "private".to_string()),
    ];
    assert_eq!(zero.post(&path, &as_pairs(&fields)).await.status, 303);
    assert_eq!(stored(db, &officer(0), 1).await.unwrap().1, "private");

    // Two tabs opened before either was sent: the second to arrive is not applied silently.
    let mut one = app.browser(&officer(1)).await;
    let tab_a = one.get(&path).await.body;
    let tab_b = one.get(&path).await.body;
    let tab = |html: &str, text: &str| {
        [
            ("csrf", form_token(html)),
            ("key", hidden(html, "key")),
            ("version", hidden(html, "version")),
            ("reflection", text.to_string()),
            ("visibility", "team".to_string()),
        ]
    };
    let fields = tab(&tab_b, "TAB-B text");
    assert_eq!(one.post(&path, &as_pairs(&fields)).await.status, 303);
    let fields = tab(&tab_a, "TAB-A text");
    let late = one.post(&path, &as_pairs(&fields)).await;
    assert_eq!(late.status, 409, "{}", late.body);
    assert!(late.body.contains("TAB-B text") && late.body.contains("not saved"));
    assert_eq!(stored(db, &officer(1), 1).await.unwrap().0, "TAB-B text");

    // The API: the same key with another request is 422; the same request again is a repeat.
    let two = app.token(&officer(2)).await;
    let body = json!({"reflection": "API first", "visibility": "cohort", "idempotency_key": "k"});
    assert_eq!(api_submit(&app, cohort, &two, body.clone()).await.0, 201);
    assert_eq!(api_submit(&app, cohort, &two, body).await.0, 200);
    let other =
        json!({"reflection": "API changed", "visibility": "private", "idempotency_key": "k"});
    let (status, answer) = api_submit(&app, cohort, &two, other).await;
    assert_eq!(
        (status, &answer["error"]["code"]),
        (422, &json!("idempotency_key_reused"))
    );
    // An edit made from an older version is refused with 409.
    let (_, today) = app.api("/api/v1/today", &two).await;
    let current = today[0]["version"].as_str().unwrap().to_string();
    let edit = json!({"reflection": "API edit", "idempotency_key": "e1", "version": current});
    assert_eq!(api_submit(&app, cohort, &two, edit).await.0, 200);
    let stale =
        json!({"reflection": "API stale edit", "idempotency_key": "e2", "version": current});
    let (status, answer) = api_submit(&app, cohort, &two, stale).await;
    assert_eq!(
        (status, &answer["error"]["code"]),
        (409, &json!("edit_conflict"))
    );
    assert_eq!(
        stored(db, &officer(2), 1).await,
        Some(("API edit".into(), "cohort".into()))
    );
}
on_both_backends!(stale_forms, reused_keys_and_stale_forms);

fn as_pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Once a day's anonymous reflections are out, none of the crowd they hide in may put their
/// name on theirs; the anonymous author replies to their own reflection without their name.
async fn the_crowd_and_the_author_stay_unnamed(db: &TestDb) {
    let (app, cohort) = day_one(db).await;
    let mut tokens = Vec::new();
    for n in 0..8 {
        tokens.push(app.token(&officer(n)).await);
    }
    for (n, visibility) in ["anonymous", "private", "private", "private", "private"]
        .iter()
        .enumerate()
    {
        let body = json!({"reflection": format!("CROWD-{n}"), "visibility": visibility, "idempotency_key": "k"});
        assert_eq!(api_submit(&app, cohort, &tokens[n], body).await.0, 201);
    }
    assert_eq!(
        app.publish_anonymous().await,
        0,
        "a crowd of k is not enough"
    );
    let body = json!({"reflection": "CROWD-5", "visibility": "private", "idempotency_key": "k"});
    assert_eq!(api_submit(&app, cohort, &tokens[5], body).await.0, 201);
    assert_eq!(app.publish_anonymous().await, 1);

    let named = json!({"reflection": "CROWD-1 now with my name", "visibility": "cohort", "idempotency_key": "n"});
    let (status, answer) = api_submit(&app, cohort, &tokens[1], named).await;
    assert_eq!(
        (status, &answer["error"]["code"]),
        (422, &json!("would_reveal_anonymous"))
    );
    assert_eq!(
        stored(db, &officer(1), 1).await.unwrap(),
        ("CROWD-1".into(), "private".into())
    );
    let kept = json!({"reflection": "CROWD-1 reworded", "idempotency_key": "m"});
    assert_eq!(api_submit(&app, cohort, &tokens[1], kept).await.0, 200);

    // The author's reply to their own anonymous reflection carries no name.
    let (_, feed) = app
        .api(&format!("/api/v1/cohorts/{cohort}/feed"), &tokens[7])
        .await;
    let id = feed["items"][0]["id"].as_i64().unwrap();
    let reply = format!("/api/v1/cohorts/{cohort}/reflections/{id}/replies");
    let body = json!({"body": "Thanks for reading mine.", "idempotency_key": "r"});
    assert_eq!(
        app.api_send(Method::POST, &reply, &tokens[0], body).await.0,
        204
    );
    let (_, feed) = app
        .api(&format!("/api/v1/cohorts/{cohort}/feed"), &tokens[7])
        .await;
    let answer = &feed["items"][0]["replies"][0];
    assert_eq!(answer["body"], "Thanks for reading mine.");
    assert!(
        answer["author"].is_null() && answer["created_at"].is_null(),
        "{answer}"
    );
    assert_eq!(answer["by_author"], true);
    let mut reader = app.browser(&officer(7)).await;
    let page = reader.get(&format!("/c/{cohort}/feed")).await.body;
    assert!(
        page.contains("The author") && !page.contains("Officer 0"),
        "{page}"
    );
    let mut author = app.browser(&officer(0)).await;
    let page = author.get(&format!("/c/{cohort}/feed")).await.body;
    assert!(
        page.contains("Sign your reply as"),
        "the author is asked how to sign"
    );
}
on_both_backends!(crowd, the_crowd_and_the_author_stay_unnamed);
