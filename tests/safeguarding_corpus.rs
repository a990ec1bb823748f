//! The safeguarding checker measured on a corpus of sentences officers might write in an
//! end-of-shift reflection (`tests/data/safeguarding_corpus.toml`): half must be flagged, half
//! are near misses that must not be.
//!
//! A sentence counts as flagged when `check` returns any flag. Precision and recall are printed
//! (run with `-- --nocapture`) and must both stay at 0.95 or above; a failure lists every
//! sentence the checker got wrong, and every flagged sentence missing a kind it should report.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use muster::rules::safeguarding::{Checker, Flag};
use serde::Deserialize;

const MIN_PRECISION: f64 = 0.95;
const MIN_RECALL: f64 = 0.95;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
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

fn corpus() -> Vec<Sentence> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/safeguarding_corpus.toml");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let corpus: Corpus =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    corpus.sentence
}

/// The kind's name as the corpus spells it (`Phone`, `Name`...), and what was flagged.
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

#[test]
fn corpus_is_well_formed() {
    let sentences = corpus();
    assert!(sentences.len() >= 120, "only {} sentences", sentences.len());
    let flagged = sentences.iter().filter(|s| s.flag).count();
    let share = flagged as f64 / sentences.len() as f64;
    assert!(
        (0.4..=0.6).contains(&share),
        "{flagged} of {} must be flagged",
        sentences.len()
    );
    let known = [
        "CrimeReference",
        "IncidentReference",
        "CustodyReference",
        "PncId",
        "Phone",
        "Email",
        "Postcode",
        "VehicleRegistration",
        "DateOfBirth",
        "Name",
    ];
    let mut texts = BTreeSet::new();
    for s in &sentences {
        assert!(
            texts.insert(s.text.as_str()),
            "twice in the corpus: {:?}",
            s.text
        );
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
                known.contains(&kind.as_str()),
                "unknown kind {kind:?} for {:?}",
                s.text
            );
        }
    }
    for kind in known {
        assert!(
            sentences.iter().any(|s| s.kinds.iter().any(|k| k == kind)),
            "no sentence expects {kind}"
        );
    }
}

#[test]
fn precision_and_recall_on_the_corpus() {
    let checker = Checker::standard();
    let sentences = corpus();
    let (mut true_pos, mut false_pos, mut false_neg) = (0usize, 0usize, 0usize);
    let mut wrong = Vec::new();
    let mut missing_kinds = Vec::new();

    for s in &sentences {
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
        "safeguarding corpus: {} sentences, precision {precision:.3}, recall {recall:.3}",
        sentences.len()
    );
    for line in &wrong {
        println!("{line}");
    }

    assert!(
        precision >= MIN_PRECISION && recall >= MIN_RECALL,
        "precision {precision:.3} (at least {MIN_PRECISION}), recall {recall:.3} (at least \
         {MIN_RECALL}); misclassified:\n{}",
        wrong.join("\n")
    );
    assert!(
        missing_kinds.is_empty(),
        "flagged sentences missing an expected kind:\n{}",
        missing_kinds.join("\n")
    );
}
