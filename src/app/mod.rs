//! Use cases: one function per thing a person or a background job ([`jobs`]) does (create a cohort, enrol people,
//! release a day...). Pages, the JSON API and the CLI all call these, so each rule lives here once.
//!
//! A use case validates its input, asks the pure rules what to do, writes through the store in one
//! transaction, and reports failures as an [`AppError`] that says whose problem it is. Submissions,
//! the busiest write, share their transaction with others arriving at the same moment
//! ([`submit_queue`]).

pub mod anonymity;
pub mod archive;
pub mod badges;
pub mod briefing;
pub mod callers;
pub mod channel;
pub mod cohort;
pub mod demo;
pub mod digest;
pub mod drafts;
pub mod enrol;
pub mod feed;
pub mod jobs;
pub mod journey;
pub mod kept;
pub mod lead;
pub mod leaderboard;
pub mod messages;
pub mod metrics;
pub mod people;
pub mod record;
pub mod refusal;
pub mod release;
pub mod released;
pub mod reminders;
pub mod signin;
pub mod submission;
pub mod submit_queue;
pub mod team;

use std::sync::Arc;

use crate::board::Board;
use crate::clock::Clock;
use crate::live::Live;
use crate::mail::Mailer;
use crate::rules::safeguarding::Checker;
use crate::store::{Store, StoreError, Tx};

pub use refusal::Refusal;

/// What the use cases need from the outside world, built once at start-up. Cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub clock: Clock,
    pub mailer: Arc<Mailer>,
    /// Posts to cohorts' team channels.
    pub webhook: Arc<crate::webhook::Poster>,
    pub safeguarding: Arc<Checker>,
    /// The leaderboards: Redis or in-process, a view of the ledger.
    pub board: Board,
    /// What is kept in memory between requests (callers, cohorts, released days, board reads),
    /// counted.
    pub kept: Arc<kept::Kept>,
    /// API tokens' uses, written in batches.
    pub token_uses: Arc<signin::TokenUses>,
    /// Told when this process queues mail, so the sender ([`outbox`]) wakes at once.
    pub mail_queued: Arc<tokio::sync::Notify>,
    /// Checked submissions waiting to be written in batches.
    pub submissions: Arc<submit_queue::SubmitQueue>,
    /// Tells open briefing screens that a cohort changed.
    pub live: Live,
    /// The address people reach muster at, for links in emails (e.g. `https://muster.example.org`).
    pub base_url: String,
    /// Serving the demo (`serve --demo`): sign-in links written to the outbox are also logged.
    pub demo: bool,
    /// What this process counts, for Prometheus ([`metrics`]).
    pub metrics: Arc<crate::metrics::Metrics>,
}

/// What the outside world gives [`Services::new`]; the rest starts empty.
pub struct Outside {
    pub store: Store,
    pub clock: Clock,
    pub mailer: Mailer,
    pub safeguarding: Checker,
    pub board: Board,
    pub live: Live,
    pub base_url: String,
}

impl Services {
    pub fn new(outside: Outside) -> Services {
        Services {
            submissions: Arc::new(submit_queue::SubmitQueue::new(outside.store.backend())),
            store: outside.store,
            clock: outside.clock,
            mailer: Arc::new(outside.mailer),
            webhook: Default::default(),
            safeguarding: Arc::new(outside.safeguarding),
            board: outside.board,
            kept: Default::default(),
            token_uses: Default::default(),
            mail_queued: Default::default(),
            live: outside.live,
            base_url: outside.base_url,
            demo: false,
            metrics: Default::default(),
        }
    }

    /// These services on a manual clock set to `now`, sharing everything else (what is kept
    /// included): for use cases done at chosen moments (seeding, tests). Move the moment with
    /// `clock.set`.
    pub fn at(&self, now: chrono::DateTime<chrono::Utc>) -> Services {
        Services {
            clock: Clock::manual(now),
            ..self.clone()
        }
    }

    /// The callers' version as this process sees it ([`callers::CallerVersion`]).
    pub async fn caller_version(&self) -> Result<i64, StoreError> {
        self.kept.caller_version.current(&self.store).await
    }

    /// Commits a write that moved the callers' version; this process sees it at once.
    pub async fn commit_caller_change(&self, tx: Tx) -> Result<(), StoreError> {
        self.kept.caller_version.commit_change(tx).await
    }
}

/// What a person reads when the database cannot be reached.
pub const DATABASE_AWAY: &str =
    "muster cannot reach its database just now. Nothing was saved; please try again in a minute.";

/// Why a use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A rule refused the request: the [`Refusal`] says which, for programs; the message says
    /// how, in words for the person who made it.
    #[error("{1}")]
    Refused(Refusal, String),
    #[error("{0}")]
    NotFound(String),
    /// A service muster depends on (the mail relay) failed; try again later.
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AppError {
    /// A service muster depends on failed (`why` is said to the person): try again later.
    pub fn unavailable(why: impl std::fmt::Display) -> AppError {
        AppError::Unavailable(why.to_string())
    }

    /// Whether retrying later could succeed (the database was away), rather than the request
    /// being wrong.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            AppError::Store(StoreError::Unavailable(_)) | AppError::Unavailable(_)
        )
    }
}
