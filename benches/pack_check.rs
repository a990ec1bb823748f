//! How long checking every shipped pack takes: `cargo bench --bench pack_check`.
//!
//! A plain timing loop rather than criterion, to keep the dependency tree lean: it loads and checks
//! every pack under `challenges/` (reading the files each time, as `muster pack check` does) and
//! prints the median and the slowest of the runs. The target is well under 50 ms.

use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 200;

fn main() {
    let challenges = Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
    let (packs, _) = muster::pack::discover(&challenges).expect("challenges/ exists");
    assert!(!packs.is_empty(), "no packs under {}", challenges.display());
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let errors: usize = packs.iter().map(|p| muster::pack::load(p).errors()).sum();
            let elapsed = start.elapsed();
            assert_eq!(
                errors, 0,
                "a shipped pack has errors: run `muster pack check`"
            );
            elapsed
        })
        .collect();
    times.sort();
    println!(
        "pack check, {} packs, {RUNS} runs: median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        packs.len(),
        ms(times[RUNS / 2]),
        ms(times[RUNS * 99 / 100]),
        ms(times[RUNS - 1])
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
