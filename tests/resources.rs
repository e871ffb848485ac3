//! Resource guards (issue 9, items 11 to 13): a command that cannot fit under the memory
//! limits it runs under, or asks for absurdly many threads, is refused with exit 2 before
//! any work, naming the limit.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

/// Long enough for a refusal; a run that is not refused fails on this deadline instead of
/// hanging the suite.
const DEADLINE: Duration = Duration::from_secs(120);

/// The states `s0`, `s1`, ... of a generated world, as scenario text.
fn states(count: usize) -> String {
    let states: Vec<String> = (0..count)
        .map(|i| format!("State(name: \"s{i}\")"))
        .collect();
    states.join(", ")
}

/// The first `count` stances between distinct states `si -> sj` of a world of `states`
/// states, in order of i then j, as scenario text: as many tracked metrics as asked for.
fn stances(states: usize, count: usize) -> String {
    let pairs = (0..states).flat_map(|i| (0..states).filter(move |&j| j != i).map(move |j| (i, j)));
    let stances: Vec<String> = pairs
        .take(count)
        .map(|(i, j)| format!("Stance(\"s{i}\", \"s{j}\")"))
        .collect();
    stances.join(", ")
}

/// Writes the scenario `name` with `steps` steps, one trajectory, one outcome and the rest
/// of its fields `fields` (states, metrics, ...) as `dir/NAME.ron`.
fn write_world(dir: &Path, name: &str, steps: u32, fields: &str) -> PathBuf {
    let file = dir.join(format!("{name}.ron"));
    std::fs::write(
        &file,
        format!(
            "Scenario(name: \"{name}\", steps: {steps}, trajectories: 1, {fields}, \
             outcomes: [Outcome(name: \"close\", at_end: Above(Partnership(\"s0\", \"s1\"), 0.3))])"
        ),
    )
    .unwrap();
    file
}

/// A world of `states` states tracking `metrics` stances over `steps` steps.
fn world(dir: &Path, states: usize, metrics: usize, steps: u32) -> PathBuf {
    let fields = format!(
        "states: [{}], metrics: [{}]",
        self::states(states),
        stances(states, metrics)
    );
    write_world(dir, "big", steps, &fields)
}

/// `simulate ARGS --quiet --out OUT` under `ulimit -v` of `kilobytes` (the address-space
/// limit a cluster job or a careful user sets).
fn under_address_limit(kilobytes: u64, args: &[&str], out: &Path) -> Command {
    let binary = assert_cmd::cargo::cargo_bin("simulate");
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {kilobytes} && exec \"$0\" \"$@\""))
        .arg(binary)
        .args(args)
        .args(["--quiet", "--out"])
        .arg(out)
        .env_remove(entente::engine::host::IGNORE_MEMORY_CHECK)
        .env_remove("RUST_BACKTRACE")
        .timeout(DEADLINE);
    cmd
}

/// Runs `cmd`, which must be refused with exit 2 leaving no `out` behind, and returns its
/// message.
fn refusal(mut cmd: Command, out: &Path) -> String {
    let assert = cmd.assert().code(2);
    let message = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        !out.exists(),
        "a refused run left {}: {message}",
        out.display()
    );
    message
}

/// Defect: only MemAvailable was consulted, so under `ulimit -v 1000000` a run whose
/// aggregates need gigabytes (50 metrics x 1,000 steps) started and aborted on its first
/// large allocation. Now: exit 2 before any work, naming the address-space limit.
#[test]
fn run_over_the_address_space_limit_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = world(dir.path(), 8, 50, 1000);
    let out = dir.path().join("out");
    let run = under_address_limit(1_000_000, &[file.to_str().unwrap(), "-j", "1"], &out);
    let message = refusal(run, &out);
    assert!(message.contains("address-space limit"), "{message}");
    assert!(message.contains("ulimit -v"), "{message}");
}

/// Defect: any value of ENTENTE_IGNORE_MEMORY_CHECK, even `0`, switched the check off, so
/// the same run started and aborted. Now only `1` does; `0` keeps the refusal.
#[test]
fn ignore_memory_check_set_to_0_keeps_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let file = world(dir.path(), 8, 50, 1000);
    let out = dir.path().join("out");
    let mut run = under_address_limit(1_000_000, &[file.to_str().unwrap(), "-j", "1"], &out);
    run.env(entente::engine::host::IGNORE_MEMORY_CHECK, "0");
    let message = refusal(run, &out);
    assert!(
        message.contains("ENTENTE_IGNORE_MEMORY_CHECK=1"),
        "{message}"
    );
}

/// Defect: `sensitivity` had no memory estimate: 200 factors at 100,000 samples builds
/// 20 million design rows (about 33 GB) and aborted after allocating. Now: exit 2 before
/// the design is drawn, saying what to change.
#[test]
fn sensitivity_design_too_large_for_memory_is_refused_before_work() {
    let dir = tempfile::tempdir().unwrap();
    let overrides: Vec<String> = (0..200)
        .map(|i| format!("\"s{i}\": Override(eta: Uniform(0.05, 0.2))"))
        .collect();
    let fields = format!(
        "states: [{}], params: Params(overrides: {{{}}})",
        states(200),
        overrides.join(", ")
    );
    let file = write_world(dir.path(), "design", 1, &fields);
    let out = dir.path().join("out");
    let args = ["sensitivity", file.to_str().unwrap(), "--samples", "100000"];
    let message = refusal(under_address_limit(4_000_000, &args, &out), &out);
    assert!(message.contains("sensitivity analysis"), "{message}");
    assert!(message.contains("fewer --samples"), "{message}");
}

/// Defect: `sweep` checked the memory of a run with the world's metrics (which it drops)
/// and nothing of its own, so a 200-state, 32-channel world on 8 threads started under a
/// 1 GB address-space limit. Now its own estimate (the workers' blocks of trajectories
/// dominate here) refuses it with exit 2 before any grid point runs.
#[test]
fn sweep_too_large_for_memory_is_refused_before_work() {
    let dir = tempfile::tempdir().unwrap();
    let channels: Vec<String> = (0..32).map(|c| format!("\"c{c}\"")).collect();
    let fields = format!(
        "channels: [{}], states: [{}]",
        channels.join(", "),
        states(200)
    );
    let file = write_world(dir.path(), "sweep", 1, &fields);
    let out = dir.path().join("out");
    let args = [
        "sweep",
        file.to_str().unwrap(),
        "--param",
        "eta=0.1:0.2:2",
        "-j",
        "8",
        // Eight blocks of trajectories, so that all eight threads have work: a run starts
        // no more threads than it has blocks (`engine::threads`).
        "-n",
        "32",
    ];
    let message = refusal(under_address_limit(1_000_000, &args, &out), &out);
    assert!(message.contains("this sweep"), "{message}");
    assert!(message.contains("address-space limit"), "{message}");
}

/// Defect (issue 19, item 4): `merge` had no memory estimate. A world tracking 10 metrics
/// over 500 steps has 80 MB of histograms a set of aggregates, and a merge holds the
/// result, the part it adds and the summary: under `ulimit -v 200000` it aborted (exit 134,
/// "memory allocation failed") after reading its parts. Now it is refused with exit 2 before
/// any aggregates are read, naming the limit, like every other command.
#[test]
fn merge_over_the_address_space_limit_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = world(dir.path(), 8, 10, 500);
    let part = dir.path().join("part");
    common::simulate()
        .arg(&file)
        .args(["--shard", "1/1", "--quiet", "--out"])
        .arg(&part)
        .assert()
        .success();
    let out = dir.path().join("out");
    let merge = under_address_limit(200_000, &["merge", part.to_str().unwrap()], &out);
    let message = refusal(merge, &out);
    assert!(message.contains("this merge"), "{message}");
    assert!(message.contains("address-space limit"), "{message}");
}

/// Defect: `-j 10000` was accepted and a one-trajectory run took 163 s starting threads.
/// Now a thread count above the bound (1,024, or 4 per core on larger machines) is exit 2.
#[test]
fn threads_beyond_the_bound_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut run = common::simulate();
    run.arg(common::scenario("putin_visit.ron"))
        .args(["-n", "1", "-j", "10000", "--quiet", "--out"])
        .arg(&out)
        .timeout(DEADLINE);
    let message = refusal(run, &out);
    assert!(message.contains("--threads 10000"), "{message}");
}

/// Defect: the refusal said "on 1 threads". Now it reads "on 1 thread".
#[test]
fn one_thread_is_not_written_threads() {
    let dir = tempfile::tempdir().unwrap();
    // 500 metrics x 10,000 steps: 80 GB per set of aggregates, beyond any free memory here.
    let file = world(dir.path(), 23, 500, 10_000);
    let out = dir.path().join("out");
    let mut run = common::simulate();
    run.arg(&file)
        .args(["-j", "1", "--quiet", "--out"])
        .arg(&out)
        .env_remove(entente::engine::host::IGNORE_MEMORY_CHECK)
        .timeout(DEADLINE);
    let message = refusal(run, &out);
    assert!(message.contains("on 1 thread)"), "{message}");
    assert!(!message.contains("1 threads"), "{message}");
}
