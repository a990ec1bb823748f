//! Roles hold in the cohort where they were given, and nowhere else: one person who manages a
//! team (or leads) in one cohort and takes part in another, and is in a third not at all, tried on
//! every page and API route of each; and a CSV imported again that demotes or moves people, seen
//! on their next request. On both backends.

use crate::support;

use std::time::Duration;

use crate::briefing::submit;
use crate::support::TestDb;
use crate::support::app::{Browser, TestApp};
use muster::app::enrol::enrol_csv;

const START: &str = "2027-01-04";
const HEADER: &str = "email,name,team,role\n";

/// Sam manages Alpha in North and takes part (in Bravo) in South; Lee leads North and takes part
/// (in Bravo) in South. Neither is in West.
fn north() -> String {
    format!(
        "{HEADER}sam@force.police.uk,Sgt Sam,Alpha,manager\n\
         lee@force.police.uk,Insp Lee,,change_lead\n\
         a1@force.police.uk,Alpha One,Alpha,participant\n\
         e1@force.police.uk,Alpha Stays,Alpha,participant\n\
         m1@force.police.uk,Alpha Mover,Alpha,participant\n\
         b1@force.police.uk,Bravo One,Bravo,participant\n\
         d1@force.police.uk,Bravo Two,Bravo,participant\n"
    )
}

const SOUTH: &str = "sam@force.police.uk,Sgt Sam,Bravo,participant\n\
    lee@force.police.uk,Insp Lee,Bravo,participant\n\
    a2@force.police.uk,Alpha South,Alpha,participant\n\
    b2@force.police.uk,Bravo South,Bravo,participant\n";

const WEST: &str = "w3@force.police.uk,West One,Alpha,participant\n";

/// A cohort that does not exist: what every route of a cohort someone is not in must look like.
const NO_COHORT: i64 = 9999;

/// What each reflection says, to find it on a page.
const NORTH_ALPHA_TEAM: &str = "NORTH-ALPHA-TEAM asked a colleague how they really were";
const NORTH_BRAVO_TEAM: &str = "NORTH-BRAVO-TEAM showed someone the online form";
const NORTH_COHORT: &str = "NORTH-COHORT told a caller how to report online";
const SOUTH_ALPHA_TEAM: &str = "SOUTH-ALPHA-TEAM kept the briefing short";
const SOUTH_COHORT: &str = "SOUTH-COHORT asked for feedback after a call";
const WEST_COHORT: &str = "WEST-COHORT tried the new app";
const MARKERS: [&str; 6] = [
    NORTH_ALPHA_TEAM,
    NORTH_BRAVO_TEAM,
    NORTH_COHORT,
    SOUTH_ALPHA_TEAM,
    SOUTH_COHORT,
    WEST_COHORT,
];

struct World {
    app: TestApp,
    north: i64,
    south: i64,
    west: i64,
}

/// The three cohorts on day 1, with each reflection written.
async fn world(db: &TestDb) -> World {
    let app = TestApp::spawn(db, support::utc("2027-01-04T12:00:00Z")).await;
    let north = app.cohort_named("North", START, &north()).await;
    let south = app
        .cohort_named("South", START, &format!("{HEADER}{SOUTH}"))
        .await;
    let west = app
        .cohort_named("West", START, &format!("{HEADER}{WEST}"))
        .await;
    app.release_due().await;
    for (email, cohort, text, visibility) in [
        ("a1", north, NORTH_ALPHA_TEAM, "team"),
        ("d1", north, NORTH_BRAVO_TEAM, "team"),
        ("b1", north, NORTH_COHORT, "cohort"),
        ("a2", south, SOUTH_ALPHA_TEAM, "team"),
        ("b2", south, SOUTH_COHORT, "cohort"),
        ("w3", west, WEST_COHORT, "cohort"),
    ] {
        let mut b = app.browser(&format!("{email}@force.police.uk")).await;
        submit(&mut b, cohort, 1, text, visibility).await;
    }
    World {
        app,
        north,
        south,
        west,
    }
}

async fn reflection_id(db: &TestDb, body: &str) -> i64 {
    sqlx::query_scalar("SELECT handle FROM reflections WHERE body = $1")
        .bind(body)
        .fetch_one(db.store.pool())
        .await
        .expect("the reflection")
}

/// Someone as a browser would have them (signed in) and as an app would (a token).
struct Someone {
    browser: Browser,
    token: String,
}

async fn someone(app: &TestApp, name: &str) -> Someone {
    let email = format!("{name}@force.police.uk");
    Someone {
        browser: app.browser(&email).await,
        token: app.token(&email).await,
    }
}

/// One answer of a route: its name, status and body.
type Answer = (&'static str, u16, String);

/// Every route inside a cohort, tried as `who`, with `reflection` the one reacted to and reported:
/// pages and API, reads and writes. An event stream that opens is not read (it never ends).
async fn probe(app: &TestApp, who: &mut Someone, cohort: i64, reflection: i64) -> Vec<Answer> {
    let b = &mut who.browser;
    let mut answers = Vec::new();
    for (route, path) in [
        ("feed page", format!("/c/{cohort}/feed")),
        ("leaderboard page", format!("/c/{cohort}/leaderboard")),
        ("journey page", format!("/c/{cohort}/journey")),
        ("day page", format!("/c/{cohort}/day/1")),
        ("report list", format!("/c/{cohort}/reports")),
        ("briefing page", format!("/c/{cohort}/briefing")),
        (
            "briefing fragment",
            format!("/c/{cohort}/briefing/fragment"),
        ),
        ("briefing links page", format!("/c/{cohort}/briefing/links")),
    ] {
        let page = b.get(&path).await;
        answers.push((route, page.status, page.body));
    }
    let events = b
        .client
        .get(format!("{}/c/{cohort}/briefing/events", app.base))
        .header(
            "cookie",
            format!(
                "{}={}",
                muster::web::auth::SESSION_COOKIE,
                b.cookie_value(muster::web::auth::SESSION_COOKIE)
            ),
        )
        .send()
        .await
        .expect("the event stream answers");
    let status = events.status().as_u16();
    let body = if status == 200 {
        String::new()
    } else {
        events.text().await.unwrap_or_default()
    };
    answers.push(("briefing events", status, body));

    let csrf = b.csrf().await;
    for (route, path, fields) in [
        (
            "briefing link creation",
            format!("/c/{cohort}/briefing/links"),
            vec![("csrf", csrf.as_str()), ("name", "Briefing room")],
        ),
        (
            "reaction page",
            format!("/c/{cohort}/reflections/{reflection}/react"),
            vec![("csrf", &csrf), ("kind", "thank_you"), ("on", "1")],
        ),
        (
            "report",
            format!("/c/{cohort}/reflections/{reflection}/report"),
            vec![("csrf", &csrf), ("reason", "please look at this")],
        ),
    ] {
        let page = b.post(&path, &fields).await;
        answers.push((route, page.status, page.body));
    }

    for (route, path) in [
        ("API feed", format!("/api/v1/cohorts/{cohort}/feed")),
        (
            "API leaderboard",
            format!("/api/v1/cohorts/{cohort}/leaderboard"),
        ),
        ("API journey", format!("/api/v1/cohorts/{cohort}/journey")),
        ("API badges", format!("/api/v1/cohorts/{cohort}/badges")),
    ] {
        let (status, body) = app.api(&path, &who.token).await;
        answers.push((route, status, body.to_string()));
    }
    let reaction = reqwest::Client::new()
        .put(format!(
            "{}/api/v1/cohorts/{cohort}/reflections/{reflection}/reactions/thank_you",
            app.base
        ))
        .bearer_auth(&who.token)
        .send()
        .await
        .expect("the API answers");
    answers.push((
        "API reaction",
        reaction.status().as_u16(),
        reaction.text().await.unwrap_or_default(),
    ));
    answers
}

fn statuses(answers: &[Answer]) -> Vec<(&'static str, u16)> {
    answers.iter().map(|(r, s, _)| (*r, *s)).collect()
}

fn status_of(answers: &[Answer], route: &str) -> u16 {
    answers
        .iter()
        .find(|(r, _, _)| *r == route)
        .map(|(_, s, _)| *s)
        .unwrap_or_else(|| panic!("no route {route}"))
}

fn body_of<'a>(answers: &'a [Answer], route: &str) -> &'a str {
    answers
        .iter()
        .find(|(r, _, _)| *r == route)
        .map(|(_, _, b)| b.as_str())
        .unwrap_or_else(|| panic!("no route {route}"))
}

/// Which of the known reflections a page or answer shows.
fn shown(body: &str) -> Vec<&'static str> {
    MARKERS.into_iter().filter(|m| body.contains(m)).collect()
}

/// What the feed, page and API alike, shows `who` in `cohort`.
async fn feed_of(app: &TestApp, who: &mut Someone, cohort: i64) -> Vec<&'static str> {
    let page = who.browser.get(&format!("/c/{cohort}/feed")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let (status, api) = app
        .api(&format!("/api/v1/cohorts/{cohort}/feed"), &who.token)
        .await;
    assert_eq!(status, 200);
    let seen = shown(&page.body);
    assert_eq!(seen, shown(&api.to_string()), "the page and the API agree");
    seen
}

async fn hide(who: &mut Someone, cohort: i64, reflection: i64) -> u16 {
    let csrf = who.browser.csrf().await;
    who.browser
        .post(
            &format!("/c/{cohort}/reflections/{reflection}/hide"),
            &[("csrf", &csrf), ("reason", "names a member of the public")],
        )
        .await
        .status
}

async fn rights_hold_where_given(db: &TestDb) {
    let w = world(db).await;
    let app = &w.app;
    let north_alpha = reflection_id(db, NORTH_ALPHA_TEAM).await;
    let south_alpha = reflection_id(db, SOUTH_ALPHA_TEAM).await;
    let west_cohort = reflection_id(db, WEST_COHORT).await;
    let mut sam = someone(app, "sam").await;
    let mut lee = someone(app, "lee").await;
    let mut b2 = someone(app, "b2").await;

    // Where they were given: Sam manages Alpha in North, for Alpha only.
    let north = probe(app, &mut sam, w.north, north_alpha).await;
    for (route, status) in [
        ("briefing page", 200),
        ("briefing fragment", 200),
        ("briefing events", 200),
        ("briefing links page", 200),
        ("briefing link creation", 303),
        ("reaction page", 303),
        ("API reaction", 204),
        ("report list", 404),
    ] {
        assert_eq!(status_of(&north, route), status, "Sam in North: {route}");
    }
    let screen = body_of(&north, "briefing page");
    assert!(
        screen.contains(
            "<span class=\"team\">Alpha<span class=\"visually-hidden\"> (this screen's team)"
        ) && screen.contains("<span class=\"team\">Bravo</span>")
            && !screen.contains("Bravo One")
            && !screen.contains("Bravo Two"),
        "{screen}"
    );
    assert_eq!(
        feed_of(app, &mut sam, w.north).await,
        vec![NORTH_ALPHA_TEAM, NORTH_COHORT],
        "the manager of Alpha reads Alpha's team-only reflections, not Bravo's"
    );
    // Lee leads North: the whole briefing, the reports, moderation.
    let north = probe(app, &mut lee, w.north, north_alpha).await;
    for (route, status) in [
        ("briefing page", 200),
        ("briefing events", 200),
        ("briefing link creation", 303),
        ("report list", 200),
    ] {
        assert_eq!(status_of(&north, route), status, "Lee in North: {route}");
    }
    let screen = body_of(&north, "briefing page");
    assert!(screen.contains("Alpha") && screen.contains("Bravo"));
    let feed = lee.browser.get(&format!("/c/{}/feed", w.north)).await.body;
    assert!(
        feed.contains("Hide from the feed"),
        "a change lead moderates"
    );

    // Where they only take part: exactly what another participant of the same team gets.
    let ordinary = probe(app, &mut b2, w.south, south_alpha).await;
    for (route, status) in [
        ("briefing page", 404),
        ("briefing events", 404),
        ("briefing link creation", 404),
        ("report list", 404),
        ("reaction page", 404),
        ("API reaction", 404),
        ("feed page", 200),
        ("API leaderboard", 200),
    ] {
        assert_eq!(
            status_of(&ordinary, route),
            status,
            "a participant: {route}"
        );
    }
    for (name, who) in [("Sam", &mut sam), ("Lee", &mut lee)] {
        let south = probe(app, who, w.south, south_alpha).await;
        assert_eq!(
            statuses(&south),
            statuses(&ordinary),
            "{name} in South has a participant's rights, no more"
        );
        assert_eq!(
            feed_of(app, who, w.south).await,
            vec![SOUTH_COHORT],
            "{name} in South does not read Alpha's team-only reflections"
        );
        let feed = who.browser.get(&format!("/c/{}/feed", w.south)).await.body;
        assert!(!feed.contains("Hide from the feed"));
    }

    // Where they are not: the same answer as for a cohort that does not exist.
    for (name, who) in [("Sam", &mut sam), ("Lee", &mut lee)] {
        let west = probe(app, who, w.west, west_cohort).await;
        let nowhere = probe(app, who, NO_COHORT, west_cohort).await;
        assert!(west.iter().all(|(_, s, _)| *s == 404), "{west:?}");
        assert_eq!(west, nowhere, "{name} in West");
    }

    // Today, on the page and in the API, offers each cohort's tools only where they hold.
    let today = sam.browser.get("/today").await.body;
    assert!(today.contains(&format!("/c/{}/briefing/links", w.north)));
    assert!(!today.contains(&format!("/c/{}/briefing/links", w.south)));
    assert!(!today.contains(&format!("/c/{}/", w.west)));
    let today = lee.browser.get("/today").await.body;
    assert!(today.contains(&format!("/c/{}/reports", w.north)));
    assert!(!today.contains(&format!("/c/{}/reports", w.south)));
    assert!(!today.contains(&format!("/c/{}/", w.west)));
    for who in [&sam, &lee] {
        let (status, days) = app.api("/api/v1/today", &who.token).await;
        assert_eq!(status, 200);
        let cohorts: Vec<i64> = days
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|d| d["cohort_id"].as_i64())
            .collect();
        assert_eq!(cohorts, vec![w.north, w.south]);
    }

    // Moderation: in North only.
    let south_cohort = reflection_id(db, SOUTH_COHORT).await;
    assert_eq!(hide(&mut lee, w.south, south_cohort).await, 404);
    assert_eq!(hide(&mut lee, w.west, west_cohort).await, 404);
    assert_eq!(hide(&mut sam, w.north, north_alpha).await, 404);
    assert_eq!(
        hide(&mut lee, w.north, reflection_id(db, NORTH_COHORT).await).await,
        303
    );
    assert_eq!(
        feed_of(app, &mut sam, w.north).await,
        vec![NORTH_ALPHA_TEAM]
    );
}
on_both_backends!(roles_hold_where_they_were_given, rights_hold_where_given);

/// Makes a read-only briefing link as `who` and returns its path.
async fn make_link(app: &TestApp, who: &mut Someone, cohort: i64) -> String {
    let url = who.browser.briefing_link(cohort, "Briefing room").await;
    url.strip_prefix(&app.base).unwrap().to_string()
}

async fn team_sizes(db: &TestDb, cohort: i64) -> Vec<(String, i64)> {
    muster::store::points::team_sizes(db.store.pool(), cohort)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, name, n)| (name, n))
        .collect()
}

async fn submission_team(db: &TestDb, email: &str, cohort: i64) -> String {
    sqlx::query_scalar(
        "SELECT t.name FROM submissions s JOIN people p ON p.id = s.person_id \
         JOIN teams t ON t.id = s.team_id WHERE p.email = $1 AND s.cohort_id = $2",
    )
    .bind(email)
    .bind(cohort)
    .fetch_one(db.store.pool())
    .await
    .expect("a submission")
}

async fn caller_version(db: &TestDb) -> i64 {
    sqlx::query_scalar("SELECT version FROM caller_changes")
        .fetch_one(db.store.pool())
        .await
        .unwrap()
}

async fn reimport_takes_effect_at_once(db: &TestDb) {
    let w = world(db).await;
    let app = &w.app;
    let mut sam = someone(app, "sam").await;
    let mut lee = someone(app, "lee").await;
    let mut mover = someone(app, "m1").await;
    let mut stays = someone(app, "e1").await;
    let mut bravo = someone(app, "d1").await;
    let sam_link = make_link(app, &mut sam, w.north).await;
    let lee_link = make_link(app, &mut lee, w.north).await;
    // Every caller is known (kept) before the import.
    assert_eq!(feed_of(app, &mut sam, w.north).await.len(), 2);
    assert_eq!(
        feed_of(app, &mut mover, w.north).await,
        vec![NORTH_ALPHA_TEAM, NORTH_COHORT]
    );
    assert_eq!(
        lee.browser
            .get(&format!("/c/{}/reports", w.north))
            .await
            .status,
        200
    );
    assert_eq!(feed_of(app, &mut stays, w.north).await.len(), 2);
    assert_eq!(feed_of(app, &mut bravo, w.north).await.len(), 2);
    assert_eq!(
        team_sizes(db, w.north).await,
        vec![("Alpha".into(), 3), ("Bravo".into(), 2)]
    );
    let version = caller_version(db).await;

    // The file again, as `muster enrol` runs it (another process, its own store): Sam and Lee
    // take part now, and Alpha One (who wrote for Alpha) and the mover go to Bravo.
    let again = north()
        .replace(
            "sam@force.police.uk,Sgt Sam,Alpha,manager",
            "sam@force.police.uk,Sgt Sam,Bravo,participant",
        )
        .replace(
            "lee@force.police.uk,Insp Lee,,change_lead",
            "lee@force.police.uk,Insp Lee,Alpha,participant",
        )
        .replace(
            "a1@force.police.uk,Alpha One,Alpha",
            "a1@force.police.uk,Alpha One,Bravo",
        )
        .replace(
            "m1@force.police.uk,Alpha Mover,Alpha",
            "m1@force.police.uk,Alpha Mover,Bravo",
        );
    let cli = muster::store::Store::connect(&db.url).await.unwrap();
    enrol_csv(
        &support::services_over(cli.clone(), app.clock.clone()),
        w.north,
        &again,
    )
    .await
    .expect("enrol again");
    cli.close().await;
    assert!(
        caller_version(db).await > version,
        "the callers' version moved"
    );
    tokio::time::sleep(muster::store::callers::READ_EVERY + Duration::from_millis(100)).await;

    // The next request of each sees their new place.
    for path in [
        format!("/c/{}/briefing", w.north),
        format!("/c/{}/briefing/links", w.north),
    ] {
        assert_eq!(sam.browser.get(&path).await.status, 404, "{path}");
        assert_eq!(lee.browser.get(&path).await.status, 404, "{path}");
    }
    assert_eq!(
        lee.browser
            .get(&format!("/c/{}/reports", w.north))
            .await
            .status,
        404
    );
    let north_cohort = reflection_id(db, NORTH_COHORT).await;
    assert_eq!(hide(&mut lee, w.north, north_cohort).await, 404);
    let room = &mut Browser::new(&app.base);
    for link in [&sam_link, &lee_link] {
        assert_eq!(
            room.get(link).await.status,
            404,
            "their links end with them"
        );
    }
    assert_eq!(
        feed_of(app, &mut sam, w.north).await,
        vec![NORTH_BRAVO_TEAM, NORTH_COHORT],
        "no longer Alpha's manager, Sam reads his new team's reflections"
    );
    assert_eq!(
        feed_of(app, &mut mover, w.north).await,
        vec![NORTH_BRAVO_TEAM, NORTH_COHORT]
    );
    // What was written for Alpha stays with Alpha, whoever moved.
    assert_eq!(
        feed_of(app, &mut stays, w.north).await,
        vec![NORTH_ALPHA_TEAM, NORTH_COHORT]
    );
    assert_eq!(
        feed_of(app, &mut bravo, w.north).await,
        vec![NORTH_BRAVO_TEAM, NORTH_COHORT]
    );
    assert_eq!(
        feed_of(app, &mut lee, w.north).await,
        vec![NORTH_ALPHA_TEAM, NORTH_COHORT]
    );
    assert_eq!(
        team_sizes(db, w.north).await,
        vec![("Alpha".into(), 2), ("Bravo".into(), 5)],
        "Lee joins Alpha; Sam, Alpha One and the mover Bravo"
    );
    // A completion is counted for the team it was made in: history stays, new ones follow.
    assert_eq!(
        submission_team(db, "a1@force.police.uk", w.north).await,
        "Alpha"
    );
    submit(
        &mut mover.browser,
        w.north,
        1,
        "Moved and still going",
        "cohort",
    )
    .await;
    assert_eq!(
        submission_team(db, "m1@force.police.uk", w.north).await,
        "Bravo"
    );
}
on_both_backends!(
    a_reimport_changes_roles_and_teams,
    reimport_takes_effect_at_once
);

/// The demo still gives the three kinds of person their rights in its cohort.
async fn demo_people(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-14T12:00:00Z")).await;
    let packs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
    let links = muster::app::demo::seed(&app.services, &packs)
        .await
        .expect("the demo");
    let cohort = links.cohort_id;
    let teams = ["Response Team A", "Neighbourhood East", "Contact Centre"];
    let mut answers = Vec::new();
    for (_, link) in [&links.participant, &links.manager, &links.change_lead] {
        let mut b = Browser::new(&app.base);
        b.follow_signin_link(link).await;
        let mut statuses = Vec::new();
        for path in ["journey", "briefing", "reports"] {
            statuses.push(b.get(&format!("/c/{cohort}/{path}")).await.status);
        }
        let screen = b.get(&format!("/c/{cohort}/briefing")).await.body;
        let on_screen: Vec<&str> = teams.into_iter().filter(|t| screen.contains(t)).collect();
        // The screen's own team, highlighted among every team's standing.
        let mine: Vec<&str> = teams
            .into_iter()
            .filter(|t| {
                screen.contains(&format!(
                    "{t}<span class=\"visually-hidden\"> (this screen's team)"
                ))
            })
            .collect();
        answers.push((statuses, on_screen, mine));
    }
    assert_eq!(
        answers[0],
        (vec![200, 404, 404], vec![], vec![]),
        "a participant"
    );
    assert_eq!(
        (
            &answers[1].0[1..],
            answers[1].1.clone(),
            answers[1].2.clone()
        ),
        (&[200, 404][..], teams.to_vec(), vec!["Response Team A"]),
        "a manager, of their team among the others"
    );
    assert_eq!(
        (
            &answers[2].0[1..],
            answers[2].1.clone(),
            answers[2].2.clone()
        ),
        (&[200, 200][..], teams.to_vec(), vec![]),
        "a change lead, of the whole cohort"
    );
}
on_both_backends!(the_demo_has_a_participant_a_manager_and_a_lead, demo_people);

/// `muster enrol`, run again with a manager made a participant, says what it changed, and the
/// briefing link the manager made ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_says_what_a_reimport_changed() {
    let dir = tempfile::tempdir().unwrap();
    let packs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
    let muster = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_muster"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("MUSTER_CONFIG")
            .env("MUSTER_PACKS_DIR", &packs)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "{args:?}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    };
    let csv = dir.path().join("people.csv");
    let enrol = |text: &str| {
        std::fs::write(&csv, text).unwrap();
        muster(&["enrol", "--cohort", "1", "--csv", "people.csv"])
    };
    muster(&[
        "cohort",
        "create",
        "--pack",
        "digital-confidence",
        "--name",
        "North",
        "--start",
        START,
    ]);
    let first = north();
    assert!(
        enrol(&first)
            .contains("cohort 1: 7 rows read; 7 newly enrolled, 0 moved to another role or team")
    );
    let store = muster::store::Store::connect(&format!(
        "sqlite://{}",
        dir.path().join("data/muster.db").display()
    ))
    .await
    .unwrap();
    let sam: i64 = sqlx::query_scalar("SELECT id FROM people WHERE email = 'sam@force.police.uk'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let alpha: i64 = sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Alpha'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    muster::store::briefing::insert_link(
        store.pool(),
        "hash",
        1,
        &alpha.to_string(),
        muster::domain::PersonId(sam),
        0,
        "Room",
    )
    .await
    .unwrap();
    assert!(
        enrol(&first).contains("0 moved"),
        "the same file changes nothing"
    );
    let said = enrol(&first.replace("Alpha,manager", "Alpha,participant"));
    assert!(
        said.contains("0 newly enrolled, 1 moved to another role or team")
            && said.contains("1 briefing link(s) revoked"),
        "{said}"
    );
    assert!(
        muster::store::briefing::link(store.pool(), "hash")
            .await
            .unwrap()
            .is_none()
    );
    store.close().await;
}
