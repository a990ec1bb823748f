//! Dropping drafts whose day can no longer be completed: a reflection held back for review is
//! kept for its author only while it can still be posted. Deleting is idempotent, so any number
//! of processes may run it; reads already ignore an expired draft in between.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Job;
use crate::app::{AppError, Services, drafts};

pub struct ExpiredDrafts;

impl ExpiredDrafts {
    /// Drops the drafts that expired by `now`; returns how many.
    pub async fn tick(services: &Services, now: DateTime<Utc>) -> Result<u64, AppError> {
        drafts::discard_expired(services, now).await
    }
}

impl Job for ExpiredDrafts {
    const EVERY: Duration = Duration::from_secs(600);

    async fn pass(&mut self, services: &Services, now: DateTime<Utc>) {
        match Self::tick(services, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(dropped = n, "expired drafts dropped"),
            Err(e) => tracing::warn!(error = %e, "cannot drop expired drafts; will retry"),
        }
    }
}
