//! A cohort's team channel: an incoming webhook (Microsoft Teams or Slack) to which the morning
//! summary of each released day is posted. The release queues the post in its transaction
//! ([`crate::store::channel::queue_post`]); the mail sender writes it when it goes ([`post`]) and
//! delivers it through [`crate::webhook`], with the same retries as mail.
//!
//! The summary is for a shared channel, so it says only what anyone in it may read: the day and
//! its title, how many of each team did yesterday's day (counts, never who did not), new badges,
//! and streaks worth celebrating, with the names of those who earned them. No reflection text,
//! and no sign-in link: the link opens the day for whoever signs in.

use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::{AppError, Refusal, Services};
use crate::domain::{CohortId, Day};
use crate::store::channel::{self, Channel};
use crate::store::{cohorts, digest, millis};
use crate::webhook::{self, Post};

/// A streak is worth celebrating in the channel from this many days in a row.
const CELEBRATED_STREAK: i64 = 3;
/// At most this many names in a list; the rest are counted.
const NAMES_SHOWN: usize = 10;

/// How a channel's incoming webhook wants its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelFormat {
    /// An Adaptive Card, as Teams' incoming webhooks (Workflows) take.
    Teams,
    /// Slack's `{"text": ...}` with its own markup.
    Slack,
}

impl ChannelFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelFormat::Teams => "teams",
            ChannelFormat::Slack => "slack",
        }
    }
}

impl FromStr for ChannelFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "teams" => Ok(ChannelFormat::Teams),
            "slack" => Ok(ChannelFormat::Slack),
            other => Err(format!(
                "`{other}` is not a channel format; write teams or slack"
            )),
        }
    }
}

/// A cohort's channel as it may be shown: the webhook URL masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelShown {
    pub webhook: String,
    pub format: ChannelFormat,
}

/// Sets `cohort`'s team channel to the webhook at `url` in `format`, or removes it (`None`).
/// A URL that cannot be a webhook is refused and nothing changes; the refusal never repeats it.
pub async fn set(
    services: &Services,
    cohort: CohortId,
    to: Option<(&str, ChannelFormat)>,
) -> Result<(), AppError> {
    let mut tx = services.store.begin_write().await?;
    if cohorts::get(tx.conn(), cohort.0).await?.is_none() {
        return Err(AppError::NotFound(format!("there is no cohort {cohort}")));
    }
    match to {
        Some((url, format)) => {
            let url = webhook::check_url(url).map_err(|why| Refusal::ChannelInvalid.says(why))?;
            let channel = Channel {
                webhook_url: url.to_string(),
                format: format.as_str().into(),
            };
            channel::set(tx.conn(), cohort.0, &channel, millis(services.clock.now())).await?;
        }
        None => {
            channel::remove(tx.conn(), cohort.0).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// `cohort`'s team channel, masked, if it has one.
pub async fn shown(
    services: &Services,
    cohort: CohortId,
) -> Result<Option<ChannelShown>, AppError> {
    let Some(c) = channel::get(services.store.pool(), cohort.0).await? else {
        return Ok(None);
    };
    Ok(Some(ChannelShown {
        webhook: webhook::mask(&c.webhook_url),
        format: c
            .format
            .parse()
            .map_err(|e: String| Refusal::ChannelInvalid.says(e))?,
    }))
}

/// What the morning summary of a day says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub cohort: String,
    pub day: Day,
    pub title: String,
    /// Where the day opens (after signing in).
    pub day_url: String,
    /// How many of each team did the day before: (team, done, of). Empty on day 1.
    pub yesterday: Vec<(String, i64, i64)>,
    /// Badges earned since the day before's release: (name, badge).
    pub badges: Vec<(String, String)>,
    /// Streaks of [`CELEBRATED_STREAK`] days or more reaching the day before: (name, days).
    pub streaks: Vec<(String, i64)>,
}

/// Reads the summary of `day` of `cohort_id` at `now`, in the sender's transaction.
pub(crate) async fn summary(
    tx: &mut crate::store::Tx,
    cohort_id: i64,
    cohort: &str,
    day: Day,
    title: &str,
    day_url: String,
    now: DateTime<Utc>,
) -> Result<Summary, AppError> {
    let (by_team, streaks) = match Day::new(day.get() - 1) {
        Some(yesterday) => {
            let by_team = channel::done_by_team(tx.conn(), cohort_id, yesterday).await?;
            let members = digest::members(tx.conn(), cohort_id, None).await?;
            let done = digest::done_days(tx.conn(), cohort_id, None, yesterday).await?;
            let streaks = super::digest::streaks(&members, &done, yesterday)
                .into_iter()
                .filter(|(_, days)| *days >= CELEBRATED_STREAK)
                .collect();
            (by_team, streaks)
        }
        None => (Vec::new(), Vec::new()),
    };
    let since = millis(now - Duration::days(1));
    let badges = digest::new_badges(tx.conn(), cohort_id, None, since).await?;
    Ok(Summary {
        cohort: cohort.into(),
        day,
        title: title.into(),
        day_url,
        yesterday: by_team
            .into_iter()
            .map(|t| (t.team, t.done, t.people))
            .collect(),
        badges,
        streaks,
    })
}

/// The post of `summary` to the webhook at `url`, in `format`.
pub(crate) fn post(summary: &Summary, url: &str, format: ChannelFormat) -> Post {
    let body = match format {
        ChannelFormat::Teams => teams(summary),
        ChannelFormat::Slack => slack(summary),
    };
    Post {
        url: url.into(),
        body,
    }
}

/// The summary's lines after its heading: (heading, items).
fn sections(s: &Summary) -> Vec<(String, Vec<String>)> {
    let mut sections = Vec::new();
    if !s.yesterday.is_empty() {
        let items = s
            .yesterday
            .iter()
            .map(|(team, done, of)| format!("{team}: {done} of {of}"))
            .collect();
        sections.push((format!("Day {} done, by team", s.day.get() - 1), items));
    }
    let names = |items: Vec<String>| {
        let more = items.len().saturating_sub(NAMES_SHOWN);
        let mut shown: Vec<String> = items.into_iter().take(NAMES_SHOWN).collect();
        if more > 0 {
            shown.push(format!("and {more} more"));
        }
        shown
    };
    if !s.badges.is_empty() {
        let items = s.badges.iter().map(|(n, b)| format!("{n}: {b}")).collect();
        sections.push(("New badges".into(), names(items)));
    }
    if !s.streaks.is_empty() {
        let items = s
            .streaks
            .iter()
            .map(|(n, days)| format!("{n}: {days} days in a row"))
            .collect();
        sections.push(("Streaks".into(), names(items)));
    }
    sections
}

fn heading(s: &Summary) -> String {
    format!("Day {} of {} is open: {}", s.day, s.cohort, s.title)
}

/// An Adaptive Card in a message, as Teams' incoming webhooks take it. Text blocks are plain
/// text to the card, so nothing in a name can become markup.
fn teams(s: &Summary) -> Value {
    let mut body = vec![json!({
        "type": "TextBlock", "text": heading(s), "weight": "Bolder", "size": "Medium", "wrap": true
    })];
    for (title, items) in sections(s) {
        body.push(json!({"type": "TextBlock", "text": title, "weight": "Bolder", "wrap": true, "spacing": "Medium"}));
        for item in items {
            body.push(json!({"type": "TextBlock", "text": item, "wrap": true, "spacing": "None"}));
        }
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
                "actions": [{"type": "Action.OpenUrl", "title": format!("Open day {}", s.day), "url": s.day_url}]
            }
        }]
    })
}

/// Slack's message: text with `&`, `<` and `>` escaped as Slack asks, the link in its `<url|label>`
/// form.
fn slack(s: &Summary) -> Value {
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut text = format!(
        "*{}*\n<{}|Open day {}>\n",
        escape(&heading(s)),
        s.day_url,
        s.day
    );
    for (title, items) in sections(s) {
        text += &format!("\n*{}*\n", escape(&title));
        for item in items {
            text += &format!("• {}\n", escape(&item));
        }
    }
    json!({ "text": text })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> Summary {
        Summary {
            cohort: "Cohort <A>".into(),
            day: Day::new(4).unwrap(),
            title: "Spot the phish".into(),
            day_url: "https://m.example/c/1/day/4".into(),
            yesterday: vec![("Team 0".into(), 3, 4)],
            badges: vec![("Zoë & Co".into(), "first-steps".into())],
            streaks: vec![("Ann".into(), 3)],
        }
    }

    #[test]
    fn slack_text_is_escaped_and_teams_is_a_card() {
        let slack = post(&summary(), "https://x", ChannelFormat::Slack).body;
        let text = slack["text"].as_str().unwrap();
        assert!(
            text.contains("Day 4 of Cohort &lt;A&gt; is open: Spot the phish"),
            "{text}"
        );
        assert!(
            text.contains("Team 0: 3 of 4") && text.contains("Zoë &amp; Co"),
            "{text}"
        );
        assert!(
            text.contains("<https://m.example/c/1/day/4|Open day 4>"),
            "{text}"
        );
        let teams = post(&summary(), "https://x", ChannelFormat::Teams).body;
        let card = &teams["attachments"][0]["content"];
        assert_eq!(card["type"], "AdaptiveCard");
        assert!(
            card["body"].to_string().contains("Ann: 3 days in a row"),
            "{card}"
        );
    }

    #[test]
    fn long_lists_are_cut_short_and_counted() {
        let mut s = summary();
        s.streaks = (0..13).map(|i| (format!("P{i}"), 5)).collect();
        let streaks = sections(&s).pop().unwrap().1;
        assert_eq!(streaks.len(), NAMES_SHOWN + 1);
        assert_eq!(streaks.last().unwrap(), "and 3 more");
    }

    #[test]
    fn formats_are_read_kindly() {
        assert_eq!("Teams".parse(), Ok(ChannelFormat::Teams));
        assert!(
            "discord"
                .parse::<ChannelFormat>()
                .unwrap_err()
                .contains("teams or slack")
        );
    }
}
