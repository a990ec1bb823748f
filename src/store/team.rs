//! What a manager's team page reads: the team's members, their days, and the team's activity by
//! day. Privacy is decided here: reflections are selected only when shared with the cohort or
//! the team by name and not hidden (never "only me", never anonymous), and shift check-ins only
//! as a day's count and sum for the whole team, and only on days when at least the cohort's
//! `checkin_crowd` of the team answered.

use super::{Conn, StoreError};
use crate::domain::{Day, PersonId, TeamId, Visibility};

/// Kind of message, as stored: a manager's word of encouragement.
pub const ENCOURAGE: &str = "encourage";

/// The team's participants (`$1` the cohort, `$2` the team), for `person_id IN (...)`: each
/// member's rows are then read through the indexes that start with the cohort and the person,
/// whatever the planner knows of the tables.
const MEMBERS: &str = "SELECT e.person_id FROM enrolments e \
     WHERE e.cohort_id = $1 AND e.team_id = $2 AND e.role = 'participant'";

/// A participant of the team.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MemberRow {
    pub person_id: PersonId,
    pub display_name: String,
    pub enrolled_at: i64,
}

/// The participants enrolled with `team_id` in `cohort_id`, by name.
pub async fn members<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    team_id: TeamId,
) -> Result<Vec<MemberRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT e.person_id, p.display_name, e.enrolled_at FROM enrolments e \
         JOIN people p ON p.id = e.person_id \
         WHERE e.cohort_id = $1 AND e.team_id = $2 AND e.role = 'participant' \
         ORDER BY p.display_name, e.person_id",
    )
    .bind(cohort_id)
    .bind(team_id)
    .fetch_all(db)
    .await?)
}

/// One participant of the team, if `person_id` is one.
pub async fn member<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    team_id: TeamId,
    person_id: PersonId,
) -> Result<Option<MemberRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT e.person_id, p.display_name, e.enrolled_at FROM enrolments e \
         JOIN people p ON p.id = e.person_id \
         WHERE e.cohort_id = $1 AND e.team_id = $2 AND e.person_id = $3 AND e.role = 'participant'",
    )
    .bind(cohort_id)
    .bind(team_id)
    .bind(person_id)
    .fetch_optional(db)
    .await?)
}

/// A day a member completed (no check-in: that is read only in aggregate, [`checkins`]).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DoneRow {
    pub person_id: PersonId,
    pub day: i64,
    pub late: i64,
}

/// Every day the team's participants completed, and every day they rested.
pub async fn days<'e, E>(
    db: E,
    cohort_id: i64,
    team_id: TeamId,
) -> Result<(Vec<DoneRow>, Vec<(i64, i64)>), StoreError>
where
    E: Conn<'e> + Copy,
{
    let done = sqlx::query_as(&format!(
        "SELECT s.person_id, s.day, s.late FROM submissions s \
         WHERE s.cohort_id = $1 AND s.person_id IN ({MEMBERS})"
    ))
    .bind(cohort_id)
    .bind(team_id)
    .fetch_all(db)
    .await?;
    let rest = sqlx::query_as(&format!(
        "SELECT r.person_id, r.day FROM rest_days r \
         WHERE r.cohort_id = $1 AND r.person_id IN ({MEMBERS})"
    ))
    .bind(cohort_id)
    .bind(team_id)
    .fetch_all(db)
    .await?;
    Ok((done, rest))
}

/// The team's reflections shared by name (with the cohort or the team, not hidden) per day, and
/// the reactions those reflections received: `(day, reflections, reactions)`.
pub async fn shared_by_day<'e, E>(
    db: E,
    cohort_id: i64,
    team_id: TeamId,
) -> Result<Vec<(i64, i64, i64)>, StoreError>
where
    E: Conn<'e> + Copy,
{
    const FROM: &str = "FROM reflections r";
    let shared = format!(
        "WHERE r.cohort_id = $1 AND r.person_id IN ({MEMBERS}) \
           AND r.visibility IN ('cohort', 'team') AND r.hidden_at IS NULL GROUP BY r.day"
    );
    let reflections: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT r.day, CAST(COUNT(*) AS BIGINT) {FROM} {shared}"
    ))
    .bind(cohort_id)
    .bind(team_id)
    .fetch_all(db)
    .await?;
    let reactions: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT r.day, CAST(COUNT(*) AS BIGINT) {FROM} \
         JOIN reactions x ON x.reflection_id = r.id {shared}"
    ))
    .bind(cohort_id)
    .bind(team_id)
    .fetch_all(db)
    .await?;
    Ok(reflections
        .into_iter()
        .map(|(day, n)| {
            let reacted = reactions.iter().find(|(d, _)| *d == day).map_or(0, |r| r.1);
            (day, n, reacted)
        })
        .collect())
}

/// The team's shift check-ins per day, as `(day, answers, sum of answers)`, only for days when at
/// least the cohort's `checkin_crowd` of the team answered: fewer answers are never returned.
pub async fn checkins<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    team_id: TeamId,
) -> Result<Vec<(i64, i64, i64)>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT s.day, CAST(COUNT(s.checkin) AS BIGINT), CAST(SUM(s.checkin) AS BIGINT) \
         FROM submissions s \
         WHERE s.cohort_id = $1 AND s.person_id IN ({MEMBERS}) AND s.checkin IS NOT NULL \
         GROUP BY s.day \
         HAVING COUNT(s.checkin) >= (SELECT c.checkin_crowd FROM cohorts c WHERE c.id = $1) \
         ORDER BY s.day"
    ))
    .bind(cohort_id)
    .bind(team_id)
    .fetch_all(db)
    .await?)
}

/// How many of a team must answer a day's check-in before its average is shown.
pub async fn checkin_crowd<'e>(db: impl Conn<'e>, cohort_id: i64) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT checkin_crowd FROM cohorts WHERE id = $1")
            .bind(cohort_id)
            .fetch_optional(db)
            .await?
            .unwrap_or(5),
    )
}

/// A reflection a member shared by name, as their manager may read it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SharedRow {
    pub day: Day,
    pub body: String,
    pub visibility: Visibility,
    pub updated_at: i64,
}

/// The member's reflections shared with the cohort or the team by name, not hidden, by day.
pub async fn shared_reflections<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
) -> Result<Vec<SharedRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT r.day, r.body, r.visibility, r.updated_at FROM reflections r \
         WHERE r.cohort_id = $1 AND r.person_id = $2 \
           AND r.visibility IN ('cohort', 'team') AND r.hidden_at IS NULL \
         ORDER BY r.day",
    )
    .bind(cohort_id)
    .bind(person_id)
    .fetch_all(db)
    .await?)
}

/// The team's members already encouraged on `day`.
pub async fn encouraged<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    team_id: TeamId,
    day: Day,
) -> Result<Vec<PersonId>, StoreError> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT o.person_id FROM outbox o \
         WHERE o.person_id IN ({MEMBERS}) AND o.cohort_id = $1 AND o.day = $3 AND o.kind = $4"
    ))
    .bind(cohort_id)
    .bind(team_id)
    .bind(day)
    .bind(ENCOURAGE)
    .fetch_all(db)
    .await?)
}

/// Queues a word of encouragement from `sender_id` to `person_id` for `day`, dropped unsent after
/// `expires_ms`: at most once per member, cohort and day (the index `outbox_once`), and not to
/// someone who unsubscribed from it. Returns whether one was queued.
pub async fn queue_encouragement<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
    day: Day,
    sender_id: PersonId,
    now_ms: i64,
    expires_ms: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO outbox (kind, person_id, cohort_id, day, created_at, due_at, expires_at, sender_id) \
         SELECT $1, $2, $3, $4, $5, $5, $6, $7 \
         WHERE NOT EXISTS (SELECT 1 FROM mail_unsubscribes u \
                           WHERE u.cohort_id = $3 AND u.person_id = $2 AND u.kind = $1) \
         ON CONFLICT DO NOTHING",
    )
    .bind(ENCOURAGE)
    .bind(person_id)
    .bind(cohort_id)
    .bind(day)
    .bind(now_ms)
    .bind(expires_ms)
    .bind(sender_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
