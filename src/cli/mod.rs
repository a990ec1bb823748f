//! The command line: one file per command group, each translating arguments into library calls.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod pack;

/// muster runs 30-day habit challenges for shift workers: a short challenge each day, done on shift,
/// with a reflection at the end of it.
#[derive(Debug, Parser)]
#[command(name = "muster", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check and read challenge packs (the TOML files in challenges/).
    #[command(subcommand)]
    Pack(pack::PackCommand),
}

impl Cli {
    /// Runs the command, returning the process exit code: 0 success, 1 problems found, 2 usage error.
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Pack(command) => command.run(),
        }
    }
}
