//! Syntax, keys and types: what the TOML reader reports.

use super::*;

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
