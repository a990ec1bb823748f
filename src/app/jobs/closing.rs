//! The closing-reminders job: every half minute, whichever process holds the [`Lease`] queues
//! the end-of-window reminders that are due ([`queue_closing`]) to those who have not done a day
//! that closes soon. The database keeps each to one per person, cohort and day, so a pass that
//! runs twice, or on two servers, queues nothing more; a pass that fails is caught up by the next.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Job, Lease};
use crate::app::reminders::queue_closing;
use crate::app::{AppError, Services};

pub struct ClosingReminders {
    lease: Lease,
}

impl ClosingReminders {
    pub fn new(lease: Lease) -> Self {
        ClosingReminders { lease }
    }

    /// One pass: take or renew the lease, then queue the reminders due at `now`; how many.
    /// `Ok(None)` when another process holds the lease.
    pub async fn tick(
        &self,
        services: &Services,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>, AppError> {
        self.lease
            .while_held(now, queue_closing(services, now))
            .await
    }
}

impl Job for ClosingReminders {
    const EVERY: Duration = Duration::from_secs(30);

    async fn pass(&mut self, services: &Services, now: DateTime<Utc>) {
        if let Err(e) = self.tick(services, now).await {
            tracing::warn!(error = %e, "closing reminders pass failed; retrying");
        }
    }
}
