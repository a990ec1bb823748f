//! Anonymous reflections waiting for their batch, and publishing one. The rule that decides
//! when a batch may go out is [`crate::app::anonymity`]'s; this is its SQL.

use super::{Conn, Tx};
use crate::domain::Day;

use super::StoreError;

/// A cohort's day with anonymous reflections waiting, and the crowd they would hide in if
/// published now.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Waiting {
    pub cohort_id: i64,
    pub day: Day,
    /// The cohort's k.
    pub anonymity_k: i64,
    /// Distinct people who, since the day's last batch (and up to now), wrote a reflection for
    /// that day that has never carried their name: each is as likely an author as any other to
    /// someone watching the boards.
    pub crowd: i64,
}

/// Every cohort's days with anonymous reflections waiting, with their crowds at `now`.
pub async fn waiting<'e>(db: impl Conn<'e>, now: i64) -> Result<Vec<Waiting>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT w.cohort_id, w.day, c.anonymity_k, \
           (SELECT COUNT(DISTINCT r.person_id) FROM reflections r \
            WHERE r.cohort_id = w.cohort_id AND r.day = w.day AND r.named = 0 \
              AND r.visibility IN ('private', 'anonymous') AND r.created_at <= $1 \
              AND r.created_at > COALESCE((SELECT MAX(b.published_at) FROM anonymous_batches b \
                                           WHERE b.cohort_id = w.cohort_id AND b.day = w.day), -1)) AS crowd \
         FROM (SELECT DISTINCT cohort_id, day FROM reflections \
               WHERE visibility = 'anonymous' AND shown_at IS NULL) w \
         JOIN cohorts c ON c.id = w.cohort_id \
         ORDER BY w.cohort_id, w.day",
    )
    .bind(now)
    .fetch_all(db)
    .await?)
}

/// Publishes a day's waiting anonymous reflections at `now`, all at the same moment (their
/// order in the feed is then their random handles'), and records the batch. Returns how many.
pub async fn publish(
    tx: &mut Tx,
    cohort_id: i64,
    day: Day,
    crowd: i64,
    now: i64,
) -> Result<u64, StoreError> {
    let published = sqlx::query(
        "UPDATE reflections SET shown_at = $3 \
         WHERE cohort_id = $1 AND day = $2 AND visibility = 'anonymous' AND shown_at IS NULL",
    )
    .bind(cohort_id)
    .bind(day)
    .bind(now)
    .execute(tx.conn())
    .await?
    .rows_affected();
    sqlx::query(
        "INSERT INTO anonymous_batches (cohort_id, day, published_at, reflections, crowd) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(cohort_id)
    .bind(day)
    .bind(now)
    .bind(published as i64)
    .bind(crowd)
    .execute(tx.conn())
    .await?;
    Ok(published)
}
