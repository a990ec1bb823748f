//! Submissions (a day marked done) and the reflection that may come with one.

use crate::domain::{Day, PersonId, TeamId, Visibility};
use std::collections::HashMap;

use super::Conn;

use super::StoreError;
use super::params::values_list;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SubmissionRow {
    pub id: i64,
    pub day: Day,
    pub submitted_at: i64,
    pub late: i64,
    pub idempotency_key: String,
    pub checkin: Option<i64>,
    /// What the request that made it asked for ([`NewSubmission::request_hash`]).
    pub request_hash: String,
}

/// A person's own reflection, as its author sees it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OwnReflectionRow {
    /// Its public id (the `handle`), as the feed knows it.
    pub id: i64,
    pub day: Day,
    pub body: String,
    pub visibility: Visibility,
    pub updated_at: i64,
    pub hidden_reason: Option<String>,
    /// When it appeared in the feed; NULL while an anonymous one waits for its batch.
    pub shown_at: Option<i64>,
    /// 1 once it has ever carried its author's name.
    pub named: i64,
    /// 1 when, never named, it was counted in the crowd of a published anonymous batch.
    pub in_published_crowd: i64,
}

/// The columns of [`OwnReflectionRow`], from `reflections r`.
const OWN_REFLECTION: &str = "SELECT r.handle AS id, r.day, r.body, r.visibility, r.updated_at, \
    r.hidden_reason, r.shown_at, r.named, \
    CASE WHEN r.named = 0 AND EXISTS (SELECT 1 FROM anonymous_batches b \
      WHERE b.cohort_id = r.cohort_id AND b.day = r.day AND b.published_at >= r.created_at) \
    THEN 1 ELSE 0 END AS in_published_crowd \
    FROM reflections r";

pub struct NewSubmission<'a> {
    pub cohort_id: i64,
    pub person_id: PersonId,
    /// Their team now, which the day's team badges count by.
    pub team_id: Option<TeamId>,
    pub day: Day,
    pub now: i64,
    pub late: bool,
    pub idempotency_key: &'a str,
    pub checkin: Option<i64>,
    /// A digest of the request, so a key used again with another request can be told apart
    /// from a retry.
    pub request_hash: &'a str,
}

/// Stores submissions, each unless its person already has one for that day or already used
/// that idempotency key, in one statement. Answers the new ids by `(cohort_id, person_id, day)`,
/// leaving out the submissions a constraint refused.
pub async fn insert_if_absent<'e>(
    db: impl Conn<'e>,
    rows: &[NewSubmission<'_>],
) -> Result<HashMap<(i64, PersonId, Day), i64>, StoreError> {
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "INSERT INTO submissions (cohort_id, person_id, day, submitted_at, late, idempotency_key, checkin, team_id, request_hash) \
         VALUES {} ON CONFLICT DO NOTHING RETURNING cohort_id, person_id, day, id",
        values_list(rows.len(), 9, 1)
    );
    let mut query = sqlx::query_as(&sql);
    for s in rows {
        query = query
            .bind(s.cohort_id)
            .bind(s.person_id)
            .bind(s.day)
            .bind(s.now)
            .bind(i64::from(s.late))
            .bind(s.idempotency_key)
            .bind(s.checkin)
            .bind(s.team_id)
            .bind(s.request_hash);
    }
    let stored: Vec<(i64, PersonId, Day, i64)> = query.fetch_all(db).await?;
    Ok(stored
        .into_iter()
        .map(|(cohort_id, person_id, day, id)| ((cohort_id, person_id, day), id))
        .collect())
}

/// The person's submission for a day.
pub async fn find<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
    day: Day,
) -> Result<Option<SubmissionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, day, submitted_at, late, idempotency_key, checkin, request_hash FROM submissions \
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
    db: impl Conn<'e>,
    person_id: PersonId,
    key: &str,
) -> Result<Option<SubmissionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, day, submitted_at, late, idempotency_key, checkin, request_hash FROM submissions \
         WHERE person_id = $1 AND idempotency_key = $2",
    )
    .bind(person_id)
    .bind(key)
    .fetch_optional(db)
    .await?)
}

/// Every submission of a person in a cohort, by day.
pub async fn for_person<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
) -> Result<Vec<SubmissionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, day, submitted_at, late, idempotency_key, checkin, request_hash FROM submissions \
         WHERE cohort_id = $1 AND person_id = $2 ORDER BY day",
    )
    .bind(cohort_id)
    .bind(person_id)
    .fetch_all(db)
    .await?)
}

/// What a person's day-by-day record is made of (read with their badge facts,
/// [`super::badges::people_facts`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonDays {
    /// Days completed, in order.
    pub done: Vec<i64>,
    /// Days marked as rest days, in order.
    pub rest: Vec<i64>,
    pub enrolled_at: Option<i64>,
}

pub async fn set_checkin<'e>(
    db: impl Conn<'e>,
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
    /// A fresh random public id, kept only if the reflection is new.
    pub handle: i64,
    pub cohort_id: i64,
    pub person_id: PersonId,
    pub day: Day,
    pub body: &'a str,
    pub visibility: &'a str,
    pub now: i64,
}

/// Writes the reflections of submissions in one statement: for each, a new one, or new text and
/// visibility for the one it has. Each submission at most once.
///
/// Its place in the feed (`shown_at`): a named one keeps the place it first had; an anonymous
/// one has none until its batch is published ([`super::anonymity`]), and going anonymous from
/// another visibility waits for a batch again; a private one has none. `named` remembers that
/// it was ever shared with the author's name.
pub async fn upsert_reflections<'e>(
    db: impl Conn<'e>,
    reflections: &[ReflectionText<'_>],
) -> Result<(), StoreError> {
    if reflections.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO reflections (submission_id, handle, cohort_id, person_id, day, body, visibility, \
           created_at, updated_at, shown_at, named) \
         VALUES {} \
         ON CONFLICT (submission_id) DO UPDATE SET body = excluded.body, visibility = excluded.visibility, \
         updated_at = excluded.updated_at, \
         shown_at = CASE \
           WHEN excluded.visibility IN ('cohort', 'team') THEN COALESCE(reflections.shown_at, excluded.updated_at) \
           WHEN excluded.visibility = 'anonymous' AND reflections.visibility = 'anonymous' THEN reflections.shown_at \
           ELSE NULL END, \
         named = CASE WHEN excluded.visibility IN ('cohort', 'team') THEN 1 ELSE reflections.named END",
        values_list(reflections.len(), 11, 1)
    );
    let mut query = sqlx::query(&sql);
    for r in reflections {
        let named = matches!(r.visibility, "cohort" | "team");
        query = query
            .bind(r.submission_id)
            .bind(r.handle)
            .bind(r.cohort_id)
            .bind(r.person_id)
            .bind(r.day)
            .bind(r.body)
            .bind(r.visibility)
            .bind(r.now)
            .bind(r.now)
            .bind(named.then_some(r.now))
            .bind(i64::from(named));
    }
    query.execute(db).await?;
    Ok(())
}

/// A person's own reflections in a cohort, private ones included: only ever shown to their author.
pub async fn own_reflections<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
) -> Result<Vec<OwnReflectionRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{OWN_REFLECTION} WHERE r.cohort_id = $1 AND r.person_id = $2 ORDER BY r.day"
    ))
    .bind(cohort_id)
    .bind(person_id)
    .fetch_all(db)
    .await?)
}

/// The reflection of one of the person's submissions.
pub async fn own_reflection<'e>(
    db: impl Conn<'e>,
    submission_id: i64,
) -> Result<Option<OwnReflectionRow>, StoreError> {
    Ok(
        sqlx::query_as(&format!("{OWN_REFLECTION} WHERE r.submission_id = $1"))
            .bind(submission_id)
            .fetch_optional(db)
            .await?,
    )
}
