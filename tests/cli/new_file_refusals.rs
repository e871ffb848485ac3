//! `simulate new`'s refusals as a hostile user met them: each names the option or the path
//! at fault, in one line per problem, and exits 2 before any file exists.

use crate::common;

use std::path::Path;

use common::simulate;

/// `simulate new NAME OPTIONS` in `dir`, which must exit 2 without writing: stderr.
fn refused(dir: &Path, name: &str, options: &[&str]) -> String {
    let before = common::names(dir);
    let done = simulate()
        .current_dir(dir)
        .args(["new", name])
        .args(options)
        .assert()
        .code(2);
    assert_eq!(common::names(dir), before, "{options:?} wrote a file");
    common::stderr_of(&done)
}

// Defect (hostile review): `--start 9999 --step year` blamed `--states/--channels`, the
// starter's ten years running to 10008, a date no file can read back. Now `--start` is
// named, with the latest start that fits.
#[test]
fn new_with_a_start_whose_steps_pass_the_year_9999_names_start() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(dir.path(), "x.ron", &["--start", "9999", "--step", "year"]);
    assert!(err.contains("--start"), "{err}");
    assert!(!err.contains("--states"), "{err}");
    assert!(err.contains("\"9990\""), "the latest start: {err}");
    let quarters = refused(dir.path(), "x.ron", &["--start", "9999Q1"]);
    assert!(quarters.contains("--start"), "{quarters}");
    assert!(quarters.contains("\"9990Q1\""), "{quarters}");
}

// Defect (hostile review): `new t1.ron/x.ron`, where t1.ron is a file, said there is no
// folder t1.ron and suggested `mkdir -p t1.ron`, which fails.
#[test]
fn new_under_a_file_says_it_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t1.ron"), "mine\n").unwrap();
    let err = refused(dir.path(), "t1.ron/x.ron", &[]);
    assert!(err.contains("t1.ron is a file"), "{err}");
    assert!(!err.contains("mkdir"), "{err}");
    assert_eq!(common::read(&dir.path().join("t1.ron")), b"mine\n");
}

// Defect (hostile review): a file name longer than the system allows exited 1 with the
// system's "File name too long".
#[test]
fn new_with_a_too_long_file_name_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("{}.ron", "a".repeat(300));
    let err = refused(dir.path(), &name, &[]);
    assert!(err.contains("too long"), "{err}");
    assert!(err.len() < 1_000, "{} bytes: {err}", err.len());
}

// Defect (hostile review): `--states A,B,A,A,B,B` printed every consequence of the
// duplicates (each stance "given twice" many times over): now one line per duplicate name.
#[test]
fn new_with_duplicate_states_says_each_name_once() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(dir.path(), "x.ron", &["--states", "A,B,A,A,B,B"]);
    assert_eq!(err.matches("\"A\"").count(), 1, "{err}");
    assert_eq!(err.matches("\"B\"").count(), 1, "{err}");
    assert!(err.contains("--states"), "{err}");
    assert!(!err.contains("stances"), "{err}");
    assert!(err.lines().count() <= 2, "{err}");
}

// Defect (hostile review): `--channels ''` suggested `--channels Turkey,USA,Russia`, state
// names for channels.
#[test]
fn new_with_an_empty_channel_shows_channel_names() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(dir.path(), "x.ron", &["--channels", ""]);
    assert!(err.contains("--channels arms,trade"), "{err}");
    assert!(!err.contains("Turkey"), "{err}");
    let states = refused(dir.path(), "x.ron", &["--states", "A,,B"]);
    assert!(states.contains("--states Turkey,USA,Russia"), "{states}");
}

// Defect (polish trials): `--start 0000 --step year` wrote a starter whose step 0 is
// "-001", a date no file reads back. Now `--start` is named, with the earliest start.
#[test]
fn new_with_a_start_whose_step_0_falls_before_the_year_0000_names_start() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(dir.path(), "x.ron", &["--start", "0000", "--step", "year"]);
    assert!(err.contains("--start"), "{err}");
    assert!(err.contains("\"0001\""), "the earliest start: {err}");
}
