//! Release reminders for a cohort of 10,000 delivered to a local SMTP server (aiosmtpd, Debian's
//! `python3-aiosmtpd`, saving to a Maildir) through the outbox sender and its pooled relay
//! connections: `cargo bench --bench mail` (PostgreSQL when `TEST_DATABASE_URL` is set, else
//! SQLite).
//!
//! Target: all 10,000 delivered in under 60 s, from the release's commit to the last mark sent.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use muster::app::jobs::outbox::{Sender, drain};
use muster::app::release::release_day;
use muster::app::{Outside, Services};
use muster::board::Board;
use muster::clock::Clock;
use muster::domain::Day;
use muster::mail::Mailer;
use muster::rules::safeguarding::Checker;
use muster::store::Store;

#[path = "common/cohort.rs"]
mod cohort;

const PEOPLE: usize = 10_000;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let maildir = dir.path().join("maildir");
    let mut relay = tokio::process::Command::new("/usr/bin/python3")
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&maildir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("aiosmtpd (install python3-aiosmtpd)");
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (backend, url) = match std::env::var("TEST_DATABASE_URL") {
        Ok(url) => ("PostgreSQL", url),
        Err(_) => (
            "SQLite",
            format!("sqlite://{}", dir.path().join("bench.db").display()),
        ),
    };
    let schema = format!("bench_mail_{}", std::process::id());
    let url = if backend == "PostgreSQL" {
        let store = Store::connect(&url).await.expect("connect");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(store.pool())
            .await
            .expect("schema");
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}options=-c%20search_path%3D{schema}")
    } else {
        url
    };
    run(backend, &url, port, &maildir).await;
    if backend == "PostgreSQL" {
        let store = Store::connect(&std::env::var("TEST_DATABASE_URL").unwrap_or_default())
            .await
            .expect("connect");
        sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
            .execute(store.pool())
            .await
            .expect("drop schema");
    }
    let _ = relay.start_kill();
}

async fn run(backend: &str, url: &str, port: u16, maildir: &Path) {
    let store = Store::connect(url).await.expect("connect");
    store.migrate().await.expect("migrate");
    let now: DateTime<Utc> = "2027-01-04T06:00:30Z".parse().expect("instant");
    let services = Services::new(Outside {
        store: store.clone(),
        clock: Clock::manual(now),
        mailer: Mailer::new(
            Some(&format!("smtp://127.0.0.1:{port}")),
            std::env::temp_dir(),
            "muster <muster@localhost>",
        )
        .expect("mailer"),
        safeguarding: Checker::standard(),
        board: Board::in_memory(),
        live: muster::live::Live::local(),
        base_url: "https://muster.example.org".into(),
    });
    let id = cohort::create(&services, now - chrono::Duration::days(30)).await;
    cohort::enrol(&services.at(now - chrono::Duration::days(1)), id, PEOPLE).await;
    let cohort = muster::app::cohort::get(&services, id)
        .await
        .expect("cohort");
    let sender = Sender::new(services.clone(), "bench".into());

    let start = Instant::now();
    release_day(&services, &cohort, Day::FIRST, now)
        .await
        .expect("release")
        .expect("released");
    let mut sent = 0;
    while muster::store::outbox::pending(store.pool())
        .await
        .expect("pending")
        > 0
    {
        let pass = drain(&sender).await.expect("a pass");
        assert!(!pass.relay_away, "the relay went away");
        sent += pass.sent;
    }
    let took = start.elapsed();
    let received = std::fs::read_dir(maildir.join("new"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(sent, PEOPLE);
    assert_eq!(received, PEOPLE, "every reminder reached the relay once");
    println!(
        "{backend}: release reminders to {PEOPLE} delivered to aiosmtpd in {:.1} s ({:.0}/s, target < 60 s)",
        took.as_secs_f64(),
        PEOPLE as f64 / took.as_secs_f64()
    );
    store.close().await;
}
