//! Cohorts: one run of a pack for a group of people, with its pinned copy of the pack.

use super::{Conn, Tx};

use super::StoreError;

/// A cohort as stored, but for its pinned pack (see [`pack_json`]), which is read only when
/// `pack_hash`, the SHA-256 of the pack's JSON, shows the copy already decoded is not this one.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CohortRow {
    pub id: i64,
    pub name: String,
    pub pack_id: String,
    pub pack_version: String,
    /// '' for a row written before the column existed, until [`set_pack_hash`] fills it.
    pub pack_hash: String,
    pub length_days: i64,
    pub start_date: String,
    pub time_zone: String,
    pub release_cron: String,
    pub grace_minutes: i64,
    pub created_at: i64,
    /// An anonymous author hides among at least this many people ([`super::anonymity`]).
    pub anonymity_k: i64,
}

/// What it takes to create a cohort; the app layer has validated every field.
#[derive(Debug, Clone)]
pub struct NewCohort {
    pub name: String,
    pub pack_id: String,
    pub pack_version: String,
    /// The pack as it was when the cohort started (or when a change lead last applied a new
    /// version): editing the pack on disk never changes it.
    pub pack_json: String,
    pub pack_hash: String,
    pub length_days: i64,
    pub start_date: String,
    pub time_zone: String,
    pub release_cron: String,
    pub grace_minutes: i64,
    pub anonymity_k: i64,
}

const COLUMNS: &str = "id, name, pack_id, pack_version, pack_hash, length_days, start_date, time_zone, \
                       release_cron, grace_minutes, created_at, anonymity_k";

pub async fn insert<'e>(
    db: impl Conn<'e>,
    cohort: &NewCohort,
    now_ms: i64,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cohorts (name, pack_id, pack_version, pack_json, pack_hash, length_days, start_date, \
         time_zone, release_cron, grace_minutes, created_at, anonymity_k) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(&cohort.name)
    .bind(&cohort.pack_id)
    .bind(&cohort.pack_version)
    .bind(&cohort.pack_json)
    .bind(&cohort.pack_hash)
    .bind(cohort.length_days)
    .bind(&cohort.start_date)
    .bind(&cohort.time_zone)
    .bind(&cohort.release_cron)
    .bind(cohort.grace_minutes)
    .bind(now_ms)
    .bind(cohort.anonymity_k)
    .fetch_one(db)
    .await?;
    Ok(id)
}

pub async fn list<'e>(db: impl Conn<'e>) -> Result<Vec<CohortRow>, StoreError> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM cohorts ORDER BY id"))
            .fetch_all(db)
            .await?,
    )
}

pub async fn get<'e>(db: impl Conn<'e>, id: i64) -> Result<Option<CohortRow>, StoreError> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM cohorts WHERE id = $1"))
            .bind(id)
            .fetch_optional(db)
            .await?,
    )
}

/// A cohort's pinned pack, as JSON.
pub async fn pack_json<'e>(db: impl Conn<'e>, id: i64) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT pack_json FROM cohorts WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?,
    )
}

/// Records the digest of a pack pinned before digests were kept, unless the pack has changed since.
/// The digest is part of the cohort a caller's memberships carry, so it moves the callers' version.
pub async fn set_pack_hash(tx: &mut Tx, id: i64, json: &str, hash: &str) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE cohorts SET pack_hash = $1 WHERE id = $2 AND pack_json = $3")
        .bind(hash)
        .bind(id)
        .bind(json)
        .execute(tx.conn())
        .await?;
    if done.rows_affected() > 0 {
        super::callers::changed(tx.conn()).await?;
    }
    Ok(())
}

/// Replaces the pinned pack, moving the callers' version (their memberships carry the cohort);
/// days already released keep the copy stored with their release.
pub async fn update_pack(
    tx: &mut Tx,
    id: i64,
    version: &str,
    json: &str,
    hash: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE cohorts SET pack_version = $1, pack_json = $2, pack_hash = $3 WHERE id = $4",
    )
    .bind(version)
    .bind(json)
    .bind(hash)
    .bind(id)
    .execute(tx.conn())
    .await?;
    super::callers::changed(tx.conn()).await
}

/// Enrolled people per team (`None` for people without a team), by role.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TeamCount {
    pub team: Option<String>,
    pub role: String,
    pub people: i64,
}

pub async fn team_counts<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
) -> Result<Vec<TeamCount>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT t.name AS team, e.role AS role, CAST(COUNT(*) AS BIGINT) AS people \
         FROM enrolments e LEFT JOIN teams t ON t.id = e.team_id WHERE e.cohort_id = $1 \
         GROUP BY t.name, e.role ORDER BY t.name, e.role",
    )
    .bind(cohort_id)
    .fetch_all(db)
    .await?)
}
