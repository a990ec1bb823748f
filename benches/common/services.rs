//! The use cases wired to one store and clock, with mail into a folder and the boards and live
//! screens in this process: for a benchmark that drives use cases rather than a server. Shared
//! by the release bench and the submission-cost example.

use std::path::PathBuf;

use muster::app::{Outside, Services};
use muster::clock::Clock;
use muster::store::Store;

/// The use cases on `store` at `clock`'s time, with mail written into `outbox`, and the boards
/// and live screens in this process.
pub fn services(store: &Store, clock: &Clock, outbox: PathBuf) -> Services {
    Services::new(Outside {
        store: store.clone(),
        clock: clock.clone(),
        mailer: muster::mail::Mailer::new(None, outbox, "muster <muster@localhost>")
            .expect("mailer"),
        safeguarding: muster::rules::safeguarding::Checker::standard(),
        board: muster::board::Board::in_memory(),
        live: muster::live::Live::local(),
        base_url: String::new(),
    })
}
