//! The compared value of each level outcome (`model::level`), counted per trajectory on bins
//! that have the outcome's threshold as an edge: how many trajectories would hold the
//! outcome at every nearby threshold, exactly at the file's own (`analysis::exceedance`).
//!
//! The edges are `threshold + k * WIDTH` inside the metric's range. A value is put in its
//! slot by comparing it with the edges (never by arithmetic on it), with the outcome's own
//! strict test: the trajectories above (or below) an edge are exactly those in the slots on
//! that side of it, so at the file's threshold the count is the outcome's count, bit for bit.
//! Counts are integers, so merging is exact in any order.

use crate::model::level::{Level, Side};
use crate::model::World;
use crate::scenario::spelling::quoted_name;

/// The spacing of the edges: 201 points over a share's range [0, 1], 401 over a stance's,
/// fine enough that a curve reads as a line, and the report's neighbours (threshold ± 0.05)
/// are edges.
pub const WIDTH: f64 = 0.005;

/// One level outcome's edges and slot counts.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelCounts {
    /// The outcome's index in the world.
    pub outcome: usize,
    pub level: Level,
    /// Increasing; `edges[at_threshold]` is the file's threshold, exactly.
    pub edges: Vec<f64>,
    pub at_threshold: usize,
    /// `edges.len() + 1` slots. Above: slot i holds the values with exactly i edges
    /// strictly below them; Below: with exactly i edges at or below them. A NaN (on no side
    /// of any number) is put where it counts on no side.
    pub counts: Vec<u64>,
}

impl LevelCounts {
    fn new(outcome: usize, level: Level) -> Self {
        let (low, high) = level.metric.range();
        let t = level.threshold;
        // The threshold lies in the range (`Level::of`), so both are small and k = 0 is in.
        let first = ((low - t) / WIDTH).ceil() as i64;
        let last = ((high - t) / WIDTH).floor() as i64;
        let edges: Vec<f64> = (first..=last)
            .map(|k| if k == 0 { t } else { t + k as f64 * WIDTH })
            .filter(|x| (low..=high).contains(x))
            .collect();
        let at_threshold = edges.iter().position(|&x| x == t).unwrap_or(0);
        let counts = vec![0; edges.len() + 1];
        LevelCounts {
            outcome,
            level,
            edges,
            at_threshold,
            counts,
        }
    }

    /// The slot of one trajectory's compared value.
    fn slot(&self, value: f64) -> usize {
        match self.level.side {
            Side::Above if value.is_nan() => 0,
            Side::Below if value.is_nan() => self.edges.len(),
            Side::Above => self.edges.partition_point(|&x| x < value),
            Side::Below => self.edges.partition_point(|&x| x <= value),
        }
    }

    /// Trajectories on the outcome's side of `edges[k]`.
    pub fn beyond(&self, k: usize) -> u64 {
        match self.level.side {
            Side::Above => self.counts[k + 1..].iter().sum(),
            Side::Below => self.counts[..=k].iter().sum(),
        }
    }
}

/// Every level outcome of a world, in the world's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Levels {
    pub outcomes: Vec<LevelCounts>,
}

impl Levels {
    pub fn new(world: &World) -> Self {
        let outcomes = (world.outcomes.iter().enumerate())
            .filter_map(|(o, outcome)| Level::of(outcome).map(|level| LevelCounts::new(o, level)))
            .collect();
        Levels { outcomes }
    }

    /// Counts one trajectory's compared values (`values[l]` for level outcome l).
    pub fn record(&mut self, values: &[f64]) {
        for (level, &value) in self.outcomes.iter_mut().zip(values) {
            let slot = level.slot(value);
            level.counts[slot] += 1;
        }
    }

    /// Every slot count, back to back (what a shard stores).
    pub fn counts(&self) -> Vec<u64> {
        self.outcomes
            .iter()
            .flat_map(|l| l.counts.clone())
            .collect()
    }

    /// The number of slot counts of `world`'s level outcomes.
    pub fn len_for(world: &World) -> usize {
        Levels::new(world)
            .outcomes
            .iter()
            .map(|l| l.counts.len())
            .sum()
    }

    /// Sets the counts from `counts` as `counts()` lists them (their length checked by the
    /// caller against `len_for`).
    pub fn set_counts(&mut self, counts: &[u64]) {
        let mut rest = counts;
        for level in &mut self.outcomes {
            let (mine, next) = rest.split_at(level.counts.len().min(rest.len()));
            level.counts[..mine.len()].copy_from_slice(mine);
            rest = next;
        }
    }

    pub fn merge(&mut self, other: &Levels) {
        for (a, b) in self.outcomes.iter_mut().zip(&other.outcomes) {
            for (x, y) in a.counts.iter_mut().zip(&b.counts) {
                *x += y;
            }
        }
    }

    /// `merge`, refusing an overflow.
    pub fn merge_checked(&mut self, other: &Levels) -> Option<()> {
        for (a, b) in self.outcomes.iter_mut().zip(&other.outcomes) {
            for (x, &y) in a.counts.iter_mut().zip(&b.counts) {
                *x = x.checked_add(y)?;
            }
        }
        Some(())
    }

    /// Counts read from outside: each level outcome counts every trajectory once, and as
    /// many on its side of the file's threshold as the outcome held in.
    pub fn check(&self, world: &World, trajectories: u64, held: &[u64]) -> Result<(), String> {
        for level in &self.outcomes {
            let name = quoted_name(&world.outcomes[level.outcome].name);
            let total = level
                .counts
                .iter()
                .try_fold(0u64, |sum, &c| sum.checked_add(c));
            if total != Some(trajectories) {
                return Err(format!(
                    "`levels` of outcome {name} does not count each of the {trajectories} trajectories once"
                ));
            }
            if level.beyond(level.at_threshold) != held[level.outcome] {
                return Err(format!(
                    "`levels` of outcome {name} does not agree with its `outcome_count` at its threshold"
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Condition, Metric, Outcome, OutcomeKind};

    fn world(condition: Condition) -> World {
        let mut world = crate::model::fixtures::world(2, 1);
        world.outcomes = vec![Outcome {
            name: "o".into(),
            description: String::new(),
            kind: OutcomeKind::AtEnd,
            condition,
        }];
        world
    }

    /// Values on an edge, a hair either side of the threshold, and NaN, counted on the
    /// side the outcome's own strict test puts them: at every edge, the count on the
    /// outcome's side is the number of values for which `Side::holds` is true.
    #[test]
    fn every_edge_counts_exactly_the_values_the_outcomes_own_test_puts_on_its_side() {
        let t: f64 = 0.3;
        let values = [
            t,
            t.next_up(),
            t.next_down(),
            t + 10.0 * WIDTH,
            -1.0,
            1.0,
            0.0,
            f64::NAN,
            0.123456,
        ];
        for condition in [
            Condition::Above(Metric::Stance(0, 1), t),
            Condition::Below(Metric::Stance(0, 1), t),
        ] {
            let mut levels = Levels::new(&world(condition));
            assert_eq!(levels.outcomes.len(), 1);
            for &v in &values {
                levels.record(&[v]);
            }
            let level = &levels.outcomes[0];
            assert_eq!(level.edges.len(), 401);
            assert_eq!(level.edges[level.at_threshold], t);
            for (k, &x) in level.edges.iter().enumerate() {
                let holds = values.iter().filter(|&&v| level.level.side.holds(v, x));
                assert_eq!(level.beyond(k), holds.count() as u64, "x = {x}");
            }
        }
    }

    #[test]
    fn outcomes_that_are_not_levels_have_no_counts() {
        for condition in [
            Condition::After(0),
            Condition::Above(Metric::SameBloc(0, 1), 0.5),
            Condition::Below(Metric::Share(0, 1, 0), -0.1),
            Condition::Not(Box::new(Condition::Above(Metric::Stance(0, 1), 0.2))),
        ] {
            assert!(Levels::new(&world(condition)).outcomes.is_empty());
        }
    }
}
