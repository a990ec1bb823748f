//! A cohort's team channel (an incoming webhook and its format), and queueing the morning summary
//! to it. The webhook URL is a secret: nothing here logs it.

use super::{Conn, StoreError};

/// The kind of an outbox row that is a channel post (it has no person).
pub const CHANNEL: &str = "channel";

/// A cohort's team channel.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Channel {
    pub webhook_url: String,
    /// 'teams' or 'slack'.
    pub format: String,
}

/// Sets (or replaces) `cohort_id`'s channel.
pub async fn set<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    channel: &Channel,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO cohort_channels (cohort_id, webhook_url, format, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (cohort_id) DO UPDATE \
         SET webhook_url = excluded.webhook_url, format = excluded.format, \
             updated_at = excluded.updated_at",
    )
    .bind(cohort_id)
    .bind(&channel.webhook_url)
    .bind(&channel.format)
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok(())
}

/// Removes `cohort_id`'s channel; posts already queued are then given up when claimed.
pub async fn remove<'e>(db: impl Conn<'e>, cohort_id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM cohort_channels WHERE cohort_id = $1")
        .bind(cohort_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// `cohort_id`'s channel, if it has one.
pub async fn get<'e>(db: impl Conn<'e>, cohort_id: i64) -> Result<Option<Channel>, StoreError> {
    Ok(
        sqlx::query_as("SELECT webhook_url, format FROM cohort_channels WHERE cohort_id = $1")
            .bind(cohort_id)
            .fetch_optional(db)
            .await?,
    )
}

/// Queues the morning summary of `day` to `cohort_id`'s channel, when it has one (in the
/// release's transaction): at most once per cohort and day (the index `outbox_channel_once`),
/// dropped if not posted by `expires_ms` (the day's close). Returns whether it was queued.
pub async fn queue_post<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    day: i64,
    now_ms: i64,
    expires_ms: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO outbox (kind, cohort_id, day, created_at, due_at, expires_at) \
         SELECT $1, cohort_id, $2, $3, $3, $4 FROM cohort_channels WHERE cohort_id = $5 \
         ON CONFLICT DO NOTHING",
    )
    .bind(CHANNEL)
    .bind(day)
    .bind(now_ms)
    .bind(expires_ms)
    .bind(cohort_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A team's participants and how many of them did a day.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TeamDone {
    pub team: String,
    pub done: i64,
    pub people: i64,
}

/// How many of each team's participants in `cohort_id` did `day`, by team name: counts only, so
/// no one who has not done it is named.
pub async fn done_by_team<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    day: crate::domain::Day,
) -> Result<Vec<TeamDone>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT t.name AS team, CAST(COUNT(s.id) AS BIGINT) AS done, \
                CAST(COUNT(e.person_id) AS BIGINT) AS people \
         FROM enrolments e JOIN teams t ON t.id = e.team_id \
         LEFT JOIN submissions s ON s.cohort_id = e.cohort_id AND s.person_id = e.person_id \
                                AND s.day = $2 \
         WHERE e.cohort_id = $1 AND e.role = 'participant' \
         GROUP BY t.id, t.name ORDER BY t.name, t.id",
    )
    .bind(cohort_id)
    .bind(day)
    .fetch_all(db)
    .await?)
}
