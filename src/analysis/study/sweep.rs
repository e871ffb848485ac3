//! The driver behind `simulate sweep`: the scenario at every point of a grid over its
//! numbers, every point on the same trajectory seeds. Points run side by side with the
//! first point (a joint run), so each outcome's and metric's difference from the first
//! point is paired trajectory by trajectory and its interval is the Monte Carlo error of
//! that difference, narrow where the shared noise cancels.

use super::swept::SweepParam;
use crate::analysis::sweep::{fix, SweepPoint};
use crate::engine::{self, Control, Pairing, Plan, Stopped};
use crate::format::Num;
use crate::model::World;
use crate::scenario::number_path::NumberPath;
use crate::scenario::spelling::shown;

/// Points run side by side after the first: a joint run holds each point's aggregates at
/// once, so a large grid runs in batches of this many, each beside the first point again
/// (at most one run of the first point more per batch: 1/8 of the work).
pub const BATCH: usize = 8;

/// The scenario at every point of a grid over its numbers.
pub struct Grid<'a> {
    /// The scenario as every point starts from.
    pub base: &'a World,
    pub params: &'a [SweepParam],
    /// Each swept number's path in `base`, in the order of `params`.
    pub paths: &'a [NumberPath],
    /// Each point's values, in the order of `params`.
    pub points: Vec<Vec<f64>>,
}

impl Grid<'_> {
    /// The world at the point `values`: every swept number fixed at its value.
    fn world_at(&self, values: &[f64]) -> World {
        let mut w = self.base.clone();
        for (&p, &v) in self.paths.iter().zip(values) {
            fix(&mut w, p, v);
        }
        w
    }

    /// The point `values` as a message names it: "sweep point gamma = 20".
    fn point_name(&self, values: &[f64]) -> String {
        let at: Vec<String> = self
            .params
            .iter()
            .zip(values)
            .map(|(p, &v)| format!("{} = {}", shown(&p.path), Num(v)))
            .collect();
        format!("sweep point {}", at.join(", "))
    }

    /// Refuses the sweep, naming the first point the file could not hold
    /// (`sweep_point::holds`), before any point runs.
    pub fn check_points(&self) -> Result<(), String> {
        for values in &self.points {
            crate::analysis::sweep_point::holds(&self.world_at(values))
                .map_err(|why| format!("{}: {why}", self.point_name(values)))?;
        }
        Ok(())
    }

    /// Each point at which a row of initial shares passes 1 and is scaled back to a total
    /// of 1 (`engine::rows_scaled_back`, as a run counts it for `summary.json`), with how
    /// many of `trajectories` it was in: a swept share can push its row past 1 where no
    /// written one could, and the point then runs with every share of that row smaller
    /// than written. Empty when no share is drawn or swept.
    pub fn rows_scaled_back(&self, seed: u64, trajectories: u64) -> Vec<(String, u64)> {
        (self.points.iter())
            .filter_map(|values| {
                let count = engine::rows_scaled_back(&self.world_at(values), seed, trajectories)?;
                (count > 0).then(|| (self.point_name(values), count))
            })
            .collect()
    }

    /// In a world at rest, refuses the sweep if the draws of some point cannot be held still,
    /// before any point runs: checked point by point as they ran, the last point's refusal
    /// came after every other point's trajectories (14.7 s of work for nothing); checked
    /// point after point, after every trajectory of every other point (85 s at `-n 1e7`),
    /// so it is checked across points, trajectory by trajectory. The run checks each point
    /// again, a pass of one parameter draw per trajectory.
    fn check_rest(&self, plan: &Plan, control: &Control) -> Result<(), Stopped> {
        if self.base.rest.is_none() {
            return Ok(());
        }
        let worlds: Vec<World> = self.points.iter().map(|v| self.world_at(v)).collect();
        engine::check_rest_across(&worlds, plan, control)
            .map_err(|(point, stopped)| stopped.at_point(|| self.point_name(&self.points[point])))
    }

    /// The joint runs the grid takes: `BATCH` points a run beside the first (the progress
    /// bar counts `plan.len()` trajectories a run).
    pub fn runs(&self) -> usize {
        self.points.len().saturating_sub(1).div_ceil(BATCH).max(1)
    }

    /// Runs every point on the same plan, so on the same trajectory seeds, once every point
    /// is known to run, each beside the first point.
    pub fn run(&self, plan: &Plan, control: &Control) -> Result<Vec<SweepPoint>, Stopped> {
        self.check_rest(plan, control)?;
        let Some((first_values, rest)) = self.points.split_first() else {
            return Ok(Vec::new());
        };
        let first = self.world_at(first_values);
        // Every outcome and metric, paired with itself at the first point.
        let pairing = Pairing {
            outcomes: (0..first.outcomes.len()).map(|i| (i, i)).collect(),
            metrics: (0..first.metrics.len()).map(|m| (m, m)).collect(),
        };
        let mut points = Vec::with_capacity(self.points.len());
        let batches: Vec<&[Vec<f64>]> = if rest.is_empty() {
            vec![&[]]
        } else {
            rest.chunks(BATCH).collect()
        };
        for batch in batches {
            let worlds: Vec<World> = batch.iter().map(|v| self.world_at(v)).collect();
            let sides: Vec<&World> = std::iter::once(&first).chain(&worlds).collect();
            // Every point's rest was checked above: what stops a joint run here is a cancel.
            let joint =
                engine::run_joint(&sides, &vec![pairing.clone(); batch.len()], plan, control)?;
            if points.is_empty() {
                points.push(SweepPoint::new(
                    &first,
                    first_values.clone(),
                    &joint.sides[0],
                ));
            }
            let n = joint.sides[0].trajectories;
            for (k, values) in batch.iter().enumerate() {
                let point = SweepPoint::new(&worlds[k], values.clone(), &joint.sides[k + 1]);
                points.push(point.against_first(&joint.pairs[k], &joint.effects[k], n));
            }
        }
        Ok(points)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    use super::*;
    use crate::analysis::study::swept::parse_sweep_param;
    use crate::analysis::sweep::{check_path, grid};
    use crate::scenario;

    /// Defect (issue 19, 7): a sweep over a world at rest checked each grid point's rest
    /// only when it reached it, so every point before one that cannot be held still ran in
    /// full, then the sweep was refused. Counted here by the trajectories the run reports
    /// done: none, since the last point is refused before the first runs.
    #[test]
    fn a_sweep_checked_each_grid_points_rest_only_when_it_reached_it() {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/at_rest.ron");
        let scenario = scenario::load(&file).unwrap();
        let params = vec![parse_sweep_param("gamma=0:20:3").unwrap()];
        let (path, _) = check_path(&scenario.world, &params[0].path).unwrap();
        let grid = Grid {
            base: &scenario.world,
            params: &params,
            paths: &[path],
            points: grid(&[params[0].values()]),
        };
        let done = AtomicU64::new(0);
        let progress = |n: u64| {
            done.fetch_add(n, Ordering::Relaxed);
        };
        let cancel = AtomicBool::new(false);
        let control = Control {
            progress: &progress,
            cancel: &cancel,
        };
        let plan = Plan::new(600, 11, Some(2));
        let Err(Stopped::Unsettled(refused)) = grid.run(&plan, &control) else {
            panic!("gamma = 20 cannot be held still");
        };
        assert_eq!(refused.point.as_deref(), Some("sweep point gamma = 20"));
        assert_eq!(
            done.load(Ordering::Relaxed),
            0,
            "trajectories ran before the refusal"
        );
    }
}
