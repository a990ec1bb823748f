//! The layering ARCHITECTURE.md promises, checked on the source: `web` names nothing of `store`
//! (use cases hand it domain types), only `src/store` names `sqlx`, and ids travel as their types.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The lines under `src/<layer>` that name any of `words`, outside comments.
fn naming(layer: &str, words: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(!files.is_empty(), "no sources under {}", root.display());
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if words.iter().any(|w| code.contains(w)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn web_imports_nothing_from_store() {
    let found = naming("web", &["crate::store", "store::"]);
    assert!(
        found.is_empty(),
        "web names the store:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_store_names_sqlx() {
    for layer in ["app", "web", "cli", "rules"] {
        let found = naming(layer, &["sqlx"]);
        assert!(
            found.is_empty(),
            "{layer} names sqlx:\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn use_cases_and_the_store_pass_ids_as_their_types() {
    // A person's or a team's id is a `PersonId` or a `TeamId` from the API's edge down to the
    // SQL binds; a raw integer would let one be passed for the other.
    let raw = [
        "person_id: i64",
        "person: i64",
        "viewer_id: i64",
        "team_id: i64",
        "team_id: Option<i64>",
        "team: Option<i64>",
    ];
    for layer in ["app", "store"] {
        let found = naming(layer, &raw);
        assert!(
            found.is_empty(),
            "{layer} holds an id as a bare integer:\n{}",
            found.join("\n")
        );
    }
}
