//! Background jobs: what `muster serve` does on its own besides answering requests. A file per
//! job, each with a `tick` that does one pass and that a test can call; [`start`] runs them all,
//! each at its own period, until [`Running::stop`].
//!
//! A job that must run in one process at a time (releasing days, publishing anonymous batches,
//! queueing closing reminders and digests) holds the [`Lease`] first; the others (keeping the boards exact, writing token uses, dropping expired drafts) look
//! after what their own process holds.

pub mod anonymous;
pub mod boards;
pub mod closing;
pub mod digest;
pub mod drafts;
mod lease;
pub mod metrics;
pub mod outbox;
pub mod release;
pub mod token_uses;

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use lease::Lease;

use super::Services;

/// A background job as the runner sees it.
trait Job: Send + 'static {
    /// How long between passes.
    const EVERY: Duration;
    /// How long before the first pass.
    const FIRST_AFTER: Duration = Self::EVERY;

    /// One pass. A failure is logged here and the next pass tries again.
    fn pass(&mut self, services: &Services, now: DateTime<Utc>) -> impl Future<Output = ()> + Send;

    /// What to do on the way out, after the last pass.
    fn last(&mut self, _services: &Services) -> impl Future<Output = ()> + Send {
        async {}
    }
}

/// The jobs of a serving process.
pub struct Running {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    lease: Lease,
}

/// Compares every board with the ledger in full (before the first request: a board that came up
/// empty is rebuilt while nothing is changing it), then starts every job. `holder` names this
/// process in the lease table.
pub async fn start(services: &Services, holder: String) -> Running {
    let boards = boards::BoardCheck::at_start(services).await;
    let lease = Lease::new(services.store.clone(), holder.clone());
    let (stop, stopped) = watch::channel(false);
    let tasks = vec![
        spawn(release::Release::new(lease.clone()), services, &stopped),
        spawn(
            anonymous::AnonymousBatches::new(lease.clone()),
            services,
            &stopped,
        ),
        spawn(
            closing::ClosingReminders::new(lease.clone()),
            services,
            &stopped,
        ),
        spawn(digest::Digests::new(lease.clone()), services, &stopped),
        spawn(boards, services, &stopped),
        spawn(token_uses::TokenUses, services, &stopped),
        spawn(metrics::MetricsUpkeep, services, &stopped),
        spawn(drafts::ExpiredDrafts, services, &stopped),
        // The mail sender paces itself (woken by queued mail, backing off while the relay is
        // away) and holds a lease of its own.
        tokio::spawn(outbox::Sender::new(services.clone(), holder).run(stopped.clone())),
    ];
    Running { stop, tasks, lease }
}

impl Running {
    /// Stops every job after its current pass, runs their last steps, and gives the lease up so
    /// another process can take over at once.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        self.lease.give_up().await;
    }
}

fn spawn<J: Job>(
    mut job: J,
    services: &Services,
    stopped: &watch::Receiver<bool>,
) -> JoinHandle<()> {
    let services = services.clone();
    let mut stopped = stopped.clone();
    tokio::spawn(async move {
        let mut wait = J::FIRST_AFTER;
        loop {
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stopped.changed() => break,
            }
            job.pass(&services, services.clock.now()).await;
            wait = J::EVERY;
        }
        job.last(&services).await;
    })
}
