//! The anonymous batches job: every few seconds, whichever process holds the [`Lease`]
//! publishes the anonymous reflections whose crowd is now large enough
//! ([`crate::app::anonymity::publish_due`]).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Job, Lease};
use crate::app::anonymity::{Published, publish_due};
use crate::app::{AppError, Services};

pub struct AnonymousBatches {
    lease: Lease,
}

impl AnonymousBatches {
    pub fn new(lease: Lease) -> Self {
        AnonymousBatches { lease }
    }

    /// One pass: take or renew the lease, then publish what may go out at `now`. `Ok(None)` when
    /// another process holds the lease.
    pub async fn tick(
        &self,
        services: &Services,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<Published>>, AppError> {
        self.lease.while_held(now, publish_due(services, now)).await
    }
}

impl Job for AnonymousBatches {
    const EVERY: Duration = Duration::from_secs(5);
    const FIRST_AFTER: Duration = Duration::ZERO;

    async fn pass(&mut self, services: &Services, now: DateTime<Utc>) {
        if let Err(e) = self.tick(services, now).await {
            tracing::warn!(error = %e, "anonymous batches pass failed; retrying");
        }
    }
}
