//! The weekly digest and the report alert through a real SMTP server process (aiosmtpd), on both
//! backends: a manager's digest shows their own team only and no private, team-only or anonymous
//! text; a change lead's shows the whole cohort; each goes once a week; and reporting a reflection
//! alerts the cohort's change leads.

use crate::briefing::submit;
use crate::support::app::TestApp;
use crate::support::process::muster;
use crate::support::smtp::{SmtpServer, header};
use crate::support::{self, TestDb};
use muster::app::jobs::Lease;
use muster::app::jobs::digest::Digests;
use muster::app::reminders::CohortReminders;

/// The messages whose subject starts with `prefix`, with their recipient.
fn about(smtp: &SmtpServer, prefix: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = smtp
        .all()
        .into_iter()
        .filter(|m| header(m, "Subject").is_some_and(|s| s.starts_with(prefix)))
        .filter_map(|m| Some((header(&m, "X-RcptTo")?, m)))
        .collect();
    found.sort();
    found
}

/// A cohort of `people` participants in `teams` teams, their managers and a change lead, on day
/// 1 (released on Monday 4 January 2027 at 06:00 UTC), mail going to a real SMTP server.
async fn day_one(
    db: &TestDb,
    test: &str,
    people: usize,
    teams: usize,
) -> Option<(SmtpServer, TestApp, i64)> {
    let smtp = SmtpServer::start(test).await?;
    let app = TestApp::spawn_with_smtp(db, support::utc("2027-01-04T06:00:30Z"), &smtp.url()).await;
    let mut csv = support::people_csv(people, teams);
    csv += "lead@force.police.uk,Lead Person,,change_lead\n";
    let cohort = app
        .cohort_with(test, "2027-01-04", &csv, CohortReminders::none())
        .await;
    app.release_due().await;
    Some((smtp, app, cohort))
}

async fn a_weekly_digest_per_reader_with_their_teams_news(db: &TestDb) {
    let Some((smtp, app, cohort)) = day_one(db, "weekly_digest", 4, 2).await else {
        return;
    };
    // Team 0 is officer0 and officer2, Team 1 officer1 and officer3.
    for (who, text, visibility) in [
        ("officer0", "ZERO shares with everyone", "cohort"),
        ("officer2", "TWO keeps it to the team", "team"),
        ("officer1", "ONE from the other team", "cohort"),
        ("officer3", "THREE stays anonymous", "anonymous"),
    ] {
        let mut b = app.browser(&format!("{who}@force.police.uk")).await;
        submit(&mut b, cohort, 1, text, visibility).await;
    }
    app.mail_sent().await;

    // The digest goes on Mondays at 06:00 in London: day 1 was released after this Monday's, so
    // the first digest is the next Monday's.
    let job = Digests::new(Lease::new(db.store.clone(), "one".into()));
    let at = support::utc;
    assert_eq!(
        job.tick(&app.services, at("2027-01-10T12:00:00Z"))
            .await
            .unwrap(),
        Some(0),
        "not before its day"
    );
    app.clock.set(at("2027-01-11T06:05:00Z"));
    assert_eq!(
        job.tick(&app.services, at("2027-01-11T06:05:00Z"))
            .await
            .unwrap(),
        Some(3),
        "two managers and the change lead"
    );
    assert_eq!(
        job.tick(&app.services, at("2027-01-11T09:00:00Z"))
            .await
            .unwrap(),
        Some(0),
        "once a week"
    );
    app.mail_sent().await;
    let digests = about(&smtp, "Your week in");
    let to: Vec<&str> = digests.iter().map(|(to, _)| to.as_str()).collect();
    assert_eq!(
        to,
        [
            "lead@force.police.uk",
            "manager0@force.police.uk",
            "manager1@force.police.uk"
        ]
    );
    let manager0 = &digests[1].1;
    assert!(manager0.contains("ZERO shares with everyone"), "{manager0}");
    for never in [
        "TWO keeps",
        "ONE from",
        "THREE stays",
        "Officer 1",
        "Officer 3",
    ] {
        assert!(!manager0.contains(never), "{never} in {manager0}");
    }
    assert!(manager0.contains("Day 1: 2 of 2"), "{manager0}");
    let lead = &digests[0].1;
    assert!(
        lead.contains("ZERO shares") && lead.contains("ONE from the other team"),
        "{lead}"
    );
    for never in ["TWO keeps", "THREE stays"] {
        assert!(!lead.contains(never), "{never} in {lead}");
    }
    assert!(header(lead, "List-Unsubscribe").is_some());
}
on_both_backends!(
    weekly_digest,
    a_weekly_digest_per_reader_with_their_teams_news
);

async fn a_report_alerts_the_change_leads(db: &TestDb) {
    let Some((smtp, app, cohort)) = day_one(db, "report_alert", 2, 1).await else {
        return;
    };
    let mut author = app.browser("officer0@force.police.uk").await;
    submit(&mut author, cohort, 1, "Something to report", "cohort").await;
    let handle: i64 = sqlx::query_scalar("SELECT handle FROM reflections")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    let mut reader = app.browser("officer1@force.police.uk").await;
    let csrf = reader.csrf().await;
    for _ in 0..2 {
        let page = reader
            .post(
                &format!("/c/{cohort}/reflections/{handle}/report"),
                &[("csrf", &csrf), ("reason", "Not kind")],
            )
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
    }
    app.mail_sent().await;
    let alerts = about(&smtp, "A reflection was reported");
    assert_eq!(
        alerts.len(),
        1,
        "one alert, to the change lead, for one report"
    );
    let (to, alert) = &alerts[0];
    assert_eq!(to, "lead@force.police.uk");
    assert!(alert.contains(&format!("/c/{cohort}/reports")));
    assert!(!alert.contains("Something to report"));

    // Like every other message: list headers, the preferences link, one-click unsubscribe; the
    // preferences page offers it to change leads only.
    assert_eq!(
        header(alert, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    assert!(header(alert, "List-Id").is_some_and(|l| l.contains("reported.cohort-")));
    assert!(
        alert.contains(&format!("{}/preferences", app.base)),
        "{alert}"
    );
    let choice = "When a reflection is reported";
    let checked = "name=\"reported\" value=\"on\" checked";
    let mut lead = app.browser("lead@force.police.uk").await;
    let page = lead.get("/preferences").await.body;
    assert!(page.contains(choice) && page.contains(checked), "{page}");
    let mut manager = app.browser("manager0@force.police.uk").await;
    assert!(!manager.get("/preferences").await.body.contains(choice));
    let url = header(alert, "List-Unsubscribe").expect("List-Unsubscribe");
    let (status, page) = crate::outbox::unsubscribe(url.trim_matches(['<', '>'])).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(choice), "{page}");
    assert!(!lead.get("/preferences").await.body.contains(checked));

    // Unsubscribed: the next report alerts nobody.
    submit(&mut reader, cohort, 1, "Another thing to report", "cohort").await;
    let other: i64 = sqlx::query_scalar("SELECT MAX(handle) FROM reflections")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    let csrf = author.csrf().await;
    let page = author
        .post(
            &format!("/c/{cohort}/reflections/{other}/report"),
            &[("csrf", &csrf), ("reason", "Not kind")],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    app.mail_sent().await;
    assert_eq!(about(&smtp, "A reflection was reported").len(), 1);
}
on_both_backends!(report_alert, a_report_alerts_the_change_leads);

/// A manager finds the digest on their preferences page (a participant does not), and turning it
/// off there stops it; turning it back on brings it back.
async fn a_manager_chooses_the_digest_on_the_preferences_page(db: &TestDb) {
    let Some((_smtp, app, cohort)) = day_one(db, "digest_preferences", 2, 1).await else {
        return;
    };
    let digest = "The weekly digest of my team";
    let mut officer = app.browser("officer0@force.police.uk").await;
    let page = officer.get("/preferences").await;
    assert!(!page.body.contains(digest), "{}", page.body);

    let mut manager = app.browser("manager0@force.police.uk").await;
    let page = manager.get("/preferences").await;
    assert!(page.body.contains(digest), "{}", page.body);
    let csrf = crate::support::app::form_token(&page.body);
    let path = format!("/preferences/{cohort}");
    let save = async |b: &mut crate::support::app::Browser, digest: bool| {
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("released", "on"),
            ("closing", "on"),
        ];
        if digest {
            fields.push(("digest", "on"));
        }
        b.post(&path, &fields).await
    };
    assert_eq!(save(&mut manager, false).await.status, 303);
    let job = Digests::new(Lease::new(db.store.clone(), "one".into()));
    let managers_digests = async || -> i64 {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox o JOIN people p ON p.id = o.person_id \
             WHERE o.kind = 'digest' AND p.email = 'manager0@force.police.uk'",
        )
        .fetch_one(db.store.pool())
        .await
        .unwrap()
    };
    let monday = support::utc("2027-01-11T06:05:00Z");
    app.clock.set(monday);
    assert_eq!(
        job.tick(&app.services, monday).await.unwrap(),
        Some(1),
        "the change lead's only"
    );
    assert_eq!(managers_digests().await, 0);
    assert_eq!(save(&mut manager, true).await.status, 303);
    let next = monday + chrono::Duration::days(7);
    app.clock.set(next);
    app.release_due().await;
    job.tick(&app.services, next).await.unwrap();
    assert_eq!(managers_digests().await, 1, "the manager's again");
}
on_both_backends!(
    digest_preferences,
    a_manager_chooses_the_digest_on_the_preferences_page
);

/// The change lead sets when the digest goes, or turns it off; nonsense is refused with a
/// message and changes nothing.
async fn the_digest_goes_when_the_cohort_says(db: &TestDb) {
    let Some((_smtp, app, cohort)) = day_one(db, "digest_time", 2, 1).await else {
        return;
    };
    let id = cohort.to_string();
    let status = || muster(&db.url, &["cohort", "status", &id]).stdout;
    assert!(
        status().contains("Digest:    on Mondays at 06:00"),
        "{}",
        status()
    );
    for nonsense in ["someday 06:00", "mon 25:00", "mon", "06:00", ""] {
        let out = muster(&db.url, &["cohort", "set", &id, "--digest", nonsense]);
        assert!(!out.ok, "{nonsense} accepted");
        assert!(
            out.stderr.contains("\"mon 06:00\""),
            "{nonsense}: {}",
            out.stderr
        );
    }
    assert!(
        status().contains("Digest:    on Mondays at 06:00"),
        "{}",
        status()
    );

    let out = muster(&db.url, &["cohort", "set", &id, "--digest", "wed 18:30"]);
    assert!(out.ok, "{}", out.stderr);
    assert!(
        status().contains("Digest:    on Wednesdays at 18:30"),
        "{}",
        status()
    );
    let job = Digests::new(Lease::new(db.store.clone(), "one".into()));
    let at = support::utc;
    for (now, queued) in [
        ("2027-01-05T12:00:00Z", 0),
        ("2027-01-06T18:29:00Z", 0),
        ("2027-01-06T18:31:00Z", 2),
        ("2027-01-11T06:05:00Z", 0),
    ] {
        assert_eq!(
            job.tick(&app.services, at(now)).await.unwrap(),
            Some(queued),
            "{now}: the manager and the change lead, on Wednesdays at 18:30 London"
        );
    }

    let out = muster(&db.url, &["cohort", "set", &id, "--digest", "off"]);
    assert!(out.ok, "{}", out.stderr);
    assert!(status().contains("Digest:    never (off)"), "{}", status());
    let next = at("2027-01-13T18:31:00Z");
    app.clock.set(next);
    app.release_due().await;
    assert_eq!(job.tick(&app.services, next).await.unwrap(), Some(0));
}
on_both_backends!(digest_time, the_digest_goes_when_the_cohort_says);
