//! Putting committed points on the boards, after the transaction that wrote them commits.

use chrono::{DateTime, Utc};

use crate::app::Services;
use crate::app::cohort::Cohort;
use crate::board::{self, PointsChange};

/// Puts committed points on the boards. Called after the transaction that wrote them commits.
pub async fn record_points(
    services: &Services,
    cohort: &Cohort,
    person_id: i64,
    team_id: Option<i64>,
    points: i64,
    at: DateTime<Utc>,
) {
    if points == 0 {
        return;
    }
    services
        .board
        .add(&PointsChange {
            cohort_id: cohort.row.id,
            person_id,
            team_id,
            points,
            at,
            week: board::iso_week(at, cohort.tz),
        })
        .await;
}
