//! Use cases: one function per thing a person or the scheduler does (create a cohort, enrol people,
//! release a day...). Pages, the JSON API and the CLI all call these, so each rule lives here once.
//!
//! A use case validates its input, asks the pure rules what to do, writes through the store in one
//! transaction, and reports failures as an [`AppError`] that says whose problem it is.

pub mod cohort;
pub mod enrol;
pub mod release;
pub mod scheduler;

use crate::store::StoreError;

/// Why a use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request was wrong; the message says how, in words for the person who made it.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AppError {
    /// Whether retrying later could succeed (the database was away), rather than the request
    /// being wrong.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, AppError::Store(StoreError::Unavailable(_)))
    }
}
