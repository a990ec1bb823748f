//! Signing in by emailed link, sessions, and API tokens.
//!
//! A link is single-use and short-lived; opening it shows a "Sign in" button rather than signing
//! in at once, because mail scanners open links before people do and would use them up. Secrets
//! are 256 random bits, shown once, and stored only as SHA-256 hashes.

use crate::domain::PersonId;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::callers::Known;
use super::people::{Caller, Person};
use super::{AppError, Refusal, Services};
use crate::store::auth::{self, LinkUse};
use crate::store::{Store, instant, millis};

/// How long a sign-in link works.
pub const LINK_LIFETIME: Duration = Duration::minutes(20);
/// How long a browser session lasts: a month of shifts without signing in again.
pub const SESSION_LIFETIME: Duration = Duration::days(30);
/// At most this many links per address in a [`LINK_WINDOW`]; more requests send nothing.
pub const LINKS_PER_WINDOW: i64 = 3;
/// At most this many sign-in requests per client (network address) in a [`LINK_WINDOW`], whatever
/// addresses they name; more are refused.
pub const REQUESTS_PER_CLIENT: i64 = 20;
/// The rate limits' windows: fixed quarters of an hour (so a burst across the turn of a window
/// may get up to twice a limit).
pub const LINK_WINDOW: Duration = Duration::minutes(15);

/// A fresh secret: 32 random bytes as 64 hex digits.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    hex(&bytes)
}

/// The SHA-256 hash under which a secret is stored.
pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// What became of a request for a sign-in link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRequest {
    /// Taken: a link is emailed if the address belongs to someone and is within its limit.
    Taken,
    /// This client asked too often; nothing was looked at.
    TooManyFromClient,
}

/// Takes a request for a sign-in link to `email` from `client`. The mail (if the address belongs
/// to someone and is within its limit) is queued in the outbox by one statement that runs the
/// same whether or not the address is known, and sent by the outbox's sender after the answer: the
/// answer is the same, takes the same time, and never waits for the mail relay, so the form
/// cannot be used to find out who takes part.
pub async fn request_link(
    services: &Services,
    email: &str,
    client: IpAddr,
) -> Result<LinkRequest, AppError> {
    let email = email.trim().to_lowercase();
    if email.is_empty() || email.len() > 254 || !email.contains('@') {
        return Err(
            Refusal::EmailMissing.says("Please enter the email address you were enrolled with.")
        );
    }
    let now = millis(services.clock.now());
    let window = LINK_WINDOW.num_milliseconds();
    let window_start = now - now.rem_euclid(window);
    let pool = services.store.pool();
    if !auth::count_signin_request(
        pool,
        &hash(&client_key(client)),
        window_start,
        REQUESTS_PER_CLIENT,
    )
    .await?
    {
        tracing::warn!("sign-in requests from one client over their limit; refused");
        return Ok(LinkRequest::TooManyFromClient);
    }
    let address_key = hash(&format!("address {email}"));
    if !auth::count_signin_request(pool, &address_key, window_start, LINKS_PER_WINDOW).await? {
        tracing::warn!("sign-in links for one address over their limit; nothing sent");
        return Ok(LinkRequest::Taken);
    }
    if crate::store::outbox::queue_sign_in(pool, &email, now).await? {
        services.mail_queued.notify_one();
    }
    Ok(LinkRequest::Taken)
}

/// What counts as one client: an IPv4 address, or an IPv6 /64 (one household or phone network
/// customer gets a whole /64 to pick addresses from).
fn client_key(client: IpAddr) -> String {
    match client {
        IpAddr::V4(v4) => format!("client {v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("client {v4}"),
            None => {
                let s = v6.segments();
                format!("client {:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Creates a link for a person and returns its URL (the demo prints these).
pub async fn issue_link(
    services: &Services,
    person_id: PersonId,
    lifetime: Duration,
) -> Result<String, AppError> {
    issue_link_in(services.store.pool(), services, person_id, lifetime).await
}

/// [`issue_link`] through `db`.
pub async fn issue_link_in<'e>(
    db: impl crate::store::Conn<'e>,
    services: &Services,
    person_id: PersonId,
    lifetime: Duration,
) -> Result<String, AppError> {
    let (url, link) = new_link(services, person_id, lifetime);
    auth::insert_links(db, std::slice::from_ref(&link)).await?;
    Ok(url)
}

/// A new sign-in link's URL and the row that makes it work, for a caller that stores many at
/// once (the mail sender's batch) with [`auth::insert_links`].
pub(crate) fn new_link(
    services: &Services,
    person_id: PersonId,
    lifetime: Duration,
) -> (String, auth::NewLink) {
    let token = new_secret();
    let now = services.clock.now();
    let link = auth::NewLink {
        token_hash: hash(&token),
        person_id,
        created_at: millis(now),
        expires_at: millis(now + lifetime),
    };
    let url = format!("{}/signin/{token}", services.base_url.trim_end_matches('/'));
    (url, link)
}

/// Why a link did not sign anyone in, in words for the person holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkProblem {
    #[error("This sign-in link has expired.")]
    Expired,
    #[error("This sign-in link has already been used.")]
    AlreadyUsed,
    #[error("This sign-in link is not valid.")]
    Unknown,
}

/// A new browser session: the cookie value and the form token that goes with it.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub person_id: PersonId,
}

/// Uses a link up and opens a session for its person.
pub async fn redeem(
    services: &Services,
    token: &str,
) -> Result<Result<NewSession, LinkProblem>, AppError> {
    let now = services.clock.now();
    let used = auth::use_link(services.store.pool(), &hash(token), millis(now)).await?;
    let person_id = match used {
        LinkUse::SignedIn(person) => person,
        LinkUse::Expired => return Ok(Err(LinkProblem::Expired)),
        LinkUse::AlreadyUsed => return Ok(Err(LinkProblem::AlreadyUsed)),
        LinkUse::Unknown => return Ok(Err(LinkProblem::Unknown)),
    };
    let session = new_secret();
    auth::insert_session(
        services.store.pool(),
        &hash(&session),
        person_id,
        &new_secret(),
        millis(now),
        millis(now + SESSION_LIFETIME),
    )
    .await?;
    Ok(Ok(NewSession {
        token: session,
        person_id,
    }))
}

/// The caller behind a session cookie, and the session's form token.
pub async fn session(
    services: &Services,
    token: &str,
) -> Result<Option<(Caller, String)>, AppError> {
    let now = millis(services.clock.now());
    let token_hash = hash(token);
    let read = || async {
        Ok(auth::session(services.store.pool(), &token_hash, now)
            .await?
            .map(|(caller, session)| Known::Session {
                caller: Caller::from(caller),
                csrf: session.csrf_token,
                expires_at: session.expires_at,
            }))
    };
    let known = services
        .kept
        .callers
        .find(services, &token_hash, read)
        .await?;
    Ok(match known {
        Some(Known::Session {
            caller,
            csrf,
            expires_at,
        }) if expires_at > now => Some((caller, csrf)),
        _ => None,
    })
}

/// Ends the session behind a cookie, on every server.
pub async fn sign_out(services: &Services, token: &str) -> Result<(), AppError> {
    let mut tx = services.store.begin_write().await?;
    auth::delete_session(&mut tx, &hash(token)).await?;
    Ok(services.commit_caller_change(tx).await?)
}

/// Creates an API token; the secret is returned once and never stored.
pub async fn create_api_token(
    services: &Services,
    person: &Person,
    name: &str,
) -> Result<(i64, String), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(Refusal::TokenNameInvalid
            .says("Give the token a name of 1 to 60 characters, such as \"Teams bot\"."));
    }
    let secret = format!("mst_{}", new_secret());
    let id = auth::insert_api_token(
        services.store.pool(),
        person.id,
        name,
        &hash(&secret),
        millis(services.clock.now()),
    )
    .await?;
    Ok((id, secret))
}

/// An API token as its owner sees it (never its secret).
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The person's live tokens, with their last uses (this process's not yet written ones first).
pub async fn api_tokens(services: &Services, person: &Person) -> Result<Vec<ApiToken>, AppError> {
    services.token_uses.write(&services.store).await?;
    let rows = auth::api_tokens(services.store.pool(), person.id).await?;
    Ok(rows
        .into_iter()
        .map(|t| ApiToken {
            id: t.id,
            name: t.name,
            created_at: instant(t.created_at),
            last_used_at: t.last_used_at.map(instant),
        })
        .collect())
}

pub async fn revoke_api_token(
    services: &Services,
    person: &Person,
    token_id: i64,
) -> Result<(), AppError> {
    let now = millis(services.clock.now());
    let mut tx = services.store.begin_write().await?;
    if !auth::revoke_api_token(&mut tx, person.id, token_id, now).await? {
        return Err(AppError::NotFound("there is no such token".into()));
    }
    Ok(services.commit_caller_change(tx).await?)
}

/// The caller behind an API bearer token. Notes the token's use when the recorded one is an
/// hour old or more.
pub async fn api_caller(services: &Services, secret: &str) -> Result<Option<Caller>, AppError> {
    let token_hash = hash(secret);
    let read = || async {
        Ok(auth::api_token_owner(services.store.pool(), &token_hash)
            .await?
            .map(|(caller, last_used_at)| Known::Token {
                caller: Caller::from(caller),
                last_used_at,
            }))
    };
    let Some(Known::Token {
        caller,
        last_used_at,
    }) = services
        .kept
        .callers
        .find(services, &token_hash, read)
        .await?
    else {
        return Ok(None);
    };
    let now = millis(services.clock.now());
    if last_used_at.is_none_or(|t| now - t >= LAST_USE_RECORDED_EVERY_MS) {
        services.kept.callers.token_used(&token_hash, now);
        services.token_uses.note(token_hash, now);
    }
    Ok(Some(caller))
}

/// How stale a token's recorded last use may be. The account page shows the day; a tighter
/// record made nearly every API request a write (an app calls every few minutes, not seconds).
const LAST_USE_RECORDED_EVERY_MS: i64 = 3_600_000;

/// API tokens' uses noted by this process and not yet written. Written together every few
/// seconds by the server (and before the account page lists tokens), so an API request is never
/// also a write; a crash loses at most those few seconds of "last used", which is only shown.
#[derive(Default)]
pub struct TokenUses(Mutex<HashMap<String, i64>>);

impl TokenUses {
    fn note(&self, token_hash: String, at: i64) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(token_hash, at);
    }

    /// Writes the noted uses; those that fail to be written are kept for the next try.
    pub async fn write(&self, store: &Store) -> Result<(), AppError> {
        let uses: Vec<(String, i64)> =
            std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
                .into_iter()
                .collect();
        if uses.is_empty() {
            return Ok(());
        }
        if let Err(e) = auth::record_token_uses(store.pool(), &uses).await {
            let mut pending = self.0.lock().unwrap_or_else(|e| e.into_inner());
            for (token_hash, at) in uses {
                pending.entry(token_hash).or_insert(at);
            }
            return Err(e.into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_an_ipv4_address_or_an_ipv6_64() {
        let key = |s: &str| client_key(s.parse().unwrap());
        assert_eq!(key("203.0.113.9"), "client 203.0.113.9");
        assert_eq!(key("::ffff:203.0.113.9"), "client 203.0.113.9");
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
    }

    #[test]
    fn hashes_are_sha256_in_lowercase_hex() {
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let secret = new_secret();
        assert_eq!(secret.len(), 64);
        assert!(
            secret
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }
}
