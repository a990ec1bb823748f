//! People and what they belong to: their cohorts, with their role and team in each.

use super::Conn;
use crate::domain::{PersonId, TeamId};

use super::StoreError;
use super::cohorts::CohortRow;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonRow {
    pub id: PersonId,
    pub email: String,
    pub display_name: String,
}

/// A person's place in one cohort (their role there, and their team: the one they are in, or
/// manage), with the cohort's row: the access check of every cohort page
/// needs both, so they are read together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipRow {
    pub cohort: CohortRow,
    pub role: String,
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
    pub enrolled_at: i64,
}

/// The columns of [`JoinedMembership`], from `enrolments e`, `cohorts c` and `teams t` joined as
/// in [`MEMBERSHIP_JOINS`]; prefixed, so they can sit beside a person's own columns.
pub(super) const MEMBERSHIP_COLUMNS: &str = "c.id AS cohort_id, c.name AS cohort_name, c.pack_id, \
    c.pack_version, c.pack_hash, c.length_days, c.start_date, c.time_zone, c.release_cron, \
    c.grace_minutes, c.created_at AS cohort_created_at, c.anonymity_k, e.role AS member_role, e.team_id, \
    t.name AS team_name, e.enrolled_at";

/// Joins a person `p` to their enrolments, cohorts and teams; a person in no cohort keeps one
/// row with these columns null.
pub(super) const MEMBERSHIP_JOINS: &str = "LEFT JOIN enrolments e ON e.person_id = p.id \
    LEFT JOIN cohorts c ON c.id = e.cohort_id LEFT JOIN teams t ON t.id = e.team_id";

/// One row of [`MEMBERSHIP_COLUMNS`]: all null for a person in no cohort.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct JoinedMembership {
    cohort_id: Option<i64>,
    cohort_name: Option<String>,
    pack_id: Option<String>,
    pack_version: Option<String>,
    pack_hash: Option<String>,
    length_days: Option<i64>,
    start_date: Option<String>,
    time_zone: Option<String>,
    release_cron: Option<String>,
    grace_minutes: Option<i64>,
    cohort_created_at: Option<i64>,
    anonymity_k: Option<i64>,
    member_role: Option<String>,
    team_id: Option<TeamId>,
    team_name: Option<String>,
    enrolled_at: Option<i64>,
}

impl JoinedMembership {
    pub(super) fn into_row(self) -> Option<MembershipRow> {
        Some(MembershipRow {
            cohort: CohortRow {
                id: self.cohort_id?,
                name: self.cohort_name?,
                pack_id: self.pack_id?,
                pack_version: self.pack_version?,
                pack_hash: self.pack_hash?,
                length_days: self.length_days?,
                start_date: self.start_date?,
                time_zone: self.time_zone?,
                release_cron: self.release_cron?,
                grace_minutes: self.grace_minutes?,
                created_at: self.cohort_created_at?,
                anonymity_k: self.anonymity_k?,
            },
            role: self.member_role?,
            team_id: self.team_id,
            team_name: self.team_name,
            enrolled_at: self.enrolled_at?,
        })
    }
}

pub async fn by_email<'e>(db: impl Conn<'e>, email: &str) -> Result<Option<PersonRow>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, email, display_name FROM people WHERE email = $1")
            .bind(email)
            .fetch_optional(db)
            .await?,
    )
}

pub async fn by_id<'e>(db: impl Conn<'e>, id: i64) -> Result<Option<PersonRow>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, email, display_name FROM people WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?,
    )
}

/// The cohorts a person is enrolled in, oldest first.
pub async fn memberships<'e>(
    db: impl Conn<'e>,
    person_id: PersonId,
) -> Result<Vec<MembershipRow>, StoreError> {
    let rows: Vec<JoinedMembership> = sqlx::query_as(&format!(
        "SELECT {MEMBERSHIP_COLUMNS} FROM people p {MEMBERSHIP_JOINS} \
         WHERE p.id = $1 ORDER BY e.cohort_id"
    ))
    .bind(person_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(JoinedMembership::into_row)
        .collect())
}

/// Teams with participants in a cohort, by name: read from the team sizes kept by enrolment
/// (a few rows), where looking through enrolments would read the cohort's.
pub async fn cohort_teams<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
) -> Result<Vec<(TeamId, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.name FROM cohort_team_sizes z JOIN teams t ON t.id = z.team_id \
         WHERE z.cohort_id = $1 ORDER BY t.name",
    )
    .bind(cohort_id)
    .fetch_all(db)
    .await?)
}
