//! Drafts: a reflection the safeguarding check sent back, kept for its author until its day
//! can no longer be completed. Every read names the author: nobody else ever selects one.

use crate::domain::{Day, PersonId, Visibility};

use super::params::values_list;
use super::{Conn, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DraftRow {
    pub body: String,
    pub visibility: Visibility,
    pub checkin: Option<i64>,
    pub saved_at: i64,
}

/// What a draft holds, for [`keep`].
pub struct NewDraft<'a> {
    pub cohort_id: i64,
    pub person_id: PersonId,
    pub day: Day,
    pub body: &'a str,
    pub visibility: Visibility,
    pub checkin: Option<i64>,
    pub saved_at: i64,
    pub expires_at: i64,
}

/// Keeps the person's draft for a day, replacing the one they had.
pub async fn keep<'e>(db: impl Conn<'e>, draft: &NewDraft<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO drafts (cohort_id, person_id, day, body, visibility, checkin, saved_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (cohort_id, person_id, day) DO UPDATE SET body = excluded.body, \
           visibility = excluded.visibility, checkin = excluded.checkin, \
           saved_at = excluded.saved_at, expires_at = excluded.expires_at",
    )
    .bind(draft.cohort_id)
    .bind(draft.person_id)
    .bind(draft.day)
    .bind(draft.body)
    .bind(draft.visibility.as_str())
    .bind(draft.checkin)
    .bind(draft.saved_at)
    .bind(draft.expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// The person's own draft for a day, unless it expired by `now`.
pub async fn own<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
    day: Day,
    now: i64,
) -> Result<Option<DraftRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT body, visibility, checkin, saved_at FROM drafts \
         WHERE cohort_id = $1 AND person_id = $2 AND day = $3 AND expires_at > $4",
    )
    .bind(cohort_id)
    .bind(person_id)
    .bind(day)
    .bind(now)
    .fetch_optional(db)
    .await?)
}

/// Drops the drafts of days just saved, each as (cohort, person, day): what was posted replaces
/// them.
pub async fn discard<'e>(
    db: impl Conn<'e>,
    saved: &[(i64, PersonId, Day)],
) -> Result<(), StoreError> {
    if saved.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM drafts WHERE (cohort_id, person_id, day) IN (VALUES {})",
        values_list(saved.len(), 3, 1)
    );
    let mut query = sqlx::query(&sql);
    for (cohort_id, person_id, day) in saved {
        query = query.bind(*cohort_id).bind(*person_id).bind(*day);
    }
    query.execute(db).await?;
    Ok(())
}

/// Drops every draft whose day closed by `now`; returns how many.
pub async fn discard_expired<'e>(db: impl Conn<'e>, now: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM drafts WHERE expires_at <= $1")
        .bind(now)
        .execute(db)
        .await?
        .rows_affected())
}
