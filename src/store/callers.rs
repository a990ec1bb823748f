//! The callers' version: a number in SQL that every write changing what a caller is made of
//! (a session ended, a token revoked, people enrolled, a pack pinned again) moves in its own
//! transaction, and this process's view of it. `app::callers` keeps callers in memory under the
//! version they were read with; the view is read again at most once a [`READ_EVERY`], and at once
//! after this process moved it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::Conn;
use sqlx::Any;

use super::StoreError;

/// How stale another process's change may look: the longest a signed-out session or a revoked
/// token still works on another server.
pub const READ_EVERY: Duration = Duration::from_secs(1);

/// Moves the version; call inside the transaction of the write, so it moves if and only if the
/// write lands.
pub async fn changed<'e>(db: impl Conn<'e>) -> Result<(), StoreError> {
    sqlx::query("UPDATE caller_changes SET version = version + 1 WHERE id = 1")
        .execute(db)
        .await?;
    Ok(())
}

/// The longest a read of the version may take: every request waits for it, so a database that
/// hangs (rather than refuses) must not hold them all for longer than the pool's own timeout.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

async fn read<'e>(db: impl Conn<'e>) -> Result<i64, StoreError> {
    let query = sqlx::query_scalar("SELECT version FROM caller_changes WHERE id = 1").fetch_one(db);
    match tokio::time::timeout(READ_TIMEOUT, query).await {
        Ok(version) => Ok(version?),
        Err(_) => Err(StoreError::Unavailable(sqlx::Error::PoolTimedOut)),
    }
}

/// This process's view of the version.
#[derive(Debug, Default)]
pub(super) struct View {
    seen: Mutex<Seen>,
    /// One read at a time: requests that find the view stale together wait for one read.
    reading: tokio::sync::Mutex<()>,
    /// Moved by this process's own changes, after their commit.
    local_changes: AtomicU64,
    /// Reads the database did not answer.
    failed_reads: AtomicU64,
}

#[derive(Debug, Default)]
struct Seen {
    version: i64,
    read_at: Option<Instant>,
    /// [`View::local_changes`] when the version was read.
    local_changes: u64,
}

impl View {
    pub(super) async fn current(&self, pool: &sqlx::Pool<Any>) -> Result<i64, StoreError> {
        if let Some(version) = self.fresh() {
            return Ok(version);
        }
        let failed_reads = self.failed_reads.load(Ordering::Acquire);
        let _reading = self.reading.lock().await;
        if let Some(version) = self.fresh() {
            return Ok(version);
        }
        if self.failed_reads.load(Ordering::Acquire) != failed_reads {
            // The database did not answer a read this request waited for. Fail alike, rather
            // than each waiting request waiting out the pool's timeout in turn behind the lock.
            return Err(StoreError::Unavailable(sqlx::Error::PoolTimedOut));
        }
        // Taken before the read: a change committed during it moves the counter again, so the
        // next caller reads once more.
        let local_changes = self.local_changes.load(Ordering::Acquire);
        let read_at = Instant::now();
        let version = read(pool).await.inspect_err(|_| {
            self.failed_reads.fetch_add(1, Ordering::AcqRel);
        })?;
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Seen {
            version,
            read_at: Some(read_at),
            local_changes,
        };
        Ok(version)
    }

    fn fresh(&self) -> Option<i64> {
        let local_changes = self.local_changes.load(Ordering::Acquire);
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = seen.local_changes == local_changes
            && seen.read_at.is_some_and(|at| at.elapsed() < READ_EVERY);
        fresh.then_some(seen.version)
    }

    pub(super) fn changed_here(&self) {
        self.local_changes.fetch_add(1, Ordering::AcqRel);
    }
}
