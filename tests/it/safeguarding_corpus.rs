//! The safeguarding checker measured on two sets of sentences officers might write in an
//! end-of-shift reflection, some carrying a member of the public's or a case's details, the rest
//! near misses that must not be flagged:
//!
//! - the **corpus** (`tests/data/safeguarding_corpus.toml`), written alongside the rules: a
//!   regression set, kept at 0.95 precision and recall, where each flagged sentence must also
//!   get the kinds it lists;
//! - the **held-out set** (`tests/data/safeguarding_heldout.toml`), written by someone who had
//!   read neither the rules nor the corpus. It measures how the rules generalise, so it is never
//!   edited to suit them: precision at least 0.9, recall at least 0.95 (what the product
//!   promises).
//!
//! A sentence counts as flagged when `check` returns any flag. Precision and recall are printed
//! (run with `-- --nocapture`) with every sentence the checker got wrong.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use muster::rules::safeguarding::{Checker, Flag};
use serde::Deserialize;

/// The kinds a sentence may list, as `FlagKind`'s `Debug` spells them.
const KNOWN_KINDS: &[&str] = &[
    "CrimeReference",
    "IncidentReference",
    "CustodyReference",
    "PncId",
    "Phone",
    "Email",
    "Postcode",
    "Address",
    "VehicleRegistration",
    "DateOfBirth",
    "Name",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SentenceFile {
    sentence: Vec<Sentence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sentence {
    text: String,
    flag: bool,
    #[serde(default)]
    kinds: Vec<String>,
}

fn load(name: &str) -> Vec<Sentence> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: SentenceFile =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.sentence
}

fn corpus() -> Vec<Sentence> {
    load("safeguarding_corpus.toml")
}

fn held_out_again() -> Vec<Sentence> {
    load("safeguarding_heldout2.toml")
}

fn held_out() -> Vec<Sentence> {
    load("safeguarding_heldout.toml")
}

/// At least `min` sentences, no sentence twice, kinds exactly on the flagged sentences, every
/// kind known and every known kind expected somewhere.
fn assert_well_formed(sentences: &[Sentence], min: usize) {
    assert!(
        sentences.len() >= min,
        "only {} sentences, at least {min} wanted",
        sentences.len()
    );
    let mut texts = BTreeSet::new();
    for s in sentences {
        assert!(texts.insert(s.text.trim()), "twice: {:?}", s.text);
        if s.flag {
            assert!(!s.kinds.is_empty(), "no kinds for {:?}", s.text);
        } else {
            assert!(
                s.kinds.is_empty(),
                "kinds on a sentence not to flag: {:?}",
                s.text
            );
        }
        for kind in &s.kinds {
            assert!(
                KNOWN_KINDS.contains(&kind.as_str()),
                "unknown kind {kind:?} for {:?}",
                s.text
            );
        }
    }
    for kind in KNOWN_KINDS {
        assert!(
            sentences.iter().any(|s| s.kinds.iter().any(|k| k == kind)),
            "no sentence expects {kind}"
        );
    }
}

/// The kind's name as the sentence files spell it (`Phone`, `Name`...), and what was flagged.
fn describe(text: &str, flags: &[Flag]) -> String {
    let parts: Vec<String> = flags
        .iter()
        .map(|f| format!("{:?} {:?}", &text[f.start..f.end], f.kind))
        .collect();
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join(", ")
    }
}

/// How the checker did on one set of sentences.
struct Score {
    precision: f64,
    recall: f64,
    /// Each sentence flagged that should not have been, or missed.
    wrong: Vec<String>,
    /// Each flagged sentence that lacks a kind it lists.
    missing_kinds: Vec<String>,
}

fn score(name: &str, sentences: &[Sentence]) -> Score {
    let checker = Checker::standard();
    let (mut true_pos, mut false_pos, mut false_neg) = (0usize, 0usize, 0usize);
    let mut wrong = Vec::new();
    let mut missing_kinds = Vec::new();

    for s in sentences {
        let flags = checker.check(&s.text);
        match (s.flag, !flags.is_empty()) {
            (true, true) => true_pos += 1,
            (true, false) => {
                false_neg += 1;
                wrong.push(format!("  missed ({}): {:?}", s.kinds.join(", "), s.text));
            }
            (false, true) => {
                false_pos += 1;
                wrong.push(format!(
                    "  flagged but fine ({}): {:?}",
                    describe(&s.text, &flags),
                    s.text
                ));
            }
            (false, false) => {}
        }
        if s.flag && !flags.is_empty() {
            let found: BTreeSet<String> = flags.iter().map(|f| format!("{:?}", f.kind)).collect();
            let missing: Vec<&str> = s
                .kinds
                .iter()
                .filter(|k| !found.contains(k.as_str()))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                missing_kinds.push(format!(
                    "  {:?}: expected {} but found {}",
                    s.text,
                    missing.join(", "),
                    describe(&s.text, &flags)
                ));
            }
        }
    }

    let precision = true_pos as f64 / (true_pos + false_pos).max(1) as f64;
    let recall = true_pos as f64 / (true_pos + false_neg).max(1) as f64;
    println!(
        "safeguarding {name}: {} sentences, precision {precision:.3}, recall {recall:.3}",
        sentences.len()
    );
    for line in &wrong {
        println!("{line}");
    }
    Score {
        precision,
        recall,
        wrong,
        missing_kinds,
    }
}

fn assert_at_least(score: &Score, min_precision: f64, min_recall: f64) {
    assert!(
        score.precision >= min_precision && score.recall >= min_recall,
        "precision {:.3} (at least {min_precision}), recall {:.3} (at least {min_recall}); \
         misclassified:\n{}",
        score.precision,
        score.recall,
        score.wrong.join("\n")
    );
}

#[test]
fn corpus_is_well_formed() {
    let sentences = corpus();
    assert_well_formed(&sentences, 120);
    // Half and half, so that neither flagging everything nor nothing scores well.
    let flagged = sentences.iter().filter(|s| s.flag).count();
    let share = flagged as f64 / sentences.len() as f64;
    assert!(
        (0.4..=0.6).contains(&share),
        "{flagged} of {} must be flagged",
        sentences.len()
    );
}

#[test]
fn held_out_set_is_well_formed() {
    assert_well_formed(&held_out(), 150);
}

#[test]
fn precision_and_recall_on_the_corpus() {
    let score = score("corpus", &corpus());
    assert_at_least(&score, 0.95, 0.95);
    assert!(
        score.missing_kinds.is_empty(),
        "flagged sentences missing an expected kind:\n{}",
        score.missing_kinds.join("\n")
    );
}

/// Only whether a sentence is flagged is held to account here: the held-out kinds were written
/// without the rules, so a kind reported differently is shown, not failed.
#[test]
fn precision_and_recall_on_the_held_out_set() {
    let score = score("held-out set", &held_out());
    for line in &score.missing_kinds {
        println!("  kind differs: {line}");
    }
    assert_at_least(&score, 0.9, 0.95);
}

/// The second held-out set, written by another hand after the rules had been fitted to the
/// first (whose missed sentences the rule writer had seen), to measure generalisation afresh.
#[test]
fn precision_and_recall_on_the_second_held_out_set() {
    let sentences = held_out_again();
    assert_well_formed(&sentences, 150);
    let score = score("second held-out set", &sentences);
    assert_at_least(&score, 0.9, 0.95);
}
