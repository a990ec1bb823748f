//! The weekly digest and the report alert: when each cohort's digest goes, queueing it to the
//! managers and change leads, and what a digest reads (for one team, or the whole cohort when
//! `team` is `None`). Only reflections shared with the cohort, not hidden, are ever selected.

use super::{Conn, StoreError};
use crate::domain::{Day, PersonId, TeamId};

/// Kinds of message, as stored.
pub const DIGEST: &str = "digest";
pub const REPORTED: &str = "reported";

/// When a cohort's digest goes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Schedule {
    pub id: i64,
    pub time_zone: String,
    /// 1 (Monday) to 7 (Sunday).
    pub digest_weekday: i64,
    /// 'HH:MM' in the cohort's time zone.
    pub digest_at: String,
}

/// Every cohort's digest schedule, but those whose digest is off (`digest_at` '').
pub async fn schedules<'e>(db: impl Conn<'e>) -> Result<Vec<Schedule>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, time_zone, digest_weekday, digest_at FROM cohorts \
         WHERE digest_at <> '' ORDER BY id",
    )
    .fetch_all(db)
    .await?)
}

/// `cohort_id`'s digest schedule, whether or not it is off.
pub async fn schedule<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
) -> Result<Option<Schedule>, StoreError> {
    Ok(
        sqlx::query_as(
            "SELECT id, time_zone, digest_weekday, digest_at FROM cohorts WHERE id = $1",
        )
        .bind(cohort_id)
        .fetch_optional(db)
        .await?,
    )
}

/// Sets when `cohort_id`'s digest goes: `weekday` 1 (Monday) to 7, `at` 'HH:MM', or '' for
/// none. Returns whether the cohort exists.
pub async fn set_schedule<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    weekday: i64,
    at: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE cohorts SET digest_weekday = $1, digest_at = $2 WHERE id = $3")
        .bind(weekday)
        .bind(at)
        .bind(cohort_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The last day of `cohort_id` released by `at_ms`, if any.
pub async fn last_released<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    at_ms: i64,
) -> Result<Option<Day>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT MAX(day) FROM releases WHERE cohort_id = $1 AND released_at <= $2",
    )
    .bind(cohort_id)
    .bind(at_ms)
    .fetch_one(db)
    .await?)
}

/// Queues the digest covering up to `day` to the cohort's managers and change leads, except those
/// who unsubscribed from it: at most once per person, cohort and day (the index `outbox_once`).
pub async fn queue_digests<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    day: Day,
    now_ms: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "INSERT INTO outbox (kind, person_id, cohort_id, day, created_at, due_at) \
         SELECT $1, e.person_id, e.cohort_id, $2, $3, $3 FROM enrolments e \
         WHERE e.cohort_id = $4 AND e.role IN ('manager', 'change_lead') \
           AND NOT EXISTS (SELECT 1 FROM mail_unsubscribes u \
                           WHERE u.cohort_id = e.cohort_id AND u.person_id = e.person_id AND u.kind = $1) \
         ORDER BY e.person_id \
         ON CONFLICT DO NOTHING",
    )
    .bind(DIGEST)
    .bind(day)
    .bind(now_ms)
    .bind(cohort_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Queues an alert that a reflection was reported to each change lead of `cohort_id`, except
/// those who unsubscribed from these alerts.
pub async fn queue_report_alerts<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    now_ms: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "INSERT INTO outbox (kind, person_id, cohort_id, created_at, due_at) \
         SELECT $1, e.person_id, e.cohort_id, $2, $2 FROM enrolments e \
         WHERE e.cohort_id = $3 AND e.role = 'change_lead' \
           AND NOT EXISTS (SELECT 1 FROM mail_unsubscribes u \
                           WHERE u.cohort_id = e.cohort_id AND u.person_id = e.person_id AND u.kind = $1) \
         ORDER BY e.person_id",
    )
    .bind(REPORTED)
    .bind(now_ms)
    .bind(cohort_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// A reader's enrolment: their role and team in the cohort.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Reader {
    pub role: String,
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
}

/// The role and team of `person_id` in `cohort_id`.
pub async fn reader<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
) -> Result<Option<Reader>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT e.role, e.team_id, t.name AS team_name FROM enrolments e \
         LEFT JOIN teams t ON t.id = e.team_id WHERE e.cohort_id = $1 AND e.person_id = $2",
    )
    .bind(cohort_id)
    .bind(person_id)
    .fetch_optional(db)
    .await?)
}

/// A participant in the digest's scope.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Member {
    pub id: PersonId,
    pub display_name: String,
}

/// The participants of `team` (every team when `None`), by name.
pub async fn members<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    team: Option<TeamId>,
) -> Result<Vec<Member>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.display_name FROM enrolments e JOIN people p ON p.id = e.person_id \
         WHERE e.cohort_id = $1 AND e.role = 'participant' AND ($2 = 0 OR e.team_id = $3) \
         ORDER BY p.display_name, p.id",
    )
    .bind(cohort_id)
    .bind(i64::from(team.is_some()))
    .bind(team.map_or(0, TeamId::get))
    .fetch_all(db)
    .await?)
}

/// Who in scope did which day, up to `day`: (person, day).
pub async fn done_days<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    team: Option<TeamId>,
    day: Day,
) -> Result<Vec<(PersonId, Day)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT s.person_id, s.day FROM submissions s \
         JOIN enrolments e ON e.cohort_id = s.cohort_id AND e.person_id = s.person_id \
         WHERE s.cohort_id = $1 AND e.role = 'participant' AND ($2 = 0 OR e.team_id = $3) \
           AND s.day <= $4 ORDER BY s.person_id, s.day",
    )
    .bind(cohort_id)
    .bind(i64::from(team.is_some()))
    .bind(team.map_or(0, TeamId::get))
    .bind(day)
    .fetch_all(db)
    .await?)
}

/// Badges earned in scope since `since_ms`: (name, badge id), oldest first.
pub async fn new_badges<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    team: Option<TeamId>,
    since_ms: i64,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT p.display_name, b.badge_id FROM badge_awards b \
         JOIN people p ON p.id = b.person_id \
         JOIN enrolments e ON e.cohort_id = b.cohort_id AND e.person_id = b.person_id \
         WHERE b.cohort_id = $1 AND ($2 = 0 OR e.team_id = $3) AND b.awarded_at >= $4 \
         ORDER BY b.awarded_at, b.id",
    )
    .bind(cohort_id)
    .bind(i64::from(team.is_some()))
    .bind(team.map_or(0, TeamId::get))
    .bind(since_ms)
    .fetch_all(db)
    .await?)
}

/// A reflection worth reading aloud.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Highlight {
    pub display_name: String,
    pub day: Day,
    pub body: String,
    pub reactions: i64,
}

/// Up to three reflections of days `from..=to` written in scope and shared with the whole cohort
/// (never private, team-only or anonymous, never hidden), the most reacted to first.
pub async fn highlights<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    team: Option<TeamId>,
    from: i64,
    to: i64,
) -> Result<Vec<Highlight>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT p.display_name, s.day, r.body, \
                CAST((SELECT COUNT(*) FROM reactions x WHERE x.reflection_id = r.id) AS BIGINT) AS reactions \
         FROM reflections r JOIN submissions s ON s.id = r.submission_id \
         JOIN people p ON p.id = s.person_id \
         JOIN enrolments e ON e.cohort_id = s.cohort_id AND e.person_id = s.person_id \
         WHERE s.cohort_id = $1 AND ($2 = 0 OR e.team_id = $3) AND s.day BETWEEN $4 AND $5 \
           AND r.visibility = 'cohort' AND r.hidden_at IS NULL \
         ORDER BY reactions DESC, r.created_at, r.id LIMIT 3",
    )
    .bind(cohort_id)
    .bind(i64::from(team.is_some()))
    .bind(team.map_or(0, TeamId::get))
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?)
}
