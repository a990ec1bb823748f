//! What this process keeps in memory between requests, in one place: each kept value is a copy
//! of something in SQL (or on the boards), used only while it is known to be current, and
//! counted, hits and misses, for the metrics to read ([`Kept::snapshot`]).
//!
//! Not here, because they are queues rather than copies (losing one loses work, not a read):
//! API token uses waiting to be written ([`super::signin::TokenUses`]), sign-in mail being sent
//! ([`super::signin::Deliveries`]) and submissions waiting for their batch
//! ([`super::submit_queue`]).

use std::sync::atomic::{AtomicU64, Ordering};

use super::callers::{CallerVersion, Callers};
use super::cohort::Decoded;
use super::leaderboard::Reads;
use super::released::ReleasedDays;

/// Everything kept, held once in [`super::Services`].
#[derive(Default)]
pub struct Kept {
    /// The callers' version, read again each second or when this process moved it.
    pub caller_version: CallerVersion,
    /// Who is behind each session and API token, kept while the callers' version stands.
    pub callers: Callers,
    /// Cohorts decoded from their rows and pinned packs, kept while the row is unchanged.
    pub cohorts: Decoded,
    /// The cohorts' released days, kept while complete.
    pub released: ReleasedDays,
    /// Board reads shared between requests, people's names and team sizes on the boards.
    pub boards: Reads,
}

/// How often the kept values were used (hits) and read afresh (misses), by cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Snapshot {
    pub caller_version: HitsAndMisses,
    pub callers: HitsAndMisses,
    pub cohorts: HitsAndMisses,
    pub released: HitsAndMisses,
    /// A hit is a request served by a read another request started after it arrived.
    pub board_reads: HitsAndMisses,
    pub names: HitsAndMisses,
    pub team_sizes: HitsAndMisses,
}

impl Kept {
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            caller_version: self.caller_version.counts.snapshot(),
            callers: self.callers.counts.snapshot(),
            cohorts: self.cohorts.counts.snapshot(),
            released: self.released.counts.snapshot(),
            board_reads: self.boards.shared_counts.snapshot(),
            names: self.boards.names.counts.snapshot(),
            team_sizes: self.boards.team_sizes_counts.snapshot(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct HitsAndMisses {
    pub hits: u64,
    pub misses: u64,
}

/// A cache's counters: relaxed atomics, as a metric needs no ordering with anything else.
#[derive(Debug, Default)]
pub struct Counts {
    hits: AtomicU64,
    misses: AtomicU64,
}

impl Counts {
    pub fn hit(&self) {
        self.hits.fetch_add(1, Ordering::Relaxed);
    }

    pub fn miss(&self) {
        self.misses.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a lookup: a hit when it found something.
    pub fn found<T>(&self, found: Option<T>) -> Option<T> {
        if found.is_some() {
            self.hit()
        } else {
            self.miss()
        }
        found
    }

    pub fn snapshot(&self) -> HitsAndMisses {
        HitsAndMisses {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lookup_counts_as_a_hit_when_it_finds_something() {
        let counts = Counts::default();
        assert_eq!(counts.found(None::<u8>), None);
        assert_eq!(counts.found(Some(3)), Some(3));
        assert_eq!(counts.found(Some(4)), Some(4));
        assert_eq!(counts.snapshot(), HitsAndMisses { hits: 2, misses: 1 });
    }
}
