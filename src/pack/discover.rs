//! Finding pack folders: a path on the command line may name one pack, a folder of packs, or a
//! `pack.toml`; `pack show` may name a pack by its id.

use std::fs;
use std::path::{Path, PathBuf};

use super::diagnostic::Diagnostic;

/// A path that names no pack at all: a usage error rather than a problem in a pack.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0} does not exist")]
    NotFound(PathBuf),
    #[error("{0} is neither a pack folder, a folder of packs, nor a pack.toml")]
    NotAPack(PathBuf),
    #[error("no pack `{id}` in {dir} (packs there: {known})")]
    UnknownId {
        id: String,
        dir: PathBuf,
        known: String,
    },
}

/// The pack folders under `path`, and warnings about folders that looked like packs but are not.
pub fn discover(path: &Path) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), DiscoverError> {
    if fs::symlink_metadata(path).is_err() {
        return Err(DiscoverError::NotFound(path.to_path_buf()));
    }
    if path.file_name().is_some_and(|n| n == "pack.toml") {
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        return Ok((vec![parent.to_path_buf()], Vec::new()));
    }
    if path.join("pack.toml").exists() {
        return Ok((vec![path.to_path_buf()], Vec::new()));
    }
    let entries = fs::read_dir(path).map_err(|_| DiscoverError::NotAPack(path.to_path_buf()))?;
    let mut packs = Vec::new();
    let mut notes = Vec::new();
    for entry in entries.flatten() {
        let candidate = entry.path();
        match fs::metadata(&candidate) {
            Ok(meta) if meta.is_dir() => {
                if candidate.join("pack.toml").exists() {
                    packs.push(candidate);
                } else {
                    notes.push(
                        Diagnostic::warning(
                            "not-a-pack",
                            format!(
                                "{} has no pack.toml, so it is not checked",
                                candidate.display()
                            ),
                        )
                        .in_file(&candidate)
                        .hint(
                            "every pack folder starts with a pack.toml; see challenges/README.md",
                        ),
                    );
                }
            }
            Ok(_) => {}
            Err(e) => notes.push(
                Diagnostic::error(
                    "unreadable",
                    format!("cannot read {}: {e}", candidate.display()),
                )
                .in_file(&candidate)
                .hint("remove the broken link or fix what it points to"),
            ),
        }
    }
    packs.sort();
    notes.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((packs, notes))
}

/// The folder of the pack named by `pack`: a path to a pack, or the id of a pack in `packs_dir`.
pub fn find(pack: &str, packs_dir: &Path) -> Result<PathBuf, DiscoverError> {
    let as_path = Path::new(pack);
    if as_path.join("pack.toml").exists() {
        return Ok(as_path.to_path_buf());
    }
    if as_path.file_name().is_some_and(|n| n == "pack.toml") && as_path.exists() {
        return Ok(as_path.parent().unwrap_or(Path::new(".")).to_path_buf());
    }
    let by_id = packs_dir.join(pack);
    if !pack.contains(['/', '\\']) && by_id.join("pack.toml").exists() {
        return Ok(by_id);
    }
    let known = discover(packs_dir)
        .map(|(packs, _)| {
            packs
                .iter()
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    Err(DiscoverError::UnknownId {
        id: pack.to_string(),
        dir: packs_dir.to_path_buf(),
        known: if known.is_empty() {
            "none".into()
        } else {
            known
        },
    })
}
