//! A valid pack and what it loads into.

use super::*;

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
