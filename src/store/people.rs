//! People and what they belong to: their cohorts, teams and the teams they manage.

use sqlx::{Any, Executor};

use super::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
}

/// A person's place in one cohort.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MembershipRow {
    pub cohort_id: i64,
    pub cohort_name: String,
    pub role: String,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub enrolled_at: i64,
}

pub async fn by_email<'e>(
    db: impl Executor<'e, Database = Any>,
    email: &str,
) -> Result<Option<PersonRow>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, email, display_name, role FROM people WHERE email = $1")
            .bind(email)
            .fetch_optional(db)
            .await?,
    )
}

pub async fn by_id<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<PersonRow>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, email, display_name, role FROM people WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?,
    )
}

/// The cohorts a person is enrolled in, oldest first.
pub async fn memberships<'e>(
    db: impl Executor<'e, Database = Any>,
    person_id: i64,
) -> Result<Vec<MembershipRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT e.cohort_id, c.name AS cohort_name, e.role, e.team_id, t.name AS team_name, e.enrolled_at \
         FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id LEFT JOIN teams t ON t.id = e.team_id \
         WHERE e.person_id = $1 ORDER BY e.cohort_id",
    )
    .bind(person_id)
    .fetch_all(db)
    .await?)
}

/// The teams a person manages.
pub async fn managed_teams<'e>(
    db: impl Executor<'e, Database = Any>,
    person_id: i64,
) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT team_id FROM team_managers WHERE person_id = $1 ORDER BY team_id",
    )
    .bind(person_id)
    .fetch_all(db)
    .await?)
}

/// Teams with members in a cohort, by name. One index probe per team (teams are few), where
/// joining would read every enrolment of the cohort.
pub async fn cohort_teams<'e>(
    db: impl Executor<'e, Database = Any>,
    cohort_id: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.name FROM teams t WHERE EXISTS ( \
           SELECT 1 FROM enrolments e WHERE e.cohort_id = $1 AND e.team_id = t.id) \
         ORDER BY t.name",
    )
    .bind(cohort_id)
    .fetch_all(db)
    .await?)
}
