//! Release reminders for a cohort of 10,000 delivered to a local SMTP server through the outbox
//! sender and its pooled relay connections: `cargo bench --bench mail`.
//!
//! Each of two relays, on SQLite and (when `TEST_DATABASE_URL` names a server) PostgreSQL:
//! - aiosmtpd (Debian's `python3-aiosmtpd`, saving to a Maildir): the relay the tests use, one
//!   Python process, which alone takes about 170 messages a second from one client;
//! - Postfix's `smtp-sink` (Debian's `postfix`; `/usr/sbin/smtp-sink`), a small C server that
//!   writes each message to a file: a relay that is not the bottleneck. Skipped when absent.
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
const SMTP_SINK: &str = "/usr/sbin/smtp-sink";

#[tokio::main]
async fn main() {
    let mut backends = vec!["SQLite"];
    if std::env::var("TEST_DATABASE_URL").is_ok() {
        backends.push("PostgreSQL");
    }
    let mut relays = vec!["aiosmtpd"];
    if Path::new(SMTP_SINK).exists() {
        relays.push("smtp-sink");
    } else {
        println!("smtp-sink: skipped (install Debian's postfix for {SMTP_SINK})");
    }
    for relay in relays {
        for backend in &backends {
            bench(backend, relay).await;
        }
    }
}

/// One run: a fresh database and a fresh relay.
async fn bench(backend: &str, relay_name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let listen = format!("127.0.0.1:{port}");
    let received = dir.path().join("received");
    let mut command = if relay_name == "aiosmtpd" {
        let mut command = tokio::process::Command::new("/usr/bin/python3");
        command
            .args(["-m", "aiosmtpd", "-n", "-l", &listen])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&received);
        command
    } else {
        // smtp-sink runs as an unprivileged user, who must be able to write the files.
        std::fs::create_dir_all(&received).expect("a folder for the messages");
        let open = std::os::unix::fs::PermissionsExt::from_mode(0o777);
        std::fs::set_permissions(&received, open).expect("open the folder");
        let template = format!("{}/%H%M%S.", received.display());
        let mut command = tokio::process::Command::new(SMTP_SINK);
        command.args(["-u", "nobody", "-d", &template, &listen, "256"]);
        command
    };
    let mut relay = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the relay (python3-aiosmtpd, or postfix for smtp-sink)");
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let schema = format!("bench_mail_{}_{port}", std::process::id());
    let url = if backend == "PostgreSQL" {
        let url = std::env::var("TEST_DATABASE_URL").unwrap_or_default();
        let store = Store::connect(&url).await.expect("connect");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(store.pool())
            .await
            .expect("schema");
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}options=-c%20search_path%3D{schema}")
    } else {
        format!("sqlite://{}", dir.path().join("bench.db").display())
    };
    let counted = |dir: &Path| {
        // aiosmtpd's Maildir puts each message in new/; smtp-sink one file each in the folder.
        let folder = if relay_name == "aiosmtpd" {
            dir.join("new")
        } else {
            dir.to_path_buf()
        };
        std::fs::read_dir(folder).map(|d| d.count()).unwrap_or(0)
    };
    let took = run(&url, port).await;
    let got = counted(&received);
    assert_eq!(got, PEOPLE, "every reminder reached the relay once");
    println!(
        "{backend}, {relay_name}: release reminders to {PEOPLE} delivered in {:.1} s ({:.0}/s, target < 60 s)",
        took.as_secs_f64(),
        PEOPLE as f64 / took.as_secs_f64()
    );
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

/// Releases day 1 to a cohort of [`PEOPLE`] and sends every reminder through the relay on
/// `port`; how long that took.
async fn run(url: &str, port: u16) -> Duration {
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
    assert_eq!(sent, PEOPLE);
    store.close().await;
    took
}
