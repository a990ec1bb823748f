//! Fuzzes the pack loader end to end: the input becomes a `pack.toml` and a day file on disk, and
//! loading them must never panic, whatever the bytes.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run pack_loader -- -max_total_time=600` from the repository.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// One scratch pack folder per fuzzing process, rewritten for every input.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("muster-fuzz-{}", std::process::id())).join("fuzz");
        std::fs::create_dir_all(dir.join("days")).expect("scratch folder");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    // The first byte chooses where the input splits into pack.toml and days/01.toml.
    let Some((&split, rest)) = data.split_first() else { return };
    let at = if rest.is_empty() { 0 } else { usize::from(split) * rest.len() / 256 };
    let (pack, day) = rest.split_at(at);
    let dir = scratch();
    std::fs::write(dir.join("pack.toml"), pack).expect("write pack.toml");
    std::fs::write(dir.join("days/01.toml"), day).expect("write day");
    let loaded = muster::pack::load(dir);
    // Every diagnostic must point inside the file it names.
    for d in &loaded.diagnostics {
        if let (Some(span), Some(source)) = (&d.span, loaded.sources.iter().find(|s| s.path == d.file)) {
            assert!(span.end <= source.text.len());
        }
    }
});
