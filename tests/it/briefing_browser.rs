//! The briefing-room screen in a real browser: headless Chromium at 1280 px opens a manager's
//! read-only link (no sign-in), and a day completed elsewhere moves the screen within a second,
//! through Server-Sent Events and the page's script. Once in one server; once across two servers
//! sharing a database and a Redis server (live updates through Redis pub/sub). Saves screenshots
//! under `target/screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`, and the second test `TEST_REDIS_URL`; without
//! them a test prints `skipped: ...`, unless `MUSTER_REQUIRE_SERVICES=1`, when that is a failure.

use crate::support;

use std::time::{Duration, Instant};

use crate::support::TestDb;
use crate::support::app::{Browser, TestApp};
use crate::support::browser::{
    Chromium, WAIT, browser_installed, screenshot, script, set_viewport, wait_css, with_chromium,
};
use crate::support::proxy::Proxy;
use chrono::{DateTime, Utc};
use fantoccini::Locator;
use muster::app::Services;
use muster::board::Board;
use muster::clock::Clock;
use muster::live::Live;
use muster::store::Store;
use muster::web::{AppState, router};

const NOW: &str = "2027-01-04T08:00:00Z";
const START: &str = "2027-01-04";
const MANAGER: &str = "manager0@force.police.uk";
/// In Team 0, with officer2 and officer4.
const OFFICER: &str = "officer0@force.police.uk";
const REFLECTION: &str = "Found the report-online page in two taps and showed my crewmate.";
/// How soon after a submission the screen must show it.
const LIVE: Duration = Duration::from_secs(1);
/// Team 0's count in "Done today".
const TEAM0_TODAY: &str = "//section[@aria-labelledby='today']//li[span[contains(@class, 'team')][normalize-space() = 'Team 0']]/span[contains(@class, 'points')]";

/// Makes a read-only link as a signed-in manager, through the links form; returns its URL.
async fn read_only_link(manager: &mut Browser, cohort: i64) -> String {
    manager.briefing_link(cohort, "Briefing room").await
}

/// Completes day 1 for `officer`, shared with the cohort by name; returns when the POST returned.
async fn submit_day_one(officer: &mut Browser, cohort: i64) -> Instant {
    let (csrf, key) = officer.day_form(cohort, 1).await;
    let done = officer
        .post(
            &format!("/c/{cohort}/day/1"),
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("reflection", REFLECTION),
                ("visibility", "cohort"),
            ],
        )
        .await;
    let returned = Instant::now();
    assert_eq!(done.status, 303, "{}", done.body);
    returned
}

/// The board's text as shown.
async fn board_text(b: &Chromium) -> String {
    script(
        &b.client,
        "return document.getElementById('briefing').innerText;",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// The text of the first node matching `xpath`, whitespace collapsed, read in one script.
async fn text_at(b: &Chromium, xpath: &str) -> String {
    let text = b
        .client
        .execute(
            "return document.evaluate(arguments[0], document, null, XPathResult.STRING_TYPE, null).stringValue;",
            vec![serde_json::Value::from(xpath)],
        )
        .await
        .expect("run a script");
    text.as_str()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The room's screen: opens `link`, sees nothing done, then (once `officer` has completed day 1
/// elsewhere) waits for the screen to show it. Returns how long after the POST returned the screen
/// showed it. Saves screenshots when `shots` names the page ("briefing" gives
/// `briefing-1280.png` and `briefing-live-1280.png`).
async fn watch(
    b: Chromium,
    link: String,
    mut officer: Browser,
    cohort: i64,
    shots: Option<&'static str>,
) -> Duration {
    let client = b.client.clone();
    b.reduce_motion().await;
    set_viewport(&b, 1280, 800).await;
    client.goto(&link).await.expect("open the read-only link");
    wait_css(&client, "main#briefing").await;
    // The board is swapped whole on each refresh (the first one as soon as the event stream
    // opens), so it is read by script rather than through element handles, which go stale.
    assert_eq!(
        text_at(
            &b,
            "//main[@id = 'briefing']//p[contains(@class, 'big-number')]"
        )
        .await,
        "Day 1 of 30"
    );
    assert_eq!(text_at(&b, TEAM0_TODAY).await, "0 of 3");
    // Every team, the manager's own highlighted.
    let teams = client
        .find_all(Locator::Css(
            "section[aria-labelledby='today'] li span.team",
        ))
        .await
        .expect("teams");
    assert_eq!(teams.len(), 2, "Done today shows every team");
    assert_eq!(
        text_at(&b, "//section[@aria-labelledby='today']//li[contains(@class, 'mine')]/span[contains(@class, 'team')]").await,
        "Team 0"
    );
    // Read-only: no navigation, no sign-out, nothing to submit.
    for css in ["nav.site-nav", "form", "header.site"] {
        let found = client.find_all(Locator::Css(css)).await.expect("find");
        assert!(found.is_empty(), "the read-only screen has {css}");
    }
    // The script has connected: its first refresh (on the event stream opening) has fetched the
    // board, so the submission below reaches the screen as an event, not as a catch-up.
    let connected = Instant::now() + WAIT;
    loop {
        let fetched = script(
            &client,
            "return performance.getEntriesByType('resource')\
             .some(function (e) { return e.name.endsWith('/fragment'); });",
        )
        .await;
        if fetched.as_bool() == Some(true) {
            break;
        }
        assert!(
            Instant::now() < connected,
            "the screen did not connect to its event stream within {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    if let Some(name) = shots {
        screenshot(&b, 1280, &format!("{name}-1280.png")).await;
    }

    // Elsewhere: officer0 completes day 1.
    let returned = submit_day_one(&mut officer, cohort).await;
    // Polled every 50 ms, so the latency is at most 50 ms (and a script's round trip) late. Team 0's
    // count, not the board's text: "Day 1 of 30" holds "1 of 3" too.
    let latency = loop {
        if text_at(&b, TEAM0_TODAY).await == "1 of 3" {
            break returned.elapsed();
        }
        assert!(
            returned.elapsed() < WAIT,
            "the screen did not show the submission within {WAIT:?}: {}",
            board_text(&b).await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        latency <= LIVE,
        "the screen showed the submission {} ms after it was made (at most {} ms)",
        latency.as_millis(),
        LIVE.as_millis()
    );
    let text = board_text(&b).await;
    assert!(
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains("Team 0 1 of 3"),
        "{text}"
    );
    // The swapped-in board is not dimmed as stale, and is still the whole board.
    let class = client
        .find(Locator::Css("main#briefing"))
        .await
        .expect("the board")
        .attr("class")
        .await
        .expect("class");
    assert!(
        !class.unwrap_or_default().contains("stale-view"),
        "the board is dimmed"
    );
    wait_css(&client, "main#briefing header.briefing-head h1").await;
    if let Some(name) = shots {
        screenshot(&b, 1280, &format!("{name}-live-1280.png")).await;
    }
    latency
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_briefing_shows_a_submission_made_elsewhere_within_a_second() {
    if !browser_installed("live_briefing_shows_a_submission_made_elsewhere_within_a_second") {
        return;
    }
    let db = TestDb::sqlite().await;
    let app = TestApp::spawn(&db, support::utc(NOW)).await;
    let cohort = app.cohort(START, &support::people_csv(6, 2)).await;
    app.release_due().await;

    let link = read_only_link(&mut app.browser(MANAGER).await, cohort).await;
    let officer = app.browser(OFFICER).await;
    let latency = with_chromium(1280, move |b| {
        watch(b, link, officer, cohort, Some("briefing"))
    })
    .await;
    println!(
        "briefing updated {} ms after the submission",
        latency.as_millis()
    );

    drop(app);
    db.cleanup().await;
}

/// One of several `muster serve` processes behind a load balancer: its own store (pool) on the
/// shared database, its own router on a random port, and the leaderboards and live updates in the
/// shared Redis.
struct RedisApp {
    base: String,
    services: Services,
    _outbox: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for RedisApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl RedisApp {
    /// Serves muster over `db_url` with the clock at `now`, the board in Redis at `redis_url`
    /// under `prefix`, and live updates through that Redis.
    async fn spawn(db_url: &str, now: DateTime<Utc>, redis_url: &str, prefix: &str) -> RedisApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let outbox = tempfile::tempdir().expect("outbox");
        let store = Store::connect(db_url)
            .await
            .expect("connect to the database");
        let mut services = support::app::services(store, Clock::manual(now), outbox.path(), &base);
        services.board = Board::redis(redis_url, prefix)
            .await
            .expect("connect the board to Redis");
        services.live = Live::redis(redis_url, prefix)
            .await
            .expect("connect live updates to Redis");
        let app = router(AppState::new(services.clone()));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        RedisApp {
            base,
            services,
            _outbox: outbox,
            server,
        }
    }

    /// A client signed in as `email` on this server, through a real sign-in link.
    async fn browser(&self, email: &str) -> Browser {
        let person = muster::store::people::by_email(self.services.store.pool(), email)
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("no person {email}"));
        let link = muster::app::signin::issue_link(
            &self.services,
            person.id,
            chrono::Duration::minutes(20),
        )
        .await
        .expect("link");
        let mut browser = Browser::new(&self.base);
        browser.follow_signin_link(&link).await;
        browser
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_briefing_updates_across_servers_through_redis() {
    let test = "live_briefing_updates_across_servers_through_redis";
    let Some(redis_url) = support::service_url("TEST_REDIS_URL", "Redis", test) else {
        return;
    };
    if !browser_installed(test) {
        return;
    }
    let db = TestDb::sqlite().await;
    let now = support::utc(NOW);
    let cohort = {
        let setup = TestApp::spawn(&db, now).await;
        let cohort = setup.cohort(START, &support::people_csv(6, 2)).await;
        setup.release_due().await;
        cohort
    };
    // One board for both servers, apart from other tests'.
    let prefix = format!(
        "test:{}:briefing:{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    let _sweep = support::RedisSweep {
        url: redis_url.clone(),
        prefix: prefix.clone(),
    };
    let a = RedisApp::spawn(&db.url, now, &redis_url, &prefix).await;
    let b = RedisApp::spawn(&db.url, now, &redis_url, &prefix).await;

    // The screen is on server A; officer0 completes the day through server B.
    let link = read_only_link(&mut a.browser(MANAGER).await, cohort).await;
    let officer = b.browser(OFFICER).await;
    let latency = with_chromium(1280, move |chromium| {
        watch(chromium, link, officer, cohort, None)
    })
    .await;
    println!(
        "briefing on server A updated {} ms after the submission to server B",
        latency.as_millis()
    );

    for app in [a, b] {
        let store = app.services.store.clone();
        drop(app);
        store.close().await;
    }
    db.cleanup().await;
}

/// What a script measures of the TV screen: the page's scroll size against the viewport, and each
/// panel's box (inside the viewport, and its content inside the panel).
const MEASURE: &str = "var vw = window.innerWidth, vh = window.innerHeight, d = document.documentElement;\
  var boxes = Array.prototype.map.call(document.querySelectorAll('#briefing > header, #briefing section'), function (s) {\
    var r = s.getBoundingClientRect();\
    return { name: s.getAttribute('aria-labelledby') || 'header',\
      inside: r.top >= 0 && r.left >= 0 && r.bottom <= vh + 0.5 && r.right <= vw + 0.5,\
      fits: s.scrollHeight <= s.clientHeight + 1 && s.scrollWidth <= s.clientWidth + 1 };\
  });\
  return { scroll: [d.scrollWidth, d.scrollHeight], viewport: [vw, vh], boxes: boxes,\
    ranks: Array.prototype.map.call(document.querySelectorAll('ol.ranked .rank'), function (e) { return e.textContent; }),\
    mine: Array.prototype.map.call(document.querySelectorAll('ol.ranked li.mine'), function (e) { return e.textContent.replace(/\\s+/g, ' ').trim(); }) };";

/// Opens the screen at `width` x `height` and checks it fits: nothing scrolls, every panel lies
/// inside the viewport and holds its content. Saves `target/screenshots/NAME`.
async fn fits(b: &Chromium, url: &str, width: u32, height: u32, name: &str) -> serde_json::Value {
    set_viewport(b, width, height).await;
    b.client.goto(url).await.expect("open the screen");
    wait_css(&b.client, "main#briefing header.briefing-head h1").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let seen = script(&b.client, MEASURE).await;
    assert_eq!(
        seen["scroll"], seen["viewport"],
        "{width}x{height}: the page scrolls: {seen}"
    );
    for panel in seen["boxes"].as_array().expect("panels") {
        assert_eq!(
            panel["inside"], true,
            "{width}x{height}: {panel} is cut off"
        );
        assert_eq!(panel["fits"], true, "{width}x{height}: {panel} overflows");
    }
    let png = b.client.screenshot().await.expect("a screenshot");
    let dir = crate::support::browser::screenshots_dir();
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    std::fs::write(dir.join(name), png).expect("save a screenshot");
    seen
}

/// Waits up to 30 s for the screen's connection notice to say `words`; returns how long it took.
async fn notice(b: &Chromium, words: &str) -> Duration {
    let started = Instant::now();
    loop {
        let shown = script(
            &b.client,
            "var c = document.getElementById('connection'); return c.hidden ? '' : c.textContent;",
        )
        .await;
        if shown.as_str().unwrap_or_default().contains(words) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no \"{words}\" on the screen within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn tv_screen(
    b: Chromium,
    url: String,
    axe: String,
    mut proxy: Proxy,
    app: TestApp,
    cohort: i64,
) {
    for (width, height) in [(1920, 1080), (1280, 720), (1366, 768)] {
        let seen = fits(&b, &url, width, height, &format!("tv-{width}x{height}.png")).await;
        let ranks: Vec<String> = serde_json::from_value(seen["ranks"].clone()).unwrap();
        assert_eq!(ranks.len(), 8, "every team is ranked: {seen}");
        assert_eq!(ranks[0], "1");
        let mine: Vec<String> = serde_json::from_value(seen["mine"].clone()).unwrap();
        assert_eq!(mine.len(), 1);
        assert!(mine[0].contains("Team 0 (this screen's team)"), "{mine:?}");
    }
    let violations = crate::support::browser::axe_violations(&b.client, &axe).await;
    assert_eq!(violations, Vec::<String>::new());
    // A still screen for those who ask for less motion: it fits the same way.
    b.reduce_motion().await;
    fits(&b, &url, 1280, 720, "tv-still-1280x720.png").await;

    // The connection drops: the screen says so, then reconnects by itself and catches up.
    proxy.cut();
    let took = notice(&b, "Connection lost").await;
    println!("connection lost shown after {} ms", took.as_millis());
    proxy.restore().await;
    let mut officer = app.browser("officer24@force.police.uk").await;
    submit_day_one(&mut officer, cohort).await;
    let back = Instant::now();
    loop {
        let state = script(
            &b.client,
            "return document.getElementById('connection').hidden && !document.getElementById('briefing').classList.contains('stale-view');",
        )
        .await;
        if state.as_bool() == Some(true) {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(30),
            "did not reconnect within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_xpath_text(&b, TEAM0_TODAY, "4 of 4").await;

    // Revoked: the screen says so and stops showing the figures.
    let mut manager = app.browser(MANAGER).await;
    let links = format!("/c/{cohort}/briefing/links");
    let page = manager.get(&links).await.body;
    let revoke = regex::Regex::new(r#"action="(/c/\d+/briefing/links/\d+/revoke)""#)
        .unwrap()
        .captures(&page)
        .expect("a revoke form")[1]
        .to_string();
    let csrf = crate::support::app::form_token(&page);
    assert_eq!(manager.post(&revoke, &[("csrf", &csrf)]).await.status, 303);
    let took = notice(&b, "revoked").await;
    println!("revoked shown after {} ms", took.as_millis());
    let hidden = script(
        &b.client,
        "return document.getElementById('briefing').hidden;",
    )
    .await;
    assert_eq!(
        hidden.as_bool(),
        Some(true),
        "a revoked screen shows no figures"
    );
    let png = b.client.screenshot().await.expect("a screenshot");
    std::fs::write(
        crate::support::browser::screenshots_dir().join("tv-revoked.png"),
        png,
    )
    .unwrap();
}

/// Waits for the node at `xpath` to read `want`.
async fn wait_xpath_text(b: &Chromium, xpath: &str, want: &str) {
    let started = Instant::now();
    while text_at(b, xpath).await != want {
        assert!(
            started.elapsed() < WAIT,
            "{xpath} is not {want}: {}",
            board_text(b).await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tv_screen_fits_ranks_every_team_and_says_when_it_is_cut_off() {
    let test = "the_tv_screen_fits_ranks_every_team_and_says_when_it_is_cut_off";
    if !browser_installed(test) {
        return;
    }
    let Some(axe) = crate::support::browser::axe_source(test) else {
        return;
    };
    let db = TestDb::sqlite().await;
    let app = TestApp::spawn(&db, support::utc(NOW)).await;
    // 8 teams; Team 0 has officers 0, 8, 16 and 24.
    let cohort = app.cohort(START, &support::people_csv(32, 8)).await;
    app.release_due().await;
    for i in [0, 1, 2, 3, 5, 8, 9, 11, 16, 17, 20, 25, 30] {
        let mut officer = app.browser(&format!("officer{i}@force.police.uk")).await;
        submit_day_one(&mut officer, cohort).await;
    }
    let link = read_only_link(&mut app.browser(MANAGER).await, cohort).await;
    let proxy = Proxy::start(app.base.trim_start_matches("http://")).await;
    let url = link.replace(
        app.base.trim_start_matches("http://"),
        &format!("127.0.0.1:{}", proxy.port),
    );
    with_chromium(1920, move |b| tv_screen(b, url, axe, proxy, app, cohort)).await;
    db.cleanup().await;
}
