//! The smaller holes a probe found, each kept closed, over HTTP on both backends:
//! - a NUL character anywhere in a request is refused at the edge with a 400 (and no error logged);
//! - sign-in links stay out of the log, and the outbox and the SQLite database are readable by
//!   muster's own user only;
//! - sign-in requests are limited per address (exactly, however many arrive at once) and per
//!   client, and answered alike for known and unknown addresses without waiting for the relay;
//! - nothing but the hashed assets may be kept by a browser's or a proxy's cache;
//! - a briefing screen's event stream ends soon after its link is revoked or its session ends.

use crate::support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::TestDb;
use crate::support::app::{Browser, TestApp, form_token};
use crate::support::process::{RunningCohort, ServerProcess, client, submit};

/// The sign-in link's secret, from the URL `issue_link` makes.
async fn signed_in(cohort: &RunningCohort, base: &str, person_id: i64) -> Browser {
    let link = muster::app::signin::issue_link(
        &cohort.services,
        muster::domain::PersonId(person_id),
        chrono::Duration::minutes(20),
    )
    .await
    .expect("a sign-in link");
    let secret = link.rsplit('/').next().expect("a secret");
    let mut browser = Browser::new(base);
    let done = browser
        .follow_signin_link(&format!("{base}/signin/{secret}"))
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    browser
}

async fn nul_is_refused_at_the_edge(db: &TestDb) {
    let cohort = RunningCohort::seed(db, 2, 1).await;
    let server = ServerProcess::start(&db.url, None).await;
    let base = server.base.clone();
    let api = client();
    let (person_id, token) = cohort.people[0].clone();

    // Before signing in: the sign-in form, with %00 in the address.
    let mut visitor = Browser::new(&base);
    let csrf = form_token(&visitor.get("/signin").await.body);
    let page = visitor
        .post_raw(
            "/signin",
            format!("csrf={csrf}&email=officer0%40force.police.uk%00"),
        )
        .await;
    assert_eq!(page.status, 400, "{}", page.body);
    assert!(page.body.contains("NUL character"), "{}", page.body);

    // The API: a reflection, and an idempotency key, holding \u0000.
    let refused = |answer: support::process::Answer| {
        let (status, body) = answer.expect("an answer");
        assert_eq!(status, 400, "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(json["error"]["code"], "bad_request", "{body}");
    };
    let day = cohort.day;
    refused(
        submit(
            &api,
            &base,
            cohort.id,
            day,
            &token,
            "k-1",
            "I learnt\u{0} a lot",
        )
        .await,
    );
    refused(
        submit(
            &api,
            &base,
            cohort.id,
            day,
            &token,
            "k\u{0}2",
            "I learnt a lot",
        )
        .await,
    );
    // ... and in a query string.
    let feed = api
        .get(format!(
            "{base}/api/v1/cohorts/{}/feed?after=%00",
            cohort.id
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("an answer");
    let status = feed.status().as_u16();
    refused(Ok((status, feed.text().await.expect("a body"))));

    // Signed in: a token name, and a page's query string.
    let mut officer = signed_in(&cohort, &base, person_id).await;
    let csrf = officer.csrf().await;
    let page = officer
        .post(
            "/account/tokens",
            &[("csrf", &csrf), ("name", "Teams\0bot")],
        )
        .await;
    assert_eq!(page.status, 400, "{}", page.body);
    let page = officer
        .get(&format!("/c/{}/feed?after=%00", cohort.id))
        .await;
    assert_eq!(page.status, 400, "{}", page.body);

    // Nothing was stored, the same requests without the NUL work, and nothing was logged as an error.
    assert!(
        support::process::reflections(db, cohort.id)
            .await
            .is_empty()
    );
    let (status, body) = submit(&api, &base, cohort.id, day, &token, "k-1", "I learnt a lot")
        .await
        .expect("an answer");
    assert_eq!(status, 201, "{body}");
    let page = officer
        .post("/account/tokens", &[("csrf", &csrf), ("name", "Teams bot")])
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let log = server.log();
    assert!(!log.contains("ERROR"), "{log}");
}
on_both_backends!(nul_refused, nul_is_refused_at_the_edge);

/// A file's or folder's permission bits.
fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// `muster serve` logging at info level (as it does by default), mail to `DATA_DIR/outbox`.
struct InfoServer {
    base: String,
    data_dir: PathBuf,
    log: PathBuf,
    _child: tokio::process::Child,
    _dir: tempfile::TempDir,
}

impl InfoServer {
    async fn start(db_url: &str) -> InfoServer {
        use tokio::io::AsyncBufReadExt;
        let dir = tempfile::tempdir().expect("a temp dir");
        let data_dir = dir.path().join("data");
        let log = dir.path().join("server.log");
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_muster"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .current_dir(dir.path())
            .env("DATABASE_URL", db_url)
            .env("MUSTER_DATA_DIR", &data_dir)
            .env(
                "MUSTER_PACKS_DIR",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges"),
            )
            .env("RUST_LOG", "info")
            .env_remove("MUSTER_CONFIG")
            .env_remove("MUSTER_SMTP_URL")
            .env_remove("MUSTER_BASE_URL")
            .env_remove("REDIS_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("a log file"))
            .kill_on_drop(true)
            .spawn()
            .expect("muster serve");
        let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
        let first = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .expect("muster serve starts within a minute")
            .expect("its output")
            .unwrap_or_default();
        let base = first
            .strip_prefix("muster is serving on ")
            .unwrap_or_else(|| {
                panic!(
                    "unexpected first line {first:?}; log:\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            })
            .to_string();
        InfoServer {
            base,
            data_dir,
            log,
            _child: child,
            _dir: dir,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).expect("the server log")
    }
}

/// The sign-in `.eml` files in `outbox` (releases put reminders there too), waiting up to 5 s
/// for there to be `n`.
async fn outbox_files(outbox: &Path, n: usize) -> Vec<PathBuf> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let files = crate::support::app::sign_in_mail_in(outbox);
        if files.len() >= n || Instant::now() >= deadline {
            return files;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn sign_in_mail_stays_private(db: &TestDb) {
    let _cohort = RunningCohort::seed(db, 2, 1).await;
    let server = InfoServer::start(&db.url).await;
    let mut visitor = Browser::new(&server.base);
    let csrf = form_token(&visitor.get("/signin").await.body);
    let page = visitor
        .post(
            "/signin",
            &[("csrf", &csrf), ("email", "officer0@force.police.uk")],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let outbox = server.data_dir.join("outbox");
    let files = outbox_files(&outbox, 1).await;
    assert_eq!(files.len(), 1, "one sign-in mail in {}", outbox.display());
    let mail = std::fs::read_to_string(&files[0]).expect("the mail");
    let secret = regex::Regex::new(r"/signin/([0-9a-f]{64})")
        .unwrap()
        .captures(&mail)
        .expect("a sign-in link in the mail")[1]
        .to_string();

    // The data folder and the outbox were made by the server: its user's alone, as is the mail.
    assert_eq!(mode(&server.data_dir), 0o700);
    assert_eq!(mode(&outbox), 0o700);
    assert_eq!(mode(&files[0]), 0o600);
    // The log (at info level) says a mail was written, but not the link, nor to whom.
    let log = server.log();
    assert!(log.contains("email written to the outbox"), "{log}");
    assert!(!log.contains(&secret), "{log}");
    assert!(!log.contains("/signin/"), "{log}");
    assert!(!log.contains("officer0@"), "{log}");
}
on_both_backends!(private_sign_in_mail, sign_in_mail_stays_private);

/// A new SQLite database, its `-wal` and `-shm` files and any folder made for it are readable by
/// muster's own user only.
#[tokio::test]
async fn a_new_sqlite_database_is_private() {
    let temp = tempfile::tempdir().expect("a temp dir");
    let folder = temp.path().join("var").join("muster");
    let file = folder.join("muster.db");
    let store = muster::store::Store::connect(&format!("sqlite://{}", file.display()))
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    for path in [temp.path().join("var"), folder.clone()] {
        assert_eq!(mode(&path), 0o700, "{}", path.display());
    }
    for name in ["muster.db", "muster.db-wal", "muster.db-shm"] {
        assert_eq!(mode(&folder.join(name)), 0o600, "{name}");
    }
    store.close().await;
}

/// A visitor's sign-in form: its cookie header and form token.
async fn signin_form(base: &str) -> (String, String) {
    let mut visitor = Browser::new(base);
    let csrf = form_token(&visitor.get("/signin").await.body);
    (
        format!("muster_form={}", visitor.cookie_value("muster_form")),
        csrf,
    )
}

/// `POST /signin` for `email` with the form, and an `X-Forwarded-For` header when given: the
/// status and the page.
async fn ask_for_link(
    base: &str,
    (cookie, csrf): &(String, String),
    email: &str,
    forwarded_for: Option<&str>,
) -> (u16, String) {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("csrf", csrf.as_str()), ("email", email)])
        .finish();
    let mut request = reqwest::Client::new()
        .post(format!("{base}/signin"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .timeout(Duration::from_secs(5))
        .body(body);
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a page"))
}

async fn links_of(db: &TestDb, email: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM signin_links l JOIN people p ON p.id = l.person_id WHERE p.email = $1",
    )
    .bind(email)
    .fetch_one(db.store.pool())
    .await
    .expect("count")
}

async fn sign_in_requests_are_limited(db: &TestDb) {
    let now = support::utc("2027-01-06T12:00:00Z");
    // Through a proxy, 30 clients at once ask for links to one address: exactly 3 are sent.
    let app = TestApp::spawn_behind_proxy(db, now).await;
    app.cohort("2027-01-04", &support::people_csv(30, 2)).await;
    let form = signin_form(&app.base).await;
    let mut asks = tokio::task::JoinSet::new();
    for i in 0..30 {
        let (base, form) = (app.base.clone(), form.clone());
        asks.spawn(async move {
            let client = format!("203.0.113.{i}");
            ask_for_link(&base, &form, "officer0@force.police.uk", Some(&client)).await
        });
    }
    while let Some(answer) = asks.join_next().await {
        let (status, page) = answer.expect("a request");
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("Check your email"), "{page}");
    }
    app.mail_sent().await;
    assert_eq!(links_of(db, "officer0@force.police.uk").await, 3);
    assert_eq!(outbox_files(app.outbox.path(), 3).await.len(), 3);

    // Straight from one client, whatever it says it forwards for: 20 requests in a quarter of an
    // hour, for any addresses, then 429s.
    let app = TestApp::spawn(db, now + chrono::Duration::hours(1)).await;
    let form = signin_form(&app.base).await;
    let mut asks = tokio::task::JoinSet::new();
    for i in 0..25 {
        let (base, form) = (app.base.clone(), form.clone());
        asks.spawn(async move {
            let email = format!("officer{i}@force.police.uk");
            let spoofed = format!("198.51.100.{i}");
            ask_for_link(&base, &form, &email, Some(&spoofed)).await
        });
    }
    let mut statuses = Vec::new();
    while let Some(answer) = asks.join_next().await {
        let (status, page) = answer.expect("a request");
        if status == 429 {
            assert!(page.contains("Too many sign-in links"), "{page}");
        }
        statuses.push(status);
    }
    statuses.sort();
    assert_eq!(statuses, [vec![200; 20], vec![429; 5]].concat());
    // A quarter of an hour later the client may ask again.
    app.clock.advance(chrono::Duration::minutes(15));
    let (status, page) = ask_for_link(&app.base, &form, "officer29@force.police.uk", None).await;
    assert_eq!(status, 200, "{page}");
    app.mail_sent().await;
}
on_both_backends!(signin_limits, sign_in_requests_are_limited);

/// A mail relay that takes connections and never says a word.
async fn silent_relay() -> (String, tokio::sync::mpsc::UnboundedReceiver<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("smtp://{}", listener.local_addr().expect("address"));
    let (connected, connections) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
            let _ = connected.send(());
        }
    });
    (url, connections)
}

async fn known_and_unknown_addresses_are_answered_alike_at_once(db: &TestDb) {
    let (relay, mut connections) = silent_relay().await;
    let app = TestApp::spawn_with_smtp(db, support::utc("2027-01-06T12:00:00Z"), &relay).await;
    app.cohort("2027-01-04", &support::people_csv(2, 1)).await;
    let form = signin_form(&app.base).await;
    let mut pages = Vec::new();
    for email in ["officer0@force.police.uk", "nobody@force.police.uk"] {
        let started = Instant::now();
        let (status, page) = ask_for_link(&app.base, &form, email, None).await;
        let took = started.elapsed();
        assert_eq!(status, 200, "{email}: {page}");
        assert!(
            took < Duration::from_secs(1),
            "{email}: answered in {took:?}"
        );
        pages.push(page.replace(email, "ADDRESS"));
    }
    assert_eq!(pages[0], pages[1]);
    // The known address's mail is on its way to the relay, after the answer.
    tokio::time::timeout(Duration::from_secs(5), connections.recv())
        .await
        .expect("the mail goes to the relay")
        .expect("a connection");
}
on_both_backends!(
    answered_alike,
    known_and_unknown_addresses_are_answered_alike_at_once
);

async fn only_assets_may_be_cached(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-06T12:00:00Z")).await;
    let cohort = app.cohort("2027-01-04", &support::people_csv(2, 1)).await;
    app.release_due().await;
    let token = app.token("officer0@force.police.uk").await;
    let mut officer = app.browser("officer0@force.police.uk").await;
    let manager = app.browser("manager0@force.police.uk").await;
    let session = |b: &Browser| format!("muster_session={}", b.cookie_value("muster_session"));
    let (officer_cookie, manager_cookie) = (session(&officer), session(&manager));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let cache_control = |response: &reqwest::Response| {
        response
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap_or_default().to_string())
    };

    let pages = [
        "/",
        "/signin",
        "/today",
        &format!("/c/{cohort}/day/1"),
        &format!("/c/{cohort}/journey"),
        &format!("/c/{cohort}/feed"),
        &format!("/c/{cohort}/leaderboard"),
        "/account",
        "/no-such-page",
        "/healthz",
    ];
    for path in pages {
        let response = client
            .get(format!("{}{path}", app.base))
            .header("cookie", &officer_cookie)
            .send()
            .await
            .expect("an answer");
        assert_eq!(
            cache_control(&response).as_deref(),
            Some("no-store"),
            "{path}"
        );
    }
    let response = client
        .get(format!("{}/c/{cohort}/briefing/links", app.base))
        .header("cookie", &manager_cookie)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    assert_eq!(cache_control(&response).as_deref(), Some("no-store"));
    // The page showing a new API token, once.
    let csrf = officer.csrf().await;
    let response = client
        .post(format!("{}/account/tokens", app.base))
        .header("cookie", &officer_cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&name=Teams+bot"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    assert_eq!(cache_control(&response).as_deref(), Some("no-store"));

    let api = [
        "/api/v1/today".to_string(),
        format!("/api/v1/cohorts/{cohort}/journey"),
        format!("/api/v1/cohorts/{cohort}/feed"),
        format!("/api/v1/cohorts/{cohort}/leaderboard"),
        format!("/api/v1/cohorts/{cohort}/badges"),
        "/api/v1/openapi.json".to_string(),
        "/api/v1/nothing-here".to_string(),
    ];
    for path in &api {
        for bearer in [token.as_str(), "mst_wrong"] {
            let response = client
                .get(format!("{}{path}", app.base))
                .bearer_auth(bearer)
                .send()
                .await
                .expect("an answer");
            assert_eq!(
                cache_control(&response).as_deref(),
                Some("no-store"),
                "{path}"
            );
        }
    }

    // The stylesheet, whose address changes with its content, is cached for a year.
    let style = regex::Regex::new(r#"/assets/style-[0-9a-f]+\.css"#)
        .unwrap()
        .find(&officer.get("/today").await.body)
        .expect("a stylesheet")
        .as_str()
        .to_string();
    let response = client
        .get(format!("{}{style}", app.base))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    assert_eq!(
        cache_control(&response).as_deref(),
        Some("public, max-age=31536000, immutable")
    );
}
on_both_backends!(cache_control, only_assets_may_be_cached);

/// Makes a read-only briefing link as `manager`; returns its path.
async fn briefing_link(manager: &mut Browser, cohort: i64) -> String {
    let url = manager.briefing_link(cohort, "Briefing room").await;
    url.strip_prefix(&manager.base).unwrap().to_string()
}

/// Opens an event stream with the given cookie.
async fn open_events(base: &str, path: &str, cookie: &str) -> reqwest::Response {
    let stream = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("an answer");
    assert_eq!(stream.status(), 200, "{path}");
    stream
}

/// How long an event stream takes to end, or `None` if it is still open after `within`.
async fn ends_within(mut stream: reqwest::Response, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    loop {
        let left = within.checked_sub(started.elapsed())?;
        match tokio::time::timeout(left, stream.chunk()).await {
            Err(_) => return None,
            Ok(Ok(Some(_))) => continue,
            Ok(Ok(None) | Err(_)) => return Some(started.elapsed()),
        }
    }
}

async fn a_revoked_screen_stops_hearing(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let cohort = app.cohort("2027-01-04", &support::people_csv(4, 1)).await;
    app.release_due().await;
    let mut manager = app.browser("manager0@force.police.uk").await;
    let revoked = briefing_link(&mut manager, cohort).await;
    let kept = briefing_link(&mut manager, cohort).await;
    let revoked_stream = open_events(&app.base, &format!("{revoked}/events"), "").await;
    let kept_stream = open_events(&app.base, &format!("{kept}/events"), "").await;

    // Revoke the first link (the older of the two on the links page).
    let links = manager
        .get(&format!("/c/{cohort}/briefing/links"))
        .await
        .body;
    let revoke = regex::Regex::new(r#"action="(/c/\d+/briefing/links/\d+/revoke)""#)
        .unwrap()
        .captures(&links)
        .expect("a revoke form")[1]
        .to_string();
    let csrf = form_token(&links);
    assert_eq!(manager.post(&revoke, &[("csrf", &csrf)]).await.status, 303);
    let took = ends_within(revoked_stream, Duration::from_secs(5)).await;
    assert!(took.is_some_and(|t| t < Duration::from_secs(4)), "{took:?}");

    // The other screen still hears a change.
    let mut officer = app.browser("officer0@force.police.uk").await;
    let (csrf, key) = officer.day_form(cohort, 1).await;
    officer
        .post(
            &format!("/c/{cohort}/day/1"),
            &[("csrf", &csrf), ("key", &key)],
        )
        .await;
    let mut kept_stream = kept_stream;
    let mut seen = String::new();
    while !seen.contains("event: change") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), kept_stream.chunk())
            .await
            .expect("a change within 5 s")
            .expect("the stream")
            .expect("still open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }

    // A manager's own screen goes dark when they sign out.
    let cookie = format!("muster_session={}", manager.cookie_value("muster_session"));
    let signed_in = open_events(&app.base, &format!("/c/{cohort}/briefing/events"), &cookie).await;
    let csrf = manager.csrf().await;
    assert_eq!(
        manager.post("/signout", &[("csrf", &csrf)]).await.status,
        200
    );
    let took = ends_within(signed_in, Duration::from_secs(5)).await;
    assert!(took.is_some_and(|t| t < Duration::from_secs(4)), "{took:?}");
}
on_both_backends!(revoked_briefing, a_revoked_screen_stops_hearing);
