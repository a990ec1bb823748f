//! The Python tools that check the API against its OpenAPI document: `openapi-spec-validator`
//! and schemathesis (`st`), from the virtual environment `.ci/run` makes in `target/pytools`
//! (with Debian's `/usr/bin/python3`, versions pinned there).
//!
//! Without them a test prints `skipped: ...` and returns early, unless
//! `MUSTER_REQUIRE_SERVICES=1`, when a missing tool is a failure (as for PostgreSQL).

use std::path::PathBuf;

/// Where `.ci/run` installs the tools; the same path is written there.
const VENV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/target/pytools");

/// The program `name` from the tools' environment, or `None` after printing why it is missing
/// (a panic instead when `MUSTER_REQUIRE_SERVICES=1`).
pub fn tool(name: &str, test: &str) -> Option<PathBuf> {
    super::installed(
        PathBuf::from(VENV).join("bin").join(name),
        test,
        "run .ci/pytools to install them",
    )
}
