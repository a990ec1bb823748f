//! A participant's day in a real browser: headless Chromium, driven through chromedriver, against
//! the whole server on SQLite. Signs in by link, completes today's day, reads the feed, reacts and
//! replies; saves screenshots at phone and desktop widths under `target/screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`; without them the test prints `skipped: ...`,
//! unless `MUSTER_REQUIRE_SERVICES=1`, when that is a failure.

use crate::support;

use std::time::Instant;

use crate::support::TestDb;
use crate::support::app::TestApp;
use crate::support::browser::{
    Chromium, TextContent, screenshot, screenshots_dir, set_viewport, sign_in, wait_css,
    wait_xpath, with_chromium,
};
use fantoccini::Locator;

const MY_REFLECTION: &str =
    "Showed a shopkeeper how to report a theft online; it took two minutes.";
const THEIR_REFLECTION: &str = "Helped a victim upload CCTV to the portal from her phone.";
const MY_REPLY: &str = "Good idea, I will try the upload link on my next shift.";

/// An XPath literal for `text` (which must not hold both kinds of quote).
fn quoted(text: &str) -> String {
    if text.contains('\'') {
        format!("\"{text}\"")
    } else {
        format!("'{text}'")
    }
}

/// Officer 1's reflection in the feed.
const THEIRS: &str = "//article[contains(@class, 'reflection')][.//p[contains(@class, 'meta')]/strong[normalize-space() = 'Officer 1']]";

/// What officer0 does in the browser, from the sign-in link to a sent reply.
async fn journey(b: Chromium, link: String, cohort: i64) {
    let client = b.client.clone();
    // The stylesheet scrolls smoothly unless motion is reduced, and chromedriver clicks where an
    // element is before a smooth scroll has finished: ask for reduced motion, as some people do.
    b.reduce_motion().await;
    // Sign in: the link shows a button, pressing it signs in and lands on Today.
    sign_in(&client, &link).await;
    let label = wait_css(&client, "p.day-label").await;
    assert_eq!(label.text_content().await, "Day 3 of 30");
    let url = client.current_url().await.expect("url");
    assert_eq!(url.path(), "/today");
    let heading = client
        .find(Locator::Css("main h1"))
        .await
        .expect("a heading");
    assert_eq!(heading.text_content().await, "Today");
    screenshot(&b, 360, "today-360.png").await;

    // Complete day 3 with a reflection, a check-in, shared with the cohort by name.
    let textarea = wait_css(&client, "textarea#reflection-3").await;
    textarea.send_keys(MY_REFLECTION).await.expect("type");
    let four = client
        .find(Locator::XPath(
            "//fieldset[contains(@class, 'checkin')]//label[normalize-space() = '4']/input",
        ))
        .await
        .expect("check-in 4");
    four.click().await.expect("pick check-in 4");
    let cohort_choice = client
        .find(Locator::XPath(
            "//fieldset[contains(@class, 'choices')]//label[normalize-space() = 'My cohort, with my name']/input",
        ))
        .await
        .expect("the cohort visibility choice");
    cohort_choice.click().await.expect("pick the cohort");
    assert!(cohort_choice.is_selected().await.expect("selected"));
    client
        .find(Locator::XPath(
            "//button[normalize-space() = 'Mark day 3 as done']",
        ))
        .await
        .expect("the done button")
        .click()
        .await
        .expect("press Mark day 3 as done");
    let saved = wait_css(&client, "div.celebrate[role='status'] > p.celebrate-title").await;
    let text = saved.text_content().await;
    assert_eq!(text, "Day 3 is done.");
    let url = client.current_url().await.expect("url");
    assert_eq!(url.path(), format!("/c/{cohort}/day/3"));
    assert_eq!(url.query(), Some("saved=1"));
    // The form keeps the reflection for editing.
    let kept = client
        .find(Locator::Css("textarea#reflection-3"))
        .await
        .expect("the form")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some(MY_REFLECTION));
    screenshot(&b, 360, "day-360.png").await;
    screenshot(&b, 1280, "day-1280.png").await;
    set_viewport(&b, 360, 800).await;

    // The feed, from the confirmation's link: both reflections, mine marked as mine.
    client
        .find(Locator::LinkText("See what others learnt"))
        .await
        .expect("the feed link")
        .click()
        .await
        .expect("open the feed");
    wait_css(&client, "ol.feed article.reflection").await;
    let mine = wait_xpath(
        &client,
        &format!(
            "//article[contains(@class, 'reflection')][p[contains(@class, 'body')][normalize-space() = {}]]",
            quoted(MY_REFLECTION)
        ),
    )
    .await;
    let meta = mine
        .find(Locator::Css("p.meta"))
        .await
        .expect("meta")
        .text_content()
        .await;
    assert!(meta.contains("Officer 0") && meta.contains("You"), "{meta}");
    let theirs = wait_xpath(&client, THEIRS).await;
    let body = theirs
        .find(Locator::Css("p.body"))
        .await
        .expect("body")
        .text_content()
        .await;
    assert_eq!(body, THEIR_REFLECTION);

    // React "Helpful": the page comes back with the button pressed and counting one.
    let helpful = theirs
        .find(Locator::XPath(
            ".//button[contains(@class, 'reaction')][starts-with(normalize-space(), 'Helpful')]",
        ))
        .await
        .expect("the Helpful button");
    assert_eq!(
        helpful.attr("aria-pressed").await.expect("attr").as_deref(),
        Some("false")
    );
    helpful.click().await.expect("press Helpful");
    let pressed = wait_xpath(
        &client,
        &format!(
            "{THEIRS}//button[contains(@class, 'reaction')][starts-with(normalize-space(), 'Helpful')][@aria-pressed = 'true']"
        ),
    )
    .await;
    assert_eq!(pressed.text_content().await, "Helpful 1");
    assert_eq!(
        pressed
            .find(Locator::Css("span"))
            .await
            .expect("count")
            .text_content()
            .await,
        "1"
    );

    // Open the replies and send one; it shows under the reflection.
    let theirs = wait_xpath(&client, THEIRS).await;
    let summary = theirs
        .find(Locator::Css("details.replies > summary"))
        .await
        .expect("the replies summary");
    assert_eq!(summary.text_content().await, "0 replies");
    summary.click().await.expect("open the replies");
    theirs
        .find(Locator::Css("details.replies textarea[name='body']"))
        .await
        .expect("the reply box")
        .send_keys(MY_REPLY)
        .await
        .expect("type a reply");
    theirs
        .find(Locator::XPath(
            ".//details[contains(@class, 'replies')]//button[normalize-space() = 'Send reply']",
        ))
        .await
        .expect("the Send reply button")
        .click()
        .await
        .expect("send the reply");
    let summary = wait_xpath(
        &client,
        &format!(
            "{THEIRS}//details[contains(@class, 'replies')]/summary[normalize-space() = '1 reply']"
        ),
    )
    .await;
    summary.click().await.expect("open the replies again");
    let reply = wait_xpath(&client, &format!("{THEIRS}//li[contains(@class, 'reply')]")).await;
    let reply_text = reply.text_content().await;
    assert!(
        reply_text.contains("Officer 0") && reply_text.contains(MY_REPLY),
        "{reply_text}"
    );
    screenshot(&b, 360, "feed-360.png").await;
    screenshot(&b, 1280, "feed-1280.png").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_participant_journey() {
    if !support::browser::browser_installed("browser_participant_journey") {
        return;
    }
    let started = Instant::now();
    let db = TestDb::sqlite().await;
    // 12:00 on Wednesday 6 January 2027: day 3 of a cohort that started on the Monday.
    let app = TestApp::spawn(&db, support::utc("2027-01-06T12:00:00Z")).await;
    let cohort = app.cohort("2027-01-04", &support::people_csv(6, 2)).await;
    app.release_due().await;

    // A colleague in the other team has shared a reflection for today.
    let mut colleague = app.browser("officer1@force.police.uk").await;
    let (csrf, key) = colleague.day_form(cohort, 3).await;
    let done = colleague
        .post(
            &format!("/c/{cohort}/day/3"),
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("reflection", THEIR_REFLECTION),
                ("visibility", "cohort"),
                ("checkin", "5"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);

    let me = muster::store::people::by_email(db.store.pool(), "officer0@force.police.uk")
        .await
        .expect("query")
        .expect("officer0");
    let link = muster::app::signin::issue_link(&app.services, me.id, chrono::Duration::minutes(20))
        .await
        .expect("a sign-in link");

    with_chromium(360, |b| journey(b, link, cohort)).await;

    // What the clicks stored: one submission for day 3, one reaction, one reply.
    let pool = db.store.pool();
    let submissions: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM submissions WHERE person_id = $1 AND cohort_id = $2 AND day = 3",
    )
    .bind(me.id)
    .bind(cohort)
    .fetch_one(pool)
    .await
    .expect("count submissions");
    assert_eq!(submissions, 1);
    let reflection: String = sqlx::query_scalar(
        "SELECT r.body FROM reflections r JOIN submissions s ON s.id = r.submission_id \
         WHERE s.person_id = $1 AND s.day = 3",
    )
    .bind(me.id)
    .fetch_one(pool)
    .await
    .expect("my reflection");
    assert_eq!(reflection, MY_REFLECTION);
    let reactions: Vec<(String, String)> = sqlx::query_as(
        "SELECT x.kind, r.body FROM reactions x JOIN reflections r ON r.id = x.reflection_id \
         WHERE x.person_id = $1",
    )
    .bind(me.id)
    .fetch_all(pool)
    .await
    .expect("reactions");
    assert_eq!(
        reactions,
        vec![("helpful".to_string(), THEIR_REFLECTION.to_string())]
    );
    let replies: Vec<(String, String)> = sqlx::query_as(
        "SELECT p.body, r.body FROM replies p JOIN reflections r ON r.id = p.reflection_id \
         WHERE p.person_id = $1",
    )
    .bind(me.id)
    .fetch_all(pool)
    .await
    .expect("replies");
    assert_eq!(
        replies,
        vec![(MY_REPLY.to_string(), THEIR_REFLECTION.to_string())]
    );
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reactions")
        .fetch_one(pool)
        .await
        .expect("count reactions");
    assert_eq!(total, 1);
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM replies")
        .fetch_one(pool)
        .await
        .expect("count replies");
    assert_eq!(total, 1);

    drop(app);
    db.cleanup().await;
    eprintln!(
        "browser journey took {:.1} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        screenshots_dir().display()
    );
}
