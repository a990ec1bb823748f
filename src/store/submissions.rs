//! Submissions (a day marked done) and the reflection that may come with one.

use sqlx::{Any, Executor};

use super::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SubmissionRow {
    pub id: i64,
    pub day: i64,
    pub submitted_at: i64,
    pub late: i64,
    pub idempotency_key: String,
    pub checkin: Option<i64>,
}

/// A person's own reflection, as its author sees it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OwnReflectionRow {
    pub id: i64,
    pub day: i64,
    pub body: String,
    pub visibility: String,
    pub updated_at: i64,
    pub hidden_reason: Option<String>,
}

pub struct NewSubmission<'a> {
    pub cohort_id: i64,
    pub person_id: i64,
    /// Their team now, which the day's team badges count by.
    pub team_id: Option<i64>,
    pub day: i64,
    pub now: i64,
    pub late: bool,
    pub idempotency_key: &'a str,
    pub checkin: Option<i64>,
}

/// Stores a submission unless the person already has one for that day or already used that
/// idempotency key: returns the new id, or `None` when a constraint said it exists.
pub async fn insert_if_absent<'e>(
    db: impl Executor<'e, Database = Any>,
    s: &NewSubmission<'_>,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO submissions (cohort_id, person_id, day, submitted_at, late, idempotency_key, checkin, team_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(s.cohort_id)
    .bind(s.person_id)
    .bind(s.day)
    .bind(s.now)
    .bind(i64::from(s.late))
    .bind(s.idempotency_key)
    .bind(s.checkin)
    .bind(s.team_id)
    .fetch_optional(db)
    .await?)
}

/// The person's submission for a day.
pub async fn find<'e>(
    db: impl Executor<'e, Database = Any>,
    cohort_id: i64,
    person_id: i64,
    day: i64,
) -> Result<Option<SubmissionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, day, submitted_at, late, idempotency_key, checkin FROM submissions \
         WHERE cohort_id = $1 AND person_id = $2 AND day = $3",
    )
    .bind(cohort_id)
    .bind(person_id)
    .bind(day)
    .fetch_optional(db)
    .await?)
}

/// The submission the person already made with this idempotency key, whatever the day.
pub async fn find_by_key<'e>(
    db: impl Executor<'e, Database = Any>,
    person_id: i64,
    key: &str,
) -> Result<Option<SubmissionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, day, submitted_at, late, idempotency_key, checkin FROM submissions \
         WHERE person_id = $1 AND idempotency_key = $2",
    )
    .bind(person_id)
    .bind(key)
    .fetch_optional(db)
    .await?)
}

/// Every submission of a person in a cohort, by day.
pub async fn for_person<'e>(
    db: impl Executor<'e, Database = Any>,
    cohort_id: i64,
    person_id: i64,
) -> Result<Vec<SubmissionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, day, submitted_at, late, idempotency_key, checkin FROM submissions \
         WHERE cohort_id = $1 AND person_id = $2 ORDER BY day",
    )
    .bind(cohort_id)
    .bind(person_id)
    .fetch_all(db)
    .await?)
}

/// What a person's day-by-day record is made of, read in one query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonDays {
    /// Days completed, in order.
    pub done: Vec<i64>,
    /// Days marked as rest days, in order.
    pub rest: Vec<i64>,
    pub enrolled_at: Option<i64>,
}

pub async fn person_days<'e>(
    db: impl Executor<'e, Database = Any>,
    cohort_id: i64,
    person_id: i64,
) -> Result<PersonDays, StoreError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT CAST(0 AS BIGINT), day FROM submissions WHERE cohort_id = $1 AND person_id = $2 \
         UNION ALL SELECT CAST(1 AS BIGINT), day FROM rest_days WHERE cohort_id = $1 AND person_id = $2 \
         UNION ALL SELECT CAST(2 AS BIGINT), enrolled_at FROM enrolments WHERE cohort_id = $1 AND person_id = $2",
    )
    .bind(cohort_id)
    .bind(person_id)
    .fetch_all(db)
    .await?;
    let mut days = PersonDays::default();
    for (kind, value) in rows {
        match kind {
            0 => days.done.push(value),
            1 => days.rest.push(value),
            _ => days.enrolled_at = Some(value),
        }
    }
    days.done.sort_unstable();
    days.rest.sort_unstable();
    Ok(days)
}

pub async fn set_checkin<'e>(
    db: impl Executor<'e, Database = Any>,
    submission_id: i64,
    checkin: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE submissions SET checkin = $2 WHERE id = $1")
        .bind(submission_id)
        .bind(checkin)
        .execute(db)
        .await?;
    Ok(())
}

pub struct ReflectionText<'a> {
    pub submission_id: i64,
    pub cohort_id: i64,
    pub person_id: i64,
    pub day: i64,
    pub body: &'a str,
    pub visibility: &'a str,
    pub now: i64,
}

/// Writes the reflection of a submission: a new one, or new text and visibility for the one it has
/// (keeping its place in the feed, which is ordered by when it was first written).
pub async fn upsert_reflection<'e>(
    db: impl Executor<'e, Database = Any>,
    r: &ReflectionText<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO reflections (submission_id, cohort_id, person_id, day, body, visibility, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (submission_id) DO UPDATE SET body = excluded.body, visibility = excluded.visibility, \
         updated_at = excluded.updated_at",
    )
    .bind(r.submission_id)
    .bind(r.cohort_id)
    .bind(r.person_id)
    .bind(r.day)
    .bind(r.body)
    .bind(r.visibility)
    .bind(r.now)
    .execute(db)
    .await?;
    Ok(())
}

/// A person's own reflections in a cohort, private ones included: only ever shown to their author.
pub async fn own_reflections<'e>(
    db: impl Executor<'e, Database = Any>,
    cohort_id: i64,
    person_id: i64,
) -> Result<Vec<OwnReflectionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, day, body, visibility, updated_at, hidden_reason FROM reflections \
         WHERE cohort_id = $1 AND person_id = $2 ORDER BY day",
    )
    .bind(cohort_id)
    .bind(person_id)
    .fetch_all(db)
    .await?)
}

/// The reflection of one of the person's submissions.
pub async fn own_reflection<'e>(
    db: impl Executor<'e, Database = Any>,
    submission_id: i64,
) -> Result<Option<OwnReflectionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, day, body, visibility, updated_at, hidden_reason FROM reflections \
         WHERE submission_id = $1",
    )
    .bind(submission_id)
    .fetch_optional(db)
    .await?)
}

/// Whether a submission already has a reflection.
pub async fn has_reflection<'e>(
    db: impl Executor<'e, Database = Any>,
    submission_id: i64,
) -> Result<bool, StoreError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM reflections WHERE submission_id = $1")
            .bind(submission_id)
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}
