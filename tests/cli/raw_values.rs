//! Values the command line refuses are shown escaped and cut, as every message shows what
//! a user typed: never raw, where an escape sequence acts on the terminal and a newline
//! forges a line.

use crate::common;

use common::{data, simulate};

/// What `simulate args` says on standard error, with its exit code.
fn refusal(args: &[&str]) -> (Option<i32>, String) {
    let out = simulate().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Whether `stderr` is free of what `forged` tried: no escape character, and no line
/// starting with its forged `error: forged` line.
fn unforged(stderr: &str) {
    assert!(!stderr.contains('\u{1b}'), "a raw escape: {stderr:?}");
    assert!(
        !stderr.lines().any(|l| l.starts_with("error: forged")),
        "a forged line: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// Defect (issue 21): clap echoed a bad value raw, three times over for an unknown
// argument: `-n $'\e[2J...'` cleared the terminal and a newline in it forged a line of
// its own. Now every value clap quotes is escaped and cut; the exit code is still 2.
#[test]
fn clap_echoes_values_raw() {
    let small = data("small.ron");
    let small = small.to_str().unwrap();
    let (code, stderr) = refusal(&[small, "-n", "\u{1b}[2J12\nerror: forged"]);
    assert_eq!(code, Some(2), "{stderr}");
    unforged(&stderr);
    assert!(stderr.contains("invalid value"), "{stderr}");
    assert!(stderr.contains("--trajectories"), "{stderr}");
    assert!(stderr.contains("\\u{a}error: forged"), "{stderr}");
    let (code, stderr) = refusal(&[small, "--bogus\u{1b}[31m\nerror: forged"]);
    assert_eq!(code, Some(2), "{stderr}");
    unforged(&stderr);
    assert!(stderr.contains("unexpected argument '--bogus"), "{stderr}");
    // A long one is cut, not echoed whole.
    let long = format!("--{}", "x".repeat(100_000));
    let (code, stderr) = refusal(&[small, &long]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.len() < 2_000, "{} bytes", stderr.len());
}

// Defect (hostile pass 34): escaping clap's values escaped its usage too, so a refused
// command line showed `Usage: simulate [OPTIONS] <SCENARIO>\u{a}       simulate <COMMAND>`
// on one line. The usage is clap's own text and keeps its lines; the user's values are still
// escaped.
#[test]
fn the_usage_line_showed_its_newline_escaped() {
    let (code, stderr) = refusal(&["bogus", "x.ron"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(!stderr.contains("\\u{a}"), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.trim_start().starts_with("simulate <COMMAND>")),
        "{stderr}"
    );
    unforged(&stderr);
}

/// `simulate check` printed the file's path raw in its "ok" line and the path of a
/// variant's base in its "a variant of" line: a name holding an escape sequence and a
/// newline recoloured the terminal and forged an `error:` line. Every other command shows
/// paths escaped; now `check` does too.
#[test]
fn check_printed_the_file_path_raw() {
    let dir = tempfile::tempdir().unwrap();
    // A folder whose name recolours the terminal and forges a line, holding a copy of
    // baseline.ron and a variant of it.
    let folder = dir.path().join("esc\u{1b}[31mRED\nerror: forged");
    std::fs::create_dir(&folder).unwrap();
    let (base, variant) = common::variant_of_baseline(&folder, "v", "    SetSeed(3),");
    for file in [base, variant] {
        let out = simulate().arg("check").arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        unforged(&stdout);
        assert!(stdout.contains("ok"), "{stdout}");
    }
}
