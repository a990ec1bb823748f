//! Loading a pack folder (`pack.toml` and `days/NN.toml`) into a [`Pack`], with every problem found
//! on the way reported as a [`Diagnostic`].
//!
//! Loading never panics and never trusts the file system: files are size-capped before they are read,
//! only regular files are opened (a named pipe would block), nothing is walked recursively (so symlink
//! loops cannot trap it), and a broken file is reported while the rest of the pack is still checked.
//!
//! This file holds the loader's state and the order of its steps; each step is a file of its own:
//! `file` reads one file safely, `header` reads `pack.toml` (with `badges` for its
//! `[[badge]]` blocks), `day` reads the day files, and `pack_wide` runs the checks that need
//! every day in view.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::diagnostic::{Diagnostic, Source};
use super::model::{Badge, Day, Pack, Scoring};

mod badges;
mod day;
mod file;
mod header;
mod pack_wide;

pub use file::read_text;

/// No pack file may be larger than this; a real day file is about 2 KB.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Bound on the entries of a `days/` folder, so a runaway folder cannot make a check slow.
pub const MAX_DAY_FILES: usize = 400;
/// Pack lengths muster supports.
pub const LENGTHS: std::ops::RangeInclusive<i64> = 7..=90;
/// Points for any one thing are kept in this range so that no day dwarfs the rest.
pub const POINTS: std::ops::RangeInclusive<i64> = 0..=100;

/// The result of loading one pack folder: the pack if it has no errors, and everything found.
#[derive(Debug)]
pub struct LoadedPack {
    pub root: PathBuf,
    /// The pack's id as written, when it could be read (even if the pack has errors).
    pub id: Option<String>,
    pub pack: Option<Pack>,
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, so diagnostics can quote them.
    pub sources: Vec<Source>,
}

impl LoadedPack {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Loads and checks the pack in folder `root`.
pub fn load(root: &Path) -> LoadedPack {
    let mut loader = Loader {
        out: Vec::new(),
        complete_days: Vec::new(),
        sources: Vec::new(),
    };
    let header = loader.header(root);
    // An unusable length (or no pack.toml) leaves the number of days unknown: days are then
    // checked against the longest pack allowed, and none is called missing.
    let length = header.as_ref().and_then(|h| h.length);
    if let Some(days) = loader.days(root, length.unwrap_or(*LENGTHS.end() as u32)) {
        if let (Some(length), Some(header)) = (length, &header) {
            loader.check_day_numbers(&days, length, header);
        }
        loader.check_habits(&days);
    }

    let id = header.as_ref().and_then(|h| h.id.clone());
    let mut diagnostics = std::mem::take(&mut loader.out);
    // pack.toml first, then the days in order, each file top to bottom.
    diagnostics.sort_by_key(|d| {
        (
            !d.file.ends_with("pack.toml"),
            d.file.clone(),
            d.line,
            d.column,
        )
    });
    let pack = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        header.and_then(|h| h.into_pack(loader.complete_days))
    };
    LoadedPack {
        root: root.to_path_buf(),
        id,
        pack,
        diagnostics,
        sources: loader.sources,
    }
}

/// What `pack.toml` says; each field `None` when it was missing or wrong (and reported).
struct Header {
    id: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    version: Option<String>,
    author: Option<String>,
    audience: Option<String>,
    length: Option<u32>,
    /// Where the length is written (or the top of the file), for "day N is missing".
    length_span: Range<usize>,
    source_index: usize,
    tags: Vec<String>,
    scoring: Option<Scoring>,
    badges: Option<Vec<Badge>>,
}

impl Header {
    fn into_pack(self, mut days: Vec<Day>) -> Option<Pack> {
        days.sort_by_key(|d| d.number);
        Some(Pack {
            id: self.id?,
            title: self.title?,
            summary: self.summary?,
            version: self.version?,
            author: self.author?,
            audience: self.audience?,
            length: self.length?,
            tags: self.tags,
            scoring: self.scoring?,
            badges: self.badges?,
            days,
        })
    }
}

/// A day file as read, with the places later checks point at.
struct LoadedDay {
    /// From `day = N` or, when that cannot be read, from the file name (`07.toml`), so that a
    /// broken file is not also reported as a missing day. `None` when neither says.
    number: Option<u32>,
    /// Where `day = N` is written, when it could be read.
    number_span: Option<Range<usize>>,
    source_index: Option<usize>,
    habit: Option<String>,
    /// The action's text and span, when it could be read.
    action: Option<(String, Range<usize>)>,
}

struct Loader {
    out: Vec<Diagnostic>,
    /// The days read without errors.
    complete_days: Vec<Day>,
    sources: Vec<Source>,
}

impl Loader {
    /// Reads a file into `sources`, returning its index, or reports why it cannot be read.
    fn read(&mut self, path: &Path) -> Option<usize> {
        match read_text(path) {
            Ok(text) => {
                self.sources.push(Source::new(path, text));
                Some(self.sources.len() - 1)
            }
            Err(diagnostic) => {
                self.out.push(*diagnostic);
                None
            }
        }
    }
}
