//! People, teams and enrolments, written in bulk: a force enrols thousands at once from a CSV.
//!
//! Each write is a multi-row statement over a `VALUES` list (whose columns both SQLite and
//! PostgreSQL name `column1`, `column2`...), in chunks that stay under both backends' limits on
//! bound parameters. Every statement is an upsert, so importing the same file twice changes nothing.

use super::{Conn, Tx};

use super::StoreError;
use super::params::values_list;

/// One person to enrol, already validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolee {
    pub email: String,
    pub name: String,
    pub team: Option<String>,
    pub role: String,
}

/// Rows per statement: 1,000 rows of at most 3 parameters stay well under SQLite's 32,766.
const CHUNK: usize = 1000;

/// Creates or updates the people, teams and enrolments for `cohort_id`. An enrolment's role and
/// team are the person's in this cohort only (a manager manages the team they are enrolled with),
/// so a file that changes them changes them. Returns how many enrolments were made or changed.
pub async fn enrol(
    tx: &mut Tx,
    cohort_id: i64,
    people: &[Enrolee],
    now_ms: i64,
) -> Result<u64, StoreError> {
    let mut written = 0;
    for chunk in people.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO people (email, display_name, created_at) VALUES {} \
             ON CONFLICT (email) DO UPDATE SET display_name = excluded.display_name",
            values_list(chunk.len(), 3, 1)
        );
        let mut query = sqlx::query(&sql);
        for p in chunk {
            query = query.bind(&p.email).bind(&p.name).bind(now_ms);
        }
        query.execute(tx.conn()).await?;

        let mut teams: Vec<&str> = chunk.iter().filter_map(|p| p.team.as_deref()).collect();
        teams.sort_unstable();
        teams.dedup();
        if !teams.is_empty() {
            let sql = format!(
                "INSERT INTO teams (name) VALUES {} ON CONFLICT (name) DO NOTHING",
                values_list(teams.len(), 1, 1)
            );
            let mut query = sqlx::query(&sql);
            for team in &teams {
                query = query.bind(*team);
            }
            query.execute(tx.conn()).await?;
        }

        // `WHERE true` settles SQLite's parsing ambiguity between a join and an upsert; the
        // update's own condition leaves unchanged rows alone, so they are not counted.
        let sql = format!(
            "INSERT INTO enrolments (cohort_id, person_id, team_id, role, enrolled_at) \
             SELECT $1, p.id, t.id, v.column3, $2 FROM (VALUES {}) AS v \
             JOIN people p ON p.email = v.column1 LEFT JOIN teams t ON t.name = v.column2 WHERE true \
             ON CONFLICT (cohort_id, person_id) DO UPDATE SET team_id = excluded.team_id, role = excluded.role \
             WHERE enrolments.team_id IS DISTINCT FROM excluded.team_id OR enrolments.role <> excluded.role",
            values_list(chunk.len(), 3, 3)
        );
        let mut query = sqlx::query(&sql).bind(cohort_id).bind(now_ms);
        for p in chunk {
            query = query.bind(&p.email).bind(p.team.as_deref()).bind(&p.role);
        }
        written += query.execute(tx.conn()).await?.rows_affected();
    }
    recount_teams(tx, cohort_id).await?;
    // Names, teams and roles are what a caller is made of.
    super::callers::changed(tx.conn()).await?;
    Ok(written)
}

/// Brings the cohort's team sizes up to date after enrolment (people added, or moved between
/// teams), in the enrolment's transaction.
async fn recount_teams(tx: &mut Tx, cohort_id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO cohort_team_sizes (cohort_id, team_id, participants) \
         SELECT cohort_id, team_id, COUNT(*) FROM enrolments \
         WHERE cohort_id = $1 AND role = 'participant' AND team_id IS NOT NULL \
         GROUP BY cohort_id, team_id \
         ON CONFLICT (cohort_id, team_id) DO UPDATE SET participants = excluded.participants",
    )
    .bind(cohort_id)
    .execute(tx.conn())
    .await?;
    sqlx::query(
        "DELETE FROM cohort_team_sizes WHERE cohort_id = $1 AND team_id NOT IN ( \
           SELECT team_id FROM enrolments \
           WHERE cohort_id = $1 AND role = 'participant' AND team_id IS NOT NULL)",
    )
    .bind(cohort_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// How many people are enrolled in a cohort.
pub async fn count<'e>(db: impl Conn<'e>, cohort_id: i64) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM enrolments WHERE cohort_id = $1")
            .bind(cohort_id)
            .fetch_one(db)
            .await?,
    )
}
