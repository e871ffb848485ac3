//! The reproducibility contract (README, "Reproducibility"): the same scenario bytes, seed and trajectory
//! count give the same output bytes, whatever the thread count and however often it runs.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use common::{read, scenario};

const FILES: [&str; 3] = ["summary.json", "timeseries.csv", "exceedance.csv"];

/// 4,000 trajectories of putin_visit.ron with `seed` on `threads` threads, in `dir/NAME`.
fn run(dir: &Path, name: &str, seed: &str, threads: &str) -> PathBuf {
    let visit = scenario("putin_visit.ron");
    let args: [&dyn AsRef<OsStr>; 7] = [
        &visit,
        &"--trajectories",
        &"4000",
        &"--seed",
        &seed,
        &"--threads",
        &threads,
    ];
    common::run_into(&dir.join(name), &args)
}

#[test]
fn same_seed_gives_the_same_bytes_for_one_or_two_threads_and_on_a_second_run() {
    let dir = tempfile::tempdir().unwrap();
    let one = run(dir.path(), "one", "11", "1");
    let two = run(dir.path(), "two", "11", "2");
    let again = run(dir.path(), "again", "11", "2");
    let many = run(dir.path(), "many", "11", "7");
    for other in [&two, &again, &many] {
        common::assert_same_files(&one, other, &FILES, "for the same seed");
    }
}

#[test]
fn exceedance_curves_are_the_same_bytes_on_one_and_three_threads() {
    // baseline.ron's level outcomes are judged at the end and "ever", above and below; each
    // thread counts its trajectories' compared values, merged as integers.
    let dir = tempfile::tempdir().unwrap();
    let base = scenario("baseline.ron");
    let folders: Vec<PathBuf> = ["1", "3"]
        .iter()
        .map(|threads| {
            let args: [&dyn AsRef<OsStr>; 7] = [
                &base,
                &"-n",
                &"3000",
                &"--seed",
                &"5",
                &"--threads",
                threads,
            ];
            common::run_into(&dir.path().join(threads), &args)
        })
        .collect();
    let files = ["exceedance.csv", "report.html"];
    common::assert_same_files(&folders[0], &folders[1], &files, "on three threads");
    assert!(read(&folders[0].join("exceedance.csv")).len() > 10_000);
}

#[test]
fn another_seed_gives_other_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(dir.path(), "a", "11", "2");
    let b = run(dir.path(), "b", "12", "2");
    for file in FILES {
        assert!(
            read(&a.join(file)) != read(&b.join(file)),
            "{file} did not change with the seed"
        );
    }
}

#[test]
fn a_trajectory_gives_the_same_numbers_whatever_the_run_it_is_part_of() {
    // Trajectory r depends only on (seed, r): the first 256 of 512 are the first 256 of 256.
    use entente::engine::{run, Control, Plan};
    use std::sync::atomic::AtomicBool;
    let world = entente::scenario::load(&scenario("putin_visit.ron"))
        .unwrap()
        .world;
    let cancel = AtomicBool::new(false);
    let control = Control {
        progress: &|_| {},
        cancel: &cancel,
    };
    let mut half = Plan::new(512, 3, Some(2));
    half.chunks = 0..1;
    let first = run(&world, &half, &control).unwrap();
    let alone = run(&world, &Plan::new(256, 3, Some(1)), &control).unwrap();
    assert_eq!(first.trajectories, 256);
    assert_eq!(first.histogram, alone.histogram);
    assert_eq!(first.outcome_count, alone.outcome_count);
}

/// Every file `simulate explain` writes, but the pictures (drawn from these numbers).
const EXPLAINED: [&str; 8] = [
    "summary.json",
    "timeseries.csv",
    "outcomes.csv",
    "forces.csv",
    "contributions.csv",
    "conditional.csv",
    "discovery.csv",
    "report.html",
];

/// `simulate explain` of putin_visit.ron, 600 trajectories with seed 11, in `dir/NAME`.
fn explain(dir: &Path, name: &str, threads: &str) -> PathBuf {
    let visit = scenario("putin_visit.ron");
    let args: [&dyn AsRef<OsStr>; 8] = [
        &"explain",
        &visit,
        &"-n",
        &"600",
        &"--seed",
        &"11",
        &"--threads",
        &threads,
    ];
    common::run_into(&dir.join(name), &args)
}

#[test]
fn explain_writes_the_same_bytes_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let one = explain(dir.path(), "one", "1");
    let two = explain(dir.path(), "two", "2");
    common::assert_same_files(&one, &two, &EXPLAINED, "for the same seed");
    let plots = [
        "plots/forces_01_partnership_pakistan_russia.svg",
        "plots/discovery_tradeoff.svg",
    ];
    common::assert_same_files(&one, &two, &plots, "for the same seed");
}

/// The forces are collected by watching the step (`model::Watch`): explain's own run must
/// still be the run `simulate` makes, byte for byte, and a run without explain is the step
/// with nothing watching.
#[test]
fn explain_writes_the_run_files_a_run_with_the_same_seed_writes() {
    let dir = tempfile::tempdir().unwrap();
    let explained = explain(dir.path(), "explained", "2");
    let visit = scenario("putin_visit.ron");
    let args: [&dyn AsRef<OsStr>; 5] = [&visit, &"-n", &"600", &"--seed", &"11"];
    let ran = common::run_into(&dir.path().join("ran"), &args);
    let files = ["summary.json", "timeseries.csv", "outcomes.csv"];
    common::assert_same_files(&ran, &explained, &files, "between run and explain");
}
