//! One design point's trajectories summed batch by batch (`analysis::sensitivity::Batching`),
//! from the rows the engine hands a run's records: how often each outcome held and each
//! metric's final values, per batch, so that the bootstrap can resample the trajectories
//! every point shares. Only B sums per output are kept, never a row per trajectory.

use std::sync::Mutex;

use crate::analysis::sensitivity::Batching;
use crate::engine::records::{Records, Rows};

/// A metric's final value is summed in fixed point, 2^-32 a unit: integer sums are the same
/// whichever thread's rows arrive first (the engine hands units of work over in any order,
/// cut differently for every thread count), so `--threads` changes no byte. The rounding,
/// 1e-10 at most per trajectory, is far below any metric's Monte Carlo noise.
const FIXED_POINT: f64 = (1u64 << 32) as f64;

/// The sums of one point's run, batch by batch, filled by the engine through `Records`.
pub struct BatchSums<'b> {
    batching: &'b Batching,
    outcomes: usize,
    metrics: usize,
    sums: Mutex<Sums>,
}

/// Per batch (batch after batch): each outcome's count of trajectories where it held, each
/// metric's fixed-point sum of final values.
struct Sums {
    held: Vec<u64>,
    finals: Vec<i128>,
}

impl<'b> BatchSums<'b> {
    /// Empty sums for a world of `outcomes` outcomes and `metrics` tracked metrics.
    pub fn new(batching: &'b Batching, outcomes: usize, metrics: usize) -> Self {
        let count = batching.count();
        BatchSums {
            batching,
            outcomes,
            metrics,
            sums: Mutex::new(Sums {
                held: vec![0; count * outcomes],
                finals: vec![0; count * metrics],
            }),
        }
    }

    /// Outcome `o`'s share of trajectories where it held, batch by batch.
    pub fn outcome_means(&self, o: usize) -> Vec<f64> {
        let sums = self.sums.lock().unwrap_or_else(|e| e.into_inner());
        (self.batching.sizes().iter().enumerate())
            .map(|(b, &n)| sums.held[b * self.outcomes + o] as f64 / n.max(1) as f64)
            .collect()
    }

    /// Metric `m`'s mean final value, batch by batch.
    pub fn metric_means(&self, m: usize) -> Vec<f64> {
        let sums = self.sums.lock().unwrap_or_else(|e| e.into_inner());
        (self.batching.sizes().iter().enumerate())
            .map(|(b, &n)| sums.finals[b * self.metrics + m] as f64 / FIXED_POINT / n.max(1) as f64)
            .collect()
    }
}

impl Records for BatchSums<'_> {
    fn take(&self, rows: Rows) {
        let mut sums = self.sums.lock().unwrap_or_else(|e| e.into_inner());
        for (i, r) in rows.range().enumerate() {
            let b = self.batching.of(r);
            let held = &rows.held[i * self.outcomes..(i + 1) * self.outcomes];
            for (sum, &h) in sums.held[b * self.outcomes..].iter_mut().zip(held) {
                *sum += u64::from(h);
            }
            let finals = &rows.finals[i * self.metrics..(i + 1) * self.metrics];
            for (sum, &x) in sums.finals[b * self.metrics..].iter_mut().zip(finals) {
                // `as` saturates (and takes a NaN to 0): no value can overflow the sum.
                *sum += (x * FIXED_POINT).round() as i64 as i128;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Trajectories `range`: outcome held when r is a multiple of 3, metric final r / 8.
    fn rows(range: std::ops::Range<u64>) -> Rows {
        Rows {
            first: range.start,
            len: range.clone().count(),
            held: range.clone().map(|r| r % 3 == 0).collect(),
            finals: range.map(|r| r as f64 / 8.0).collect(),
            ..Rows::default()
        }
    }

    /// 40 trajectories in 20 batches of two, handed over in two units cut inside batch 12
    /// (trajectories 24 and 25), in either order: the same means, each batch's own.
    #[test]
    fn each_batch_sums_its_own_trajectories_in_any_order() {
        let batching = Batching::new(40);
        let take = |units: [Rows; 2]| {
            let sums = BatchSums::new(&batching, 1, 1);
            for u in units {
                sums.take(u);
            }
            (sums.outcome_means(0), sums.metric_means(0))
        };
        let forward = take([rows(0..25), rows(25..40)]);
        assert_eq!(forward, take([rows(25..40), rows(0..25)]));
        let (held, finals) = forward;
        for b in 0..20u64 {
            let pair = [2 * b, 2 * b + 1];
            let share = pair.iter().filter(|&&r| r % 3 == 0).count() as f64 / 2.0;
            assert_eq!(held[b as usize], share, "batch {b}");
            assert_eq!(finals[b as usize], (4 * b + 1) as f64 / 16.0, "batch {b}");
        }
    }
}
