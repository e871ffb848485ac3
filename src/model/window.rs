//! Trailing means of metrics (`Average(metric, k)`): each trajectory keeps a ring of the
//! last k values of every averaged metric, and nothing else, so worlds without averages
//! carry no history at all.

use super::{Metric, State};

/// One averaged metric: the mean of `metric` over the last `steps` steps (fewer at the
/// start: steps 0..=t while t < steps - 1). Never an average itself (the compiler refuses
/// it: a mean of means weights the middle of the window more, which no one asks for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Average {
    pub metric: Metric,
    pub steps: usize,
}

/// The rings of one trajectory, back to back in one buffer allocated once per worker.
#[derive(Debug, Clone, Default)]
pub struct Windows {
    values: Vec<f64>,
    /// Where each average's ring starts in `values`; its length is its window.
    start: Vec<usize>,
    /// Each ring's running total. Kept so that a long window costs O(1) a step; summed
    /// afresh each time the ring wraps, so rounding cannot build up beyond one window.
    sum: Vec<f64>,
    /// Values recorded since the trajectory began (the same for every ring).
    recorded: usize,
}

impl Windows {
    pub fn new(averages: &[Average]) -> Self {
        let mut start = Vec::with_capacity(averages.len() + 1);
        let mut end = 0;
        for a in averages {
            start.push(end);
            end += a.steps;
        }
        start.push(end);
        Windows {
            values: vec![0.0; end],
            start,
            sum: vec![0.0; averages.len()],
            recorded: 0,
        }
    }

    /// Forgets the history (a new trajectory).
    pub fn clear(&mut self) {
        self.sum.fill(0.0);
        self.recorded = 0;
    }

    /// The trailing mean of average `a` as of the last recorded step.
    pub fn mean(&self, a: usize) -> f64 {
        let len = self.start[a + 1] - self.start[a];
        self.sum[a] / self.recorded.min(len) as f64
    }

    fn push(&mut self, a: usize, value: f64) {
        let ring = &mut self.values[self.start[a]..self.start[a + 1]];
        let at = self.recorded % ring.len();
        // Until the ring is full the slot holds nothing of this trajectory.
        let old = if self.recorded < ring.len() {
            0.0
        } else {
            ring[at]
        };
        ring[at] = value;
        self.sum[a] = if at + 1 == ring.len() {
            ring.iter().sum()
        } else {
            self.sum[a] - old + value
        };
    }
}

/// Records the current value of every averaged metric: called once for step 0 and once
/// after each step, when the state is up to date.
pub fn record(averages: &[Average], state: &mut State) {
    for (a, average) in averages.iter().enumerate() {
        let value = average.metric.eval(state);
        state.windows.push(a, value);
    }
    state.windows.recorded += 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows(steps: &[usize]) -> Windows {
        let averages: Vec<Average> = steps
            .iter()
            .map(|&steps| Average {
                metric: Metric::Stance(0, 1),
                steps,
            })
            .collect();
        Windows::new(&averages)
    }

    fn push_all(w: &mut Windows, value: f64) {
        for a in 0..w.sum.len() {
            w.push(a, value);
        }
        w.recorded += 1;
    }

    #[test]
    fn a_trailing_mean_uses_fewer_steps_at_the_start_then_exactly_k() {
        // Windows of 1, 3 and 4 over the values 1, 2, 4, 8, 16: each mean is the mean of
        // the last k values recorded, or of all of them while fewer than k exist.
        let mut w = windows(&[1, 3, 4]);
        let expected = [
            [1.0, 1.0, 1.0],
            [2.0, 1.5, 1.5],
            [4.0, 7.0 / 3.0, 7.0 / 3.0],
            [8.0, 14.0 / 3.0, 15.0 / 4.0],
            [16.0, 28.0 / 3.0, 30.0 / 4.0],
        ];
        for (t, row) in expected.iter().enumerate() {
            push_all(&mut w, f64::from(1u32 << t));
            for (a, &mean) in row.iter().enumerate() {
                assert_eq!(w.mean(a), mean, "step {t}, window {a}");
            }
        }
        // A new trajectory starts from nothing, whatever the rings still hold.
        w.clear();
        push_all(&mut w, 5.0);
        assert_eq!(w.mean(2), 5.0);
    }
}
