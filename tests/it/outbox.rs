//! The outbox through a real SMTP server process (aiosmtpd): release reminders (one per person,
//! none on a rest day) with their headers and one-tap link, one-click unsubscribe with no session,
//! a permanent refusal recorded, the relay away and back, `muster serve` SIGKILLed mid-send, and
//! two servers sending from one database.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::app::{Browser, TestApp, form_token};
use crate::support::process::{RunningCohort, muster};
use crate::support::smtp::{Relay, SmtpServer, free_port, header};
use crate::support::{self, TestDb};
use muster::app::jobs::outbox::PARALLEL;

/// Day 1 of a cohort starting on 4 January 2027 is released at 06:00 London (UTC in winter).
const DAY_ONE: &str = "2027-01-04T06:00:30Z";

/// The one link in `message` that matches `pattern`.
fn link(message: &str, pattern: &str) -> String {
    regex::Regex::new(pattern)
        .unwrap()
        .find(message)
        .unwrap_or_else(|| panic!("no {pattern} in:\n{message}"))
        .as_str()
        .to_string()
}

/// `(recipient, subject)` of every message the relay received.
fn received(smtp: &SmtpServer) -> Vec<(String, String)> {
    smtp.all()
        .iter()
        .map(|m| {
            (
                header(m, "X-RcptTo").unwrap_or_default(),
                header(m, "Subject").unwrap_or_default(),
            )
        })
        .collect()
}

pub(crate) async fn unsubscribe(url: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("an answer");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a page"))
}

async fn reminders_at_release(db: &TestDb) {
    let Some(smtp) = SmtpServer::start("reminders_at_release").await else {
        return;
    };
    let app = TestApp::spawn_with_smtp(db, support::utc(DAY_ONE), &smtp.url()).await;
    let cohort = app.cohort("2027-01-04", &support::people_csv(3, 1)).await;
    app.release_due().await;
    app.mail_sent().await;
    let everyone = [
        "manager0@force.police.uk",
        "officer0@force.police.uk",
        "officer1@force.police.uk",
        "officer2@force.police.uk",
    ];
    let mut unsubscribe_urls = HashMap::new();
    for to in everyone {
        let m = smtp.wait_for_message_about(to, "Day 1: ").await;
        for (name, value) in [
            ("Auto-Submitted", "auto-generated"),
            ("Precedence", "bulk"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ] {
            assert_eq!(header(&m, name).as_deref(), Some(value), "{name}: {m}");
        }
        for name in ["Message-ID", "Date", "List-Id"] {
            assert!(header(&m, name).is_some(), "{name}: {m}");
        }
        assert!(
            header(&m, "Content-Type").is_some_and(|c| c.starts_with("multipart/alternative")),
            "{m}"
        );
        assert!(m.contains("text/html") && !m.contains("<img"), "{m}");
        let list = header(&m, "List-Unsubscribe").unwrap();
        unsubscribe_urls.insert(to, list.trim_matches(['<', '>']).to_string());
        assert!(m.contains(&format!("{}/preferences", app.base)), "{m}");
    }
    assert_eq!(smtp.count(), 4, "one reminder each: {:?}", received(&smtp));

    // The one-tap link signs in and opens the day.
    let officer0 = smtp
        .all()
        .into_iter()
        .find(|m| header(m, "X-RcptTo").as_deref() == Some("officer0@force.police.uk"));
    let open = link(
        &officer0.expect("officer0's reminder"),
        r"http://[^\s]+/signin/[0-9a-f]{64}\?next=/c/\d+/day/1",
    );
    let mut b = Browser::new(&app.base);
    let page = b.get(&open).await;
    let path = open.strip_prefix(&app.base).unwrap().to_string();
    let done = b.post(&path, &[("csrf", &form_token(&page.body))]).await;
    assert_eq!(done.status, 303);
    assert_eq!(done.location, Some(format!("/c/{cohort}/day/1")));

    // One-click unsubscribe: a POST with no session; a second use or a tampered token changes
    // nothing and says so kindly.
    let url = &unsubscribe_urls["officer0@force.police.uk"];
    let (status, page) = unsubscribe(url).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("no more reminders"), "{page}");
    let (status, page) = unsubscribe(url).await;
    assert_eq!(status, 404, "{page}");
    assert!(page.contains("nothing was changed"), "{page}");
    let tampered = format!("{}0", &url[..url.len() - 1]);
    let tampered = if tampered == *url {
        format!("{}1", &url[..url.len() - 1])
    } else {
        tampered
    };
    assert_eq!(unsubscribe(&tampered).await.0, 404);

    // Day 2: officer1 marked it a rest day, officer0 unsubscribed.
    sqlx::query(
        "INSERT INTO rest_days (cohort_id, person_id, day, marked_at) \
         SELECT $1, id, 2, 0 FROM people WHERE email = 'officer1@force.police.uk'",
    )
    .bind(cohort)
    .execute(db.store.pool())
    .await
    .expect("a rest day");
    app.clock.advance(chrono::Duration::days(1));
    app.release_due().await;
    app.mail_sent().await;
    smtp.wait_for_message_about("officer2@force.police.uk", "Day 2: ")
        .await;
    smtp.wait_for_message_about("manager0@force.police.uk", "Day 2: ")
        .await;
    let mut day_two: Vec<String> = received(&smtp)
        .into_iter()
        .filter(|(_, subject)| subject.starts_with("Day 2: "))
        .map(|(to, _)| to)
        .collect();
    day_two.sort();
    assert_eq!(
        day_two,
        ["manager0@force.police.uk", "officer2@force.police.uk"]
    );
}
on_both_backends!(release_reminders, reminders_at_release);

/// A catch-up that releases several days at once (here a cohort created on its fourth day) sends
/// one reminder each, for the day to do now, not one per day released.
async fn a_catch_up_reminds_of_the_latest_day_only(db: &TestDb) {
    let Some(smtp) = SmtpServer::start("a_catch_up_reminds_of_the_latest_day_only").await else {
        return;
    };
    let fourth = support::utc(DAY_ONE) + chrono::Duration::days(3);
    let app = TestApp::spawn_with_smtp(db, fourth, &smtp.url()).await;
    app.cohort("2027-01-04", &support::people_csv(3, 1)).await;
    app.release_due().await;
    app.mail_sent().await;
    let subjects: Vec<String> = received(&smtp).into_iter().map(|(_, s)| s).collect();
    assert_eq!(subjects.len(), 4, "one reminder each: {subjects:?}");
    assert!(
        subjects.iter().all(|s| s.starts_with("Day 4: ")),
        "{subjects:?}"
    );
}
on_both_backends!(
    catch_up_reminders,
    a_catch_up_reminds_of_the_latest_day_only
);

async fn a_refusal_for_good_is_recorded(db: &TestDb) {
    let relay = Relay {
        refuse_prefix: Some("officer1@".into()),
        ..Relay::default()
    };
    let Some(smtp) = SmtpServer::start_with("a_refusal_for_good_is_recorded", relay).await else {
        return;
    };
    let app = TestApp::spawn_with_smtp(db, support::utc(DAY_ONE), &smtp.url()).await;
    let cohort = app.cohort("2027-01-04", &support::people_csv(3, 1)).await;
    app.release_due().await;
    app.mail_sent().await;
    assert_eq!(smtp.count(), 3, "{:?}", received(&smtp));
    let failed = muster::app::jobs::outbox::failed(&db.store, Some(cohort))
        .await
        .expect("failed mail");
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].email, "officer1@force.police.uk");
    assert!(failed[0].failure.contains("550"), "{failed:?}");

    // The change lead's list.
    let out = muster(
        &db.url,
        &["mail", "failed", "--cohort", &cohort.to_string()],
    );
    let text = &out.stdout;
    assert!(out.ok, "{text}{}", out.stderr);
    assert!(
        text.contains("officer1@force.police.uk") && text.contains("550"),
        "{text}"
    );
}
on_both_backends!(permanent_failure, a_refusal_for_good_is_recorded);

/// The relay is away when a day is released, then comes back: everything is delivered once,
/// the older release's messages first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_away_and_back() {
    let db = TestDb::sqlite().await;
    let port = free_port().expect("a port");
    let app = TestApp::spawn_with_smtp(
        &db,
        support::utc(DAY_ONE),
        &format!("smtp://127.0.0.1:{port}"),
    )
    .await;
    let older = app
        .cohort_named("Older", "2027-01-04", &support::people_csv(12, 1))
        .await;
    app.release_due().await;
    app.clock.advance(chrono::Duration::minutes(1));
    let newer = app
        .cohort_named("Newer", "2027-01-04", &support::people_csv(12, 1))
        .await;
    app.release_due().await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let pending = muster::store::outbox::pending(db.store.pool())
        .await
        .unwrap();
    assert_eq!(
        pending, 26,
        "nothing sent or given up while the relay is away"
    );
    let relay = Relay {
        port: Some(port),
        ..Relay::default()
    };
    let Some(smtp) = SmtpServer::start_with("the_relay_away_and_back", relay).await else {
        return;
    };
    let deadline = Instant::now() + Duration::from_secs(40);
    while smtp.count() < 26 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.mail_sent().await;
    let got = received(&smtp);
    assert_eq!(got.len(), 26, "{got:?}");
    let subjects: Vec<&str> = got.iter().map(|(_, s)| s.as_str()).collect();
    // Both cohorts' day 1 has the same title: tell them apart by the List-Id.
    let lists: Vec<String> = smtp
        .all()
        .iter()
        .map(|m| header(m, "List-Id").unwrap_or_default())
        .collect();
    let older_list = format!("released.cohort-{older}.");
    let last_older = lists.iter().rposition(|l| l.contains(&older_list)).unwrap();
    assert!(
        last_older < 13 + PARALLEL,
        "the older release goes first (up to {PARALLEL} at once): {lists:?} {subjects:?}"
    );
    assert!(
        lists
            .iter()
            .any(|l| l.contains(&format!("released.cohort-{newer}.")))
    );
    db.cleanup().await;
}

/// `muster serve` with mail through `smtp_url`, on the system clock.
struct MailServer {
    child: tokio::process::Child,
    _dir: tempfile::TempDir,
}

impl MailServer {
    async fn start(db_url: &str, smtp_url: &str) -> MailServer {
        use tokio::io::AsyncBufReadExt;
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_muster"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .current_dir(dir.path())
            .env("DATABASE_URL", db_url)
            .env("MUSTER_SMTP_URL", smtp_url)
            .env("MUSTER_DATA_DIR", dir.path().join("data"))
            .env(
                "MUSTER_PACKS_DIR",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges"),
            )
            .env("RUST_LOG", "warn")
            .env_remove("MUSTER_CONFIG")
            .env_remove("REDIS_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("muster serve");
        let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
        let first = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .expect("muster serve starts within a minute");
        assert!(
            first
                .ok()
                .flatten()
                .unwrap_or_default()
                .starts_with("muster is serving"),
            "muster serve did not start"
        );
        MailServer { child, _dir: dir }
    }

    /// SIGKILL: nothing flushed, nothing given back.
    async fn kill(&mut self) {
        self.child.start_kill().expect("SIGKILL");
        let _ = self.child.wait().await;
    }
}

/// Waits (up to `within`) until the outbox has nothing left to send.
async fn outbox_empties(db: &TestDb, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let pending = muster::store::outbox::pending(db.store.pool())
            .await
            .unwrap();
        if pending == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "{pending} messages still unsent");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Every sent message arrived at least once; returns how many arrived more than once.
async fn every_sent_message_arrived(db: &TestDb, smtp: &SmtpServer) -> usize {
    let sent: Vec<(String, i64)> = sqlx::query_as(
        "SELECT p.email, CAST(o.day AS BIGINT) FROM outbox o JOIN people p ON p.id = o.person_id \
         WHERE o.sent_at IS NOT NULL",
    )
    .fetch_all(db.store.pool())
    .await
    .expect("the sent messages");
    assert!(!sent.is_empty());
    let mut got: HashMap<(String, i64), usize> = HashMap::new();
    for (to, subject) in received(smtp) {
        let day = subject
            .strip_prefix("Day ")
            .and_then(|s| s.split(':').next())
            .and_then(|d| d.parse().ok())
            .unwrap_or(0);
        *got.entry((to, day)).or_default() += 1;
    }
    for message in &sent {
        assert!(got.contains_key(message), "{message:?} never arrived");
    }
    assert_eq!(got.len(), sent.len(), "nothing arrived that was not sent");
    got.values().map(|n| n - 1).sum()
}

async fn killed_mid_send(db: &TestDb) {
    let relay = Relay {
        delay: Duration::from_millis(150),
        ..Relay::default()
    };
    let Some(smtp) = SmtpServer::start_with("killed_mid_send", relay).await else {
        return;
    };
    let _cohort = RunningCohort::seed(db, 80, 2).await;
    let mut server = MailServer::start(&db.url, &smtp.url()).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while smtp.count() < 10 {
        assert!(Instant::now() < deadline, "no mail sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill().await;
    let at_kill = smtp.count();
    let pending = muster::store::outbox::pending(db.store.pool())
        .await
        .unwrap();
    assert!(pending > 0, "killed before the end ({at_kill} received)");
    // A new server takes over once the dead one's lease and claims run out.
    let _server = MailServer::start(&db.url, &smtp.url()).await;
    outbox_empties(db, Duration::from_secs(90)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let duplicates = every_sent_message_arrived(db, &smtp).await;
    eprintln!("killed after {at_kill} received; {duplicates} sent twice");
    assert!(duplicates <= PARALLEL, "{duplicates} duplicates");
}
on_both_backends!(sigkill_mid_send, killed_mid_send);

async fn two_servers_send_each_message_once(db: &TestDb) {
    let relay = Relay {
        delay: Duration::from_millis(20),
        ..Relay::default()
    };
    let Some(smtp) = SmtpServer::start_with("two_servers_send_each_message_once", relay).await
    else {
        return;
    };
    let _a = MailServer::start(&db.url, &smtp.url()).await;
    let _b = MailServer::start(&db.url, &smtp.url()).await;
    let _cohort = RunningCohort::seed(db, 60, 2).await;
    outbox_empties(db, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(every_sent_message_arrived(db, &smtp).await, 0);
}
on_both_backends!(two_servers, two_servers_send_each_message_once);
