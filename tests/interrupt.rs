//! An interrupted run leaves the previous result intact and nothing beside it; two runs
//! into the same folder leave one whole result.
//!
//! The signals are sent with `kill`, to a `simulate` started on a run far too long to end
//! by itself, once it has installed its handler (read from /proc on Linux).
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::data;

/// How long a stopped run may take to exit; it checks for Ctrl-C after each chunk of 256
/// trajectories, a few milliseconds here. Generous, for loaded CI machines.
const EXIT_DEADLINE: Duration = Duration::from_secs(60);

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_simulate"))
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    common::read(&path),
                );
            }
        }
    }
    files
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn quick_run(out: &Path, seed: &str) {
    common::simulate()
        .arg(data("small.ron"))
        .args(["--trajectories", "300", "--seed", seed, "--quiet", "--out"])
        .arg(out)
        .assert()
        .success();
}

/// Waits until `pid` catches `signal` (its handler is installed), as /proc tells.
fn wait_for_handler(pid: u32, signal: u32) {
    let status = PathBuf::from(format!("/proc/{pid}/status"));
    if !status.exists() {
        std::thread::sleep(Duration::from_secs(2)); // no /proc: give it time to start
        return;
    }
    let start = Instant::now();
    while start.elapsed() < EXIT_DEADLINE {
        let text = std::fs::read_to_string(&status).unwrap_or_default();
        let caught = text
            .lines()
            .find_map(|l| l.strip_prefix("SigCgt:"))
            .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
            .unwrap_or(0);
        if caught & (1 << (signal - 1)) != 0 {
            // The handler is set just before the workers start: let them get going.
            std::thread::sleep(Duration::from_millis(300));
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("simulate never installed its signal handler");
}

fn wait_with_deadline(child: &mut Child) -> Option<i32> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if start.elapsed() > EXIT_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("simulate did not stop within {EXIT_DEADLINE:?} of the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts a run of a billion trajectories into `out`, sends `signal` once it is working,
/// and returns its exit code and stderr.
fn interrupt(out: &Path, signal: (&str, u32)) -> (Option<i32>, String) {
    let mut child = Command::new(binary())
        .arg(data("small.ron"))
        .args([
            "--trajectories",
            "1000000000",
            "--threads",
            "2",
            "--quiet",
            "--out",
        ])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_handler(child.id(), signal.1);
    let sent = Command::new("kill")
        .arg(format!("-{}", signal.0))
        .arg(child.id().to_string())
        .status();
    assert!(sent.unwrap().success(), "kill -{} failed", signal.0);
    let code = wait_with_deadline(&mut child);
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    (code, stderr)
}

fn an_interrupted_run_keeps_the_previous_result(signal: (&str, u32)) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    quick_run(&out, "1");
    let before = snapshot(&out);

    let (code, stderr) = interrupt(&out, signal);
    assert_eq!(
        code,
        Some(130),
        "SIG{} should exit 130; stderr:\n{stderr}",
        signal.0
    );
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(snapshot(&out), before, "the previous result changed");
    assert_eq!(
        names_in(dir.path()),
        ["results"],
        "a temporary folder was left beside it"
    );
}

#[test]
fn ctrl_c_exits_130_and_keeps_the_previous_result() {
    an_interrupted_run_keeps_the_previous_result(("INT", 2));
}

#[test]
fn sigterm_exits_130_and_keeps_the_previous_result() {
    an_interrupted_run_keeps_the_previous_result(("TERM", 15));
}

#[test]
fn an_interrupted_first_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let (code, stderr) = interrupt(&out, ("INT", 2));
    assert_eq!(code, Some(130), "{stderr}");
    assert!(
        names_in(dir.path()).is_empty(),
        "{:?}",
        names_in(dir.path())
    );
}

#[test]
fn two_runs_into_the_same_folder_leave_one_whole_result() {
    let dir = tempfile::tempdir().unwrap();
    let references: Vec<_> = ["1", "2"]
        .iter()
        .map(|seed| {
            let out = dir.path().join(format!("alone_{seed}"));
            quick_run(&out, seed);
            snapshot(&out)
        })
        .collect();
    assert_ne!(references[0], references[1]);

    let shared = dir.path().join("shared");
    for round in 0..3 {
        let children: Vec<Child> = ["1", "2"]
            .iter()
            .map(|seed| {
                Command::new(binary())
                    .arg(data("small.ron"))
                    .args(["--trajectories", "300", "--seed", seed, "--quiet", "--out"])
                    .arg(&shared)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut child in children {
            assert_eq!(wait_with_deadline(&mut child), Some(0), "round {round}");
        }
        let result = snapshot(&shared);
        assert!(
            references.contains(&result),
            "round {round}: a mixed folder"
        );
    }
    assert_eq!(names_in(dir.path()), ["alone_1", "alone_2", "shared"]);
}
