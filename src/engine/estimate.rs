//! What a command will cost, estimated before it starts, and the memory it must fit in.
//!
//! The estimate counts the engine's own allocations (its histogram bins, the kernel's block
//! of trajectories, one set of aggregates per busy thread), so it lives beside them; the
//! limits it is measured against are `engine::host`'s.

use super::aggregate::BINS;
use crate::model::background::EXIT_CEILING;
use crate::model::lanes::BLOCK;
use crate::model::{BackgroundParam, ParamTarget, Target, World};

/// What a command will cost, estimated before it starts from the compiled world and the
/// plan, so that a run that cannot fit is refused in a second instead of aborting later.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Peak resident memory, an upper bound (see [`estimate`]).
    pub memory_bytes: u64,
    /// Peak address space, an upper bound: what `ulimit -v` is measured against. Larger than
    /// the resident memory because zeroed allocations not yet touched, thread stacks and the
    /// allocator's per-thread arenas count too.
    pub address_space_bytes: u64,
    /// Wall-clock time on `threads` cores, from a count of the step's inner operations at
    /// about a nanosecond each (within a factor of a few of measured runs).
    pub seconds: f64,
}

impl std::ops::Add for Estimate {
    type Output = Estimate;
    fn add(self, other: Estimate) -> Estimate {
        Estimate {
            memory_bytes: self.memory_bytes.saturating_add(other.memory_bytes),
            address_space_bytes: self
                .address_space_bytes
                .saturating_add(other.address_space_bytes),
            seconds: self.seconds + other.seconds,
        }
    }
}

/// What the process holds before any run: code, the loaded scenario, the allocator.
const BASELINE_BYTES: u64 = 32 << 20;
/// Address space each worker thread reserves: glibc's 64 MB malloc arena and a 2 MB stack.
const THREAD_ADDRESS_BYTES: u64 = 66 << 20;
/// Address space of the process before any worker starts (measured: about 20 MB).
const BASELINE_ADDRESS_BYTES: u64 = 96 << 20;

/// Bytes one entry of the loaded scenario (a stance, an affinity or a tie) holds for the
/// whole run: its text (about 70 bytes a line), the parsed entry with its name strings and
/// the list's spare capacity. Measured with `simulate check` on the reference worlds:
/// 219 bytes an entry at N = 100 (13 MB over a small file's peak for 59,400 entries) and
/// 293 at N = 200 (70 MB for 238,800). Longer names make fewer entries fit in the 16 MB a
/// file may be, so the bound holds for them too.
const LOADED_BYTES_PER_ENTRY: u64 = 320;

/// Bytes a metric's cell (one metric at one step) of `Aggregates` holds beside its bins:
/// the sum (an i128, 16), the smallest and largest value (8 each) and the counts at the
/// range's two ends (`at_low`, `at_high`, 8 each). It was counted 32, from before the ends'
/// counts.
const CELL_BYTES: u64 = 16 + 8 + 8 + 8 + 8;

/// Bytes one counted bloc configuration takes (`Aggregates::blocs`).
const BLOC_ENTRY_BYTES: u64 = 64;

/// Bytes and operations of a run of `trajectories` over `threads` workers.
///
/// The engine folds chunks into at most `threads + 1` sets of aggregates (Rayon's
/// `par_bridge` and `reduce_with`), each with its worker. Peak resident memory (RSS) and
/// address space (VmPeak) measured against this estimate on the 2-core machine:
///
/// | world | threads | estimate: memory, address space | measured: RSS, VmPeak |
/// | --- | --- | --- | --- |
/// | 3 states, 6 metrics, 1,000 steps, 20,000 trajectories | 1 | 246 MB, 488 MB | 103 MB, 323 MB |
/// | the same | 2 | 352 MB, 663 MB | 161 MB, 480 MB |
/// | the same | 4 | 564 MB, 1,013 MB | 313 MB, 795 MB |
/// | the same | 8 | 988 MB, 1,714 MB | 521 MB, 1,426 MB |
/// | 60 states, 4 channels, 20 metrics, 200 steps, 3,000 trajectories | 1 | 183 MB, 390 MB | 78 MB, 266 MB |
/// | the same | 2 | 258 MB, 534 MB | 113 MB, 391 MB |
/// | 200 states, 8 channels, 1 metric, 20 steps, 64 trajectories | 1 | 203 MB, 346 MB | 69 MB, runs under `ulimit -v` 231 MB |
/// | the same | 2 | about 0.3 GB, 0.5 GB | 133 MB, runs under `ulimit -v` 431 MB |
/// | reference world, 100 states, 4 channels, 40 steps, 300 trajectories | 1 | 76 MB, 215 MB | 39 MB, runs under `ulimit -v` 215 MB |
/// | the same | 2 | 88 MB, 296 MB | 48 MB, runs under 296 MB |
/// | reference world, 200 states, 4 channels, 40 steps, 50 trajectories | 1 | 196 MB, 337 MB | 126 MB, runs under 337 MB |
/// | the same | 2 | 196 MB, 449 MB | 164 MB, runs under 449 MB |
///
/// (The reference worlds: `benches/reference_world.rs`; whole `simulate` runs with plots
/// and report. Their estimated times, 30 and 15 s at N = 100, 36 and 18 s at N = 200, bound
/// the measured CPU time: 7.1 and 7.5 s, 17.9 and 18.9 s over both threads.)
///
/// Before (Rayon's indexed `fold` and `reduce` with an identity), work stealing kept a set
/// alive at every level of the split: the first world took 590 MB on 2 threads and
/// 2,279 MB on 4 with 50,000 trajectories, against 481 and 867 MB then estimated.
pub fn estimate(world: &World, trajectories: u64, threads: usize) -> Estimate {
    run_estimate(world, world.metrics.len(), trajectories, threads)
}

/// As [`estimate`], for a world tracking `metrics` metrics (sweeps and sensitivity
/// analyses drop them all).
fn run_estimate(world: &World, metrics: usize, trajectories: u64, threads: usize) -> Estimate {
    let (n, k) = (world.n() as u64, world.k() as u64);
    let threads = threads.max(1) as u64;
    let per_set = set_bytes(world, metrics, trajectories);
    let metrics = metrics as u64;
    // A worker's block of trajectories: the kernel's arrays (13 of n x n and 3 of
    // k x n x n per lane, `model::lanes::Lanes::new`; 2 of n x n shared by the lanes) and
    // each lane's own state (2 of n x n and 2 of k x n x n).
    let lanes = BLOCK as u64;
    // Each lane's state also holds room for the background's weights of a market (n).
    let per_worker =
        lanes * 8 * (n * n * (13 + 2) + k * n * n * (3 + 2) + n) + 8 * 2 * n * n + (64 << 10);
    // At most `threads + 1` folds, each allocating one set and a worker; only a fold that
    // gets a unit of work (`engine::run::units`, down to one block) touches its memory, and the last one to start on a busy thread gets
    // none, so resident memory counts one set and worker per busy thread, plus one.
    let folds = threads + 1;
    let busy = threads.min(trajectories.div_ceil(BLOCK as u64).max(1));
    let resident = (busy + 1).saturating_mul(per_set.saturating_add(per_worker));
    let reserved = (folds + 1)
        .saturating_mul(per_set)
        .saturating_add(folds * per_worker);
    let loaded = loaded_bytes(world);
    let per_step = n * n * (2 * n + 3 * k + 40) + 20 * metrics + 50 * world.events.len() as u64;
    let per_step = per_step as f64 + background_operations(world);
    let operations = per_step * f64::from(world.steps) * trajectories as f64;
    Estimate {
        // A tenth more for the allocator's rounding and fragmentation.
        memory_bytes: with_margin(resident) + BASELINE_BYTES + loaded,
        address_space_bytes: with_margin(reserved)
            + BASELINE_ADDRESS_BYTES
            + loaded
            + threads * THREAD_ADDRESS_BYTES,
        seconds: operations * 1e-9 / threads as f64,
    }
}

/// The background's operations in one step of one trajectory (`model::background`): its
/// expected jumps and supplier changes at the largest rates the file may draw, each a few
/// draws and a pass over one market's row (a supplier change cost about 80 ns with 5 states
/// on the 2-core machine: `scenarios/putin_visit.ron`, 5.25 a step).
fn background_operations(world: &World) -> f64 {
    let Some(background) = &world.background else {
        return 0.0;
    };
    let largest = |param: BackgroundParam| {
        let target = Target::Param(ParamTarget::Background(param));
        world
            .params
            .iter()
            .filter(|slot| slot.targets.contains(&target))
            .map(|slot| slot.sampler.support().1)
            .fold(0.0, f64::max)
    };
    let n = world.n() as f64;
    let per_year = background.steps_per_year.max(f64::MIN_POSITIVE);
    let jumps = largest(BackgroundParam::JumpRate) * n * (n - 1.0) / per_year;
    let contracts =
        largest(BackgroundParam::SupplierRate) * background.rows.len() as f64 / per_year;
    // Exits are thinned: candidates come at the rate of a supplier at the floor in each of
    // a market's n - 1 slots, each two draws and a test of a share (measured: an 11-state
    // world of steps of a century at `exit_rate: 2`, 116,000 candidates a step, 2.3 ms a
    // step more than at `exit_rate: 0`, about 20 ns each).
    let slots = background.rows.len() as f64 * (n - 1.0);
    let candidates = largest(BackgroundParam::ExitRate) * EXIT_CEILING * slots / per_year;
    jumps * 40.0 + contracts * (15.0 * n + 5.0) + candidates * 20.0
}

/// Bytes of one set of aggregates of `world` tracking `metrics` metrics over `trajectories`.
fn set_bytes(world: &World, metrics: usize, trajectories: u64) -> u64 {
    let (n, k) = (world.n() as u64, world.k() as u64);
    let points = u64::from(world.steps) + 1;
    // The bloc counts hold one entry per distinct final configuration: at most the
    // trajectories and 2^(N-1); an entry (a 32-byte key, an 8-byte count) takes about 64
    // bytes in a B-tree node.
    let configurations = match n.saturating_sub(1) {
        bits @ 0..=62 => trajectories.min(1 << bits),
        _ => trajectories,
    };
    let blocs = configurations.saturating_mul(BLOC_ENTRY_BYTES);
    let per_set = metrics as u64 * points * (BINS as u64 * 8 + CELL_BYTES)
        + (world.outcomes.len() + world.events.len()) as u64 * points * 8
        + (n * n + k * n * n) * 16;
    per_set.saturating_add(blocs)
}

/// Bytes the loaded scenario holds for the whole command.
fn loaded_bytes(world: &World) -> u64 {
    // Counted by the entries the world holds (the nonzero stances, affinities and shares)
    // or the file writes, whichever is more: below 10 MB up to about 70 states, 76 MB at
    // 200 states with 4 channels, where it was missing and a 50-trajectory run peaked at
    // 126 MB against 118 MB estimated. The nonzero values alone missed a file that writes
    // every entry as 0 (162 MB measured, 118 MB estimated); counting every entry a file
    // *may* have instead made a 200-state world with no relations 4.6x its measured peak.
    let nonzero = [&world.stance, &world.affinity, &world.share]
        .iter()
        .flat_map(|values| values.iter())
        .filter(|&&x| x != 0.0)
        .count() as u64;
    nonzero.max(world.written_entries) * LOADED_BYTES_PER_ENTRY
}

fn with_margin(bytes: u64) -> u64 {
    bytes.saturating_add(bytes / 10)
}

/// A comparison runs its worlds side by side on the same threads: each world's sets of
/// aggregates and workers as in [`estimate`], plus in every set the paired effects of each
/// scenario after the first on the `shared_metrics` metrics (`engine::effects`: six 16-byte
/// sums per metric and step) and in every worker each trajectory's current metric values.
pub fn compare_estimate(
    worlds: &[&World],
    shared_metrics: usize,
    trajectories: u64,
    threads: usize,
) -> Estimate {
    let runs = worlds
        .iter()
        .map(|w| estimate(w, trajectories, threads))
        .reduce(|a, b| a + b)
        .unwrap_or(Estimate {
            memory_bytes: 0,
            address_space_bytes: 0,
            seconds: 0.0,
        });
    let points = worlds
        .iter()
        .map(|w| u64::from(w.steps) + 1)
        .min()
        .unwrap_or(1);
    let others = worlds.len().saturating_sub(1) as u64;
    let per_set = others
        .saturating_mul(shared_metrics as u64)
        .saturating_mul(points)
        .saturating_mul(super::effects::SUMS_PER_CELL as u64 * 16);
    let values: u64 = worlds.iter().map(|w| w.metrics.len() as u64 * 8).sum();
    let per_fold = per_set.saturating_add(BLOCK as u64 * values);
    // As in `run_estimate`: a set per busy thread plus one resident, `threads + 1` folds and
    // the reduction's set reserved.
    let threads = threads.max(1) as u64;
    let busy = threads.min(trajectories.div_ceil(BLOCK as u64).max(1));
    let resident = with_margin((busy + 1).saturating_mul(per_fold));
    let reserved = with_margin((threads + 2).saturating_mul(per_fold));
    Estimate {
        memory_bytes: runs.memory_bytes.saturating_add(resident),
        address_space_bytes: runs.address_space_bytes.saturating_add(reserved),
        seconds: runs.seconds,
    }
}

/// A sweep runs its grid points in joint runs of the first point and up to `batch` others
/// (paired, with every metric), one run after another, and keeps a few numbers per point,
/// outcome and metric.
pub fn sweep_estimate(
    world: &World,
    points: usize,
    batch: usize,
    trajectories: u64,
    threads: usize,
) -> Estimate {
    let side_by_side = vec![world; 1 + batch.min(points.saturating_sub(1))];
    let run = compare_estimate(&side_by_side, world.metrics.len(), trajectories, threads);
    let runs = points.saturating_sub(1).div_ceil(batch.max(1)).max(1);
    // One world's time per point, and the first point's again in every run after the first.
    let one = estimate(world, trajectories, threads).seconds;
    // The grid's values and, per point and outcome or metric, a named count with its
    // interval and its effect.
    let targets = (world.outcomes.len() + world.metrics.len()) as u64;
    let per_point = 64 + 8 * 16 + targets * 192;
    let held = with_margin(points as u64 * per_point);
    Estimate {
        memory_bytes: run.memory_bytes + held,
        address_space_bytes: run.address_space_bytes + held,
        seconds: one * (points + runs - 1) as f64,
    }
}

/// A sensitivity analysis runs the N (k + 2) rows of a Saltelli design one after another,
/// each with the world's tracked metrics (their final means are analysed too). It holds
/// every row's k quantiles at once (the design's A and B and the rows built from them) and
/// each outcome's and metric's value at every row, then draws `resamples` bootstrap
/// resamples of the indices.
pub fn sensitivity_estimate(
    world: &World,
    samples: u64,
    factors: usize,
    units: usize,
    resamples: usize,
    trajectories: u64,
    threads: usize,
) -> Estimate {
    let run = run_estimate(world, world.metrics.len(), trajectories, threads);
    // A row per unit (a factor, or a group of factors swapped together), each as wide as the
    // factors.
    let rows = samples.saturating_mul(units as u64 + 2);
    // A row is a Vec of k f64 (plus its header and the allocator's 16 bytes).
    let per_row = 8 * factors as u64 + 40;
    let outcomes = (world.outcomes.len() + world.metrics.len()) as u64;
    let held = (rows + 2 * samples)
        .saturating_mul(per_row)
        .saturating_add(rows.saturating_mul(8 * outcomes))
        // The bootstrap's draws: two per unit, resample and outcome at a time.
        .saturating_add(2 * units as u64 * (resamples as u64 + 8) * 8);
    let held = with_margin(held);
    Estimate {
        memory_bytes: run.memory_bytes.saturating_add(held),
        address_space_bytes: run.address_space_bytes.saturating_add(held),
        seconds: run.seconds * rows as f64,
    }
}

/// Bytes a merge holds per part while it reads the others: the verified manifest (its
/// strings and the sha256 of each file), the folder's path and the map's entry. Under 1 KB
/// by the sizes of those fields for a part of a variant's run; counted twice over.
const PART_BYTES: u64 = 2 << 10;

/// A merge of `parts` shards of a run of `trajectories`, on one thread: the merged
/// aggregates, the one part's aggregates it is adding, and the summary its files are
/// written from (counted as a third set, which bounds it: the summary holds a few numbers
/// per metric and step where a set holds 2,000 bins), beside the loaded scenario and every
/// part's manifest. Measured against it: README, "Shards".
pub fn merge_estimate(world: &World, trajectories: u64, parts: u64) -> Estimate {
    let set = set_bytes(world, world.metrics.len(), trajectories);
    let held = with_margin(
        set.saturating_mul(3)
            .saturating_add(parts.saturating_mul(PART_BYTES)),
    );
    let loaded = loaded_bytes(world);
    Estimate {
        memory_bytes: held + BASELINE_BYTES + loaded,
        address_space_bytes: held + BASELINE_ADDRESS_BYTES + loaded,
        // About 100 MB of aggregates a second, decoded, added and exported (2 parts of
        // 320 MB each: 6 s).
        seconds: parts as f64 * set as f64 * 1e-8,
    }
}

/// A run this long or longer gets a warning before it starts.
pub const WARN_SECONDS: f64 = 6.0 * 3600.0;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::analysis::sensitivity::BOOTSTRAP;

    fn world(states: usize, metrics: usize, steps: u32, channels: usize) -> World {
        let names: Vec<String> = (0..states)
            .map(|i| format!("State(name: \"s{i}\")"))
            .collect();
        let stances: Vec<String> = (0..states)
            .flat_map(|i| (0..states).filter(move |&j| j != i).map(move |j| (i, j)))
            .take(metrics)
            .map(|(i, j)| format!("Stance(\"s{i}\", \"s{j}\")"))
            .collect();
        let text = format!(
            "Scenario(name: \"w\", steps: {steps}, channels: [{}], states: [{}], \
             outcomes: [Outcome(name: \"o\", at_end: Above(Partnership(\"s0\", \"s1\"), 0.3))], \
             metrics: [{}])",
            (0..channels)
                .map(|c| format!("\"c{c}\""))
                .collect::<Vec<_>>()
                .join(", "),
            names.join(", "),
            stances.join(", ")
        );
        crate::scenario::parse(Path::new("w.ron"), text.as_bytes())
            .expect("a valid world")
            .1
    }

    /// A world with every stance, affinity and tie written (the reference form's size:
    /// 2 + k entries per ordered pair) and two tracked metrics.
    fn dense_world(states: usize, channels: usize, steps: u32) -> World {
        let pairs: Vec<(usize, usize)> = (0..states)
            .flat_map(|i| (0..states).filter(move |&j| j != i).map(move |j| (i, j)))
            .collect();
        let entries = |x: f64| -> String {
            pairs
                .iter()
                .map(|(i, j)| format!("(\"s{i}\", \"s{j}\", {x})"))
                .collect::<Vec<_>>()
                .join(",\n")
        };
        let share = 0.5 / states as f64;
        let ties: Vec<String> = (0..channels)
            .flat_map(|c| {
                pairs.iter().map(move |(i, j)| {
                    format!("Tie(from: \"s{i}\", to: \"s{j}\", channel: \"c{c}\", share: {share})")
                })
            })
            .collect();
        let text = format!(
            "Scenario(name: \"w\", steps: {steps}, channels: [{}], states: [{}],\n\
             stances: [{}],\naffinities: [{}],\nties: [{}],\n\
             outcomes: [Outcome(name: \"o\", at_end: Above(Partnership(\"s0\", \"s1\"), 0.3))],\n\
             metrics: [Partnership(\"s0\", \"s1\"), Share(\"s0\", \"s1\", \"c0\")])",
            (0..channels)
                .map(|c| format!("\"c{c}\""))
                .collect::<Vec<_>>()
                .join(", "),
            (0..states)
                .map(|i| format!("State(name: \"s{i}\")"))
                .collect::<Vec<_>>()
                .join(", "),
            entries(0.1),
            entries(0.05),
            ties.join(",\n")
        );
        crate::scenario::parse(Path::new("w.ron"), text.as_bytes())
            .expect("a valid world")
            .1
    }

    /// The estimate did not count the background: a world whose markets change hands five
    /// times a step was estimated as if nothing happened between its steps.
    #[test]
    fn the_estimate_counts_the_background() {
        let file = |background: &str| {
            format!(
                "Scenario(name: \"w\", step: \"quarter\", steps: 40, {background} \
                 channels: [\"arms\"], states: [State(name: \"a\"), State(name: \"b\"), \
                 State(name: \"c\")], ties: [(from: \"a\", to: \"b\", channel: \"arms\", \
                 share: 0.5), (from: \"b\", to: \"c\", channel: \"arms\", share: 0.5)], \
                 outcomes: [Outcome(name: \"o\", at_end: Above(Partnership(\"a\", \"b\"), 0.3))])"
            )
        };
        let world = |text: String| {
            crate::scenario::parse(Path::new("w.ron"), text.as_bytes())
                .expect("a valid world")
                .1
        };
        let without = world(file("background: None,"));
        let default = world(file(""));
        let busy = world(file("background: Background(supplier_rate: 40.0),"));
        assert!(without.background.is_none() && default.background.is_some());
        let seconds = |w: &World| estimate(w, 10_000, 1).seconds;
        // Two markets at up to 2.25 a year, a quarter a step: about 1.1 changes a step, at about
        // 50 operations each beside the step's 441.
        assert!(
            seconds(&default) > 1.1 * seconds(&without),
            "{} {}",
            seconds(&default),
            seconds(&without)
        );
        assert!(seconds(&busy) > 3.0 * seconds(&without));
    }

    /// Defect (hostile pass 34): the estimate counted the background's jumps and contracts,
    /// not its exits: an 11-state world of steps of a century (`steps_per_year: 0.01`) at
    /// `exit_rate: 2` took 14.9 s of CPU for 300 trajectories of 20 steps against 1.1 s at
    /// `exit_rate: 0`, and the two were estimated alike. Now the exits' candidates count.
    #[test]
    fn the_estimate_counts_the_exits_of_suppliers() {
        let n = 11;
        let states: Vec<String> = (0..n).map(|i| format!("State(name: \"s{i}\")")).collect();
        let ties: Vec<String> = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| {
                format!("Tie(from: \"s{i}\", to: \"s{j}\", channel: \"arms\", share: 0.1)")
            })
            .collect();
        let world = |exit_rate: f64| {
            let text = format!(
                "Scenario(name: \"w\", steps: 20, channels: [\"arms\"], states: [{}], \
                 ties: [{}], background: Background(exit_rate: {exit_rate:?}, \
                 steps_per_year: 0.01), outcomes: [Outcome(name: \"o\", at_end: \
                 Above(Partnership(\"s0\", \"s1\"), 0.3))])",
                states.join(", "),
                ties.join(", ")
            );
            crate::scenario::parse(Path::new("w.ron"), text.as_bytes())
                .expect("a valid world")
                .1
        };
        let seconds = |w: &World| estimate(w, 300, 1).seconds;
        let (on, off) = (seconds(&world(2.0)), seconds(&world(0.0)));
        // Measured 14.9 s against 1.1 s: the estimate is to bound the time, not to match it.
        assert!(on > 5.0 * off, "{on} {off}");
        assert!(on > 14.9, "{on}");
    }

    /// A comparison's estimate counts every world's run and the paired effects, which grow
    /// with the scenarios after the reference, the shared metrics and the steps.
    #[test]
    fn a_comparison_estimate_counts_each_world_and_the_paired_effects() {
        let w = world(3, 6, 1000, 1);
        let single = estimate(&w, 20_000, 2);
        let two = compare_estimate(&[&w, &w], 6, 20_000, 2);
        let four = compare_estimate(&[&w, &w, &w, &w], 6, 20_000, 2);
        let effects = 6 * 1001 * super::super::effects::SUMS_PER_CELL as u64 * 16;
        assert!(two.memory_bytes >= 2 * single.memory_bytes + 3 * effects);
        assert!(four.memory_bytes >= 4 * single.memory_bytes + 3 * 3 * effects);
        assert!(four.address_space_bytes > four.memory_bytes);
        let none = compare_estimate(&[&w, &w], 0, 20_000, 2);
        assert!(two.memory_bytes - none.memory_bytes >= 3 * effects);
    }

    /// Defect: the estimate was 2.1x below the measured peak (it counted two sets of
    /// aggregates per thread while Rayon's work stealing kept many more alive). Now it
    /// bounds the resident and address-space peaks measured with the table at `estimate`,
    /// by less than 3x.
    #[test]
    fn the_estimate_bounds_the_measured_peaks() {
        let measured = [
            (
                world(3, 6, 1000, 1),
                20_000,
                [(1, 103, 323), (2, 161, 480), (4, 313, 795), (8, 521, 1426)].as_slice(),
            ),
            (
                world(60, 20, 200, 4),
                3_000,
                [(1, 78, 266), (2, 113, 391)].as_slice(),
            ),
            (
                world(200, 1, 20, 8),
                64,
                [(1, 69, 231), (2, 133, 431)].as_slice(),
            ),
        ];
        for (w, trajectories, peaks) in &measured {
            for &(threads, rss, vm_peak) in *peaks {
                let e = estimate(w, *trajectories, threads);
                let (rss, vm_peak) = (rss * 1_000_000, vm_peak * 1_000_000);
                assert_bounds_the_peak(&e, rss, w, threads);
                assert!(
                    e.address_space_bytes >= vm_peak,
                    "{} states, {threads} threads: {e:?}",
                    w.n()
                );
            }
        }
    }

    /// Defect: `set_bytes` counted 32 bytes a metric's cell beside its bins, from before
    /// `Aggregates` counted the values at a range's ends (`at_low`, `at_high`): a cell is 48.
    /// The count is checked against the vectors a set of aggregates allocates.
    #[test]
    fn a_metric_cell_beside_its_bins_is_counted_with_its_ends_48_bytes() {
        use crate::engine::aggregate::Aggregates;
        let w = world(3, 6, 10, 1);
        let a = Aggregates::new(&w);
        let cells = a.metrics * a.points;
        let beside = a.sum.len() * std::mem::size_of::<i128>()
            + (a.low.len() + a.high.len()) * std::mem::size_of::<f64>()
            + (a.at_low.len() + a.at_high.len()) * std::mem::size_of::<u64>();
        assert_eq!(a.histogram.len(), cells * BINS);
        assert_eq!(beside as u64, cells as u64 * CELL_BYTES);
        assert_eq!(CELL_BYTES, 48);
    }

    /// The estimate's memory is at least the measured resident peak `rss` (bytes) of a run of
    /// `w` on `threads` threads, and less than 3 times it: safe, yet not so far above that a
    /// run which fits is refused.
    fn assert_bounds_the_peak(e: &Estimate, rss: u64, w: &World, threads: usize) {
        let run = format!("{} states, {threads} threads: {e:?}", w.n());
        assert!(e.memory_bytes >= rss, "{run}");
        assert!(e.memory_bytes < 3 * rss, "{run}");
    }

    /// Defect: at 200 states the loaded scenario (76 MB of entries) was not counted, and a
    /// 50-trajectory run of the reference world peaked at 126 MB against 118 MB estimated.
    /// The measured peaks of whole runs of the reference worlds (table at `estimate`) are
    /// bounded, by less than 3x. Their address space was checked by running them under
    /// `ulimit -v` set to the estimate.
    #[test]
    fn the_estimate_bounds_the_measured_peaks_of_large_worlds() {
        let measured = [
            (dense_world(100, 4, 40), 300, [(1, 39), (2, 48)]),
            (dense_world(200, 4, 40), 50, [(1, 126), (2, 164)]),
        ];
        for (w, trajectories, peaks) in &measured {
            for &(threads, rss) in peaks {
                let e = estimate(w, *trajectories, threads);
                assert_bounds_the_peak(&e, rss * 1_000_000, w, threads);
                assert!(e.address_space_bytes > e.memory_bytes);
            }
        }
    }

    /// Defect: `sensitivity` had no estimate, and a 1,000-factor design at 2,000 samples
    /// (16 GB of design rows) aborted. Now its estimate counts the rows it holds.
    #[test]
    fn a_sensitivity_estimate_counts_the_design_rows() {
        let w = world(3, 0, 10, 1);
        let e = sensitivity_estimate(&w, 2000, 1000, 1000, BOOTSTRAP, 200, 2);
        assert!(e.memory_bytes > 16_000_000_000, "{e:?}");
        let small = sensitivity_estimate(&w, 64, 4, 4, BOOTSTRAP, 200, 2);
        assert!(small.memory_bytes < 100_000_000, "{small:?}");
        let sweep = sweep_estimate(&w, 10_000, 8, 200, 2);
        assert!(sweep.seconds > 1000.0 * estimate(&w, 200, 2).seconds);
    }

    /// A design over 6 groups of 600 factors runs 6 + 2 rows a sample, not 602.
    #[test]
    fn a_grouped_design_is_estimated_by_its_groups_not_its_factors() {
        let w = world(3, 0, 10, 1);
        let grouped = sensitivity_estimate(&w, 64, 600, 6, BOOTSTRAP, 200, 2);
        let each = sensitivity_estimate(&w, 64, 600, 600, BOOTSTRAP, 200, 2);
        let row = estimate(&w, 200, 2).seconds;
        assert!(grouped.seconds < 64.0 * 8.5 * row, "{grouped:?}");
        assert!(each.seconds > 64.0 * 600.0 * row, "{each:?}");
    }
}
