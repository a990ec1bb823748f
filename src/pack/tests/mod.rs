//! Unit tests for the checker's rules, each on a small pack written into a temporary folder.
//!
//! Every test starts from a valid seven-day pack (`PACK` and `day(1)` to `day(7)`), changes one file,
//! and compares everything the checker found, one line per diagnostic, with what it should find.
//! This file holds those fixtures; the tests are in a file per part of the checker.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use super::*;

mod days;
mod discover;
mod files;
mod scoring;
mod syntax;
mod valid;
mod values;

/// A valid `pack.toml`: 14 lines, the badge's `rule` on line 14.
const PACK: &str = r#"id = "test-pack"
title = "Test pack"
summary = "A pack for the tests."
version = "1.0.0"
author = "Tests"
audience = "Testers"
length = 7

[[badge]]
id = "first"
name = "First"
description = "First day."
icon = "🥾"
rule = "first_completion"
"#;

/// A valid day file: `day` on line 1, `title` 2, `why` 3, `action` 4, `prompts` 5, `minutes` 6.
fn day(n: u32) -> String {
    format!(
        "day = {n}\ntitle = \"Day {n}\"\nwhy = \"Why {n}.\"\naction = \"Do thing {n}.\"\n\
         prompts = [\"How was {n}?\"]\nminutes = 5\n"
    )
}

/// A `[[badge]]` block after a blank line; `rule_param` is the rule and its parameter, e.g.
/// "rule = \"streak\"\ndays = 7".
fn badge(id: &str, rule_param: &str) -> String {
    format!(
        "\n[[badge]]\nid = \"{id}\"\nname = \"Badge\"\ndescription = \"A badge.\"\n\
         icon = \"🏅\"\n{rule_param}\n"
    )
}

/// `PACK` with one more badge: its `[[badge]]` on line 16, `id` 17, `icon` 20, `rule` 21, the
/// parameter 22.
fn with_badge(id: &str, rule_param: &str) -> String {
    format!("{PACK}{}", badge(id, rule_param))
}

/// `PACK` with a `[scoring]` section on line 16 and `lines` from line 17.
fn with_scoring(lines: &str) -> String {
    format!("{PACK}\n[scoring]\n{lines}\n")
}

/// A pack folder named `test-pack` in a temporary directory, removed when dropped.
struct Fixture {
    _dir: TempDir,
    root: PathBuf,
}

impl Fixture {
    fn write(&self, file: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.root.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    fn load(&self) -> LoadedPack {
        load(&self.root)
    }
}

/// `pack_toml` with days 1 to 7, then `edits` applied: (file in the pack, its new text; an empty
/// text removes the file).
fn pack(pack_toml: &str, edits: &[(&str, &str)]) -> Fixture {
    let dir = TempDir::new().unwrap();
    let fixture = Fixture {
        root: dir.path().join("test-pack"),
        _dir: dir,
    };
    fixture.write("pack.toml", pack_toml);
    for n in 1..=7 {
        fixture.write(&format!("days/{n:02}.toml"), day(n));
    }
    for (file, text) in edits {
        if text.is_empty() {
            fs::remove_file(fixture.root.join(file)).unwrap();
        } else {
            fixture.write(file, text);
        }
    }
    fixture
}

/// Loads `PACK` with `edits` applied to it.
fn check(edits: &[(&str, &str)]) -> LoadedPack {
    pack(PACK, edits).load()
}

/// Loads `pack_toml` with days 1 to 7.
fn check_pack(pack_toml: &str) -> LoadedPack {
    pack(pack_toml, &[]).load()
}

/// Every diagnostic as `severity code file:line:column message`, paths relative to the pack
/// (`<pack>` in messages), `-` for a missing line or column.
fn found(loaded: &LoadedPack) -> Vec<String> {
    let root = loaded.root.display().to_string();
    loaded
        .diagnostics
        .iter()
        .map(|d| {
            let place = |n: Option<usize>| n.map_or("-".to_string(), |n| n.to_string());
            format!(
                "{} {} {}:{}:{} {}",
                match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                d.code,
                d.file
                    .strip_prefix(&loaded.root)
                    .unwrap_or(&d.file)
                    .display(),
                place(d.line),
                place(d.column),
                d.message.replace(&root, "<pack>")
            )
        })
        .collect()
}

/// The hint of the only diagnostic with `code`.
fn hint<'a>(loaded: &'a LoadedPack, code: &str) -> &'a str {
    let matching: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect();
    assert_eq!(matching.len(), 1, "{:#?}", found(loaded));
    matching[0].hint.as_deref().unwrap_or("")
}
