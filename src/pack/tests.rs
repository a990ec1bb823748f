//! Unit tests for the checker's rules, each on a small pack written into a temporary folder.
//!
//! Every test starts from a valid seven-day pack (`PACK` and `day(1)` to `day(7)`), changes one file,
//! and compares everything the checker found, one line per diagnostic, with what it should find.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use super::*;

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

// ---------------------------------------------------------------------------------------------
// A valid pack and what it loads into

#[test]
fn a_valid_pack_loads_with_no_diagnostics() {
    let loaded = check(&[]);
    assert_eq!(found(&loaded), Vec::<String>::new());
    assert_eq!(loaded.id.as_deref(), Some("test-pack"));
    let pack = loaded.pack.expect("a valid pack loads");
    assert_eq!(
        (
            pack.id.as_str(),
            pack.title.as_str(),
            pack.summary.as_str(),
            pack.version.as_str(),
            pack.author.as_str(),
            pack.audience.as_str(),
            pack.length,
        ),
        (
            "test-pack",
            "Test pack",
            "A pack for the tests.",
            "1.0.0",
            "Tests",
            "Testers",
            7
        )
    );
    assert!(pack.tags.is_empty());
    assert_eq!(pack.scoring, Scoring::default());
    assert_eq!(
        pack.badges,
        [Badge {
            id: "first".into(),
            name: "First".into(),
            description: "First day.".into(),
            icon: "🥾".into(),
            rule: BadgeRule::FirstCompletion,
        }]
    );
    assert_eq!(
        pack.days.iter().map(|d| d.number).collect::<Vec<_>>(),
        (1..=7).collect::<Vec<_>>()
    );
    assert_eq!(
        pack.day(3),
        Some(&Day {
            number: 3,
            title: "Day 3".into(),
            habit: None,
            why: "Why 3.".into(),
            action: "Do thing 3.".into(),
            prompts: vec!["How was 3?".into()],
            points: None,
            minutes: 5,
            links: vec![],
            variants: vec![],
        })
    );
    assert_eq!(pack.completion_points(pack.day(3).unwrap()), 10);
}

#[test]
fn the_default_scoring_is_the_one_the_readme_documents() {
    assert_eq!(
        Scoring::default(),
        Scoring {
            completion: 10,
            reflection_bonus: 5,
            streak_bonus: 2,
            streak_bonus_cap: 10,
            late_completion: 5,
            catch_up_days: 2,
            rest_days: 4,
            team_score: TeamScore::PerMember,
        }
    );
}

#[test]
fn scoring_keys_left_out_take_their_defaults() {
    let loaded = check_pack(&with_scoring(
        "completion = 20\nrest_days = 7\nteam_score = \"sum\"",
    ));
    assert_eq!(found(&loaded), Vec::<String>::new());
    assert_eq!(
        loaded.pack.unwrap().scoring,
        Scoring {
            completion: 20,
            rest_days: 7,
            team_score: TeamScore::Sum,
            ..Scoring::default()
        }
    );
}

#[test]
fn length_defaults_to_thirty_days() {
    let fixture = pack(&PACK.replace("length = 7\n", ""), &[]);
    for n in 8..=30 {
        fixture.write(&format!("days/{n:02}.toml"), day(n));
    }
    let loaded = fixture.load();
    assert_eq!(found(&loaded), Vec::<String>::new());
    let pack = loaded.pack.unwrap();
    assert_eq!(pack.length, 30);
    assert_eq!(pack.days.len(), 30);
}

#[test]
fn tags_are_read_in_order() {
    let loaded = check_pack(&PACK.replace(
        "length = 7\n",
        "length = 7\ntags = [\"wellbeing\", \"peer-support\"]\n",
    ));
    assert_eq!(found(&loaded), Vec::<String>::new());
    assert_eq!(loaded.pack.unwrap().tags, ["wellbeing", "peer-support"]);
}

#[test]
fn every_badge_rule_and_its_parameter_is_read() {
    let rules = [
        ("rule = \"streak\"\ndays = 7", BadgeRule::Streak { days: 7 }),
        (
            "rule = \"completions\"\ncount = 5",
            BadgeRule::Completions { count: 5 },
        ),
        ("rule = \"all_days\"", BadgeRule::AllDays),
        (
            "rule = \"reflections\"\ncount = 3",
            BadgeRule::Reflections { count: 3 },
        ),
        (
            "rule = \"reactions_received\"\ncount = 500",
            BadgeRule::ReactionsReceived { count: 500 },
        ),
        (
            "rule = \"first_in_team\"",
            BadgeRule::FirstInTeam { count: 1 },
        ),
        (
            "rule = \"team_full_day\"\ncount = 2",
            BadgeRule::TeamFullDay { count: 2 },
        ),
        (
            "rule = \"comeback\"\ncount = 3",
            BadgeRule::Comeback { count: 3 },
        ),
        ("rule = \"comeback\"", BadgeRule::Comeback { count: 1 }),
        (
            "rule = \"team_full_day\"",
            BadgeRule::TeamFullDay { count: 1 },
        ),
    ];
    let blocks: String = (rules.iter().enumerate())
        .map(|(i, (rule, _))| badge(&format!("badge-{i}"), rule))
        .collect();
    let pack_toml = format!("{PACK}{blocks}");
    let loaded = check_pack(&pack_toml);
    assert_eq!(found(&loaded), Vec::<String>::new());
    let badges = loaded.pack.unwrap().badges;
    let read: Vec<BadgeRule> = badges.iter().map(|b| b.rule).collect();
    let expected: Vec<BadgeRule> = std::iter::once(BadgeRule::FirstCompletion)
        .chain(rules.iter().map(|(_, rule)| *rule))
        .collect();
    assert_eq!(read, expected);
    assert_eq!(
        (badges[3].id.as_str(), badges[3].icon.as_str()),
        ("badge-2", "🏅")
    );
}

#[test]
fn habits_points_links_and_variants_are_read() {
    let day3 = r#"day = 3
title = "Ask again"
habit = "check-in"
why = "People say fine."
action = "Ask a colleague twice how they are."
prompts = ["What did you hear?", "What will you do next time?"]
points = 15
minutes = 10

[[link]]
title = "Oscar Kilo"
url = "https://www.oscarkilo.org.uk/"

[[variant]]
title = "At handover"
action = "Ask the next shift one question about them."
prompts = ["How did they respond?"]

[[variant]]
action = "Ask someone on the radio channel how their shift is going."
"#;
    let day5 = day(5).replace("minutes", "habit = \"check-in\"\nminutes");
    let loaded = check(&[("days/03.toml", day3), ("days/05.toml", &day5)]);
    assert_eq!(found(&loaded), Vec::<String>::new());
    let pack = loaded.pack.unwrap();
    let day = pack.day(3).unwrap();
    assert_eq!(
        day,
        &Day {
            number: 3,
            title: "Ask again".into(),
            habit: Some("check-in".into()),
            why: "People say fine.".into(),
            action: "Ask a colleague twice how they are.".into(),
            prompts: vec![
                "What did you hear?".into(),
                "What will you do next time?".into()
            ],
            points: Some(15),
            minutes: 10,
            links: vec![Link {
                title: "Oscar Kilo".into(),
                url: "https://www.oscarkilo.org.uk/".into(),
            }],
            variants: vec![
                Variant {
                    title: Some("At handover".into()),
                    action: "Ask the next shift one question about them.".into(),
                    prompts: vec!["How did they respond?".into()],
                },
                Variant {
                    title: None,
                    action: "Ask someone on the radio channel how their shift is going.".into(),
                    prompts: vec![],
                },
            ],
        }
    );
    assert_eq!(pack.completion_points(day), 15);
    assert_eq!(pack.day(5).unwrap().habit.as_deref(), Some("check-in"));
}

#[test]
fn text_is_trimmed_and_multi_line_text_is_kept() {
    let day3 = day(3).replace(
        "why = \"Why 3.\"",
        "why = \"\"\"\nFirst line,\nsecond line.\n\"\"\"",
    );
    let loaded = check(&[("days/03.toml", &day3)]);
    assert_eq!(found(&loaded), Vec::<String>::new());
    assert_eq!(
        loaded.pack.unwrap().day(3).unwrap().why,
        "First line,\nsecond line."
    );
}

#[test]

fn days_are_read_in_order_even_when_file_names_are_not() {
    // Files named 3.toml and 10.toml sort as 1, 10, 2, ...; the pack's days must still run 1 to 10.
    let fixture = pack(&PACK.replace("length = 7", "length = 10"), &[]);
    fs::remove_dir_all(fixture.root.join("days")).unwrap();
    for n in 1..=10 {
        fixture.write(&format!("days/{n}.toml"), day(n));
    }
    let loaded = fixture.load();
    assert_eq!(found(&loaded), Vec::<String>::new());
    let numbers: Vec<u32> = loaded.pack.unwrap().days.iter().map(|d| d.number).collect();
    assert_eq!(numbers, (1..=10).collect::<Vec<_>>());
}

#[test]

fn days_are_in_order_when_files_are_numbered_out_of_order() {
    // Day 3 in 04.toml and day 4 in 03.toml: warned about, and still in order in the pack.
    let loaded = check(&[("days/03.toml", &day(4)), ("days/04.toml", &day(3))]);
    assert_eq!(loaded.errors(), 0, "{:#?}", found(&loaded));
    let numbers: Vec<u32> = loaded.pack.unwrap().days.iter().map(|d| d.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn a_pack_with_errors_keeps_its_id_and_counts_but_not_its_model() {
    let loaded = check(&[(
        "days/03.toml",
        &day(3).replace("minutes = 5", "minutes = 20"),
    )]);
    assert!(loaded.pack.is_some(), "warnings alone do not stop a pack");
    assert_eq!((loaded.errors(), loaded.warnings()), (0, 1));

    let loaded = check(&[(
        "days/03.toml",
        &day(3).replace("minutes = 5", "minutes = 0"),
    )]);
    assert!(loaded.pack.is_none());
    assert_eq!(loaded.id.as_deref(), Some("test-pack"));
    assert_eq!((loaded.errors(), loaded.warnings()), (1, 0));
}

#[test]
fn diagnostics_are_sorted_pack_toml_first_then_by_file_line_and_column() {
    let day3 = day(3)
        .replace("minutes = 5", "minutes = 0")
        .replace("day = 3", "dya = 3\nday = 3");
    let fixture = pack(&PACK.replace("1.0.0", "1.0"), &[("days/03.toml", &day3)]);
    fixture.write("days/02.toml", day(2).replace("title", "titl"));
    assert_eq!(
        found(&fixture.load()),
        [
            "error bad-version pack.toml:4:11 version `1.0` must be three numbers like \"1.0.0\"",
            "error missing-key days/02.toml:1:1 `title` is missing from a day",
            "error unknown-key days/02.toml:2:1 `titl` is not a key of a day",
            "error unknown-key days/03.toml:1:1 `dya` is not a key of a day",
            "error out-of-range days/03.toml:7:11 `minutes` is 0, but it must be between 1 and 60",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Syntax, keys and types

#[test]
fn syntax_errors_point_at_the_mistake() {
    let loaded = check(&[("days/03.toml", "day = 3\ntitle = \"Day 3\nwhy = \"x\"\n")]);
    let syntax: Vec<_> = found(&loaded)
        .into_iter()
        .filter(|d| d.contains("syntax"))
        .collect();
    assert_eq!(
        syntax,
        [
            "error syntax days/03.toml:2:15 this is not valid TOML: invalid basic string, expected `\"`"
        ]
    );
    assert_eq!(
        hint(&loaded, "syntax"),
        "see the \"TOML in two minutes\" section of challenges/README.md"
    );
}

#[test]

fn a_broken_day_file_is_not_also_a_missing_day() {
    let loaded = check(&[("days/03.toml", "day = 3\ntitle = \"Day 3\n")]);
    assert_eq!(
        found(&loaded),
        [
            "error syntax days/03.toml:2:15 this is not valid TOML: invalid basic string, expected `\"`"
        ]
    );
    let loaded = check(&[("days/03.toml", &day(3).replace("day = 3", "day = \"3\""))]);
    assert_eq!(
        found(&loaded),
        ["error wrong-type days/03.toml:1:7 `day` should be a whole number, not text"]
    );
    let fixture = pack(PACK, &[]);
    fixture.write("days/03.toml", b"day = 3\ntitle = \"Caf\xe9\"\n");
    let found = found(&fixture.load());
    assert!(
        found.iter().all(|d| !d.contains("missing-day")),
        "{found:#?}"
    );
}

#[test]

fn a_syntax_error_is_reported_once() {
    let loaded = check(&[("days/03.toml", &format!("{}x = [[[[[\n", day(3)))]);
    let mut syntax: Vec<_> = found(&loaded)
        .into_iter()
        .filter(|d| d.contains("syntax"))
        .collect();
    let all = syntax.len();
    syntax.dedup();
    assert_eq!(all, syntax.len(), "{syntax:#?}");
}

#[test]
fn unknown_keys_suggest_the_nearest_known_key() {
    let loaded = check(&[("days/03.toml", &day(3).replace("title", "titel"))]);
    assert_eq!(
        found(&loaded),
        [
            "error missing-key days/03.toml:1:1 `title` is missing from a day",
            "error unknown-key days/03.toml:2:1 `titel` is not a key of a day",
        ]
    );
    assert_eq!(hint(&loaded, "unknown-key"), "did you mean `title`?");
    assert_eq!(
        hint(&loaded, "missing-key"),
        "add a line `title = ...`; challenges/README.md describes it"
    );
}

#[test]
fn unknown_keys_without_a_near_miss_list_the_known_keys() {
    let loaded = check_pack(&PACK.replace("length = 7\n", "length = 7\ncolour = \"red\"\n"));
    assert_eq!(
        found(&loaded),
        ["error unknown-key pack.toml:8:1 `colour` is not a key of pack.toml"]
    );
    assert_eq!(
        hint(&loaded, "unknown-key"),
        "the keys of pack.toml are `id`, `title`, `summary`, `version`, `author`, `audience`, \
         `length`, `tags`, `scoring` and `badge`"
    );
}

#[test]
fn unknown_keys_are_found_in_every_kind_of_table() {
    let scoring = check_pack(&with_scoring("completon = 10"));
    assert_eq!(
        found(&scoring),
        ["error unknown-key pack.toml:17:1 `completon` is not a key of the [scoring] section"]
    );
    assert_eq!(hint(&scoring, "unknown-key"), "did you mean `completion`?");

    let badge = check_pack(&PACK.replace("icon =", "icno = \"🥾\"\nicon ="));
    assert_eq!(
        found(&badge),
        ["error unknown-key pack.toml:13:1 `icno` is not a key of a [[badge]]"]
    );

    let extras = "\n[[link]]\ntitle = \"Guide\"\nhref = \"https://example.org/\"\n\n\
                  [[variant]]\naction = \"Do it another way.\"\nprompt = [\"Why?\"]\n";
    let day = check(&[("days/03.toml", &format!("{}{extras}", day(3)))]);
    assert_eq!(
        found(&day),
        [
            "error missing-key days/03.toml:8:1 `url` is missing from a [[link]]",
            "error unknown-key days/03.toml:10:1 `href` is not a key of a [[link]]",
            "error unknown-key days/03.toml:14:1 `prompt` is not a key of a [[variant]]",
        ]
    );
}

#[test]
fn missing_keys_point_at_the_start_of_their_table() {
    let top = check_pack(&PACK.replace("author = \"Tests\"\n", ""));
    assert_eq!(
        found(&top),
        ["error missing-key pack.toml:1:1 `author` is missing from pack.toml"]
    );
    let badge = check_pack(&PACK.replace("name = \"First\"\n", ""));
    assert_eq!(
        found(&badge),
        ["error missing-key pack.toml:9:1 `name` is missing from a [[badge]]"]
    );
    let day = check(&[("days/03.toml", &day(3).replace("minutes = 5\n", ""))]);
    assert_eq!(
        found(&day),
        ["error missing-key days/03.toml:1:1 `minutes` is missing from a day"]
    );
}

#[test]
fn a_number_in_quotes_is_the_wrong_type() {
    let loaded = check(&[(
        "days/03.toml",
        &day(3).replace("minutes = 5", "minutes = \"5\""),
    )]);
    assert_eq!(
        found(&loaded),
        ["error wrong-type days/03.toml:6:11 `minutes` should be a whole number, not text"]
    );
    assert_eq!(
        hint(&loaded, "wrong-type"),
        "remove the quotes around the number"
    );
}

#[test]
fn text_without_quotes_is_the_wrong_type() {
    let loaded = check(&[("days/03.toml", &day(3).replace("\"Day 3\"", "3.5"))]);
    assert_eq!(
        found(&loaded),
        ["error wrong-type days/03.toml:2:9 `title` should be text, not a decimal number"]
    );
    assert_eq!(
        hint(&loaded, "wrong-type"),
        "put the text between double quotes"
    );
}

#[test]
fn lists_sections_and_blocks_of_the_wrong_type_are_named() {
    let loaded = check(&[(
        "days/03.toml",
        &day(3).replace("[\"How was 3?\"]", "[\"How?\", 2, true]"),
    )]);
    assert_eq!(
        found(&loaded),
        [
            "error wrong-type days/03.toml:5:20 `prompts` should be a list of text, not a whole number",
            "error wrong-type days/03.toml:5:23 `prompts` should be a list of text, not true or false",
        ]
    );
    let loaded =
        check_pack(&PACK.replace("length = 7\n", "length = 7\nscoring = 3\ntags = \"one\"\n"));
    assert_eq!(
        found(&loaded),
        [
            "error wrong-type pack.toml:8:11 `scoring` should be a section `[scoring]`, not a whole number",
            "error wrong-type pack.toml:9:8 `tags` should be a list of text in square brackets, not text",
        ]
    );
    let loaded = check_pack(&PACK.replace("[[badge]]", "[badge]"));
    assert_eq!(
        found(&loaded),
        [
            "error wrong-type pack.toml:9:1 `badge` should be a list of `[[badge]]` blocks, not a table"
        ]
    );
    let loaded = check(&[(
        "days/03.toml",
        &format!("{}link = \"https://x.org/\"\n", day(3)),
    )]);
    assert_eq!(
        found(&loaded),
        [
            "error wrong-type days/03.toml:7:8 `link` should be a list of `[[link]]` blocks, not text"
        ]
    );
}

#[test]

fn a_prompt_outside_a_list_is_told_to_use_square_brackets() {
    let loaded = check(&[(
        "days/03.toml",
        &day(3).replace("[\"How was 3?\"]", "\"How?\""),
    )]);
    assert_eq!(
        found(&loaded),
        [
            "error wrong-type days/03.toml:5:11 `prompts` should be a list of text in square brackets, not text"
        ]
    );
    assert!(
        hint(&loaded, "wrong-type").contains('['),
        "{}",
        hint(&loaded, "wrong-type")
    );
}

// ---------------------------------------------------------------------------------------------
// Values: text, numbers, ids, versions, links

#[test]
fn blank_text_is_empty() {
    let loaded = check(&[("days/03.toml", &day(3).replace("\"Why 3.\"", "\"  \""))]);
    assert_eq!(
        found(&loaded),
        ["error empty-text days/03.toml:3:7 `why` is empty"]
    );
    assert_eq!(
        hint(&loaded, "empty-text"),
        "write `why`, or remove the line if it is optional"
    );
}

#[test]
fn text_over_its_limit_warns_and_over_three_times_is_an_error() {
    let title = |n: usize| day(3).replace("Day 3", &"x".repeat(n));
    assert_eq!(
        found(&check(&[("days/03.toml", &title(60))])),
        Vec::<String>::new()
    );
    let loaded = check(&[("days/03.toml", &title(61))]);
    assert_eq!(
        found(&loaded),
        [
            "warning text-too-long days/03.toml:2:9 the title is 61 characters: too long to read on a phone at a glance"
        ]
    );
    assert_eq!(
        hint(&loaded, "text-too-long"),
        "keep it under 60 characters so it fits one screen"
    );
    assert_eq!(found(&check(&[("days/03.toml", &title(180))])).len(), 1);
    let loaded = check(&[("days/03.toml", &title(181))]);
    assert_eq!(
        found(&loaded),
        [
            "error text-too-long days/03.toml:2:9 the title is 181 characters: far too long to read on a phone"
        ]
    );
    assert_eq!(
        hint(&loaded, "text-too-long"),
        "keep it under 60 characters (it must be under 180)"
    );
}

#[test]
fn text_length_counts_characters_not_bytes() {
    let loaded = check(&[("days/03.toml", &day(3).replace("Day 3", &"é".repeat(60)))]);
    assert_eq!(found(&loaded), Vec::<String>::new());
    let prompt = "🚓".repeat(161);
    let loaded = check(&[("days/03.toml", &day(3).replace("How was 3?", &prompt))]);
    assert_eq!(
        found(&loaded),
        [
            "warning text-too-long days/03.toml:5:12 a prompt is 161 characters: too long to read on a phone at a glance"
        ]
    );
}

#[test]
fn points_and_minutes_must_be_in_range() {
    let loaded = check(&[(
        "days/03.toml",
        &day(3).replace("minutes = 5", "points = 500\nminutes = 0"),
    )]);
    assert_eq!(
        found(&loaded),
        [
            "error out-of-range days/03.toml:6:10 `points` is 500, but it must be between 0 and 100",
            "error out-of-range days/03.toml:7:11 `minutes` is 0, but it must be between 1 and 60",
        ]
    );
    let loaded = check(&[(
        "days/03.toml",
        &day(3).replace("minutes = 5", "minutes = -1"),
    )]);
    assert_eq!(
        found(&loaded),
        ["error out-of-range days/03.toml:6:11 `minutes` is -1, but it must be between 1 and 60"]
    );
    assert_eq!(hint(&loaded, "out-of-range"), "choose a value from 1 to 60");
}

#[test]
fn a_number_too_large_for_64_bits_is_out_of_range() {
    let loaded = check(&[(
        "days/03.toml",
        &day(3).replace("minutes = 5", "minutes = 99999999999999999999"),
    )]);
    assert_eq!(
        found(&loaded),
        ["error out-of-range days/03.toml:6:11 `minutes` is far too large"]
    );
}

#[test]
fn scoring_values_must_be_in_range() {
    let loaded = check_pack(&with_scoring(
        "completion = 101\ncatch_up_days = 8\nrest_days = 8",
    ));
    assert_eq!(
        found(&loaded),
        [
            "error out-of-range pack.toml:17:14 `completion` is 101, but it must be between 0 and 100",
            "error out-of-range pack.toml:18:17 `catch_up_days` is 8, but it must be between 0 and 7",
            "error out-of-range pack.toml:19:13 `rest_days` is 8, but it must be between 0 and 7",
        ]
    );
}

#[test]
fn the_length_must_be_seven_to_ninety_days() {
    let loaded = check_pack(&PACK.replace("length = 7", "length = 91"));
    assert!(
        found(&loaded).contains(
            &"error out-of-range pack.toml:7:10 `length` is 91, but it must be between 7 and 90"
                .to_string()
        ),
        "{:#?}",
        found(&loaded)
    );
}

#[test]

fn an_invalid_length_does_not_report_missing_days() {
    let loaded = check_pack(&PACK.replace("length = 7", "length = 3"));
    assert_eq!(
        found(&loaded),
        ["error out-of-range pack.toml:7:10 `length` is 3, but it must be between 7 and 90"]
    );
}

#[test]
fn ids_and_habits_must_be_slugs() {
    let loaded = check_pack(
        &PACK
            .replace("id = \"test-pack\"", "id = \"Test Pack\"")
            .replace("id = \"first\"", "id = \"First!\""),
    );
    assert_eq!(
        found(&loaded),
        [
            "error bad-id pack.toml:1:6 the pack id `Test Pack` must be lower case letters, digits and hyphens",
            "error bad-id pack.toml:10:6 the badge id `First!` must be lower case letters, digits and hyphens",
        ]
    );
    assert_eq!(
        loaded.diagnostics[0].hint.as_deref(),
        Some("try \"test-pack\"")
    );
    assert_eq!(loaded.diagnostics[1].hint.as_deref(), Some("try \"first\""));

    let loaded = check(&[(
        "days/03.toml",
        &day(3).replace("minutes", "habit = \"Peer Check\"\nminutes"),
    )]);
    assert_eq!(
        found(&loaded),
        [
            "error bad-id days/03.toml:6:9 the habit `Peer Check` must be lower case letters, digits and hyphens"
        ]
    );
}

#[test]
fn the_pack_id_must_match_its_folder() {
    let loaded = check_pack(&PACK.replace("\"test-pack\"", "\"other-pack\""));
    assert_eq!(
        found(&loaded),
        [
            "error id-mismatch pack.toml:1:6 the pack id `other-pack` does not match its folder `test-pack`"
        ]
    );
    assert_eq!(
        hint(&loaded, "id-mismatch"),
        "rename the folder to `other-pack` or set id = \"test-pack\""
    );
    assert_eq!(loaded.id.as_deref(), Some("other-pack"));
}

#[test]
fn versions_must_be_major_minor_patch() {
    let loaded = check_pack(&PACK.replace("\"1.0.0\"", "\"v1.0\""));
    assert_eq!(
        found(&loaded),
        ["error bad-version pack.toml:4:11 version `v1.0` must be three numbers like \"1.0.0\""]
    );
}

#[test]
fn links_must_be_https() {
    let link = "\n[[link]]\ntitle = \"Guide\"\nurl = \"http://example.org/x\"\n";
    let loaded = check(&[("days/03.toml", &format!("{}{link}", day(3)))]);
    assert_eq!(
        found(&loaded),
        [
            "error bad-url days/03.toml:10:7 `http://example.org/x` is not a web address muster can link to"
        ]
    );
    assert_eq!(
        hint(&loaded, "bad-url"),
        "use the secure address \"https://example.org/x\""
    );
}

// ---------------------------------------------------------------------------------------------
// Days

#[test]
fn a_missing_day_is_reported_at_the_length() {
    let loaded = check(&[("days/05.toml", "")]);
    assert_eq!(
        found(&loaded),
        ["error missing-day pack.toml:7:1 day 5 is missing: days must run 1 to 7"]
    );
    assert_eq!(
        hint(&loaded, "missing-day"),
        "add days/05.toml with `day = 5`"
    );
    assert_eq!(
        loaded.diagnostics[0].span,
        Some(PACK.find("length").unwrap()..PACK.find("length").unwrap() + 10)
    );
}

#[test]
fn a_missing_day_without_a_length_is_reported_at_the_top() {
    let fixture = pack(&PACK.replace("length = 7\n", ""), &[]);
    for n in 8..=29 {
        fixture.write(&format!("days/{n:02}.toml"), day(n));
    }
    assert_eq!(
        found(&fixture.load()),
        ["error missing-day pack.toml:1:1 day 30 is missing: days must run 1 to 30"]
    );
}

#[test]
fn a_day_defined_twice_is_reported_on_the_second() {
    let loaded = check(&[("days/03b.toml", &day(3))]);
    assert_eq!(
        found(&loaded),
        ["error duplicate-day days/03b.toml:1:7 day 3 is defined twice"]
    );
    assert_eq!(
        hint(&loaded, "duplicate-day").replace(&loaded.root.display().to_string(), "<pack>"),
        "day 3 is already <pack>/days/03.toml; give this one another number"
    );
}

#[test]
fn a_day_outside_the_pack_is_out_of_range() {
    let loaded = check(&[("days/08.toml", &day(8))]);
    assert_eq!(
        found(&loaded),
        [
            "error day-out-of-range days/08.toml:1:7 day 8 is outside this pack: days must run 1 to 7"
        ]
    );
    assert_eq!(
        hint(&loaded, "day-out-of-range"),
        "number the days 1 to 7, one file each"
    );
    let loaded = check(&[("days/00.toml", &day(0))]);
    assert_eq!(
        found(&loaded),
        [
            "error day-out-of-range days/00.toml:1:7 day 0 is outside this pack: days must run 1 to 7"
        ]
    );
}

#[test]
fn a_day_number_of_a_trillion_is_out_of_range_not_a_crash() {
    let loaded = check(&[(
        "days/08.toml",
        &day(8).replace("day = 8", "day = 1000000000000"),
    )]);
    assert_eq!(
        found(&loaded),
        [
            "error day-out-of-range days/08.toml:1:7 day 1000000000000 is outside this pack: days must run 1 to 7"
        ]
    );
    // 2^32 + 3 must not wrap round to day 3.
    let loaded = check(&[(
        "days/08.toml",
        &day(8).replace("day = 8", "day = 4294967299"),
    )]);
    assert_eq!(loaded.errors(), 1, "{:#?}", found(&loaded));
}

#[test]
fn a_file_named_for_another_day_is_warned_about() {
    let loaded = check(&[("days/03.toml", &day(4)), ("days/04.toml", &day(3))]);
    assert_eq!(
        found(&loaded),
        [
            "warning file-name days/03.toml:1:7 this file is named 03.toml but holds day 4",
            "warning file-name days/04.toml:1:7 this file is named 04.toml but holds day 3",
        ]
    );
    assert_eq!(
        loaded.diagnostics[0].hint.as_deref(),
        Some("rename the file to 04.toml so the days sort in order")
    );
}

#[test]
fn a_long_day_is_warned_about() {
    let loaded = check(&[(
        "days/03.toml",
        &day(3).replace("minutes = 5", "minutes = 16"),
    )]);
    assert_eq!(
        found(&loaded),
        ["warning long-day days/03.toml:6:11 16 minutes is a lot to find on shift"]
    );
    let loaded = check(&[(
        "days/03.toml",
        &day(3).replace("minutes = 5", "minutes = 15"),
    )]);
    assert_eq!(found(&loaded), Vec::<String>::new());
}

#[test]
fn empty_prompts_are_an_error() {
    let loaded = check(&[("days/03.toml", &day(3).replace("[\"How was 3?\"]", "[]"))]);
    assert_eq!(
        found(&loaded),
        [
            "error no-prompts days/03.toml:5:11 `prompts` is empty: a day needs at least one reflection prompt"
        ]
    );
    let blank = check(&[("days/03.toml", &day(3).replace("How was 3?", " "))]);
    assert_eq!(
        found(&blank),
        ["error empty-text days/03.toml:5:12 a prompt is empty"]
    );
}

#[test]
fn a_variant_that_repeats_the_action_is_warned_about() {
    let variant = "\n[[variant]]\naction = \"do THING 3!\"\n";
    let loaded = check(&[("days/03.toml", &format!("{}{variant}", day(3)))]);
    assert_eq!(
        found(&loaded),
        ["warning same-variant days/03.toml:9:10 this variant says the same as the day's action"]
    );
    let variant = "\n[[variant]]\naction = \"Another way.\"\nprompts = []\n";
    let loaded = check(&[("days/03.toml", &format!("{}{variant}", day(3)))]);
    assert_eq!(
        found(&loaded),
        [
            "error no-prompts days/03.toml:10:11 `prompts` is empty: a day needs at least one reflection prompt"
        ]
    );
    let variant = "\n[[variant]]\ntitle = \"Other\"\n";
    let loaded = check(&[("days/03.toml", &format!("{}{variant}", day(3)))]);
    assert_eq!(
        found(&loaded),
        ["error missing-key days/03.toml:8:1 `action` is missing from a [[variant]]"]
    );
}

#[test]
fn a_habit_on_one_day_only_is_warned_about() {
    let loaded = check(&[(
        "days/03.toml",
        &day(3).replace("minutes", "habit = \"walk\"\nminutes"),
    )]);
    assert_eq!(
        found(&loaded),
        ["warning lonely-habit days/03.toml:4:10 habit `walk` appears only on day 3"]
    );
    assert!(loaded.pack.is_some());
}

#[test]
fn a_habit_repeated_word_for_word_is_warned_about() {
    let with_habit = |n: u32, action: &str| {
        day(n)
            .replace("minutes", "habit = \"walk\"\nminutes")
            .replace(&format!("Do thing {n}."), action)
    };
    let loaded = check(&[
        ("days/03.toml", &with_habit(3, "Walk the beat.")),
        ("days/05.toml", &with_habit(5, "walk  the BEAT")),
        ("days/06.toml", &with_habit(6, "Walk the long way round.")),
    ]);
    assert_eq!(
        found(&loaded),
        [
            "warning repeated-action days/05.toml:4:10 day 5 repeats the action of day 3 word for word"
        ]
    );
}

#[test]

fn a_day_defined_twice_is_not_said_to_repeat_itself() {
    let day3 = day(3).replace("minutes", "habit = \"walk\"\nminutes");
    let day5 = day(5).replace("minutes", "habit = \"walk\"\nminutes");
    let loaded = check(&[
        ("days/03.toml", &day3),
        ("days/03b.toml", &day3),
        ("days/05.toml", &day5),
    ]);
    assert_eq!(
        found(&loaded),
        ["error duplicate-day days/03b.toml:1:7 day 3 is defined twice"]
    );
}

#[test]

fn a_habit_shared_with_a_broken_day_is_not_lonely() {
    let with_habit = |n: u32| day(n).replace("minutes", "habit = \"walk\"\nminutes");
    let loaded = check(&[
        (
            "days/03.toml",
            &with_habit(3).replace("minutes = 5", "minutes = 0"),
        ),
        ("days/05.toml", &with_habit(5)),
    ]);
    assert_eq!(
        found(&loaded),
        ["error out-of-range days/03.toml:7:11 `minutes` is 0, but it must be between 1 and 60"]
    );
}

#[test]
fn a_file_that_is_not_toml_in_days_is_skipped_with_a_warning() {
    let loaded = check(&[("days/notes.md", "# notes")]);
    assert_eq!(
        found(&loaded),
        [
            "warning not-a-day days/notes.md:-:- <pack>/days/notes.md is not a .toml file, so it is not read as a day"
        ]
    );
    assert!(loaded.pack.is_some());
}

#[test]
fn a_pack_without_a_days_folder_says_so() {
    let fixture = pack(PACK, &[]);
    fs::remove_dir_all(fixture.root.join("days")).unwrap();
    let loaded = fixture.load();
    let found = found(&loaded);
    assert!(
        found[0].starts_with("error no-days days:-:- cannot read the days folder <pack>/days"),
        "{found:#?}"
    );
    assert_eq!(
        found.len(),
        1,
        "one error, not a second one saying there are no days"
    );
}

#[test]
fn an_empty_days_folder_is_one_error_not_one_per_day() {
    let fixture = pack(PACK, &[]);
    fs::remove_dir_all(fixture.root.join("days")).unwrap();
    fs::create_dir(fixture.root.join("days")).unwrap();
    let loaded = fixture.load();
    assert_eq!(
        found(&loaded),
        ["error no-days pack.toml:7:1 this pack has no days: days must run 1 to 7"]
    );
}

#[test]
fn a_days_folder_with_hundreds_of_files_is_refused() {
    let fixture = pack(PACK, &[]);
    for n in 8..=401 {
        fixture.write(&format!("days/{n:03}.toml"), "");
    }
    let loaded = fixture.load();
    assert_eq!(
        found(&loaded),
        ["error too-many-files days:-:- <pack>/days holds more than 400 entries"]
    );
}

// ---------------------------------------------------------------------------------------------
// Scoring and badges

#[test]
fn a_streak_cap_below_the_bonus_is_an_error() {
    let loaded = check_pack(&with_scoring("streak_bonus = 5\nstreak_bonus_cap = 3"));
    assert_eq!(
        found(&loaded),
        [
            "error cap-below-bonus pack.toml:18:20 `streak_bonus_cap` is 3, less than `streak_bonus` (5)"
        ]
    );
    assert_eq!(
        hint(&loaded, "cap-below-bonus"),
        "set streak_bonus_cap to at least 5"
    );
    // Against the default cap of 10, the error points at the section.
    let loaded = check_pack(&with_scoring("streak_bonus = 20"));
    assert_eq!(
        found(&loaded),
        [
            "error cap-below-bonus pack.toml:16:1 `streak_bonus_cap` is 10, less than `streak_bonus` (20)"
        ]
    );
}

#[test]
fn a_late_completion_paying_more_than_on_time_is_warned_about() {
    let loaded = check_pack(&with_scoring("late_completion = 20"));
    assert_eq!(
        found(&loaded),
        [
            "warning late-pays-more pack.toml:17:19 a late completion earns 20 points, more than on time (10)"
        ]
    );
    assert!(loaded.pack.is_some());
}

#[test]
fn an_unknown_team_score_suggests_a_known_one() {
    let loaded = check_pack(&with_scoring("team_score = \"summ\""));
    assert_eq!(
        found(&loaded),
        ["error unknown-team-score pack.toml:17:14 `summ` is not a way to score teams"]
    );
    assert_eq!(hint(&loaded, "unknown-team-score"), "did you mean \"sum\"?");
    let loaded = check_pack(&with_scoring("team_score = \"average\""));
    assert_eq!(
        hint(&loaded, "unknown-team-score"),
        "use \"per_member\" (fair between teams of different sizes) or \"sum\""
    );
}

#[test]
fn a_pack_without_badges_is_warned_about() {
    let loaded = check_pack(&PACK[..PACK.find("\n[[badge]]").unwrap()]);
    assert_eq!(
        found(&loaded),
        ["warning no-badges pack.toml:1:1 this pack has no badges"]
    );
    assert_eq!(loaded.pack.unwrap().badges, []);
}

#[test]
fn two_badges_with_one_id_are_an_error() {
    let loaded = check_pack(&with_badge("first", "rule = \"all_days\""));
    assert_eq!(
        found(&loaded),
        ["error duplicate-badge pack.toml:17:6 there are two badges with the id `first`"]
    );
    assert_eq!(
        hint(&loaded, "duplicate-badge"),
        "the first is on line 10; give each badge its own id"
    );
}

#[test]
fn an_unknown_rule_suggests_a_known_one() {
    let loaded = check_pack(&with_badge("b", "rule = \"streek\"\ndays = 3"));
    assert_eq!(
        found(&loaded),
        ["error unknown-rule pack.toml:21:8 `streek` is not a badge rule"]
    );
    assert_eq!(hint(&loaded, "unknown-rule"), "did you mean \"streak\"?");
    let loaded = check_pack(&with_badge("b", "rule = \"xyz\""));
    assert_eq!(
        hint(&loaded, "unknown-rule"),
        "the rules are `first_completion`, `streak`, `completions`, `all_days`, `reflections`, \
         `reactions_received`, `first_in_team`, `team_full_day` and `comeback`"
    );
}

#[test]
fn a_parameter_of_another_rule_is_an_error() {
    let loaded = check_pack(&with_badge("b", "rule = \"streak\"\ncount = 3"));
    assert_eq!(
        found(&loaded),
        ["error wrong-parameter pack.toml:22:1 `count` does not apply to the `streak` rule"]
    );
    assert_eq!(hint(&loaded, "wrong-parameter"), "did you mean `days`?");
    let loaded = check_pack(&with_badge("b", "rule = \"all_days\"\ndays = 7"));
    assert_eq!(
        found(&loaded),
        ["error wrong-parameter pack.toml:22:1 `days` does not apply to the `all_days` rule"]
    );
    assert_eq!(
        hint(&loaded, "wrong-parameter"),
        "remove it: this rule takes no parameter"
    );
}

#[test]
fn a_rule_without_its_parameter_is_missing_it() {
    let loaded = check_pack(&with_badge("b", "rule = \"streak\""));
    assert_eq!(
        found(&loaded),
        ["error missing-key pack.toml:16:1 `days` is missing from a [[badge]]"]
    );
}

#[test]
fn a_badge_nobody_can_earn_is_an_error() {
    let cases = [
        (
            "rule = \"streak\"\ndays = 40",
            "error unreachable-badge pack.toml:22:8 a 40-day streak can never be met in a 7-day pack",
            "choose at most 7",
        ),
        (
            "rule = \"completions\"\ncount = 31",
            "error unreachable-badge pack.toml:22:9 31 completions can never be met in a 7-day pack",
            "choose at most 7",
        ),
        (
            "rule = \"comeback\"\ncount = 4",
            "error unreachable-badge pack.toml:22:9 4 comebacks (each needs a missed day before it) can never be met in a 7-day pack",
            "choose at most 3",
        ),
    ];
    for (rule, expected, expected_hint) in cases {
        let loaded = check_pack(&with_badge("b", rule));
        assert_eq!(found(&loaded), [expected]);
        assert_eq!(hint(&loaded, "unreachable-badge"), expected_hint);
    }
    // The most that can happen is fine.
    let loaded = check_pack(&with_badge("b", "rule = \"comeback\"\ncount = 3"));
    assert_eq!(found(&loaded), Vec::<String>::new());
}

#[test]
fn badge_parameters_below_their_least_or_absurdly_large_are_out_of_range() {
    let loaded = check_pack(&with_badge("b", "rule = \"streak\"\ndays = 1"));
    assert_eq!(
        found(&loaded),
        ["error out-of-range pack.toml:22:8 `days` is 1, but it must be between 2 and 7"]
    );
    let loaded = check_pack(&with_badge("b", "rule = \"reflections\"\ncount = 0"));
    assert_eq!(
        found(&loaded),
        ["error out-of-range pack.toml:22:9 `count` is 0, but it must be between 1 and 7"]
    );
    let loaded = check_pack(&with_badge("b", "rule = \"completions\"\ncount = 2000000"));
    assert_eq!(
        found(&loaded),
        ["error out-of-range pack.toml:22:9 `count` is 2000000, but it must be between 1 and 7"]
    );
}

#[test]
fn an_icon_must_be_an_emoji() {
    let loaded = check_pack(&PACK.replace("\"🥾\"", "\"boot\""));
    assert_eq!(
        found(&loaded),
        ["error bad-icon pack.toml:13:8 `boot` is not an icon"]
    );
    assert_eq!(
        hint(&loaded, "bad-icon"),
        "an icon is one emoji, such as \"🔥\""
    );
    for icon in ["\"\"", "\"🔥🔥🔥🔥🔥🔥🔥🔥🔥\""] {
        let loaded = check_pack(&PACK.replace("\"🥾\"", icon));
        assert_eq!(loaded.errors(), 1, "{icon}: {:#?}", found(&loaded));
    }
    // Emoji built of several code points are one icon.
    let loaded = check_pack(&PACK.replace("\"🥾\"", "\"👮‍♀️\""));
    assert_eq!(found(&loaded), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// Files the checker cannot or must not read

#[test]
fn a_missing_pack_toml_is_unreadable() {
    let fixture = pack(PACK, &[("pack.toml", "")]);
    let loaded = fixture.load();
    assert!(
        found(&loaded)[0].starts_with(
            "error unreadable pack.toml:-:- cannot read <pack>/pack.toml: No such file or directory"
        ),
        "{:#?}",
        found(&loaded)
    );
    assert_eq!(loaded.id, None);
    assert!(loaded.pack.is_none());
}

#[test]
fn a_file_that_is_not_utf8_is_reported_at_the_bad_byte() {
    let fixture = pack(PACK, &[]);
    fixture.write("days/08.toml", b"day = 8\ntitle = \"Caf\xe9\"\n");
    let loaded = fixture.load();
    assert_eq!(
        found(&loaded),
        [
            "error not-utf8 days/08.toml:2:13 <pack>/days/08.toml is not UTF-8 text (an unreadable byte at line 2, column 13)"
        ]
    );
    assert_eq!(
        hint(&loaded, "not-utf8"),
        "save the file as UTF-8 in your editor"
    );
}

#[test]
fn a_file_over_one_megabyte_is_refused_unread() {
    let fixture = pack(PACK, &[]);
    let big = fs::File::create(fixture.root.join("days/08.toml")).unwrap();
    big.set_len(20 * 1024 * 1024).unwrap();
    let loaded = fixture.load();
    assert_eq!(
        found(&loaded),
        [
            "error file-too-large days/08.toml:-:- <pack>/days/08.toml is 21.0 MB; a pack file may be at most 1 MB"
        ]
    );
    // Exactly the limit is read (and is then simply not a valid day).
    let fixture = pack(PACK, &[]);
    fixture.write("days/08.toml", " ".repeat(MAX_FILE_BYTES as usize));
    assert!(
        !found(&fixture.load())
            .iter()
            .any(|d| d.contains("file-too-large"))
    );
}

#[test]
fn a_folder_in_place_of_a_day_file_is_not_a_file() {
    let fixture = pack(PACK, &[]);
    fs::create_dir(fixture.root.join("days/08.toml")).unwrap();
    assert_eq!(
        found(&fixture.load()),
        ["error not-a-file days/08.toml:-:- <pack>/days/08.toml is not a regular file"]
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_a_day_file_is_not_opened() {
    let fixture = pack(PACK, &[]);
    let fifo = fixture.root.join("days/08.toml");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        found(&fixture.load()),
        ["error not-a-file days/08.toml:-:- <pack>/days/08.toml is not a regular file"]
    );
}

#[cfg(unix)]
#[test]
fn broken_and_looping_symlinks_in_days_are_unreadable() {
    use std::os::unix::fs::symlink;
    let fixture = pack(PACK, &[]);
    let days = fixture.root.join("days");
    symlink(days.join("nowhere.toml"), days.join("08.toml")).unwrap();
    symlink(days.join("09.toml"), days.join("09.toml")).unwrap();
    let loaded = fixture.load();
    let found = found(&loaded);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with("error unreadable days/08.toml:-:- cannot read <pack>/days/08.toml: "),
        "{found:#?}"
    );
    assert!(
        found[1].starts_with("error unreadable days/09.toml:-:- cannot read <pack>/days/09.toml: "),
        "{found:#?}"
    );
    assert_eq!(
        loaded.diagnostics[0].hint.as_deref(),
        Some("check the file exists and is readable")
    );
}

// ---------------------------------------------------------------------------------------------
// Finding packs

#[test]
fn discover_finds_pack_folders_and_notes_folders_that_are_not_packs() {
    let fixture = pack(PACK, &[]);
    let parent = fixture.root.parent().unwrap();
    fs::create_dir(parent.join("drafts")).unwrap();
    fs::write(parent.join("README.md"), "packs").unwrap();
    let (packs, notes) = discover(parent).unwrap();
    assert_eq!(packs, vec![fixture.root.clone()]);
    assert_eq!(notes.len(), 1);
    assert_eq!(
        (notes[0].severity, notes[0].code, notes[0].file.clone()),
        (Severity::Warning, "not-a-pack", parent.join("drafts"))
    );
    assert_eq!(
        notes[0].message,
        format!(
            "{} has no pack.toml, so it is not checked",
            parent.join("drafts").display()
        )
    );
    // A pack folder, and its pack.toml, each name that one pack.
    assert_eq!(
        discover(&fixture.root).unwrap().0,
        vec![fixture.root.clone()]
    );
    assert_eq!(
        discover(&fixture.root.join("pack.toml")).unwrap().0,
        vec![fixture.root.clone()]
    );
}

#[test]
fn discover_refuses_paths_that_name_no_pack() {
    let fixture = pack(PACK, &[]);
    let nowhere = fixture.root.join("nowhere");
    assert_eq!(
        discover(&nowhere).unwrap_err().to_string(),
        format!("{} does not exist", nowhere.display())
    );
    let day = fixture.root.join("days/01.toml");
    assert_eq!(
        discover(&day).unwrap_err().to_string(),
        format!(
            "{} is neither a pack folder, a folder of packs, nor a pack.toml",
            day.display()
        )
    );
}

#[cfg(unix)]
#[test]
fn discover_reports_a_symlink_loop_among_packs_as_unreadable() {
    let fixture = pack(PACK, &[]);
    let parent = fixture.root.parent().unwrap();
    std::os::unix::fs::symlink(parent.join("loop"), parent.join("loop")).unwrap();
    let (packs, notes) = discover(parent).unwrap();
    assert_eq!(packs, vec![fixture.root.clone()]);
    assert_eq!(notes.len(), 1);
    assert_eq!(
        (notes[0].severity, notes[0].code),
        (Severity::Error, "unreadable")
    );
    assert!(
        notes[0]
            .message
            .starts_with(&format!("cannot read {}: ", parent.join("loop").display())),
        "{}",
        notes[0].message
    );
}

#[test]
fn find_names_a_pack_by_id_or_by_path() {
    let fixture = pack(PACK, &[]);
    let parent = fixture.root.parent().unwrap();
    assert_eq!(find("test-pack", parent).unwrap(), parent.join("test-pack"));
    let by_path = fixture.root.display().to_string();
    assert_eq!(find(&by_path, Path::new("nowhere")).unwrap(), fixture.root);
    assert_eq!(
        find("no-such-pack", parent).unwrap_err().to_string(),
        format!(
            "no pack `no-such-pack` in {} (packs there: test-pack)",
            parent.display()
        )
    );
}
