//! The officer's two minutes over HTTP, on both backends: a reflection the checker sends back is
//! kept as a draft for its author only, posted from it, and dropped once its day closes; boards
//! show equal points as ties and the week in dates; and no page weighs over 60 KB of HTML.

use crate::support;
use crate::support::TestDb;
use crate::support::app::{Browser, TestApp, form_token, hidden};
use muster::app::jobs::drafts::ExpiredDrafts;

const FLAGGED: &str = "Helped Sarah Jones report online; her number is 07700 900123.";

async fn count(db: &TestDb, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db.store.pool())
        .await
        .expect("count")
}

/// Day 3 of a cohort that started on Monday 4 January 2027, at 10:00 on the Wednesday.
async fn app_on_day_3(db: &TestDb) -> (TestApp, i64) {
    let app = TestApp::spawn(db, support::utc("2027-01-06T10:00:00Z")).await;
    let cohort = app.cohort("2027-01-04", &support::people_csv(6, 2)).await;
    app.release_due().await;
    (app, cohort)
}

/// Sends day 3's form with `fields` besides the form token and a fresh key.
async fn send_day_3(b: &mut Browser, cohort: i64, fields: &[(&str, &str)]) -> support::app::Page {
    let (csrf, key) = b.day_form(cohort, 3).await;
    let mut all = vec![("csrf", csrf.as_str()), ("key", key.as_str())];
    all.extend_from_slice(fields);
    b.post(&format!("/c/{cohort}/day/3"), &all).await
}

async fn drafts_kept_for_their_author_until_the_day_closes(db: &TestDb) {
    let (app, cohort) = app_on_day_3(db).await;
    let day = format!("/c/{cohort}/day/3");
    let mut zero = app.browser("officer0@force.police.uk").await;
    let sent = send_day_3(
        &mut zero,
        cohort,
        &[("reflection", FLAGGED), ("visibility", "cohort")],
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("Check before you share"));
    assert_eq!(count(db, "SELECT COUNT(*) FROM submissions").await, 0);
    assert_eq!(count(db, "SELECT COUNT(*) FROM drafts").await, 1);

    // Kept: the officer left; the day's page and Today open at the warning with their words.
    for path in [day.as_str(), "/today"] {
        let page = zero.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        let review = page
            .body
            .find("Check before you share")
            .expect("the review");
        let challenge = page
            .body
            .find("class=\"challenge\"")
            .expect("the challenge");
        assert!(
            review < challenge,
            "{path}: the warning comes before the challenge"
        );
        assert!(
            page.body
                .contains("<mark class=\"flagged\">07700 900123</mark>")
                && page.body.contains("Post with those parts removed")
                && page.body.contains("Keep only for me"),
            "{path}: {}",
            page.body
        );
        assert!(
            page.body.contains(&format!(">{FLAGGED}</textarea>")),
            "{path}"
        );
    }

    // Private: nobody else sees it, on their day page, Today, the feed or the API.
    let mut one = app.browser("officer1@force.police.uk").await;
    let token = app.token("officer1@force.police.uk").await;
    for path in [day.clone(), "/today".into(), format!("/c/{cohort}/feed")] {
        let page = one.get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(
            !page.body.contains("Sarah Jones") && !page.body.contains("Check before you share"),
            "{path} shows officer0's draft"
        );
    }
    for path in [
        format!("/api/v1/cohorts/{cohort}/feed"),
        format!("/api/v1/cohorts/{cohort}/days/3"),
        "/api/v1/today".to_string(),
    ] {
        let (_, body) = app.api(&path, &token).await;
        assert!(!body.to_string().contains("Sarah Jones"), "{path}: {body}");
    }

    // "Keep only for me" posts it unchanged and private, and the draft goes with it.
    let page = zero.get(&day).await;
    let posted = zero
        .post(
            &day,
            &[
                ("csrf", &form_token(&page.body)),
                ("key", &hidden(&page.body, "key")),
                ("reflection", FLAGGED),
                ("visibility", "cohort"),
                ("keep_private", "1"),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let stored: (String, String) = sqlx::query_as("SELECT body, visibility FROM reflections")
        .fetch_one(db.store.pool())
        .await
        .expect("the reflection");
    assert_eq!(stored, (FLAGGED.to_string(), "private".to_string()));
    assert_eq!(count(db, "SELECT COUNT(*) FROM drafts").await, 0);
    assert!(!zero.get(&day).await.body.contains("Check before you share"));

    // Gone after the day closes: day 3 closes at 12:00 on 7 January, and its three catch-up
    // days end at 12:00 on 10 January. Until then the draft stays; after, it is dropped.
    let mut two = app.browser("officer2@force.police.uk").await;
    let sent = send_day_3(
        &mut two,
        cohort,
        &[("reflection", FLAGGED), ("visibility", "team")],
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    app.clock.set(support::utc("2027-01-10T11:59:00Z"));
    assert_eq!(
        ExpiredDrafts::tick(&app.services, app.clock.now())
            .await
            .unwrap(),
        0
    );
    assert!(two.get(&day).await.body.contains("Check before you share"));
    app.clock.set(support::utc("2027-01-10T12:00:00Z"));
    let after = two.get(&day).await;
    assert_eq!(after.status, 200);
    assert!(!after.body.contains("Sarah Jones"), "{}", after.body);
    assert_eq!(
        ExpiredDrafts::tick(&app.services, app.clock.now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM drafts").await, 0);
}
on_both_backends!(drafts, drafts_kept_for_their_author_until_the_day_closes);

async fn equal_points_are_shown_as_ties(db: &TestDb) {
    let (app, cohort) = app_on_day_3(db).await;
    // officer2 does day 3 with a reflection (points for it too); officer0 and officer1 do it
    // without, after them, and have equal points.
    for (n, fields) in [
        (
            2,
            &[
                ("reflection", "Two people used the form."),
                ("visibility", "cohort"),
            ][..],
        ),
        (0, &[][..]),
        (1, &[][..]),
    ] {
        let mut b = app.browser(&format!("officer{n}@force.police.uk")).await;
        let done = send_day_3(&mut b, cohort, fields).await;
        assert_eq!(done.status, 303, "{}", done.body);
        app.clock.advance(chrono::Duration::seconds(5));
    }
    let token = app.token("officer1@force.police.uk").await;
    let (status, boards) = app
        .api(&format!("/api/v1/cohorts/{cohort}/leaderboard"), &token)
        .await;
    assert_eq!(status, 200, "{boards}");
    let people = boards["people"].as_array().expect("people");
    let rows: Vec<(String, f64, u64, u64, bool)> = people
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["points"].as_f64().unwrap(),
                r["rank"].as_u64().unwrap(),
                r["place"].as_u64().unwrap(),
                r["tied"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0].0, "Officer 2");
    assert!(rows[0].1 > rows[1].1, "{rows:?}");
    assert_eq!(
        rows[1].1, rows[2].1,
        "officer0 and officer1 have equal points: {rows:?}"
    );
    // Positions stay 1, 2, 3 (the order, earlier first); places read 1, =2, =2.
    let places: Vec<(u64, u64, bool)> = rows.iter().map(|r| (r.2, r.3, r.4)).collect();
    assert_eq!(places, vec![(1, 1, false), (2, 2, true), (3, 2, true)]);
    assert_eq!(boards["week"], "2027-W01");
    assert_eq!(boards["week_starts"], "2027-01-04");
    assert_eq!(boards["week_ends"], "2027-01-10");

    let mut one = app.browser("officer1@force.police.uk").await;
    let page = one.get(&format!("/c/{cohort}/leaderboard")).await;
    assert_eq!(page.status, 200);
    let joint = "<td class=\"place\"><span aria-hidden=\"true\">=</span><span class=\"visually-hidden\">joint </span>2</td>";
    assert!(page.body.matches(joint).count() >= 2, "{}", page.body);
    assert!(page.body.contains("This week: Mon 4 Jan - Sun 10 Jan"));
    assert!(
        page.body
            .contains("<tr class=\"me\" aria-current=\"true\">")
    );

    // No page of the officer's loop weighs more than 60 KB of HTML.
    for path in [
        "/today".to_string(),
        format!("/c/{cohort}/day/3"),
        format!("/c/{cohort}/day/3?saved=1"),
        format!("/c/{cohort}/leaderboard"),
        format!("/c/{cohort}/journey"),
        format!("/c/{cohort}/feed"),
        "/account".to_string(),
    ] {
        let page = one.get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(
            page.body.len() < 60_000,
            "{path}: {} bytes",
            page.body.len()
        );
        eprintln!("page weight: {path} {} bytes", page.body.len());
    }
}
on_both_backends!(ties, equal_points_are_shown_as_ties);
