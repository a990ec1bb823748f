//! Days: each day once, day files, habits and the days folder.

use super::*;

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
