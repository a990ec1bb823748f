//! Typed reading of TOML tables that reports every problem instead of stopping at the first.
//!
//! serde stops at the first unknown key or wrong type; a change lead wants to see all of them at once,
//! each pointing at its line. So pack files are parsed into `toml`'s spanned document tree and read
//! here field by field, each mistake becoming a [`Diagnostic`] at the key or value that caused it.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, Source};
use super::suggest::did_you_mean;

/// A string value and where it was written.
#[derive(Debug, Clone)]
pub struct Text {
    pub value: String,
    pub span: Range<usize>,
}

/// An integer value and where it was written.
#[derive(Debug, Clone, Copy)]
pub struct Int {
    pub value: i64,
    pub span: (usize, usize),
}

impl Int {
    pub fn span(&self) -> Range<usize> {
        self.span.0..self.span.1
    }
}

/// The most syntax errors reported for one file: past a few, the rest are echoes of the first.
const MAX_SYNTAX_ERRORS: usize = 5;

/// Parses a whole file, reporting every syntax error. `None` when the file is not valid TOML.
pub fn parse_document<'i>(
    source: &'i Source,
    out: &mut Vec<Diagnostic>,
) -> Option<Spanned<DeTable<'i>>> {
    let (table, errors) = DeTable::parse_recoverable(&source.text);
    if errors.is_empty() {
        return Some(table);
    }
    // Recovery can report one mistake many times over (each unclosed bracket, say): keep each
    // message once per place, and only the first few.
    let mut seen = std::collections::HashSet::new();
    for error in errors {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().to_string();
        if !seen.insert((span.start, message.clone())) || seen.len() > MAX_SYNTAX_ERRORS {
            continue;
        }
        let (first, rest) = message.split_once('\n').unwrap_or((&message, ""));
        let mut diagnostic =
            Diagnostic::error("syntax", format!("this is not valid TOML: {first}"))
                .at(source, span)
                .label("here");
        diagnostic = if rest.trim().is_empty() {
            diagnostic.hint("see the \"TOML in two minutes\" section of challenges/README.md")
        } else {
            diagnostic.hint(rest.trim().replace('\n', "; "))
        };
        out.push(diagnostic);
    }
    None
}

/// One table of a pack file (the document itself, `[scoring]`, a `[[badge]]`...), read key by key.
pub struct TableReader<'t, 'i> {
    source: &'t Source,
    table: &'t DeTable<'i>,
    /// Where the table starts, for "missing key" errors.
    span: Range<usize>,
    /// What the table is, in words: "a day", "the [scoring] section".
    what: &'static str,
}

impl<'t, 'i> TableReader<'t, 'i> {
    /// Starts reading a document, reporting at once every key not in `known`.
    pub fn new(
        source: &'t Source,
        table: &'t Spanned<DeTable<'i>>,
        what: &'static str,
        known: &[&str],
        out: &mut Vec<Diagnostic>,
    ) -> Self {
        Self::from_parts(source, table.get_ref(), table.span(), what, known, out)
    }

    fn from_parts(
        source: &'t Source,
        table: &'t DeTable<'i>,
        span: Range<usize>,
        what: &'static str,
        known: &[&str],
        out: &mut Vec<Diagnostic>,
    ) -> Self {
        for key in table.keys() {
            if !known.contains(&key.get_ref().as_ref()) {
                let mut diagnostic = Diagnostic::error(
                    "unknown-key",
                    format!("`{}` is not a key of {}", key.get_ref(), what),
                )
                .at(source, key.span())
                .label("unknown key");
                diagnostic = match did_you_mean(key.get_ref(), known.iter().copied()) {
                    Some(suggestion) => diagnostic.hint(format!("did you mean `{suggestion}`?")),
                    None => diagnostic.hint(format!("the keys of {what} are {}", list(known))),
                };
                out.push(diagnostic);
            }
        }
        TableReader {
            source,
            table,
            span: header_span(span),
            what,
        }
    }

    pub fn source(&self) -> &'t Source {
        self.source
    }

    /// The span that stands for the whole table, e.g. for an error about something it lacks.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    /// The span of `key` itself, if present.
    pub fn key_span(&self, key: &str) -> Option<Range<usize>> {
        self.table.get_key_value(key).map(|(k, _)| k.span())
    }

    fn value(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.table.get(key)
    }

    fn missing(&self, key: &str, out: &mut Vec<Diagnostic>) {
        out.push(
            Diagnostic::error(
                "missing-key",
                format!("`{key}` is missing from {}", self.what),
            )
            .at(self.source, self.span.clone())
            .label(format!("{} without `{key}`", self.what))
            .hint(format!(
                "add a line `{key} = ...`; challenges/README.md describes it"
            )),
        );
    }

    fn wrong_type(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let found = type_name(value.get_ref());
        let mut diagnostic = Diagnostic::error(
            "wrong-type",
            format!("`{key}` should be {expected}, not {found}"),
        )
        .at(self.source, value.span())
        .label(format!("this is {found}"));
        let is_list = matches!(value.get_ref(), DeValue::Array(_));
        if expected.contains("number")
            && matches!(value.get_ref(), DeValue::String(s) if s.trim().parse::<i64>().is_ok())
        {
            diagnostic = diagnostic.hint("remove the quotes around the number");
        } else if expected.starts_with("a list") && !is_list {
            diagnostic = diagnostic.hint(format!("put it in square brackets: {key} = [\"...\"]"));
        } else if expected == "text" && !is_list && !matches!(value.get_ref(), DeValue::Table(_)) {
            diagnostic = diagnostic.hint("put the text between double quotes");
        }
        out.push(diagnostic);
    }

    /// A string under `key`; reports it missing when `required`.
    pub fn text(&self, key: &str, required: bool, out: &mut Vec<Diagnostic>) -> Option<Text> {
        let Some(value) = self.value(key) else {
            if required {
                self.missing(key, out);
            }
            return None;
        };
        match value.get_ref() {
            DeValue::String(s) => Some(Text {
                value: s.to_string(),
                span: value.span(),
            }),
            _ => {
                self.wrong_type(key, value, "text", out);
                None
            }
        }
    }

    /// A whole number under `key`; reports it missing when `required`.
    pub fn integer(&self, key: &str, required: bool, out: &mut Vec<Diagnostic>) -> Option<Int> {
        let Some(value) = self.value(key) else {
            if required {
                self.missing(key, out);
            }
            return None;
        };
        let span = value.span();
        match value.get_ref() {
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                match i64::from_str_radix(&digits, i.radix()) {
                    Ok(n) => Some(Int {
                        value: n,
                        span: (span.start, span.end),
                    }),
                    Err(_) => {
                        out.push(
                            Diagnostic::error("out-of-range", format!("`{key}` is far too large"))
                                .at(self.source, span)
                                .label("too large"),
                        );
                        None
                    }
                }
            }
            _ => {
                self.wrong_type(key, value, "a whole number", out);
                None
            }
        }
    }

    /// A list of strings under `key`, each with its span. The outer span is the whole list's.
    pub fn text_list(
        &self,
        key: &str,
        required: bool,
        out: &mut Vec<Diagnostic>,
    ) -> Option<(Vec<Text>, Range<usize>)> {
        let Some(value) = self.value(key) else {
            if required {
                self.missing(key, out);
            }
            return None;
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "a list of text in square brackets", out);
            return None;
        };
        let mut texts = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => texts.push(Text {
                    value: s.to_string(),
                    span: item.span(),
                }),
                _ => self.wrong_type(key, item, "a list of text", out),
            }
        }
        Some((texts, value.span()))
    }

    /// A sub-table under `key` (`[scoring]`), or `None` if absent or not a table.
    pub fn table(
        &self,
        key: &str,
        what: &'static str,
        known: &[&str],
        out: &mut Vec<Diagnostic>,
    ) -> Option<TableReader<'t, 'i>> {
        let value = self.value(key)?;
        match value.get_ref() {
            DeValue::Table(table) => Some(self.child(table, value.span(), what, known, out)),
            _ => {
                self.wrong_type(key, value, &format!("a section `[{key}]`"), out);
                None
            }
        }
    }

    /// The tables of an array of tables under `key` (`[[badge]]`); empty when absent.
    pub fn tables(
        &self,
        key: &str,
        what: &'static str,
        known: &[&str],
        out: &mut Vec<Diagnostic>,
    ) -> Vec<TableReader<'t, 'i>> {
        let Some(value) = self.value(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, &format!("a list of `[[{key}]]` blocks"), out);
            return Vec::new();
        };
        let mut tables = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(table) => {
                    tables.push(self.child(table, item.span(), what, known, out))
                }
                _ => self.wrong_type(key, item, &format!("a `[[{key}]]` block"), out),
            }
        }
        tables
    }

    fn child(
        &self,
        table: &'t DeTable<'i>,
        span: Range<usize>,
        what: &'static str,
        known: &[&str],
        out: &mut Vec<Diagnostic>,
    ) -> TableReader<'t, 'i> {
        Self::from_parts(self.source, table, span, what, known, out)
    }
}

/// Narrows a table's span to its first line, so "missing key" errors point at the header rather than
/// underlining a whole block.
fn header_span(span: Range<usize>) -> Range<usize> {
    span.start..span.start
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// `a`, `b` and `c`
pub fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}
