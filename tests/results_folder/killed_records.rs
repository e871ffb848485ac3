//! A run with `--records` killed outright (SIGKILL: no handler runs) while it streams its
//! records: nothing half-written reaches the user's folders, and the next run cleans up
//! the staging folder it left.
#![cfg(unix)]

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{data, names, snapshot, staging_folders, wait_while_running};

/// How long the run may take to start streaming its records. Generous, for loaded machines.
const PATIENCE: Duration = Duration::from_secs(60);

/// The staging folder of a run into `out`, once it holds a records file.
fn staging_with_records(out: &Path) -> Option<PathBuf> {
    (staging_folders(out).into_iter()).find(|s| s.join("records.parquet").exists())
}

/// Starts a long run with `--records` into `out` and returns once its records file has
/// appeared in the staging folder, with that folder.
fn start_recording(out: &Path) -> (Child, PathBuf) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_simulate"))
        .arg(data("small.ron"))
        .args(["--trajectories", "20000000", "--threads", "1", "--records"])
        .args(["--quiet", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut staging = None;
    wait_while_running(&mut child, PATIENCE, "it recording", || {
        staging = staging_with_records(out);
        staging.is_some()
    });
    (child, staging.unwrap())
}

/// A run with `--records` killed with SIGKILL mid-run, into a new folder beside a user's
/// folder: no `results` folder appears (so no partial records.parquet in it), the user's
/// folder is untouched, and the next run into `results` removes the staging folder the
/// killed run left, leaving the user's folder and its own result.
#[test]
fn a_run_killed_while_writing_records_leaves_nothing_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine");
    std::fs::create_dir_all(mine.join("plots")).unwrap();
    std::fs::write(mine.join("records.parquet"), "my own\n").unwrap();
    std::fs::write(mine.join("plots").join("sketch.png"), "drawn\n").unwrap();
    let before = snapshot(&mine);
    let out = dir.path().join("results");

    let (mut child, staging) = start_recording(&out);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(!out.exists(), "a killed first run made {}", out.display());
    assert!(
        staging.exists(),
        "the staging folder is left by a killed run"
    );
    assert_eq!(snapshot(&mine), before, "the user's folder changed");

    common::simulate()
        .arg(data("small.ron"))
        .args(["--trajectories", "50", "--records", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(names(dir.path()), ["mine", "results"]);
    assert_eq!(snapshot(&mine), before, "the user's folder changed");
    assert!(out.join("records.parquet").exists());
}
