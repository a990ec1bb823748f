//! The lease that keeps a singleton job to one process at a time. It saves duplicate work
//! between processes; what guarantees a thing happens once is the database (a day's release is
//! unique per cohort and day, a batch publishes only what still waits).

use std::future::Future;

use chrono::{DateTime, Utc};

use crate::app::AppError;
use crate::store::{Store, leases, millis};

/// The lease's name in the table. Kept from when the scheduler was the only job under it: a new
/// name would let an old and a new process both run the jobs during an upgrade.
const NAME: &str = "scheduler";

/// How long a lease lasts without renewal; a crashed holder is replaced after this.
const LASTS: chrono::Duration = chrono::Duration::seconds(30);

/// This process's claim on the lease. Cheap to clone: every leased job holds one.
#[derive(Debug, Clone)]
pub struct Lease {
    store: Store,
    /// Who this process is, in the lease table.
    holder: String,
}

impl Lease {
    pub fn new(store: Store, holder: String) -> Self {
        Lease { store, holder }
    }

    /// Takes or renews the lease at `now`, then does `work` (a future does nothing until it is
    /// awaited); `Ok(None)` while another process holds the lease.
    pub async fn while_held<T>(
        &self,
        now: DateTime<Utc>,
        work: impl Future<Output = Result<T, AppError>>,
    ) -> Result<Option<T>, AppError> {
        let held = leases::try_acquire(
            self.store.pool(),
            NAME,
            &self.holder,
            millis(now),
            millis(now + LASTS),
        )
        .await?;
        if !held {
            return Ok(None);
        }
        Ok(Some(work.await?))
    }

    /// Gives the lease up early (on the way out); a failure is logged, and the lease lapses.
    pub async fn give_up(&self) {
        if let Err(e) = leases::release(self.store.pool(), NAME, &self.holder).await {
            tracing::warn!(error = %e, "could not give up the jobs' lease");
        }
    }
}
