//! Mail through a real SMTP server (aiosmtpd, skipped without it unless
//! `MUSTER_REQUIRE_SERVICES=1`) and to the outbox folder: the right recipient, subject and body,
//! with a long sign-in URL that a regex can still pull out whole.

use crate::support::smtp::{SmtpServer, header};
use muster::mail::{Email, MailError, Mailer};
use regex::Regex;

const FROM: &str = "muster <noreply@muster.test>";

/// A sign-in URL as long as the real ones (a 64-character token).
fn sign_in_url() -> String {
    format!(
        "http://127.0.0.1:8080/signin/{}",
        "0123456789abcdef".repeat(4)
    )
}

fn sign_in_email(address: &str, name: &str, url: &str) -> Email {
    Email {
        to_address: address.into(),
        to_name: name.into(),
        subject: "Your muster sign-in link".into(),
        text: format!(
            "Hello {name},\n\nOpen this link to sign in to muster:\n\n{url}\n\nIt works once, for the next \
             15 minutes. If you did not ask for it, you can ignore this email.\n"
        ),
    }
}

/// The only URL in `text`, as a reader of the email would find it.
fn only_url(text: &str) -> String {
    let urls: Vec<&str> = Regex::new(r"https?://[^\s<>]+")
        .unwrap()
        .find_iter(text)
        .map(|m| m.as_str())
        .collect();
    assert_eq!(urls.len(), 1, "expected one URL in:\n{text}");
    urls[0].to_string()
}

fn body(message: &str) -> &str {
    message.split_once("\n\n").map_or("", |(_, body)| body)
}

#[tokio::test]
async fn smtp_delivers_the_sign_in_link_intact() {
    let Some(server) = SmtpServer::start("smtp_delivers_the_sign_in_link_intact").await else {
        return;
    };
    let outbox = tempfile::tempdir().unwrap();
    let mailer = Mailer::new(Some(&server.url()), outbox.path().join("outbox"), FROM).unwrap();
    assert_eq!(
        mailer.describe(),
        format!("SMTP relay {} (no TLS)", server.url())
    );
    let url = sign_in_url();
    mailer
        .send(&sign_in_email("alex@force.police.uk", "Alex Smith", &url))
        .await
        .unwrap();

    let message = server.wait_for_message("alex@force.police.uk").await;
    let to = header(&message, "To").unwrap();
    assert!(
        to.contains("Alex Smith") && to.contains("<alex@force.police.uk>"),
        "{message}"
    );
    assert_eq!(
        header(&message, "X-RcptTo").as_deref(),
        Some("alex@force.police.uk")
    );
    assert_eq!(
        header(&message, "From").as_deref(),
        Some("muster <noreply@muster.test>")
    );
    assert_eq!(
        header(&message, "Subject").as_deref(),
        Some("Your muster sign-in link")
    );
    assert!(
        body(&message).starts_with("Hello Alex Smith,\n"),
        "{message}"
    );
    assert_eq!(only_url(body(&message)), url);
    // ASCII text goes untouched: the URL is whole in the raw message too, and no line is wrapped.
    assert_eq!(
        header(&message, "Content-Transfer-Encoding").as_deref(),
        Some("7bit")
    );
    assert!(
        body(&message)
            .contains("15 minutes. If you did not ask for it, you can ignore this email.\n"),
        "{message}"
    );
    assert!(
        !outbox.path().join("outbox").exists(),
        "nothing goes to the outbox"
    );
}

#[tokio::test]
async fn smtp_delivers_non_ascii_text_and_names() {
    let Some(server) = SmtpServer::start("smtp_delivers_non_ascii_text_and_names").await else {
        return;
    };
    let outbox = tempfile::tempdir().unwrap();
    let mailer = Mailer::new(Some(&server.url()), outbox.path().to_path_buf(), FROM).unwrap();
    let url = sign_in_url();
    mailer
        .send(&sign_in_email("zoe@force.police.uk", "Zoë Hart", &url))
        .await
        .unwrap();
    mailer
        .send(&sign_in_email("sam@force.police.uk", "Sam Okafor", &url))
        .await
        .unwrap();

    let sam = server.wait_for_message("sam@force.police.uk").await;
    assert!(body(&sam).starts_with("Hello Sam Okafor,\n"), "{sam}");
    let zoe = server.wait_for_message("zoe@force.police.uk").await;
    let to = header(&zoe, "To").unwrap();
    assert!(
        to.contains("Zoë Hart") && to.contains("<zoe@force.police.uk>"),
        "{zoe}"
    );
    assert!(body(&zoe).starts_with("Hello Zoë Hart,\n"), "{zoe}");
    assert_eq!(only_url(body(&zoe)), url);
}

#[tokio::test]
async fn the_outbox_gets_a_readable_eml_file() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("data").join("outbox");
    let mailer = Mailer::new(None, dir.clone(), FROM).unwrap();
    assert_eq!(
        mailer.describe(),
        format!("outbox folder {}", dir.display())
    );
    let url = sign_in_url();
    mailer
        .send(&sign_in_email("zoe@force.police.uk", "Zoë Hart", &url))
        .await
        .unwrap();

    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].to_string_lossy().ends_with(".eml"));
    // Read as is, with no decoding: this is what a developer opens.
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        eml.contains("Subject: Your muster sign-in link\r\n"),
        "{eml}"
    );
    assert!(eml.contains("<zoe@force.police.uk>"), "{eml}");
    assert!(eml.contains("Hello Zoë Hart,\r\n"), "{eml}");
    assert_eq!(only_url(&eml), url);
}

#[tokio::test]
async fn an_unreachable_relay_is_a_send_error_naming_it() {
    // Port 1 on this machine: nothing listens there, so the connection is refused at once.
    let temp = tempfile::tempdir().unwrap();
    let mailer = Mailer::new(
        Some("smtp://me:hunter2-pw@127.0.0.1:1"),
        temp.path().to_path_buf(),
        FROM,
    )
    .unwrap();
    let e = mailer
        .send(&sign_in_email(
            "alex@force.police.uk",
            "Alex",
            &sign_in_url(),
        ))
        .await
        .unwrap_err();
    assert!(matches!(e, MailError::Send { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("smtp://me:****@127.0.0.1:1 (no TLS)"),
        "{text}"
    );
    assert!(
        !text.contains("hunter2") && !format!("{e:?}").contains("hunter2"),
        "{text}"
    );
}

/// One message of each kind, written as the sender writes them, with names and text that need
/// escaping.
fn every_kind_of_message() -> Vec<(&'static str, muster::mail::Rich)> {
    use muster::app::digest::{DayDone, Digest, Highlight};
    use muster::app::messages::{self, DayReminder, DigestMail, ReportAlert};
    use muster::domain::Day;
    use muster::mail::List;
    let base = "https://muster.example.org";
    let list = |kind: &str| List {
        id: format!("{kind}.cohort-3.muster.example.org"),
        name: format!("{kind}, Birmingham East"),
        unsubscribe: format!("{base}/unsubscribe/{}", "ab".repeat(32)),
    };
    let link = format!("{base}/signin/{}", "0123456789abcdef".repeat(4));
    let reminder = |kind: &str| DayReminder {
        to_address: "zoe@force.police.uk",
        name: "Zoë <Hart>",
        cohort: "Birmingham East",
        day: Day::new(4).unwrap(),
        title: "Spot the phish",
        open_url: &link,
        preferences_url: "https://muster.example.org/preferences",
        list: list(kind),
    };
    let digest = |team: Option<&str>| Digest {
        team: team.map(str::to_string),
        day: Day::new(7).unwrap(),
        by_day: Day::up_to(7)
            .map(|day| DayDone {
                day,
                done: 5 - (day.get() as usize % 3),
                of: 6,
            })
            .collect(),
        streaks: vec![("Ann Lee".into(), 7), ("Raj Patel".into(), 4)],
        badges: vec![("Ann Lee".into(), "week-one".into())],
        highlights: vec![Highlight {
            name: "Raj Patel".into(),
            day: Day::new(6).unwrap(),
            text: "I checked the sender & it was <fake>.".into(),
        }],
        not_seen: vec!["Sam Okafor".into()],
    };
    let digest_mail = |kind: &str, d: &Digest| {
        messages::weekly_digest(&DigestMail {
            to_address: "lead@force.police.uk",
            name: "Jo Reader",
            cohort: "Birmingham East",
            digest: d,
            cohort_url: "https://muster.example.org/c/3",
            preferences_url: "https://muster.example.org/preferences",
            list: list(kind),
        })
    };
    let (team, cohort) = (digest(Some("Response Team 2")), digest(None));
    vec![
        (
            "sign-in",
            messages::sign_in("zoe@force.police.uk", "Zoë", &link, 20),
        ),
        ("released", messages::day_released(&reminder("released"))),
        (
            "closing",
            messages::day_closing(&reminder("closing"), "20:00 on Mon 4 Jan"),
        ),
        ("digest-manager", digest_mail("digest", &team)),
        ("digest-change-lead", digest_mail("digest", &cohort)),
        (
            "reported",
            messages::reflection_reported(&ReportAlert {
                to_address: "lead@force.police.uk",
                name: "Jo Reader",
                cohort: "Birmingham East",
                reports_url: "https://muster.example.org/c/3/reports",
                preferences_url: "https://muster.example.org/preferences",
                list: list("reported"),
            }),
        ),
    ]
}

/// Every kind of message's HTML in Chromium at 360 px: axe-core finds nothing to fix, and a
/// screenshot of each is saved as `target/screenshots/mail-KIND-360.png`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_message_passes_axe() {
    use crate::support::browser::{
        axe_source, axe_violations, browser_installed, screenshot, wait_css, with_chromium,
    };
    let test = "every_kind_of_message_passes_axe";
    if !browser_installed(test) {
        return;
    }
    let Some(axe) = axe_source(test) else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut pages = Vec::new();
    for (kind, rich) in every_kind_of_message() {
        let path = dir.path().join(format!("{kind}.html"));
        std::fs::write(&path, &rich.html).expect("write the message");
        pages.push((kind, format!("file://{}", path.display())));
    }
    let found = with_chromium(360, |b| async move {
        let mut found = Vec::new();
        for (kind, url) in pages {
            b.client.goto(&url).await.expect("open the message");
            let button = wait_css(&b.client, "main a").await;
            assert!(
                !button.text().await.unwrap_or_default().is_empty(),
                "{kind}"
            );
            screenshot(&b, 360, &format!("mail-{kind}-360.png")).await;
            for v in axe_violations(&b.client, &axe).await {
                found.push(format!("{kind}: {v}"));
            }
        }
        found
    })
    .await;
    assert_eq!(found, Vec::<String>::new());
    drop(dir);
}
