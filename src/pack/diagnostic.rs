//! Diagnostics: what the checker says about a pack, with enough position to act on.
//!
//! A diagnostic is plain data (severity, file, span, message, hint) so that the same findings can be
//! rendered for a person (rustc-style snippets with a caret, through `codespan-reporting`) or as JSON
//! for an editor or a CI step.

use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label, Severity as SnippetSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde::Serialize;

/// How serious a finding is: errors stop a pack being used, warnings are advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about one file of a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable name for the kind of problem, e.g. `unknown-key`.
    pub code: &'static str,
    pub file: PathBuf,
    /// Byte range in the file, when the problem has a place in it.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// 1-based line and column (in characters) of the start of the span.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// A short label shown under the caret.
    pub label: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            file: PathBuf::new(),
            span: None,
            line: None,
            column: None,
            message: message.into(),
            label: None,
            hint: None,
        }
    }

    /// Places the diagnostic in `source` at `span` (byte offsets).
    pub fn at(mut self, source: &Source, span: Range<usize>) -> Self {
        let span = source.clamp(span);
        let (line, column) = source.line_column(span.start);
        self.file = source.path.clone();
        self.line = Some(line);
        self.column = Some(column);
        self.span = Some(span);
        self
    }

    /// Attributes the diagnostic to a whole file (one that could not be read, say).
    pub fn in_file(mut self, path: &Path) -> Self {
        self.file = path.to_path_buf();
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of one pack file, kept so diagnostics can quote it.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }

    /// 1-based line and column (counted in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    fn clamp(&self, span: Range<usize>) -> Range<usize> {
        let end = self.floor_char_boundary(span.end.min(self.text.len()));
        let start = self.floor_char_boundary(span.start.min(end));
        start..end
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// Writes diagnostics for a person: each one with its file, line and column, the offending line with a
/// caret under the span, and the hint.
pub fn render_human(
    out: &mut dyn WriteColor,
    diagnostics: &[Diagnostic],
    sources: &[Source],
) -> std::io::Result<()> {
    let mut files = SimpleFiles::new();
    let ids: Vec<(PathBuf, usize)> = sources
        .iter()
        .map(|s| {
            (
                s.path.clone(),
                files.add(s.path.display().to_string(), s.text.as_str()),
            )
        })
        .collect();
    let config = term::Config::default();
    for diagnostic in diagnostics {
        let severity = match diagnostic.severity {
            Severity::Error => SnippetSeverity::Error,
            Severity::Warning => SnippetSeverity::Warning,
        };
        let mut snippet = Snippet::new(severity)
            .with_code(diagnostic.code)
            .with_message(&diagnostic.message);
        let file_id = ids
            .iter()
            .find(|(p, _)| *p == diagnostic.file)
            .map(|(_, id)| *id);
        match (file_id, &diagnostic.span) {
            (Some(id), Some(span)) => {
                let label = Label::primary(id, span.clone())
                    .with_message(diagnostic.label.clone().unwrap_or_default());
                snippet = snippet.with_labels(vec![label]);
            }
            _ => {
                snippet = snippet.with_notes(vec![format!("in {}", diagnostic.file.display())]);
            }
        }
        if let Some(hint) = &diagnostic.hint {
            snippet.notes.push(format!("hint: {hint}"));
        }
        term::emit_to_write_style(out, &config, &files, &snippet).map_err(std::io::Error::other)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let source = Source::new("x.toml", "a = 1\ntitle = \"café\" # é\n");
        let offset = source.text.find('#').unwrap();
        assert_eq!(source.line_column(offset), (2, 16));
        assert_eq!(source.line_column(0), (1, 1));
    }

    #[test]
    fn spans_past_the_end_or_inside_a_character_are_clamped() {
        let source = Source::new("x.toml", "é");
        let d = Diagnostic::error("x", "m").at(&source, 1..99);
        assert_eq!(d.span, Some(0..2));
        assert_eq!((d.line, d.column), (Some(1), Some(1)));
    }
}
