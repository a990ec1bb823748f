//! Releases: the moment a cohort's day becomes available, stored once per cohort and day.

use super::Conn;
use crate::domain::Day;

use super::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReleaseRow {
    pub id: i64,
    pub cohort_id: i64,
    pub day: Day,
    pub scheduled_for: i64,
    pub released_at: i64,
    pub closes_at: i64,
    pub pack_version: String,
    pub day_json: String,
}

/// A release about to be written.
#[derive(Debug, Clone)]
pub struct NewRelease<'a> {
    pub cohort_id: i64,
    pub day: Day,
    pub scheduled_for: i64,
    pub released_at: i64,
    pub closes_at: i64,
    pub pack_version: &'a str,
    pub day_json: &'a str,
}

/// Writes the release unless the day was already released; returns the new id, or `None` when
/// another scheduler got there first (the unique constraint on cohort and day decides).
pub async fn insert_if_absent<'e>(
    db: impl Conn<'e>,
    r: &NewRelease<'_>,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO releases (cohort_id, day, scheduled_for, released_at, closes_at, pack_version, day_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (cohort_id, day) DO NOTHING RETURNING id",
    )
    .bind(r.cohort_id)
    .bind(r.day)
    .bind(r.scheduled_for)
    .bind(r.released_at)
    .bind(r.closes_at)
    .bind(r.pack_version)
    .bind(r.day_json)
    .fetch_optional(db)
    .await?)
}

pub async fn list<'e>(db: impl Conn<'e>, cohort_id: i64) -> Result<Vec<ReleaseRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, cohort_id, day, scheduled_for, released_at, closes_at, pack_version, day_json \
         FROM releases WHERE cohort_id = $1 ORDER BY day",
    )
    .bind(cohort_id)
    .fetch_all(db)
    .await?)
}

/// The highest day released so far in each cohort.
pub async fn last_released_day<'e>(db: impl Conn<'e>, cohort_id: i64) -> Result<i64, StoreError> {
    let day: Option<i64> =
        sqlx::query_scalar("SELECT CAST(MAX(day) AS BIGINT) FROM releases WHERE cohort_id = $1")
            .bind(cohort_id)
            .fetch_one(db)
            .await?;
    Ok(day.unwrap_or(0))
}
