//! The officer's two minutes at 360x640 in headless Chromium: Today's status, progress and
//! primary action lie inside the first viewport (measured from the page's own layout) when the
//! day is to do, done, late and a rest day; a flagged reflection opens at the warning, is kept
//! when the officer leaves, and is posted from Today; the saved page celebrates, and Back shows
//! the saved state; the leaderboard has no sideways scroll at 360 px; and axe-core finds nothing
//! on each of these pages, in the light and the dark theme. Screenshots at 360 and 1280 px go to
//! `target/screenshots/`.

use crate::support;

use chrono::Duration;
use fantoccini::Locator;
use serde_json::json;

use crate::support::TestDb;
use crate::support::app::{TestApp, form_token};
use crate::support::browser::{
    Chromium, TextContent, axe_source, axe_violations, screenshot, script, set_viewport, sign_in,
    wait_css, with_chromium,
};

const FLAGGED: &str = "Helped Sarah Jones report online; her number is 07700 900123.";

/// Emulates the light or dark theme (and reduced motion, so clicks land where they aim).
async fn theme(b: &Chromium, dark: bool) {
    b.devtools(
        "Emulation.setEmulatedMedia",
        json!({ "features": [
            { "name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" } },
            { "name": "prefers-reduced-motion", "value": "reduce" },
        ] }),
    )
    .await;
}

/// axe-core's violations on the current page in both themes, as "theme rule (impact): nodes".
async fn axe_both_themes(b: &Chromium, axe: &str, page: &str) -> Vec<String> {
    let mut found = Vec::new();
    for dark in [false, true] {
        theme(b, dark).await;
        let violations = axe_violations(&b.client, axe).await;
        let name = if dark { "dark" } else { "light" };
        found.extend(
            violations
                .into_iter()
                .map(|v| format!("{page} {name}: {v}")),
        );
    }
    theme(b, false).await;
    found
}

/// Where an element lies in the viewport: (top, bottom, left, right), or `None` when absent.
async fn rect(b: &Chromium, css: &str) -> Option<[f64; 4]> {
    let found = b
        .client
        .execute(
            "const e = document.querySelector(arguments[0]); if (!e) return null;\
             const r = e.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right];",
            vec![json!(css)],
        )
        .await
        .expect("measure");
    serde_json::from_value(found).expect("a rectangle")
}

/// Asserts that each of `parts` lies wholly inside the first 360x640 viewport, scrolled to the top.
async fn in_first_screen(b: &Chromium, state: &str, parts: &[&str]) {
    set_viewport(b, 360, 640).await;
    script(&b.client, "window.scrollTo(0, 0); return 0;").await;
    for css in parts {
        let [top, bottom, left, right] = rect(b, css)
            .await
            .unwrap_or_else(|| panic!("{state}: no {css} on Today"));
        assert!(
            top >= 0.0 && bottom <= 640.0 && left >= 0.0 && right <= 360.0,
            "{state}: {css} lies at top {top}, bottom {bottom}, left {left}, right {right}: \
             not inside the first 360x640 screen"
        );
    }
}

/// The page's width beyond the viewport (0 when nothing scrolls sideways).
async fn sideways(b: &Chromium) -> i64 {
    script(
        &b.client,
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
    )
    .await
    .as_i64()
    .expect("a width")
}

/// The texts of a progress row's figures, each "2 days done" and so on.
async fn stat_texts(b: &Chromium, css: &str) -> Vec<String> {
    let texts = b
        .client
        .execute(
            "return [...document.querySelectorAll(arguments[0] + ' li')].map(li => li.textContent.trim());",
            vec![json!(css)],
        )
        .await
        .expect("read the figures");
    serde_json::from_value(texts).expect("texts")
}

const STATUS: &str = ".day-card .status";
const STATS: &str = ".day-card .stats";
const ACTION: &str = ".day-card .primary-actions .primary";

/// What one officer sees, driven in one Chromium session; returns axe-core's findings.
async fn officers(
    b: Chromium,
    base: String,
    links: Vec<String>,
    cohort: i64,
    axe: String,
) -> Vec<String> {
    let client = b.client.clone();
    let mut found = Vec::new();
    theme(&b, false).await;

    // officer0, day 3 to do: status, progress and the button on the first screen.
    sign_in(&client, &links[0]).await;
    wait_css(&client, STATUS).await;
    in_first_screen(&b, "to do", &[STATUS, STATS, ACTION]).await;
    let status = wait_css(&client, STATUS).await.text_content().await;
    assert!(status.starts_with("To do · closes at"), "{status}");
    let stats = stat_texts(&b, STATS).await;
    assert!(
        stats[..2] == ["2 days done", "2 days in a row now"] && stats[2].ends_with(" points"),
        "{stats:?}"
    );
    screenshot(&b, 360, "today-todo-360.png").await;
    screenshot(&b, 1280, "today-todo-1280.png").await;
    found.extend(axe_both_themes(&b, &axe, "today (to do)").await);

    // A flagged reflection: the answer opens at the warning, choices first, parts marked.
    set_viewport(&b, 360, 640).await;
    wait_css(&client, "textarea#reflection-3")
        .await
        .send_keys(FLAGGED)
        .await
        .expect("type");
    client
        .find(Locator::XPath(
            "//form[@id='complete-3']//button[normalize-space() = 'Mark day 3 as done']",
        ))
        .await
        .expect("the form's button")
        .click()
        .await
        .expect("send");
    wait_css(&client, "div.review").await;
    screenshot(&b, 360, "review-360.png").await;
    in_first_screen(
        &b,
        "review",
        &["div.review h2", "div.review .review-choices"],
    )
    .await;
    let marked = client
        .find_all(Locator::Css("blockquote.flagged-text mark.flagged"))
        .await
        .expect("marks");
    assert!(
        !marked.is_empty(),
        "the flagged parts are marked in the text"
    );
    screenshot(&b, 1280, "review-1280.png").await;
    found.extend(axe_both_themes(&b, &axe, "day (review)").await);

    // The officer leaves; Today keeps the draft and opens at its warning.
    client
        .goto(&format!("{base}/today"))
        .await
        .expect("open Today");
    wait_css(&client, "div.review").await;
    in_first_screen(
        &b,
        "draft on Today",
        &[STATUS, "div.review .review-choices"],
    )
    .await;
    let kept = client
        .find(Locator::Css("textarea#reflection-3"))
        .await
        .expect("the form")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some(FLAGGED));
    client
        .find(Locator::XPath("//div[contains(@class, 'review')]//button[normalize-space() = 'Post with those parts removed']"))
        .await
        .expect("the choice")
        .click()
        .await
        .expect("post without the flagged parts");

    // The celebration: day done, runs, points, the badge with its icon, rank, reactions.
    let title = wait_css(&client, ".celebrate .celebrate-title")
        .await
        .text_content()
        .await;
    assert_eq!(title, "Day 3 is done.");
    assert_eq!(
        stat_texts(&b, ".celebrate .stats").await,
        ["3 days done", "3 days in a row now", "3 best run"]
    );
    let celebrate = wait_css(&client, ".celebrate").await.text_content().await;
    for part in ["on the cohort board", "Helpful ×1"] {
        assert!(celebrate.contains(part), "{part} missing from: {celebrate}");
    }
    // Three in a row: the pack's badge, with its icon.
    let badge = wait_css(&client, ".celebrate li.badge-earned")
        .await
        .text_content()
        .await;
    assert!(badge.starts_with("🔥New badge: Three in a row"), "{badge}");
    screenshot(&b, 360, "saved-360.png").await;
    screenshot(&b, 1280, "saved-1280.png").await;
    found.extend(axe_both_themes(&b, &axe, "day (saved)").await);

    // Back returns to Today, which says it is done (not "Mark day 3 as done" again).
    client.back().await.expect("Back");
    let status = wait_css(&client, STATUS).await.text_content().await;
    assert_eq!(status, "✓ Done", "Back after saving");
    assert!(
        client
            .find_all(Locator::XPath(
                "//button[normalize-space() = 'Mark day 3 as done']"
            ))
            .await
            .expect("find")
            .is_empty()
    );
    client
        .goto(&format!("{base}/today"))
        .await
        .expect("open Today");
    wait_css(&client, STATUS).await;
    in_first_screen(&b, "done", &[STATUS, STATS, ACTION]).await;
    screenshot(&b, 360, "today-done-360.png").await;
    found.extend(axe_both_themes(&b, &axe, "today (done)").await);

    // The leaderboard: nothing scrolls sideways at 360 px, the person's row highlighted.
    client
        .goto(&format!("{base}/c/{cohort}/leaderboard"))
        .await
        .expect("open the leaderboard");
    wait_css(&client, "table.board").await;
    set_viewport(&b, 360, 640).await;
    assert_eq!(
        sideways(&b).await,
        0,
        "the leaderboard scrolls sideways at 360 px"
    );
    let overflowing = script(
        &client,
        "return [...document.querySelectorAll('table, .card')].filter(e => e.scrollWidth > e.clientWidth).length;",
    )
    .await;
    assert_eq!(
        overflowing.as_i64(),
        Some(0),
        "a board is wider than its card"
    );
    let [_, _, _, right] = rect(&b, "table.board tr.me td.num").await.expect("my row");
    assert!(right <= 360.0, "my points are off-screen: {right}");
    screenshot(&b, 360, "leaderboard-360.png").await;
    screenshot(&b, 1280, "leaderboard-1280.png").await;
    found.extend(axe_both_themes(&b, &axe, "leaderboard").await);

    for (path, name) in [
        ("/account", "account"),
        (&format!("/c/{cohort}/journey") as &str, "journey"),
    ] {
        client.goto(&format!("{base}{path}")).await.expect("open");
        wait_css(&client, "main h1").await;
        set_viewport(&b, 360, 640).await;
        assert_eq!(sideways(&b).await, 0, "{name} scrolls sideways at 360 px");
        screenshot(&b, 360, &format!("{name}-360.png")).await;
        screenshot(&b, 1280, &format!("{name}-1280.png")).await;
        found.extend(axe_both_themes(&b, &axe, name).await);
    }

    // officer2 took day 3 as a rest day.
    sign_in(&client, &links[2]).await;
    wait_css(&client, STATUS).await;
    let status = wait_css(&client, STATUS).await.text_content().await;
    assert_eq!(status, "Rest day: your run is kept");
    in_first_screen(&b, "rest", &[STATUS, STATS, ACTION]).await;
    screenshot(&b, 360, "today-rest-360.png").await;
    found.extend(axe_both_themes(&b, &axe, "today (rest)").await);

    // The sign-in page, with its error pointing at a message that exists.
    client
        .goto(&format!("{base}/signin"))
        .await
        .expect("sign-in page");
    wait_css(&client, "input#email").await;
    found.extend(axe_both_themes(&b, &axe, "signin").await);
    found
}

/// officer3, after the last day closed: late, and until when.
async fn late(b: Chromium, link: String, axe: String) -> Vec<String> {
    let client = b.client.clone();
    theme(&b, false).await;
    sign_in(&client, &link).await;
    let status = wait_css(&client, STATUS).await.text_content().await;
    assert!(
        status.starts_with("Late: you can still do it until Sat 6 Feb, 12:00"),
        "{status}"
    );
    in_first_screen(&b, "late", &[STATUS, STATS, ACTION]).await;
    screenshot(&b, 360, "today-late-360.png").await;
    axe_both_themes(&b, &axe, "today (late)").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn today_fits_a_phone_in_every_state() {
    if !support::browser::browser_installed("today_fits_a_phone_in_every_state") {
        return;
    }
    let Some(axe) = axe_source("today_fits_a_phone_in_every_state") else {
        return;
    };
    let db = TestDb::sqlite().await;
    // 10:00 on Wednesday 6 January 2027: day 3 is out, day 2 open until 12:00.
    let app = TestApp::spawn(&db, support::utc("2027-01-06T10:00:00Z")).await;
    let cohort = app.cohort("2027-01-04", &support::people_csv(6, 2)).await;
    app.release_due().await;

    // officer0 caught up day 1 and did day 2 with a shared reflection, which officer1 found
    // helpful.
    let mut zero = app.browser("officer0@force.police.uk").await;
    let (csrf, key) = zero.day_form(cohort, 1).await;
    let done = zero
        .post(
            &format!("/c/{cohort}/day/1"),
            &[("csrf", &csrf), ("key", &key)],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let (csrf, key) = zero.day_form(cohort, 2).await;
    let done = zero
        .post(
            &format!("/c/{cohort}/day/2"),
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("reflection", "Showed a victim the online form."),
                ("visibility", "cohort"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let mut one = app.browser("officer1@force.police.uk").await;
    let feed = one.get(&format!("/c/{cohort}/feed")).await.body;
    let react = regex::Regex::new(r#"action="(/c/\d+/reflections/\d+/react)""#)
        .unwrap()
        .captures(&feed)
        .expect("a reflection to react to")[1]
        .to_string();
    let token = form_token(&feed);
    let reacted = one
        .post(
            &react,
            &[("csrf", &token), ("kind", "helpful"), ("on", "1")],
        )
        .await;
    assert_eq!(reacted.status, 303, "{}", reacted.body);
    // officer2 rests on day 3.
    let mut two = app.browser("officer2@force.police.uk").await;
    let csrf = two.csrf().await;
    let rested = two
        .post(&format!("/c/{cohort}/day/3/rest"), &[("csrf", &csrf)])
        .await;
    assert_eq!(rested.status, 303, "{}", rested.body);

    let mut links = Vec::new();
    for n in 0..3 {
        let me = app.person(&format!("officer{n}@force.police.uk")).await;
        links.push(
            muster::app::signin::issue_link(&app.services, me.id, Duration::minutes(20))
                .await
                .expect("a sign-in link"),
        );
    }
    let base = app.base.clone();
    let mut found = with_chromium(360, |b| officers(b, base, links, cohort, axe.clone())).await;

    // After day 30 closed (12:00 on 3 February), its three catch-up days are still open.
    app.clock.set(support::utc("2027-02-04T09:00:00Z"));
    app.release_due().await;
    let me = app.person("officer3@force.police.uk").await;
    let late_link = muster::app::signin::issue_link(&app.services, me.id, Duration::minutes(20))
        .await
        .expect("a sign-in link");
    found.extend(with_chromium(360, |b| late(b, late_link, axe)).await);
    assert_eq!(found, Vec::<String>::new(), "axe-core violations");
    drop(app);
    db.cleanup().await;
}
