//! Challenge packs: the model, loading from TOML with positions, and the checker's diagnostics.
//!
//! A pack is a folder (`pack.toml` plus `days/NN.toml`); `challenges/README.md` is its reference.
//! [`load`] turns a folder into a [`Pack`] and a list of [`Diagnostic`]s; [`discover`] finds the
//! pack folders named on a command line.

mod check;
pub mod diagnostic;
mod discover;
mod load;
pub mod model;
mod read;
pub mod render;
mod suggest;

pub use diagnostic::{Diagnostic, Severity, Source};
pub use discover::{DiscoverError, discover, find};
pub use load::{LENGTHS, LoadedPack, MAX_FILE_BYTES, load, read_text};
pub use model::{Badge, BadgeRule, Day, Link, Pack, Scoring, TeamScore, Variant};

#[cfg(test)]
mod tests;
