//! Files the checker cannot or must not read.

use super::*;

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
