//! Leaderboards: the board (Redis or in-process) kept equal to the ledger, and shown to people.
//!
//! - `record`: committed points onto the boards, then the live screens told, after each commit;
//! - `repair`: the boards as the ledger defines them, compared with SQL at start-up and
//!   periodically, rebuilt exactly when they differ;
//! - `display`: the boards as people see them (the cohort, their team, this week, who was first
//!   today), as named rows;
//! - `reads`: what is read from the boards and kept between requests, counted.

mod display;
mod reads;
mod record;
mod repair;

pub use display::{Leaderboards, Row, leaderboards, may_be_behind, teams};
pub use reads::{Reads, TeamSizes};
pub use record::{Earned, commit_and_tell};
pub use repair::{Check, Scope, check, check_all, rebuild, view};
