//! The checker's rules for single values: text fits on a phone, points in range, ids are slugs.
//!
//! Each rule takes a value with its span and reports what is wrong with it. Rules that look across
//! a whole pack live in the loader, where the whole pack is in view: missing or duplicate days and
//! repeated habits in `load/pack_wide.rs`, unreachable badges in `load/badges.rs`.

use std::ops::RangeInclusive;

use super::diagnostic::{Diagnostic, Source};
use super::read::{Int, Text};

/// Text longer than this many times its soft limit is an error, not a warning.
pub const HARD_LIMIT_FACTOR: usize = 3;

/// Checks that `text` is not blank and fits a phone screen (`soft` characters). Returns the text,
/// trimmed, when it is not blank.
pub fn text(
    source: &Source,
    text: &Text,
    what: &str,
    soft: usize,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let value = text.value.trim();
    if value.is_empty() {
        out.push(
            Diagnostic::error("empty-text", format!("{what} is empty"))
                .at(source, text.span.clone())
                .label("empty")
                .hint(format!(
                    "write {what}, or remove the line if it is optional"
                )),
        );
        return None;
    }
    let length = value.chars().count();
    let hard = soft * HARD_LIMIT_FACTOR;
    if length > hard {
        out.push(
            Diagnostic::error(
                "text-too-long",
                format!("{what} is {length} characters: far too long to read on a phone"),
            )
            .at(source, text.span.clone())
            .label(format!("{length} characters"))
            .hint(format!(
                "keep it under {soft} characters (it must be under {hard})"
            )),
        );
    } else if length > soft {
        out.push(
            Diagnostic::warning(
                "text-too-long",
                format!("{what} is {length} characters: too long to read on a phone at a glance"),
            )
            .at(source, text.span.clone())
            .label(format!("{length} characters"))
            .hint(format!(
                "keep it under {soft} characters so it fits one screen"
            )),
        );
    }
    Some(value.to_string())
}

/// Checks that a whole number lies in `range`.
pub fn number(
    source: &Source,
    int: &Int,
    key: &str,
    range: RangeInclusive<i64>,
    out: &mut Vec<Diagnostic>,
) -> Option<u32> {
    if range.contains(&int.value) {
        return u32::try_from(int.value).ok();
    }
    out.push(
        Diagnostic::error(
            "out-of-range",
            format!(
                "`{key}` is {}, but it must be between {} and {}",
                int.value,
                range.start(),
                range.end()
            ),
        )
        .at(source, int.span())
        .label("out of range")
        .hint(format!(
            "choose a value from {} to {}",
            range.start(),
            range.end()
        )),
    );
    None
}

/// Checks an id: lower case letters, digits and single hyphens, as used in URLs and commands.
pub fn slug(source: &Source, text: &Text, what: &str, out: &mut Vec<Diagnostic>) -> Option<String> {
    let value = &text.value;
    let valid = !value.is_empty()
        && value.len() <= 64
        && value.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if valid {
        return Some(value.clone());
    }
    let suggestion = suggest_slug(value);
    let mut diagnostic = Diagnostic::error(
        "bad-id",
        format!("{what} `{value}` must be lower case letters, digits and hyphens"),
    )
    .at(source, text.span.clone())
    .label("not a valid id");
    if !suggestion.is_empty() {
        diagnostic = diagnostic.hint(format!("try \"{suggestion}\""));
    }
    out.push(diagnostic);
    None
}

fn suggest_slug(value: &str) -> String {
    let lowered: String = value
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    lowered
        .split('-')
        .filter(|p| !p.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-")
}

/// Checks a `MAJOR.MINOR.PATCH` version.
pub fn version(source: &Source, text: &Text, out: &mut Vec<Diagnostic>) -> Option<String> {
    let parts: Vec<&str> = text.value.split('.').collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 9 && p.chars().all(|c| c.is_ascii_digit()))
    {
        return Some(text.value.clone());
    }
    out.push(
        Diagnostic::error(
            "bad-version",
            format!(
                "version `{}` must be three numbers like \"1.0.0\"",
                text.value
            ),
        )
        .at(source, text.span.clone())
        .label("not MAJOR.MINOR.PATCH")
        .hint(
            "raise the middle number when you reword days, the first when you change the programme",
        ),
    );
    None
}

/// Checks that a link is a secure web address.
pub fn url(source: &Source, text: &Text, out: &mut Vec<Diagnostic>) -> Option<String> {
    let value = text.value.trim();
    let host = value.strip_prefix("https://").unwrap_or("");
    if !host.is_empty() && !host.starts_with('/') && !value.chars().any(char::is_whitespace) {
        return Some(value.to_string());
    }
    let hint = if let Some(rest) = value.strip_prefix("http://") {
        format!("use the secure address \"https://{rest}\"")
    } else {
        "a link must be a full web address starting with https://".to_string()
    };
    out.push(
        Diagnostic::error(
            "bad-url",
            format!("`{value}` is not a web address muster can link to"),
        )
        .at(source, text.span.clone())
        .label("not an https:// address")
        .hint(hint),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(source: &Source, needle: &str) -> Text {
        let start = source.text.find(needle).unwrap();
        Text {
            value: needle.trim_matches('"').to_string(),
            span: start..start + needle.len(),
        }
    }

    #[test]
    fn blank_text_is_an_error() {
        let source = Source::new("d.toml", "why = \"  \"");
        let mut out = Vec::new();
        assert_eq!(
            text(&source, &at(&source, "\"  \""), "`why`", 10, &mut out),
            None
        );
        assert_eq!(out[0].message, "`why` is empty");
        assert!(out[0].is_error());
    }

    #[test]
    fn long_text_warns_then_errors() {
        let long = format!("\"{}\"", "a".repeat(11));
        let source = Source::new("d.toml", format!("why = {long}"));
        let mut out = Vec::new();
        assert!(text(&source, &at(&source, &long), "`why`", 10, &mut out).is_some());
        assert_eq!(out[0].severity, super::super::diagnostic::Severity::Warning);
        let longer = format!("\"{}\"", "a".repeat(31));
        let source = Source::new("d.toml", format!("why = {longer}"));
        let mut out = Vec::new();
        text(&source, &at(&source, &longer), "`why`", 10, &mut out);
        assert!(out[0].is_error());
        assert_eq!(
            out[0].message,
            "`why` is 31 characters: far too long to read on a phone"
        );
    }

    #[test]
    fn numbers_outside_their_range_are_errors() {
        let source = Source::new("d.toml", "points = 500");
        let int = Int {
            value: 500,
            span: (9, 12),
        };
        let mut out = Vec::new();
        assert_eq!(number(&source, &int, "points", 0..=100, &mut out), None);
        assert_eq!(
            out[0].message,
            "`points` is 500, but it must be between 0 and 100"
        );
        assert_eq!(out[0].column, Some(10));
        let ok = Int {
            value: 100,
            span: (9, 12),
        };
        assert_eq!(
            number(&source, &ok, "points", 0..=100, &mut Vec::new()),
            Some(100)
        );
    }

    #[test]
    fn slugs_are_lower_case_with_single_hyphens() {
        let mut out = Vec::new();
        for good in ["digital-confidence", "day1", "a"] {
            let source = Source::new("p.toml", format!("\"{good}\""));
            assert!(
                slug(
                    &source,
                    &at(&source, &format!("\"{good}\"")),
                    "id",
                    &mut out
                )
                .is_some()
            );
        }
        assert!(out.is_empty());
        for bad in ["Digital Confidence", "a--b", "-a", "", "é"] {
            let source = Source::new("p.toml", format!("\"{bad}\""));
            assert!(slug(&source, &at(&source, &format!("\"{bad}\"")), "id", &mut out).is_none());
        }
        assert_eq!(out.len(), 5);
        assert_eq!(out[0].hint.as_deref(), Some("try \"digital-confidence\""));
    }

    #[test]
    fn versions_are_three_numbers() {
        let mut out = Vec::new();
        for (value, ok) in [
            ("1.0.0", true),
            ("1.0", false),
            ("v1.0.0", false),
            ("1.2.x", false),
        ] {
            let source = Source::new("p.toml", format!("\"{value}\""));
            assert_eq!(
                version(&source, &at(&source, &format!("\"{value}\"")), &mut out).is_some(),
                ok,
                "{value}"
            );
        }
    }

    #[test]
    fn links_must_be_https() {
        let mut out = Vec::new();
        let source = Source::new("d.toml", "\"http://example.org/x\"");
        assert!(url(&source, &at(&source, "\"http://example.org/x\""), &mut out).is_none());
        assert_eq!(
            out[0].hint.as_deref(),
            Some("use the secure address \"https://example.org/x\"")
        );
        let source = Source::new("d.toml", "\"https://www.police.uk/\"");
        assert!(
            url(
                &source,
                &at(&source, "\"https://www.police.uk/\""),
                &mut out
            )
            .is_some()
        );
    }
}
