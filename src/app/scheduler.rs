//! The scheduler inside `muster serve`: every few seconds, whichever process holds the scheduler
//! lease releases what is due. The lease saves duplicate work between processes; the releases
//! table's unique constraint is what guarantees a day is released once.

use std::time::Duration;

use tokio::sync::watch;

use super::AppError;
use super::release::{DayReleased, release_due};
use crate::clock::Clock;
use crate::store::{Store, leases, millis};

const LEASE: &str = "scheduler";

#[derive(Debug, Clone)]
pub struct Scheduler {
    store: Store,
    clock: Clock,
    /// Who this process is, in the lease table.
    holder: String,
    /// How long a lease lasts without renewal; a crashed holder is replaced after this.
    lease_for: chrono::Duration,
    /// How often to look for due days.
    every: Duration,
}

impl Scheduler {
    pub fn new(store: Store, clock: Clock, holder: String) -> Self {
        Scheduler {
            store,
            clock,
            holder,
            lease_for: chrono::Duration::seconds(30),
            every: Duration::from_secs(5),
        }
    }

    /// One pass: take or renew the lease, then release what is due and publish the anonymous
    /// reflections whose crowd is large enough ([`super::anonymity`]). `Ok(None)` when another
    /// process holds the lease.
    pub async fn tick(&self) -> Result<Option<Vec<DayReleased>>, AppError> {
        let now = self.clock.now();
        let held = leases::try_acquire(
            self.store.pool(),
            LEASE,
            &self.holder,
            millis(now),
            millis(now + self.lease_for),
        )
        .await?;
        if !held {
            return Ok(None);
        }
        let released = release_due(&self.store, now).await?;
        super::anonymity::publish_due(&self.store, now).await?;
        Ok(Some(released))
    }

    /// Runs until `shutdown` turns true. Errors (the database away, say) are logged and the next
    /// pass tries again: due days are worked out from the calendar, so none is lost meanwhile.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Err(e) = self.tick().await {
                tracing::warn!(error = %e, "scheduler pass failed; retrying");
            }
            tokio::select! {
                _ = tokio::time::sleep(self.every) => {}
                _ = shutdown.changed() => break,
            }
        }
        if let Err(e) = leases::release(self.store.pool(), LEASE, &self.holder).await {
            tracing::warn!(error = %e, "could not give up the scheduler lease");
        }
    }
}
