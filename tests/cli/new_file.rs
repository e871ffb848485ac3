//! `simulate new FILE` (issue 24, item 3): a starter scenario that passes `check` as written
//! and runs, whatever the options; never written over an existing file; bad options refused
//! with exit 2 before any file exists.

use crate::common;

use std::path::Path;

use common::{exits, read, simulate};

/// `simulate new FILE OPTIONS` in `dir`, which must succeed: the file's text.
fn new_file(dir: &Path, name: &str, options: &[&str]) -> String {
    simulate()
        .current_dir(dir)
        .args(["new", name])
        .args(options)
        .assert()
        .success();
    String::from_utf8(read(&dir.join(name))).unwrap()
}

#[test]
fn new_then_check_passes_for_several_option_combinations() {
    let dir = tempfile::tempdir().unwrap();
    let combinations: [&[&str]; 7] = [
        &[],
        &["--states", "Turkey,USA,Russia", "--start", "2016Q3"],
        &[
            "--channels",
            "arms,energy",
            "--step",
            "month",
            "--start",
            "2017-06",
        ],
        &[
            "--states",
            "Saudi Arabia,Qatar",
            "--step",
            "year",
            "--start",
            "2016",
        ],
        &[
            "--states",
            "A,B,C,D,E,F,G,H",
            "--channels",
            "aid",
            "--step",
            "weeks",
        ],
        &["--step", "half-year"],
        &["--states", "Say \"no\",Back\\slash", "--step", "day"],
    ];
    for (i, options) in combinations.iter().enumerate() {
        let name = format!("case{i}.ron");
        let text = new_file(dir.path(), &name, options);
        assert!(text.contains("CHOOSE"), "{options:?}: {text}");
        let check = simulate()
            .current_dir(dir.path())
            .args(["check", &name])
            .assert()
            .success();
        let said = String::from_utf8_lossy(&check.get_output().stdout).into_owned();
        assert!(said.contains("ok"), "{options:?}: {said}");
        if options.contains(&"--start") {
            assert!(said.contains("dated: step 1 is"), "{options:?}: {said}");
        }
    }
    // As the "done when" has it, then run: the starter's dated event and dated
    // columns come through.
    let text = new_file(
        dir.path(),
        "t.ron",
        &["--states", "Turkey,USA,Russia", "--start", "2016Q3"],
    );
    assert!(text.contains("start: \"2016Q3\""), "{text}");
    assert!(text.contains("at: \"2017Q2\""), "{text}");
    let out = dir.path().join("out");
    simulate()
        .current_dir(dir.path())
        .args(["t.ron", "-n", "8", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let series = String::from_utf8(read(&out.join("timeseries.csv"))).unwrap();
    assert!(series.starts_with("step,date,"), "{series}");
    assert!(series.contains("\n40,2026Q2,"), "{series}");
}

#[test]
fn a_second_new_on_the_same_path_refuses_and_leaves_the_file_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let first = new_file(dir.path(), "t.ron", &["--states", "Turkey,USA"]);
    let again = simulate()
        .current_dir(dir.path())
        .args(["new", "t.ron", "--states", "Iran,Iraq", "--step", "month"])
        .assert()
        .code(2);
    let err = common::stderr_of(&again);
    assert!(err.contains("t.ron already exists"), "{err}");
    assert!(err.contains("never overwrites"), "{err}");
    assert_eq!(
        String::from_utf8(read(&dir.path().join("t.ron"))).unwrap(),
        first
    );
    // A user's own file, even with options that would be refused, is named and left as is.
    let mine = common::write(dir.path(), "mine.ron", "my notes\n");
    let err = exits(2, &[&"new", &mine, &"--step", &"fortnight"]);
    assert!(err.contains("mine.ron already exists"), "{err}");
    assert_eq!(read(&mine), b"my notes\n");
}

/// `simulate new FILE OPTIONS` in `dir`, which must exit 2 without writing FILE: stderr.
fn refused(dir: &Path, options: &[&str]) -> String {
    let done = simulate()
        .current_dir(dir)
        .args(["new", "x.ron"])
        .args(options)
        .assert()
        .code(2);
    assert!(!dir.join("x.ron").exists(), "{options:?} wrote the file");
    common::stderr_of(&done)
}

#[test]
fn bad_states_channels_steps_and_starts_are_refused_with_suggestions_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let one = refused(dir.path(), &["--states", "Turkey"]);
    assert!(one.contains("at least two states"), "{one}");
    let empty = refused(dir.path(), &["--states", "Turkey,,USA"]);
    assert!(empty.contains("an empty name"), "{empty}");
    let twice = refused(dir.path(), &["--channels", "arms,arms"]);
    assert!(
        twice.contains("channel \"arms\" is defined twice"),
        "{twice}"
    );
    let case = refused(dir.path(), &["--states", "USA,usa"]);
    assert!(case.contains("only in case"), "{case}");
    let unit = refused(dir.path(), &["--step", "quartr"]);
    assert!(unit.contains("did you mean quarter?"), "{unit}");
    let start = refused(dir.path(), &["--start", "2016-07"]);
    assert!(start.contains("write \"2016Q3\""), "{start}");
    let undated = refused(dir.path(), &["--step", "week", "--start", "2016"]);
    assert!(
        undated.contains("`start` needs `step: \"quarter\"`"),
        "{undated}"
    );
    let hostile = refused(dir.path(), &["--states", "A,B\u{1b}[2J"]);
    assert!(!hostile.contains('\u{1b}'), "{hostile}");
    let err = exits(2, &[&"new", &dir.path().join("no/such/folder/x.ron")]);
    assert!(err.contains("there is no folder"), "{err}");
}

/// The book's tutorial (`docs/src/tutorial/new.md`) shows the starter file as
/// `turkey_start.ron`: it is what `simulate new` writes today.
#[test]
fn the_tutorials_starter_file_is_what_simulate_new_writes() {
    let dir = tempfile::tempdir().unwrap();
    let options = ["--states", "Turkey,USA,Russia", "--start", "2016Q3"];
    let text = new_file(dir.path(), "turkey_start.ron", &options);
    let shown = common::root().join("docs/src/tutorial/turkey_start.ron");
    assert_eq!(
        String::from_utf8(read(&shown)).unwrap(),
        text,
        "regenerate it: simulate new {} {}",
        shown.display(),
        options.join(" ")
    );
}

// Defect (polish trials): `simulate new sub/ph.ron` wrote a header saying it runs as
// `simulate ph.ron`, a file that is not there from where `new` ran. Now the path given,
// in single quotes when a shell would split it.
#[test]
fn the_starters_header_names_the_path_given_not_only_the_stem() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let text = new_file(dir.path(), "sub/ph.ron", &[]);
    assert!(text.contains("runs: `simulate sub/ph.ron`."), "{text}");
    let spaced = new_file(dir.path(), "sub/my plan.ron", &[]);
    assert!(
        spaced.contains("runs: `simulate 'sub/my plan.ron'`."),
        "{spaced}"
    );
    // The command the header shows runs from where `new` ran.
    simulate()
        .current_dir(dir.path())
        .args(["check", "sub/ph.ron"])
        .assert()
        .success();
}
