//! Keeping the boards equal to the ledger: the boards as the ledger defines them, compared with
//! what the board holds at start-up and periodically, and rebuilt exactly when they differ.

use chrono::{DateTime, Utc};

use crate::app::cohort::Cohort;
use crate::app::{AppError, Services};
use crate::board::{self, LedgerPoint, View};
use crate::domain::TeamId;
use crate::store::{cohorts, instant, points};

/// The boards of a cohort as the ledger defines them.
///
/// The ledger arrives summed per person and week (each sum stands for its rows: the same points,
/// reached at its last moment, in the same week), so the view is the same as from every row.
pub async fn view(services: &Services, cohort: &Cohort) -> Result<View, AppError> {
    let pool = services.store.pool();
    let week_starts = match points::ledger_span(pool, cohort.row.id).await? {
        Some((first, last)) => board::week_starts(instant(first), instant(last), cohort.tz),
        None => Vec::new(),
    };
    let ledger: Vec<LedgerPoint> = points::ledger_by_week(pool, cohort.row.id, &week_starts)
        .await?
        .into_iter()
        .map(|r| LedgerPoint {
            person_id: r.person_id.get(),
            team_id: r.team_id.map(TeamId::get),
            points: r.points,
            at: instant(r.created_at),
        })
        .collect();
    let completions: Vec<(i64, u32, DateTime<Utc>)> = points::completions(pool, cohort.row.id)
        .await?
        .into_iter()
        .map(|(person, day, at)| (person, day.get(), instant(at)))
        .collect();
    Ok(View::from_ledger(&ledger, &completions, cohort.tz))
}

/// Rebuilds a cohort's boards from the ledger.
pub async fn rebuild(services: &Services, cohort: &Cohort) -> Result<(), AppError> {
    let view = view(services, cohort).await?;
    services
        .board
        .replace(cohort.row.id, &view)
        .await
        .map_err(AppError::unavailable)
}

/// What a check found for one cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Equal,
    Repaired,
    /// They differed, but submissions were arriving while they were compared, so lag could not
    /// be told from drift; the next check looks again.
    Busy,
}

/// How long a difference between a board and the ledger must last to count as drift.
///
/// Another server's submission that commits between reading the ledger and reading the board
/// makes them differ for the moment its board update takes; replacing the board then would drop
/// that update. A difference that is still there after this pause is drift.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(250);

/// Compares a cohort's boards with the ledger and rebuilds them when they differ (or were
/// marked stale).
pub async fn check(services: &Services, cohort: &Cohort) -> Result<Check, AppError> {
    let stale = services.board.is_stale(cohort.row.id);
    let (mut view, current) = compare(services, cohort).await?;
    if current == view && !stale {
        return verified(services, cohort).await;
    }
    if !stale {
        tokio::time::sleep(SETTLE).await;
        let (again, now_current) = compare(services, cohort).await?;
        if now_current == again {
            return verified(services, cohort).await;
        }
        // Replacing the boards while points are arriving would drop the updates that land
        // between reading the ledger and writing the boards (seen under load: whole
        // submissions missing from the boards, which were then marked verified).
        if again != view || now_current != current {
            return Ok(Check::Busy);
        }
        view = again;
    }
    services
        .board
        .replace(cohort.row.id, &view)
        .await
        .map_err(AppError::unavailable)?;
    services.metrics.board_repaired(!stale);
    tracing::info!(cohort = cohort.row.id, "board repaired from the ledger");
    Ok(Check::Repaired)
}

async fn verified(services: &Services, cohort: &Cohort) -> Result<Check, AppError> {
    services
        .board
        .set_verified(cohort.row.id)
        .await
        .map_err(AppError::unavailable)?;
    Ok(Check::Equal)
}

/// The ledger's view of a cohort's boards, and the boards as they are.
async fn compare(services: &Services, cohort: &Cohort) -> Result<(View, View), AppError> {
    let view = view(services, cohort).await?;
    let current = services
        .board
        .read(cohort.row.id, &view)
        .await
        .map_err(AppError::unavailable)?;
    Ok((view, current))
}

/// How much [`check_all`] looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Compare every cohort's boards with the ledger.
    Full,
    /// Only cohorts known to have missed a change (marked stale) or whose boards were lost since
    /// they were last verified (Redis flushed): cheap enough to run often.
    Suspect,
}

/// Checks every cohort (or only the suspect ones); returns how many were repaired. A cohort that
/// fails is logged and left for the next round.
pub async fn check_all(services: &Services, scope: Scope) -> Result<usize, AppError> {
    let mut repaired = 0;
    for row in cohorts::list(services.store.pool()).await? {
        let id = row.id;
        if scope == Scope::Suspect
            && !services.board.is_stale(id)
            && services.board.is_verified(id).await.unwrap_or(false)
        {
            continue;
        }
        let cohort = match Cohort::load(services, row).await {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(cohort = id, error = %e, "cannot check the boards of a cohort");
                continue;
            }
        };
        match check(services, &cohort).await {
            Ok(Check::Repaired) => repaired += 1,
            Ok(Check::Equal) => {}
            Ok(Check::Busy) => {
                tracing::info!(
                    cohort = id,
                    "boards changing while checked; will look again"
                )
            }
            Err(e) => tracing::warn!(cohort = id, error = %e, "board check failed; will retry"),
        }
    }
    Ok(repaired)
}
