//! Values: text, numbers, ids, versions, links.

use super::*;

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
