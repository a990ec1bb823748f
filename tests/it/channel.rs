//! The morning summary posted to a cohort's team channel through a local HTTP server that records
//! what it receives, on both backends: the channel set with `muster cohort set` (the URL masked
//! wherever it is shown), a Slack and a Teams post at release, a 503 retried after its backoff,
//! yesterday's completion by team with no names of those who did not do it, and a 404 given up
//! at once and listed by `muster mail failed`.

use crate::briefing::submit;
use crate::support::app::TestApp;
use crate::support::process::muster;
use crate::support::webhook::{Hook, Received};
use crate::support::{self, TestDb};
use muster::app::jobs::outbox::failed;

/// Day 1 of a cohort starting on 4 January 2027 is released at 06:00 London (UTC in winter).
const DAY_ONE: &str = "2027-01-04T06:00:30Z";
/// The secret part of every webhook URL here: it must never be printed.
const SECRET: &str = "s3cretT0ken";

fn posts_to(got: &[Received], path: &str) -> Vec<serde_json::Value> {
    got.iter()
        .filter(|r| r.path == path)
        .map(|r| r.body.clone())
        .collect()
}

async fn unsent_channel_posts(db: &TestDb) -> Vec<(i64, i64, Option<String>)> {
    sqlx::query_as(
        "SELECT cohort_id, attempts, last_error FROM outbox \
         WHERE kind = 'channel' AND sent_at IS NULL AND failed_at IS NULL ORDER BY id",
    )
    .fetch_all(db.store.pool())
    .await
    .expect("channel posts")
}

async fn the_morning_summary_goes_to_the_team_channel(db: &TestDb) {
    let slack_path = format!("/slack/{SECRET}");
    let teams_path = format!("/teams/{SECRET}");
    let gone_path = format!("/gone/{SECRET}");
    let hook = Hook::start(&[(&slack_path, vec![503]), (&gone_path, vec![404; 5])]).await;
    let app = TestApp::spawn(db, support::utc(DAY_ONE)).await;
    let csv = support::people_csv(4, 2);
    let slack = app.cohort_named("Slack cohort", "2027-01-04", &csv).await;
    let teams = app.cohort_named("Teams cohort", "2027-01-04", &csv).await;

    // Set by the change lead; what is refused changes nothing, and the URL is never printed.
    let set = |cohort: i64, url: String, format: &str| {
        let cohort = cohort.to_string();
        muster(
            &db.url,
            &[
                "cohort",
                "set",
                &cohort,
                "--channel-webhook",
                &url,
                "--channel-format",
                format,
            ],
        )
    };
    for (cohort, path, format) in [(slack, &slack_path, "slack"), (teams, &teams_path, "teams")] {
        let out = set(cohort, format!("{}{path}", hook.base), format);
        assert!(out.ok, "{}{}", out.stdout, out.stderr);
        assert!(out.stdout.contains("/****"), "{}", out.stdout);
        assert!(!out.stdout.contains(SECRET), "{}", out.stdout);
    }
    let refused = set(slack, format!("http://hooks.example.org/{SECRET}"), "slack");
    assert!(
        !refused.ok && refused.stderr.contains("https://"),
        "{}",
        refused.stderr
    );
    assert!(!refused.stderr.contains(SECRET), "{}", refused.stderr);
    let refused = set(slack, format!("{}{slack_path}", hook.base), "discord");
    assert!(
        !refused.ok && refused.stderr.contains("teams or slack"),
        "{}",
        refused.stderr
    );
    let status = muster(&db.url, &["cohort", "status", &slack.to_string()]);
    assert!(status.ok, "{}", status.stderr);
    assert!(
        status
            .stdout
            .contains(&format!("Channel:   {}/**** (slack)", hook.base)),
        "{}",
        status.stdout
    );
    assert!(!status.stdout.contains(SECRET), "{}", status.stdout);

    // Day 1: one post to each channel; Slack's first answer is a 503.
    app.release_due().await;
    let got = hook.wait_for(2).await;
    let day_one = &posts_to(&got, &teams_path)[0];
    let card = &day_one["attachments"][0]["content"];
    assert_eq!(card["type"], "AdaptiveCard", "{day_one}");
    assert!(
        card["body"][0]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Day 1 of Teams cohort is open: ")),
        "{day_one}"
    );
    assert_eq!(
        card["actions"][0]["url"],
        format!("{}/c/{teams}/day/1", app.base)
    );
    let waiting = unsent_channel_posts(db).await;
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0].0, slack);
    assert!(
        waiting[0].2.as_deref().is_some_and(|e| e.contains("503")),
        "{waiting:?}"
    );
    // Retried once its backoff (30 s, give or take half) has passed.
    app.clock.advance(chrono::Duration::seconds(50));
    let got = hook.wait_for(3).await;
    app.mail_sent().await;
    let slack_posts = posts_to(&got, &slack_path);
    assert_eq!(slack_posts.len(), 2, "the 503 and its retry: {got:?}");
    assert_eq!(slack_posts[0], slack_posts[1]);
    let text = slack_posts[1]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        text.starts_with("*Day 1 of Slack cohort is open: "),
        "{text}"
    );
    assert!(
        text.contains(&format!("<{}/c/{slack}/day/1|Open day 1>", app.base)),
        "{text}"
    );
    assert!(
        !text.contains("signin"),
        "no sign-in link in a shared channel: {text}"
    );

    // Day 2: yesterday's completion by team, counted, and nobody who did not do it named. The
    // Teams cohort's webhook was deleted meanwhile (404): given up at once, and listed.
    for who in ["officer0", "officer2"] {
        let mut b = app.browser(&format!("{who}@force.police.uk")).await;
        submit(&mut b, slack, 1, "PRIVATE words of mine", "private").await;
    }
    let out = set(teams, format!("{}{gone_path}", hook.base), "teams");
    assert!(out.ok, "{}", out.stderr);
    app.clock.advance(chrono::Duration::days(1));
    app.release_due().await;
    let got = hook.wait_for(5).await;
    app.mail_sent().await;
    let text = posts_to(&got, &slack_path)[2]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(text.contains("*Day 1 done, by team*"), "{text}");
    assert!(
        text.contains("Team 0: 2 of 2") && text.contains("Team 1: 0 of 2"),
        "{text}"
    );
    for never in ["Officer 1", "Officer 3", "PRIVATE"] {
        assert!(!text.contains(never), "{never} in {text}");
    }
    assert_eq!(posts_to(&got, &gone_path).len(), 1, "a 404 is not retried");
    let given_up = failed(&db.store, Some(teams)).await.expect("failed posts");
    assert_eq!(given_up.len(), 1, "{given_up:?}");
    assert_eq!(given_up[0].kind, "channel");
    assert!(given_up[0].failure.contains("404"), "{given_up:?}");
    let listed = muster(&db.url, &["mail", "failed", "--cohort", &teams.to_string()]);
    assert!(listed.stdout.contains("the team channel") && listed.stdout.contains("404"));
    assert!(!listed.stdout.contains(SECRET), "{}", listed.stdout);

    // `none` removes the channel: day 3 posts nowhere.
    let out = muster(
        &db.url,
        &[
            "cohort",
            "set",
            &slack.to_string(),
            "--channel-webhook",
            "none",
        ],
    );
    assert!(
        out.ok && out.stdout.contains("no team channel"),
        "{}",
        out.stderr
    );
    app.clock.advance(chrono::Duration::days(1));
    app.release_due().await;
    app.mail_sent().await;
    assert_eq!(posts_to(&hook.received(), &slack_path).len(), 3);
}
on_both_backends!(team_channel, the_morning_summary_goes_to_the_team_channel);
