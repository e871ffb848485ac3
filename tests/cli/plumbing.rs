//! Standard output and error as the shell plumbs them (issue "Never lose a user's files",
//! item 5). Regression: every command printed with `println!`, which panics (exit 101) when
//! its reader has gone (`simulate ... | head -1`) or the device is full (`> /dev/full`).
//! What must hold now: a closed pipe ends quietly with exit 0 and every file the command
//! writes complete; a full device is an error with exit 1; never a panic.

use crate::common;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{data, scenario};

/// Every command that prints, with the arguments that make it write into `out`.
fn commands(out: &Path) -> Vec<(&'static str, Vec<PathBuf>)> {
    let small = data("small.ron");
    let visit = scenario("putin_visit.ron");
    let base = scenario("baseline.ron");
    let o = |name: &str| out.join(name);
    let quick = |v: &mut Vec<PathBuf>| v.extend(["-n", "16"].map(PathBuf::from));
    let mut run = vec![small.clone(), "--out".into(), o("run")];
    quick(&mut run);
    let mut compare = vec!["compare".into(), base, visit.clone(), "--out".into()];
    compare.push(o("compare"));
    quick(&mut compare);
    let mut sweep = vec!["sweep".into(), small.clone(), "--param".into()];
    sweep.extend(["lambda=0.2:0.6:2".into(), "--out".into(), o("sweep")]);
    quick(&mut sweep);
    let mut sensitivity = vec!["sensitivity".into(), small.clone(), "--samples".into()];
    sensitivity.extend(["2".into(), "--out".into(), o("sensitivity")]);
    quick(&mut sensitivity);
    let mut score = vec!["score".into(), small.clone(), "--observed".into()];
    score.extend([data("small.observed.csv"), "--out".into(), o("score")]);
    quick(&mut score);
    vec![
        ("check", vec!["check".into(), visit.clone()]),
        ("run", run),
        ("compare", compare),
        ("sweep", sweep),
        ("sensitivity", sensitivity),
        ("score", score),
        (
            "blocs",
            // putin_visit.ron is at rest: its affinities are departures, so the landscape is of
            // the partnerships.
            vec![
                "blocs".into(),
                visit,
                "--from".into(),
                "partnership".into(),
                "--out".into(),
                o("blocs"),
            ],
        ),
        ("help", vec!["--help".into()]),
    ]
}

fn binary() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_simulate"));
    cmd.env_remove("RUST_BACKTRACE").stdin(Stdio::null());
    cmd
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_results_complete() {
    let dir = tempfile::tempdir().unwrap();
    for (name, args) in commands(dir.path()) {
        let mut child = binary()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the command prints anything, as `| head -0` would.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        // A scenario's load-time warnings (an outcome that reads back an event) are not
        // noise about the pipe.
        let noise = stderr.lines().filter(|l| !l.starts_with("warning: "));
        assert_eq!(noise.count(), 0, "{name} ends quietly: {stderr}");
    }
    for folder in ["run", "compare", "sweep", "sensitivity", "score", "blocs"] {
        let marker = dir.path().join(folder).join(".entente-results");
        assert!(marker.is_file(), "{folder}: the result is complete");
    }
}

#[test]
fn a_full_stdout_is_an_error_with_exit_1_not_a_panic() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full on this system");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, args) in commands(dir.path()) {
        let out = binary()
            .args(&args)
            .stdout(File::options().write(true).open("/dev/full").unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output"),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}

#[test]
fn a_full_stderr_never_turns_a_refusal_into_a_panic() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full on this system");
        return;
    }
    let out = binary()
        .args(["check", "no-such-file.ron"])
        .stderr(File::options().write(true).open("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
