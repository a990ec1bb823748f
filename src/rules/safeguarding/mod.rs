//! Safeguarding: find what looks like a member of the public's or a case's details in a
//! reflection before it is shared with colleagues.
//!
//! Officers share short end-of-shift reflections. Those must never carry a victim's name, a
//! crime reference, a phone number and the like. [`Checker::check`] returns the parts of a text
//! that look identifying, as byte ranges with a [`FlagKind`]; the person sees each part
//! highlighted (with [`FlagKind::describe`] saying why) and either edits the text or posts it
//! with [`redact`], which replaces each part with `[removed]`.
//!
//! What it looks for, by family: names (after a role word or title, or a common given name or
//! surname anywhere, in any case), ages and dates or years of birth, addresses (a house number
//! and street, a flat, a named estate, a street after "lives on"), postcodes, UK phone numbers
//! (01, 02 and 07, in any grouping, with +44 or 0044), emails (also spelled out: "jo at example
//! dot com"), vehicle registrations (current, prefix and suffix formats; dateless and Northern
//! Irish ones after "reg"), and the reference numbers of several forces: crime, case and URN,
//! incident and occurrence, custody, PNC ID and CRO.
//!
//! Design decisions:
//! - **Regular expressions, not a model.** The rules are deterministic, explainable ("a UK
//!   postcode") and testable sentence by sentence; nothing leaves the server; a force can add its
//!   own formats in configuration ([`Checker::with_extra`]). The `regex` crate runs in time linear
//!   in the text, so a hostile 100k-character reflection costs milliseconds, not minutes.
//! - **Err toward flagging.** A false alarm costs the officer one look; a miss can put a victim's
//!   details in front of a whole cohort. So a title followed by any capitalised word is a name
//!   ("Mr Blobby" included), and a full date before 2015 is taken for a date of birth.
//! - **But not so noisy that people stop reading the highlights.** What fills ordinary
//!   reflections is left alone: times, day counts, percentages, section numbers, 999 and 101,
//!   road numbers (B4135: a postcode needs its inward part and a real postcode area), collar
//!   numbers ("PC 1234" is staff, not public), "the victim" with no name after it, dates without
//!   a year, helplines (03 and 08 numbers belong to organisations; only 01, 02 and 07 numbers are
//!   flagged).
//! - **Rules for a family, not for a sentence.** The rules are measured on two sets of sentences
//!   (`tests/it/safeguarding_corpus.rs`): a corpus written alongside them, and a held-out set
//!   written by someone who had read neither, which they must never be tuned to.
//! - **Two kinds of evidence.** Context words ("crime ref", "custody", "DOB", "victim", "Mr")
//!   make a looser shape identifying; a distinctive shape (`20/123456/24`, `AB12 CDE`) is flagged
//!   on its own. Words just before or after a shape can also rule it out ("PC Sarah Jones" is a
//!   colleague, "junction 6 Gravelly Hill" is not a house, "the 10-year-old laptops" is not an
//!   age). When matches overlap they are merged, and the kind of the rule listed first wins
//!   (context-led rules come first), so `custody ref 20BE/1234/25` is a custody reference even
//!   though the same shape alone would read as a crime reference.
//! - **Flag the identifying part, not the context word**, so a redacted text still reads:
//!   "the IP, [removed], was grateful".
//! - **Case where it carries meaning.** After a role word a name must be capitalised: that is
//!   what tells "victim John" from "the victim was"; in lower case only a listed given name
//!   ("spoke to siobhan") or a word after "mr" or "mrs" is a name. Given names that are also
//!   words ("Will", "Mark", "Dawn", "Grace") are left out of the list. A registration in lower
//!   case with a gap must be one the DVLA could issue and not end in a short word, or "the mg11
//!   for" would be a plate. Postcodes are matched in
//!   any case, except that a lower-case inward part that reads as an ordinal ("M6 4th") is not.
//! - **Extra patterns are checked up front.** A force's pattern that does not compile, or that
//!   matches empty text (it would highlight nothing, or everything), is refused at start-up with
//!   its label, rather than silently doing nothing.
//! - **Limits.** A name with no trigger word is found only if its given name or surname is on
//!   the lists in `names.rs` (an unusual name alone, "Thandiwe was helpful", is missed), and a
//!   colleague named without a rank ("shout out to Sarah in control") or a famous name ("the
//!   Sherlock Holmes museum") is flagged. A street with no number and no word like "lives on" is
//!   not an address ("the RTC on London Road"). An officer's own old date ("joined on
//!   01/09/2009") is flagged as a date of birth. The checker is an aid; the person posting stays
//!   responsible for what they share.

use std::sync::{Arc, LazyLock};

use regex::Regex;

mod names;
mod rule;
mod standard;
mod words;

use rule::{Accept, Rule};
use standard::standard_rules;

/// One identifying-looking part of a text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Flag {
    /// Byte offset of the first byte, on a char boundary.
    pub start: usize,
    /// Byte offset just past the last byte, on a char boundary.
    pub end: usize,
    pub kind: FlagKind,
}

/// What a flagged part looks like.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum FlagKind {
    CrimeReference,
    IncidentReference,
    CustodyReference,
    PncId,
    Phone,
    Email,
    Postcode,
    /// A house number and street, a flat, or a named estate.
    Address,
    VehicleRegistration,
    DateOfBirth,
    Name,
    /// A pattern a force added in configuration, with its label.
    Custom(String),
}

impl FlagKind {
    /// Plain English for the officer: why this part is highlighted.
    pub fn describe(&self) -> String {
        match self {
            FlagKind::CrimeReference => "a crime, case or other reference number",
            FlagKind::IncidentReference => "an incident or log number",
            FlagKind::CustodyReference => "a custody reference",
            FlagKind::PncId => "a PNC ID or CRO number",
            FlagKind::Phone => "a UK phone number",
            FlagKind::Email => "an email address",
            FlagKind::Postcode => "a UK postcode",
            FlagKind::Address => "an address: a house number and street, a flat or an estate",
            FlagKind::VehicleRegistration => "a vehicle registration",
            FlagKind::DateOfBirth => "a date or year of birth, or an age",
            FlagKind::Name => "a name: after a word like 'victim', 'witness' or 'Mr', or a common given name or surname",
            FlagKind::Custom(label) => return label.clone(),
        }
        .to_string()
    }
}

/// A force's extra pattern could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SafeguardingError {
    #[error(
        "an extra safeguarding pattern (`{pattern}`) has an empty label: the label is what the officer is shown"
    )]
    EmptyLabel { pattern: String },
    #[error("the extra safeguarding pattern `{label}` is not a valid regular expression: {reason}")]
    InvalidPattern { label: String, reason: String },
    #[error(
        "the extra safeguarding pattern `{label}` matches empty text, so it would not highlight anything"
    )]
    MatchesEmpty { label: String },
}

/// Flags identifying-looking parts of a text. Compiled once; cloning is cheap (the rules are
/// shared), and it is `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Checker {
    rules: Arc<[Rule]>,
}

impl Checker {
    /// The built-in rules.
    pub fn standard() -> Checker {
        static STANDARD: LazyLock<Checker> = LazyLock::new(|| Checker {
            rules: standard_rules().into(),
        });
        STANDARD.clone()
    }

    /// The built-in rules plus extra patterns a force adds in configuration: (label, regex).
    /// The label is shown to the officer as the reason, so say what it is ("a Niche occurrence
    /// number"). Patterns are case-sensitive unless they start with `(?i)`.
    pub fn with_extra(extra: &[(String, String)]) -> Result<Checker, SafeguardingError> {
        let mut rules = standard_rules();
        for (label, pattern) in extra {
            if label.trim().is_empty() {
                return Err(SafeguardingError::EmptyLabel {
                    pattern: pattern.clone(),
                });
            }
            let regex = Regex::new(pattern).map_err(|e| SafeguardingError::InvalidPattern {
                label: label.clone(),
                reason: e.to_string(),
            })?;
            if regex.is_match("") {
                return Err(SafeguardingError::MatchesEmpty {
                    label: label.clone(),
                });
            }
            rules.push(Rule {
                regex,
                kind: FlagKind::Custom(label.clone()),
                accept: Accept::Whole,
                veto: None,
            });
        }
        Ok(Checker {
            rules: rules.into(),
        })
    }

    /// The identifying-looking parts of `text`, sorted by start and not overlapping.
    pub fn check(&self, text: &str) -> Vec<Flag> {
        let mut found = Vec::new();
        for (rank, rule) in self.rules.iter().enumerate() {
            for caps in rule.regex.captures_iter(text) {
                if let Some((start, end)) = rule.span(&caps)
                    && start < end
                {
                    found.push((start, end, rank));
                }
            }
        }
        found.sort_unstable();

        let mut merged: Vec<(usize, usize, usize)> = Vec::new();
        for (start, end, rank) in found {
            match merged.last_mut() {
                Some(last) if start < last.1 => {
                    last.1 = last.1.max(end);
                    last.2 = last.2.min(rank);
                }
                _ => merged.push((start, end, rank)),
            }
        }
        merged
            .into_iter()
            .map(|(start, end, rank)| Flag {
                start,
                end,
                kind: self.rules[rank].kind.clone(),
            })
            .collect()
    }
}

/// Replaces each flagged part of `text` with `[removed]`.
///
/// Meant for the flags [`Checker::check`] returned for this text, but safe with any: overlapping
/// flags are merged, ranges past the end are cut short, and a range that does not fall on char
/// boundaries is widened to them (removing a little more, never less).
pub fn redact(text: &str, flags: &[Flag]) -> String {
    let mut spans: Vec<(usize, usize)> = flags
        .iter()
        .map(|flag| {
            let mut start = flag.start.min(text.len());
            let mut end = flag.end.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            while !text.is_char_boundary(end) {
                end += 1;
            }
            (start, end)
        })
        .filter(|(start, end)| start < end)
        .collect();
    spans.sort_unstable();

    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for (start, end) in spans {
        if end <= cursor {
            continue;
        }
        if start >= cursor {
            out.push_str(&text[cursor..start]);
            out.push_str("[removed]");
        }
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    out
}

#[cfg(test)]
mod tests;
