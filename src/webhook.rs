//! Posting to a team channel's incoming webhook (Microsoft Teams or Slack): the outlet channel
//! posts from the outbox go through, as [`crate::mail`] is for email.
//!
//! A webhook URL is a secret (whoever holds it can post to the channel), so it is never logged,
//! errors are stripped of it, and [`mask`] is how it is shown. Only `https://` is accepted, or
//! plain `http://` to this machine (tests, a local relay).

use std::time::Duration;

use crate::mail::Verdict;

/// How long a post may take before it counts as failed for now.
const TIMEOUT: Duration = Duration::from_secs(20);

/// What to post, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub url: String,
    pub body: serde_json::Value,
}

/// Why a post did not go.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error("the channel answered {0}")]
    Refused(u16),
    #[error("the channel could not be reached: {0}")]
    Failed(String),
    #[error("the channel's webhook URL is not usable: {0}")]
    BadUrl(String),
}

impl PostError {
    /// 429, 5xx, timeouts and connection failures may pass: retried with backoff. Any other
    /// refusal (404: the webhook was deleted, 400: a payload it will never take) is for good.
    pub fn verdict(&self) -> Verdict {
        match self {
            PostError::Refused(429) | PostError::Refused(500..) | PostError::Failed(_) => {
                Verdict::Later
            }
            PostError::Refused(_) | PostError::BadUrl(_) => Verdict::Permanent,
        }
    }
}

/// The HTTP client posts go through (connections kept between posts).
pub struct Poster {
    client: Result<reqwest::Client, String>,
}

impl Default for Poster {
    fn default() -> Self {
        Self::new()
    }
}

impl Poster {
    pub fn new() -> Poster {
        // rustls with ring, the provider lettre already uses; a second call finds it installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT / 2)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.without_url().to_string());
        Poster { client }
    }

    /// Posts `post.body` as JSON to `post.url`; any 2xx is done.
    pub async fn post(&self, post: &Post) -> Result<(), PostError> {
        let url = check_url(&post.url).map_err(PostError::BadUrl)?;
        let client = self.client.as_ref().map_err(|e| PostError::Failed(e.clone()))?;
        let response = client
            .post(url)
            .json(&post.body)
            .send()
            .await
            .map_err(|e| PostError::Failed(e.without_url().to_string()))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(PostError::Refused(status.as_u16()))
        }
    }
}

/// `url` if it can be a webhook: `https://`, or `http://` to this machine. The reason never
/// repeats the URL.
pub fn check_url(url: &str) -> Result<reqwest::Url, String> {
    let parsed =
        reqwest::Url::parse(url.trim()).map_err(|e| format!("not a URL ({e})"))?;
    let host = parsed.host_str().unwrap_or_default();
    match parsed.scheme() {
        "https" if !host.is_empty() => Ok(parsed),
        "http" if crate::mail::url::is_local(host) => Ok(parsed),
        "http" => Err("a webhook to another machine must use https://".into()),
        _ => Err("a webhook URL starts with https://".into()),
    }
}

/// How a webhook URL is shown: its scheme and host, the secret rest masked
/// (`https://example.webhook.office.com/****`).
pub fn mask(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => format!(
            "{}://{}{}/****",
            u.scheme(),
            u.host_str().unwrap_or_default(),
            u.port().map(|p| format!(":{p}")).unwrap_or_default()
        ),
        Err(_) => "****".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_this_machine_and_shown_masked() {
        assert!(check_url("https://hooks.slack.com/services/T/B/secret").is_ok());
        assert!(check_url("http://127.0.0.1:8080/hook").is_ok());
        let refused = check_url("http://hooks.slack.com/services/T/B/secret").unwrap_err();
        assert!(refused.contains("https") && !refused.contains("secret"), "{refused}");
        assert!(check_url("hooks.slack.com/x").is_err());
        assert_eq!(
            mask("https://hooks.slack.com/services/T/B/secret"),
            "https://hooks.slack.com/****"
        );
        assert_eq!(mask("http://127.0.0.1:8080/x/y"), "http://127.0.0.1:8080/****");
    }

    #[test]
    fn busy_and_broken_channels_are_retried_missing_ones_are_not() {
        assert_eq!(PostError::Refused(429).verdict(), Verdict::Later);
        assert_eq!(PostError::Refused(503).verdict(), Verdict::Later);
        assert_eq!(PostError::Failed("timed out".into()).verdict(), Verdict::Later);
        assert_eq!(PostError::Refused(404).verdict(), Verdict::Permanent);
        assert_eq!(PostError::Refused(400).verdict(), Verdict::Permanent);
    }
}
