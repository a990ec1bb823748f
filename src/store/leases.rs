//! Leases: a row naming which process may do a singleton job (the scheduler) until when.

use super::Conn;

use super::StoreError;

/// Takes or renews the lease `name` for `holder` until `expires_ms`, if it is free, expired at
/// `now_ms`, or already held by `holder`. One statement, so two processes cannot both win.
pub async fn try_acquire<'e>(
    db: impl Conn<'e>,
    name: &str,
    holder: &str,
    now_ms: i64,
    expires_ms: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
         WHERE leases.holder = excluded.holder OR leases.expires_at <= $4",
    )
    .bind(name)
    .bind(holder)
    .bind(expires_ms)
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives the lease up early (on shutdown), so another process can take over at once.
pub async fn release<'e>(db: impl Conn<'e>, name: &str, holder: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
        .bind(name)
        .bind(holder)
        .execute(db)
        .await?;
    Ok(())
}
