//! The measured peak memory of one whole `simulate` run against the resource estimate
//! (`engine::estimate`), for the test binaries that do nothing else (`tests/peak_memory*.rs`):
//! a child's peak resident set as the kernel reports it (getrusage) includes the memory of
//! the process that started it (a spawned child shares the parent's memory until it execs),
//! so nothing else may run, or be loaded, in the process before the child starts.

use std::path::Path;

use entente::engine::estimate::{estimate, Estimate};
use entente::model::World;

/// The largest resident set of the children this test binary has waited for, in bytes
/// (Linux reports kilobytes).
fn children_peak_rss() -> u64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let status = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(status, 0, "getrusage failed");
    usage.ru_maxrss as u64 * 1024
}

/// Runs `simulate` on `path` (`trajectories` on `threads`), then checks that the estimate
/// bounds the measured peak; returns the peak, the world (loaded only after the run, so
/// that it does not count in the child's peak) and the estimate.
pub fn run_within_estimate(
    path: &Path,
    trajectories: u64,
    threads: usize,
) -> (u64, World, Estimate) {
    super::common::simulate()
        .arg(path)
        .args([
            "-n",
            &trajectories.to_string(),
            "-j",
            &threads.to_string(),
            "-q",
            "-o",
        ])
        .arg(path.with_extension("out"))
        .assert()
        .success();
    let peak = children_peak_rss();
    let world = entente::scenario::load(path).unwrap().world;
    let e = estimate(&world, trajectories, threads);
    eprintln!(
        "{}: measured peak RSS {peak} bytes, estimate {e:?}",
        path.display()
    );
    assert!(e.memory_bytes >= peak, "{peak} bytes measured: {e:?}");
    (peak, world, e)
}
