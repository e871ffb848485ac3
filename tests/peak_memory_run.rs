//! The resource estimate (`engine::estimate`) against the measured peak memory of a whole
//! `simulate` run of a 100-state reference world. Alone in its own test binary: a child's
//! peak resident set as the kernel reports it (getrusage) includes the memory of the
//! process that started it (a spawned child shares the parent's memory until it execs), so
//! nothing else may run, or be loaded, in this process before the child starts.

mod common;
#[cfg(target_os = "linux")]
mod peak;

#[path = "../benches/reference_world.rs"]
mod reference_world;
use reference_world::reference_text;

/// The resource estimate (`engine::estimate`) is an upper bound of the measured peak of a
/// whole `simulate` run of a 100-state world (load, run, plots and report), and not an
/// absurd one. Before the loaded scenario was counted, the 200-state world peaked above its
/// estimate (126 MB against 118 MB on one thread).
#[cfg(target_os = "linux")]
#[test]
fn the_estimate_bounds_the_peak_memory_of_a_100_state_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reference_n100.ron");
    std::fs::write(&path, reference_text(100, 4, 40)).unwrap();
    let (peak, _, e) = peak::run_within_estimate(&path, 300, 2);
    assert!(e.memory_bytes < 3 * peak, "{peak} bytes measured: {e:?}");
}
