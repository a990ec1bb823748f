//! What every writer of points does once its transaction (the ledger rows and any badges) has
//! committed: the points onto the boards, then the cohorts' live screens told. Submissions and
//! reactions both go through [`commit_and_tell`], so the order is written once.

use crate::domain::{Day, PersonId, TeamId};
use chrono::{DateTime, Utc};
use futures_util::future::join_all;

use crate::app::cohort::Cohort;
use crate::app::{AppError, Services};
use crate::board::{self, PointsChange};
use crate::store::Tx;

/// What a transaction earned one person, for the boards once it commits.
pub struct Earned<'a> {
    pub cohort: &'a Cohort,
    pub person_id: PersonId,
    pub team_id: Option<TeamId>,
    /// All the points together, badge bonuses included.
    pub points: i64,
    pub at: DateTime<Utc>,
    /// The day, when this is the person's first completion of it (who was first that day).
    pub completed_day: Option<Day>,
}

/// Commits a transaction that wrote points (and badges) to the ledger, then puts them on the
/// boards, then tells each cohort's live screens once. Nothing outside is told before the
/// commit, and screens read boards that already hold the change.
pub async fn commit_and_tell(
    services: &Services,
    tx: Tx,
    earned: &[Earned<'_>],
) -> Result<(), AppError> {
    tx.commit().await?;
    // All at once: on Redis the updates share round trips instead of taking one each in turn.
    join_all(earned.iter().map(|e| put_on_boards(services, e))).await;
    let mut cohorts: Vec<i64> = earned.iter().map(|e| e.cohort.row.id).collect();
    cohorts.sort_unstable();
    cohorts.dedup();
    for cohort_id in cohorts {
        services.live.changed(cohort_id).await;
    }
    Ok(())
}

/// Puts one person's committed points, and a first completion, on the boards.
async fn put_on_boards(services: &Services, earned: &Earned<'_>) {
    let cohort = earned.cohort;
    if earned.points != 0 {
        services
            .board
            .add(&PointsChange {
                cohort_id: cohort.row.id,
                person_id: earned.person_id.get(),
                team_id: earned.team_id.map(TeamId::get),
                points: earned.points,
                at: earned.at,
                week: board::iso_week(earned.at, cohort.tz),
            })
            .await;
    }
    if let Some(day) = earned.completed_day {
        services
            .board
            .complete(cohort.row.id, day.get(), earned.person_id.get(), earned.at)
            .await;
    }
}
