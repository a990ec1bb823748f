//! Badge awards and the counts badge rules look at.

use sqlx::{Any, Executor};

use super::StoreError;

/// The badge ids a person already has in a cohort.
pub async fn awarded<'e>(
    db: impl Executor<'e, Database = Any>,
    cohort_id: i64,
    person_id: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT badge_id FROM badge_awards WHERE cohort_id = $1 AND person_id = $2 ORDER BY awarded_at, id",
    )
    .bind(cohort_id)
    .bind(person_id)
    .fetch_all(db)
    .await?)
}

/// The badges a submission earned.
pub async fn for_submission<'e>(
    db: impl Executor<'e, Database = Any>,
    submission_id: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar(
            "SELECT badge_id FROM badge_awards WHERE submission_id = $1 ORDER BY id",
        )
        .bind(submission_id)
        .fetch_all(db)
        .await?,
    )
}

/// Awards a badge unless the person has it (the unique constraint decides under concurrency);
/// true when this call awarded it.
pub async fn award<'e>(
    db: impl Executor<'e, Database = Any>,
    cohort_id: i64,
    person_id: i64,
    badge_id: &str,
    submission_id: Option<i64>,
    at: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO badge_awards (cohort_id, person_id, badge_id, awarded_at, submission_id) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(cohort_id)
    .bind(person_id)
    .bind(badge_id)
    .bind(at)
    .bind(submission_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn award_team<'e>(
    db: impl Executor<'e, Database = Any>,
    cohort_id: i64,
    team_id: i64,
    badge_id: &str,
    day: i64,
    at: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO team_badge_awards (cohort_id, team_id, badge_id, day, awarded_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(cohort_id)
    .bind(team_id)
    .bind(badge_id)
    .bind(day)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What the badge rules need to know of a person, besides their days: the badges they have, how
/// many reflections they wrote and reactions they received, and, for a first completion of `day`
/// in `team_id` (the team their submission was made in; 0 for no day), whether they were the
/// first of the team to complete it and whether the whole team now has (counted against the kept
/// team size). One query, as it runs inside every submission's transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFacts {
    pub awarded: Vec<String>,
    pub reflections: i64,
    pub reactions_received: i64,
    pub first_in_team_on_day: bool,
    pub team_completed_day: bool,
}

/// A row of [`person_facts`]: a badge held, or (with no badge) the counts.
type FactsRow = (Option<String>, i64, i64, Option<i64>, i64, Option<i64>);

pub async fn person_facts<'e>(
    db: impl Executor<'e, Database = Any>,
    cohort_id: i64,
    person_id: i64,
    day: i64,
    team_id: Option<i64>,
) -> Result<PersonFacts, StoreError> {
    // The badges as rows of their own, then one row of counts; the first of the team on the day
    // as in [`first_in_team`].
    let rows: Vec<FactsRow> = sqlx::query_as(
        "SELECT badge_id, CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(NULL AS BIGINT), \
                CAST(0 AS BIGINT), CAST(NULL AS BIGINT) \
         FROM badge_awards WHERE cohort_id = $1 AND person_id = $2 \
         UNION ALL SELECT CAST(NULL AS TEXT), \
           (SELECT COUNT(*) FROM reflections WHERE cohort_id = $1 AND person_id = $2), \
           (SELECT COUNT(*) FROM reactions x JOIN reflections r ON r.id = x.reflection_id \
            WHERE r.cohort_id = $1 AND r.person_id = $2), \
           (SELECT s.person_id FROM submissions s \
            WHERE s.cohort_id = $1 AND s.team_id = $4 AND s.day = $3 \
            ORDER BY s.submitted_at, s.id LIMIT 1), \
           (SELECT COUNT(*) FROM submissions WHERE cohort_id = $1 AND team_id = $4 AND day = $3), \
           (SELECT participants FROM cohort_team_sizes WHERE cohort_id = $1 AND team_id = $4)",
    )
    .bind(cohort_id)
    .bind(person_id)
    .bind(day)
    .bind(team_id.unwrap_or(0))
    .fetch_all(db)
    .await?;
    let mut facts = PersonFacts::default();
    for (badge, reflections, reactions, first, team_done, team_size) in rows {
        match badge {
            Some(badge) => facts.awarded.push(badge),
            None => {
                facts.reflections = reflections;
                facts.reactions_received = reactions;
                facts.first_in_team_on_day = first == Some(person_id);
                facts.team_completed_day = team_size.is_some_and(|size| team_done >= size);
            }
        }
    }
    Ok(facts)
}

/// Days on which the person was the first of their team to complete (the team each submission
/// was made in).
pub async fn first_in_team<'e>(
    db: impl Executor<'e, Database = Any>,
    cohort_id: i64,
    person_id: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM submissions s \
         WHERE s.cohort_id = $1 AND s.person_id = $2 AND s.team_id IS NOT NULL AND s.id = ( \
           SELECT s2.id FROM submissions s2 \
           WHERE s2.cohort_id = s.cohort_id AND s2.team_id = s.team_id AND s2.day = s.day \
           ORDER BY s2.submitted_at, s2.id LIMIT 1)",
    )
    .bind(cohort_id)
    .bind(person_id)
    .fetch_one(db)
    .await?)
}

/// The days on which every participant of a team completed, in order (a member who has moved
/// on still counts for the days they completed in it).
pub async fn team_full_days<'e>(
    db: impl Executor<'e, Database = Any>,
    cohort_id: i64,
    team_id: i64,
) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT day FROM submissions WHERE cohort_id = $1 AND team_id = $2 \
         GROUP BY day \
         HAVING COUNT(*) >= (SELECT participants FROM cohort_team_sizes WHERE cohort_id = $1 AND team_id = $2) \
         ORDER BY day",
    )
    .bind(cohort_id)
    .bind(team_id)
    .fetch_all(db)
    .await?)
}

/// A badge on someone's shelf.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AwardRow {
    pub badge_id: String,
    pub person_id: i64,
    pub display_name: String,
    pub awarded_at: i64,
}

/// The newest badges in a cohort, for the briefing room.
pub async fn newest<'e>(
    db: impl Executor<'e, Database = Any>,
    cohort_id: i64,
    limit: i64,
) -> Result<Vec<AwardRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT b.badge_id, b.person_id, p.display_name, b.awarded_at FROM badge_awards b \
         JOIN people p ON p.id = b.person_id WHERE b.cohort_id = $1 ORDER BY b.awarded_at DESC, b.id DESC LIMIT $2",
    )
    .bind(cohort_id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}
