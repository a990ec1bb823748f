//! The points ledger: every point with its reason, written in the transaction of what earned it.
//! The leaderboards are views of this table and can always be rebuilt from it.

use super::Conn;
use crate::domain::{Day, PersonId, TeamId};

use super::StoreError;
use super::params::{placeholders, values_list};

/// One ledger row about to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub cohort_id: i64,
    pub person_id: PersonId,
    /// The day the points are for; `None` (0 in the ledger) for a badge's bonus.
    pub day: Option<Day>,
    pub points: i64,
    pub reason: &'a str,
    pub submission_id: Option<i64>,
    pub reaction_id: Option<i64>,
    pub at: i64,
}

/// Writes ledger rows in one statement (a submission earns up to four at once).
pub async fn insert_all<'e>(db: impl Conn<'e>, entries: &[Entry<'_>]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let rows = values_list(entries.len(), 8, 1);
    let sql = format!(
        "INSERT INTO points_ledger (cohort_id, person_id, day, points, reason, submission_id, reaction_id, created_at) \
         VALUES {rows}"
    );
    let mut query = sqlx::query(&sql);
    for e in entries {
        query = query
            .bind(e.cohort_id)
            .bind(e.person_id)
            .bind(e.day.map_or(0, i64::from))
            .bind(e.points)
            .bind(e.reason)
            .bind(e.submission_id)
            .bind(e.reaction_id)
            .bind(e.at);
    }
    query.execute(db).await?;
    Ok(())
}

/// A person's points by reason.
pub async fn breakdown<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT reason, CAST(SUM(points) AS BIGINT) FROM points_ledger \
         WHERE cohort_id = $1 AND person_id = $2 GROUP BY reason ORDER BY reason",
    )
    .bind(cohort_id)
    .bind(person_id)
    .fetch_all(db)
    .await?)
}

/// A cohort's ledger summed per person (with their team) and week: points, and the last moment
/// they changed. The boards are rebuilt from these; summing in SQL sends one row per person and
/// week rather than every point ever earned.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LedgerSum {
    pub person_id: PersonId,
    pub team_id: Option<TeamId>,
    pub points: i64,
    pub created_at: i64,
}

/// The ledger's time span, `(first, last)` moment, `None` when it is empty.
pub async fn ledger_span<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
) -> Result<Option<(i64, i64)>, StoreError> {
    let span: (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT MIN(created_at), MAX(created_at) FROM points_ledger WHERE cohort_id = $1",
    )
    .bind(cohort_id)
    .fetch_one(db)
    .await?;
    Ok(span.0.zip(span.1))
}

/// The ledger summed per person and week, weeks separated at `week_starts` (milliseconds, in
/// order): rows between two of them are summed together.
pub async fn ledger_by_week<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    week_starts: &[i64],
) -> Result<Vec<LedgerSum>, StoreError> {
    let by_week = if week_starts.is_empty() {
        String::new()
    } else {
        let cases: String = (0..week_starts.len())
            .map(|i| format!("WHEN l.created_at < ${} THEN {i} ", i + 2))
            .collect();
        format!(", CASE {cases}ELSE {} END", week_starts.len())
    };
    // Summed first, joined after: the join then meets one row per person and week.
    let sql = format!(
        "SELECT x.person_id, e.team_id, x.points, x.created_at \
         FROM (SELECT l.person_id, CAST(SUM(l.points) AS BIGINT) AS points, \
                      MAX(l.created_at) AS created_at \
               FROM points_ledger l WHERE l.cohort_id = $1 \
               GROUP BY l.person_id{by_week}) x \
         JOIN enrolments e ON e.cohort_id = $1 AND e.person_id = x.person_id"
    );
    let mut query = sqlx::query_as(&sql).bind(cohort_id);
    for start in week_starts {
        query = query.bind(*start);
    }
    Ok(query.fetch_all(db).await?)
}

/// Takes one rest day from the person's allowance (`limit`); false when none is left.
pub async fn take_rest_day<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
    limit: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE enrolments SET rest_days_used = rest_days_used + 1 \
         WHERE cohort_id = $1 AND person_id = $2 AND rest_days_used < $3",
    )
    .bind(cohort_id)
    .bind(person_id)
    .bind(limit)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a rest day; false when the day was already one.
pub async fn insert_rest_day<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
    day: Day,
    at: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO rest_days (cohort_id, person_id, day, marked_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(cohort_id)
    .bind(person_id)
    .bind(day)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What one submission earned, by reason.
pub async fn for_submission<'e>(
    db: impl Conn<'e>,
    submission_id: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT reason, CAST(SUM(points) AS BIGINT) FROM points_ledger WHERE submission_id = $1 \
         GROUP BY reason ORDER BY reason",
    )
    .bind(submission_id)
    .fetch_all(db)
    .await?)
}

/// Every completion of a cohort: person, day, when (for the "first to complete" boards).
pub async fn completions<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
) -> Result<Vec<(i64, Day, i64)>, StoreError> {
    Ok(
        sqlx::query_as("SELECT person_id, day, submitted_at FROM submissions WHERE cohort_id = $1")
            .bind(cohort_id)
            .fetch_all(db)
            .await?,
    )
}

/// Participants per team, for per-member team scores (kept by enrolment).
pub async fn team_sizes<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
) -> Result<Vec<(i64, String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.name, s.participants FROM cohort_team_sizes s JOIN teams t ON t.id = s.team_id \
         WHERE s.cohort_id = $1 ORDER BY t.name",
    )
    .bind(cohort_id)
    .fetch_all(db)
    .await?)
}

/// A person's team in a cohort.
pub async fn team_of<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
) -> Result<Option<TeamId>, StoreError> {
    Ok(
        sqlx::query_scalar(
            "SELECT team_id FROM enrolments WHERE cohort_id = $1 AND person_id = $2",
        )
        .bind(cohort_id)
        .bind(person_id)
        .fetch_optional(db)
        .await?
        .flatten(),
    )
}

/// Display names of people, by id.
pub async fn names<'e>(db: impl Conn<'e>, ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, display_name FROM people WHERE id IN ({})",
        placeholders(ids.len(), 1)
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(db).await?)
}
