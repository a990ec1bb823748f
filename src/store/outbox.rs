//! The outbox: emails waiting to be sent, claimed by the sender in small batches, and marked sent,
//! retried or given up one by one. Also who unsubscribed from what, and the one-click unsubscribe
//! tokens.
//!
//! A row names the kind of message, the person and (for a reminder) the cohort and day; the text
//! and its links are made when it is sent, so no live secret is ever stored here.

use super::{Conn, Tx};
use crate::domain::{Day, PersonId};

use super::StoreError;

/// Kinds of message, as stored.
pub const SIGN_IN: &str = "signin";
pub const RELEASED: &str = "released";
pub const CLOSING: &str = "closing";

/// Queues a sign-in link to whoever has `email`: one statement that inserts a row when the
/// address is someone's and nothing when it is not, so both take the same path and time.
/// Returns whether a message was queued.
pub async fn queue_sign_in<'e>(
    db: impl Conn<'e>,
    email: &str,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO outbox (kind, person_id, created_at, due_at) \
         SELECT $1, id, $2, $2 FROM people WHERE email = $3",
    )
    .bind(SIGN_IN)
    .bind(now_ms)
    .bind(email)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Queues a "the day is open" reminder for everyone enrolled in `cohort_id`, in the release's
/// transaction, except those who marked `day` as a rest day and those who unsubscribed from
/// release reminders in the cohort. A reminder not sent by `expires_ms` (the day's close) is
/// dropped. Returns how many were queued.
pub async fn queue_release_reminders<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    day: Day,
    now_ms: i64,
    expires_ms: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "INSERT INTO outbox (kind, person_id, cohort_id, day, created_at, due_at, expires_at) \
         SELECT $1, e.person_id, e.cohort_id, $2, $3, $3, $4 FROM enrolments e \
         WHERE e.cohort_id = $5 \
           AND NOT EXISTS (SELECT 1 FROM rest_days r \
                           WHERE r.cohort_id = e.cohort_id AND r.person_id = e.person_id AND r.day = $2) \
           AND NOT EXISTS (SELECT 1 FROM mail_unsubscribes u \
                           WHERE u.cohort_id = e.cohort_id AND u.person_id = e.person_id AND u.kind = $1) \
         ORDER BY e.person_id",
    )
    .bind(RELEASED)
    .bind(day)
    .bind(now_ms)
    .bind(expires_ms)
    .bind(cohort_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Claims up to `limit` messages due at `now_ms` and not claimed by a live batch, oldest first,
/// for the batch `claim` until `until_ms`, counting an attempt on each. The conditions are
/// repeated outside the subquery so that on PostgreSQL a row another claimer took meanwhile is
/// re-checked and skipped, not claimed twice.
pub async fn claim<'e>(
    db: impl Conn<'e>,
    claim: &str,
    now_ms: i64,
    until_ms: i64,
    limit: i64,
) -> Result<Vec<i64>, StoreError> {
    let mut ids: Vec<(i64, i64)> = sqlx::query_as(
        "UPDATE outbox SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox \
                      WHERE sent_at IS NULL AND failed_at IS NULL AND due_at <= $3 \
                        AND (claimed_until IS NULL OR claimed_until <= $3) \
                      ORDER BY created_at, id LIMIT $4) \
           AND sent_at IS NULL AND failed_at IS NULL \
           AND (claimed_until IS NULL OR claimed_until <= $3) \
         RETURNING created_at, id",
    )
    .bind(claim)
    .bind(until_ms)
    .bind(now_ms)
    .bind(limit)
    .fetch_all(db)
    .await?;
    ids.sort_unstable();
    Ok(ids.into_iter().map(|(_, id)| id).collect())
}

/// A claimed message with what it takes to write it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    /// The reader; `None` for a channel post, which goes to no person.
    pub person_id: Option<PersonId>,
    /// The reader's address and name ('' for a channel post).
    pub email: String,
    pub display_name: String,
    pub cohort_id: Option<i64>,
    pub cohort_name: Option<String>,
    pub time_zone: Option<String>,
    pub day: Option<Day>,
    /// The released day's content (the pack's day, as JSON).
    pub day_json: Option<String>,
    /// When the day closes (a reminder's day).
    pub closes_at: Option<i64>,
    /// The person's quiet hours in the cohort: their own, or else the cohort's ('' for none).
    pub quiet_hours: Option<String>,
    /// The cohort's team channel (a channel post's): its webhook URL, a secret, and format.
    pub channel_url: Option<String>,
    pub channel_format: Option<String>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub attempts: i64,
    /// Who sent it, for a message from a person (a manager's encouragement).
    pub sender_name: Option<String>,
}

/// The messages of the batch `claim` still unsent, oldest first.
pub async fn claimed<'e>(db: impl Conn<'e>, claim: &str) -> Result<Vec<Claimed>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.kind, o.person_id, COALESCE(p.email, '') AS email, \
                COALESCE(p.display_name, '') AS display_name, o.cohort_id, \
                c.name AS cohort_name, c.time_zone, o.day, r.day_json, r.closes_at, \
                COALESCE(q.hours, c.quiet_hours) AS quiet_hours, \
                ch.webhook_url AS channel_url, ch.format AS channel_format, o.created_at, \
                o.expires_at, o.attempts, s.display_name AS sender_name \
         FROM outbox o LEFT JOIN people p ON p.id = o.person_id \
         LEFT JOIN people s ON s.id = o.sender_id \
         LEFT JOIN cohorts c ON c.id = o.cohort_id \
         LEFT JOIN releases r ON r.cohort_id = o.cohort_id AND r.day = o.day \
         LEFT JOIN quiet_hours q ON q.person_id = o.person_id AND q.cohort_id = o.cohort_id \
         LEFT JOIN cohort_channels ch ON ch.cohort_id = o.cohort_id AND o.kind = 'channel' \
         WHERE o.claimed_by = $1 AND o.sent_at IS NULL AND o.failed_at IS NULL \
         ORDER BY o.created_at, o.id",
    )
    .bind(claim)
    .fetch_all(db)
    .await?)
}

/// Keeps the batch `claim` claimed until `until_ms` (a slow relay is still working through it).
pub async fn extend_claim<'e>(
    db: impl Conn<'e>,
    claim: &str,
    until_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET claimed_until = $2 WHERE claimed_by = $1 AND sent_at IS NULL AND failed_at IS NULL",
    )
    .bind(claim)
    .bind(until_ms)
    .execute(db)
    .await?;
    Ok(())
}

/// Lets the rest of the batch `claim` go unsent, to be claimed again as they were (stopping, or
/// the relay is away): no backoff of their own, so they keep their place in the queue.
pub async fn release_claim<'e>(db: impl Conn<'e>, claim: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, attempts = attempts - 1 \
         WHERE claimed_by = $1 AND sent_at IS NULL AND failed_at IS NULL",
    )
    .bind(claim)
    .execute(db)
    .await?;
    Ok(())
}

/// Lets a claimed message wait until `due_ms` (the end of its reader's quiet hours): not a failed
/// try, so the attempt its claim counted is given back.
pub async fn wait_until<'e>(db: impl Conn<'e>, id: i64, due_ms: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET due_at = $2, attempts = attempts - 1, claimed_by = NULL, \
         claimed_until = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(due_ms)
    .execute(db)
    .await?;
    Ok(())
}

/// Marks messages sent, in one statement: called right after the relay accepted them.
pub async fn mark_sent<'e>(db: impl Conn<'e>, ids: &[i64], now_ms: i64) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE outbox SET sent_at = $1, claimed_until = NULL WHERE id IN ({})",
        super::params::placeholders(ids.len(), 2)
    );
    let mut query = sqlx::query(&sql).bind(now_ms);
    for id in ids {
        query = query.bind(id);
    }
    query.execute(db).await?;
    Ok(())
}

/// Puts a message back to be tried again at `due_ms`, noting why it failed this time.
pub async fn retry_at<'e>(
    db: impl Conn<'e>,
    id: i64,
    due_ms: i64,
    error: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET due_at = $2, last_error = $3, claimed_by = NULL, claimed_until = NULL \
         WHERE id = $1",
    )
    .bind(id)
    .bind(due_ms)
    .bind(error)
    .execute(db)
    .await?;
    Ok(())
}

/// Gives a message up for good, with the reason.
pub async fn give_up<'e>(
    db: impl Conn<'e>,
    id: i64,
    now_ms: i64,
    reason: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET failed_at = $2, failure = $3, claimed_until = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(now_ms)
    .bind(reason)
    .execute(db)
    .await?;
    Ok(())
}

/// How many messages are neither sent nor given up.
pub async fn pending<'e>(db: impl Conn<'e>) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
    )
    .fetch_one(db)
    .await?)
}

/// How many messages are neither sent nor given up, and when the oldest of them was queued
/// (milliseconds), for the metrics.
pub async fn queue<'e>(db: impl Conn<'e>) -> Result<(i64, Option<i64>), StoreError> {
    Ok(sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(MIN(created_at) AS BIGINT) FROM outbox \
         WHERE sent_at IS NULL AND failed_at IS NULL",
    )
    .fetch_one(db)
    .await?)
}

/// A message given up, for the change lead.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Failed {
    pub id: i64,
    pub kind: String,
    /// The reader's address and name ('' for a channel post).
    pub email: String,
    pub display_name: String,
    pub day: Option<Day>,
    pub created_at: i64,
    pub failed_at: i64,
    pub failure: String,
}

/// The messages given up in `cohort_id` (or sign-in mail, which has no cohort, when `None`),
/// newest first.
pub async fn failed<'e>(
    db: impl Conn<'e>,
    cohort_id: Option<i64>,
) -> Result<Vec<Failed>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.kind, COALESCE(p.email, '') AS email, \
                COALESCE(p.display_name, '') AS display_name, o.day, o.created_at, o.failed_at, \
                COALESCE(o.failure, '') AS failure \
         FROM outbox o LEFT JOIN people p ON p.id = o.person_id \
         WHERE o.failed_at IS NOT NULL \
           AND (o.cohort_id = $1 OR (o.cohort_id IS NULL AND $2 = 0)) \
         ORDER BY o.failed_at DESC, o.id DESC",
    )
    .bind(cohort_id.unwrap_or(0))
    .bind(i64::from(cohort_id.is_some()))
    .fetch_all(db)
    .await?)
}

/// A one-click unsubscribe token to store: for `kind` of mail in a cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnsubscribeToken {
    pub token_hash: String,
    pub person_id: PersonId,
    pub cohort_id: i64,
    pub kind: String,
    pub created_at: i64,
}

/// Stores one-click unsubscribe tokens (their hashes) in one statement: the sender's batch.
pub async fn insert_unsubscribe_tokens<'e>(
    db: impl Conn<'e>,
    tokens: &[NewUnsubscribeToken],
) -> Result<(), StoreError> {
    if tokens.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO unsubscribe_tokens (token_hash, person_id, cohort_id, kind, created_at) \
         VALUES {}",
        super::params::values_list(tokens.len(), 5, 1)
    );
    let mut query = sqlx::query(&sql);
    for t in tokens {
        query = query
            .bind(&t.token_hash)
            .bind(t.person_id)
            .bind(t.cohort_id)
            .bind(&t.kind)
            .bind(t.created_at);
    }
    query.execute(db).await?;
    Ok(())
}

/// What an unsubscribe token was for.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Unsubscribed {
    pub person_id: PersonId,
    pub cohort_id: i64,
    pub kind: String,
}

/// Uses an unsubscribe token up; `None` when it is unknown or already used.
pub async fn use_unsubscribe_token<'e>(
    db: impl Conn<'e>,
    token_hash: &str,
    now_ms: i64,
) -> Result<Option<Unsubscribed>, StoreError> {
    Ok(sqlx::query_as(
        "UPDATE unsubscribe_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL \
         RETURNING person_id, cohort_id, kind",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(db)
    .await?)
}

/// Records that a person wants no more of `kind` in a cohort (or wants it again, `on`), and
/// drops such messages still waiting.
pub async fn set_subscribed(
    tx: &mut Tx,
    person_id: PersonId,
    cohort_id: i64,
    kind: &str,
    on: bool,
    now_ms: i64,
) -> Result<(), StoreError> {
    if on {
        sqlx::query(
            "DELETE FROM mail_unsubscribes WHERE person_id = $1 AND cohort_id = $2 AND kind = $3",
        )
        .bind(person_id)
        .bind(cohort_id)
        .bind(kind)
        .execute(tx.conn())
        .await?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO mail_unsubscribes (person_id, cohort_id, kind, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(person_id)
    .bind(cohort_id)
    .bind(kind)
    .bind(now_ms)
    .execute(tx.conn())
    .await?;
    sqlx::query(
        "DELETE FROM outbox WHERE person_id = $1 AND cohort_id = $2 AND kind = $3 \
         AND sent_at IS NULL AND failed_at IS NULL AND claimed_until IS NULL",
    )
    .bind(person_id)
    .bind(cohort_id)
    .bind(kind)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The kinds of mail a person unsubscribed from in a cohort.
pub async fn unsubscribed<'e>(
    db: impl Conn<'e>,
    person_id: PersonId,
    cohort_id: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT kind FROM mail_unsubscribes WHERE person_id = $1 AND cohort_id = $2 ORDER BY kind",
    )
    .bind(person_id)
    .bind(cohort_id)
    .fetch_all(db)
    .await?)
}
