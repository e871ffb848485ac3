//! The trajectories' share of an index's interval. Every design point runs the same
//! trajectory seeds (common random numbers, so that points differ by their inputs, not by
//! luck), so the luck of those trajectories moves every point's value at once, and a
//! bootstrap over the design's rows alone leaves it out: another `--seed` put 73 of 156
//! indices of `baseline.ron` (`--groups kind`, 200 trajectories) outside the first seed's
//! 95% intervals, where about 26 were expected.
//!
//! So each point keeps its trajectories' means over B contiguous batches, batch b holding
//! the same trajectory seeds at every point (a batch is a common random number too), and
//! each bootstrap replicate resamples the batches as well as the rows: one resample of the
//! batches for all points, because the points share the seeds, and each point's value is
//! then the mean over the resampled batches. Batches rather than single trajectories only
//! to bound memory: the design holds N (k + 2) × B × outputs numbers, not × T.

use crate::engine::streams::Stream;

/// Batches of a point's trajectories. Twenty: the batches' spread is estimated from B
/// resampled means, which at 10 has 9 degrees of freedom (a t quantile of 2.26 where the
/// bootstrap acts as if it were 1.96, about 92% coverage of that part) and at 20 has 19
/// (2.09, about 94%); beyond 20 the gain is a point or less while memory and the
/// bootstrap's time grow with B. The default 200 trajectories make batches of 10.
pub const TRAJECTORY_BATCHES: usize = 20;

/// How a run's T trajectories fall into batches: min(20, T) contiguous runs of trajectory
/// indices (fewer trajectories than 20: one each), their sizes differing by at most one.
#[derive(Debug, Clone, PartialEq)]
pub struct Batching {
    trajectories: u64,
    sizes: Vec<u64>,
}

impl Batching {
    pub fn new(trajectories: u64) -> Self {
        let count = (TRAJECTORY_BATCHES as u64).min(trajectories).max(1);
        // Batch b holds the r with floor(r B / T) = b: from ceil(b T / B) on.
        let start = |b: u64| (u128::from(b) * u128::from(trajectories)).div_ceil(count.into());
        let sizes = (0..count)
            .map(|b| (start(b + 1) - start(b)) as u64)
            .collect();
        Batching {
            trajectories,
            sizes,
        }
    }

    /// How many batches there are.
    pub fn count(&self) -> usize {
        self.sizes.len()
    }

    /// Whether there are batches to resample: a single trajectory per point leaves nothing
    /// to measure its noise by, and the intervals are the rows' alone.
    pub fn resamples_trajectories(&self) -> bool {
        self.count() > 1
    }

    /// Each batch's number of trajectories.
    pub fn sizes(&self) -> &[u64] {
        &self.sizes
    }

    /// The batch of trajectory `r`.
    pub fn of(&self, r: u64) -> usize {
        let count = self.count() as u128;
        let b = u128::from(r) * count / u128::from(self.trajectories.max(1));
        (b as usize).min(self.count() - 1)
    }

    /// One replicate's weight of each batch: B batches drawn with replacement from
    /// `stream`, each batch weighed by how often it was drawn and by its trajectories, so
    /// that a point's value is the mean over the drawn batches' trajectories.
    pub fn resampled_weights(&self, stream: &mut Stream) -> Vec<f64> {
        let count = self.count();
        let mut drawn = vec![0u64; count];
        for _ in 0..count {
            drawn[((stream.uniform() * count as f64) as usize).min(count - 1)] += 1;
        }
        let weights: Vec<f64> = drawn
            .iter()
            .zip(&self.sizes)
            .map(|(&d, &n)| (d * n) as f64)
            .collect();
        let total: f64 = weights.iter().sum();
        // A mean of B resampled means spreads by sqrt((B - 1) / B) of the spread of the
        // mean itself (the bootstrap divides by B, not B - 1): stretched about the whole
        // run's weights by the inverse, the resampled values spread as the run's would.
        let stretch = (count as f64 / (count - 1).max(1) as f64).sqrt();
        let trajectories = self.trajectories.max(1) as f64;
        (weights.iter().zip(&self.sizes))
            .map(|(w, &n)| {
                let whole = n as f64 / trajectories;
                whole + stretch * (w / total - whole)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 200 trajectories make 20 batches of 10: trajectories 0..10 the first, 190..200 the
    /// last; 45 make batches of 2 and 3 that cover each trajectory once, in order.
    #[test]
    fn batches_are_contiguous_runs_of_nearly_equal_size() {
        let b = Batching::new(200);
        assert_eq!(b.sizes(), [10; 20]);
        assert_eq!((b.of(0), b.of(9), b.of(10), b.of(199)), (0, 0, 1, 19));
        let b = Batching::new(45);
        assert_eq!(b.sizes().iter().sum::<u64>(), 45);
        assert!(b.sizes().iter().all(|&n| n == 2 || n == 3));
        let mut counted = vec![0u64; b.count()];
        let mut last = 0;
        for r in 0..45 {
            assert!(b.of(r) >= last, "batches out of order at {r}");
            last = b.of(r);
            counted[last] += 1;
        }
        assert_eq!(counted, b.sizes());
    }

    /// Fewer trajectories than batches: one each; a single trajectory has nothing to
    /// resample, and its one weight is the whole.
    #[test]
    fn few_trajectories_make_one_batch_each() {
        assert_eq!(Batching::new(7).sizes(), [1; 7]);
        let one = Batching::new(1);
        assert!(!one.resamples_trajectories());
        let mut s = Stream::keyed(1, "test");
        assert_eq!(one.resampled_weights(&mut s), [1.0]);
    }

    #[test]
    fn a_replicates_weights_add_up_to_one() {
        let b = Batching::new(45);
        let mut s = Stream::keyed(3, "test");
        for _ in 0..10 {
            let w = b.resampled_weights(&mut s);
            assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
    }
}
