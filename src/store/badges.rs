//! Badge awards and the counts badge rules look at.

use crate::domain::{Day, PersonId, TeamId};
use std::collections::{HashMap, HashSet};

use super::Conn;

use super::StoreError;
use super::params::values_list;
use super::submissions::PersonDays;

/// The badge ids a person already has in a cohort.
pub async fn awarded<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    person_id: PersonId,
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
    db: impl Conn<'e>,
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

/// A badge about to be awarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAward<'a> {
    pub cohort_id: i64,
    pub person_id: PersonId,
    pub badge_id: &'a str,
    pub submission_id: Option<i64>,
    pub at: i64,
}

/// Awards badges in one statement, each unless the person has it (the unique constraint decides
/// under concurrency); returns the `(person_id, badge_id)` this call awarded.
pub async fn award<'e>(
    db: impl Conn<'e>,
    awards: &[NewAward<'_>],
) -> Result<HashSet<(PersonId, String)>, StoreError> {
    if awards.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!(
        "INSERT INTO badge_awards (cohort_id, person_id, badge_id, awarded_at, submission_id) \
         VALUES {} ON CONFLICT DO NOTHING RETURNING person_id, badge_id",
        values_list(awards.len(), 5, 1)
    );
    let mut query = sqlx::query_as(&sql);
    for a in awards {
        query = query
            .bind(a.cohort_id)
            .bind(a.person_id)
            .bind(a.badge_id)
            .bind(a.at)
            .bind(a.submission_id);
    }
    let awarded: Vec<(PersonId, String)> = query.fetch_all(db).await?;
    Ok(awarded.into_iter().collect())
}

pub async fn award_team<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    team_id: TeamId,
    badge_id: &str,
    day: Day,
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

/// What the badge rules and streak bonuses need to know of a person, read with others' in one
/// query inside a submission's transaction: their days, the badges they have, how many
/// reflections they wrote and reactions they received, and, for a first completion of a day in a
/// team (the team their submission was made in), whether they were the first of the team to
/// complete it and whether the whole team now has (counted against the kept team size).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFacts {
    pub days: PersonDays,
    pub awarded: Vec<String>,
    pub reflections: i64,
    /// Reactions to their named reflections only: credit for an anonymous one would move what
    /// everyone sees and point at its author.
    pub reactions_received: i64,
    pub first_in_team_on_day: bool,
    pub team_completed_day: bool,
}

/// Whose facts to read: a person in a cohort, with the day and team
/// of the first completion that is the occasion, if one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactsKey {
    pub cohort_id: i64,
    pub person_id: PersonId,
    pub day: Option<Day>,
    pub team_id: Option<TeamId>,
}

/// A row of [`people_facts`]: the key's position, what the row is (a [`fact`] kind), a badge held,
/// a day, then the counts.
type FactsRow = (
    i64,
    i64,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// What a row of [`people_facts`] holds.
mod fact {
    pub const BADGE: i64 = 0;
    pub const DONE: i64 = 1;
    pub const REST: i64 = 2;
    pub const COUNTS: i64 = 3;
}

/// The facts of several people (each once) in one query, as it runs inside every submission's
/// transaction; answers in the keys' order.
pub async fn people_facts<'e>(
    db: impl Conn<'e>,
    keys: &[FactsKey],
) -> Result<Vec<PersonFacts>, StoreError> {
    let mut facts = vec![PersonFacts::default(); keys.len()];
    if keys.is_empty() {
        return Ok(facts);
    }
    // Rows of each kind, each carrying its key's position: the badges, the days completed and
    // rested, then one row of counts per person (the first of the team on the day as in
    // [`first_in_team`]).
    let sql = format!(
        "WITH keys (n, cohort_id, person_id, day, team_id) AS (VALUES {values}) \
         SELECT k.n, CAST({badge} AS BIGINT), b.badge_id, CAST(NULL AS BIGINT), \
                CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), \
                CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) \
         FROM keys k JOIN badge_awards b ON b.cohort_id = k.cohort_id AND b.person_id = k.person_id \
         UNION ALL SELECT k.n, {done}, NULL, s.day, NULL, NULL, NULL, NULL, NULL FROM keys k \
           JOIN submissions s ON s.cohort_id = k.cohort_id AND s.person_id = k.person_id \
         UNION ALL SELECT k.n, {rest}, NULL, r.day, NULL, NULL, NULL, NULL, NULL FROM keys k \
           JOIN rest_days r ON r.cohort_id = k.cohort_id AND r.person_id = k.person_id \
         UNION ALL SELECT k.n, {counts}, NULL, e.enrolled_at, \
           (SELECT COUNT(*) FROM reflections WHERE cohort_id = k.cohort_id AND person_id = k.person_id), \
           (SELECT COUNT(*) FROM reactions x JOIN reflections r ON r.id = x.reflection_id \
            WHERE r.cohort_id = k.cohort_id AND r.person_id = k.person_id \
              AND r.visibility <> 'anonymous'), \
           (SELECT s.person_id FROM submissions s \
            WHERE s.cohort_id = k.cohort_id AND s.team_id = k.team_id AND s.day = k.day \
            ORDER BY s.submitted_at, s.id LIMIT 1), \
           (SELECT completions FROM team_days d \
            WHERE d.cohort_id = k.cohort_id AND d.team_id = k.team_id AND d.day = k.day), \
           (SELECT participants FROM cohort_team_sizes t \
            WHERE t.cohort_id = k.cohort_id AND t.team_id = k.team_id) \
         FROM keys k LEFT JOIN enrolments e ON e.cohort_id = k.cohort_id AND e.person_id = k.person_id",
        values = values_list(keys.len(), 5, 1),
        badge = fact::BADGE,
        done = fact::DONE,
        rest = fact::REST,
        counts = fact::COUNTS,
    );
    let mut query = sqlx::query_as(&sql);
    for (n, k) in keys.iter().enumerate() {
        query = query
            .bind(n as i64)
            .bind(k.cohort_id)
            .bind(k.person_id)
            .bind(k.day.map_or(0, i64::from))
            .bind(k.team_id.map_or(0, TeamId::get));
    }
    let rows: Vec<FactsRow> = query.fetch_all(db).await?;
    for (n, kind, badge, value, reflections, reactions, first, team_done, team_size) in rows {
        let (Some(person), Some(key)) = (facts.get_mut(n as usize), keys.get(n as usize)) else {
            continue;
        };
        match kind {
            fact::BADGE => person.awarded.extend(badge),
            fact::DONE => person.days.done.extend(value),
            fact::REST => person.days.rest.extend(value),
            _ => {
                person.days.enrolled_at = value;
                person.reflections = reflections.unwrap_or(0);
                person.reactions_received = reactions.unwrap_or(0);
                person.first_in_team_on_day = first == Some(key.person_id.get());
                person.team_completed_day =
                    team_size.is_some_and(|size| team_done.unwrap_or(0) >= size);
            }
        }
    }
    for person in &mut facts {
        person.days.done.sort_unstable();
        person.days.rest.sort_unstable();
    }
    Ok(facts)
}

/// For each person, `(cohort_id, person_id)`, the days on which they were the first of their
/// team to complete (the team each submission was made in); people with none are left out.
pub async fn first_in_team<'e>(
    db: impl Conn<'e>,
    people: &[(i64, PersonId)],
) -> Result<HashMap<(i64, PersonId), i64>, StoreError> {
    if people.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "WITH keys (cohort_id, person_id) AS (VALUES {}) \
         SELECT s.cohort_id, s.person_id, COUNT(*) FROM keys k \
         JOIN submissions s ON s.cohort_id = k.cohort_id AND s.person_id = k.person_id \
         WHERE s.team_id IS NOT NULL AND s.id = ( \
           SELECT s2.id FROM submissions s2 \
           WHERE s2.cohort_id = s.cohort_id AND s2.team_id = s.team_id AND s2.day = s.day \
           ORDER BY s2.submitted_at, s2.id LIMIT 1) \
         GROUP BY s.cohort_id, s.person_id",
        values_list(people.len(), 2, 1)
    );
    let mut query = sqlx::query_as(&sql);
    for &(cohort_id, person_id) in people {
        query = query.bind(cohort_id).bind(person_id);
    }
    let rows: Vec<(i64, PersonId, i64)> = query.fetch_all(db).await?;
    Ok(rows.into_iter().map(|(c, p, n)| ((c, p), n)).collect())
}

/// The days on which every participant of a team completed, in order (a member who has moved
/// on still counts for the days they completed in it).
pub async fn team_full_days<'e>(
    db: impl Conn<'e>,
    cohort_id: i64,
    team_id: TeamId,
) -> Result<Vec<Day>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT day FROM team_days WHERE cohort_id = $1 AND team_id = $2 \
         AND completions >= (SELECT participants FROM cohort_team_sizes WHERE cohort_id = $1 AND team_id = $2) \
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
    pub person_id: PersonId,
    pub display_name: String,
    pub awarded_at: i64,
}

/// The newest badges in a cohort, for the briefing room.
pub async fn newest<'e>(
    db: impl Conn<'e>,
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
