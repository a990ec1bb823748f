//! Callers kept in memory. Every page and API call first asks who is behind its session cookie or
//! bearer token, and the answer (the person and their memberships) changes only when a session
//! ends, a token is revoked, people are enrolled or a cohort's pack is pinned again. Each of those
//! writes moves the callers' version in SQL in its own transaction ([`Store::caller_version`]);
//! a caller kept under an older version is never used. So a change made by this process shows at
//! once, one made by another server or the CLI within a second, and knowing who is asking costs
//! the database one query a second rather than one per request.
//!
//! Only the hash of a secret is kept, as in the database. Unknown secrets are not remembered, so
//! a new session or token is found on its first use.

use std::future::Future;

use super::AppError;
use super::kept::Counts;
use super::people::Caller;
use crate::store::Store;
use crate::versioned::Versioned;

/// What a secret was found to stand for.
#[derive(Debug, Clone)]
pub enum Known {
    Session {
        caller: Caller,
        csrf: String,
        /// Unix milliseconds; checked on every use, as the query does.
        expires_at: i64,
    },
    Token {
        caller: Caller,
        last_used_at: Option<i64>,
    },
}

/// The kept callers of one process, by the hash of their secret.
#[derive(Default)]
pub struct Callers {
    kept: Versioned<String, Known>,
    pub(super) counts: Counts,
}

impl Callers {
    /// What the secret with this hash stands for: kept under the current version, or found by
    /// `read` (the database's answer, only asked for then) and kept. An unknown secret is not
    /// kept.
    pub async fn find<Read>(
        &self,
        store: &Store,
        secret_hash: &str,
        read: impl FnOnce() -> Read,
    ) -> Result<Option<Known>, AppError>
    where
        Read: Future<Output = Result<Option<Known>, AppError>>,
    {
        let version = store.caller_version().await?;
        if let Some(known) = self.counts.found(self.kept.get(version, secret_hash)) {
            return Ok(Some(known));
        }
        let known = read().await?;
        if let Some(known) = &known {
            self.kept
                .keep(version, secret_hash.to_string(), known.clone());
        }
        Ok(known)
    }

    /// Notes that a kept token's use was recorded, so it is not noted again within the hour.
    pub fn token_used(&self, secret_hash: &str, at: i64) {
        self.kept.update(secret_hash, |known| {
            if let Known::Token { last_used_at, .. } = known {
                *last_used_at = Some(at);
            }
        });
    }
}
