//! The audit log of what change leads did to a cohort, and the cohort's edit version that makes
//! a second lead's stale edit fail instead of overwriting the first's.

use super::{Conn, StoreError};
use crate::domain::PersonId;

/// An entry as the log page shows it: `by` is the person's display name, or `None` for the
/// command line.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub by: Option<String>,
    pub action: String,
    pub detail: String,
    pub created_at: i64,
}

/// Writes one entry, in the transaction of the action it records.
pub async fn record<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    by: Option<PersonId>,
    action: &str,
    detail: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (cohort_id, person_id, action, detail, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(cohort_id)
    .bind(by)
    .bind(action)
    .bind(detail)
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok(())
}

/// A cohort's log, newest first, at most `limit` entries.
pub async fn for_cohort<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT p.display_name AS by, a.action, a.detail, a.created_at \
         FROM audit_log a LEFT JOIN people p ON p.id = a.person_id \
         WHERE a.cohort_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
    )
    .bind(cohort_id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// The cohort's edit version, as a form carries it to be checked on write.
pub async fn edit_version<'e>(db: impl Conn<'e>, cohort_id: i64) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT edit_version FROM cohorts WHERE id = $1")
            .bind(cohort_id)
            .fetch_optional(db)
            .await?
            .unwrap_or(0),
    )
}

/// Moves the edit version on if it is still `expected` (any version when `None`, for the command
/// line); false when another edit moved it first.
pub async fn bump_edit_version<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    expected: Option<i64>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE cohorts SET edit_version = edit_version + 1 \
         WHERE id = $1 AND ($2 IS NULL OR edit_version = $2)",
    )
    .bind(cohort_id)
    .bind(expected)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many participants of a cohort did `day` (on time or late).
pub async fn done_on<'e>(db: impl Conn<'e>, cohort_id: i64, day: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM submissions s \
         JOIN enrolments e ON e.cohort_id = s.cohort_id AND e.person_id = s.person_id \
         WHERE s.cohort_id = $1 AND s.day = $2 AND e.role = 'participant'",
    )
    .bind(cohort_id)
    .bind(day)
    .fetch_one(db)
    .await?)
}
