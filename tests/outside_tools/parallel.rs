//! The GNU parallel line of docs/src/howto/cluster.md, read from the doc and run as written (with
//! `TRAJECTORIES=100000`, the size knob the doc's block itself reads): the merged folder must
//! equal one local run byte for byte.
//!
//! `.ci/run` installs Debian's `parallel`. Without GNU parallel this test fails under CI
//! (`CI=true`) and is skipped with a notice elsewhere.

use crate::cluster;

use std::time::Duration;

use cluster::{assert_same_folder, doc_blocks, path_with_simulate, single_run, workspace};

fn gnu_parallel() -> bool {
    // moreutils ships another `parallel` with other options: only GNU's runs the doc's line.
    std::process::Command::new("parallel")
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("GNU parallel"))
}

#[test]
fn the_documented_gnu_parallel_line_merges_to_the_bytes_of_one_run() {
    if !gnu_parallel() {
        if cluster::under_ci() {
            panic!("GNU parallel is not installed: .ci/run must install Debian's parallel");
        }
        eprintln!(
            "NOTICE: skipping the GNU parallel test: no GNU parallel (apt-get install parallel)"
        );
        return;
    }
    let (_, blocks) = doc_blocks("GNU parallel");
    assert_eq!(blocks.len(), 1, "one ```bash block under `## GNU parallel`");
    let line = &blocks[0];
    // The size must come in through the doc's own knob, or the test would run another line.
    assert!(
        line.contains("${TRAJECTORIES:-"),
        "the GNU parallel block no longer reads TRAJECTORIES:\n{line}"
    );
    let work = workspace();
    let output = assert_cmd::Command::new("bash")
        .args(["-eu", "-o", "pipefail", "-c", line])
        .current_dir(work.path())
        .env("PATH", path_with_simulate())
        .env("TRAJECTORIES", cluster::TRAJECTORIES)
        .env_remove("RUST_BACKTRACE")
        .timeout(Duration::from_secs(600))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the doc's GNU parallel line failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // Eight parts, as the line says, then the merge.
    for i in 1..=8 {
        let part = work.path().join(format!("parts/shard-{i}"));
        assert!(part.is_dir(), "{} was not written", part.display());
    }
    let single = single_run(work.path());
    assert_same_folder(&single, &work.path().join("outputs/putin_visit"));
}
