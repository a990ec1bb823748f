//! `muster pack check` and `muster pack show`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use serde::Serialize;

use crate::pack::{self, Diagnostic, LoadedPack, diagnostic::render_human};

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Check packs and explain every problem: file, line, column, what is wrong and how to fix it.
    ///
    /// Exits with 0 when no pack has errors (warnings are allowed), 1 when one has, and 2 when a
    /// path names no pack.
    Check {
        /// Pack folders, folders of packs, or pack.toml files (default: the `packs_dir` setting).
        paths: Vec<PathBuf>,
        /// `human` for people, `json` for editors and CI steps.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Show a pack's summary, or one day as a participant will read it.
    Show {
        /// A pack id (looked up in the `packs_dir` setting's folder) or a path to a pack folder.
        pack: String,
        /// Show this day, with any other wordings of it.
        #[arg(long, value_name = "N")]
        day: Option<u32>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

impl PackCommand {
    /// Runs the command; packs named by id, and `check` without paths, look in `packs_dir`.
    pub fn run(self, packs_dir: &Path) -> ExitCode {
        match self {
            PackCommand::Check { paths, format } if paths.is_empty() => {
                check(&[packs_dir.to_path_buf()], format)
            }
            PackCommand::Check { paths, format } => check(&paths, format),
            PackCommand::Show { pack, day } => show(&pack, day, packs_dir),
        }
    }
}

/// The JSON shape of `pack check --format json`.
#[derive(Serialize)]
struct JsonReport<'a> {
    errors: usize,
    warnings: usize,
    packs: Vec<JsonPack<'a>>,
    diagnostics: Vec<&'a Diagnostic>,
}

#[derive(Serialize)]
struct JsonPack<'a> {
    path: &'a std::path::Path,
    id: Option<&'a str>,
    errors: usize,
    warnings: usize,
}

fn check(paths: &[PathBuf], format: Format) -> ExitCode {
    let mut loaded: Vec<LoadedPack> = Vec::new();
    let mut loose: Vec<Diagnostic> = Vec::new();
    for path in paths {
        match pack::discover(path) {
            Ok((roots, notes)) => {
                loose.extend(notes);
                loaded.extend(roots.iter().map(|root| pack::load(root)));
            }
            Err(e) => {
                eprintln!("error: {e}");
                eprintln!(
                    "usage: muster pack check [PATH...]  (a pack folder, a folder of packs, or a pack.toml)"
                );
                return ExitCode::from(2);
            }
        }
    }
    let all: Vec<&Diagnostic> = loose
        .iter()
        .chain(loaded.iter().flat_map(|p| &p.diagnostics))
        .collect();
    let errors = all.iter().filter(|d| d.is_error()).count();
    let warnings = all.len() - errors;
    match format {
        Format::Json => {
            let report = JsonReport {
                errors,
                warnings,
                packs: loaded
                    .iter()
                    .map(|p| JsonPack {
                        path: &p.root,
                        id: p.id.as_deref(),
                        errors: p.errors(),
                        warnings: p.warnings(),
                    })
                    .collect(),
                diagnostics: all,
            };
            let json = serde_json::to_string_pretty(&report)
                .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
            // A reader that stops early (`| head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout().lock(), "{json}");
        }
        Format::Human => {
            let mut out = StandardStream::stdout(color_for(&std::io::stdout()));
            let sources: Vec<_> = loaded
                .iter()
                .flat_map(|p| p.sources.iter().cloned())
                .collect();
            let owned: Vec<Diagnostic> = all.into_iter().cloned().collect();
            let written = render_human(&mut out, &owned, &sources).and_then(|()| {
                for p in &loaded {
                    let name = p.id.clone().unwrap_or_else(|| p.root.display().to_string());
                    let verdict = if p.errors() > 0 { "has problems" } else { "ok" };
                    writeln!(
                        out,
                        "{name}: {verdict} ({}, {})",
                        count(p.errors(), "error"),
                        count(p.warnings(), "warning")
                    )?;
                }
                writeln!(
                    out,
                    "checked {}: {}, {}",
                    count(loaded.len(), "pack"),
                    count(errors, "error"),
                    count(warnings, "warning")
                )
            });
            if let Err(e) = written {
                eprintln!("error: cannot write the report: {e}");
            }
        }
    }
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn show(pack_name: &str, day: Option<u32>, packs_dir: &Path) -> ExitCode {
    let root = match pack::find(pack_name, packs_dir) {
        Ok(root) => root,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let loaded = pack::load(&root);
    let Some(pack) = &loaded.pack else {
        let mut out = StandardStream::stderr(color_for(&std::io::stderr()));
        let _ = render_human(&mut out, &loaded.diagnostics, &loaded.sources);
        eprintln!(
            "error: {} has errors; fix them before showing it",
            root.display()
        );
        return ExitCode::FAILURE;
    };
    match day {
        None => {
            let _ = write!(std::io::stdout().lock(), "{}", pack::render::summary(pack));
        }
        Some(n) => match pack.day(n) {
            Some(day) => {
                let _ = write!(std::io::stdout().lock(), "{}", pack::render::day(pack, day));
            }
            None => {
                eprintln!(
                    "error: {} has no day {n}: its days run 1 to {}",
                    pack.id, pack.length
                );
                return ExitCode::from(2);
            }
        },
    }
    ExitCode::SUCCESS
}

/// "1 error", "2 errors".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Colour only on a terminal: a report written to a file or a CI log stays plain text.
fn color_for(stream: &impl std::io::IsTerminal) -> ColorChoice {
    if stream.is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    }
}
