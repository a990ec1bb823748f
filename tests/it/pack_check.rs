//! End-to-end tests of `muster pack check` and `muster pack show`: the real binary, run on the
//! shipped packs, on the broken packs in `tests/fixtures/`, and on hostile input made at test time.
//!
//! Every run must finish within `TIMEOUT` and must not panic, whatever it is given.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

const TIMEOUT: Duration = Duration::from_secs(10);
const FIXTURES: &str = "tests/fixtures";

/// What a run of muster did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }
}

/// Runs muster with `args` in the crate's folder, without colour.
fn muster(args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_muster"));
    command.args(args).env("NO_COLOR", "1");
    run(command)
}

/// Runs `command` in the crate's folder, failing the test if it takes longer than `TIMEOUT`, dies
/// from a signal or panics.
fn run(mut command: Command) -> Run {
    let description = format!("{command:?}");
    let mut child = command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("muster starts");
    // Read both pipes while waiting, so a large report cannot block the child.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.unwrap().read_to_end(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let code = wait(&mut child, &description);
    let run = Run {
        code,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "{description} panicked:\n{}",
        run.stderr
    );
    run
}

/// Waits for `child` to exit, at most `TIMEOUT`, and returns its exit code.
fn wait(child: &mut Child, description: &str) -> i32 {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status
                .code()
                .unwrap_or_else(|| panic!("{description} was killed by a signal: {status}"));
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{description} did not finish within {TIMEOUT:?}");
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// `pack check PATH --format json`.
fn check_json(path: &Path) -> Run {
    muster(&["pack", "check", path.to_str().unwrap(), "--format", "json"])
}

/// Each diagnostic of a JSON report as `severity code file:line:column message`, with `base`
/// removed from the front of files and replaced by `<pack>` in messages.
fn diagnostics(report: &Value, base: &Path) -> Vec<String> {
    let base = base.to_str().unwrap();
    report["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            let place = |v: &Value| v.as_u64().map_or("-".to_string(), |n| n.to_string());
            format!(
                "{} {} {}:{}:{} {}",
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                file.strip_prefix(&format!("{base}/")).unwrap_or(file),
                place(&d["line"]),
                place(&d["column"]),
                d["message"].as_str().unwrap().replace(base, "<pack>")
            )
        })
        .collect()
}

/// Checks the fixture `case`, which must fail with exit code 1 and a report consistent with itself,
/// and returns its diagnostics.
fn fixture(case: &str) -> Vec<String> {
    let path = Path::new(FIXTURES).join(case);
    let run = check_json(&path);
    assert_eq!(run.code, 1, "{case}: {}{}", run.stdout, run.stderr);
    let report = run.json();
    let found = diagnostics(&report, &path);
    let errors = found.iter().filter(|d| d.starts_with("error ")).count();
    assert_eq!(report["errors"], errors);
    assert_eq!(report["warnings"], found.len() - errors);
    let packs = report["packs"].as_array().unwrap();
    assert_eq!(packs.len(), 1);
    assert_eq!(packs[0]["path"], path.to_str().unwrap());
    assert_eq!(packs[0]["errors"], errors);
    if case != "id-mismatch" {
        assert_eq!(packs[0]["id"], case, "a fixture's folder is its id");
    }
    found
}

/// A copy of the good fixture named `name` (folder and id) in `dir`.
fn good_pack(dir: &Path, name: &str) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIXTURES)
        .join("good-pack");
    let to = dir.join(name);
    fs::create_dir_all(to.join("days")).unwrap();
    for entry in fs::read_dir(from.join("days")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join("days").join(entry.file_name())).unwrap();
    }
    let pack_toml = fs::read_to_string(from.join("pack.toml")).unwrap();
    fs::write(
        to.join("pack.toml"),
        pack_toml.replace("id = \"good-pack\"", &format!("id = \"{name}\"")),
    )
    .unwrap();
    to
}

/// Checks a copy of the good pack after `change` and returns the exit code and diagnostics.
fn check_changed(change: impl FnOnce(&Path)) -> (i32, Vec<String>) {
    let dir = TempDir::new().unwrap();
    let root = good_pack(dir.path(), "changed");
    change(&root);
    let run = check_json(&root);
    (run.code, diagnostics(&run.json(), &root))
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

// ---------------------------------------------------------------------------------------------
// The shipped packs

#[test]
fn every_shipped_pack_checks_without_errors() {
    let challenges = Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
    let mut checked = Vec::new();
    for entry in fs::read_dir(&challenges).unwrap() {
        let path = entry.unwrap().path();
        if !path.join("pack.toml").is_file() {
            continue;
        }
        let run = check_json(&path);
        let report = run.json();
        assert_eq!(
            (run.code, &report["errors"]),
            (0, &Value::from(0)),
            "{}:\n{:#?}",
            path.display(),
            diagnostics(&report, &path)
        );
        checked.push(path);
    }
    assert!(!checked.is_empty(), "no packs in {}", challenges.display());

    // With no path, `pack check` checks the same packs.
    let run = muster(&["pack", "check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["packs"].as_array().unwrap().len(), checked.len());
}

#[test]
fn pack_commands_look_in_the_packs_dir_setting() {
    let dir = TempDir::new().unwrap();
    good_pack(dir.path(), "elsewhere");
    let in_packs_dir = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_muster"));
        command
            .args(args)
            .env("NO_COLOR", "1")
            .env("MUSTER_PACKS_DIR", dir.path());
        run(command)
    };
    // With no path, `pack check` checks the packs in `packs_dir`, not challenges/.
    let run = in_packs_dir(&["pack", "check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let packs = run.json()["packs"].as_array().unwrap().clone();
    assert_eq!(packs.len(), 1, "{packs:?}");
    assert_eq!(packs[0]["id"], "elsewhere");
    // `pack show ID` finds the pack there too; a shipped pack's id is not found there.
    let run = in_packs_dir(&["pack", "show", "elsewhere"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.is_empty());
    let run = in_packs_dir(&["pack", "show", "wellbeing-on-shift"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
}

#[test]
fn the_good_fixture_checks_clean() {
    let run = check_json(&Path::new(FIXTURES).join("good-pack"));
    assert_eq!(run.code, 0, "{}", run.stdout);
    let report = run.json();
    assert_eq!(
        (&report["errors"], &report["warnings"]),
        (&0.into(), &0.into())
    );
    assert_eq!(report["diagnostics"], Value::Array(vec![]));
}

// ---------------------------------------------------------------------------------------------
// Broken fixtures: each is reported at the exact place, with the exact message

#[test]
fn fixture_missing_day() {
    assert_eq!(
        fixture("missing-day"),
        ["error missing-day pack.toml:7:1 day 4 is missing: days must run 1 to 7"]
    );
}

#[test]
fn fixture_duplicate_day() {
    assert_eq!(
        fixture("duplicate-day"),
        ["error duplicate-day days/03b.toml:1:7 day 3 is defined twice"]
    );
}

#[test]
fn fixture_unknown_key() {
    assert_eq!(
        fixture("unknown-key"),
        [
            "error missing-key days/02.toml:1:1 `title` is missing from a day",
            "error unknown-key days/02.toml:2:1 `titel` is not a key of a day",
        ]
    );
}

#[test]
fn fixture_unknown_rule() {
    assert_eq!(
        fixture("unknown-rule"),
        ["error unknown-rule pack.toml:25:8 `streek` is not a badge rule"]
    );
}

#[test]
fn fixture_unknown_team_score() {
    assert_eq!(
        fixture("unknown-team-score"),
        ["error unknown-team-score pack.toml:12:14 `average` is not a way to score teams"]
    );
}

#[test]
fn fixture_points_out_of_range() {
    assert_eq!(
        fixture("points-out-of-range"),
        ["error out-of-range days/04.toml:6:10 `points` is 150, but it must be between 0 and 100"]
    );
}

#[test]
fn fixture_empty_prompt() {
    assert_eq!(
        fixture("empty-prompt"),
        ["error empty-text days/04.toml:5:36 a prompt is empty"]
    );
}

#[test]
fn fixture_text_too_long() {
    assert_eq!(
        fixture("text-too-long"),
        [
            "error text-too-long days/02.toml:3:7 `why` is 1294 characters: far too long to read on a phone"
        ]
    );
}

#[test]
fn fixture_unreachable_badge() {
    assert_eq!(
        fixture("unreachable-badge"),
        ["error unreachable-badge pack.toml:26:8 a 40-day streak can never be met in a 7-day pack"]
    );
}

#[test]
fn fixture_duplicate_badge() {
    assert_eq!(
        fixture("duplicate-badge"),
        ["error duplicate-badge pack.toml:21:6 there are two badges with the id `first-step`"]
    );
}

#[test]
fn fixture_syntax_error() {
    let found = fixture("syntax-error");
    let syntax = "error syntax days/02.toml:2:30 this is not valid TOML: invalid basic string, expected `\"`";
    assert!(found.iter().any(|d| d == syntax), "{found:#?}");
}

#[test]

fn fixture_syntax_error_is_its_only_error() {
    assert_eq!(
        fixture("syntax-error"),
        [
            "error syntax days/02.toml:2:30 this is not valid TOML: invalid basic string, expected `\"`"
        ]
    );
}

#[test]
fn fixture_wrong_type() {
    assert_eq!(
        fixture("wrong-type"),
        ["error wrong-type days/02.toml:6:11 `minutes` should be a whole number, not text"]
    );
}

#[test]
fn fixture_day_out_of_range() {
    assert_eq!(
        fixture("day-out-of-range"),
        [
            "error missing-day pack.toml:7:1 day 7 is missing: days must run 1 to 7",
            "error day-out-of-range days/07.toml:1:7 day 1000000000000 is outside this pack: days must run 1 to 7",
        ]
    );
}

#[test]
fn fixture_id_mismatch() {
    assert_eq!(
        fixture("id-mismatch"),
        [
            "error id-mismatch pack.toml:1:6 the pack id `good-pack` does not match its folder `id-mismatch`"
        ]
    );
}

#[test]
fn fixture_bad_url() {
    assert_eq!(
        fixture("bad-url"),
        [
            "error bad-url days/03.toml:12:7 `http://www.oscarkilo.org.uk/` is not a web address muster can link to"
        ]
    );
}

#[test]
fn every_fixture_is_reported_when_their_folder_is_checked() {
    let run = check_json(Path::new(FIXTURES));
    assert_eq!(run.code, 1);
    let report = run.json();
    let packs = report["packs"].as_array().unwrap();
    let folders = fs::read_dir(FIXTURES).unwrap().count();
    assert_eq!(packs.len(), folders, "every fixture folder is a pack");
    for pack in packs {
        let good = pack["path"] == "tests/fixtures/good-pack";
        assert_eq!(pack["errors"] == 0, good, "{pack}");
    }
}

#[test]
fn the_human_report_quotes_the_line_with_a_caret_under_the_mistake() {
    let run = muster(&["pack", "check", "tests/fixtures/unknown-key"]);
    assert_eq!(run.code, 1);
    let out = &run.stdout;
    for expected in [
        "error[unknown-key]: `titel` is not a key of a day",
        "tests/fixtures/unknown-key/days/02.toml:2:1",
        "= hint: did you mean `title`?",
        "unknown-key: has problems (2 errors, 0 warnings)",
        "checked 1 pack: 2 errors, 0 warnings",
    ] {
        assert!(out.contains(expected), "no {expected:?} in:\n{out}");
    }
    let lines: Vec<&str> = out.lines().collect();
    let quoted = lines
        .iter()
        .position(|l| l.ends_with("titel = \"Notice the quiet one\""))
        .unwrap_or_else(|| panic!("the line is not quoted:\n{out}"));
    let column = |line: &str, needle: &str| line.find(needle).map(|i| line[..i].chars().count());
    assert_eq!(
        column(lines[quoted + 1], "^^^^^ unknown key"),
        column(lines[quoted], "titel"),
        "the caret is not under `titel`:\n{out}"
    );
    assert!(!lines[quoted + 1].contains("^^^^^^"), "{out}");
    assert!(!out.contains('\u{1b}'), "NO_COLOR is honoured:\n{out}");
}

// ---------------------------------------------------------------------------------------------
// Hostile input, made at test time: a clear error and exit 1, never a crash or a hang

#[test]
fn a_file_that_is_not_utf8_is_a_clear_error() {
    let (code, found) = check_changed(|root| {
        fs::write(
            root.join("days/02.toml"),
            b"day = 2\ntitle = \"\xff\xfe\"\n",
        )
        .unwrap();
    });
    assert_eq!(code, 1);
    let expected = "error not-utf8 days/02.toml:2:10 <pack>/days/02.toml is not UTF-8 text \
                    (an unreadable byte at line 2, column 10)";
    assert!(found.iter().any(|d| d == expected), "{found:#?}");
}

#[test]
fn a_20_megabyte_pack_toml_is_refused_unread() {
    let (code, found) = check_changed(|root| {
        fs::write(root.join("pack.toml"), "# padding\n".repeat(2_000_000)).unwrap();
    });
    assert_eq!(code, 1);
    let expected = "error file-too-large pack.toml:-:- <pack>/pack.toml is 20.0 MB; a pack file may be at most 1 MB";
    assert!(found.iter().any(|d| d == expected), "{found:#?}");
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    let deep = [
        format!("a = {}", "[".repeat(100_000)),
        format!("a = {}", "{ a = ".repeat(100_000)),
        format!("{}b = 1", "a.".repeat(100_000)),
        format!("[{}b]", "a.".repeat(100_000)),
        format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000)),
    ];
    for text in deep {
        for file in ["pack.toml", "days/02.toml"] {
            let (code, found) = check_changed(|root| fs::write(root.join(file), &text).unwrap());
            assert_eq!(code, 1, "{file}: {found:#?}");
            assert!(
                found
                    .iter()
                    .any(|d| d.starts_with(&format!("error syntax {file}:1:"))),
                "{file} starting {:?}: {found:#?}",
                &text[..10]
            );
        }
    }
}

#[test]
fn a_day_numbered_a_trillion_is_out_of_range() {
    let (code, found) = check_changed(|root| {
        let day = fs::read_to_string(root.join("days/07.toml")).unwrap();
        fs::write(
            root.join("days/07.toml"),
            day.replace("day = 7", "day = 1000000000000"),
        )
        .unwrap();
    });
    assert_eq!(code, 1);
    assert!(
        found.contains(
            &"error day-out-of-range days/07.toml:1:7 day 1000000000000 is outside this pack: \
              days must run 1 to 7"
                .to_string()
        ),
        "{found:#?}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_days_is_unreadable() {
    let (code, found) = check_changed(|root| {
        let looped = root.join("days/08.toml");
        std::os::unix::fs::symlink(&looped, &looped).unwrap();
    });
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("error unreadable days/08.toml:-:- cannot read <pack>/days/08.toml: "),
        "{found:#?}"
    );
}

#[cfg(unix)]
#[test]
fn a_days_folder_that_is_a_symlink_loop_is_unreadable() {
    let (code, found) = check_changed(|root| {
        fs::remove_dir_all(root.join("days")).unwrap();
        std::os::unix::fs::symlink(root.join("days"), root.join("days")).unwrap();
    });
    assert_eq!(code, 1);
    assert!(
        found
            .iter()
            .any(|d| d
                .starts_with("error no-days days:-:- cannot read the days folder <pack>/days: ")),
        "{found:#?}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_among_packs_is_reported_and_the_other_packs_still_checked() {
    let dir = TempDir::new().unwrap();
    good_pack(dir.path(), "good-pack");
    let looped = dir.path().join("loop");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    let run = check_json(dir.path());
    assert_eq!(run.code, 1, "{}", run.stdout);
    let report = run.json();
    assert_eq!(report["packs"].as_array().unwrap().len(), 1);
    assert_eq!(report["packs"][0]["id"], "good-pack");
    assert_eq!(report["packs"][0]["errors"], 0);
    let found = diagnostics(&report, dir.path());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("error unreadable loop:-:- cannot read <pack>/loop: "),
        "{found:#?}"
    );

    // Named on its own, a loop names no pack at all: a usage error.
    let run = muster(&["pack", "check", looped.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!(
            "error: {} is neither a pack folder, a folder of packs, nor a pack.toml",
            looped.display()
        )),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_a_day_file_or_pack_toml_is_not_opened() {
    let (code, found) = check_changed(|root| mkfifo(&root.join("days/08.toml")));
    assert_eq!(code, 1);
    assert_eq!(
        found,
        ["error not-a-file days/08.toml:-:- <pack>/days/08.toml is not a regular file"]
    );
    let (code, found) = check_changed(|root| {
        fs::remove_file(root.join("pack.toml")).unwrap();
        mkfifo(&root.join("pack.toml"));
    });
    assert_eq!(code, 1);
    assert!(
        found.contains(
            &"error not-a-file pack.toml:-:- <pack>/pack.toml is not a regular file".into()
        ),
        "{found:#?}"
    );
}

#[cfg(unix)]
#[test]
fn an_endless_device_as_a_day_file_is_not_read() {
    let (code, found) = check_changed(|root| {
        std::os::unix::fs::symlink("/dev/zero", root.join("days/08.toml")).unwrap();
    });
    assert_eq!(code, 1);
    assert_eq!(
        found,
        ["error not-a-file days/08.toml:-:- <pack>/days/08.toml is not a regular file"]
    );
}

#[test]
fn a_folder_with_a_broken_and_a_good_pack_reports_both() {
    let dir = TempDir::new().unwrap();
    good_pack(dir.path(), "good-pack");
    let broken = good_pack(dir.path(), "broken-pack");
    let day = fs::read_to_string(broken.join("days/01.toml")).unwrap();
    fs::write(
        broken.join("days/01.toml"),
        day.replace("minutes = 5", "minutes = 0"),
    )
    .unwrap();
    let run = check_json(dir.path());
    assert_eq!(run.code, 1);
    let report = run.json();
    let packs: Vec<_> = report["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["errors"].as_u64().unwrap()))
        .collect();
    assert_eq!(packs, [("broken-pack", 1), ("good-pack", 0)]);
    assert_eq!(
        (&report["errors"], &report["warnings"]),
        (&1.into(), &0.into())
    );
    assert_eq!(
        diagnostics(&report, dir.path()),
        [
            "error out-of-range broken-pack/days/01.toml:6:11 `minutes` is 0, but it must be between 1 and 60"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Usage

#[test]
fn a_path_that_does_not_exist_is_a_usage_error() {
    let run = muster(&["pack", "check", "tests/fixtures/no-such-pack"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("error: tests/fixtures/no-such-pack does not exist"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let run = muster(&["pack", "check", "--format", "xml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid value 'xml'"), "{}", run.stderr);
}

#[test]
fn version_prints_the_version() {
    let run = muster(&["--version"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!("muster {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn show_prints_a_day_as_a_participant_reads_it() {
    let run = muster(&["pack", "show", "tests/fixtures/good-pack", "--day", "3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "Day 3 of 7 · Ask again\n\nWhy it matters\nPeople often say \"fine\" when asked in passing."
        ),
        "{}",
        run.stdout
    );
    for expected in [
        "Reflect at the end of your shift\n  • What did you notice when you asked a second time?\n",
        "About 5 minutes · 10 points\n",
        "Read more: Oscar Kilo: peer support <https://www.oscarkilo.org.uk/>\n",
        "Other wording 1: At handover\nWhen you hand over, ask the next shift one question about them, not the job.\n  • How did they respond?\n",
    ] {
        assert!(
            run.stdout.contains(expected),
            "no {expected:?} in:\n{}",
            run.stdout
        );
    }
}

#[test]
fn show_without_a_day_prints_the_summary() {
    let run = muster(&["pack", "show", "tests/fixtures/good-pack"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("A good pack (good-pack v1.0.0)\n"),
        "{}",
        run.stdout
    );
    for expected in [
        "Three in a row           a 3-day streak\n",
        "   3. Ask again  (+1 wording)\n",
        "   5. Check in properly  [check-in]\n",
    ] {
        assert!(
            run.stdout.contains(expected),
            "no {expected:?} in:\n{}",
            run.stdout
        );
    }
}

#[test]
fn show_with_an_unknown_id_or_day_is_a_usage_error() {
    let run = muster(&["pack", "show", "no-such-pack"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: no pack `no-such-pack` in challenges (packs there: "),
        "{}",
        run.stderr
    );
    let run = muster(&["pack", "show", "tests/fixtures/good-pack", "--day", "8"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: good-pack has no day 8: its days run 1 to 7\n"
    );
}

#[test]
fn show_refuses_a_pack_with_errors() {
    let run = muster(&["pack", "show", "tests/fixtures/missing-day"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: tests/fixtures/missing-day has errors; fix them before showing it"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("day 4 is missing"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

// ---------------------------------------------------------------------------------------------
// Known bugs, documented by the behaviour they should have

#[test]

fn a_closed_stdout_does_not_panic() {
    let dir = TempDir::new().unwrap();
    let root = good_pack(dir.path(), "noisy");
    // Enough unknown keys that the report overflows any pipe buffer.
    let keys: String = (0..2000).map(|i| format!("unknown_{i} = 1\n")).collect();
    let pack_toml = fs::read_to_string(root.join("pack.toml")).unwrap();
    fs::write(root.join("pack.toml"), format!("{keys}{pack_toml}")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(["pack", "check", root.to_str().unwrap(), "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let code = wait(&mut child, "pack check into a closed pipe");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(code, 101);
}

#[test]

fn the_human_report_has_no_colour_codes_when_not_on_a_terminal() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_muster"));
    command
        .args(["pack", "check", "tests/fixtures/unknown-key"])
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color");
    let run = run(command);
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
}
