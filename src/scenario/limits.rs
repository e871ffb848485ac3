//! Upper bounds on what a scenario file may ask for, checked before any work starts, so
//! that no file can make the engine allocate without bound.
//!
//! Memory of a run is dominated by the aggregates: metrics x (steps + 1) x 2000 histogram
//! bins x 8 bytes per worker; these limits keep the worst case within a laptop's memory.

/// Ten thousand steps is 2,500 years of quarters.
pub const MAX_STEPS: i64 = 10_000;
/// A billion trajectories is hours of work on a large machine; more is a typo.
pub const MAX_TRAJECTORIES: u64 = 1_000_000_000;
/// The step is O(N^3); 200 states is slow but possible.
pub const MAX_STATES: usize = 200;
pub const MAX_CHANNELS: usize = 32;
pub const MAX_EVENTS: usize = 1_000;
pub const MAX_NAME_LEN: usize = 200;
/// An outcome costs a counter and a first-step histogram (steps + 1 counts) per worker.
pub const MAX_OUTCOMES: usize = 1_000;
/// A tracked metric costs (steps + 1) x 2000 histogram bins x 8 bytes per worker: 160 MB at
/// the step limit. The product is checked before a run (see `estimate`).
pub const MAX_METRICS: usize = 500;
/// State weights are relative (only their ratios matter). Within [1e-4, 1e4] the balance
/// term's denominator, the total weight less two states' weights, is computed with a
/// relative error below 1e-5; a ratio of 1e16 or more made it zero or negative by rounding
/// (a balance of NaN or of the wrong sign), and weights near 1e308 overflowed the sums.
pub const MIN_WEIGHT: f64 = 1e-4;
pub const MAX_WEIGHT: f64 = 1e4;

/// What a run will cost, estimated before it starts from the compiled world and the plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Peak memory of the aggregates: each worker keeps its own set, and Rayon's fold and
    /// reduce hold about two per thread at the peak.
    pub memory_bytes: u64,
    /// Wall-clock time on `threads` cores, from a count of the step's inner operations at
    /// about a nanosecond each (within a factor of a few of measured runs).
    pub seconds: f64,
}

/// Bytes and operations of a run of `trajectories` over `threads` workers.
pub fn estimate(world: &crate::model::World, trajectories: u64, threads: usize) -> Estimate {
    use crate::engine::aggregate::BINS;
    let (n, k) = (world.n() as u64, world.k() as u64);
    let points = u64::from(world.steps) + 1;
    let metrics = world.metrics.len() as u64;
    let per_set = metrics * points * (BINS as u64 * 8 + 32)
        + (world.outcomes.len() + world.events.len()) as u64 * points * 8
        + (n * n + k * n * n) * 16;
    let sets = 2 * threads.max(1) as u64 + 1;
    let per_step = n * n * (2 * n + 3 * k + 40) + 20 * metrics + 50 * world.events.len() as u64;
    let operations = per_step as f64 * f64::from(world.steps) * trajectories as f64;
    Estimate {
        memory_bytes: per_set.saturating_mul(sets),
        seconds: operations * 1e-9 / threads.max(1) as f64,
    }
}

/// Memory this machine can give a run now (Linux: `MemAvailable`); `None` where unknown.
pub fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Set this environment variable to run even when the estimate says the memory will not
/// suffice (the estimate is rough; swap or a kinder allocator may make it fit).
pub const IGNORE_MEMORY_CHECK: &str = "ENTENTE_IGNORE_MEMORY_CHECK";

/// A run this long or longer gets a warning before it starts.
pub const WARN_SECONDS: f64 = 6.0 * 3600.0;

/// A scenario file is text written by hand: the shipped ones are about 25 KB, and 200
/// states with all their 39,800 stances and affinities take about 3 MB. Larger files are
/// refused without being read whole.
pub const MAX_FILE_BYTES: u64 = 16 << 20;
