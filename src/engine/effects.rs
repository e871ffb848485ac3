//! Streaming paired effects on tracked metrics: for one scenario against the reference, at
//! every step, the sums behind the mean and variance of the per-trajectory differences
//! `d_r = x_r(scenario) - x_r(reference)`, and of each side's own values (for the unpaired
//! interval it is contrasted with).
//!
//! Nothing is kept per trajectory: each pair of values is folded in as soon as both worlds
//! have reached the step. Every sum is an integer in the fixed point of the metric sums
//! (`aggregate::fixed`, 2^-40), so merging is exact and the result is the same bytes for any
//! thread count, as for the other aggregates.

use super::aggregate::{fixed, FIXED_POINT};

#[derive(Debug, Clone, PartialEq)]
pub struct Effects {
    /// Recorded points per metric: steps 0..=T of the shorter of the two worlds.
    pub points: usize,
    /// The metrics compared, as (index in the reference world, index in the scenario).
    pub metrics: Vec<(usize, usize)>,
    /// Trajectory pairs folded in (every pair contributes to every cell).
    pub trajectories: u64,
    /// Per cell `m * points + t`, in units of 2^-40: the sum of d and of d², and of each
    /// side's values and their squares.
    pub sum_diff: Vec<i128>,
    pub sum_diff_sq: Vec<i128>,
    pub sum_reference: Vec<i128>,
    pub sum_reference_sq: Vec<i128>,
    pub sum_scenario: Vec<i128>,
    pub sum_scenario_sq: Vec<i128>,
}

/// Means and sample variances at one cell: of the reference's values, of the scenario's,
/// and of the per-trajectory differences (`analysis::compare` turns them into intervals).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    pub trajectories: u64,
    pub reference_mean: f64,
    pub reference_variance: f64,
    pub scenario_mean: f64,
    pub scenario_variance: f64,
    pub diff: f64,
    pub diff_variance: f64,
}

/// The number of cells' sums an `Effects` holds per metric and step (for the estimate).
pub const SUMS_PER_CELL: usize = 6;

impl Effects {
    pub fn new(metrics: Vec<(usize, usize)>, points: usize) -> Self {
        let cells = metrics.len() * points;
        Effects {
            points,
            metrics,
            trajectories: 0,
            sum_diff: vec![0; cells],
            sum_diff_sq: vec![0; cells],
            sum_reference: vec![0; cells],
            sum_reference_sq: vec![0; cells],
            sum_scenario: vec![0; cells],
            sum_scenario_sq: vec![0; cells],
        }
    }

    /// Folds in the values of compared metric `m` at step `t` of one trajectory pair.
    #[inline]
    pub fn record(&mut self, m: usize, t: usize, reference: f64, scenario: f64) {
        let cell = m * self.points + t;
        let (a, b) = (fixed(reference), fixed(scenario));
        // The difference of the rounded values, so that the mean difference is exactly the
        // difference of the means the two runs report.
        let d = b - a;
        let d_value = d as f64 / FIXED_POINT;
        self.sum_diff[cell] += d;
        self.sum_diff_sq[cell] += fixed(d_value * d_value);
        self.sum_reference[cell] += a;
        self.sum_reference_sq[cell] += fixed(reference * reference);
        self.sum_scenario[cell] += b;
        self.sum_scenario_sq[cell] += fixed(scenario * scenario);
    }

    /// Counts one more trajectory pair (after all its steps are recorded).
    pub fn count_trajectory(&mut self) {
        self.trajectories += 1;
    }

    pub fn merge(&mut self, other: &Effects) {
        assert_eq!(
            (self.points, &self.metrics),
            (other.points, &other.metrics),
            "effects of different comparisons cannot be merged"
        );
        self.trajectories += other.trajectories;
        for (a, b) in [
            (&mut self.sum_diff, &other.sum_diff),
            (&mut self.sum_diff_sq, &other.sum_diff_sq),
            (&mut self.sum_reference, &other.sum_reference),
            (&mut self.sum_reference_sq, &other.sum_reference_sq),
            (&mut self.sum_scenario, &other.sum_scenario),
            (&mut self.sum_scenario_sq, &other.sum_scenario_sq),
        ] {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }

    /// The moments of compared metric `m` at step `t`.
    pub fn moments(&self, m: usize, t: usize) -> Moments {
        let cell = m * self.points + t;
        let n = self.trajectories;
        let (reference_mean, reference_variance) =
            moments(self.sum_reference[cell], self.sum_reference_sq[cell], n);
        let (scenario_mean, scenario_variance) =
            moments(self.sum_scenario[cell], self.sum_scenario_sq[cell], n);
        let (diff, diff_variance) = moments(self.sum_diff[cell], self.sum_diff_sq[cell], n);
        Moments {
            trajectories: n,
            reference_mean,
            reference_variance,
            scenario_mean,
            scenario_variance,
            diff,
            diff_variance,
        }
    }
}

/// Mean and sample variance from fixed-point sums of values and of their squares.
fn moments(sum: i128, sum_sq: i128, n: u64) -> (f64, f64) {
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let nf = n as f64;
    let mean = sum as f64 / FIXED_POINT / nf;
    let second = sum_sq as f64 / FIXED_POINT / nf;
    let variance = if n > 1 {
        // Rounding can leave a constant's variance a hair below zero.
        (second - mean * mean).max(0.0) * nf / (nf - 1.0)
    } else {
        0.0
    };
    (mean, variance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn effects_of(pairs: &[(f64, f64)]) -> Effects {
        let mut e = Effects::new(vec![(0, 0)], 1);
        for &(a, b) in pairs {
            e.record(0, 0, a, b);
            e.count_trajectory();
        }
        e
    }

    #[test]
    fn the_moments_are_those_of_the_differences_and_of_each_side() {
        // Sides that vary a lot together, differences that vary little.
        let pairs = [(0.1, 0.2), (0.5, 0.61), (-0.3, -0.21), (0.8, 0.9)];
        let e = effects_of(&pairs).moments(0, 0);
        let d: Vec<f64> = pairs.iter().map(|(a, b)| b - a).collect();
        let mean = d.iter().sum::<f64>() / 4.0;
        let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 3.0;
        assert!((e.diff - mean).abs() < 1e-11, "{e:?}");
        assert!((e.diff_variance - var).abs() < 1e-9, "{e:?}");
        assert!(e.reference_variance + e.scenario_variance > 100.0 * e.diff_variance);
        assert!((e.scenario_mean - e.reference_mean - e.diff).abs() < 1e-12);
    }

    #[test]
    fn identical_sides_have_exactly_zero_effect_and_width() {
        let e = effects_of(&[(0.3, 0.3), (-0.7, -0.7), (0.05, 0.05)]).moments(0, 0);
        assert_eq!((e.diff, e.diff_variance), (0.0, 0.0));
    }

    #[test]
    fn merging_in_any_split_gives_the_same_sums() {
        let pairs: Vec<(f64, f64)> = (0..50)
            .map(|i| {
                let x = (i as f64 * 0.37).sin();
                (x, (x + 0.1 * (i as f64).cos()).clamp(-1.0, 1.0))
            })
            .collect();
        let whole = effects_of(&pairs);
        let mut parts = effects_of(&pairs[30..]);
        parts.merge(&effects_of(&pairs[..30]));
        assert_eq!(whole, parts);
    }
}
