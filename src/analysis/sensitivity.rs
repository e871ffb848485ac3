//! Global sensitivity: how much of an outcome's variation each sampled parameter explains.
//!
//! The factors are the parameters a scenario gives as distributions. A Saltelli design
//! (Saltelli et al. 2010, "Variance based sensitivity analysis of model output", Computer
//! Physics Communications 181) draws two independent N x k matrices A and B of uniform
//! quantiles, and for each factor i the matrix AB_i: A with column i taken from B. The
//! model is evaluated on all N (k + 2) rows. With `f` the outcome probability at a row:
//!
//! - first-order index (Saltelli 2010, eq. b, with f_B centred on the mean `m` of f_A and
//!   f_B): `S_i = mean((f_B - m) (f_AB_i - f_A)) / V`,
//! - total index (Jansen 1999): `ST_i = mean((f_A - f_AB_i)^2) / 2 / V`,
//!
//! where V is the variance of all f_A and f_B values. S_i is the share of the variance that
//! factor i explains alone; ST_i adds its interactions; `ST_i - S_i` is interaction only.
//! Intervals come from a bootstrap (resampled with seeded ChaCha streams), as the 2.5% and
//! 97.5% percentiles of the resampled indices. Each replicate resamples the N rows and,
//! independently, the batches of every point's trajectories ([`batches`]): every point runs
//! the same trajectory seeds, so their luck moves all points at once, and resampling the
//! rows alone left it out (another seed put 62 and 73 of 156 indices outside the first
//! seed's intervals, where about 26 were expected).
//!
//! Quantiles become parameter values through each distribution's inverse CDF
//! ([`Sampler::quantile`](crate::model::Sampler::quantile)), so a row is one point of the parameter space; the design itself is
//! plain Monte Carlo from a seeded ChaCha stream (not a quasi-random sequence), which keeps
//! it simple and reproducible at the cost of a somewhat larger N for the same accuracy.
//!
//! The outputs are each outcome's probability and each tracked metric's mean value at the
//! last step, per design row: a metric is continuous, so its mean carries far more
//! information per trajectory than a 0/1 outcome. With `--against A` every output is the
//! paired effect B - A instead (both scenarios on the same parameter values and trajectory
//! seeds at each row), so the indices say what drives the *difference*, not the level.
//!
//! Indices are ratios over the design's variance, so they are printed with equal confidence
//! whether they mean something or not. [`OutcomeSensitivity::flag_unreliable`] marks the
//! ones that cannot: an outcome that (almost) never varies, a variance too small to split,
//! first-order indices that add up to more than the whole, or an interval too wide to read.

mod batches;

use serde::Serialize;

pub use batches::{Batching, TRAJECTORY_BATCHES};

use super::factor_groups::Grouping;
use super::Manifest;
use crate::engine::streams::Stream;

/// Bootstrap resamples behind each interval.
pub const BOOTSTRAP: usize = 500;

/// The uniform quantiles of a Saltelli design: matrices A and B, each `n` rows of `k`, and
/// the units whose columns are swapped together (each factor alone unless grouped).
#[derive(Debug, Clone)]
pub struct Design {
    pub a: Vec<Vec<f64>>,
    pub b: Vec<Vec<f64>>,
    /// The columns of each unit: `[[0], [1], ...]` for factors alone.
    pub units: Vec<Vec<usize>>,
}

impl Design {
    /// Draws A and B from the seeded stream `sensitivity:design`.
    pub fn new(n: usize, k: usize, seed: u64) -> Self {
        Design::grouped(n, k, (0..k).map(|i| vec![i]).collect(), seed)
    }

    /// A design over groups of factors: the same A and B as `new` (one column per factor),
    /// but each AB_g takes every column of group g from B at once, so the indices are the
    /// groups' closed indices.
    pub fn grouped(n: usize, k: usize, units: Vec<Vec<usize>>, seed: u64) -> Self {
        let mut s = Stream::keyed(seed, "sensitivity:design");
        let mut matrix = || -> Vec<Vec<f64>> {
            (0..n)
                .map(|_| (0..k).map(|_| s.uniform()).collect())
                .collect()
        };
        let a = matrix();
        let b = matrix();
        Design { a, b, units }
    }

    pub fn samples(&self) -> usize {
        self.a.len()
    }

    /// The factors: columns of A and B.
    pub fn factors(&self) -> usize {
        self.a.first().map_or(0, Vec::len)
    }

    /// Every row to evaluate, in order: A's N rows, B's N rows, then AB_g's N rows for each
    /// unit g.
    pub fn rows(&self) -> Vec<Vec<f64>> {
        let mut rows: Vec<Vec<f64>> = self.a.clone();
        rows.extend(self.b.iter().cloned());
        for unit in &self.units {
            for (a, b) in self.a.iter().zip(&self.b) {
                let mut row = a.clone();
                for &i in unit {
                    row[i] = b[i];
                }
                rows.push(row);
            }
        }
        rows
    }

    /// How many rows `rows()` gives: N (units + 2).
    pub fn rows_count(&self) -> usize {
        self.samples() * (self.units.len() + 2)
    }

    /// Splits the outputs of `rows()` back into f_A, f_B and f_AB_g.
    pub fn split<'a>(&self, f: &'a [f64]) -> (&'a [f64], &'a [f64], Vec<&'a [f64]>) {
        split(f, self.samples(), self.units.len())
    }
}

/// Splits the values of the N (units + 2) rows of a design into f_A, f_B and f_AB_g.
fn split(f: &[f64], n: usize, units: usize) -> (&[f64], &[f64], Vec<&[f64]>) {
    let ab = (0..units).map(|i| &f[(2 + i) * n..(3 + i) * n]).collect();
    (&f[..n], &f[n..2 * n], ab)
}

/// Sobol indices of one output for every factor, with bootstrap intervals.
#[derive(Debug, Clone)]
pub struct Indices {
    pub first: Vec<f64>,
    pub first_ci: Vec<(f64, f64)>,
    pub total: Vec<f64>,
    pub total_ci: Vec<(f64, f64)>,
    /// Mean and variance of the output over the A and B rows.
    pub mean: f64,
    pub variance: f64,
}

/// Point estimates over the rows `pick` (indices into 0..N): (first-order, total, mean,
/// variance). Sums run in `pick`'s order, so the result is the same on every machine.
fn estimate(
    fa: &[f64],
    fb: &[f64],
    fab: &[&[f64]],
    pick: &[usize],
) -> (Vec<f64>, Vec<f64>, f64, f64) {
    let n = pick.len() as f64;
    let mut sum = 0.0;
    for &r in pick {
        sum += fa[r] + fb[r];
    }
    let mean = sum / (2.0 * n);
    let mut squares = 0.0;
    for &r in pick {
        squares += (fa[r] - mean) * (fa[r] - mean) + (fb[r] - mean) * (fb[r] - mean);
    }
    let variance = squares / (2.0 * n - 1.0).max(1.0);
    let mut first = Vec::with_capacity(fab.len());
    let mut total = Vec::with_capacity(fab.len());
    for f in fab {
        let (mut s, mut t) = (0.0, 0.0);
        for &r in pick {
            // f_B centred on the mean: the same expectation (f_AB_i - f_A averages to 0),
            // far less scatter when the mean is large against the spread, as for a
            // probability near 0.5 that moves by a few points.
            s += (fb[r] - mean) * (f[r] - fa[r]);
            t += (fa[r] - f[r]) * (fa[r] - f[r]);
        }
        if variance > 0.0 {
            first.push(s / n / variance);
            total.push(t / n / 2.0 / variance);
        } else {
            // An output that never varies: no factor explains anything.
            first.push(0.0);
            total.push(0.0);
        }
    }
    (first, total, mean, variance)
}

/// The `q` percentile of sorted values (nearest rank, interpolated).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let x = q * (sorted.len() - 1) as f64;
    let i = x.floor() as usize;
    let j = (i + 1).min(sorted.len() - 1);
    sorted[i] + (sorted[j] - sorted[i]) * (x - i as f64)
}

/// First-order and total indices of an output, with `bootstrap` resamples of the design's
/// rows drawn from the stream `sensitivity:bootstrap` of `seed`: the intervals hold the
/// design's noise only. [`sobol_with_batches`] adds the trajectories'.
pub fn sobol(fa: &[f64], fb: &[f64], fab: &[&[f64]], bootstrap: usize, seed: u64) -> Indices {
    let draws = row_replicates(fa.len(), bootstrap, seed, |pick| {
        let (s, t, _, _) = estimate(fa, fb, fab, pick);
        [s, t]
    });
    with_intervals(estimate(fa, fb, fab, &all_rows(fa.len())), draws)
}

/// First-order and total indices of an output whose values over the design's rows are
/// `values` (N (units + 2) of them, in `Design::rows` order), with intervals that hold the
/// noise of the trajectories every row shares as well as the design's: `batch_means` holds
/// each row's mean over each batch of `batching`, row after row. Each of the `bootstrap`
/// replicates resamples the rows as [`sobol`] does (the same draws) and, from the stream
/// `sensitivity:bootstrap:batches`, the batches: one resample for every row, since batch b
/// is the same trajectory seeds at every row; each row's value is then the mean over the
/// drawn batches. The indices themselves are those of `values`. With a single batch
/// (one trajectory a point) there is nothing to resample, and this is [`sobol`].
///
/// A replicate is the rows' estimate plus the move the resampled batches give it, and the
/// moves are taken about their mean: resampled batches add their noise on top of the noise
/// the values already hold, and a total index, a mean of squared differences, grows with
/// noise, so uncentred the replicates sat above the estimate (the tutorial's
/// `background.jump_rate`: total 0.015, interval 0.017 to 0.057). The interval measures
/// the estimate's spread, not that bias, as the rows' bootstrap measures none of theirs.
pub fn sobol_with_batches(
    values: &[f64],
    units: usize,
    batch_means: &[f64],
    batching: &Batching,
    bootstrap: usize,
    seed: u64,
) -> Indices {
    let n = values.len() / (units + 2);
    let (fa, fb, fab) = split(values, n, units);
    if !batching.resamples_trajectories() {
        return sobol(fa, fb, &fab, bootstrap, seed);
    }
    let count = batching.count();
    assert_eq!(
        batch_means.len(),
        values.len() * count,
        "one mean per row and batch"
    );
    let mut batches = Stream::keyed(seed, "sensitivity:bootstrap:batches");
    let mut resampled = vec![0.0; values.len()];
    let mut moves = [
        vec![Vec::with_capacity(bootstrap); units],
        vec![Vec::with_capacity(bootstrap); units],
    ];
    let mut draws = row_replicates(n, bootstrap, seed, |pick| {
        let weights = batching.resampled_weights(&mut batches);
        for (value, means) in resampled.iter_mut().zip(batch_means.chunks_exact(count)) {
            // Summed in batch order: the same bytes on every machine.
            *value = means.iter().zip(&weights).map(|(m, w)| m * w).sum();
        }
        let (ra, rb, rab) = split(&resampled, n, units);
        let (s, t, _, _) = estimate(fa, fb, &fab, pick);
        let (s_moved, t_moved, _, _) = estimate(ra, rb, &rab, pick);
        for (moved, (index, was)) in moves.iter_mut().zip([(&s_moved, &s), (&t_moved, &t)]) {
            for (m, (x, y)) in moved.iter_mut().zip(index.iter().zip(was)) {
                m.push(x - y);
            }
        }
        [s_moved, t_moved]
    });
    for (kind, moved) in draws.iter_mut().zip(&moves) {
        for (index, m) in kind.iter_mut().zip(moved) {
            let mean = m.iter().sum::<f64>() / m.len().max(1) as f64;
            index.iter_mut().for_each(|x| *x -= mean);
        }
    }
    with_intervals(estimate(fa, fb, &fab, &all_rows(n)), draws)
}

/// Rows 0..n, in order: the whole design.
fn all_rows(n: usize) -> Vec<usize> {
    (0..n).collect()
}

/// The first-order and total estimates of `bootstrap` replicates, index by index: each
/// replicate draws n rows with replacement from the stream `sensitivity:bootstrap` of
/// `seed` and hands them to `replicate`, which gives its [first-order, total] indices.
fn row_replicates(
    n: usize,
    bootstrap: usize,
    seed: u64,
    mut replicate: impl FnMut(&[usize]) -> [Vec<f64>; 2],
) -> [Vec<Vec<f64>>; 2] {
    let mut draws: [Vec<Vec<f64>>; 2] = [Vec::new(), Vec::new()];
    let mut stream = Stream::keyed(seed, "sensitivity:bootstrap");
    let mut pick = vec![0usize; n];
    for _ in 0..bootstrap {
        for p in pick.iter_mut() {
            *p = ((stream.uniform() * n as f64) as usize).min(n - 1);
        }
        for (kind, indices) in draws.iter_mut().zip(replicate(&pick)) {
            kind.resize_with(indices.len(), || Vec::with_capacity(bootstrap));
            for (d, x) in kind.iter_mut().zip(indices) {
                d.push(x);
            }
        }
    }
    draws
}

/// The point estimates with the 2.5% and 97.5% percentiles of their replicates.
fn with_intervals(
    (first, total, mean, variance): (Vec<f64>, Vec<f64>, f64, f64),
    [first_draws, total_draws]: [Vec<Vec<f64>>; 2],
) -> Indices {
    let interval = |mut draws: Vec<f64>| {
        draws.sort_by(f64::total_cmp);
        (percentile(&draws, 0.025), percentile(&draws, 0.975))
    };
    let k = first.len();
    let padded = |mut d: Vec<Vec<f64>>| {
        // No replicates: intervals of nothing, NaN as before.
        d.resize_with(k, Vec::new);
        d
    };
    Indices {
        first,
        total,
        first_ci: padded(first_draws).into_iter().map(interval).collect(),
        total_ci: padded(total_draws).into_iter().map(interval).collect(),
        mean,
        variance,
    }
}

/// One factor's indices for one outcome.
#[derive(Debug, Clone, Serialize)]
pub struct FactorIndices {
    pub factor: String,
    /// The factor's distribution in the file's notation.
    pub distribution: String,
    pub first: f64,
    pub first_low: f64,
    pub first_high: f64,
    pub total: f64,
    pub total_low: f64,
    pub total_high: f64,
    /// Why this factor's own indices cannot be read (wide intervals); empty when they can.
    pub caveats: Vec<String>,
}

impl FactorIndices {
    /// Factor `i`'s indices out of `sobol`'s result, named `factor` with `distribution`.
    pub fn of(factor: String, distribution: String, s: &Indices, i: usize) -> Self {
        FactorIndices {
            factor,
            distribution,
            first: s.first[i],
            first_low: s.first_ci[i].0,
            first_high: s.first_ci[i].1,
            total: s.total[i],
            total_low: s.total_ci[i].0,
            total_high: s.total_ci[i].1,
            caveats: Vec::new(),
        }
    }
}

/// One outcome: how much its probability varies over the design, and what drives it.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeSensitivity {
    pub name: String,
    /// Mean and variance of the outcome's probability over the design.
    pub mean: f64,
    pub variance: f64,
    /// One entry per factor, in the order of `Sensitivity::factors`.
    pub factors: Vec<FactorIndices>,
    /// Why none of this outcome's indices can be read; empty when they can.
    pub caveats: Vec<String>,
}

/// An outcome true in fewer than 1% (or more than 99%) of runs over the whole design has
/// almost no variation to attribute; its indices split sampling noise.
pub const PROBABILITY_EDGE: f64 = 0.01;
/// Variance of the outcome's probability across the design below which there is nothing to
/// attribute: 1e-4 is a standard deviation of one percentage point over the parameters'
/// whole range. The floor rises to the binomial noise `p (1 - p) / T` of one design point's
/// probability from T trajectories when that is larger: parameters that move the answer less
/// than a point's own Monte Carlo noise leave indices that apportion noise (the aid-cut
/// outcome of `putin_visit.ron`, variance 2.3e-4 against noise 1.0e-3, gave `sigma` a total
/// index of 0.24 for an event whose hazard no parameter touches).
pub const VARIANCE_FLOOR: f64 = 1e-4;

/// The variance below which an output has nothing to attribute, and which of its two parts
/// set it: the least spread worth attributing, or one design point's Monte Carlo noise. The
/// reason printed for a row under it says which, since only the noise falls with more
/// `--trajectories`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Floor {
    pub value: f64,
    /// Whether one design point's noise, not the least spread, set it.
    pub from_noise: bool,
}

impl Floor {
    /// The larger of the least spread worth attributing and one point's noise.
    fn of(least: f64, noise: f64) -> Floor {
        Floor {
            value: least.max(noise),
            from_noise: noise > least,
        }
    }

    /// What set it, as the reason for a row under it says.
    fn cause(self) -> &'static str {
        if self.from_noise {
            // "which more --trajectories lower" read, in a new user's trial, as if "more"
            // compared the noise with something; the verb now has its object.
            "one design point's Monte Carlo noise (more --trajectories lower that noise)"
        } else {
            "the least spread worth attributing: the ranges hardly move this answer"
        }
    }
}

/// A variance as the table's first line and a row's reasons print it, in three significant
/// digits: 0.00347 from 0.001 up, 2.30e-6 below (five decimals printed a metric's 2e-6 as
/// 0.00000, beside a reason that said 2.0e-6), and 0 as 0 (an outcome that never moves).
pub fn shown_variance(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e-3 {
        format!("{v:.5}")
    } else {
        format!("{v:.2e}")
    }
}

/// The variance floor for an outcome of mean probability `mean` from `trajectories` per point.
pub fn variance_floor(mean: f64, trajectories: u64) -> Floor {
    Floor::of(
        VARIANCE_FLOOR,
        mean * (1.0 - mean) / trajectories.max(1) as f64,
    )
}
/// A metric's final mean spreading by less than this share of the metric's range across the
/// design has nothing to attribute. Finer than the one point of [`VARIANCE_FLOOR`] for a
/// probability: a mean of a continuous value over T trajectories is measured far more
/// precisely than a 0/1 frequency, so the Monte Carlo noise term of [`metric_floor`] is the
/// real guard, and this one only keeps a mean that hardly moves from being split at all. A
/// partnership (range [-1, 1]) must spread by at least 0.002 in standard deviation, a share
/// by 0.001. (At 1% of the range, the first choice, the Pakistan–Russia partnership of
/// `putin_visit.ron` was flagged although its indices were the best measured of the file,
/// intervals 0.13 wide, at a spread of 0.017.)
pub const METRIC_SPREAD: f64 = 0.001;

/// The variance floor of a metric's final mean (or of its paired effect) over `range`:
/// [`METRIC_SPREAD`] of the range, or the Monte Carlo noise of one design point's mean
/// (`noise`: the within-point variance over T, averaged over the design) if larger, for the
/// same reason as for probabilities: parameters moving the mean less than its own noise
/// leave indices that apportion noise.
pub fn metric_floor((low, high): (f64, f64), noise: f64) -> Floor {
    let spread = METRIC_SPREAD * (high - low);
    Floor::of(spread * spread, noise)
}

/// The variance floor of a paired effect P_B - P_A: one point, or the noise of one design
/// point's paired difference if larger (`noise`, averaged over the design).
pub fn effect_floor(noise: f64) -> Floor {
    Floor::of(VARIANCE_FLOOR, noise)
}

/// The variance of the values counted in `histogram` (equal bins over `range`) about
/// `mean`, with each value at its bin's centre: a metric's spread across trajectories at
/// one design point, from the aggregates. The bins (1/2000 of the range) add at most
/// `width^2 / 12` to it.
pub fn histogram_variance(histogram: &[u64], (low, high): (f64, f64), mean: f64) -> f64 {
    let total: u64 = histogram.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let width = (high - low) / histogram.len() as f64;
    let mut squares = 0.0;
    for (b, &count) in histogram.iter().enumerate() {
        if count > 0 {
            let d = low + width * (b as f64 + 0.5) - mean;
            squares += count as f64 * d * d;
        }
    }
    squares / total as f64
}

/// The variance of one trajectory pair's difference of a 0/1 outcome (B - A is -1, 0 or
/// 1), from the pairs where only A or only B held, over `trajectories` pairs.
pub fn paired_variance(only_a: u64, only_b: u64, trajectories: u64) -> f64 {
    let t = trajectories.max(1) as f64;
    let d = (only_b as f64 - only_a as f64) / t;
    ((only_a + only_b) as f64 / t - d * d).max(0.0)
}

/// `x`, which is above `limit`, with two decimals, or as many more (up to six) as it takes
/// to show it above: "0.30 wide, above 0.3" read as a contradiction (the tutorial's table).
fn above(x: f64, limit: f64) -> String {
    (2..=6)
        .map(|digits| format!("{x:.digits$}"))
        .find(|shown| shown.parse::<f64>().is_ok_and(|s| s > limit))
        .unwrap_or_else(|| format!("{x}"))
}

/// An index is a share in [0, 1]; a 95% interval wider than this says little about it.
pub const WIDEST_INTERVAL: f64 = 0.3;
/// First-order indices are disjoint shares of the variance and sum to at most 1; beyond
/// this (5% for estimation error) the estimates contradict themselves.
pub const FIRST_ORDER_CEILING: f64 = 1.05;

impl FactorIndices {
    /// Every reason this row cannot be read, its outcome's first.
    pub fn why<'a>(&'a self, outcome: &'a OutcomeSensitivity) -> Vec<&'a str> {
        outcome
            .caveats
            .iter()
            .chain(&self.caveats)
            .map(String::as_str)
            .collect()
    }
}

impl OutcomeSensitivity {
    /// Fills `caveats` of the outcome and of each factor from the thresholds above, for
    /// probabilities estimated from `trajectories` per design point.
    pub fn flag_unreliable(&mut self, trajectories: u64) {
        self.flag(true, variance_floor(self.mean, trajectories));
    }

    /// The same flags for a continuous output (a metric's final mean, or a paired effect)
    /// with its variance floor: the probability edges do not apply, since the mean of a
    /// metric near its range's end, or an effect near 0, can still vary well.
    pub fn flag_unreliable_continuous(&mut self, floor: Floor) {
        self.flag(false, floor);
    }

    fn flag(&mut self, probability: bool, floor: Floor) {
        self.caveats.clear();
        if probability && self.mean < PROBABILITY_EDGE {
            self.caveats.push(format!(
                "probability {:.2}% is below 1%: too rare to attribute",
                100.0 * self.mean
            ));
        } else if probability && self.mean > 1.0 - PROBABILITY_EDGE {
            self.caveats.push(format!(
                "probability {:.2}% is above 99%: almost always true, nothing to attribute",
                100.0 * self.mean
            ));
        }
        if self.variance < floor.value {
            // As the table's first line shows it, so that the two read as one number.
            self.caveats.push(format!(
                "variance across the design {} is below the floor {}, {}",
                shown_variance(self.variance),
                shown_variance(floor.value),
                floor.cause()
            ));
        }
        let sum: f64 = self.factors.iter().map(|x| x.first).sum();
        if sum > FIRST_ORDER_CEILING {
            self.caveats.push(format!(
                "first-order indices sum to {}, above {FIRST_ORDER_CEILING}: more --samples narrow \
                 their noise",
                above(sum, FIRST_ORDER_CEILING)
            ));
        }
        for x in &mut self.factors {
            x.caveats.clear();
            for (what, low, high) in [
                ("first-order", x.first_low, x.first_high),
                ("total", x.total_low, x.total_high),
            ] {
                let width = high - low;
                // An interval with no bounds says nothing either.
                if width.is_nan() || width > WIDEST_INTERVAL {
                    // Past 100 the digits say nothing more (a bootstrap of a few samples
                    // gave an interval 24956871191992175802353451008.00 wide).
                    let shown = match width > 100.0 {
                        true => "more than 100".to_string(),
                        false => above(width, WIDEST_INTERVAL),
                    };
                    x.caveats.push(format!(
                        "{what} interval is {shown} wide, above {WIDEST_INTERVAL}: more \
                         --samples or --trajectories narrow it"
                    ));
                }
            }
        }
    }

    /// Whether any of this outcome's indices cannot be read.
    pub fn any_unreliable(&self) -> bool {
        !self.caveats.is_empty() || self.factors.iter().any(|x| !x.caveats.is_empty())
    }
}

/// What an analysed output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An outcome's probability (or, against another scenario, its paired effect).
    Outcome,
    /// A tracked metric's mean at the last step (or its paired effect).
    Metric,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Outcome => "outcome",
            Kind::Metric => "metric",
        }
    }
}

/// A finished sensitivity analysis of a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    /// The scenario analysed (B with `--against`); `trajectories` counts per design point
    /// (the same seeds at every point).
    #[serde(flatten)]
    pub manifest: Manifest,
    /// With `--against`: the reference scenario A, and every output is the effect B - A.
    pub against: Option<Manifest>,
    /// Base samples N; the design has N (k + 2) points, k the units (factors or groups).
    pub samples: u64,
    /// The units analysed, in order: each factor's path, or each group's name.
    pub factors: Vec<String>,
    /// How the factors were grouped into units (`factor_groups`): `Each` unless asked.
    #[serde(skip)]
    pub grouping: Grouping,
    /// In the scenario's order.
    pub outcomes: Vec<OutcomeSensitivity>,
    /// Tracked metrics' final means, in the scenario's order, named by their labels.
    pub metrics: Vec<OutcomeSensitivity>,
}

impl Sensitivity {
    /// Every analysed output: outcomes first, then metrics.
    pub fn targets(&self) -> Vec<(Kind, &OutcomeSensitivity)> {
        let outcomes = self.outcomes.iter().map(|o| (Kind::Outcome, o));
        let metrics = self.metrics.iter().map(|m| (Kind::Metric, m));
        outcomes.chain(metrics).collect()
    }

    /// What the outputs are about: the scenario's name, or "B - A" against another.
    pub fn subject(&self) -> String {
        match &self.against {
            Some(a) => format!("{} - {}", self.manifest.scenario, a.scenario),
            None => self.manifest.scenario.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ishigami and Homma (1990): f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i uniform on
    /// [-pi, pi]; with a = 7, b = 0.1 the first-order indices are 0.3139, 0.4424 and 0, and
    /// the total indices 0.5576, 0.4424 and 0.2437.
    fn ishigami(x: &[f64]) -> f64 {
        let pi = std::f64::consts::PI;
        let v: Vec<f64> = x.iter().map(|u| -pi + 2.0 * pi * u).collect();
        libm::sin(v[0]) + 7.0 * libm::sin(v[1]).powi(2) + 0.1 * v[2].powi(4) * libm::sin(v[0])
    }

    #[test]
    fn the_estimators_reproduce_the_ishigami_indices() {
        let design = Design::new(40_000, 3, 1990);
        let f: Vec<f64> = design.rows().iter().map(|r| ishigami(r)).collect();
        let (fa, fb, fab) = design.split(&f);
        let s = sobol(fa, fb, &fab, 50, 7);
        let first = [0.3139, 0.4424, 0.0];
        let total = [0.5576, 0.4424, 0.2437];
        for i in 0..3 {
            assert!(
                (s.first[i] - first[i]).abs() < 0.02,
                "S{} = {}",
                i + 1,
                s.first[i]
            );
            assert!(
                (s.total[i] - total[i]).abs() < 0.02,
                "ST{} = {}",
                i + 1,
                s.total[i]
            );
            let (lo, hi) = s.first_ci[i];
            assert!(
                lo <= s.first[i] && s.first[i] <= hi,
                "S{} outside its interval",
                i + 1
            );
        }
    }

    /// Closed group indices: with x1 and x3 swapped together, Ishigami's group {x1, x3}
    /// explains S1 + S3 + S13 = 0.3139 + 0 + 0.2437 = 0.5576 of the variance, first-order
    /// and total alike (x2 enters additively), and {x2} its own 0.4424: the group's
    /// first-order index holds the interaction of its members, which the sum of their
    /// first-order indices (0.3139) does not.
    #[test]
    fn a_design_over_groups_gives_the_groups_closed_indices() {
        let design = Design::grouped(40_000, 3, vec![vec![0, 2], vec![1]], 1990);
        assert_eq!(design.rows_count(), 40_000 * 4);
        let f: Vec<f64> = design.rows().iter().map(|r| ishigami(r)).collect();
        let (fa, fb, fab) = design.split(&f);
        let s = sobol(fa, fb, &fab, 50, 7);
        for (g, want) in [(0, 0.5576), (1, 0.4424)] {
            assert!((s.first[g] - want).abs() < 0.02, "S_g{g} = {}", s.first[g]);
            assert!((s.total[g] - want).abs() < 0.02, "ST_g{g} = {}", s.total[g]);
        }
    }

    /// An additive function of known group shares: f = x1 + 2 x2 + 3 x3 with x uniform has
    /// variances 1 : 4 : 9, so {x1, x2} explains 5/14 and {x3} 9/14, first-order and total.
    #[test]
    fn groups_of_an_additive_function_explain_their_members_variances() {
        let design = Design::grouped(20_000, 3, vec![vec![0, 1], vec![2]], 7);
        let f: Vec<f64> = design
            .rows()
            .iter()
            .map(|r| r[0] + 2.0 * r[1] + 3.0 * r[2])
            .collect();
        let (fa, fb, fab) = design.split(&f);
        let s = sobol(fa, fb, &fab, 20, 7);
        for (g, want) in [(0, 5.0 / 14.0), (1, 9.0 / 14.0)] {
            assert!((s.first[g] - want).abs() < 0.02, "S_g{g} = {}", s.first[g]);
            assert!((s.total[g] - want).abs() < 0.02, "ST_g{g} = {}", s.total[g]);
        }
    }

    /// The analysis of one output as the command builds it, flagged.
    fn analysed(f: &[f64], design: &Design) -> OutcomeSensitivity {
        let (fa, fb, fab) = design.split(f);
        let s = sobol(fa, fb, &fab, 200, 7);
        let factors = (0..design.units.len())
            .map(|i| FactorIndices::of(format!("x{}", i + 1), "Uniform(0, 1)".into(), &s, i))
            .collect();
        let mut o = OutcomeSensitivity {
            name: "f".into(),
            mean: s.mean,
            variance: s.variance,
            factors,
            caveats: Vec::new(),
        };
        o.flag_unreliable(1_000_000);
        o
    }

    /// Reliability flags: an outcome whose probability varies well over the design, with
    /// enough samples, must read as reliable, or the flags would cry wolf. Ishigami rescaled
    /// into [0, 1] (indices do not change with scale) stands in for such a probability.
    #[test]
    fn a_well_behaved_output_is_reliable() {
        let design = Design::new(4_000, 3, 1990);
        let f: Vec<f64> = design
            .rows()
            .iter()
            .map(|r| (ishigami(r) + 11.0) / 30.0)
            .collect();
        let o = analysed(&f, &design);
        assert!(!o.any_unreliable(), "{:?}", o);
    }

    /// Reliability flags: indices of an outcome true in nearly every run were printed as if
    /// they meant something. Now such an outcome is flagged for its probability and its
    /// variance, whatever its indices happen to be.
    #[test]
    fn an_outcome_almost_always_true_is_unreliable() {
        let design = Design::new(200, 2, 3);
        // True in 99.5% of runs on average, wobbling by a fraction of a point with x1.
        let f: Vec<f64> = design.rows().iter().map(|r| 0.99 + 0.01 * r[0]).collect();
        let o = analysed(&f, &design);
        // (Its first-order indices also sum far above 1 here: such outputs are all noise.)
        assert!(o.caveats[0].contains("above 99%"), "{:?}", o.caveats);
        assert!(o.caveats[1].contains("below the floor"), "{:?}", o.caveats);
        assert!(o.factors.iter().all(|x| !x.why(&o).is_empty()));
    }

    /// Reliability flags: first-order indices adding up to more than the whole variance (1.37
    /// was shown for `us_aid_below_10pct`) and wide intervals were not called out; they are.
    #[test]
    fn contradictory_or_vague_indices_are_unreliable() {
        let mut o = OutcomeSensitivity {
            name: "f".into(),
            mean: 0.5,
            variance: 0.01,
            factors: vec![FactorIndices {
                factor: "eta".into(),
                distribution: "Uniform(0, 1)".into(),
                first: 1.37,
                first_low: 0.2,
                first_high: 1.9,
                total: 0.9,
                total_low: 0.8,
                total_high: 1.0,
                caveats: Vec::new(),
            }],
            caveats: Vec::new(),
        };
        o.flag_unreliable(200);
        assert_eq!(
            o.caveats,
            ["first-order indices sum to 1.37, above 1.05: more --samples narrow their noise"]
        );
        assert_eq!(
            o.factors[0].caveats,
            [
                "first-order interval is 1.70 wide, above 0.3: more --samples or --trajectories \
              narrow it"
            ]
        );
    }

    /// Regression (the tutorial's table): a total interval 0.3004 wide was flagged as "0.30
    /// wide, above 0.3". A width or sum just past its limit now shows the digits that put it
    /// past.
    #[test]
    fn an_interval_0_30_wide_was_said_to_be_above_0_3() {
        assert_eq!(above(0.3004, WIDEST_INTERVAL), "0.3004");
        assert_eq!(above(0.35, WIDEST_INTERVAL), "0.35");
        assert_eq!(above(1.0500001, FIRST_ORDER_CEILING), "1.0500001");
        assert_eq!(above(1.37, FIRST_ORDER_CEILING), "1.37");
    }

    /// Reliability flags: `us_aid_below_10pct` moved by 2.3e-4 in variance over the design,
    /// a fifth of the binomial noise of one point from 200 trajectories, yet its indices
    /// were shown as if they meant something. An outcome moving less than its own noise is
    /// now flagged; the same spread from 100,000 trajectories per point is not.
    #[test]
    fn an_outcome_moving_less_than_its_noise_is_unreliable() {
        assert!((variance_floor(0.71, 200).value - 0.71 * 0.29 / 200.0).abs() < 1e-15);
        let mut o = OutcomeSensitivity {
            name: "us_aid_below_10pct".into(),
            mean: 0.71,
            variance: 2.3e-4,
            factors: Vec::new(),
            caveats: Vec::new(),
        };
        o.flag_unreliable(200);
        assert_eq!(
            o.caveats,
            [
                "variance across the design 2.30e-4 is below the floor 0.00103, one design \
              point's Monte Carlo noise (more --trajectories lower that noise)"
            ]
        );
        o.flag_unreliable(100_000);
        assert!(o.caveats.is_empty(), "{:?}", o.caveats);
    }

    /// A metric's spread across trajectories from its histogram: two values, half of the
    /// trajectories each, at 0.25 and 0.75 of [0, 1] have variance 0.0625 about 0.5.
    #[test]
    fn a_histogram_gives_the_spread_of_its_values() {
        let mut h = vec![0u64; 2000];
        h[500] = 10; // [0.25, 0.2505): centre 0.25025
        h[1500] = 10; // centre 0.75025
        let v = histogram_variance(&h, (0.0, 1.0), 0.50025);
        assert!((v - 0.0625).abs() < 1e-12, "{v}");
        assert_eq!(histogram_variance(&[0; 10], (0.0, 1.0), 0.5), 0.0);
    }

    /// A paired 0/1 difference: 30 pairs with only B, 10 with only A, of 100: d = 0.2,
    /// E[d^2] = 0.4, variance 0.36.
    #[test]
    fn a_paired_difference_has_the_variance_of_its_discordant_pairs() {
        assert!((paired_variance(10, 30, 100) - 0.36).abs() < 1e-12);
        assert_eq!(paired_variance(0, 0, 100), 0.0);
    }

    /// A metric's floor is a spread of 0.1% of its range, or its noise if larger; a metric
    /// near the end of its range is not flagged as if it were a rare outcome.
    #[test]
    fn a_metric_is_flagged_by_its_own_floor_not_by_probability_edges() {
        assert!((metric_floor((-1.0, 1.0), 0.0).value - 4e-6).abs() < 1e-18);
        assert!((metric_floor((0.0, 1.0), 0.0).value - 1e-6).abs() < 1e-18);
        assert_eq!(metric_floor((0.0, 1.0), 0.01).value, 0.01);
        assert!(metric_floor((0.0, 1.0), 0.01).from_noise);
        assert_eq!(effect_floor(0.0).value, VARIANCE_FLOOR);
        assert!(!effect_floor(0.0).from_noise);
        let mut m = OutcomeSensitivity {
            name: "Share(A, B, aid)".into(),
            mean: 0.003,
            variance: 2e-6,
            factors: Vec::new(),
            caveats: Vec::new(),
        };
        m.flag_unreliable_continuous(metric_floor((0.0, 1.0), 0.0));
        assert!(m.caveats.is_empty(), "{:?}", m.caveats);
        m.flag_unreliable_continuous(metric_floor((-1.0, 1.0), 0.0));
        assert_eq!(
            m.caveats,
            [
                "variance across the design 2.00e-6 is below the floor 4.00e-6, the least \
              spread worth attributing: the ranges hardly move this answer"
            ]
        );
    }

    /// A design point's trajectories, as the engine runs them: f = x1 + 2 x2 (x uniform,
    /// first-order and total indices 0.2 and 0.8) plus each trajectory's luck z_t (uniform,
    /// mean 0, variance 1) times x1, where trajectory t draws the same z_t at every point,
    /// as a run's seeds do. Returns each row's mean over the `trajectories` and its means
    /// over the batches of `batching`, row after row.
    fn shared_luck(design: &Design, trajectories: u64, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let batching = Batching::new(trajectories);
        let mut s = Stream::keyed(seed, "test:trajectories");
        let luck: Vec<f64> = (0..trajectories)
            .map(|_| 12f64.sqrt() * (s.uniform() - 0.5))
            .collect();
        let mut in_batch = vec![0.0; batching.count()];
        for (t, z) in luck.iter().enumerate() {
            in_batch[batching.of(t as u64)] += z;
        }
        for (z, &n) in in_batch.iter_mut().zip(batching.sizes()) {
            *z /= n as f64;
        }
        let mean = luck.iter().sum::<f64>() / trajectories as f64;
        let rows = design.rows();
        let values = rows.iter().map(|x| x[0] + 2.0 * x[1] + mean * x[0]);
        let batch_means = rows
            .iter()
            .flat_map(|x| in_batch.iter().map(|z| x[0] + 2.0 * x[1] + z * x[0]));
        (values.collect(), batch_means.collect())
    }

    /// The intervals overclaimed: every design point shares its trajectories' seeds, so
    /// their luck moves every point at once, and a bootstrap over the design's rows left it
    /// out. Over 200 repetitions (each its own design and trajectories, 256 samples, 40
    /// trajectories a point; four indices each) the rows' bootstrap held the true index in
    /// 71% of its intervals; resampling the trajectories' batches too holds it in 91% (93.5%
    /// with no luck at all: the rows' percentile bootstrap at 256 samples is a little short
    /// by itself; the index of f's mean over the trajectories also shifts a little with the
    /// luck's square, a bias no bootstrap holds).
    #[test]
    fn intervals_hold_the_noise_of_the_trajectories_every_point_shares() {
        let truth = [0.2, 0.8];
        let (mut rows_only, mut with_batches, mut asked) = (0, 0, 0);
        let inside = |(low, high): (f64, f64), x: f64| usize::from(low <= x && x <= high);
        for repetition in 0..200 {
            let design = Design::new(256, 2, 1000 + repetition);
            let (values, batch_means) = shared_luck(&design, 40, repetition);
            let batching = Batching::new(40);
            let (fa, fb, fab) = design.split(&values);
            let old = sobol(fa, fb, &fab, 200, repetition);
            let new = sobol_with_batches(&values, 2, &batch_means, &batching, 200, repetition);
            for (i, &index) in truth.iter().enumerate() {
                for (old_ci, new_ci) in [
                    (old.first_ci[i], new.first_ci[i]),
                    (old.total_ci[i], new.total_ci[i]),
                ] {
                    rows_only += inside(old_ci, index);
                    with_batches += inside(new_ci, index);
                    asked += 1;
                }
            }
        }
        let share = |n: usize| n as f64 / asked as f64;
        assert!(share(rows_only) < 0.8, "rows only {}", share(rows_only));
        assert!(
            (0.9..=0.99).contains(&share(with_batches)),
            "rows and batches {}",
            share(with_batches)
        );
    }

    #[test]
    fn an_output_that_never_varies_has_zero_indices() {
        let design = Design::new(10, 2, 1);
        let f = vec![0.5; design.rows().len()];
        let (fa, fb, fab) = design.split(&f);
        let s = sobol(fa, fb, &fab, 10, 1);
        assert_eq!(s.first, [0.0, 0.0]);
        assert_eq!(s.variance, 0.0);
    }
}
