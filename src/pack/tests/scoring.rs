//! Scoring and badges: the `[scoring]` section and the `[[badge]]` blocks.

use super::*;

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
