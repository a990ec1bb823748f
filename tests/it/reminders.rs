//! Reminders through a real SMTP server process (aiosmtpd), on both backends: the end-of-window
//! reminder goes once, only to participants who have not done the day and are not resting; quiet
//! hours hold reminders back across the spring daylight-saving change (the injected clock), a
//! person's own quiet hours win over the cohort's, and a quiet-hours setting that makes no sense
//! is refused with nothing changed; and the preferences page passes axe-core in Chromium.

use chrono::Duration;

use crate::support::app::{TestApp, form_token};
use crate::support::browser::{
    Chromium, axe_source, axe_violations, sign_in, wait_css, with_chromium,
};
use crate::support::smtp::{SmtpServer, header};
use crate::support::{self, TestDb};
use muster::app::jobs::Lease;
use muster::app::jobs::closing::ClosingReminders;
use muster::app::reminders::CohortReminders;
use muster::rules::quiet::QuietHours;

/// The recipients of the messages whose subject starts with `prefix`, sorted.
fn sent_about(smtp: &SmtpServer, prefix: &str) -> Vec<String> {
    let mut to: Vec<String> = smtp
        .all()
        .iter()
        .filter(|m| header(m, "Subject").is_some_and(|s| s.starts_with(prefix)))
        .filter_map(|m| header(m, "X-RcptTo"))
        .collect();
    to.sort();
    to
}

async fn closing_reminders_once_to_those_not_done(db: &TestDb) {
    let Some(smtp) = SmtpServer::start("closing_reminders").await else {
        return;
    };
    let app = TestApp::spawn_with_smtp(db, support::utc("2027-01-04T06:00:30Z"), &smtp.url()).await;
    let reminders = CohortReminders {
        quiet_hours: None,
        ..CohortReminders::default()
    };
    let cohort = app
        .cohort_with(
            "Closing",
            "2027-01-04",
            &support::people_csv(4, 1),
            reminders,
        )
        .await;
    app.release_due().await;
    app.mail_sent().await;
    assert_eq!(smtp.count(), 5, "the release reminders");

    // officer0 does day 1, officer1 rests; officer2 and officer3 have not done it.
    let mut officer0 = app.browser("officer0@force.police.uk").await;
    let (csrf, key) = officer0.day_form(cohort, 1).await;
    let done = officer0
        .post(
            &format!("/c/{cohort}/day/1"),
            &[("csrf", &csrf), ("key", &key), ("checkin", "4")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    sqlx::query(
        "INSERT INTO rest_days (cohort_id, person_id, day, marked_at) \
         SELECT $1, id, 1, 0 FROM people WHERE email = 'officer1@force.police.uk'",
    )
    .bind(cohort)
    .execute(db.store.pool())
    .await
    .expect("a rest day");

    // Day 1 closes at 12:00 on 5 January (the next release plus 6 h): the reminder is due at 10:00.
    let job = ClosingReminders::new(Lease::new(db.store.clone(), "one".into()));
    let at = |s: &str| support::utc(s);
    assert_eq!(
        job.tick(&app.services, at("2027-01-05T09:59:00Z"))
            .await
            .unwrap(),
        Some(0)
    );
    assert_eq!(
        job.tick(&app.services, at("2027-01-05T10:00:00Z"))
            .await
            .unwrap(),
        Some(2)
    );
    // A second pass, or another server's, queues nothing more.
    assert_eq!(
        job.tick(&app.services, at("2027-01-05T10:00:30Z"))
            .await
            .unwrap(),
        Some(0)
    );
    let other = muster::app::reminders::queue_closing(&app.services, at("2027-01-05T11:00:00Z"))
        .await
        .unwrap();
    assert_eq!(other, 0);
    app.clock.set(at("2027-01-05T10:00:30Z"));
    app.mail_sent().await;
    smtp.wait_for_message_about("officer3@force.police.uk", "Still time for day 1")
        .await;
    assert_eq!(
        sent_about(&smtp, "Still time for day 1: "),
        ["officer2@force.police.uk", "officer3@force.police.uk"]
    );
    let m = smtp
        .all()
        .into_iter()
        .find(|m| header(m, "Subject").is_some_and(|s| s.starts_with("Still time")))
        .expect("a closing reminder");
    assert!(m.contains("closes at 12:00 on Tue 5 Jan"), "{m}");
    assert!(m.contains(&format!("/c/{cohort}/day/1")), "{m}");
    assert!(header(&m, "List-Unsubscribe").is_some(), "{m}");
    assert!(
        header(&m, "List-Id").is_some_and(|l| l.contains(&format!("closing.cohort-{cohort}."))),
        "{m}"
    );
    // After the close nothing more is queued.
    assert_eq!(
        job.tick(&app.services, at("2027-01-05T12:00:00Z"))
            .await
            .unwrap(),
        Some(0)
    );
    assert_eq!(smtp.count(), 7);
}
on_both_backends!(closing_reminders, closing_reminders_once_to_those_not_done);

async fn quiet_hours_across_the_spring_change(db: &TestDb) {
    let Some(smtp) = SmtpServer::start("quiet_hours_dst").await else {
        return;
    };
    // Day 1 of a cohort starting on Sunday 28 March 2027 is released at 06:00 BST (05:00 UTC),
    // the night the clocks went forward: the cohort's quiet hours (21:00-07:00) end at 07:00 BST.
    let app = TestApp::spawn_with_smtp(db, support::utc("2027-03-28T05:00:30Z"), &smtp.url()).await;
    let cohort = app
        .cohort_with(
            "Spring",
            "2027-03-28",
            &support::people_csv(2, 1),
            CohortReminders::default(),
        )
        .await;
    // officer0 works early shifts: quiet only from 22:00 to 05:00.
    let (officer0, _) = app.member("officer0@force.police.uk", cohort).await;
    let quiet = muster::app::reminders::QuietChoice {
        start: "22:00".into(),
        end: "05:00".into(),
    };
    let on = vec!["released".to_string(), "closing".to_string()];
    muster::app::reminders::choose(&app.services, &officer0, cohort, &on, &quiet)
        .await
        .expect("officer0's own quiet hours");
    app.release_due().await;
    smtp.wait_for_message_about("officer0@force.police.uk", "Day 1: ")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(sent_about(&smtp, "Day 1: "), ["officer0@force.police.uk"]);
    let waiting: Vec<i64> = sqlx::query_scalar(
        "SELECT due_at FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY id",
    )
    .fetch_all(db.store.pool())
    .await
    .unwrap();
    let seven_bst = support::utc("2027-03-28T06:00:00Z").timestamp_millis();
    assert_eq!(waiting, [seven_bst, seven_bst], "07:00 BST, not 07:00 GMT");
    app.clock
        .set(support::utc("2027-03-28T06:00:00Z") + Duration::seconds(1));
    app.mail_sent().await;
    assert_eq!(
        sent_about(&smtp, "Day 1: "),
        [
            "manager0@force.police.uk",
            "officer0@force.police.uk",
            "officer1@force.police.uk"
        ]
    );
}
on_both_backends!(quiet_hours_dst, quiet_hours_across_the_spring_change);

async fn a_closing_reminder_in_quiet_hours_until_the_close_is_given_up(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T06:00:30Z")).await;
    // Released at 18:00, open until 22:00 the next day (grace 4 h), reminded 2 h before: 20:00,
    // inside the person's quiet hours from 19:00 to 23:00, which end after the close.
    let reminders = CohortReminders {
        quiet_hours: Some("19:00-23:00".parse::<QuietHours>().unwrap()),
        ..CohortReminders::default()
    };
    let request = muster::app::cohort::CohortRequest {
        pack: "digital-confidence".into(),
        name: "Evenings".into(),
        start: "2027-01-04".parse().unwrap(),
        time_zone: "Europe/London".into(),
        release_cron: "0 18 * * *".into(),
        grace: Duration::hours(4),
        anonymity_k: muster::app::cohort::DEFAULT_ANONYMITY_K,
        reminders,
    };
    let packs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
    let cohort = muster::app::cohort::create(&app.services, &packs, &request)
        .await
        .expect("the cohort");
    muster::app::enrol::enrol_csv(&app.services, cohort, &support::people_csv(1, 1))
        .await
        .expect("enrol");
    app.clock.set(support::utc("2027-01-04T18:00:30Z"));
    app.release_due().await;
    sqlx::query("UPDATE outbox SET sent_at = 1") // the release reminders are not at issue here
        .execute(db.store.pool())
        .await
        .unwrap();
    let now = support::utc("2027-01-05T20:00:00Z");
    app.clock.set(now);
    let queued = muster::app::reminders::queue_closing(&app.services, now)
        .await
        .unwrap();
    assert_eq!(queued, 1);
    app.mail_sent().await;
    let failure: Vec<String> =
        sqlx::query_scalar("SELECT failure FROM outbox WHERE kind = 'closing'")
            .fetch_all(db.store.pool())
            .await
            .unwrap();
    assert_eq!(failure, ["the day closed during the person's quiet hours"]);
}
on_both_backends!(
    closing_in_quiet_hours,
    a_closing_reminder_in_quiet_hours_until_the_close_is_given_up
);

async fn a_bad_quiet_hours_setting_is_refused(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T12:00:00Z")).await;
    let cohort = app.cohort("2027-01-04", &support::people_csv(1, 1)).await;
    let mut b = app.browser("officer0@force.police.uk").await;
    let page = b.get("/account").await;
    assert!(
        page.body.contains(r#"href="/preferences""#),
        "the navigation: {}",
        page.body
    );
    let page = b.get("/preferences").await;
    assert_eq!(page.status, 200);
    let csrf = form_token(&page.body);
    let path = format!("/preferences/{cohort}");
    let save = |start: &'static str, end: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("released", "on".to_string()),
            ("closing", "on".to_string()),
            ("quiet_start", start.to_string()),
            ("quiet_end", end.to_string()),
        ]
    };
    let post = async |b: &mut crate::support::app::Browser, fields: Vec<(&str, String)>| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        b.post(&path, &fields).await
    };
    let done = post(&mut b, save("22:30", "06:00")).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let page = b.get("/preferences").await;
    assert!(page.body.contains(r#"value="22:30""#), "{}", page.body);
    for (start, end, says) in [
        ("22:00", "22:00", "would be always or never"),
        ("25:99", "06:00", "is not a time of day"),
        ("", "06:00", "is not a time of day"),
    ] {
        let refused = post(&mut b, save(start, end)).await;
        assert_eq!(refused.status, 422, "{start}-{end}: {}", refused.body);
        assert!(
            refused.body.contains(says),
            "{start}-{end}: {}",
            refused.body
        );
    }
    let own: Vec<String> = sqlx::query_scalar("SELECT hours FROM quiet_hours")
        .fetch_all(db.store.pool())
        .await
        .unwrap();
    assert_eq!(own, ["22:30-06:00"], "nothing changed");
    // Both empty goes back to the cohort's.
    let done = post(&mut b, save("", "")).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let own: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM quiet_hours")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert_eq!(own, 0);
}
on_both_backends!(bad_quiet_hours, a_bad_quiet_hours_setting_is_refused);

/// The accessibility rules axe-core breaks on `/preferences`, read in Chromium as officer0, after
/// screenshots at 360 and 1280 px (`target/screenshots/preferences-*.png`).
async fn axe_on_preferences(b: Chromium, link: String, axe: String) -> Vec<String> {
    let client = b.client.clone();
    sign_in(&client, &link).await;
    wait_css(&client, "p.day-label").await;
    let base = link.split("/signin/").next().expect("the base").to_string();
    client
        .goto(&format!("{base}/preferences"))
        .await
        .expect("open the preferences");
    wait_css(&client, "input[type=time]").await;
    for width in [360, 1280] {
        crate::support::browser::screenshot(&b, width, &format!("preferences-{width}.png")).await;
    }
    axe_violations(&client, &axe).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preferences_page_passes_axe() {
    if !support::browser::browser_installed("the_preferences_page_passes_axe") {
        return;
    }
    let Some(axe) = axe_source("the_preferences_page_passes_axe") else {
        return;
    };
    let db = TestDb::sqlite().await;
    let app = TestApp::spawn(&db, support::utc("2027-01-04T12:00:00Z")).await;
    app.cohort("2027-01-04", &support::people_csv(2, 1)).await;
    app.release_due().await;
    let me = app.person("officer0@force.police.uk").await;
    let link = muster::app::signin::issue_link(&app.services, me.id, Duration::minutes(20))
        .await
        .expect("a sign-in link");
    let violations = with_chromium(360, |b| axe_on_preferences(b, link, axe)).await;
    assert_eq!(violations, Vec::<String>::new());
    drop(app);
    db.cleanup().await;
}
