//! The weekly-digest job: every minute, whichever process holds the [`Lease`] queues the digests
//! that are due ([`queue_due`]) to each cohort's managers and change leads. The database keeps
//! each to one per person, cohort and week (the outbox's `outbox_once`), so a pass that runs
//! twice, or on two servers, queues nothing more.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Job, Lease};
use crate::app::digest::queue_due;
use crate::app::{AppError, Services};

pub struct Digests {
    lease: Lease,
}

impl Digests {
    pub fn new(lease: Lease) -> Self {
        Digests { lease }
    }

    /// One pass: take or renew the lease, then queue the digests due at `now`; how many.
    /// `Ok(None)` when another process holds the lease.
    pub async fn tick(
        &self,
        services: &Services,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>, AppError> {
        self.lease.while_held(now, queue_due(services, now)).await
    }
}

impl Job for Digests {
    const EVERY: Duration = Duration::from_secs(60);

    async fn pass(&mut self, services: &Services, now: DateTime<Utc>) {
        if let Err(e) = self.tick(services, now).await {
            tracing::warn!(error = %e, "digest pass failed; retrying");
        }
    }
}
