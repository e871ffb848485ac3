//! Exceedance curves: for each level outcome (`model::level`), the probability that it
//! would hold at every nearby threshold, read off the counts `engine::levels` keeps. At
//! the file's own threshold the curve is the outcome's probability exactly: the same count
//! over the same trajectories.

use crate::engine::levels::LevelCounts;
use crate::engine::Aggregates;
use crate::model::level::Side;
use crate::model::World;

/// One point of a curve: the share of trajectories on the outcome's side of `x`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub count: u64,
    pub probability: f64,
}

/// One level outcome's curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub outcome: String,
    /// "at_end" or "ever" (for "ever", the curve is of the largest value reached above, or
    /// the smallest below).
    pub kind: &'static str,
    /// What is compared, as `World::metric_label` writes it.
    pub metric: String,
    pub side: Side,
    pub threshold: f64,
    /// Increasing in `x`; for `Above` non-increasing in probability, for `Below`
    /// non-decreasing.
    pub points: Vec<Point>,
    /// The index in `points` of the file's threshold.
    pub at_threshold: usize,
}

/// How far from the threshold the report reads the curve on either side.
pub const NEARBY: f64 = 0.05;

impl Curve {
    fn new(world: &World, level: &LevelCounts, trajectories: u64) -> Self {
        let outcome = &world.outcomes[level.outcome];
        let points = (0..level.edges.len())
            .map(|k| {
                let count = level.beyond(k);
                Point {
                    x: level.edges[k],
                    count,
                    // As `RunSummary` divides, so the probability at the threshold is the
                    // same number.
                    probability: count as f64 / trajectories.max(1) as f64,
                }
            })
            .collect();
        Curve {
            outcome: outcome.name.clone(),
            kind: outcome.kind.as_str(),
            metric: world.metric_label(&level.level.metric),
            side: level.level.side,
            threshold: level.level.threshold,
            points,
            at_threshold: level.at_threshold,
        }
    }

    /// The point at the file's threshold.
    pub fn at_threshold(&self) -> Point {
        self.points[self.at_threshold]
    }

    /// The point `steps` edges from the threshold (negative: below it), if the metric's
    /// range reaches that far.
    pub fn offset(&self, steps: i64) -> Option<Point> {
        let k = self.at_threshold as i64 + steps;
        usize::try_from(k)
            .ok()
            .and_then(|k| self.points.get(k).copied())
    }

    /// The points `NEARBY` below and above the threshold, where the range reaches.
    pub fn nearby(&self) -> (Option<Point>, Option<Point>) {
        let steps = (NEARBY / crate::engine::levels::WIDTH).round() as i64;
        (self.offset(-steps), self.offset(steps))
    }
}

/// Every level outcome's curve, in the world's order.
pub fn curves(world: &World, agg: &Aggregates) -> Vec<Curve> {
    (agg.levels.outcomes.iter())
        .map(|level| Curve::new(world, level, agg.trajectories))
        .collect()
}
