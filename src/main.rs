//! The `muster` binary: parse the command line and hand over to the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the C library's allocator: a request allocates and frees many small
/// strings on every core at once, and glibc's arenas spent a sixth of the server's time on board
/// reads in malloc, free and their locks (perf, 12,000 reads/s).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    muster::cli::Cli::parse().run().await
}
