//! Resource guards (issue 9, items 11 to 13): a command that cannot fit under the memory
//! limits it runs under, or asks for absurdly many threads, is refused with exit 2 before
//! any work, naming the limit.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Long enough for a refusal; a run that is not refused fails on this deadline instead of
/// hanging the suite.
const DEADLINE: Duration = Duration::from_secs(120);

/// A world of `states` states tracking `metrics` stances over `steps` steps.
fn world(dir: &Path, states: usize, metrics: usize, steps: u32) -> PathBuf {
    let names: Vec<String> = (0..states)
        .map(|i| format!("State(name: \"s{i}\")"))
        .collect();
    let stances: Vec<String> = (0..states)
        .flat_map(|i| (0..states).filter(move |&j| j != i).map(move |j| (i, j)))
        .take(metrics)
        .map(|(i, j)| format!("Stance(\"s{i}\", \"s{j}\")"))
        .collect();
    let file = dir.join("world.ron");
    std::fs::write(
        &file,
        format!(
            "Scenario(name: \"big\", steps: {steps}, trajectories: 1, states: [{}], \
             outcomes: [Outcome(name: \"close\", at_end: Above(Partnership(\"s0\", \"s1\"), 0.3))], \
             metrics: [{}])",
            names.join(", "),
            stances.join(", ")
        ),
    )
    .unwrap();
    file
}

/// `simulate ARGS` under `ulimit -v` of `kilobytes` (the address-space limit a cluster
/// job or a careful user sets).
fn under_address_limit(kilobytes: u64, args: &[&str]) -> assert_cmd::Command {
    let binary = assert_cmd::cargo::cargo_bin("simulate");
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {kilobytes} && exec \"$0\" \"$@\""))
        .arg(binary)
        .args(args)
        .env_remove(entente::engine::estimate::IGNORE_MEMORY_CHECK)
        .env_remove("RUST_BACKTRACE")
        .timeout(DEADLINE);
    cmd
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Defect: only MemAvailable was consulted, so under `ulimit -v 1000000` a run whose
/// aggregates need gigabytes (50 metrics x 1,000 steps) started and aborted on its first
/// large allocation. Now: exit 2 before any work, naming the address-space limit.
#[test]
fn run_over_the_address_space_limit_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = world(dir.path(), 8, 50, 1000);
    let out = dir.path().join("out");
    let assert = under_address_limit(
        1_000_000,
        &[
            file.to_str().unwrap(),
            "--quiet",
            "-j",
            "1",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .assert()
    .code(2);
    let message = stderr(assert.get_output());
    assert!(message.contains("address-space limit"), "{message}");
    assert!(message.contains("ulimit -v"), "{message}");
    assert!(!out.exists());
}

/// Defect: any value of ENTENTE_IGNORE_MEMORY_CHECK, even `0`, switched the check off, so
/// the same run started and aborted. Now only `1` does; `0` keeps the refusal.
#[test]
fn ignore_memory_check_set_to_0_keeps_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let file = world(dir.path(), 8, 50, 1000);
    let out = dir.path().join("out");
    let assert = under_address_limit(
        1_000_000,
        &[
            file.to_str().unwrap(),
            "--quiet",
            "-j",
            "1",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .env(entente::engine::estimate::IGNORE_MEMORY_CHECK, "0")
    .assert()
    .code(2);
    let message = stderr(assert.get_output());
    assert!(
        message.contains("ENTENTE_IGNORE_MEMORY_CHECK=1"),
        "{message}"
    );
    assert!(!out.exists());
}

/// Defect: `sensitivity` had no memory estimate: 200 factors at 100,000 samples builds
/// 20 million design rows (about 33 GB) and aborted after allocating. Now: exit 2 before
/// the design is drawn, saying what to change.
#[test]
fn sensitivity_design_too_large_for_memory_is_refused_before_work() {
    let dir = tempfile::tempdir().unwrap();
    let states: Vec<String> = (0..200).map(|i| format!("State(name: \"s{i}\")")).collect();
    let overrides: Vec<String> = (0..200)
        .map(|i| format!("\"s{i}\": Override(eta: Uniform(0.05, 0.2))"))
        .collect();
    let file = dir.path().join("design.ron");
    std::fs::write(
        &file,
        format!(
            "Scenario(name: \"design\", steps: 1, trajectories: 1, states: [{}], \
             params: Params(overrides: {{{}}}), \
             outcomes: [Outcome(name: \"close\", at_end: Above(Partnership(\"s0\", \"s1\"), 0.3))])",
            states.join(", "),
            overrides.join(", ")
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let assert = under_address_limit(
        4_000_000,
        &[
            "sensitivity",
            file.to_str().unwrap(),
            "--samples",
            "100000",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .assert()
    .code(2);
    let message = stderr(assert.get_output());
    assert!(message.contains("sensitivity analysis"), "{message}");
    assert!(message.contains("fewer --samples"), "{message}");
    assert!(!out.exists());
}

/// Defect: `sweep` checked the memory of a run with the world's metrics (which it drops)
/// and nothing of its own, so a 200-state, 32-channel world on 8 threads started under a
/// 1 GB address-space limit. Now its own estimate (the workers' blocks of trajectories
/// dominate here) refuses it with exit 2 before any grid point runs.
#[test]
fn sweep_too_large_for_memory_is_refused_before_work() {
    let dir = tempfile::tempdir().unwrap();
    let states: Vec<String> = (0..200).map(|i| format!("State(name: \"s{i}\")")).collect();
    let channels: Vec<String> = (0..32).map(|c| format!("\"c{c}\"")).collect();
    let file = dir.path().join("sweep.ron");
    std::fs::write(
        &file,
        format!(
            "Scenario(name: \"sweep\", steps: 1, trajectories: 1, channels: [{}], states: [{}], \
             outcomes: [Outcome(name: \"close\", at_end: Above(Partnership(\"s0\", \"s1\"), 0.3))])",
            channels.join(", "),
            states.join(", ")
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let assert = under_address_limit(
        1_000_000,
        &[
            "sweep",
            file.to_str().unwrap(),
            "--param",
            "eta=0.1:0.2:2",
            "-j",
            "8",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .assert()
    .code(2);
    let message = stderr(assert.get_output());
    assert!(message.contains("this sweep"), "{message}");
    assert!(message.contains("address-space limit"), "{message}");
    assert!(!out.exists());
}

/// Defect: `-j 10000` was accepted and a one-trajectory run took 163 s starting threads.
/// Now a thread count above the bound (1,024, or 4 per core on larger machines) is exit 2.
#[test]
fn threads_beyond_the_bound_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let assert = common::simulate()
        .arg(common::scenario("putin_visit.ron"))
        .args(["-n", "1", "-j", "10000", "--quiet", "--out"])
        .arg(&out)
        .timeout(DEADLINE)
        .assert()
        .code(2);
    let message = stderr(assert.get_output());
    assert!(message.contains("--threads 10000"), "{message}");
    assert!(!out.exists());
}

/// Defect: the refusal said "on 1 threads". Now it reads "on 1 thread".
#[test]
fn one_thread_is_not_written_threads() {
    let dir = tempfile::tempdir().unwrap();
    // 500 metrics x 10,000 steps: 80 GB per set of aggregates, beyond any free memory here.
    let file = world(dir.path(), 23, 500, 10_000);
    let assert = common::simulate()
        .arg(&file)
        .args(["-j", "1", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .env_remove(entente::engine::estimate::IGNORE_MEMORY_CHECK)
        .timeout(DEADLINE)
        .assert()
        .code(2);
    let message = stderr(assert.get_output());
    assert!(message.contains("on 1 thread)"), "{message}");
    assert!(!message.contains("1 threads"), "{message}");
}
