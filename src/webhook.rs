//! Posting to a team channel's incoming webhook (Microsoft Teams or Slack): the outlet channel
//! posts from the outbox go through, as [`crate::mail`] is for email.
//!
//! A webhook URL is a secret (whoever holds it can post to the channel), so it is never logged,
//! errors are stripped of it, and [`mask`] is how it is shown. Only `https://` is accepted, or
//! plain `http://` to this machine (tests, a local relay).

use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

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

type Client =
    hyper_util::client::legacy::Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// The HTTP client posts go through (connections kept between posts).
pub struct Poster {
    client: Client,
}

impl Default for Poster {
    fn default() -> Self {
        Self::new()
    }
}

impl Poster {
    /// A client trusting the system's certificate authorities (none when they cannot be read:
    /// every `https://` post then fails, is retried and finally given up with the reason).
    pub fn new() -> Poster {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut http = HttpConnector::new();
        http.set_connect_timeout(Some(TIMEOUT / 2));
        http.enforce_http(false);
        let builder = match hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(provider.clone())
        {
            Ok(builder) => builder,
            Err(e) => {
                tracing::warn!(error = %e, "no certificate authorities for team channel posts");
                hyper_rustls::HttpsConnectorBuilder::new()
                    .with_tls_config(trusting_nobody(provider))
            }
        };
        let connector = builder.https_or_http().enable_http1().wrap_connector(http);
        let client =
            hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build(connector);
        Poster { client }
    }

    /// Posts `post.body` as JSON to `post.url`; any 2xx is done.
    pub async fn post(&self, post: &Post) -> Result<(), PostError> {
        let url = check_url(&post.url).map_err(PostError::BadUrl)?;
        let request = hyper::Request::post(url.as_str())
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header(hyper::header::USER_AGENT, "muster")
            .body(Full::new(Bytes::from(post.body.to_string())))
            .map_err(|e| PostError::BadUrl(e.to_string()))?;
        let response = tokio::time::timeout(TIMEOUT, self.client.request(request))
            .await
            .map_err(|_| PostError::Failed(format!("no answer within {} s", TIMEOUT.as_secs())))?
            .map_err(|e| PostError::Failed(chain(&e)))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(PostError::Refused(status.as_u16()))
        }
    }
}

/// TLS that trusts no certificate: every `https://` post fails (for want of the system's
/// authorities) while plain posts to this machine still go.
fn trusting_nobody(provider: Arc<rustls::crypto::CryptoProvider>) -> rustls::ClientConfig {
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap_or_else(|_| unreachable!("ring supports TLS 1.2 and 1.3"))
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth()
}

/// An error and its causes, `: `-separated (hyper's errors never name the URL).
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text += &format!(": {c}");
        cause = c.source();
    }
    text
}

/// `url` if it can be a webhook: `https://`, or `http://` to this machine. The reason never
/// repeats the URL.
pub fn check_url(url: &str) -> Result<url::Url, String> {
    let parsed = url::Url::parse(url.trim()).map_err(|e| format!("not a URL ({e})"))?;
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
    match url::Url::parse(url) {
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
        assert!(
            refused.contains("https") && !refused.contains("secret"),
            "{refused}"
        );
        assert!(check_url("hooks.slack.com/x").is_err());
        assert_eq!(
            mask("https://hooks.slack.com/services/T/B/secret"),
            "https://hooks.slack.com/****"
        );
        assert_eq!(
            mask("http://127.0.0.1:8080/x/y"),
            "http://127.0.0.1:8080/****"
        );
    }

    #[test]
    fn busy_and_broken_channels_are_retried_missing_ones_are_not() {
        assert_eq!(PostError::Refused(429).verdict(), Verdict::Later);
        assert_eq!(PostError::Refused(503).verdict(), Verdict::Later);
        assert_eq!(
            PostError::Failed("timed out".into()).verdict(),
            Verdict::Later
        );
        assert_eq!(PostError::Refused(404).verdict(), Verdict::Permanent);
        assert_eq!(PostError::Refused(400).verdict(), Verdict::Permanent);
    }
}
