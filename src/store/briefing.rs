//! What the briefing-room screen reads, and its read-only links.

use super::Conn;
use crate::domain::{Day, PersonId, TeamId};

use super::StoreError;

/// Completions of one day per team.
pub async fn completions_by_team<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    day: Day,
) -> Result<Vec<(TeamId, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT e.team_id, COUNT(*) FROM submissions s \
         JOIN enrolments e ON e.cohort_id = s.cohort_id AND e.person_id = s.person_id \
         WHERE s.cohort_id = $1 AND s.day = $2 AND e.team_id IS NOT NULL GROUP BY e.team_id",
    )
    .bind(cohort_id)
    .bind(day)
    .fetch_all(db)
    .await?)
}

/// A participant, for the streak table.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Participant {
    pub person_id: PersonId,
    pub display_name: String,
    pub team_id: Option<TeamId>,
    pub enrolled_at: i64,
}

pub async fn participants<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
) -> Result<Vec<Participant>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT e.person_id, p.display_name, e.team_id, e.enrolled_at FROM enrolments e \
         JOIN people p ON p.id = e.person_id WHERE e.cohort_id = $1 AND e.role = 'participant'",
    )
    .bind(cohort_id)
    .fetch_all(db)
    .await?)
}

/// Every (person, day) completed, and every (person, day) rested, in a cohort.
pub async fn days_by_person<'e, E>(
    db: E,
    cohort_id: i64,
) -> Result<(Vec<(PersonId, i64)>, Vec<(PersonId, i64)>), StoreError>
where
    E: Conn<'e> + Copy,
{
    let done = sqlx::query_as("SELECT person_id, day FROM submissions WHERE cohort_id = $1")
        .bind(cohort_id)
        .fetch_all(db)
        .await?;
    let rest = sqlx::query_as("SELECT person_id, day FROM rest_days WHERE cohort_id = $1")
        .bind(cohort_id)
        .fetch_all(db)
        .await?;
    Ok((done, rest))
}

/// A reflection shared with the cohort by name, to show on the screen.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Highlight {
    pub id: i64,
    pub day: Day,
    pub body: String,
    pub author_name: String,
    pub team_id: Option<TeamId>,
    pub reactions: i64,
}

/// The reflection shared with the whole cohort by name (never team-only, private or anonymous
/// ones) that colleagues reacted to most since `since`, newest first among equals.
pub async fn highlight<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    since: i64,
) -> Result<Vec<Highlight>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.day, r.body, p.display_name AS author_name, e.team_id, \
           (SELECT COUNT(*) FROM reactions x WHERE x.reflection_id = r.id) AS reactions \
         FROM reflections r JOIN people p ON p.id = r.person_id \
         JOIN enrolments e ON e.cohort_id = r.cohort_id AND e.person_id = r.person_id \
         WHERE r.cohort_id = $1 AND r.visibility = 'cohort' AND r.hidden_at IS NULL AND r.created_at >= $2 \
         ORDER BY reactions DESC, r.created_at DESC, r.id DESC LIMIT 20",
    )
    .bind(cohort_id)
    .bind(since)
    .fetch_all(db)
    .await?)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LinkRow {
    pub id: i64,
    pub cohort_id: i64,
    pub team_ids: String,
    pub created_by: PersonId,
    pub created_at: i64,
    /// What people called it ("Briefing room, Ladywood"); '' for links made before names.
    pub name: String,
    pub last_used_at: Option<i64>,
}

/// The columns of [`LinkRow`].
const LINK: &str = "SELECT id, cohort_id, team_ids, created_by, created_at, name, last_used_at FROM briefing_links";

pub async fn insert_link<'e>(
    db: impl Conn<'e>,
    token_hash: &str,
    cohort_id: i64,
    team_ids: &str,
    created_by: PersonId,
    at: i64,
    name: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO briefing_links (token_hash, cohort_id, team_ids, created_by, created_at, name) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(token_hash)
    .bind(cohort_id)
    .bind(team_ids)
    .bind(created_by)
    .bind(at)
    .bind(name)
    .fetch_one(db)
    .await?)
}

/// The live links a person made for a cohort.
pub async fn links<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    created_by: PersonId,
) -> Result<Vec<LinkRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{LINK} WHERE cohort_id = $1 AND created_by = $2 AND revoked_at IS NULL ORDER BY id"
    ))
    .bind(cohort_id)
    .bind(created_by)
    .fetch_all(db)
    .await?)
}

pub async fn revoke_link<'e>(
    db: impl Conn<'e>,
    id: i64,
    created_by: PersonId,
    at: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE briefing_links SET revoked_at = $3 WHERE id = $1 AND created_by = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(created_by)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The live link with this token hash.
pub async fn link<'e>(db: impl Conn<'e>, token_hash: &str) -> Result<Option<LinkRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{LINK} WHERE token_hash = $1 AND revoked_at IS NULL"
    ))
    .bind(token_hash)
    .fetch_optional(db)
    .await?)
}

/// Records that a screen opened the link at `at`.
pub async fn note_use<'e>(db: impl Conn<'e>, id: i64, at: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE briefing_links SET last_used_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(db)
        .await?;
    Ok(())
}

/// Revokes a cohort's live links whose maker may no longer see what they show: only a change
/// lead of the cohort, or its manager of exactly the link's team, keeps theirs. Enrolment calls
/// it, in its transaction, since a CSV that changes someone's role or team changes their rights.
/// Returns how many were revoked.
pub async fn revoke_beyond_rights<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    at: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE briefing_links SET revoked_at = $2 \
         WHERE cohort_id = $1 AND revoked_at IS NULL AND NOT EXISTS ( \
           SELECT 1 FROM enrolments e \
           WHERE e.cohort_id = briefing_links.cohort_id AND e.person_id = briefing_links.created_by \
             AND (e.role = 'change_lead' \
                  OR (e.role = 'manager' AND briefing_links.team_ids = CAST(e.team_id AS TEXT))))",
    )
    .bind(cohort_id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
