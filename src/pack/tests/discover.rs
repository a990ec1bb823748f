//! Finding packs: `discover` and `find`.

use super::*;

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
