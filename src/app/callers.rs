//! Callers kept in memory. Every page and API call first asks who is behind its session cookie or
//! bearer token, and the answer (the person and their memberships) changes only when a session
//! ends, a token is revoked, people are enrolled or a cohort's pack is pinned again. Each of those
//! writes moves the callers' version in SQL in its own transaction; this process's view of it is
//! a [`CallerVersion`], and a caller kept under an older version is never used. So a change made by this process shows at
//! once, one made by another server or the CLI within a second, and knowing who is asking costs
//! the database one query a second rather than one per request.
//!
//! Only the hash of a secret is kept, as in the database. Unknown secrets are not remembered, so
//! a new session or token is found on its first use.

use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use super::kept::Counts;
use super::people::Caller;
use super::{AppError, Services};
use crate::store::callers::{self, READ_EVERY};
use crate::store::{Store, StoreError, Tx};
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
        services: &Services,
        secret_hash: &str,
        read: impl FnOnce() -> Read,
    ) -> Result<Option<Known>, AppError>
    where
        Read: Future<Output = Result<Option<Known>, AppError>>,
    {
        let version = services.caller_version().await?;
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

/// This process's view of the callers' version ([`crate::store::callers`]): read again when
/// [`READ_EVERY`] has passed or this process moved it. A hit is a request answered from the view
/// (or by a read another request made while it waited), a miss one that read the database.
#[derive(Debug, Default)]
pub struct CallerVersion {
    seen: Mutex<Seen>,
    /// One read at a time: requests that find the view stale together wait for one read.
    reading: tokio::sync::Mutex<()>,
    /// Moved by this process's own changes, after their commit.
    local_changes: AtomicU64,
    /// Reads the database did not answer.
    failed_reads: AtomicU64,
    pub(super) counts: Counts,
}

#[derive(Debug, Default)]
struct Seen {
    version: i64,
    read_at: Option<Instant>,
    /// [`CallerVersion::local_changes`] when the version was read.
    local_changes: u64,
}

impl CallerVersion {
    /// The callers' version as this process sees it.
    pub async fn current(&self, store: &Store) -> Result<i64, StoreError> {
        if let Some(version) = self.fresh() {
            self.counts.hit();
            return Ok(version);
        }
        let failed_reads = self.failed_reads.load(Ordering::Acquire);
        let _reading = self.reading.lock().await;
        if let Some(version) = self.fresh() {
            self.counts.hit();
            return Ok(version);
        }
        if self.failed_reads.load(Ordering::Acquire) != failed_reads {
            // The database did not answer a read this request waited for. Fail alike, rather
            // than each waiting request waiting out the pool's timeout in turn behind the lock.
            return Err(StoreError::timed_out());
        }
        self.counts.miss();
        // Taken before the read: a change committed during it moves the counter again, so the
        // next caller reads once more.
        let local_changes = self.local_changes.load(Ordering::Acquire);
        let read_at = Instant::now();
        let version = callers::version(store.pool()).await.inspect_err(|_| {
            self.failed_reads.fetch_add(1, Ordering::AcqRel);
        })?;
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Seen {
            version,
            read_at: Some(read_at),
            local_changes,
        };
        Ok(version)
    }

    /// Commits a write that moved the callers' version, and has this process read it again at
    /// once: its own change shows on the very next request.
    pub async fn commit_change(&self, tx: Tx) -> Result<(), StoreError> {
        tx.commit().await?;
        self.local_changes.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    fn fresh(&self) -> Option<i64> {
        let local_changes = self.local_changes.load(Ordering::Acquire);
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = seen.local_changes == local_changes
            && seen.read_at.is_some_and(|at| at.elapsed() < READ_EVERY);
        fresh.then_some(seen.version)
    }
}
