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
/// Problems a file (a scenario or a variant) lists at most, then how many more: past a
/// screenful, more lines help no one (a broken copy with thousands of duplicate lines would
/// print thousands), and a variant of 20,000 misspelt names measured each against every
/// name of its base for a minute before printing 20,000 lines.
pub const MAX_PROBLEMS: usize = 50;
/// An outcome costs a counter and a first-step histogram (steps + 1 counts) per worker.
pub const MAX_OUTCOMES: usize = 1_000;
/// A tracked metric costs (steps + 1) x 2000 histogram bins x 8 bytes per worker: 160 MB at
/// the step limit. The product is checked before a run (see `engine::estimate`).
pub const MAX_METRICS: usize = 500;
/// State weights are relative (only their ratios matter). Within [1e-4, 1e4] the balance
/// term's denominator, the total weight less two states' weights, is computed with a
/// relative error below 1e-5; a ratio of 1e16 or more made it zero or negative by rounding
/// (a balance of NaN or of the wrong sign), and weights near 1e308 overflowed the sums.
pub const MIN_WEIGHT: f64 = 1e-4;
pub const MAX_WEIGHT: f64 = 1e4;

/// A scenario file is text written by hand: the shipped ones are about 25 KB, and 200
/// states with all their 39,800 stances and affinities take about 3 MB. Larger files are
/// refused without being read whole.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// Observations an observations file (`simulate score`) may hold: each is scored against
/// its metric's whole histogram (2000 bins), so this many take a fraction of a second, and
/// more are a file of something else.
pub const MAX_OBSERVATIONS: usize = 100_000;

/// Columns an observations file may have: it needs three (`metric`, `step`, `value`), and
/// a few more hold notes; a line of many more is a file of something else, refused as it
/// is read rather than held (a 16 MB line of commas held whole took 580 MB).
pub const MAX_COLUMNS: usize = 100;

/// Why `n` trajectories are refused, unless 1 <= n <= `MAX_TRAJECTORIES`: the check of
/// `--trajectories` and of a shard's manifest alike.
pub fn check_trajectories(n: u64) -> Result<(), String> {
    if n == 0 || n > MAX_TRAJECTORIES {
        return Err(format!(
            "--trajectories must be between 1 and {MAX_TRAJECTORIES}, got {n}"
        ));
    }
    Ok(())
}

/// The message of a list longer than its limit, the same for a full file and for the
/// variant change that makes a list too long.
pub fn too_many(what: &str, limit: usize, count: usize) -> String {
    format!("at most {limit} {what} are allowed, got {count}")
}
