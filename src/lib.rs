//! muster: 30-day habit challenges for shift workers.
//!
//! A map of the crate:
//! - [`pack`]: challenge packs: the model, loading TOML with positions, the checker's diagnostics;
//! - [`cli`]: the command line, which only translates arguments into calls to the modules above.

pub mod cli;
pub mod pack;
pub mod rules;
