//! A manager's team page over HTTP: who may open it (a manager of that team, in that cohort
//! only), what it shows of the members (never an "only me" or anonymous reflection, check-ins
//! only as a team average on days enough answered), the Today card, and encouragement through
//! the outbox: once a day per member, held through their quiet hours.

use crate::support;

use chrono::Duration;
use muster::app::reminders::CohortReminders;

use crate::support::TestDb;
use crate::support::app::{Browser, TestApp, form_token};
use crate::support::browser::{Chromium, axe_violations, sign_in, wait_css, with_chromium};
use crate::support::smtp::SmtpServer;

const START: &str = "2027-01-04";

/// Completes `day` as the browser's person with a shift check-in and a reflection.
async fn complete(
    b: &mut Browser,
    cohort: i64,
    day: u32,
    checkin: &str,
    text: &str,
    visibility: &str,
) {
    let (csrf, key) = b.day_form(cohort, day).await;
    let page = b
        .post(
            &format!("/c/{cohort}/day/{day}"),
            &[
                ("csrf", csrf.as_str()),
                ("key", &key),
                ("checkin", checkin),
                ("reflection", text),
                ("visibility", visibility),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
}

/// The member's name as the team page links it.
fn listed(body: &str, name: &str) -> bool {
    body.contains(&format!(">{name}</a>"))
}

async fn team_page_privacy_and_roles(db: &TestDb) {
    let app = TestApp::spawn(db, support::utc("2027-01-04T08:00:00Z")).await;
    let mut csv = support::people_csv(12, 2); // Team 0: officers 0, 2, 4, 6, 8, 10
    csv += "lead@force.police.uk,Lead,,change_lead\n";
    let cohort = app.cohort(START, &csv).await;
    // Another cohort, where officer1 (a participant above) manages Team 0 and manager0 (the
    // manager of Team 0 above) takes part in it.
    let other = app
        .cohort_named(
            "Other",
            START,
            "email,name,team,role\n\
             officer1@force.police.uk,Officer 1,Team 0,manager\n\
             manager0@force.police.uk,Manager 0,Team 0,participant\n\
             officer3@force.police.uk,Officer 3,Team 0,participant\n",
        )
        .await;
    app.release_due().await;

    let mut people = Vec::new();
    for (i, checkin, text, visibility) in [
        (0, "1", "SHARED-COHORT day one", "cohort"),
        (2, "2", "SHARED-TEAM day one", "team"),
        (4, "3", "PRIVATE-ONE day one", "private"),
        (6, "4", "ANON-ONE day one", "anonymous"),
        (8, "4", "", "cohort"),
    ] {
        let mut b = app.browser(&format!("officer{i}@force.police.uk")).await;
        complete(&mut b, cohort, 1, checkin, text, visibility).await;
        people.push(b);
    }
    app.publish_anonymous().await;

    // The manager of Team 0 sees their team, and only it.
    let mut manager = app.browser("manager0@force.police.uk").await;
    let page = manager.get(&format!("/c/{cohort}/team")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for i in [0, 2, 4, 6, 8, 10] {
        assert!(listed(&page.body, &format!("Officer {i}")), "{}", page.body);
    }
    for i in [1, 3, 5] {
        assert!(
            !listed(&page.body, &format!("Officer {i}")),
            "Team 1 is not theirs"
        );
    }
    assert!(page.body.contains("5 of 6 done so far."));
    assert!(page.body.contains("Not yet: there is still time"));
    assert!(!page.body.contains("PRIVATE-ONE") && !page.body.contains("ANON-ONE"));
    // Day 1: five answered (1, 2, 3, 4, 4): the team's average shows, nobody's own answer.
    assert!(page.body.contains("<td>2.8</td>"), "{}", page.body);

    // Day 2: only four answer, so no average that day.
    app.clock.set(support::utc("2027-01-05T08:00:00Z"));
    app.release_due().await;
    for b in people.iter_mut().take(4) {
        complete(b, cohort, 2, "2", "", "cohort").await;
    }
    let page = manager.get(&format!("/c/{cohort}/team")).await;
    assert!(page.body.contains("<td>2.8</td>"));
    assert!(page.body.contains("fewer than 5 answered"), "{}", page.body);
    assert!(
        !page.body.contains("<td>2.0</td>"),
        "four answers are not averaged"
    );
    let (_, access) = app.member("manager0@force.police.uk", cohort).await;
    let view = muster::app::team::view(&app.services, &access)
        .await
        .unwrap();
    let day = |n: usize| view.days[n].clone();
    assert_eq!(
        (day(0).done, day(0).reflections, day(0).checkin),
        (5, 2, Some(2.8))
    );
    assert_eq!((day(1).done, day(1).checkin), (4, None));

    // A member's journey shows what they shared by name, and nothing else.
    let id = |email: &str| {
        let app = &app;
        let email = email.to_string();
        async move { app.person(&email).await.id }
    };
    let journey = |id: muster::domain::PersonId| format!("/c/{cohort}/team/{id}");
    let zero = manager
        .get(&journey(id("officer0@force.police.uk").await))
        .await;
    assert_eq!(zero.status, 200);
    assert!(zero.body.contains("SHARED-COHORT"));
    let two = manager
        .get(&journey(id("officer2@force.police.uk").await))
        .await;
    assert!(two.body.contains("SHARED-TEAM"));
    for (who, hidden) in [("officer4", "PRIVATE-ONE"), ("officer6", "ANON-ONE")] {
        let page = manager
            .get(&journey(id(&format!("{who}@force.police.uk")).await))
            .await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains(hidden), "{hidden} reached a manager");
        assert!(page.body.contains("Nothing shared by name yet."));
    }
    let one = id("officer1@force.police.uk").await;
    assert_eq!(
        manager.get(&journey(one)).await.status,
        404,
        "not their team"
    );
    assert_eq!(
        manager
            .get(&journey(muster::domain::PersonId(999_999)))
            .await
            .status,
        404
    );
    assert_eq!(
        manager.get(&format!("/c/{cohort}/team/x")).await.status,
        400
    );

    // Participants and change leads manage no team here; strangers are not in the cohort.
    for email in ["officer0@force.police.uk", "lead@force.police.uk"] {
        let mut b = app.browser(email).await;
        assert_eq!(b.get(&format!("/c/{cohort}/team")).await.status, 404);
    }
    // Roles are per cohort: manager0 takes part in the other cohort, and officer1 manages there.
    assert_eq!(manager.get(&format!("/c/{other}/team")).await.status, 404);
    let mut officer1 = app.browser("officer1@force.police.uk").await;
    assert_eq!(officer1.get(&format!("/c/{cohort}/team")).await.status, 404);
    let theirs = officer1.get(&format!("/c/{other}/team")).await;
    assert_eq!(theirs.status, 200);
    assert!(listed(&theirs.body, "Manager 0") && listed(&theirs.body, "Officer 3"));
    assert!(
        !listed(&theirs.body, "Officer 0"),
        "Team 0 of another cohort"
    );
    let zero_id = id("officer0@force.police.uk").await;
    assert_eq!(
        officer1
            .get(&format!("/c/{other}/team/{zero_id}"))
            .await
            .status,
        404
    );

    // Today: the team card for the cohort they manage, none where they take part.
    let today = manager.get("/today").await.body;
    assert_eq!(today.matches("Your team today").count(), 1, "{today}");
    assert!(today.contains(&format!("href=\"/c/{cohort}/team\"")));
    assert!(today.contains("4 of 6 done so far."));
    let today = officer1.get("/today").await.body;
    assert_eq!(today.matches("Your team today").count(), 1);
    assert!(today.contains(&format!("href=\"/c/{other}/team\"")));
    assert!(
        !people[0]
            .get("/today")
            .await
            .body
            .contains("Your team today")
    );
}
on_both_backends!(privacy_and_roles, team_page_privacy_and_roles);

async fn encouragement_once_a_day_after_quiet_hours(db: &TestDb) {
    let Some(smtp) = SmtpServer::start("encouragement").await else {
        return;
    };
    // 06:30 in London in January: day 1 is out, and the cohort's quiet hours (21:00-07:00) last
    // another half hour.
    let app = TestApp::spawn_with_smtp(db, support::utc("2027-01-04T06:30:00Z"), &smtp.url()).await;
    let cohort = app
        .cohort_with(
            "Quiet",
            START,
            &support::people_csv(4, 2),
            CohortReminders::default(),
        )
        .await;
    app.release_due().await;
    let mut zero = app.browser("officer0@force.police.uk").await;
    complete(&mut zero, cohort, 1, "3", "", "cohort").await;

    let mut manager = app.browser("manager0@force.police.uk").await;
    let page = manager.get(&format!("/c/{cohort}/team")).await.body;
    let csrf = form_token(&page);
    let two = app.person("officer2@force.police.uk").await.id;
    assert!(page.contains(&format!("/c/{cohort}/team/{two}/encourage")));
    let encourage = |id: muster::domain::PersonId| format!("/c/{cohort}/team/{id}/encourage");
    let sent = manager.post(&encourage(two), &[("csrf", &csrf)]).await;
    assert_eq!(sent.status, 303);
    assert_eq!(
        sent.location.as_deref(),
        Some(format!("/c/{cohort}/team?encouraged={two}").as_str())
    );
    let shown = manager.get(sent.location.as_deref().unwrap()).await.body;
    assert!(shown.contains("Your encouragement is on its way to Officer 2."));
    assert!(shown.contains("Encouraged today."));
    assert!(!shown.contains(&encourage(two)), "no second button today");
    // Once a day: asking again sends nothing more.
    let again = manager.post(&encourage(two), &[("csrf", &csrf)]).await;
    assert_eq!(
        again.location.as_deref(),
        Some(format!("/c/{cohort}/team?again={two}").as_str())
    );
    // Nothing to encourage for someone who is done; nobody outside the team; no forged form.
    let done = app.person("officer0@force.police.uk").await.id;
    assert_eq!(
        manager
            .post(&encourage(done), &[("csrf", &csrf)])
            .await
            .status,
        422
    );
    let other_team = app.person("officer1@force.police.uk").await.id;
    assert_eq!(
        manager
            .post(&encourage(other_team), &[("csrf", &csrf)])
            .await
            .status,
        404
    );
    assert_ne!(
        manager
            .post(&encourage(two), &[("csrf", "forged")])
            .await
            .status,
        303
    );
    let mut participant = app.browser("officer2@force.police.uk").await;
    let own = form_token(&participant.get("/today").await.body);
    assert_eq!(
        participant
            .post(&encourage(done), &[("csrf", &own)])
            .await
            .status,
        404
    );

    // Held through quiet hours: due when they end at 07:00, not sent before.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let held: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT due_at, sent_at FROM outbox WHERE kind = 'encourage'")
            .fetch_all(db.store.pool())
            .await
            .unwrap();
    let seven = support::utc("2027-01-04T07:00:00Z").timestamp_millis();
    assert_eq!(held, [(seven, None)]);
    app.clock
        .set(support::utc("2027-01-04T07:00:00Z") + Duration::seconds(1));
    let message = smtp
        .wait_for_message_about("officer2@force.police.uk", "cheering you on")
        .await;
    assert!(
        message.contains("Manager 0, your manager in Quiet"),
        "{message}"
    );
    assert!(message.contains("Day 1 is still open"), "{message}");
    app.mail_sent().await;
    let encouragements: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'encourage'")
            .fetch_one(db.store.pool())
            .await
            .unwrap();
    assert_eq!(encouragements, 1);
}
on_both_backends!(encouragement, encouragement_once_a_day_after_quiet_hours);

/// The team page (and a member's journey) as a manager sees them in Chromium, after screenshots
/// at 360 and 1280 px (`target/screenshots/team-*.png`): what axe-core finds broken.
async fn axe_on_team(
    b: Chromium,
    link: String,
    cohort: i64,
    member: muster::domain::PersonId,
    axe: String,
) -> Vec<String> {
    let client = b.client.clone();
    b.reduce_motion().await;
    sign_in(&client, &link).await;
    wait_css(&client, ".team-card").await;
    crate::support::browser::screenshot(&b, 360, "today-manager-360.png").await;
    let base = link.split("/signin/").next().expect("the base").to_string();
    let mut found = Vec::new();
    for (path, name) in [
        (format!("/c/{cohort}/team"), "team"),
        (format!("/c/{cohort}/team/{member}"), "team-member"),
    ] {
        client
            .goto(&format!("{base}{path}"))
            .await
            .expect("open the page");
        wait_css(&client, "h1").await;
        for width in [360, 1280] {
            crate::support::browser::screenshot(&b, width, &format!("{name}-{width}.png")).await;
        }
        for v in axe_violations(&client, &axe).await {
            found.push(format!("{path}: {v}"));
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_page_passes_axe() {
    if !crate::support::browser::browser_installed("the_team_page_passes_axe") {
        return;
    }
    let Some(axe) = crate::support::browser::axe_source("the_team_page_passes_axe") else {
        return;
    };
    let db = TestDb::sqlite().await;
    let app = TestApp::spawn(&db, support::utc("2027-01-04T08:00:00Z")).await;
    let cohort = app.cohort(START, &support::people_csv(14, 2)).await;
    for day in 0..6 {
        app.clock
            .set(support::utc("2027-01-04T08:00:00Z") + Duration::days(day));
        app.release_due().await;
        for i in (0..14)
            .step_by(2)
            .filter(|i| !(i + day as usize).is_multiple_of(5))
        {
            let mut b = app.browser(&format!("officer{i}@force.police.uk")).await;
            let checkin = (1 + (i + day as usize) % 5).to_string();
            let text = if i % 4 == 0 {
                "We tried the online form together."
            } else {
                ""
            };
            complete(&mut b, cohort, day as u32 + 1, &checkin, text, "cohort").await;
        }
    }
    let manager = app.person("manager0@force.police.uk").await;
    let member = app.person("officer2@force.police.uk").await.id;
    let link = muster::app::signin::issue_link(&app.services, manager.id, Duration::minutes(20))
        .await
        .expect("a sign-in link");
    let violations = with_chromium(360, move |b| axe_on_team(b, link, cohort, member, axe)).await;
    assert_eq!(violations, Vec::<String>::new());
    drop(app);
    db.cleanup().await;
}
