//! What the next run does with the staging folder of a run that was killed: it deletes
//! what that run made, by its journal, and nothing else.
#![cfg(unix)]

use crate::common;

use common::{data, killed_run, names, read, simulate, stderr_of, DEAD};

// Defect (issue 21): a user's `my_notes.csv` (or `plots/sketch.png`) put into a killed
// run's staging folder was deleted by the next run, which took any file of entente's
// kinds for the run's. Now a run notes each file in its stamp's journal before making it,
// and the cleaner deletes only what the journal lists; the user's files are kept, with the
// folder, under a visible name a warning gives.
#[test]
fn a_killed_runs_staging_folder_keeps_the_users_files_named_like_ententes() {
    let dir = tempfile::tempdir().unwrap();
    let staging = killed_run(dir.path(), 0);
    std::fs::write(staging.join("my_notes.csv"), "mine\n").unwrap();
    std::fs::write(staging.join("plots").join("sketch.png"), "drawn\n").unwrap();
    killed_run(dir.path(), 1); // the run's files alone: removed whole
    let out = dir.path().join("out");
    let run = simulate()
        .arg(data("small.ron"))
        .args(["--trajectories", "50", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stderr = stderr_of(&run);
    let kept = dir.path().join(format!("out.partial-{DEAD}-0"));
    assert_eq!(read(&kept.join("my_notes.csv")), b"mine\n");
    assert_eq!(read(&kept.join("plots").join("sketch.png")), b"drawn\n");
    assert!(
        !kept.join("summary.json").exists(),
        "the run's file is deleted"
    );
    assert!(stderr.contains("my_notes.csv"), "{stderr}");
    assert!(stderr.contains(&kept.display().to_string()), "{stderr}");
    assert_eq!(names(dir.path()), ["out", &format!("out.partial-{DEAD}-0")]);
}
