//! Releasing days: the one place a day of a cohort becomes available. The release job
//! ([`super::jobs::release`]) runs [`release_due`] every few seconds.

use crate::domain::Day;
use chrono::{DateTime, Utc};

use super::cohort::Cohort;
use super::{AppError, Refusal, Services};
use crate::store::releases::{self, NewRelease};
use crate::store::{cohorts, millis};

/// A day released by this call (not one another process released).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayReleased {
    pub cohort_id: i64,
    pub day: Day,
}

/// Releases, in order, every day of every cohort that the calendar says is due at `now` and that
/// has not been released yet. After downtime this catches up at once with all the missed days.
/// A cohort that cannot be decoded is skipped (and logged) so it cannot block the others.
pub async fn release_due(
    services: &Services,
    now: DateTime<Utc>,
) -> Result<Vec<DayReleased>, AppError> {
    let store = &services.store;
    let mut released = Vec::new();
    for row in cohorts::list(store.pool()).await? {
        let cohort = match Cohort::load(services, row).await {
            Ok(cohort) => cohort,
            Err(e) => {
                tracing::error!(error = %e, "skipping a cohort that cannot be scheduled");
                continue;
            }
        };
        let due = cohort.calendar.days_due(now);
        let done = releases::last_released_day(store.pool(), cohort.row.id).await?;
        for day in Day::up_to(due).filter(|d| i64::from(*d) > done) {
            if let Some(r) = release_day(services, &cohort, day, now).await? {
                released.push(r);
            }
        }
    }
    Ok(released)
}

/// Releases one day at `now` in one transaction: the release row (unique per cohort and day) and,
/// when it is the latest day due, the reminders it puts in the outbox ([`super::jobs::outbox`])
/// and the morning summary to the cohort's team channel, if it has one ([`super::channel`]):
/// a catch-up that releases several days at once (after downtime, or a cohort created part-way
/// through) sends one reminder, for the day people should do now, not one per missed day. Returns `None` when the day was
/// already released, by this process or another: the database constraint decides, so nothing
/// downstream happens twice. A step of [`release_due`] (the job's pass), so it takes the pass's
/// instant rather than reading the clock; the demo gives each day its own.
pub async fn release_day(
    services: &Services,
    cohort: &Cohort,
    day: Day,
    now: DateTime<Utc>,
) -> Result<Option<DayReleased>, AppError> {
    let (Some(scheduled), Some(closes), Some(content)) = (
        cohort.calendar.release_time(day.get()),
        cohort.calendar.closes_at(day.get()),
        cohort.pack.day(day.get()),
    ) else {
        return Err(Refusal::NotADay.says(format!(
            "day {day} is not a day of cohort {}",
            cohort.row.id
        )));
    };
    let day_json = serde_json::to_string(content).unwrap_or_default();
    let release = NewRelease {
        cohort_id: cohort.row.id,
        day,
        scheduled_for: millis(scheduled),
        released_at: millis(now),
        closes_at: millis(closes),
        pack_version: &cohort.row.pack_version,
        day_json: &day_json,
    };
    let mut tx = services.store.begin_write().await?;
    if releases::insert_if_absent(tx.conn(), &release)
        .await?
        .is_none()
    {
        return Ok(None);
    }
    if day.get() == cohort.calendar.days_due(now) {
        crate::store::outbox::queue_release_reminders(
            tx.conn(),
            cohort.row.id,
            day,
            millis(now),
            millis(closes),
        )
        .await?;
        crate::store::channel::queue_post(
            tx.conn(),
            cohort.row.id,
            i64::from(day),
            millis(now),
            millis(closes),
        )
        .await?;
    }
    tx.commit().await?;
    services.mail_queued.notify_one();
    tracing::info!(cohort = cohort.row.id, day = day.get(), "released");
    Ok(Some(DayReleased {
        cohort_id: cohort.row.id,
        day,
    }))
}
