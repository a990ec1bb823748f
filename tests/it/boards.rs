//! Leaderboards against both boards (in-process and Redis): equal to the ledger after every
//! change, fair between teams of different sizes, rebuilt exactly after a flush, and kept
//! correct when Redis goes away and comes back.

use crate::support;

use crate::support::TestDb;
use crate::support::app::TestApp;
use muster::app::leaderboard::{self, Check, Scope};
use muster::app::submission::{self, SubmitRequest, Visibility};
use muster::board::{Board, Key};

/// Team A has four participants, team B two: per-member scoring must be fair between them.
const PEOPLE: &str = "email,name,team,role\n\
a1@f.uk,A One,Team A,participant\na2@f.uk,A Two,Team A,participant\n\
a3@f.uk,A Three,Team A,participant\na4@f.uk,A Four,Team A,participant\n\
b1@f.uk,B One,Team B,participant\nb2@f.uk,B Two,Team B,participant\n";

/// Runs `async fn $body(board: Board)` with an in-process board and with a Redis one.
macro_rules! on_both_boards {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn memory() {
                super::$body(muster::board::Board::in_memory()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn redis() {
                if let Some((board, _sweep)) =
                    crate::support::redis_board(concat!(module_path!(), "::redis"), None, None)
                        .await
                {
                    super::$body(board).await;
                }
            }
        }
    };
}

/// Completes `day` for `email` through the use case, as every page and the API do.
async fn complete(app: &TestApp, cohort: i64, email: &str, day: u32, text: &str) {
    let (person, access) = app.member(email, cohort).await;
    let request = SubmitRequest {
        day: muster::domain::Day::new(day).unwrap(),
        reflection: text.into(),
        checkin: None,
        visibility: Some(Visibility::Cohort),
        idempotency_key: format!("{email}-{day}"),
        remove_flagged: false,
        version: None,
    };
    submission::submit(&app.services, &person, &access, &request)
        .await
        .unwrap();
}

/// A cohort of [`PEOPLE`] on `board`, at 08:00 on its first day with day 1 released, in an
/// SQLite database of its own (returned, to live as long as the app).
async fn day_one(board: Board) -> (TestDb, TestApp, i64) {
    let db = TestDb::sqlite().await;
    let app = TestApp::spawn_with_board(&db, support::utc("2027-01-04T08:00:00Z"), board).await;
    let id = app.cohort("2027-01-04", PEOPLE).await;
    app.release_due().await;
    (db, app, id)
}

async fn cohort_of(app: &TestApp, id: i64) -> muster::app::cohort::Cohort {
    muster::app::cohort::get(&app.services, id).await.unwrap()
}

async fn boards_follow_the_ledger(board: Board) {
    let (_db, app, id) = day_one(board.clone()).await;
    complete(&app, id, "b1@f.uk", 1, "").await; // 08:00, +10 +5 badge (first completion)
    app.clock.advance(chrono::Duration::minutes(5));
    complete(&app, id, "a1@f.uk", 1, "A thought.").await; // +10 +5 +5 badge
    app.clock.advance(chrono::Duration::minutes(5));
    complete(&app, id, "a2@f.uk", 1, "").await; // +10 +5
    app.clock.advance(chrono::Duration::minutes(5));
    complete(&app, id, "b2@f.uk", 1, "").await; // +10 +5; team B completes the day together
    let cohort = cohort_of(&app, id).await;
    assert_eq!(
        leaderboard::check(&app.services, &cohort).await.unwrap(),
        Check::Equal
    );

    // People: a1 has 20; b1, a2 and b2 have 15 each and b1 reached it first.
    let people = board.standings(id, &Key::People).await.unwrap();
    let order: Vec<(i64, i64)> = people.iter().map(|s| (s.member, s.score.points)).collect();
    let id_of = |email: &'static str| {
        let app = &app;
        async move { app.person(email).await.id.get() }
    };
    let (a1, a2, b1, b2) = (
        id_of("a1@f.uk").await,
        id_of("a2@f.uk").await,
        id_of("b1@f.uk").await,
        id_of("b2@f.uk").await,
    );
    assert_eq!(order, vec![(a1, 20), (b1, 15), (a2, 15), (b2, 15)]);
    // Teams per member: A = 35 / 4 = 8.8, B = 30 / 2 = 15: the small team leads.
    let teams = leaderboard::teams(&app.services, &cohort).await.unwrap();
    let teams: Vec<(String, f64)> = teams.into_iter().map(|r| (r.name, r.points)).collect();
    assert_eq!(teams, vec![("Team B".into(), 15.0), ("Team A".into(), 8.8)]);
    // First to complete day 1.
    let first = board.top(id, &Key::Day(1), 2).await.unwrap();
    assert_eq!(
        first.iter().map(|s| s.member).collect::<Vec<_>>(),
        vec![b1, a1]
    );
    // A rank with neighbours.
    let around = board
        .around(id, &Key::People, a2, 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        around.iter().map(|s| s.rank).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    assert_eq!(around[2].member, a2);
    assert!(
        board
            .around(id, &Key::People, 999_999, 2)
            .await
            .unwrap()
            .is_none()
    );

    // The page and the API show the same.
    let mut browser = app.browser("a2@f.uk").await;
    let page = browser.get(&format!("/c/{id}/leaderboard")).await.body;
    assert!(
        page.contains("<tr class=\"me\" aria-current=\"true\">")
            && page.contains("A Two <span class=\"you-tag\">you</span>")
            && page.contains("Points per member"),
        "{page}"
    );
    let token = app.token("a2@f.uk").await;
    let leaderboard = format!("/api/v1/cohorts/{id}/leaderboard");
    let (_, api) = app.api(&leaderboard, &token).await;
    assert_eq!(api["people"][0]["name"], "A One");
    assert_eq!(api["teams"][0]["points"], 15.0);
    assert_eq!(api["first_today"][0]["name"], "B One");
    // Their rank in their team: A One (20) then A Two (15); A Three and A Four have no points.
    let in_team: Vec<(u64, &str, bool)> = api["in_my_team"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rank"].as_u64().unwrap(),
                r["name"].as_str().unwrap(),
                r["me"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(in_team, vec![(1, "A One", false), (2, "A Two", true)]);
    assert!(page.contains("In your team"), "{page}");

    // Team sizes and names are kept between reads until an enrolment changes them: two people
    // join team B (30 / 4 = 7.5, behind A) and A One is renamed.
    muster::app::enrol::enrol_csv(
        &app.services,
        id,
        "email,name,team,role\na1@f.uk,Ann One,Team A,participant\n\
         b3@f.uk,B Three,Team B,participant\nb4@f.uk,B Four,Team B,participant\n",
    )
    .await
    .unwrap();
    let (_, api) = app.api(&leaderboard, &token).await;
    assert_eq!(api["people"][0]["name"], "Ann One");
    assert_eq!(
        (&api["teams"][0]["name"], &api["teams"][0]["points"]),
        (&serde_json::json!("Team A"), &serde_json::json!(8.8))
    );
    assert_eq!(api["teams"][1]["points"], 7.5);
}
on_both_boards!(follow_the_ledger, boards_follow_the_ledger);

/// Fourteen teams of one: the first thirteen complete day 1 (the later, the fewer points: no
/// reflection from the seventh on), the last does not. Its member sees the top ten teams and
/// their own with the two above it, on the page and in the API; a top-ten member sees no more.
async fn many_teams_show_the_top_ten_and_my_own(board: Board) {
    let db = TestDb::sqlite().await;
    let app = TestApp::spawn_with_board(&db, support::utc("2027-01-04T08:00:00Z"), board).await;
    let id = app.cohort("2027-01-04", &support::people_csv(14, 14)).await;
    app.release_due().await;
    for i in 0..13 {
        let text = if i < 6 { "Learnt something." } else { "" };
        complete(&app, id, &format!("officer{i}@force.police.uk"), 1, text).await;
    }
    let last = app.token("officer13@force.police.uk").await;
    let (_, api) = app
        .api(&format!("/api/v1/cohorts/{id}/leaderboard"), &last)
        .await;
    let names = |rows: &serde_json::Value| -> Vec<String> {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&api["teams"]).len(), 10, "{api}");
    assert!(
        api["teams"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["me"] == false)
    );
    assert_eq!(
        names(&api["around_my_team"]).last().unwrap(),
        "Team 13",
        "{api}"
    );
    assert_eq!(api["around_my_team"].as_array().unwrap().len(), 3, "{api}");
    assert_eq!(api["around_my_team"][2]["me"], true);
    assert_eq!(api["around_my_team"][2]["rank"], 14);
    let mut browser = app.browser("officer13@force.police.uk").await;
    let page = browser.get(&format!("/c/{id}/leaderboard")).await.body;
    assert!(page.contains("Around your team"), "{page}");

    let first = app.token("officer0@force.police.uk").await;
    let (_, api) = app
        .api(&format!("/api/v1/cohorts/{id}/leaderboard"), &first)
        .await;
    assert_eq!(api["teams"][0]["me"], true, "{api}");
    assert_eq!(api["around_my_team"], serde_json::json!([]));
}
on_both_boards!(many_teams, many_teams_show_the_top_ten_and_my_own);

/// The metrics counted exactly one repair of the boards, for `reason`.
fn assert_repairs(app: &TestApp, reason: &str) {
    let text = app.services.metrics.render(&Default::default());
    assert!(
        text.contains(&format!(
            "muster_board_repairs_total{{reason=\"{reason}\"}} 1\n"
        )),
        "{text}"
    );
}

async fn a_lost_board_is_rebuilt_exactly(board: Board) {
    let (_db, app, id) = day_one(board.clone()).await;
    for (n, email) in ["a1@f.uk", "a2@f.uk", "b1@f.uk"].iter().enumerate() {
        app.clock.advance(chrono::Duration::seconds(n as i64));
        complete(&app, id, email, 1, "").await;
    }
    let cohort = cohort_of(&app, id).await;
    let expected = leaderboard::view(&app.services, &cohort).await.unwrap();
    // Wipe the boards (what a FLUSHALL does to Redis), then keep submitting.
    board
        .replace(id, &muster::board::View::default())
        .await
        .unwrap();
    complete(&app, id, "a3@f.uk", 1, "").await;
    assert_eq!(
        leaderboard::check(&app.services, &cohort).await.unwrap(),
        Check::Repaired
    );
    assert_repairs(&app, "drift");
    let view = leaderboard::view(&app.services, &cohort).await.unwrap();
    assert_ne!(view, expected, "a3's points are in the ledger");
    assert_eq!(
        board.read(id, &view).await.unwrap(),
        view,
        "the board equals the ledger again"
    );
    assert_eq!(
        leaderboard::check(&app.services, &cohort).await.unwrap(),
        Check::Equal
    );
}
on_both_boards!(rebuilt_exactly, a_lost_board_is_rebuilt_exactly);

/// A check that finds the boards different while a submission lands must not write back a ledger
/// read from before it. The submission lands during the check's settling pause; however the two
/// interleave, its points are on the boards afterwards, and the next check repairs the rest. (A
/// submission between the check's last ledger read and its write is the narrower window that
/// `Check::Busy` makes unlikely under load; loadgen's final comparison covers that, not this.)
async fn a_check_keeps_points_arriving_under_it(board: Board) {
    let (_db, app, id) = day_one(board.clone()).await;
    complete(&app, id, "a1@f.uk", 1, "").await;
    complete(&app, id, "a2@f.uk", 1, "").await;
    let cohort = cohort_of(&app, id).await;
    // Drift: the boards lose everything.
    board
        .replace(id, &muster::board::View::default())
        .await
        .unwrap();
    let checking = {
        let (services, cohort) = (app.services.clone(), cohort.clone());
        tokio::spawn(async move { leaderboard::check(&services, &cohort).await.unwrap() })
    };
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    complete(&app, id, "b1@f.uk", 1, "").await;
    let b1 = app.person("b1@f.uk").await.id.get();
    let outcome = checking.await.unwrap();
    assert!(
        matches!(outcome, Check::Busy | Check::Repaired),
        "{outcome:?}"
    );
    let people = board.standings(id, &Key::People).await.unwrap();
    assert!(
        people
            .iter()
            .any(|s| s.member == b1 && s.score.points == 15),
        "b1's points, which arrived during the check, are on the board: {people:?}"
    );
    let repaired = leaderboard::check(&app.services, &cohort).await.unwrap();
    assert_ne!(repaired, Check::Busy, "nothing arrives during this check");
    let view = leaderboard::view(&app.services, &cohort).await.unwrap();
    assert_eq!(board.read(id, &view).await.unwrap(), view);
}
on_both_boards!(
    checked_while_changing,
    a_check_keeps_points_arriving_under_it
);

/// A real FLUSHDB on a Redis database of its own, in the middle of a stream of submissions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_flushed_during_submissions_ends_equal_to_sql() {
    let Some(url) = support::service_url(
        "TEST_REDIS_URL",
        "Redis",
        "redis_flushed_during_submissions",
    ) else {
        return;
    };
    let url = format!("{}/9", url.trim_end_matches('/'));
    let (board, _sweep) = support::redis_board("flush", Some(url.clone()), None)
        .await
        .unwrap();
    let (_db, app, id) = day_one(board.clone()).await;
    // The server's first full check finds the (empty) boards equal to the ledger.
    assert_eq!(
        leaderboard::check_all(&app.services, Scope::Full)
            .await
            .unwrap(),
        0
    );
    let mut redis = redis::Client::open(url.as_str())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    for (n, email) in [
        "a1@f.uk", "a2@f.uk", "a3@f.uk", "a4@f.uk", "b1@f.uk", "b2@f.uk",
    ]
    .iter()
    .enumerate()
    {
        app.clock.advance(chrono::Duration::seconds(30));
        complete(&app, id, email, 1, "A line.").await;
        if n == 2 {
            let _: () = redis::cmd("FLUSHDB").query_async(&mut redis).await.unwrap();
        }
    }
    // The submissions after the flush put some boards back, but not the mark that the boards
    // were verified: until the repair, pages say the boards are updating rather than show them
    // as if whole.
    let token = app.token("a1@f.uk").await;
    let leaderboard = format!("/api/v1/cohorts/{id}/leaderboard");
    let stale = || async { app.api(&leaderboard, &token).await.1["stale"].clone() };
    assert_eq!(stale().await, true);
    // The frequent probe finds the loss without a full comparison.
    assert_eq!(
        leaderboard::check_all(&app.services, Scope::Suspect)
            .await
            .unwrap(),
        1
    );
    let cohort = cohort_of(&app, id).await;
    let view = leaderboard::view(&app.services, &cohort).await.unwrap();
    assert_eq!(board.read(id, &view).await.unwrap(), view);
    assert_eq!(
        leaderboard::check_all(&app.services, Scope::Suspect)
            .await
            .unwrap(),
        0,
        "nothing suspect once repaired"
    );
    assert_eq!(stale().await, false);
}

/// Redis goes away: submissions are still stored, the board is marked stale (the page says so),
/// and the repair makes it exact when Redis is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_go_on_while_redis_is_away() {
    let Some(url) = support::service_url(
        "TEST_REDIS_URL",
        "Redis",
        "submissions_go_on_while_redis_is_away",
    ) else {
        return;
    };
    let upstream = url::Url::parse(&url).unwrap();
    let mut proxy = support::proxy::Proxy::start(&format!(
        "{}:{}",
        upstream.host_str().unwrap(),
        upstream.port().unwrap_or(6379)
    ))
    .await;
    let (board, _sweep) = support::redis_board(
        "away",
        Some(url.clone()),
        Some(format!("redis://127.0.0.1:{}", proxy.port)),
    )
    .await
    .unwrap();
    let (_db, app, id) = day_one(board.clone()).await;
    complete(&app, id, "a1@f.uk", 1, "").await;
    proxy.cut();
    let mut browser = app.browser("a2@f.uk").await;
    let (csrf, key) = browser.day_form(id, 1).await;
    let saved = browser
        .post(
            &format!("/c/{id}/day/1"),
            &[("csrf", &csrf), ("key", &key), ("visibility", "cohort")],
        )
        .await;
    assert_eq!(
        saved.status, 303,
        "stored although Redis is away: {}",
        saved.body
    );
    assert!(board.is_stale(id));
    proxy.restore().await;
    let cohort = cohort_of(&app, id).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        match leaderboard::check(&app.services, &cohort).await {
            Ok(Check::Repaired) => break,
            other => {
                assert!(
                    std::time::Instant::now() < deadline,
                    "Redis did not come back: {other:?}"
                );
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        }
    }
    assert!(!board.is_stale(id));
    assert_repairs(&app, "missed_change");
    let view = leaderboard::view(&app.services, &cohort).await.unwrap();
    assert_eq!(board.read(id, &view).await.unwrap(), view);
    let a2 = app.person("a2@f.uk").await.id.get();
    assert!(
        board
            .standings(id, &Key::People)
            .await
            .unwrap()
            .iter()
            .any(|s| s.member == a2)
    );
}

/// Over three ISO weeks and a change of the clocks, with completions either side of Monday's
/// midnight: the boards kept change by change equal the view summed from the ledger in SQL (per
/// person and week), and a wiped board is rebuilt to the same.
async fn boards_over_weeks_equal_the_summed_ledger(db: &TestDb) {
    // Monday 22 March 2027; British Summer Time begins on Sunday 28 March.
    let board = Board::in_memory();
    let app =
        TestApp::spawn_with_board(db, support::utc("2027-03-22T07:00:00Z"), board.clone()).await;
    let id = app.cohort("2027-03-22", PEOPLE).await;
    let start = support::utc("2027-03-22T00:00:00Z");
    for day in 1..=15u32 {
        let morning = start + chrono::Duration::days(i64::from(day) - 1);
        app.clock.set(morning + chrono::Duration::hours(8));
        app.release_due().await;
        // a1 late in the evening (on Sundays, the last minutes of an ISO week); b1 just after
        // midnight (the first minutes of the next one), both on time.
        app.clock
            .set(morning + chrono::Duration::minutes(22 * 60 + 20));
        complete(&app, id, "a1@f.uk", day, "Evening.").await;
        app.clock
            .set(morning + chrono::Duration::minutes(23 * 60 + 15));
        complete(&app, id, "b1@f.uk", day, "").await;
        if day % 3 == 0 {
            complete(&app, id, "a2@f.uk", day, "").await;
        }
    }
    let cohort = cohort_of(&app, id).await;
    let view = leaderboard::view(&app.services, &cohort).await.unwrap();
    let weeks: Vec<&Key> = view
        .boards
        .keys()
        .filter(|k| matches!(k, Key::Week(_)))
        .collect();
    assert_eq!(
        weeks,
        vec![
            &Key::Week("2027-W12".into()),
            &Key::Week("2027-W13".into()),
            &Key::Week("2027-W14".into()),
        ]
    );
    assert_eq!(board.read(id, &view).await.unwrap(), view);
    assert_eq!(
        leaderboard::check(&app.services, &cohort).await.unwrap(),
        Check::Equal
    );
    board
        .replace(id, &muster::board::View::default())
        .await
        .unwrap();
    leaderboard::rebuild(&app.services, &cohort).await.unwrap();
    assert_eq!(board.read(id, &view).await.unwrap(), view);
}
on_both_backends!(over_weeks, boards_over_weeks_equal_the_summed_ledger);

/// What the boards keep between requests is counted: the first read of a cohort's released
/// days, team sizes and names misses, the next hits.
#[tokio::test]
async fn kept_values_count_their_hits_and_misses() {
    let (_db, app, id) = day_one(Board::in_memory()).await;
    let cohort = cohort_of(&app, id).await;
    let kept = &app.services.kept;
    let before = kept.snapshot();
    for _ in 0..2 {
        muster::app::released::released(&app.services, &cohort)
            .await
            .unwrap();
        kept.boards.team_sizes(&app.services, id).await.unwrap();
    }
    let after = kept.snapshot();
    for (name, before, after) in [
        ("released", before.released, after.released),
        ("team sizes", before.team_sizes, after.team_sizes),
    ] {
        assert_eq!(after.misses, before.misses + 1, "{name}: the first read");
        assert_eq!(after.hits, before.hits + 1, "{name}: the second read");
    }
    // A page of boards reads them afresh (a miss) and its people's names (misses, then hits).
    let (_, access) = app.member("a1@f.uk", id).await;
    leaderboard::leaderboards(&app.services, &access)
        .await
        .unwrap();
    complete(&app, id, "a1@f.uk", 1, "Done.").await;
    leaderboard::leaderboards(&app.services, &access)
        .await
        .unwrap();
    leaderboard::leaderboards(&app.services, &access)
        .await
        .unwrap();
    let boards = kept.snapshot();
    assert_eq!(boards.board_reads.misses, after.board_reads.misses + 3);
    assert!(boards.names.misses > after.names.misses);
    assert!(boards.names.hits > after.names.hits);
    // In a process that has not decoded the cohort yet (fresh services over the same database),
    // the first read decodes it and the second uses it; the callers' version likewise.
    let fresh = crate::support::services_over(app.services.store.clone(), app.clock.clone());
    for _ in 0..2 {
        muster::app::cohort::get(&fresh, id).await.unwrap();
        fresh.caller_version().await.unwrap();
    }
    let once = muster::app::kept::HitsAndMisses { hits: 1, misses: 1 };
    assert_eq!(fresh.kept.snapshot().cohorts, once);
    assert_eq!(fresh.kept.snapshot().caller_version, once);
}
