//! Submissions written in batches. At the end of a shift many people submit within seconds, and
//! each submission written alone costs the database a transaction of about nine round trips.
//! Checked submissions instead wait in a lane; one writer per lane takes everything waiting (up
//! to [`MOST_PER_BATCH`], each person once) and writes it in one transaction of a few multi-row
//! statements (`submission::write`), then answers each request after the commit. When nobody
//! else is submitting, a batch is just the one submission, written at once.
//!
//! Teams are spread over lanes, so two members of a team are never written by two transactions
//! at once, each unable to see the other's: the one whose completion completes the team's day
//! sees it, and only one of them is first in the team. A person's own submissions are in one
//! lane too. The writer is a task of its own: a request whose connection drops does not
//! cancel a write others wait on, and what was acknowledged was committed.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::oneshot;

use super::submission::{self, Checked, SubmitOutcome};
use super::{AppError, DATABASE_AWAY, Services};
use crate::store::Backend;

/// The most submissions one transaction writes: enough to share its cost, few enough that a
/// batch stays a short transaction.
pub const MOST_PER_BATCH: usize = 32;

/// How long a batch may take before its people are told to try again. A batch takes milliseconds;
/// a database that stops answering mid-statement (rather than refusing) would otherwise hold
/// the lane, and everyone queued in it, until TCP gives up. As long as a connection may take.
pub const LONGEST_WRITE: Duration = Duration::from_secs(5);

type Answer = oneshot::Sender<Result<SubmitOutcome, AppError>>;

pub struct SubmitQueue {
    lanes: Vec<Mutex<Lane>>,
}

#[derive(Default)]
struct Lane {
    waiting: VecDeque<(Checked, Answer)>,
    /// Whether a writer is draining this lane; at most one is.
    writing: bool,
}

impl SubmitQueue {
    /// SQLite writes one transaction at a time, so one lane. PostgreSQL takes several at once;
    /// two lanes keep two transactions going, and more cost more CPU for no better latency.
    /// Measured with loadgen at 3,000 submissions/s offered: 2 lanes used 1.45 cores in all and
    /// answered with p99 44-47 ms; 4 lanes 1.65 cores and 43-62 ms; 8 lanes 1.8 cores and
    /// 59-93 ms (more, smaller batches cost more). At saturation 2 lanes took 3,800/s, 4 lanes
    /// 4,000/s.
    pub fn new(backend: Backend) -> Self {
        let lanes = match backend {
            Backend::Sqlite => 1,
            Backend::Postgres => 2,
        };
        SubmitQueue {
            lanes: (0..lanes).map(|_| Mutex::default()).collect(),
        }
    }

    /// Writes a checked submission with whatever else is waiting in its lane; answers once it is
    /// committed (or has failed).
    pub async fn write(
        &self,
        services: &Services,
        checked: Checked,
    ) -> Result<SubmitOutcome, AppError> {
        let lane = checked.in_turn_with().rem_euclid(self.lanes.len() as i64) as usize;
        let (answer, answered) = oneshot::channel();
        let start_writer = {
            let mut queued = self.lane(lane);
            queued.waiting.push_back((checked, answer));
            !std::mem::replace(&mut queued.writing, true)
        };
        if start_writer {
            tokio::spawn(drain(services.clone(), lane));
        }
        answered.await.unwrap_or_else(|_| {
            Err(AppError::unavailable(
                "The submission was interrupted before it was saved; please send it again.",
            ))
        })
    }

    fn lane(&self, lane: usize) -> MutexGuard<'_, Lane> {
        // A writer that panicked holding the lock left the queue itself intact.
        self.lanes[lane]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The next batch of a lane: the oldest waiting submission of each person, up to
    /// [`MOST_PER_BATCH`]; a person's later ones wait for the next batch. When nothing waits,
    /// the writer stops, in the same critical section, so that the next arrival starts one.
    fn next_batch(&self, lane: usize) -> Vec<(Checked, Answer)> {
        let mut lane = self.lane(lane);
        let batch = take_batch(&mut lane.waiting, |(checked, _)| checked.person_id().get());
        if batch.is_empty() {
            lane.writing = false;
        }
        batch
    }
}

/// Takes the oldest waiting item of each person, up to [`MOST_PER_BATCH`]; the rest stay waiting,
/// in the order they came.
fn take_batch<T>(waiting: &mut VecDeque<T>, person: impl Fn(&T) -> i64) -> Vec<T> {
    let mut batch: Vec<T> = Vec::new();
    let mut later = VecDeque::new();
    while let Some(item) = waiting.pop_front() {
        if batch.len() == MOST_PER_BATCH {
            later.push_back(item);
            later.append(waiting);
            break;
        }
        if batch.iter().any(|b| person(b) == person(&item)) {
            later.push_back(item);
        } else {
            batch.push(item);
        }
    }
    *waiting = later;
    batch
}

/// Writes a lane's batches until it is empty.
async fn drain(services: Services, lane: usize) {
    // Should the writer panic, what waits in the lane must not wait forever.
    let mut stopped = Stopped {
        services: &services,
        lane,
        armed: true,
    };
    loop {
        let batch = services.submissions.next_batch(lane);
        if batch.is_empty() {
            stopped.armed = false;
            return;
        }
        let (checked, answers): (Vec<Checked>, Vec<Answer>) = batch.into_iter().unzip();
        let outcomes = write_batch(&services, &checked).await;
        count(&services, &outcomes);
        for (answer, outcome) in answers.into_iter().zip(outcomes) {
            // The request may have gone; what was written stays written.
            let _ = answer.send(outcome);
        }
    }
}

/// Counts a written batch for the metrics: its size, and its submissions by outcome.
fn count(services: &Services, outcomes: &[Result<SubmitOutcome, AppError>]) {
    let stored = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(SubmitOutcome::Stored(_))))
        .count();
    let failed = outcomes.iter().filter(|o| o.is_err()).count();
    services.metrics.batch(
        outcomes.len(),
        &[
            ("stored", stored as u64),
            ("not_stored", (outcomes.len() - stored - failed) as u64),
            ("failed", failed as u64),
        ],
    );
}

/// Writes a batch (each person once) and gives one answer per submission. A batch that fails
/// as a whole is written again one submission at a time, so that one bad submission cannot fail
/// the others; unless the database is away (or stops answering), when they all fail alike at
/// once. A submission cut off mid-write may still have been committed; its retry, with the same
/// key, is then answered as the repeat it is.
pub async fn write_batch(
    services: &Services,
    batch: &[Checked],
) -> Vec<Result<SubmitOutcome, AppError>> {
    match write_in_time(services, batch).await {
        Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
        Err(e) if batch.len() == 1 => vec![Err(e)],
        Err(e) if e.is_unavailable() => {
            tracing::warn!(error = %e, size = batch.len(), "a batch of submissions failed");
            batch
                .iter()
                .map(|_| Err(AppError::unavailable(DATABASE_AWAY)))
                .collect()
        }
        Err(e) => {
            tracing::warn!(error = %e, size = batch.len(), "a batch of submissions failed; writing them one at a time");
            let mut outcomes = Vec::with_capacity(batch.len());
            for checked in batch {
                if outcomes.last().is_some_and(|o: &Result<_, AppError>| {
                    o.as_ref().is_err_and(|e| e.is_unavailable())
                }) {
                    outcomes.push(Err(AppError::unavailable(DATABASE_AWAY)));
                    continue;
                }
                outcomes.push(
                    write_in_time(services, std::slice::from_ref(checked))
                        .await
                        .map(|mut one| one.remove(0)),
                );
            }
            outcomes
        }
    }
}

/// [`submission::write`], given up after [`LONGEST_WRITE`] as if the database were away.
async fn write_in_time(
    services: &Services,
    batch: &[Checked],
) -> Result<Vec<SubmitOutcome>, AppError> {
    tokio::time::timeout(LONGEST_WRITE, submission::write(services, batch))
        .await
        .unwrap_or_else(|_| Err(AppError::unavailable(DATABASE_AWAY)))
}

/// When a writer ends other than by finding its lane empty (it panicked), starts another for
/// what still waits, or marks the lane as no longer written.
struct Stopped<'a> {
    services: &'a Services,
    lane: usize,
    armed: bool,
}

impl Drop for Stopped<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let mut lane = self.services.submissions.lane(self.lane);
        if lane.waiting.is_empty() {
            lane.writing = false;
        } else {
            tokio::spawn(drain(self.services.clone(), self.lane));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::{MOST_PER_BATCH, take_batch};

    /// Items are `(person, n)`.
    fn take(waiting: &mut VecDeque<(i64, u32)>) -> Vec<(i64, u32)> {
        take_batch(waiting, |(person, _)| *person)
    }

    #[test]
    fn a_batch_takes_each_persons_oldest_and_leaves_the_rest_in_order() {
        let mut waiting = VecDeque::from([(1, 0), (2, 1), (1, 2), (3, 3), (1, 4), (2, 5)]);
        assert_eq!(take(&mut waiting), [(1, 0), (2, 1), (3, 3)]);
        assert_eq!(waiting, [(1, 2), (1, 4), (2, 5)]);
        assert_eq!(take(&mut waiting), [(1, 2), (2, 5)]);
        assert_eq!(take(&mut waiting), [(1, 4)]);
        assert!(take(&mut waiting).is_empty());
    }

    #[test]
    fn a_batch_holds_at_most_its_limit() {
        let all = MOST_PER_BATCH as i64 + 5;
        let mut waiting: VecDeque<(i64, u32)> = (0..all).map(|p| (p, 0)).collect();
        let batch = take(&mut waiting);
        assert_eq!(batch.len(), MOST_PER_BATCH);
        assert_eq!(batch.last(), Some(&(MOST_PER_BATCH as i64 - 1, 0)));
        assert_eq!(waiting.len(), 5);
        assert_eq!(waiting.front(), Some(&(MOST_PER_BATCH as i64, 0)));
    }
}
