//! The callers' version: a number in SQL that every write changing what a caller is made of
//! (a session ended, a token revoked, people enrolled, a pack pinned again) moves in its own
//! transaction. `app::callers` keeps callers in memory under the version they were read with, and
//! keeps this process's view of the version itself, read again at most once a [`READ_EVERY`].

use std::time::Duration;

use super::Conn;

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

/// The version now in SQL, or `Unavailable` once [`READ_TIMEOUT`] has passed without an answer.
pub async fn version<'e>(db: impl Conn<'e>) -> Result<i64, StoreError> {
    let query = sqlx::query_scalar("SELECT version FROM caller_changes WHERE id = 1").fetch_one(db);
    match tokio::time::timeout(READ_TIMEOUT, query).await {
        Ok(version) => Ok(version?),
        Err(_) => Err(StoreError::timed_out()),
    }
}
