//! The days a cohort has released, kept in memory: every page, submission and reaction needs
//! them, and a release row never changes once written (one per cohort and day, ever). The kept
//! list is used only while it holds every day the calendar says is due; otherwise (a day has
//! just come due, or was released by another process) it is read again.

use crate::domain::Day;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::cohort::Cohort;
use super::kept::Counts;
use super::{AppError, Services};
use crate::store::releases::{self, ReleaseRow};

/// A cohort's releases in day order, shared between requests.
pub type Released = Arc<Vec<ReleaseRow>>;

#[derive(Default)]
pub struct ReleasedDays {
    by_cohort: Mutex<HashMap<i64, Released>>,
    pub(super) counts: Counts,
}

/// The cohort's releases so far, in day order.
pub async fn released(services: &Services, cohort: &Cohort) -> Result<Released, AppError> {
    let due = cohort.calendar.days_due(services.clock.now()) as usize;
    let kept = &services.kept.released;
    let found = kept
        .by_cohort
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&cohort.row.id)
        .cloned();
    if let Some(found) = kept.counts.found(found.filter(|found| found.len() >= due)) {
        return Ok(found);
    }
    let read: Released = Arc::new(releases::list(services.store.pool(), cohort.row.id).await?);
    kept.by_cohort
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(cohort.row.id, read.clone());
    Ok(read)
}

/// One released day, or `None` when it has not been released.
pub async fn release_of(
    services: &Services,
    cohort: &Cohort,
    day: Day,
) -> Result<Option<ReleaseRow>, AppError> {
    Ok(find(&released(services, cohort).await?, day).cloned())
}

/// A day in a cohort's releases.
pub fn find(released: &[ReleaseRow], day: Day) -> Option<&ReleaseRow> {
    released.iter().find(|r| r.day == day)
}
