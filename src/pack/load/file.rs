//! Reading one pack file as text, refusing what is not a small regular UTF-8 file.

use std::fs;
use std::io::Read;
use std::path::Path;

use super::MAX_FILE_BYTES;
use crate::pack::diagnostic::{Diagnostic, Source};

/// Reads a file as UTF-8 text, refusing anything that is not a regular file or is too large.
pub fn read_text(path: &Path) -> Result<String, Box<Diagnostic>> {
    let unreadable = |e: std::io::Error| {
        Diagnostic::error("unreadable", format!("cannot read {}: {e}", path.display()))
            .in_file(path)
            .hint("check the file exists and is readable")
    };
    let metadata = fs::metadata(path).map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(Diagnostic::error(
            "not-a-file",
            format!("{} is not a regular file", path.display()),
        )
        .in_file(path)
        .hint("a pack is made of plain text files")
        .into());
    }
    let too_large = |size: u64| {
        Diagnostic::error(
            "file-too-large",
            format!(
                "{} is {:.1} MB; a pack file may be at most 1 MB",
                path.display(),
                size as f64 / 1e6
            ),
        )
        .in_file(path)
        .hint("a day file is usually a couple of kilobytes: is this the right file?")
    };
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(metadata.len()).into());
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64).into());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let (line, column) =
            Source::new(path, String::from_utf8_lossy(&e.as_bytes()[..valid])).line_column(valid);
        let mut diagnostic = Diagnostic::error(
            "not-utf8",
            format!(
                "{} is not UTF-8 text (an unreadable byte at line {line}, column {column})",
                path.display()
            ),
        )
        .in_file(path)
        .hint("save the file as UTF-8 in your editor");
        diagnostic.line = Some(line);
        diagnostic.column = Some(column);
        Box::new(diagnostic)
    })
}
