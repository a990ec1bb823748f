//! The release job: every few seconds, whichever process holds the [`Lease`] releases the days
//! that are due ([`release_due`]). Due days are worked out from the calendar, so a pass that
//! fails (the database away) loses nothing: the next one catches up.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Job, Lease};
use crate::app::release::{DayReleased, release_due};
use crate::app::{AppError, Services};

pub struct Release {
    lease: Lease,
}

impl Release {
    pub fn new(lease: Lease) -> Self {
        Release { lease }
    }

    /// One pass: take or renew the lease, then release what is due at `now`. `Ok(None)` when
    /// another process holds the lease.
    pub async fn tick(
        &self,
        services: &Services,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<DayReleased>>, AppError> {
        let released = self.lease.while_held(now, release_due(services, now)).await;
        services.metrics.release_run(match &released {
            Ok(days) => Ok(days.as_ref().map(Vec::len)),
            Err(_) => Err(()),
        });
        released
    }
}

impl Job for Release {
    const EVERY: Duration = Duration::from_secs(5);
    const FIRST_AFTER: Duration = Duration::ZERO;

    async fn pass(&mut self, services: &Services, now: DateTime<Utc>) {
        if let Err(e) = self.tick(services, now).await {
            tracing::warn!(error = %e, "release pass failed; retrying");
        }
    }
}
