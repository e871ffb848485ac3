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
